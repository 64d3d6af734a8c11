/**
 * Mixed load and crash-under-load against the real server (issue 11, points 3 and 4):
 * `hoshin serve` as a child process on a fresh database, residents reading the public
 * pages and editors saving through the staff form as a browser would, and an oracle that
 * replays every stored revision against the editors' own log of what they were told.
 *
 * Shared by the long runs (bench/mixed/run.ts, bench/mixed/crash.ts) and the short ones
 * in `npm test` (test/load/). Nothing here asserts time: latencies are reported, never
 * judged; what is judged is correctness (no 5xx, no lost, reverted, half or refused write
 * stored, an integrity check that passes).
 */
import { applySetCookies } from './cookies.ts';
import { startScriptNodeFlags } from './hoshin-process.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plan } from '../../src/domain/plan.ts';
import { createTestDatabase, type Engine, type TestStore } from '../../src/store/index.ts';
import { OSAKA_WARDS } from '../../src/store/presets/osaka.ts';
import { formFieldsOf, hiddenValue } from '../server/harness.ts';
import { mulberry32 } from './build-plan.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/hoshin.js');
const SEED = join(ROOT, 'test/fixtures/text/osaka-nishi-2017.txt');
const SEED_WARD = '西区';
const FISCAL_YEAR = 2017;
const ADMIN_PASSWORD = 'load-admin-password-0001';
const EDITOR_PASSWORD = 'load-editor-password-0001';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A promise with its resolve (Promise.withResolvers is Node 22+). */
function gate(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

// ---------------------------------------------------------------- the CLI and the server

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node bin/hoshin.js ARGS` on a database, as an operator runs it. */
export async function runHoshin(args: string[], databaseUrl: string, cwd: string): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, HOSHIN_DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** Reads one field (in kB) of /proc/PID/status; 0 where there is no /proc. */
function procStatusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** User + system CPU seconds of a process so far (fields 14 and 15 of /proc/PID/stat, in ticks of 1/100 s). */
function procCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * `hoshin serve` in a child process, restartable on the same database (a new port each
 * start: clients read `url` afresh). Its peak resident memory is read from VmHWM before
 * every stop or kill, so a run over several processes reports the highest of them.
 */
export class HoshinServer {
  url = '';
  starts = 0;
  peakRssKb = 0;
  /** CPU time (user + system) of the processes stopped so far. */
  cpuSeconds = 0;
  /** Everything the processes printed, for a failure's message. */
  output = '';
  private child: ChildProcess | undefined;
  private exited: Promise<unknown> = Promise.resolve();
  private up = gate();

  constructor(readonly databaseUrl: string, readonly cwd: string) {}

  /** Resolves once the server answers (at once while it runs): clients wait here while it is down instead of hammering a closed port. */
  whenUp(): Promise<void> {
    return this.up.promise;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [...startScriptNodeFlags(), BIN, 'serve', '--port', '0'], {
      cwd: this.cwd,
      env: { ...process.env, HOSHIN_DATABASE_URL: this.databaseUrl, HOSHIN_ADMIN_PASSWORD: ADMIN_PASSWORD, PORT: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts++;
    let printed = '';
    const keep = (d: Buffer) => {
      printed += d.toString();
      // Bounded: a run of internal errors must not grow the harness without end.
      if (this.output.length < 1_000_000) this.output += d.toString();
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = once(child, 'exit');
    this.url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`hoshin serve did not start in 60 s:\n${printed}`)), 60_000);
      const check = () => {
        const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(printed);
        if (m && printed.includes('Ctrl+C')) {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          resolve(m[1]!);
          this.up.resolve();
        }
      };
      child.stdout!.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`hoshin serve exited with ${code}:\n${printed}`));
      });
    });
  }

  /** The current process's resident memory now, in kB (0 when not running). */
  rssKb(): number {
    return this.child?.pid && this.child.exitCode === null ? procStatusKb(this.child.pid, 'VmRSS') : 0;
  }

  private notePeak(): void {
    if (this.child?.pid && this.child.exitCode === null) {
      this.peakRssKb = Math.max(this.peakRssKb, procStatusKb(this.child.pid, 'VmHWM'));
      this.cpuSeconds += procCpuSeconds(this.child.pid);
    }
  }

  /** SIGKILL (a crash) or SIGTERM (a clean stop); resolves once the process is gone. */
  async kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.notePeak();
    this.up = gate();
    this.child.kill(signal);
    await this.exited;
  }
}

// ---------------------------------------------------------------- HTTP

export interface Answer {
  status: number;
  location: string | undefined;
  setCookies: string[];
  body: string;
  bytes: number;
  ms: number;
}

/** No answer at all: refused, reset or timed out (the server is down or was killed). */
export class NoAnswer extends Error {}

/** One request over a keep-alive agent; the body is kept only when asked for (readers just count bytes). */
export function send(agent: Agent, url: string, init: { method?: string; headers?: Record<string, string>; body?: string; keepBody?: boolean; timeoutMs?: number } = {}): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
    const req = httpRequest(url, { agent, method: init.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (d: Buffer) => {
        bytes += d.length;
        if (init.keepBody) chunks.push(d);
      });
      res.on('end', () => resolve({
        status: res.statusCode ?? 0,
        location: res.headers.location,
        setCookies: res.headers['set-cookie'] ?? [],
        body: init.keepBody ? Buffer.concat(chunks).toString('utf8') : '',
        bytes,
        ms: performance.now() - started,
      }));
      res.on('error', (e) => reject(new NoAnswer(e.message)));
    });
    req.setTimeout(init.timeoutMs ?? 60_000, () => req.destroy(new Error('timed out')));
    req.on('error', (e) => reject(new NoAnswer(e.message)));
    req.end(init.body);
  });
}

/** One person's browser: cookies, the CSRF token of the forms it was shown, same-origin posts. */
export class BrowserSession {
  private cookies = new Map<string, string>();

  constructor(private readonly server: { url: string }, private readonly agent: Agent) {}

  async request(path: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers['cookie'] = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['origin'] = this.server.url;
    }
    const answer = await send(this.agent, `${this.server.url}${path}`, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, keepBody: true });
    applySetCookies(this.cookies, answer.setCookies);
    return answer;
  }

  /** Signs in through the form (its CSRF token first); throws unless the server says 303. */
  async signIn(username: string, password: string): Promise<void> {
    const form = await this.request('/signin');
    const answer = await this.request('/signin', { form: { _csrf: hiddenValue(form.body, '_csrf'), username, password, next: '/staff' } });
    if (answer.status !== 303) throw new Error(`sign-in as ${username} answered ${answer.status}`);
  }
}

// ---------------------------------------------------------------- the world under load

export interface LoadPlan {
  planId: number;
  slug: string;
  name: string;
  /** Paths of its initiatives, in document order: editor slot k edits the k-th. */
  initiatives: string[];
}

export interface LoadEditor {
  index: number;
  username: string;
  /** In markers: 〔e3#17〕 is editor 3's 17th write. */
  tag: string;
  plan: LoadPlan;
  /** The initiative this editor alone edits (title and budget, together). */
  initiative: string;
  session: BrowserSession;
}

export interface LoadWorld {
  engine: Engine;
  db: TestStore;
  server: HoshinServer;
  plans: LoadPlan[];
  editors: LoadEditor[];
  /** Published public paths of every plan (readers pick among them). */
  slugs: string[];
  oracle: WriteOracle;
  close(): Promise<void>;
}

export interface WorldOptions {
  engine: Engine;
  editors: number;
  /** Ward plans; editors are dealt round-robin, so with fewer plans than editors some share one. Default ⌈0.6 × editors⌉. */
  plans?: number;
}

function initiativePaths(plan: Plan): string[] {
  const out: string[] = [];
  plan.issues.forEach((issue, i) => issue.strategies.forEach((strategy, s) => strategy.initiatives.forEach((_, k) => out.push(`issues[${i}].strategies[${s}].initiatives[${k}]`))));
  return out;
}

/**
 * A fresh database (a temporary SQLite file, or a new schema in HOSHIN_TEST_PG_URL) with
 * one published plan per ward (the seed with the ward's name, imported through `hoshin
 * import --publish`), the server started on it, and the editors created by the
 * administrator through /admin and signed in, each in a browser session of their own.
 */
export async function createLoadWorld(options: WorldOptions): Promise<LoadWorld> {
  const wards = OSAKA_WARDS.filter((w) => w.name !== SEED_WARD);
  const planCount = options.plans ?? Math.max(1, Math.ceil(options.editors * 0.6));
  if (planCount > wards.length) throw new Error(`at most ${wards.length} ward plans`);
  const db = await createTestDatabase(options.engine);
  const dir = mkdtempSync(join(tmpdir(), 'hoshin-load-'));
  const server = new HoshinServer(db.url, dir);
  const agent = new Agent({ keepAlive: true });
  const close = async () => {
    await server.kill('SIGTERM');
    agent.destroy();
    await db.store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const seed = readFileSync(SEED, 'utf8');
    const files = wards.slice(0, planCount).map((w) => {
      const file = join(dir, `${w.slug}-${FISCAL_YEAR}.txt`);
      writeFileSync(file, seed.replaceAll(SEED_WARD, w.name));
      return file;
    });
    const imported = await runHoshin(['import', ...files, '--publish', '--quiet'], db.url, dir);
    if (imported.code !== 0) throw new Error(`hoshin import failed (${imported.code}):\n${imported.stderr}`);
    await server.start();

    const plans: LoadPlan[] = [];
    for (const w of wards.slice(0, planCount)) {
      const org = await db.store.findOrganization(w.slug);
      const summary = org && (await db.store.findPlan(org.id, FISCAL_YEAR));
      const revision = summary && (await db.store.getRevision(summary.id));
      if (!summary || !revision) throw new Error(`${w.name}: the imported plan is missing`);
      plans.push({ planId: summary.id, slug: w.slug, name: w.name, initiatives: initiativePaths(revision.plan) });
    }

    // The administrator creates the editors as a person would, through /admin.
    const admin = new BrowserSession(server, agent);
    await admin.signIn('admin', ADMIN_PASSWORD);
    const adminPage = (await admin.request('/admin')).body;
    const csrf = hiddenValue(adminPage, '_csrf');
    const orgId = (name: string) => {
      const m = new RegExp(`<option value="(\\d+)">${name}</option>`).exec(adminPage);
      if (!m) throw new Error(`no organization ${name} on /admin`);
      return m[1]!;
    };
    const editors: LoadEditor[] = [];
    for (let i = 0; i < options.editors; i++) {
      const plan = plans[i % planCount]!;
      const slot = Math.floor(i / planCount);
      const initiative = plan.initiatives[slot];
      if (initiative === undefined) throw new Error(`${options.editors} editors on ${planCount} plans: more editors per plan than its ${plan.initiatives.length} initiatives`);
      const username = `load-editor-${String(i).padStart(2, '0')}`;
      const created = await admin.request('/admin/users', {
        form: { _csrf: csrf, username, displayName: `負荷試験 編集者${i}`, role: 'editor', organizationId: orgId(plan.name), password: EDITOR_PASSWORD },
      });
      if (created.status !== 303) throw new Error(`creating ${username} answered ${created.status}`);
      // One after another: simultaneous sign-ins from one address count against its limit.
      const session = new BrowserSession(server, agent);
      await session.signIn(username, EDITOR_PASSWORD);
      editors.push({ index: i, username, tag: `e${i}`, plan, initiative, session });
    }
    const oracle = await WriteOracle.create(db, plans, editors);
    return { engine: options.engine, db, server, plans, editors, slugs: plans.map((p) => p.slug), oracle, close };
  } catch (e) {
    await close();
    throw e;
  }
}

// ---------------------------------------------------------------- measurements

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export class Latencies {
  private values: number[] = [];

  add(ms: number): void {
    this.values.push(ms);
  }

  get count(): number {
    return this.values.length;
  }

  summary(): LatencySummary {
    const sorted = Float64Array.from(this.values).sort();
    const at = (q: number) => (sorted.length === 0 ? 0 : Number(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!.toFixed(1)));
    return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
  }

  static merge(all: Latencies[]): Latencies {
    const out = new Latencies();
    // Not push(...values): a minute of reads is more values than a call has arguments.
    for (const l of all) for (const v of l.values) out.values.push(v);
    return out;
  }
}

// ---------------------------------------------------------------- the editors' log

export type WriteStatus =
  /** 303 to the plan with ?saved=N: the server said it is stored as revision N. */
  | 'acked'
  /** 409, the conflict screen: nothing stored, the user must choose. Not an acknowledgement. */
  | 'conflict'
  /** No answer (the server was killed): stored whole or not at all, either is right. */
  | 'unknown'
  /** Any other answer (4xx, 5xx, 303 ?unchanged for a change): a failure of the run. */
  | 'failed'
  | 'pending';

export interface WriteRecord {
  key: string;
  editor: LoadEditor;
  seq: number;
  target: 'initiative' | 'goal';
  /** The marked title (initiative) or goal, and the initiative's budget that goes with the mark. */
  text: string;
  budget?: number;
  status: WriteStatus;
  revision?: number;
  merged?: boolean;
  answer?: string;
}

const MARK = /〔(e\d+)#(\d+)〕$/;
const mark = (tag: string, seq: number) => `〔${tag}#${seq}〕`;
const unmarked = (s: string) => s.replace(MARK, '');
/** The budget written with a title mark: the pair lets a half-stored write show. */
const budgetFor = (seq: number) => 100_000 + seq;

// ---------------------------------------------------------------- the load

export interface LoadOptions {
  readers: number;
  /** Share of writes that edit the plan's goal, which editors of the same plan share: some conflict. */
  goalShare?: number;
  /** True when the server is being killed: no answer is then expected now and then, not a failure. */
  crashes?: boolean;
  seed?: number;
}

export interface LoadStats {
  seconds: number;
  reads: Record<string, Latencies>;
  readStatus: Record<string, number>;
  form: Latencies;
  save: Latencies;
  follow: Latencies;
  /** Requests with no answer (refused, reset): expected only while the server is down. */
  noAnswer: number;
  fiveXX: number;
  failures: string[];
  writes: WriteRecord[];
  /** The slowest answered requests: what, when they started (s into the run), how long. */
  slowest: { what: string; startedAt: number; ms: number }[];
}

const READS: { kind: string; weight: number; path: (slug: string, n: number) => string }[] = [
  { kind: 'plan page', weight: 45, path: (slug) => `/plans/${slug}/${FISCAL_YEAR}` },
  { kind: 'plan JSON', weight: 25, path: (slug) => `/api/v2/plans/${slug}/${FISCAL_YEAR}` },
  { kind: 'home', weight: 20, path: () => '/' },
  // There is no search page: the paged list of published plans is the closest query.
  { kind: 'plan list', weight: 10, path: (_, n) => `/api/v2/plans?limit=5&offset=${n % 10}` },
];

/**
 * A few requests of every kind, one at a time, before the clock starts: a fresh process
 * compiles each page's code on first use, and that once-only cost is not the load's.
 */
export async function warmUp(world: LoadWorld): Promise<void> {
  const agent = new Agent({ keepAlive: true });
  try {
    for (let i = 0; i < 3; i++) {
      for (const read of READS) await send(agent, `${world.server.url}${read.path(world.slugs[i % world.slugs.length]!, i)}`);
    }
    for (const ed of world.editors) await ed.session.request(`/staff/plans/${ed.plan.planId}/edit`);
  } finally {
    agent.destroy();
  }
}

export interface RunningLoad {
  stats: LoadStats;
  /** Seconds since the load started. */
  elapsed(): number;
  /** Stops every client after its current request and gives the figures. */
  stop(): Promise<LoadStats>;
}

export function startLoad(world: LoadWorld, options: LoadOptions): RunningLoad {
  const random = mulberry32(options.seed ?? 11);
  const goalShare = options.goalShare ?? 0.2;
  const readerAgent = new Agent({ keepAlive: true });
  const stats: LoadStats = {
    seconds: 0, reads: Object.fromEntries(READS.map((r) => [r.kind, new Latencies()])), readStatus: {},
    form: new Latencies(), save: new Latencies(), follow: new Latencies(), noAnswer: 0, fiveXX: 0, failures: [], writes: [], slowest: [],
  };
  // The few slowest requests with when they started, to tell a tail from a restart or a stall.
  const noteSlow = (what: string, ms: number) => {
    if (stats.slowest.length >= 8 && ms <= stats.slowest.at(-1)!.ms) return;
    const startedAt = Number(((performance.now() - ms - started) / 1000).toFixed(1));
    stats.slowest.push({ what, startedAt, ms: Math.round(ms) });
    stats.slowest.sort((a, b) => b.ms - a.ms);
    stats.slowest.length = Math.min(stats.slowest.length, 8);
  };
  let stopped = false;
  const started = performance.now();
  const fail = (message: string) => {
    if (stats.failures.length < 200) stats.failures.push(message);
  };
  const noAnswer = async (what: string, e: unknown) => {
    if (!(e instanceof NoAnswer)) throw e;
    stats.noAnswer++;
    if (!options.crashes) {
      fail(`${what}: no answer (${e.message})`);
      await sleep(50);
    } else {
      // Down: wait for the restart rather than burn the CPU the restart needs.
      await Promise.race([world.server.whenUp(), sleep(5000)]);
      await sleep(10);
    }
  };
  const totalWeight = READS.reduce((s, r) => s + r.weight, 0);

  async function reader(n: number): Promise<void> {
    for (let i = n; !stopped; i++) {
      let pick = random() * totalWeight;
      const read = READS.find((r) => (pick -= r.weight) < 0) ?? READS[0]!;
      const path = read.path(world.slugs[Math.floor(random() * world.slugs.length)]!, i);
      try {
        const a = await send(readerAgent, `${world.server.url}${path}`);
        stats.readStatus[a.status] = (stats.readStatus[a.status] ?? 0) + 1;
        if (a.status >= 500) stats.fiveXX++;
        if (a.status !== 200) fail(`GET ${path}: ${a.status}`);
        else {
          stats.reads[read.kind]!.add(a.ms);
          noteSlow(`GET ${path}`, a.ms);
        }
      } catch (e) {
        await noAnswer(`GET ${path}`, e);
      }
    }
  }

  async function editor(ed: LoadEditor): Promise<void> {
    const editRandom = mulberry32((options.seed ?? 11) * 100 + ed.index);
    const action = `/staff/plans/${ed.plan.planId}/edit`;
    let seq = 0;
    while (!stopped) {
      let fields: Record<string, string>;
      try {
        const form = await ed.session.request(action);
        if (form.status >= 500) stats.fiveXX++;
        if (form.status !== 200) {
          fail(`${ed.username} GET ${action}: ${form.status}`);
          await sleep(100);
          continue;
        }
        stats.form.add(form.ms);
        noteSlow(`${ed.username} GET ${action}`, form.ms);
        fields = formFieldsOf(form.body, action);
      } catch (e) {
        await noAnswer(`${ed.username} GET ${action}`, e);
        continue;
      }
      seq++;
      const write: WriteRecord = editRandom() < goalShare
        ? { key: `${ed.tag}#${seq}`, editor: ed, seq, target: 'goal', text: `${unmarked(fields['goal'] ?? '')}${mark(ed.tag, seq)}`, status: 'pending' }
        : { key: `${ed.tag}#${seq}`, editor: ed, seq, target: 'initiative', text: `${unmarked(fields[`${ed.initiative}.title`] ?? '')}${mark(ed.tag, seq)}`, budget: budgetFor(seq), status: 'pending' };
      if (write.target === 'goal') fields['goal'] = write.text;
      else {
        fields[`${ed.initiative}.title`] = write.text;
        fields[`${ed.initiative}.budgetThousandYen`] = String(write.budget);
      }
      stats.writes.push(write);
      let answer: Answer;
      try {
        answer = await ed.session.request(action, { form: { ...fields, action: 'save' } });
      } catch (e) {
        write.status = 'unknown';
        await noAnswer(`${ed.username} POST ${action} (${write.key})`, e);
        continue;
      }
      stats.save.add(answer.ms);
      noteSlow(`${ed.username} POST ${action}`, answer.ms);
      write.answer = `${answer.status}${answer.location ? ` ${answer.location}` : ''}`;
      const saved = answer.status === 303 ? /[?&]saved=(\d+)/.exec(answer.location ?? '') : null;
      if (saved) {
        write.status = 'acked';
        write.revision = Number(saved[1]);
        write.merged = /[?&]merged=1/.test(answer.location!);
      } else if (answer.status === 409 && write.target === 'goal') {
        write.status = 'conflict';
      } else {
        write.status = 'failed';
        if (answer.status >= 500) stats.fiveXX++;
        fail(`${ed.username} POST ${action} (${write.key}, ${write.target}): ${write.answer}`);
      }
      if (write.status === 'acked') {
        // Follow the redirect, as the browser does: the plan's page with what happened.
        try {
          const page = await ed.session.request(answer.location!);
          if (page.status >= 500) stats.fiveXX++;
          if (page.status !== 200) fail(`${ed.username} GET ${answer.location}: ${page.status}`);
          else stats.follow.add(page.ms);
        } catch (e) {
          await noAnswer(`${ed.username} GET ${answer.location}`, e);
        }
      }
    }
  }

  const loops = [
    ...Array.from({ length: options.readers }, (_, n) => reader(n)),
    ...world.editors.map((ed) => editor(ed)),
  ];
  return {
    stats,
    elapsed: () => Number(((performance.now() - started) / 1000).toFixed(1)),
    async stop() {
      stopped = true;
      await Promise.all(loops);
      readerAgent.destroy();
      stats.seconds = (performance.now() - started) / 1000;
      return stats;
    },
  };
}

// ---------------------------------------------------------------- the oracle

function getPath(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[m[2] ?? m[1]!];
  }
  return node;
}

