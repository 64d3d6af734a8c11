import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { withMeasurements } from '../../src/domain/pdca/measurements.ts';
import type { Plan } from '../../src/domain/plan.ts';
import { parseDocument, renderDocument } from '../../src/formats/index.ts';
import { createTestStore, type Organization, type SqlStore } from '../../src/store/index.ts';
import { ImportRefusedError, importPlan } from '../../src/store/import-plan.ts';
import { describeEachEngine } from './engines.ts';

const fixture = readFileSync('test/fixtures/json/osaka-nishi-2017-pdca.json', 'utf8');
const full = (): Plan => parseDocument(new TextEncoder().encode(fixture), 'plan.json').plan!;

describeEachEngine('importPlan of a hoshin-plan/2 document', (engine) => {
  let store: SqlStore;
  let osaka: Organization;
  beforeEach(async () => {
    store = await createTestStore(engine);
    osaka = (await store.findOrganization('osaka'))!;
  });
  afterEach(async () => {
    await store.close();
  });
  const run = (plan = full(), publish = false) => importPlan(store, { plan, city: osaka, publish, author: 'cli:test', message: 'import' });

  it('--publish publishes everything it carries: indicators and reviews in the revision, measurements beside it; export gives the same JSON', async () => {
    const r = await run(full(), true);
    expect(r).toMatchObject({ outcome: 'created', published: true, measurementsAdded: 4 });
    const published = (await store.getPublishedPlan('nishi', 2017))!;
    // Not in the revision body…
    expect(JSON.stringify(published.revision.plan)).not.toContain('measurements');
    expect(published.revision.plan.issues[0]!.strategies[0]!.reviews!.midYear!.achievement).toEqual({ scale: 'osaka-midyear-achievement', code: '②' });
    // …but beside it, and filled back in they give the document again.
    const records = await store.listMeasurements(r.planId);
    expect(records.map((m) => [m.indicatorId, m.date, m.author])).toEqual([
      ['ind-1-1-recognition', '2017-06-30', 'cli:test'],
      ['ind-1-1-recognition', '2017-09-30', 'cli:test'],
      ['ind-1-1-1-consultations', '2017-09-30', 'cli:test'],
      ['ind-1-1-recognition', '2018-03-31', 'cli:test'],
    ]);
    expect(renderDocument(withMeasurements(published.revision.plan, records), 'json')).toBe(fixture);
  });

  it('importing the same document again stores no revision and no measurement twice; a new one is added', async () => {
    await run();
    expect(await run()).toMatchObject({ outcome: 'unchanged', revision: 1, measurementsAdded: 0 });
    const more = full();
    more.issues[0]!.strategies[0]!.outcomeIndicators![0]!.measurements!.push({ date: '2018-06-30', value: 48 });
    const r = await run(more);
    expect(r).toMatchObject({ outcome: 'unchanged', measurementsAdded: 1 });
    expect(await store.listMeasurements(r.planId)).toHaveLength(5);
  });

  it('a changed review is a new revision (not "unchanged")', async () => {
    await run();
    const changed = full();
    changed.issues[0]!.strategies[0]!.reviews!.midYear!.comment = '見直した';
    expect(await run(changed)).toMatchObject({ outcome: 'updated', revision: 2 });
  });

  it('gives an indicator without an id one made from its item, the same on a re-import', async () => {
    const plan = full();
    delete plan.issues[0]!.strategies[0]!.outcomeIndicators![0]!.id;
    const r = await run(plan);
    const records = await store.listMeasurements(r.planId);
    expect(records[0]!.indicatorId).toBe('strategy-1-1-outcome-1');
    expect(await run(plan)).toMatchObject({ outcome: 'unchanged', measurementsAdded: 0 });
  });

  it('refuses a carriedFrom naming no item of the previous year\'s plan, storing nothing', async () => {
    const previous = full();
    previous.fiscalYear = 2016;
    for (const list of [previous.issues[0]!.outcomeIndicators!, previous.issues[0]!.strategies[0]!.outcomeIndicators!, previous.issues[0]!.strategies[0]!.initiatives[0]!.processIndicators!]) {
      for (const i of list) delete i.measurements;
    }
    delete previous.issues[0]!.carriedFrom;
    delete previous.issues[0]!.strategies[0]!.initiatives[0]!.carriedFrom;
    previous.issues[0]!.id = 'issue-1-fy2016';
    await run(previous);
    const err = await run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportRefusedError);
    expect((err as ImportRefusedError).problems).toEqual([
      { field: 'issues[0].strategies[0].initiatives[0].carriedFrom', message: 'carriedFrom「initiative-1-1-1-fy2016」は前年度(2016年度)の計画の項目にありません' },
    ]);
    expect(await store.findPlan((await store.findOrganization('nishi'))!.id, 2017)).toBeUndefined();
  });
});
