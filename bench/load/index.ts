/**
 * Public pages under load, beside nginx serving the same bytes (issue 11):
 *  - Hoshin (`node bin/hoshin.js serve`, a fresh SQLite database with the seed) in one
 *    process and with `--workers N` (N = cores), and nginx serving the exact bytes Hoshin
 *    sent for the plan page, its JSON and the home page as static files;
 *  - each URL under autocannon (64 connections, 10 s by default), plus a 304 revalidation
 *    (If-None-Match with the server's ETag; n/a while Hoshin sends none);
 *  - req/s, p50/p99, errors, the ratios to nginx, and each server's memory after its run;
 *  - memory: a city's 24 wards × 10 years of published plans, a mix of their pages and
 *    JSON under load, and the RSS after (the goal: under 150 MB).
 *
 *   npm run bench -- load                   # or: node --import tsx bench/load/index.ts
 *   npm run bench -- load --quick           # 16 connections, 2 s per run
 *   npm run bench -- load --connections=128 --duration=30 --workers=4
 *   npm run bench -- load --tool=wrk        # only Debian's wrk (default: both, wrk when installed)
 * (also HOSHIN_BENCH_LOAD_CONNECTIONS, _DURATION, _WORKERS, _TOOL, HOSHIN_BENCH_LOAD_QUICK=1)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadCityDataset } from './dataset.ts';
import { load, loadWithWrk, type LoadOptions, type LoadResult } from './measure.ts';
import { startNginx, type StaticFile } from './nginx.ts';
import { get, memoryTree, round1, startHoshin, type ProcessMemory, type RunningHoshin } from './processes.ts';

export const MEMORY_GOAL_MB = 150;

export interface LoadSettings {
  connections: number;
  seconds: number;
  warmupSeconds: number;
  workers: number;
  /**
   * The load generators for the side-by-side runs, each in turn (the city mix always uses
   * autocannon): autocannon, and Debian's wrk when installed, because autocannon (JavaScript,
   * one thread) is itself the ceiling for large responses from a fast server.
   */
  tools: Tool[];
}

export function loadSettings(argv: string[] = process.argv, env: NodeJS.ProcessEnv = process.env): LoadSettings {
  const arg = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const quick = argv.includes('--quick') || env.HOSHIN_BENCH_LOAD_QUICK === '1';
  const num = (value: string | undefined, fallback: number, what: string) => {
    const n = value === undefined || value === '' ? fallback : Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`bench load: ${what} must be a positive number, not ${value}`);
    return n;
  };
  return {
    connections: num(arg('connections') ?? env.HOSHIN_BENCH_LOAD_CONNECTIONS, quick ? 16 : 64, 'connections'),
    seconds: num(arg('duration') ?? env.HOSHIN_BENCH_LOAD_DURATION, quick ? 2 : 10, 'duration'),
    warmupSeconds: quick ? 0.5 : 2,
    workers: num(arg('workers') ?? env.HOSHIN_BENCH_LOAD_WORKERS, availableParallelism(), 'workers'),
    tools: toolsOf(arg('tool') ?? env.HOSHIN_BENCH_LOAD_TOOL),
  };
}

export type Tool = 'autocannon' | 'wrk';

function wrkInstalled(): boolean {
  return spawnSync(process.env.HOSHIN_BENCH_WRK ?? 'wrk', ['--version']).error === undefined;
}

function toolsOf(value: string | undefined): Tool[] {
  if (value === undefined || value === '' || value === 'both') return value === 'both' || wrkInstalled() ? ['autocannon', 'wrk'] : ['autocannon'];
  if (value === 'autocannon' || value === 'wrk') return [value];
  throw new Error(`bench load: --tool is autocannon, wrk or both, not ${value}`);
}

interface Target {
  name: string;
  path: string;
  /** Set for the revalidation: answered 304 when the server sends an ETag. */
  revalidate?: boolean;
}

const PLAN_PATH = '/plans/nishi/2017';
const TARGETS: Target[] = [
  { name: 'plan page', path: PLAN_PATH },
  { name: 'JSON /2', path: `/api/v2${PLAN_PATH}` },
  { name: 'home page', path: '/' },
  { name: '304 revalidation', path: PLAN_PATH, revalidate: true },
];