function setPath(root: unknown, path: string, value: unknown): void {
  const parts = [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => m[2] ?? m[1]!);
  let node = root as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) node = node[p] as Record<string, unknown>;
  node[parts.at(-1)!] = value;
}

interface PlanTrack {
  plan: LoadPlan;
  /** The newest revision checked so far, and its plan. */
  checked: number;
  last: Plan;
  /** The plan with every field the editors write blanked: what no save may change. */
  rest: string;
}

export interface OracleReport {
  /** Revisions replayed in this call. */
  revisionsChecked: number;
  problems: string[];
  /** Writes found stored, by their status when found (an unknown one that landed, an acked one). */
  applied: number;
}

/**
 * Replays every revision the editors made, in order, against their log. Each revision
 * after the import must carry exactly one write, whole (title and budget together), that
 * the server either acknowledged with that very revision number or never answered (killed
 * in flight); every other field stays as imported; each editor's writes land in the order
 * made; and every acknowledged write is found at its revision. So an acknowledged edit
 * that is missing, reverted by a later revision, half stored, or a refused one stored, all
 * show. Revisions never change, so each call replays only those new since the last one.
 */
export class WriteOracle {
  private tracks: PlanTrack[] = [];
  /** write key → the revision it was found in. */
  private applied = new Map<string, number>();
  private lastSeq = new Map<string, number>();
  /** Revisions replayed over all calls. */
  revisionsChecked = 0;

