/**
 * Crash under load (issue 11, point 4): the mixed load while the server is killed with
 * SIGKILL `--kills` times and restarted on the same database. After each kill, with the
 * server down, `hoshin db check` must pass and every write acknowledged so far must be in
 * its revision, whole (test/support/load-client.ts, runCrash).
 *
 *   node --import tsx bench/mixed/crash.ts --engine sqlite|postgres --kills 20 [--readers 200 --editors 20 --min-up 3 --max-up 8]
 *
 * Each kill comes 3–8 s (--min-up, --max-up) after the previous restart.
 *
 * Exits 1 on any integrity or oracle problem, 5xx or failed request. Figures go to stdout
 * and to bench/results/crash-ENGINE.json.
 */
import { createLoadWorld, runCrash } from '../../test/support/load-client.ts';
import { benchOptions, machine, writeResult } from './options.ts';
import { printReport } from './print.ts';

const o = benchOptions({ seconds: 0, kills: 20 });
const m = machine();
console.log(`crash under load on ${o.engine}: ${o.kills} kills, ${o.readers} readers, ${o.editors} editors (${m.cpus} × ${m.cpuModel}, Node ${m.node}, load ${m.loadAverageAtStart.join(' ')})`);
const world = await createLoadWorld({ engine: o.engine, editors: o.editors, plans: o.plans });
try {
  const report = await runCrash(world, {
    readers: o.readers, kills: o.kills, seed: o.seed, minUpMs: o.minUpMs, maxUpMs: o.maxUpMs,
    onKill: (k) => console.log(`  kill ${String(k.kill).padStart(2)} at ${k.at} s (${k.timing.padEnd(19)}): db check ${k.integrity.code === 0 ? 'passed' : `FAILED (${k.integrity.output})`}, ${k.ackedSoFar} acknowledged writes so far all found${k.oracleProblems.length > 0 ? ` — ${k.oracleProblems.length} ORACLE PROBLEMS` : ''}, ${k.inFlight} saves in flight unanswered, down ${k.downSeconds} s`),
  });
  printReport(report);
  const failedChecks = report.kills.filter((k) => k.integrity.code !== 0).length;
  const { stored, absent } = report.unanswered;
  console.log(`  kills: ${report.kills.length}, restarts: ${report.restarts}, integrity checks failed: ${failedChecks}; saves cut off by a kill: ${stored + absent} (${stored} stored whole, ${absent} absent, none half)`);
  console.log(`written to ${await writeResult(`crash-${o.engine}`, report)}`);
  console.log(`  editors with a save acknowledged after the last restart: ${report.editorsSavedAfterLastRestart} of ${report.editors}`);
  process.exitCode = failedChecks > 0 || report.editorsSavedAfterLastRestart < report.editors || report.fiveXX > 0 || report.failures.length > 0 || report.oracleProblems.length > 0 ? 1 : 0;
} finally {
  await world.close();
}
