/**
 * The real `hoshin` command as a user runs it: `node bin/hoshin.js …` in a subprocess, in a
 * temporary directory, checking exit status, standard output and standard error.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProgressBar } from '../../src/cli/progress.ts';
import type { Plan } from '../../src/domain/plan.ts';
import { parseDocument, PLAN_FORMAT_2, renderDocument, toPlanJson } from '../../src/formats/index.ts';
import { encodeShiftJis } from '../support/cp932.ts';

const BIN = fileURLToPath(new URL('../../bin/hoshin.js', import.meta.url));
const SEED_PATH = fileURLToPath(new URL('../fixtures/text/osaka-nishi-2017.txt', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// HOSHIN_DEBUG would add stack traces on purpose; the tests check that none appear otherwise.
const env = { ...process.env, HOSHIN_DEBUG: '', NO_COLOR: '1' };

let dir: string;

function hoshin(args: string[], stdin?: Uint8Array): Promise<Run> {
  return new Promise((resolve, reject) => {
    if (stdin === undefined) {
      execFile(process.execPath, [BIN, ...args], { cwd: dir, env, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') reject(err);
        else resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      });
      return;
    }
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    // The command may stop reading early (input over the limit): a broken pipe is expected then.
    child.stdin.on('error', () => {});
    child.stdin.end(stdin);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Every run: no stack trace, ever. */
function noStack(run: Run): Run {
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr).not.toContain('    at ');
  return run;
}

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