  private constructor(private readonly db: TestStore, private readonly editors: LoadEditor[]) {}

  static async create(db: TestStore, plans: LoadPlan[], editors: LoadEditor[]): Promise<WriteOracle> {
    const oracle = new WriteOracle(db, editors);
    for (const plan of plans) {
      const revision = (await db.store.getRevision(plan.planId))!;
      oracle.tracks.push({ plan, checked: revision.number, last: revision.plan, rest: oracle.rest(plan, revision.plan) });
    }
    return oracle;
  }

  private tracked(plan: LoadPlan): string[] {
    return ['goal', ...plan.initiatives.flatMap((p) => [`${p}.title`, `${p}.budgetThousandYen`])];
  }

  private rest(plan: LoadPlan, p: Plan): string {
    const copy = structuredClone(p);
    for (const path of this.tracked(plan)) setPath(copy, path, null);
    return JSON.stringify(copy);
  }

  /** Whether a write was found in some revision (so far). */
  isApplied(key: string): boolean {
    return this.applied.has(key);
  }

  /** The newest revision's value of a field of a plan, as replayed. */
  value(planId: number, path: string): unknown {
    const track = this.tracks.find((t) => t.plan.planId === planId)!;
    return getPath(track.last, path);
  }

  async verify(writes: WriteRecord[]): Promise<OracleReport> {
    const byKey = new Map(writes.map((w) => [w.key, w]));
    const problems: string[] = [];
    let revisionsChecked = 0;
    for (const track of this.tracks) {
      const { plan } = track;
      const newest = (await this.db.store.getRevision(plan.planId))!.number;
      for (let n = track.checked + 1; n <= newest; n++) {
        const revision = await this.db.store.getRevision(plan.planId, n);
        const where = `${plan.name} revision ${n}`;
        if (!revision) {
          problems.push(`${where}: missing`);
          continue;
        }
        revisionsChecked++;
        this.revisionsChecked++;
        const before = track.last;
        const after = revision.plan;
        const changed = this.tracked(plan).filter((path) => JSON.stringify(getPath(before, path) ?? null) !== JSON.stringify(getPath(after, path) ?? null));
        const rest = this.rest(plan, after);
        if (rest !== track.rest) problems.push(`${where}: a field no editor wrote has changed`);
        track.last = after;
        track.checked = n;
        track.rest = rest;
        const keys = new Set<string>();
        for (const path of changed) {
          if (path.endsWith('.budgetThousandYen')) continue;
          const m = MARK.exec(String(getPath(after, path) ?? ''));
          if (!m) {
            problems.push(`${where}: ${path} changed to a value no editor wrote: ${JSON.stringify(getPath(after, path))}`);
            continue;
          }
          keys.add(`${m[1]}#${m[2]}`);
          if (path.endsWith('.title')) {
            const initiative = path.slice(0, -'.title'.length);
            const budget = getPath(after, `${initiative}.budgetThousandYen`);
            if (budget !== budgetFor(Number(m[2]))) problems.push(`${where}: half a write: ${path} carries ${m[0]} but the budget is ${JSON.stringify(budget)}`);
          }
        }
        for (const path of changed.filter((p) => p.endsWith('.budgetThousandYen'))) {
          if (!changed.includes(path.replace(/budgetThousandYen$/, 'title'))) problems.push(`${where}: half a write: ${path} changed without its title`);
        }
        if (keys.size !== 1) {
          problems.push(`${where}: ${keys.size === 0 ? 'stores no write' : `stores ${keys.size} writes at once (${[...keys].join(', ')})`}`);
          continue;
        }
        const key = [...keys][0]!;
        const write = byKey.get(key);
        if (!write) {
          problems.push(`${where}: carries ${key}, which no editor wrote`);
          continue;
        }
        const field = write.target === 'goal' ? 'goal' : `${write.editor.initiative}.title`;
        if (write.editor.plan.planId !== plan.planId || !changed.includes(field) || getPath(after, field) !== write.text) {
          problems.push(`${where}: ${key} stored somewhere other than where its editor wrote it`);
        }
        if (this.applied.has(key)) problems.push(`${where}: ${key} stored twice (first in revision ${this.applied.get(key)})`);
        this.applied.set(key, n);
        const previous = this.lastSeq.get(write.editor.tag) ?? 0;
        if (write.seq <= previous) problems.push(`${where}: ${key} lands after the same editor's later write #${previous} (reverted)`);
        this.lastSeq.set(write.editor.tag, Math.max(previous, write.seq));
        if (write.status === 'acked' && write.revision !== n) problems.push(`${where}: ${key} was acknowledged as revision ${write.revision}`);
        if (write.status === 'conflict' || write.status === 'failed') problems.push(`${where}: ${key} was refused (${write.answer}) yet stored`);
      }
    }
    for (const w of writes) {
      if (w.status === 'acked' && this.applied.get(w.key) !== w.revision) {
        problems.push(`${w.editor.plan.name}: ${w.key} acknowledged as revision ${w.revision} is ${this.applied.has(w.key) ? `in revision ${this.applied.get(w.key)}` : 'missing'} (lost)`);
      }
    }
    return { revisionsChecked, problems, applied: this.applied.size };
  }

