/**
 * `hoshin serve --workers 2` as an operator runs it: the real command in a child process,
 * on each engine. Every request goes on a connection of its own, so node:cluster hands
 * them to both workers; the X-Hoshin-Worker header says which one answered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type Engine, type SqlStore } from '../../src/store/index.ts';
import { describeEachEngine } from '../store/engines.ts';
import { main } from '../../src/cli/main.ts';
import { runHoshin } from '../support/cli.ts';
import { startScriptNodeFlags } from '../support/hoshin-process.ts';
import { SERVER_NODE_FLAGS, withServerNodeFlags } from '../../src/cli/commands/serve.ts';

const BIN = fileURLToPath(new URL('../../bin/hoshin.js', import.meta.url));
const ADMIN_PASSWORD = 'workers-admin-password-01';
const STARTUP_MS = 90_000;

interface Answer {
  status: number;
  worker: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on a fresh connection (no keep-alive agent), so the cluster may pick either worker. */
function send(url: string, path: string, options: { method?: string; cookie?: string; form?: Record<string, string> } = {}): Promise<Answer> {
  const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, {
      method: options.method ?? 'GET',
      agent: false,
      headers: {
        connection: 'close',
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}),
      },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, worker: res.headers['x-hoshin-worker'] as string | undefined, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Asks until the worker that answers is (or is not) `worker`; round-robin makes this quick. */
async function sendVia(url: string, path: string, want: (worker: string | undefined) => boolean, options: Parameters<typeof send>[2] = {}): Promise<Answer> {
  for (let i = 0; i < 40; i++) {
    const answer = await send(url, path, options);
    if (want(answer.worker)) return answer;
  }
  throw new Error(`no answer from the wanted worker for ${path}`);
}

function hidden(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no ${name} field`);
  return m[1]!;
}

/** Cookies a response sets, as a Cookie header merged over `jar`. */
function cookies(answer: Answer, jar = ''): string {
  const map = new Map(jar.split('; ').filter(Boolean).map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)]));
  for (const c of (answer.headers['set-cookie'] as string[] | undefined) ?? []) {
    const pair = c.split(';')[0]!;
    map.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
  }
  return [...map].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** The node processes the primary forked (not helpers such as esbuild's service). */
function workerPids(primary: number): number[] {
  const children = readdirSync(`/proc/${primary}/task`).flatMap((t) => readFileSync(`/proc/${primary}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  return children.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('hoshin.js');
    } catch {
      return false;
    }
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function signIn(url: string, username: string, password: string): Promise<{ cookie: string; worker: string | undefined }> {
  const form = await send(url, '/signin');
  const jar = cookies(form);
  const answer = await send(url, '/signin', { method: 'POST', cookie: jar, form: { _csrf: hidden(form.body, '_csrf'), username, password, next: '/staff' } });
  expect(answer.status, answer.body).toBe(303);
  return { cookie: cookies(answer, jar), worker: answer.worker };
}