export interface LoadRow extends Partial<LoadResult> {
  tool: Tool;
  target: string;
  server: string;
  bytes: number;
  /** Why there is no measurement (a 304 from a server that sends no ETag). */
  notApplicable?: string;
  /** This row's req/s and p99 over nginx's for the same target. */
  rpsRatio?: number;
  p99Ratio?: number;
}

export interface ServerMemory {
  server: string;
  processes: ProcessMemory[];
  /** The node processes together (main and workers; helpers such as esbuild's service apart). */
  totalRssMB: number;
}

export interface MemoryRun {
  plans: number;
  importSeconds: number;
  mix: LoadResult;
  idle: ServerMemory;
  afterLoad: ServerMemory;
  goalMB: number;
  withinGoal: boolean;
}

export interface LoadBenchResult {
  settings: LoadSettings;
  nginx: { version: string; workers: number };
  rows: LoadRow[];
  memory: ServerMemory[];
  city: MemoryRun;
}

function memoryOfServer(server: string, pid: number): ServerMemory {
  const processes = memoryTree(pid);
  const node = processes.filter((p) => p.role === 'main' || p.role === 'worker');
  return { server, processes, totalRssMB: round1(node.reduce((s, p) => s + p.rssMB, 0)) };
}

async function etagOf(base: string, path: string): Promise<string | undefined> {
  const etag = (await get(`${base}${path}`)).headers['etag'];
  return typeof etag === 'string' ? etag : undefined;
}

/** Every target against one server, each after a warm-up run that is not counted. */
async function runTargets(server: string, base: string, sizes: Map<string, number>, settings: LoadSettings, log: (s: string) => void): Promise<LoadRow[]> {
  const rows: LoadRow[] = [];
  for (const tool of settings.tools) rows.push(...(await runTargetsWith(tool, server, base, sizes, settings, log)));
  return rows;
}

async function runTargetsWith(tool: Tool, server: string, base: string, sizes: Map<string, number>, settings: LoadSettings, log: (s: string) => void): Promise<LoadRow[]> {
  const rows: LoadRow[] = [];
  for (const target of TARGETS) {
    const bytes = sizes.get(target.path) ?? 0;
    let headers: Record<string, string> | undefined;
    if (target.revalidate) {
      const etag = await etagOf(base, target.path);
      if (!etag) {
        rows.push({ tool, target: target.name, server, bytes: 0, notApplicable: 'no ETag sent' });
        log(`load  ${tool.padEnd(10)} ${target.name.padEnd(17)} ${server.padEnd(26)} n/a (no ETag)`);
        continue;
      }
      headers = { 'if-none-match': etag };
    }
    const options = { connections: settings.connections, headers, expectStatus: target.revalidate ? 304 : 200 };
    const measure = tool === 'wrk' ? (u: string, o: LoadOptions) => loadWithWrk(u, { ...o, threads: availableParallelism() }) : load;
    await measure(`${base}${target.path}`, { ...options, seconds: settings.warmupSeconds });
    const result = await measure(`${base}${target.path}`, { ...options, seconds: settings.seconds });
    rows.push({ tool, target: target.name, server, bytes: target.revalidate ? 0 : bytes, ...result });
    log(`load  ${tool.padEnd(10)} ${target.name.padEnd(17)} ${server.padEnd(26)} ${String(result.requestsPerSecond).padStart(7)} req/s  p50 ${result.p50Ms.toFixed(2).padStart(8)} ms  p99 ${result.p99Ms.toFixed(2).padStart(8)} ms  errors ${result.errors + result.unexpected}`);
  }
  return rows;
}