  /**
   * Each editor opens the form again and reads its own field and the goal: what the
   * newest revision holds, which is its last acknowledged write or a later unanswered one.
   */
  async rereadByEditors(writes: WriteRecord[]): Promise<string[]> {
    const problems: string[] = [];
    for (const ed of this.editors) {
      const action = `/staff/plans/${ed.plan.planId}/edit`;
      const form = await ed.session.request(action);
      if (form.status !== 200) {
        problems.push(`${ed.username}: the form answered ${form.status}`);
        continue;
      }
      const fields = formFieldsOf(form.body, action);
      for (const path of [`${ed.initiative}.title`, `${ed.initiative}.budgetThousandYen`, 'goal']) {
        const stored = this.value(ed.plan.planId, path);
        // A budget the import left without an amount shows as the form's own placeholder.
        if (typeof stored !== 'string' && typeof stored !== 'number') continue;
        if (fields[path] !== String(stored)) problems.push(`${ed.username}: the form shows ${path} = ${JSON.stringify(fields[path])}, the newest revision ${JSON.stringify(stored)}`);
      }
      const lastAcked = writes.filter((w) => w.editor === ed && w.target === 'initiative' && w.status === 'acked').at(-1);
      const m = MARK.exec(fields[`${ed.initiative}.title`] ?? '');
      const shown = m && m[1] === ed.tag ? Number(m[2]) : 0;
      if (lastAcked && shown < lastAcked.seq) problems.push(`${ed.username}: its last acknowledged write #${lastAcked.seq} is not what the form shows (#${shown})`);
      if (shown > (lastAcked?.seq ?? 0)) {
        const w = writes.find((x) => x.editor === ed && x.seq === shown);
        if (w?.status !== 'unknown') problems.push(`${ed.username}: the form shows #${shown}, which was ${w?.status ?? 'never written'}`);
      }
    }
    return problems;
  }
}

