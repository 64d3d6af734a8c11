/**
 * Bulk-import throughput of the store, in documents per second, on each engine:
 *  - city scale: Osaka's 24 wards × 20 fiscal years = 480 documents, one transaction each
 *    (what `hoshin import` does);
 *  - national scale: ≥100,000 plans for synthetic wards of many cities, in transactions of
 *    BATCH documents (each document still resolved, diffed and audited on its own), by one
 *    writer on SQLite and by several concurrent writers on PostgreSQL.
 * PostgreSQL runs on HOSHIN_BENCH_PG_URL or HOSHIN_TEST_PG_URL, or else on a throwaway
 * cluster the bench starts and stops itself (scripts/pg-test.sh); each run uses a fresh database (a temporary SQLite file, or a new PostgreSQL schema dropped afterwards).
 *
 *   node --import tsx bench/store/import.ts          # HOSHIN_BENCH_NATIONAL=20000 for a quick run
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plan } from '../../src/domain/plan.ts';
import { createTestDatabase, type Engine, type Organization, type SqlStore } from '../../src/store/index.ts';
import { importPlan } from '../../src/store/import-plan.ts';
import { OSAKA_WARDS } from '../../src/store/presets/osaka.ts';
import { generatePlan } from '../../test/support/build-plan.ts';

export interface StoreBenchResult {
  engine: Engine;
  scale: 'city' | 'national';
  documents: number;
  seconds: number;
  documentsPerSecond: number;
}

const BATCH = 500;
/** SQLite has one writer at a time; PostgreSQL takes several, as with several application servers. */
const writersFor = (engine: Engine) => (engine === 'postgres' ? 4 : 1);
const WARDS_PER_CITY = 5;
const YEARS = 20;

function cityScale(): Plan[] {
  return OSAKA_WARDS.flatMap((w, i) =>
    Array.from({ length: YEARS }, (_, y) => generatePlan(10_000 + i * YEARS + y, { organization: w.name, fiscalYear: 2006 + y, maxIssues: 4 })),
  );
}

/** Document d belongs to city ⌊d / (wards·years)⌋, so each city's wards are created once, by its first documents. */
function nationalDocument(d: number): { city: number; plan: Plan } {
  const perCity = WARDS_PER_CITY * YEARS;
  const city = Math.floor(d / perCity);
  const ward = Math.floor((d % perCity) / YEARS);
  const year = d % YEARS;
  return { city, plan: generatePlan(d + 1, { organization: `第${ward + 1}区`, fiscalYear: 2006 + year, maxIssues: 2 }) };
}

async function time(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function benchEngine(engine: Engine, national: number, log: (s: string) => void): Promise<StoreBenchResult[]> {
  const results: StoreBenchResult[] = [];
  const record = (scale: StoreBenchResult['scale'], documents: number, seconds: number) => {
    const r = { engine, scale, documents, seconds, documentsPerSecond: documents / seconds };
    results.push(r);
    const how = scale === 'city' ? '1 writer, 1 transaction per document' : `${writersFor(engine)} writer(s), ${BATCH} documents per transaction`;
    log(`store import  ${engine.padEnd(8)} ${scale.padEnd(8)} ${String(documents).padStart(7)} documents  ${seconds.toFixed(1).padStart(6)} s  ${r.documentsPerSecond.toFixed(0).padStart(6)} documents/s  (${how})`);
  };

  {
    const { store } = await createTestDatabase(engine);
    try {
      const osaka = (await store.findOrganization('osaka'))!;
      const plans = cityScale();
      const seconds = await time(async () => {
        for (const plan of plans) await importPlan(store, { plan, city: osaka, publish: true, author: 'bench', message: 'bench' });
      });
      await check(store, plans.length);
      record('city', plans.length, seconds);
    } finally {
      await store.close();
    }
  }

  {
    const { store } = await createTestDatabase(engine);
    try {
      const cities = new Map<number, Organization>();
      // Batches are whole cities' worth of documents, so parallel writers never share a city.
      const batches: [number, number][] = [];
      for (let start = 0; start < national; start += BATCH) batches.push([start, Math.min(national, start + BATCH)]);
      const writer = async () => {
        for (let b = batches.shift(); b; b = batches.shift()) {
          const [from, to] = b;
          await store.transaction(async (tx) => {
            for (let d = from; d < to; d++) {
              const { city, plan } = nationalDocument(d);
              let org = cities.get(city);
              if (!org) {
                org = await tx.createOrganization({ kind: 'city', name: `試験市${city + 1}`, kana: '', slug: `city-${city + 1}`, code: null });
                cities.set(city, org);
              }
              await importPlan(tx, { plan, city: org, publish: d % 2 === 0, author: 'bench', message: 'bench' });
            }
          });
        }
      };
      const seconds = await time(async () => {
        await Promise.all(Array.from({ length: writersFor(engine) }, writer));
      });
      await check(store, national);
      record('national', national, seconds);
    } finally {
      await store.close();
    }
  }
  return results;
}

async function check(store: SqlStore, expected: number): Promise<void> {
  const n = (await store.listPlans()).length;
  if (n !== expected) throw new Error(`bench stored ${n} plans, expected ${expected}`);
}

export async function benchStoreImport(options: { national?: number; log?: (s: string) => void } = {}): Promise<StoreBenchResult[]> {
  const national = options.national ?? Number(process.env.HOSHIN_BENCH_NATIONAL ?? 100_000);
  const log = options.log ?? ((s: string) => console.log(s));
  const results = await benchEngine('sqlite', national, log);
  const pg = process.env.HOSHIN_BENCH_PG_URL ?? process.env.HOSHIN_TEST_PG_URL ?? startThrowawayPostgres(log);
  if (!pg) {
    log('store import  postgres: skipped (no PostgreSQL: set HOSHIN_BENCH_PG_URL, or install Debian\'s postgresql so the bench can start its own)');
    return results;
  }
  try {
    process.env.HOSHIN_TEST_PG_URL = typeof pg === 'string' ? pg : pg.url;
    results.push(...(await benchEngine('postgres', national, log)));
  } finally {
    if (typeof pg !== 'string') pg.stop();
  }
  return results;
}

const PG_SCRIPT = fileURLToPath(new URL('../../scripts/pg-test.sh', import.meta.url));

/**
 * With no PostgreSQL named, `npm run bench` starts the same throwaway cluster the tests use
 * (when Debian's PostgreSQL is installed), so a user gets both engines from one command.
 */
function startThrowawayPostgres(log: (s: string) => void): { url: string; stop: () => void } | undefined {
  const bin = process.env.HOSHIN_PG_BIN ?? '/usr/lib/postgresql/15/bin';
  if (!existsSync(`${bin}/initdb`)) return undefined;
  log('store import  postgres: starting a throwaway cluster (scripts/pg-test.sh)');
  const out = execFileSync(PG_SCRIPT, ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const url = /HOSHIN_TEST_PG_URL=(\S+)/.exec(out)?.[1];
  if (!url) return undefined;
  return { url, stop: () => execFileSync(PG_SCRIPT, ['stop'], { stdio: 'inherit' }) };
}

/** For bench/run.ts. */
export const run = benchStoreImport;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchStoreImport();
}
