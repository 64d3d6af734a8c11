/**
 * Crash under load, short (issue 11, point 4; the long run is bench/mixed/crash.ts): the
 * server killed with SIGKILL a few times during the mixed load and restarted on the same
 * database. After each kill `hoshin db check` passes and every write acknowledged so far
 * is in its revision, whole; saves cut off by a kill are stored whole or not at all.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../store/engines.ts';
import { createLoadWorld, runCrash, type CrashReport, type LoadWorld } from '../support/load-client.ts';

const KILLS = 3;

describeEachEngine('SIGKILL under mixed load', (engine) => {
  let world: LoadWorld;
  let report: CrashReport;

  beforeAll(async () => {
    world = await createLoadWorld({ engine, editors: 4 });
    report = await runCrash(world, { readers: 20, kills: KILLS, minUpMs: 800, maxUpMs: 2000 });
    console.log(`${engine}: ${KILLS} kills; ${report.writes.acked} saves acknowledged, ${report.unanswered.stored + report.unanswered.absent} cut off (${report.unanswered.stored} stored, ${report.unanswered.absent} absent); ${report.reads.count} reads`);
  }, 180_000);
  afterAll(async () => {
    await world?.close();
  });

  it(`passes the integrity check after each of ${KILLS} kills, with every acknowledged write present`, () => {
    expect(report.kills).toHaveLength(KILLS);
    expect(report.restarts).toBe(KILLS);
    for (const k of report.kills) {
      expect({ kill: k.kill, ...k.integrity }).toEqual({ kill: k.kill, code: 0, output: '問題はありません' });
      expect(k.oracleProblems).toEqual([]);
    }
    expect(report.oracleProblems).toEqual([]);
    expect(report.writes.acked).toBeGreaterThan(0);
  });

  it('takes every editor\'s saves again after the last restart', () => {
    expect(report.editorsSavedAfterLastRestart).toBe(world.editors.length);
  });

  it('never answers 5xx, before or after a restart', () => {
    expect(report.fiveXX).toBe(0);
    expect(report.failures).toEqual([]);
    expect(report.writes.failed).toBe(0);
  });
});