// ---------------------------------------------------------------- reports

export interface WriteCounts {
  attempted: number;
  acked: number;
  merged: number;
  conflicts: number;
  unknown: number;
  failed: number;
}

export function countWrites(writes: WriteRecord[]): WriteCounts {
  const n = (s: WriteStatus) => writes.filter((w) => w.status === s).length;
  return {
    attempted: writes.length, acked: n('acked'), merged: writes.filter((w) => w.merged).length,
    conflicts: n('conflict'), unknown: n('unknown') + n('pending'), failed: n('failed'),
  };
}

export interface LoadSummary {
  seconds: number;
  reads: { count: number; perSecond: number; all: LatencySummary; byKind: Record<string, LatencySummary>; status: Record<string, number> };
  writes: WriteCounts & { perSecond: number; save: LatencySummary; form: LatencySummary; follow: LatencySummary };
  noAnswer: number;
  fiveXX: number;
  failures: string[];
  slowest: LoadStats['slowest'];
}

export function summarize(stats: LoadStats): LoadSummary {
  const all = Latencies.merge(Object.values(stats.reads));
  const counts = countWrites(stats.writes);
  return {
    seconds: Number(stats.seconds.toFixed(1)),
    reads: {
      count: all.count, perSecond: Math.round(all.count / stats.seconds), all: all.summary(),
      byKind: Object.fromEntries(Object.entries(stats.reads).map(([k, l]) => [k, l.summary()])), status: stats.readStatus,
    },
    writes: { ...counts, perSecond: Number((counts.acked / stats.seconds).toFixed(1)), save: stats.save.summary(), form: stats.form.summary(), follow: stats.follow.summary() },
    noAnswer: stats.noAnswer,
    fiveXX: stats.fiveXX,
    failures: stats.failures.slice(0, 20),
    slowest: stats.slowest,
  };
}

