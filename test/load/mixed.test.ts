/**
 * Mixed load, short (issue 11, point 3; the long run is bench/mixed/run.ts): readers and
 * editors against the real server on each engine for a few seconds. No 5xx, no failed
 * request, and every revision replayed against what the editors were told: no
 * acknowledged write lost, reverted, half stored; each editor's form shows its last one.
 * Latencies are printed, never asserted.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../store/engines.ts';
import { createLoadWorld, runMixed, type LoadWorld, type MixedReport } from '../support/load-client.ts';

const SECONDS = 5;

describeEachEngine('mixed load', (engine) => {
  let world: LoadWorld;
  let report: MixedReport;

  beforeAll(async () => {
    world = await createLoadWorld({ engine, editors: 4 });
    report = await runMixed(world, { readers: 20, seconds: SECONDS });
    const { reads, writes } = report;
    console.log(`${engine}: ${reads.count} reads (p50 ${reads.all.p50} ms, p99 ${reads.all.p99} ms), ${writes.acked} saves acknowledged (${writes.merged} merged, ${writes.conflicts} conflicts; p50 ${writes.save.p50} ms, p99 ${writes.save.p99} ms), peak RSS ${report.peakRssMB} MB`);
  }, 120_000);
  afterAll(async () => {
    await world?.close();
  });

  it('answers every request without a 5xx or a failure', () => {
    expect(report.failures).toEqual([]);
    expect(report.fiveXX).toBe(0);
    expect(report.noAnswer).toBe(0);
    expect(report.reads.count).toBeGreaterThan(0);
    expect(Object.keys(report.reads.status)).toEqual(['200']);
  });

  it('keeps every acknowledged write, in order, whole, and shows each editor its own', () => {
    expect(report.oracleProblems).toEqual([]);
    expect(report.writes.acked).toBeGreaterThan(0);
    expect(report.writes.failed).toBe(0);
    expect(report.writes.unknown).toBe(0);
    // One stored revision per acknowledged save, nothing else.
    expect(report.revisionsChecked).toBe(report.writes.acked);
    expect(report.sharedPlans).toBeGreaterThan(0);
  });

  it('the oracle itself sees a reverted edit and a changed field no one wrote', async () => {
    const { db, editors, oracle } = world;
    const editor = editors[0]!;
    const summary = (await db.store.findPlan((await db.store.findOrganization(editor.plan.slug))!.id, 2017))!;
    const newest = (await db.store.getRevision(summary.id))!;
    const original = (await db.store.getRevision(summary.id, 1))!;
    const reverted = structuredClone(newest.plan);
    const path = /^issues\[(\d+)\]\.strategies\[(\d+)\]\.initiatives\[(\d+)\]$/.exec(editor.initiative)!.slice(1).map(Number) as [number, number, number];
    const at = (p: typeof reverted) => p.issues[path[0]]!.strategies[path[1]]!.initiatives[path[2]]!;
    at(reverted).title = at(original.plan).title;
    at(reverted).budgetThousandYen = at(original.plan).budgetThousandYen;
    reverted.policy = `${reverted.policy}(書き換え)`;
    await db.store.savePlan({ organizationId: summary.organizationId, fiscalYear: 2017, plan: reverted, basedOnRevision: newest.number, author: 'test', message: 'sabotage' });
    const found = await oracle.verify([]);
    expect(found.problems.join('\n')).toContain('a field no editor wrote has changed');
    expect(found.problems.join('\n')).toMatch(/changed to a value no editor wrote/);
  });
});