let seedText: string;
let seedPlan: Plan;
/** 1-based line of the first seed line containing `needle`. */
const seedLine = (needle: string) => seedText.split('\n').findIndex((l) => l.includes(needle)) + 1;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hoshin-cli-'));
  seedText = await readFile(SEED_PATH, 'utf8');
  const parsed = parseDocument(new TextEncoder().encode(seedText), 'seed.txt');
  if (!parsed.plan) throw new Error('the seed fixture does not parse');
  seedPlan = parsed.plan;
  await writeFile(join(dir, 'seed.txt'), seedText);
  await writeFile(join(dir, 'warn.txt'), seedText.replace('(29年度予算額 5,697千円)', '(30年度予算額 5,697千円)'));
  await writeFile(join(dir, 'bad-era.txt'), seedText.replace('平成29年度 西区運営方針', '平正29年度 西区運営方針'));
  await writeFile(join(dir, 'bad-amount.txt'), seedText.replace('22,268千円', '22,2X8千円'));
  // 50 MB, sparse: the command must refuse it by its size, quickly, without reading it.
  const big = await open(join(dir, 'big.txt'), 'w');
  await big.truncate(50 * 1024 * 1024);
  await big.close();
  await writeFile(join(dir, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]));
  await writeFile(join(dir, 'empty.txt'), '');
  await writeFile(join(dir, 'blank.txt'), '  \r\n\r\n\t\n');
  // Cut inside a 3-byte character, as a download that stopped would be.
  await writeFile(join(dir, 'cut.txt'), Buffer.from(seedText).subarray(0, Buffer.byteLength(seedText.slice(0, 200)) + 1));
  await mkdir(join(dir, 'folder.txt'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.concurrent('hoshin convert', { timeout: 90_000 }, () => {
  it('writes the seed as hoshin-plan/2 JSON on standard output (writers write /2)', async () => {
    const run = noStack(await hoshin(['convert', 'seed.txt']));
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toStrictEqual(toPlanJson(seedPlan, PLAN_FORMAT_2));
  });

  it('writes the open-data CSV of the initiatives with --to csv (BOM, one row per initiative)', async () => {
    const run = noStack(await hoshin(['convert', 'seed.txt', '--to', 'csv']));
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.startsWith('\uFEFF団体コード,組織,')).toBe(true);
    const rows = run.stdout.trim().split('\r\n');
    const initiatives = seedPlan.issues.flatMap((i) => i.strategies.flatMap((s) => s.initiatives));
    expect(rows).toHaveLength(1 + initiatives.length);
    expect(rows[1]).toContain('1-1-1');
    expect(rows[1]).toContain('22268');
  });

  it('writes text with --to text', async () => {
    const run = noStack(await hoshin(['convert', 'seed.txt', '--to', 'text']));
    expect(run).toMatchObject({ code: 0, stderr: '', stdout: renderDocument(seedPlan, 'text') });
    const again = await hoshin(['convert', 'seed.txt', '--to=text']);
    expect(again.stdout).toBe(run.stdout);
  });

  it('writes to a file with -o and to nothing else', async () => {
    const run = noStack(await hoshin(['convert', 'seed.txt', '-o', 'out.json']));
    expect(run).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(JSON.parse(await readFile(join(dir, 'out.json'), 'utf8'))).toStrictEqual(toPlanJson(seedPlan, PLAN_FORMAT_2));
    await hoshin(['convert', 'seed.txt', '--output', 'out2.json']);
    expect(await readFile(join(dir, 'out2.json'), 'utf8')).toBe(await readFile(join(dir, 'out.json'), 'utf8'));
  });

  it('turns JSON into text by default, and that text back into the same JSON', async () => {
    await writeFile(join(dir, 'plan.json'), renderDocument(seedPlan, 'json'));
    const run = noStack(await hoshin(['convert', 'plan.json']));
    expect(run).toMatchObject({ code: 0, stderr: '', stdout: renderDocument(seedPlan, 'text') });
    await writeFile(join(dir, 'back.txt'), run.stdout);
    expect(JSON.parse((await hoshin(['convert', 'back.txt'])).stdout)).toStrictEqual(toPlanJson(seedPlan, PLAN_FORMAT_2));
  });

  it('detects JSON by content when the name says nothing', async () => {
    await writeFile(join(dir, 'plan-no-extension'), renderDocument(seedPlan, 'json'));
    const run = noStack(await hoshin(['convert', 'plan-no-extension', '--to', 'json']));
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toStrictEqual(toPlanJson(seedPlan, PLAN_FORMAT_2));
  });

  it('reads standard input with -', async () => {
    const run = noStack(await hoshin(['convert', '-'], new TextEncoder().encode(seedText)));
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toStrictEqual(toPlanJson(seedPlan, PLAN_FORMAT_2));
  });

  it('reads Shift_JIS with CRLF and UTF-8 with a BOM and CRLF as the same plan', async () => {
    const crlf = seedText.replace(/\n/g, '\r\n');
    await writeFile(join(dir, 'seed-sjis.txt'), encodeShiftJis(crlf));
    await writeFile(join(dir, 'seed-bom.txt'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf)]));
    const expected = (await hoshin(['convert', 'seed.txt'])).stdout;
    for (const file of ['seed-sjis.txt', 'seed-bom.txt']) {
      const run = noStack(await hoshin(['convert', file]));
      expect(run, file).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout, file).toBe(expected);
    }
  });

  it('converts a document with warnings, printing them as FILE:LINE: warning: lines', async () => {
    const run = noStack(await hoshin(['convert', 'warn.txt']));
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toStrictEqual(toPlanJson(seedPlan, PLAN_FORMAT_2));
    expect(run.stderr).toMatch(new RegExp(`^warn\\.txt:${seedLine('5,697千円')}: warning: `, 'm'));
  });

  it('names the layout it read with when it refuses a text document', async () => {
    const run = noStack(await hoshin(['convert', 'bad-era.txt']));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^bad-era\.txt: レイアウト osaka-2017\(.*\) として読みました$/m);
    const forced = noStack(await hoshin(['convert', '--layout', 'osaka-2017', 'seed.txt']));
    expect(forced).toMatchObject({ code: 0, stderr: '' });
  });

  it('refuses an unreadable document with FILE:LINE: diagnostics, exit 1 and no output', async () => {
    const line = seedLine('22,268千円');
    const run = noStack(await hoshin(['convert', 'bad-amount.txt', '-o', 'never.json']));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^bad-amount\\.txt:${line}: .*予算額`, 'm'));
    await expect(readFile(join(dir, 'never.json'))).rejects.toThrow();
  });
});

describe.concurrent('hoshin check', { timeout: 90_000 }, () => {
  it('passes a good file with exit 0, no problems, and names the layout it detected', async () => {
    const run = noStack(await hoshin(['check', 'seed.txt']));
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^seed\.txt: レイアウト osaka-2017\(大阪市 .*\)\n$/);
  });

  it('reads with the layout --layout names, and says it was named', async () => {
    const run = noStack(await hoshin(['check', '--layout', 'osaka-2017', 'seed.txt']));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^seed\.txt: レイアウト osaka-2017\(.*\)\(指定\)\n$/);
  });

  it('refuses an unknown --layout as a usage error listing the names', async () => {
    const run = noStack(await hoshin(['check', '--layout', 'tokyo', 'seed.txt']));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--layout には osaka-2017');
    expect(run.stderr).toContain('(指定: tokyo)');
  });

  it('reads a document whose title names no year (堺市) with --year, and refuses it without', async () => {
    const sakai = await readFile(new URL('../fixtures/text/yearless/sakai-higashiku-2024.txt', import.meta.url));
    await writeFile(join(dir, 'sakai.txt'), sakai);
    const without = noStack(await hoshin(['check', 'sakai.txt']));
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/^sakai\.txt:\d+: .*年度/m);
    const withYear = noStack(await hoshin(['convert', '--year', '令和6', 'sakai.txt']));
    expect(withYear.code).toBe(0);
    expect(JSON.parse(withYear.stdout)).toMatchObject({ fiscalYear: 2024, organization: expect.stringContaining('東区') });
    const bad = noStack(await hoshin(['check', '--year', 'そのうち', 'sakai.txt']));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--year の年度を読めません');
  });

  it('names no layout for JSON', async () => {
    await writeFile(join(dir, 'seed-layout.json'), renderDocument(seedPlan, 'json'));
    expect(noStack(await hoshin(['check', 'seed-layout.json']))).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('prints each error as FILE:LINE: message and exits 1', async () => {
    const titleLine = seedLine('運営方針');
    const run = noStack(await hoshin(['check', 'bad-era.txt']));
    expect(run.code).toBe(1);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/^bad-era\.txt:\d+: \S/);
    expect(lines[0]).toMatch(new RegExp(`^bad-era\\.txt:${titleLine}: .*年号`));
  });

  it('prints warnings with the warning: prefix and still exits 0', async () => {
    const line = seedLine('5,697千円');
    const run = noStack(await hoshin(['check', 'warn.txt']));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`^warn\\.txt:${line}: warning: .*30年度`, 'm'));
  });

  it('names the line of an error in JSON', async () => {
    const json = renderDocument(seedPlan, 'json').replace('"fiscalYear": 2017', '"fiscalYear": "2017"');
    const line = json.split('\n').findIndex((l) => l.includes('"fiscalYear"')) + 1;
    await writeFile(join(dir, 'bad.json'), json);
    const run = noStack(await hoshin(['check', 'bad.json']));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^bad\\.json:${line}: .*fiscalYear`, 'm'));
  });

  it('checks several files, ends with a summary, and draws no progress bar when not on a terminal', async () => {
    const run = noStack(await hoshin(['check', 'seed.txt', 'warn.txt', 'bad-era.txt']));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^検査 3 件: .*$/m);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(/^検査 3 件/);
    expect(run.stderr).toMatch(/^warn\.txt:\d+: warning: /m);
    expect(run.stderr).toMatch(/^bad-era\.txt:\d+: /m);
    expect(run.stderr).not.toMatch(/[\r\u2588\u2591]/);
  });

  it('hides warnings with --quiet but still shows errors', async () => {
    const run = noStack(await hoshin(['check', '--quiet', 'warn.txt', 'bad-era.txt']));
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain('warning:');
    expect(run.stderr).toMatch(/^bad-era\.txt:\d+: /m);
  });

  it('prints no summary for one file', async () => {
    expect((await hoshin(['check', 'warn.txt'])).stderr).not.toContain('検査');
  });
});

