import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPlan } from '../support/build-plan.ts';
import {
  calendarFeed, deleteMeasurement, feedChecks, importMeasurementsCsv, issueCalendarToken, listDueChecks, recordMeasurement, saveCheckSchedule,
  planStatus, setReviewReopened, todayInJapan, viewIndicators,
} from '../../src/app/checks.ts';
import { ForbiddenError, ValidationError } from '../../src/app/errors.ts';
import type { Plan } from '../../src/domain/plan.ts';
import { bootstrap } from '../../src/server/bootstrap.ts';
import { createTestStore, type Store, type User } from '../../src/store/index.ts';
import { describeEachEngine } from '../store/engines.ts';

/** The seed plan with an outcome indicator on strategy 1-1 and a process indicator on 1-1-1. */
function withIndicators(plan: Plan): Plan {
  const copy = structuredClone(plan);
  const strategy = copy.issues[0]!.strategies[0]!;
  strategy.outcomeIndicators = [{
    id: 'ind-outcome', statement: '地域活動に参加している区民の割合', unit: '%', direction: 'higher',
    baseline: { value: 30, date: '2017-03-31' }, target: { value: 40, fiscalYear: 2017 }, source: '区民アンケート',
  }];
  strategy.initiatives[0]!.processIndicators = [{ id: 'ind-process', statement: '講座の開催回数', unit: '回', direction: 'higher', target: { value: 12, fiscalYear: 2017 } }];
  return copy;
}

