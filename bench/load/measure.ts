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