describe.concurrent('files that are not plans', { timeout: 90_000 }, () => {
  const cases: [string, RegExp][] = [
    ['big.txt', /大きすぎ/],
    ['image.png', /バイナリ|制御文字/],
    ['empty.txt', /空/],
    ['blank.txt', /空/],
    ['cut.txt', /切れて/],
    ['missing.txt', /見つかりません/],
    ['folder.txt', /ディレクトリ/],
  ];

  for (const [file, message] of cases) {
    it(`convert ${file}: exit 1 with a clear Japanese message`, async () => {
      const run = noStack(await hoshin(['convert', file]));
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(new RegExp(`^${file.replace('.', '\\.')}(:\\d+)?: `));
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(JAPANESE);
      expect(run.stderr).not.toMatch(/Error|内部エラー/);
    });
  }

  it('check: one clear line for each, exit 1, and the summary', async () => {
    const run = noStack(await hoshin(['check', ...cases.map(([file]) => file)]));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    for (const [file, message] of cases) {
      const lines = run.stderr.split('\n').filter((l) => l.startsWith(`${file}:`));
      expect(lines, file).toHaveLength(1);
      expect(lines[0], file).toMatch(message);
    }
    expect(run.stderr).toMatch(new RegExp(`^検査 ${cases.length} 件: .*誤り ${cases.length} 件`, 'm'));
    expect(run.stderr).not.toMatch(/Error|内部エラー/);
  });

  it('refuses more than the limit on standard input', async () => {
    const run = noStack(await hoshin(['convert', '-'], new Uint8Array(11 * 1024 * 1024).fill(0x61)));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/大きすぎ/);
  });

  it('reports a failed write of -o as a failure, without a stack', async () => {
    const run = noStack(await hoshin(['convert', 'seed.txt', '-o', join('no-such-dir', 'out.json')]));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(JAPANESE);
  });

  it('says it cannot write the -o file, not that something internal failed', async () => {
    const run = await hoshin(['convert', 'seed.txt', '-o', join('no-such-dir', 'out.json')]);
    expect(run.stderr).not.toContain('内部エラー');
    expect(run.stderr).toContain('no-such-dir');
  });
});

