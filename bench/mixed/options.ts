/**
 * Command-line options shared by bench/mixed/run.ts and crash.ts, and where PostgreSQL
 * comes from: HOSHIN_BENCH_PG_URL or HOSHIN_TEST_PG_URL (a new schema per run, dropped after).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Engine } from '../../src/store/index.ts';

export interface BenchOptions {
  engine: Engine;
  seconds: number;
  readers: number;
  editors: number;
  plans: number | undefined;
  kills: number;
  /** Uptime before each kill, drawn between these (ms). */
  minUpMs: number;
  maxUpMs: number;
  seed: number;
}

export function benchOptions(defaults: { seconds: number; kills: number }): BenchOptions {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'sqlite' },
      seconds: { type: 'string', default: String(defaults.seconds) },
      readers: { type: 'string', default: '200' },
      editors: { type: 'string', default: '20' },
      plans: { type: 'string' },
      kills: { type: 'string', default: String(defaults.kills) },
      seed: { type: 'string', default: '11' },
      'min-up': { type: 'string', default: '3' },
      'max-up': { type: 'string', default: '8' },
    },
  });
  const engine = values.engine as Engine;
  if (engine !== 'sqlite' && engine !== 'postgres') throw new Error(`--engine sqlite|postgres, not ${engine}`);
  if (engine === 'postgres') {
    const url = process.env.HOSHIN_BENCH_PG_URL ?? process.env.HOSHIN_TEST_PG_URL;
    if (!url) throw new Error('--engine postgres needs HOSHIN_BENCH_PG_URL or HOSHIN_TEST_PG_URL (eval "$(scripts/pg-test.sh start)")');
    process.env.HOSHIN_TEST_PG_URL = url;
  }
  const int = (name: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, not ${v}`);
    return n;
  };
  return {
    engine, seconds: int('seconds', values.seconds), readers: int('readers', values.readers), editors: int('editors', values.editors),
    plans: values.plans === undefined ? undefined : int('plans', values.plans), kills: int('kills', values.kills), seed: int('seed', values.seed),
    minUpMs: Number(values['min-up']) * 1000, maxUpMs: Number(values['max-up']) * 1000,
  };
}

/** Where and on what the run happened: a shared machine's load explains a slow figure. */
export function machine() {
  return { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))) };
}

/** bench/results/NAME.json (kept out of git), next to `npm run bench`'s latest.json. */
export async function writeResult(name: string, result: unknown): Promise<string> {
  const dir = new URL('../results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  const file = new URL(`${name}.json`, dir);
  await writeFile(file, `${JSON.stringify({ date: new Date().toISOString(), machine: machine(), result }, null, 2)}\n`);
  return file.pathname;
}