describeEachEngine('hoshin serve --workers 2', (engine: Engine) => {
  let dir: string;
  let store: SqlStore | undefined;
  let child: ChildProcess;
  let output = '';
  let url: string;
  let exited: Promise<number | null>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hoshin-workers-'));
    let databaseUrl = `sqlite:${join(dir, 'hoshin.sqlite')}`;
    if (engine === 'postgres') ({ store, url: databaseUrl } = await createTestDatabase('postgres'));
    child = spawn(process.execPath, [BIN, 'serve', '--workers', '2', '--port', '0'], {
      cwd: dir,
      env: { ...process.env, HOSHIN_DATABASE_URL: databaseUrl, HOSHIN_ADMIN_PASSWORD: ADMIN_PASSWORD, PORT: '', HOSHIN_WORKERS: '', HOSHIN_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), STARTUP_MS);
      child.stdout!.on('data', () => {
        const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m && output.includes('Ctrl+C')) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      void exited.then((code) => reject(new Error(`server exited with ${code}:\n${output}`)));
    });
  }, STARTUP_MS + 10_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      for (const pid of workerPids(child.pid!)) process.kill(pid, 'SIGKILL');
    }
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says it started two processes, once, with the first start\'s setup done once', () => {
    expect(output).toContain('(2 プロセス)');
    expect(output.match(/Hoshin を起動しました/g)).toHaveLength(1);
    expect(output.match(/サンプルの運営方針を公開しました/g)).toHaveLength(1);
    expect(output.match(/管理者アカウントを作成しました/g)).toHaveLength(1);
  });

  it('runs its workers with the server\'s V8 heap settings though the primary was started without them', () => {
    const pids = workerPids(child.pid!);
    expect(pids).toHaveLength(2);
    for (const pid of pids) {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      for (const flag of SERVER_NODE_FLAGS) expect(argv).toContain(flag);
    }
  });

  it('answers public requests from both workers', async () => {
    const seen = new Set<string | undefined>();
    for (let i = 0; i < 8; i++) {
      const answer = await send(url, i % 2 === 0 ? '/plans/nishi/2017' : '/api/v2/plans/nishi/2017');
      expect(answer.status).toBe(200);
      seen.add(answer.worker);
    }
    expect([...seen].sort()).toEqual(['1', '2']);
  });

  it('shows a write made through one worker through the other', async () => {
    // A session is a row: signed in through one worker, recognized by the other.
    const admin = await signIn(url, 'admin', ADMIN_PASSWORD);
    const staff = await sendVia(url, '/staff', (w) => w !== admin.worker, { cookie: admin.cookie });
    expect(staff.status).toBe(200);
    expect(staff.body).toContain('admin');

    // A user created through worker A is listed by worker B, and can sign in there.
    const adminPage = await send(url, '/admin', { cookie: admin.cookie });
    const created = await send(url, '/admin/users', {
      method: 'POST', cookie: admin.cookie,
      form: { _csrf: hidden(adminPage.body, '_csrf'), username: 'worker-planner', displayName: '企画担当(ワーカー試験)', role: 'planner', organizationId: '', password: 'worker-planner-password-1' },
    });
    expect(created.status, created.body).toBe(303);
    const listed = await sendVia(url, '/admin', (w) => w !== created.worker, { cookie: admin.cookie });
    expect(listed.status).toBe(200);
    expect(listed.body).toContain('worker-planner');
    const planner = await signIn(url, 'worker-planner', 'worker-planner-password-1');
    expect((await send(url, '/staff', { cookie: planner.cookie })).status).toBe(200);
  });

  it('starts a worker again when one crashes', async () => {
    const [victim] = workerPids(child.pid!);
    process.kill(victim!, 'SIGKILL');
    await expect.poll(() => output, { timeout: 20_000 }).toContain(`プロセス ${victim} が異常終了しました(シグナル SIGKILL)。起動し直します。`);
    await expect.poll(() => workerPids(child.pid!).filter((p) => p !== victim).length, { timeout: STARTUP_MS }).toBe(2);
    // The new worker has its own number; wait until it answers.
    await expect.poll(async () => (await send(url, '/plans/nishi/2017')).worker, { timeout: STARTUP_MS }).toBe('3');
  }, STARTUP_MS * 2);

  it('stops every worker on SIGTERM and exits 0', async () => {
    const workers = workerPids(child.pid!);
    expect(workers).toHaveLength(2);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('Hoshin を停止しました。');
    expect(workers.filter(alive)).toEqual([]);
  }, 30_000);
});

it('npm start passes the server\'s V8 heap settings, and an operator\'s own win', () => {
  expect(startScriptNodeFlags()).toEqual([...SERVER_NODE_FLAGS]);
  expect(withServerNodeFlags(['--max-old-space-size=2048', '--inspect'])).toEqual(['--max-old-space-size=2048', '--inspect', '--max-semi-space-size=2']);
  expect(withServerNodeFlags(['--max_semi_space_size=8'])).toEqual(['--max_semi_space_size=8', '--max-old-space-size=512']);
});

it('refuses a bad --workers with a Japanese usage error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoshin-workers-usage-'));
  try {
    for (const bad of ['0', '65', 'many', '-1']) {
      const run = await runHoshin(dir, `sqlite:${join(dir, 'never.sqlite')}`, ['serve', `--workers=${bad}`]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`プロセス数(--workers)が不正です: ${bad}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('refuses a bad HOSHIN_PUBLIC_CACHE_MB before opening anything', async () => {
  for (const bad of ['0', 'lots', '-5', '999999']) {
    let stderr = '';
    const code = await main(['serve'], { stdout: () => {}, stderr: (s) => (stderr += s), isTTY: false, cwd: tmpdir(), env: { HOSHIN_PUBLIC_CACHE_MB: bad } });
    expect(code, bad).toBe(2);
    expect(stderr).toContain(`HOSHIN_PUBLIC_CACHE_MB が不正です: ${bad}`);
  }
});

it('refuses a bad HOSHIN_READ_TIMEOUT_S or HOSHIN_READ_MEMORY_MB before opening anything', async () => {
  for (const [name, bad] of [['HOSHIN_READ_TIMEOUT_S', '0'], ['HOSHIN_READ_TIMEOUT_S', 'soon'], ['HOSHIN_READ_MEMORY_MB', '-64']] as const) {
    let stderr = '';
    const code = await main(['serve'], { stdout: () => {}, stderr: (s) => (stderr += s), isTTY: false, cwd: tmpdir(), env: { [name]: bad } });
    expect(code, bad).toBe(2);
    expect(stderr).toContain(`${name} は正の数で指定してください`);
  }
});

it('exits 1 with the reason when the workers cannot open the database', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoshin-workers-bad-'));
  try {
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [BIN, 'serve', '--workers', '2', '--port', '0'], { cwd: dir, env: { ...process.env, HOSHIN_DATABASE_URL: 'nosuch:engine', HOSHIN_DEBUG: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      p.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('hoshin serve: データベースを開けません: HOSHIN_DATABASE_URL は sqlite:パス か postgres://… で指定してください: nosuch:engine');
    expect(run.stderr).toContain('プロセスを起動できませんでした(終了コード 1)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, STARTUP_MS);