export async function benchLoad(options: { settings?: LoadSettings; log?: (s: string) => void } = {}): Promise<LoadBenchResult> {
  const settings = options.settings ?? loadSettings();
  const log = options.log ?? ((s: string) => console.log(s));
  log(`load: ${settings.connections} connections, ${settings.seconds} s per run (after ${settings.warmupSeconds} s of warm-up), --workers ${settings.workers}, ${settings.tools.map((t) => (t === 'wrk' ? `wrk -t${availableParallelism()}` : 'autocannon in this process')).join(', then ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'hoshin-load-'));
  const nginxDir = mkdtempSync(join(tmpdir(), 'hoshin-load-nginx-'));
  const running: { stop: () => Promise<void> }[] = [];
  const started = <T extends { stop: () => Promise<void> }>(s: T): T => {
    running.push(s);
    return s;
  };
  const stopped = async (s: { stop: () => Promise<void> }) => {
    await s.stop();
    running.splice(running.indexOf(s), 1);
  };
  try {
    const databaseUrl = `sqlite:${join(dir, 'hoshin.sqlite')}`;
    let hoshin: RunningHoshin = started(await startHoshin(databaseUrl, { cwd: dir }));

    // The exact bytes and content type Hoshin sends, for nginx to send as well.
    const files: StaticFile[] = [];
    const sizes = new Map<string, number>();
    for (const path of [...new Set(TARGETS.map((t) => t.path))]) {
      const res = await get(`${hoshin.url}${path}`);
      if (res.status !== 200) throw new Error(`bench load: ${path} answered ${res.status}`);
      files.push({ path, contentType: String(res.headers['content-type'] ?? 'application/octet-stream'), body: res.body });
      sizes.set(path, res.body.length);
    }
    // A folder of its own: Hoshin makes its database's folder owner-only, which nginx's workers could not enter.
    const nginx = started(await startNginx(nginxDir, files, log));
    const nginxName = `nginx ${nginx.version.replace(/^nginx\//, '')} (${nginx.workers} workers)`;

    const rows: LoadRow[] = [];
    const memory: ServerMemory[] = [];
    rows.push(...(await runTargets(nginxName, nginx.url, sizes, settings, log)));
    await stopped(nginx);

    rows.push(...(await runTargets('hoshin, 1 process', hoshin.url, sizes, settings, log)));
    memory.push(memoryOfServer('hoshin, 1 process', hoshin.pid));
    await stopped(hoshin);

    const multi = `hoshin --workers ${settings.workers}`;
    hoshin = started(await startHoshin(databaseUrl, { cwd: dir, workers: settings.workers }));
    rows.push(...(await runTargets(multi, hoshin.url, sizes, settings, log)));
    memory.push(memoryOfServer(multi, hoshin.pid));
    await stopped(hoshin);

    for (const row of rows) {
      const ceiling = rows.find((r) => r.server === nginxName && r.target === row.target && r.tool === row.tool);
      if (row.server === nginxName || !ceiling?.requestsPerSecond || row.requestsPerSecond === undefined) continue;
      row.rpsRatio = Math.round((row.requestsPerSecond / ceiling.requestsPerSecond) * 1000) / 1000;
      if (ceiling.p99Ms && row.p99Ms !== undefined) row.p99Ratio = Math.round((row.p99Ms / ceiling.p99Ms) * 100) / 100;
    }

    const city = await cityRun(join(dir, 'city'), settings, log);
    const result: LoadBenchResult = { settings, nginx: { version: nginx.version, workers: nginx.workers }, rows, memory, city };
    log(`\n${formatTables(result)}`);
    const out = new URL('../results/', import.meta.url);
    await mkdir(out, { recursive: true });
    const file = 'load.json';
    await writeFile(new URL(file, out), `${JSON.stringify({ date: new Date().toISOString(), loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))), ...result }, null, 2)}\n`);
    log(`load: results also written to bench/results/${file}`);
    return result;
  } finally {
    for (const s of running.reverse()) await s.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    rmSync(nginxDir, { recursive: true, force: true });
  }
}

/** 24 wards × 10 years published; a mix of their pages, JSON and the home page under load; memory after. */
export async function cityRun(dir: string, settings: LoadSettings, log: (s: string) => void): Promise<MemoryRun> {
  await mkdir(dir, { recursive: true });
  const databaseUrl = `sqlite:${join(dir, 'hoshin.sqlite')}`;
  const dataset = await loadCityDataset(databaseUrl);
  log(`load: city dataset: ${dataset.plans} published plans imported in ${dataset.seconds.toFixed(1)} s`);
  const hoshin = await startHoshin(databaseUrl, { cwd: dir });
  try {
    const idle = memoryOfServer('hoshin, 1 process, city (idle)', hoshin.pid);
    const paths = [...dataset.planPaths, ...dataset.planPaths.map((p) => `/api/v2${p}`), '/'];
    // A fixed sequence, so runs are comparable: spread over every plan, some asked for more than others.
    let state = 12345;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const pathFor = () => paths[Math.floor(next() ** 2 * paths.length)]!;
    await load(hoshin.url, { connections: settings.connections, seconds: settings.warmupSeconds, pathFor });
    const mix = await load(hoshin.url, { connections: settings.connections, seconds: settings.seconds * 2, pathFor });
    const afterLoad = memoryOfServer('hoshin, 1 process, city (after load)', hoshin.pid);
    const withinGoal = afterLoad.totalRssMB < MEMORY_GOAL_MB;
    log(`load  city mix (${paths.length} URLs)  ${mix.requestsPerSecond} req/s  p50 ${mix.p50Ms} ms  p99 ${mix.p99Ms} ms  errors ${mix.errors + mix.unexpected}  RSS ${afterLoad.totalRssMB} MB (${withinGoal ? 'under' : 'OVER'} the ${MEMORY_GOAL_MB} MB goal)`);
    return { plans: dataset.plans, importSeconds: Math.round(dataset.seconds * 10) / 10, mix, idle, afterLoad, goalMB: MEMORY_GOAL_MB, withinGoal };
  } finally {
    await hoshin.stop();
  }
}

const fmt = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? '' : n.toFixed(digits));

/** The human tables, as Markdown (printed, and pasted into docs/performance.md). */
export function formatTables(result: LoadBenchResult): string {
  const lines = [
    `Load: ${result.settings.connections} connections, ${result.settings.seconds} s per run, ${result.settings.tools.join(' and ')}; nginx ${result.nginx.version} with ${result.nginx.workers} workers serving the same bytes.`,
    '',
    '| tool | target | server | bytes | req/s | p50 ms | p99 ms | errors | × nginx req/s | × nginx p99 |',
    '|---|---|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  const rows = [...result.rows].sort((a, b) => (a.tool === b.tool ? 0 : a.tool === 'autocannon' ? -1 : 1));
  for (const r of rows) {
    if (r.notApplicable) {
      lines.push(`| ${r.tool} | ${r.target} | ${r.server} | | n/a | n/a | n/a | | n/a | n/a (${r.notApplicable}) |`);
      continue;
    }
    const errors = (r.errors ?? 0) + (r.unexpected ?? 0);
    lines.push(`| ${r.tool} | ${r.target} | ${r.server} | ${r.bytes || ''} | ${fmt(r.requestsPerSecond)} | ${fmt(r.p50Ms, 2)} | ${fmt(r.p99Ms, 2)} | ${errors}${r.timeouts ? ` (${r.timeouts} timeouts)` : ''} | ${fmt(r.rpsRatio, 3)} | ${fmt(r.p99Ratio, 2)} |`);
  }
  lines.push('', '| server | process | RSS MB | peak (VmHWM) MB |', '|---|---|--:|--:|');
  for (const m of [...result.memory, result.city.idle, result.city.afterLoad]) {
    for (const p of m.processes) lines.push(`| ${m.server} | ${p.role} ${p.pid} | ${p.rssMB} | ${p.peakMB} |`);
    if (m.processes.length > 1) lines.push(`| ${m.server} | node processes together | ${m.totalRssMB} | |`);
  }
  const c = result.city;
  lines.push(
    '',
    `City: ${c.plans} published plans (24 wards × 10 years); a mix of their pages, JSON /2 and the home page, ${result.settings.connections} connections for ${c.mix.seconds.toFixed(0)} s: ` +
      `${c.mix.requestsPerSecond} req/s, p50 ${c.mix.p50Ms} ms, p99 ${c.mix.p99Ms} ms, ${c.mix.errors + c.mix.unexpected} errors; ` +
      `RSS ${c.afterLoad.totalRssMB} MB after (idle before: ${c.idle.totalRssMB} MB), goal < ${c.goalMB} MB: ${c.withinGoal ? 'met' : 'NOT met'}.`,
  );
  return lines.join('\n');
}

/** For bench/run.ts. */
export const run = benchLoad;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchLoad();
}