describe.concurrent('usage', { timeout: 90_000 }, () => {
  const usage: [string, string[]][] = [
    ['an unknown option', ['convert', 'seed.txt', '--frobnicate']],
    ['an unknown short option', ['check', '-x', 'seed.txt']],
    ['a missing file argument to convert', ['convert']],
    ['a missing file argument to check', ['check']],
    ['two files to convert', ['convert', 'seed.txt', 'seed.txt']],
    ['a bad --to', ['convert', 'seed.txt', '--to', 'docx']],
    ['--to with no value', ['convert', 'seed.txt', '--to']],
    ['an unknown command', ['frobnicate']],
    ['no command at all', []],
  ];
  for (const [what, args] of usage) {
    it(`exits 2 on ${what}, saying what is wrong in Japanese`, async () => {
      const run = noStack(await hoshin(args));
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(JAPANESE);
      expect(run.stderr).toContain('使い方');
    });
  }

  it('names the bad option and the bad --to value', async () => {
    expect((await hoshin(['convert', 'seed.txt', '--frobnicate'])).stderr).toContain('--frobnicate');
    expect((await hoshin(['convert', 'seed.txt', '--to', 'docx'])).stderr).toContain('docx');
  });

  it('prints help with examples for hoshin and for every command it lists', async () => {
    const general = noStack(await hoshin(['--help']));
    expect(general.code).toBe(0);
    const names = [...general.stdout.matchAll(/^ {2}([a-z][a-z-]*) {2,}\S/gm)].map((m) => m[1]!);
    expect(names).toEqual(expect.arrayContaining(['convert', 'check']));
    const runs = await Promise.all(names.map((name) => hoshin([name, '--help'])));
    runs.forEach((run, i) => {
      const name = names[i]!;
      noStack(run);
      expect(run.code, name).toBe(0);
      expect(run.stdout, name).toMatch(new RegExp(`使い方: hoshin ${name}`));
      const examples = run.stdout.split(/^例:$/m)[1];
      expect(examples, `${name}: an 例: section`).toBeDefined();
      expect(examples, name).toMatch(new RegExp(`^\\s+(?:\\S+=\\S+ )*hoshin ${name}\\b`, 'm'));
    });
    expect((await hoshin(['convert', '-h'])).stdout).toBe(runs[names.indexOf('convert')]!.stdout);
  }, 120_000);
});

describe('the pure path', () => {
  it('leaves nothing behind but the files it was asked to write: no database, no data folder', async () => {
    const entries = await readdir(dir);
    expect(entries.filter((e) => e === 'data' || /\.(sqlite|db)(-wal|-shm)?$/.test(e))).toEqual([]);
  });
});

describe('ProgressBar', () => {
  it('draws nothing when disabled (output is not a terminal)', () => {
    const out: string[] = [];
    const bar = new ProgressBar(3, (s) => out.push(s), false);
    bar.update(1, 'a.txt');
    bar.update(3);
    bar.clear();
    expect(out).toEqual([]);
  });

  it('draws a bar with counts on a terminal and clears its line', () => {
    const out: string[] = [];
    const bar = new ProgressBar(4, (s) => out.push(s), true, 8);
    bar.update(0, 'a.txt');
    bar.update(4);
    bar.clear();
    expect(out[0]).toMatch(/^\r\x1b\[2K░{8} 0\/4 a\.txt$/);
    expect(out).toContain('\r\x1b[2K████████ 4/4 ');
    expect(out.at(-1)).toBe('\r\x1b[2K');
  });
});

describe('a reader that closes the pipe early (hoshin … | head -1)', { timeout: 60_000 }, () => {
  it('ends quietly with no stack trace', async () => {
    const child = spawn(process.execPath, [BIN, 'convert', SEED_PATH], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(0);
  });
});
