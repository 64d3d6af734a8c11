/**
 * One load run with autocannon's programmatic API. Latencies are taken from each response's
 * own timing (milliseconds as a float) rather than autocannon's histogram, which rounds to
 * whole milliseconds and leaves out non-2xx answers such as a 304.
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';

interface AutocannonRequest {
  setupRequest?: (req: Record<string, unknown>) => Record<string, unknown>;
}

interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  requests?: AutocannonRequest[];
  /** Seconds before a request counts as timed out. */
  timeout?: number;
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
}

type AutocannonInstance = EventEmitter & PromiseLike<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: AutocannonOptions) => AutocannonInstance;

export interface LoadOptions {
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  /** The status every answer should have (200, or 304 for a revalidation). */
  expectStatus?: number;
  /** A path per request, for a mix over many URLs; otherwise every request asks for `url`. */
  pathFor?: () => string;
}

export interface LoadResult {
  responses: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Connection errors (timeouts included), as autocannon counts them. */
  errors: number;
  timeouts: number;
  /** Answers with another status than expected. */
  unexpected: number;
  statuses: Record<string, number>;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function load(url: string, options: LoadOptions): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 16);
  let n = 0;
  const statuses: Record<string, number> = {};
  const instance = autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.pathFor ? { requests: [{ setupRequest: (req) => ({ ...req, path: options.pathFor!() }) }] } : {}),
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (n === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[n++] = ms;
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const result = await instance;
  const sorted = latencies.subarray(0, n).sort();
  const expected = options.expectStatus ?? 200;
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return {
    responses: n,
    seconds: result.duration,
    requestsPerSecond: Math.round(n / result.duration),
    p50Ms: r2(percentile(sorted, 50)),
    p90Ms: r2(percentile(sorted, 90)),
    p99Ms: r2(percentile(sorted, 99)),
    maxMs: r2(sorted[n - 1] ?? Number.NaN),
    errors: result.errors,
    timeouts: result.timeouts,
    unexpected: n - (statuses[expected] ?? 0),
    statuses,
  };
}

/**
 * The same run with Debian's wrk (C, one thread per core), for a cross-check: autocannon is
 * JavaScript on one thread and can be the ceiling itself when the server is fast (nginx).
 * Statuses are not counted one by one: wrk reports only answers outside 2xx/3xx.
 */
export async function loadWithWrk(url: string, options: LoadOptions & { threads: number }): Promise<LoadResult> {
  if (options.pathFor) throw new Error('bench load: wrk runs one URL at a time here');
  const { execFile } = await import('node:child_process');
  const args = [`-t${options.threads}`, `-c${Math.max(options.connections, options.threads)}`, `-d${Math.max(1, Math.round(options.seconds))}s`, '--latency', '--timeout', '10s'];
  for (const [k, v] of Object.entries(options.headers ?? {})) args.push('-H', `${k}: ${v}`);
  args.push(url);
  const out = await new Promise<string>((resolve, reject) => {
    execFile(process.env.HOSHIN_BENCH_WRK ?? 'wrk', args, { encoding: 'utf8' }, (err, stdout, stderr) => (err ? reject(new Error(`wrk failed: ${stderr || err.message}`)) : resolve(stdout)));
  });
  const ms = (value: string, unit: string) => Number(value) * ({ us: 0.001, ms: 1, s: 1000, m: 60_000 } as Record<string, number>)[unit]!;
  const pct = (p: string) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
    return m ? Math.round(ms(m[1]!, m[2]!) * 100) / 100 : Number.NaN;
  };
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m)/.exec(out);
  const responses = total ? Number(total[1]) : 0;
  const seconds = total ? ms(total[2]!, total[3]!) / 1000 : options.seconds;
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const timeouts = socket ? Number(socket[4]) : 0;
  const errors = socket ? Number(socket[1]) + Number(socket[2]) + Number(socket[3]) + timeouts : 0;
  const non2xx3xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return {
    responses,
    seconds,
    requestsPerSecond: Math.round(Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? responses / seconds)),
    p50Ms: pct('50'),
    p90Ms: pct('90'),
    p99Ms: pct('99'),
    maxMs: Number.NaN,
    errors,
    timeouts,
    unexpected: non2xx3xx,
    statuses: {},
  };
}
