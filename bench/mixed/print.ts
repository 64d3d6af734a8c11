/** The tables the mixed-load and crash benches print. */
import type { LatencySummary, MixedReport } from '../../test/support/load-client.ts';

const row = (name: string, l: LatencySummary) =>
  `  ${name.padEnd(14)}${String(l.count).padStart(8)}${String(l.p50).padStart(9)}${String(l.p95).padStart(9)}${String(l.p99).padStart(9)}${String(l.max).padStart(9)}`;

export function printReport(r: MixedReport): void {
  console.log(`\n${r.engine}: ${r.seconds} s, ${r.readers} readers, ${r.editors} editors on ${r.plans} plans (${r.sharedPlans} shared)`);
  console.log(`  ${'latency ms'.padEnd(14)}${'count'.padStart(8)}${'p50'.padStart(9)}${'p95'.padStart(9)}${'p99'.padStart(9)}${'max'.padStart(9)}`);
  console.log(row('reads (all)', r.reads.all));
  for (const [kind, l] of Object.entries(r.reads.byKind)) console.log(row(`  ${kind}`, l));
  console.log(row('save (POST)', r.writes.save));
  console.log(row('editor form', r.writes.form));
  console.log(row('after save', r.writes.follow));
  console.log(`  reads: ${r.reads.perSecond}/s; read statuses ${JSON.stringify(r.reads.status)}`);
  const w = r.writes;
  console.log(`  writes: ${w.attempted} posted, ${w.acked} acknowledged (${w.perSecond}/s, ${w.merged} merged onto a newer revision), ${w.conflicts} conflicts, ${w.unknown} unanswered, ${w.failed} failed`);
  console.log(`  5xx: ${r.fiveXX}; no answer: ${r.noAnswer}; server peak RSS (VmHWM): ${r.peakRssMB} MB, CPU ${r.serverCpuSeconds} s; revisions replayed by the oracle: ${r.revisionsChecked}`);
  console.log(`  slowest: ${r.slowest.map((x) => `${x.ms} ms ${x.what} at ${x.startedAt} s`).join('; ')}`);
  for (const f of r.failures) console.log(`  FAILURE ${f}`);
  for (const p of r.oracleProblems.slice(0, 50)) console.log(`  ORACLE ${p}`);
  console.log(r.fiveXX === 0 && r.failures.length === 0 && r.oracleProblems.length === 0 ? '  OK: no 5xx, every acknowledged write found, none lost, reverted, half-stored or refused-yet-stored' : '  NOT OK');
}
