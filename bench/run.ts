/**
 * `npm run bench [-- NAME…]`: runs every known benchmark module (or those whose name
 * contains one of the NAMEs), prints their tables, and writes all results with the
 * machine they ran on to bench/results/latest.json (kept out of git). Arguments that
 * start with '-' are not names: modules read their own (`npm run bench -- load --quick`).
 *
 * A module exports `run(): Promise<unknown>` (its rows, written to the JSON as they are)
 * and prints its own table. Add new ones to BENCHES; a listed file that does not exist
 * yet is skipped, so a benchmark can be listed before it lands.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';

const BENCHES: { name: string; module: string }[] = [
  { name: 'convert', module: './convert.ts' },
  { name: 'store/import', module: './store/import.ts' },
  { name: 'editor-limits', module: './editor-limits.ts' },
  { name: 'merge', module: './merge.ts' },
  { name: 'documents', module: './documents.ts' },
  // Public pages under load beside nginx, one process and --workers N, and memory with a city's plans.
  { name: 'load', module: './load/index.ts' },
];

interface BenchModule {
  run: () => Promise<unknown>;
}

const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = BENCHES.filter((b) => filters.length === 0 || filters.some((f) => b.name.includes(f)));
if (selected.length === 0) {
  console.error(`no benchmark matches ${filters.join(' ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`);
  process.exit(2);
}

const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGB: Math.round(totalmem() / 1024 ** 3),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  // Other work on a shared machine skews the numbers: recorded so a slow run can be explained.
  loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
};
console.log(`${new Date().toISOString()}  ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}\n`);

const results: Record<string, unknown> = {};
for (const bench of selected) {
  const url = new URL(bench.module, import.meta.url);
  if (!existsSync(url)) {
    console.log(`${bench.name}: skipped (${bench.module} does not exist yet)\n`);
    continue;
  }
  const mod = (await import(url.href)) as Partial<BenchModule>;
  if (typeof mod.run !== 'function') throw new Error(`${bench.module} exports no run()`);
  console.log(`== ${bench.name}`);
  const start = process.hrtime.bigint();
  results[bench.name] = await mod.run();
  console.log(`(${bench.name}: ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s)\n`);
}

const out = new URL('./results/', import.meta.url);
await mkdir(out, { recursive: true });
await writeFile(new URL('latest.json', out), `${JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2)}\n`);
console.log('results written to bench/results/latest.json');