// ---------------------------------------------------------------- the two scenarios

export interface MixedReport extends LoadSummary {
  engine: Engine;
  readers: number;
  editors: number;
  plans: number;
  sharedPlans: number;
  peakRssMB: number;
  /** The server's CPU seconds over the run (warm-up and set-up included), against the run's wall seconds. */
  serverCpuSeconds: number;
  revisionsChecked: number;
  oracleProblems: string[];
}

/** Point 3: readers and editors for `seconds` against one warmed-up server, then the oracle and each editor's re-read. */
/** After a run: the oracle over every revision, each editor's own re-read, the server stopped, the report. */
async function finishRun(world: LoadWorld, options: LoadOptions, stats: LoadStats, earlierProblems: string[]): Promise<MixedReport> {
  const oracle = await world.oracle.verify(stats.writes);
  const reread = await world.oracle.rereadByEditors(stats.writes);
  await world.server.kill('SIGTERM');
  return {
    engine: world.engine, readers: options.readers, editors: world.editors.length, plans: world.plans.length,
    sharedPlans: world.plans.filter((p) => world.editors.filter((e) => e.plan === p).length > 1).length,
    ...summarize(stats),
    peakRssMB: Math.round(world.server.peakRssKb / 1024),
    serverCpuSeconds: Number(world.server.cpuSeconds.toFixed(1)),
    revisionsChecked: world.oracle.revisionsChecked,
    oracleProblems: [...earlierProblems, ...oracle.problems, ...reread],
  };
}