describeEachEngine('check use cases', (engine) => {
  let store: Store;
  let editor: User;
  let approver: User;
  let kitaEditor: User;
  let planner: User;
  let planId: number;
  let nishiId: number;
  beforeEach(async () => {
    store = await createTestStore(engine);
    await bootstrap(store, { HOSHIN_ADMIN_PASSWORD: 'x'.repeat(16) });
    nishiId = (await store.findOrganization('nishi'))!.id;
    const kitaId = (await store.findOrganization('kita'))!.id;
    const user = (username: string, role: User['role'], organizationId: number | null) =>
      store.createUser({ username, displayName: `${username}さん`, passwordHash: 'unused', role, organizationId });
    editor = await user('editor', 'editor', nishiId);
    approver = await user('approver', 'approver', nishiId);
    kitaEditor = await user('kitaeditor', 'editor', kitaId);
    planner = await user('planner', 'planner', null);
    planId = (await store.findPlan(nishiId, 2017))!.id;
    const plan = (await store.getRevision(planId))!.plan;
    await store.savePlan({ organizationId: nishiId, fiscalYear: 2017, plan: withIndicators(plan), basedOnRevision: 1, author: 'editor', message: '指標' });
    await store.publishRevision({ planId, revision: 2, actor: 'approver' });
  });
  afterEach(() => store.close());

  const base = () => ({ planId, indicatorId: 'ind-outcome', date: '2017-09-30', value: '34.1' });

  it('records a measurement on a published plan without touching its revisions or workflow', async () => {
    const before = (await store.getPlan(planId))!;
    expect([before.workflowState, before.currentRevision, before.publishedRevision]).toEqual(['published', 2, 2]);
    const record = await recordMeasurement(store, editor, { ...base(), value: '３４．１', note: '中間', source: 'アンケート' });
    expect(record).toMatchObject({ planId, indicatorId: 'ind-outcome', date: '2017-09-30', value: 34.1, note: '中間', source: 'アンケート', author: 'editor' });
    const after = (await store.getPlan(planId))!;
    expect([after.workflowState, after.currentRevision, after.publishedRevision]).toEqual(['published', 2, 2]);
    expect((await store.listRevisions(planId)).length).toBe(2);
    expect((await store.listAudit({ planId, action: 'measurement.add' })).length).toBe(1);
    const view = await viewIndicators(store, approver, { planId, today: '2017-10-01' });
    expect(view.measurements).toHaveLength(1);
    expect(view.status.byItemId.get(view.plan.issues[0]!.strategies[0]!.id!)?.indicators[0]?.result.latest?.value).toBe(34.1);
  });

  it('refuses, by field, an unknown indicator, a date before the fiscal year or not a day, a value that is not a number', async () => {
    const problems = async (input: Partial<ReturnType<typeof base>> & { note?: string; source?: string }) => {
      try {
        await recordMeasurement(store, editor, { ...base(), ...input });
      } catch (e) {
        if (e instanceof ValidationError) return Object.keys(e.problems);
        throw e;
      }
      return [];
    };
    expect(await problems({ indicatorId: 'nope' })).toEqual(['indicatorId']);
    expect(await problems({ date: '2017-03-31' })).toEqual(['date']);
    expect(await problems({ date: '2017-02-30' })).toEqual(['date']);
    expect(await problems({ value: 'abc' })).toEqual(['value']);
    expect(await problems({ value: '1e309' })).toEqual(['value']);
    expect(await problems({ value: '9999999999999' })).toEqual(['value']);
    expect(await problems({ note: 'あ'.repeat(1001), source: 'い'.repeat(201) })).toEqual(['note', 'dataSource']);
    expect(await store.listMeasurements(planId)).toEqual([]);
  });

  it('lets only the organization’s editors record and delete', async () => {
    await expect(recordMeasurement(store, kitaEditor, base())).rejects.toBeInstanceOf(ForbiddenError);
    await expect(recordMeasurement(store, approver, base())).rejects.toBeInstanceOf(ForbiddenError);
    await expect(recordMeasurement(store, planner, base())).rejects.toBeInstanceOf(ForbiddenError);
    const record = await recordMeasurement(store, editor, base());
    await expect(deleteMeasurement(store, kitaEditor, { planId, id: record.id })).rejects.toBeInstanceOf(ForbiddenError);
    await deleteMeasurement(store, editor, { planId, id: record.id });
    expect(await store.listMeasurements(planId)).toEqual([]);
  });

  it('imports a CSV file whole, or nothing of it', async () => {
    const bad = new TextEncoder().encode('指標ID,日付,値\nind-outcome,2017-06-30,31\nind-process,2017-06-30,abc\n');
    expect(await importMeasurementsCsv(store, editor, { planId, bytes: bad })).toEqual({ kind: 'invalid', problems: ['3行目 値(C列): 「abc」は数値ではありません'] });
    expect(await store.listMeasurements(planId)).toEqual([]);
    const good = new TextEncoder().encode('\uFEFF指標,日付,値,備考\r\n1-1 指標1,2017/6/30,31,速報\r\n1-1-1 指標1,2017/6/30,3,\r\n');
    const outcome = await importMeasurementsCsv(store, editor, { planId, bytes: good });
    expect(outcome.kind).toBe('imported');
    expect((await store.listMeasurements(planId)).map((m) => [m.indicatorId, m.value, m.note])).toEqual([['ind-outcome', 31, '速報'], ['ind-process', 3, undefined]]);
    expect((await store.getPlan(planId))!.workflowState).toBe('published');
    await expect(importMeasurementsCsv(store, kitaEditor, { planId, bytes: good })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('saves a schedule with people of the organization, and reopens a locked review with an audit entry', async () => {
    await expect(saveCheckSchedule(store, kitaEditor, { planId, midYearDue: '2017-10-31', yearEndDue: '2018-06-30', measurementFrequency: '', responsibleMidYear: '', responsibleYearEnd: '', responsibleMeasurements: '' }))
      .rejects.toBeInstanceOf(ForbiddenError);
    const bad = saveCheckSchedule(store, editor, {
      planId, midYearDue: '2017-13-01', yearEndDue: '2016-01-01', measurementFrequency: 'weekly', responsibleMidYear: String(kitaEditor.id), responsibleYearEnd: 'x', responsibleMeasurements: '',
    });
    await expect(bad).rejects.toBeInstanceOf(ValidationError);
    await bad.catch((e: ValidationError) => expect(Object.keys(e.problems)).toEqual(['midYearDue', 'yearEndDue', 'measurementFrequency', 'responsibleMidYear', 'responsibleYearEnd']));
    const saved = await saveCheckSchedule(store, approver, {
      planId, midYearDue: '2017-10-20', yearEndDue: '2018-06-15', measurementFrequency: 'quarterly', responsibleMidYear: String(editor.id), responsibleYearEnd: '', responsibleMeasurements: String(approver.id),
    });
    expect(await store.getCheckSchedule(planId)).toEqual(saved);
    await expect(setReviewReopened(store, editor, { planId, kind: 'midYear', reopened: true })).rejects.toBeInstanceOf(ForbiddenError);
    await setReviewReopened(store, approver, { planId, kind: 'midYear', reopened: true });
    expect((await store.getCheckSchedule(planId))!.reopened).toEqual({ midYear: true, yearEnd: false });
    await setReviewReopened(store, approver, { planId, kind: 'midYear', reopened: false });
    expect((await store.getCheckSchedule(planId))!.reopened).toEqual({ midYear: false, yearEnd: false });
    const audit = await store.listAudit({ planId });
    expect(audit.filter((a) => a.action.startsWith('review.')).map((a) => [a.action, a.item, a.actor])).toEqual([['review.reopen', 'midYear', 'approver'], ['review.lock', 'midYear', 'approver']]);
    // The schedule kept its dates and people through the reopening.
    expect((await store.getCheckSchedule(planId))!.responsible).toEqual({ midYear: editor.id, yearEnd: null, measurements: approver.id });
  });

  it('lists what is due and overdue for the user’s organization, all for planners', async () => {
    const mine = await listDueChecks(store, editor, '2017-11-01');
    expect(mine.map((d) => [d.kind, d.state])).toEqual([['midYear', 'overdue'], ['yearEnd', 'upcoming']]);
    expect(await listDueChecks(store, kitaEditor, '2017-11-01')).toEqual([]);
    expect((await listDueChecks(store, planner, '2017-11-01')).length).toBe(2);
  });

  it('serves a feed of the user’s checks at a token, renewed on request; the old token stops working', async () => {
    const now = new Date('2017-11-01T03:00:00Z');
    const token = await issueCalendarToken(store, editor, false);
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const feed = (await calendarFeed(store, token, now))!;
    expect(feed).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(feed).toContain('DTSTART;VALUE=DATE:20171031\r\n');
    expect(feed).toContain(`UID:plan-${planId}-midYear@hoshin\r\n`);
    const renewed = await issueCalendarToken(store, editor, true);
    expect(renewed).not.toBe(token);
    expect(await calendarFeed(store, token, now)).toBeUndefined();
    expect(await calendarFeed(store, renewed, now)).toBeDefined();
    // An admin or planner gets only what names them.
    const plannerToken = await issueCalendarToken(store, planner, false);
    expect(await calendarFeed(store, plannerToken, now)).not.toContain('BEGIN:VEVENT');
    await store.deleteUser(editor.id);
    expect(await calendarFeed(store, renewed, now)).toBeUndefined();
  });

  it('puts in a feed the checks one is in charge of, and the organization’s unassigned ones', () => {
    const item = { planId: 1, organization: '西区', fiscalYear: 2017, kind: 'midYear' as const, due: '2017-10-31', missing: [] };
    const items = [
      { ...item, organizationId: nishiId, state: 'due' as const, responsibleUserId: null },
      { ...item, organizationId: nishiId, state: 'overdue' as const, responsibleUserId: approver.id },
      { ...item, organizationId: nishiId, state: 'done' as const, responsibleUserId: null },
      { ...item, organizationId: nishiId + 1000, state: 'due' as const, responsibleUserId: null },
    ];
    expect(feedChecks(editor, items)).toEqual([items[0]]);
    expect(feedChecks(approver, items)).toEqual([items[0], items[1]]);
    expect(feedChecks(planner, items)).toEqual([]);
  });

  it('takes today in Japan', () => {
    expect(todayInJapan(new Date('2017-10-31T15:00:00Z'))).toBe('2017-11-01');
    expect(todayInJapan(new Date('2017-10-31T14:59:59Z'))).toBe('2017-10-31');
  });
});

describe('planStatus', () => {
  it('judges a plan within its own fiscal year: an old plan reads as it stood at its year’s end', () => {
    const plan = buildPlan({ fiscalYear: 2017 });
    plan.issues[0]!.strategies[0]!.outcomeIndicators = [{
      id: 'ind-1', statement: '地域活動を知っている区民の割合', unit: '%', direction: 'higher',
      baseline: { value: 32.5, date: '2016-10-31' }, target: { value: 40, fiscalYear: 2019 },
    }];
    const records = [{ indicatorId: 'ind-1', date: '2018-03-01', value: 36.4 }];
    const strategyOn = (today: string) => planStatus(plan, records, today).issues[0]!.strategies[0]!.status;
    // Judged years later, the FY2019 target would look overdue (expected 100%, progress 52%);
    // judged at FY2017's end, as the plan's own year, it is on track (expected about 41%).
    expect(strategyOn('2026-11-28')).toBe('onTrack');
    expect(strategyOn('2018-03-31')).toBe('onTrack');
    // Within the year, today counts: in November 2017 the same figure is well ahead.
    expect(strategyOn('2017-11-30')).not.toBe('behind');
  });
});
