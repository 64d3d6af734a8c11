/**
 * Mixed load (issue 11, point 3): readers on the public pages and editors saving through
 * the staff form, against one `hoshin serve` on a fresh database, then every revision
 * replayed against what the editors were told (test/support/load-client.ts).
 *
 *   node --import tsx bench/mixed/run.ts --engine sqlite|postgres --seconds 60 --readers 200 --editors 20 [--plans N]
 *
 * Exits 1 on any 5xx, failed request or oracle problem. Figures go to stdout and to
 * bench/results/mixed-ENGINE.json.
 */
import { createLoadWorld, runMixed } from '../../test/support/load-client.ts';
import { benchOptions, machine, writeResult } from './options.ts';
import { printReport } from './print.ts';

const o = benchOptions({ seconds: 60, kills: 0 });
const m = machine();
console.log(`mixed load on ${o.engine}: ${o.readers} readers, ${o.editors} editors, ${o.seconds} s (${m.cpus} × ${m.cpuModel}, Node ${m.node}, load ${m.loadAverageAtStart.join(' ')})`);
const world = await createLoadWorld({ engine: o.engine, editors: o.editors, plans: o.plans });
try {
  const report = await runMixed(world, { readers: o.readers, seconds: o.seconds, seed: o.seed });
  printReport(report);
  console.log(`written to ${await writeResult(`mixed-${o.engine}`, report)}`);
  process.exitCode = report.fiveXX > 0 || report.failures.length > 0 || report.oracleProblems.length > 0 ? 1 : 0;
} finally {
  await world.close();
}