export async function runMixed(world: LoadWorld, options: LoadOptions & { seconds: number }): Promise<MixedReport> {
  await warmUp(world);
  const load = startLoad(world, options);
  await sleep(options.seconds * 1000);
  return finishRun(world, options, await load.stop(), []);
}

export interface KillRecord {
  kill: number;
  /** At a random moment, or just after a save in flight was seen committed (else at the random moment). */
  timing: 'random' | 'just after a commit';
  /** Seconds into the load. */
  at: number;
  /** Writes acknowledged so far, all found by the oracle after this kill. */
  ackedSoFar: number;
  /** Saves in flight at the kill that had no answer. */
  inFlight: number;
  integrity: { code: number | null; output: string };
  oracleProblems: string[];
  downSeconds: number;
}

export interface CrashReport extends MixedReport {
  kills: KillRecord[];
  restarts: number;
  /** Editors with a save acknowledged after the last restart (all of them, unless the server stopped taking saves). */
  editorsSavedAfterLastRestart: number;
  /** Saves that got no answer (cut off by a kill): how many the database holds, whole, and how many it does not hold at all. */
  unanswered: { stored: number; absent: number };
}

/**
 * Polls the plans' newest revision numbers (a few ms apart) from `from` until `deadline`,
 * and returns as soon as one grows while a save to that plan still awaits its answer: the
 * moment to kill for a save committed but not yet answered. 'random' when none is seen.
 */
async function killAfterCommit(world: LoadWorld, writes: WriteRecord[], from: number, deadline: number): Promise<KillRecord['timing']> {
  await sleep(from - performance.now());
  const current = async () => new Map((await world.db.store.listPlans()).map((p) => [p.id, p.currentRevision]));
  let seen = await current();
  while (performance.now() < deadline) {
    await sleep(3);
    const now = await current();
    for (const [planId, revision] of now) {
      if (revision > (seen.get(planId) ?? 0) && writes.some((w) => w.status === 'pending' && w.editor.plan.planId === planId)) return 'just after a commit';
    }
    seen = now;
  }
  return 'random';
}

/**
 * Point 4: the mixed load, with the server killed by SIGKILL `kills` times, after a random
 * uptime each. After each kill, with the server down: `hoshin db check` on the database
 * and the oracle over every revision made so far; then a restart on the same database,
 * the clients carrying on (their sessions live in the database).
 */
export async function runCrash(world: LoadWorld, options: LoadOptions & { kills: number; minUpMs?: number; maxUpMs?: number; onKill?: (k: KillRecord) => void }): Promise<CrashReport> {
  const random = mulberry32((options.seed ?? 11) + 7);
  // Long enough after a restart for saves to finish on a loaded machine: a kill that only
  // ever cuts saves off checks nothing acknowledged.
  const minUp = options.minUpMs ?? 3000;
  const maxUp = options.maxUpMs ?? 8000;
  await warmUp(world);
  const load = startLoad(world, { ...options, crashes: true });
  const kills: KillRecord[] = [];
  for (let k = 1; k <= options.kills; k++) {
    // Odd kills at a random moment; even ones as soon as a save in flight is seen committed,
    // so some saves are cut off after their commit but before their answer (stored, unanswered).
    const deadline = performance.now() + minUp + random() * (maxUp - minUp);
    const timing = k % 2 === 1 ? 'random' : await killAfterCommit(world, load.stats.writes, performance.now() + minUp, deadline);
    if (timing === 'random') await sleep(deadline - performance.now());
    const pendingBefore = new Set(load.stats.writes.filter((w) => w.status === 'pending'));
    const at = load.elapsed();
    await world.server.kill('SIGKILL');
    const down = performance.now();
    // Let the clients see their connections drop, so a save in flight is marked unanswered.
    await sleep(100);
    const integrity = await runHoshin(['db', 'check'], world.db.url, world.server.cwd);
    const oracle = await world.oracle.verify(load.stats.writes);
    const record: KillRecord = {
      kill: k,
      timing,
      at,
      ackedSoFar: load.stats.writes.filter((w) => w.status === 'acked').length,
      inFlight: [...pendingBefore].filter((w) => w.status === 'unknown').length,
      integrity: { code: integrity.code, output: `${integrity.stdout}${integrity.stderr}`.trim() },
      oracleProblems: oracle.problems,
      downSeconds: 0,
    };
    await world.server.start();
    record.downSeconds = Number(((performance.now() - down) / 1000).toFixed(1));
    kills.push(record);
    options.onKill?.(record);
  }
  // The server must take saves again after its last crash: run on until every editor has
  // had one acknowledged since the last restart (bounded, so a dead server fails the run).
  const before = new Set(load.stats.writes.filter((w) => w.status === 'acked'));
  const ackedSince = () => world.editors.filter((ed) => load.stats.writes.some((w) => w.editor === ed && w.status === 'acked' && !before.has(w))).length;
  const until = performance.now() + 60_000;
  await sleep(minUp);
  while (ackedSince() < world.editors.length && performance.now() < until) await sleep(100);
  const editorsSavedAfterLastRestart = ackedSince();
  const stats = await load.stop();
  const finished = await finishRun(world, options, stats, kills.flatMap((k) => k.oracleProblems.map((p) => `after kill ${k.kill}: ${p}`)));
  return {
    ...finished,
    kills,
    restarts: world.server.starts - 1,
    editorsSavedAfterLastRestart,
    unanswered: {
      stored: stats.writes.filter((w) => w.status === 'unknown' && world.oracle.isApplied(w.key)).length,
      absent: stats.writes.filter((w) => w.status === 'unknown' && !world.oracle.isApplied(w.key)).length,
    },
  };
}
