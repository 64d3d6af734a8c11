/** The Check's store contract (measurements, schedules, rating scales, calendar tokens), the same on every engine. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildPlan } from '../support/build-plan.ts';
import { defaultCheckSchedule } from '../../src/domain/pdca/check-schedule.ts';
import { OSAKA_RATING_SCALES } from '../../src/domain/pdca/rating-scales.ts';
import { DuplicateError, NotFoundError, createTestStore, type Organization, type SqlStore } from '../../src/store/index.ts';
import { hashCalendarToken } from '../../src/store/sql/checks.ts';
import { seedOsakaRatingScales } from '../../src/store/presets/osaka.ts';
import { describeEachEngine } from './engines.ts';

describeEachEngine('check store contract', (engine) => {
  let store: SqlStore;
  let nishi: Organization;
  let osaka: Organization;
  let planId: number;

  beforeEach(async () => {
    store = await createTestStore(engine);
    nishi = (await store.findOrganization('nishi'))!;
    osaka = (await store.findOrganization('osaka'))!;
    const r = await store.savePlan({ organizationId: nishi.id, fiscalYear: 2017, plan: buildPlan(), basedOnRevision: null, author: 'editor1', message: 'new' });
    planId = r.planId;
    await store.setWorkflowState({ planId, basedOnRevision: 1, to: 'submitted', actor: 'editor1' });
    await store.setWorkflowState({ planId, basedOnRevision: 1, to: 'approved', actor: 'approver1' });
    await store.setWorkflowState({ planId, basedOnRevision: 1, to: 'published', actor: 'approver1' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('adds, lists (by date, then id) and deletes measurements, each write audited', async () => {
    const added = await store.addMeasurements({
      planId,
      author: 'editor1',
      measurements: [
        { indicatorId: 'ind-b', date: '2017-09-30', value: 34.1, note: '区民アンケート', source: '西区役所' },
        { indicatorId: 'ind-a', date: '2017-06-30', value: 32.5 },
        { indicatorId: 'ind-a', date: '2017-09-30', value: -0.25 },
      ],
    });
    expect(added).toHaveLength(3);
    expect(added[0]).toMatchObject({ planId, indicatorId: 'ind-b', date: '2017-09-30', value: 34.1, note: '区民アンケート', source: '西区役所', author: 'editor1' });
    expect(added[0]!.recordedAt).toBeInstanceOf(Date);
    expect(added[1]).not.toHaveProperty('note');

    const listed = await store.listMeasurements(planId);
    expect(listed.map((m) => [m.date, m.value])).toEqual([
      ['2017-06-30', 32.5],
      ['2017-09-30', 34.1],
      ['2017-09-30', -0.25],
    ]);
    const [add] = await store.listAudit({ action: 'measurement.add' });
    expect(add).toMatchObject({ actor: 'editor1', planId, organizationId: nishi.id });
    expect(add!.detail).toMatchObject({ count: 3, indicatorIds: ['ind-b', 'ind-a'] });

    await store.deleteMeasurement({ planId, id: added[0]!.id, actor: 'editor2' });
    expect((await store.listMeasurements(planId)).map((m) => m.id)).toEqual([added[1]!.id, added[2]!.id]);
    const [del] = await store.listAudit({ action: 'measurement.delete' });
    expect(del).toMatchObject({ actor: 'editor2', planId, item: 'ind-b', detail: { id: added[0]!.id, value: 34.1 } });

    await expect(store.deleteMeasurement({ planId, id: added[0]!.id, actor: 'editor2' })).rejects.toBeInstanceOf(NotFoundError);
    const other = await store.savePlan({ organizationId: nishi.id, fiscalYear: 2018, plan: buildPlan({ fiscalYear: 2018 }), basedOnRevision: null, author: 'e', message: 'm' });
    // Another plan's measurement is not this plan's to delete.
    await expect(store.deleteMeasurement({ planId: other.planId, id: added[1]!.id, actor: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.addMeasurements({ planId: 99999, author: 'x', measurements: [{ indicatorId: 'a', date: '2017-01-01', value: 1 }] })).rejects.toBeInstanceOf(NotFoundError);
    expect(await store.integrityCheck()).toEqual([]);
  });

  it('stores all of an upload or nothing: one bad row refuses the whole', async () => {
    const good = { indicatorId: 'ind-a', date: '2017-06-30', value: 1 };
    const bad = [
      { ...good, value: Number.NaN },
      { ...good, value: Number.POSITIVE_INFINITY },
      { ...good, date: '2017-02-30' },
      { ...good, date: '2017/06/30' },
      { ...good, indicatorId: 'a b' },
      { ...good, indicatorId: '' },
      { ...good, note: 'x'.repeat(1001) },
      { ...good, source: 'x'.repeat(201) },
      { ...good, value: '1' as unknown as number },
    ];
    for (const row of bad) {
      await expect(store.addMeasurements({ planId, author: 'e', measurements: [good, good, row] }), JSON.stringify(row)).rejects.toThrow(/3件目の測定値/);
    }
    expect(await store.listMeasurements(planId)).toEqual([]);
    expect(await store.listAudit({ action: 'measurement.add' })).toEqual([]);
    // At the bounds it is stored.
    await store.addMeasurements({ planId, author: 'e', measurements: [{ ...good, note: 'x'.repeat(1000), source: 'y'.repeat(200) }] });
    expect(await store.listMeasurements(planId)).toHaveLength(1);
  });

  it('never touches the plan: a published plan stays published, at its revision', async () => {
    const before = (await store.getPlan(planId))!;
    const revisions = await store.listRevisions(planId);
    const [m] = await store.addMeasurements({ planId, author: 'editor1', measurements: [{ indicatorId: 'ind-a', date: '2017-06-30', value: 5 }] });
    await store.deleteMeasurement({ planId, id: m!.id, actor: 'editor1' });
    await store.setCheckSchedule({ planId, schedule: defaultCheckSchedule(2017), actor: 'approver1' });
    const after = (await store.getPlan(planId))!;
    expect(after).toEqual(before);
    expect(after).toMatchObject({ workflowState: 'published', currentRevision: 1, publishedRevision: 1 });
    expect(await store.listRevisions(planId)).toEqual(revisions);
    expect((await store.getPublishedPlan('nishi', 2017))?.revision.number).toBe(1);
  });

  it('gets and sets a plan\'s check schedule, audited', async () => {
    expect(await store.getCheckSchedule(planId)).toBeUndefined();
    const schedule = defaultCheckSchedule(2017);
    await store.setCheckSchedule({ planId, schedule, actor: 'approver1' });
    expect(await store.getCheckSchedule(planId)).toEqual(schedule);
    const reopened = { ...schedule, measurementFrequency: 'quarterly' as const, responsible: { midYear: 3, yearEnd: null, measurements: 4 }, reopened: { midYear: true, yearEnd: false } };
    await store.setCheckSchedule({ planId, schedule: reopened, actor: 'approver1' });
    expect(await store.getCheckSchedule(planId)).toEqual(reopened);
    const entries = await store.listAudit({ action: 'schedule.set' });
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({ actor: 'approver1', planId, organizationId: nishi.id, detail: { from: schedule, to: reopened } });

    await expect(store.setCheckSchedule({ planId, schedule: { ...schedule, midYearDue: '2017-13-01' }, actor: 'a' })).rejects.toBeInstanceOf(RangeError);
    await expect(store.setCheckSchedule({ planId, schedule: { ...schedule, measurementFrequency: 'weekly' as never }, actor: 'a' })).rejects.toBeInstanceOf(RangeError);
    await expect(store.setCheckSchedule({ planId: 99999, schedule, actor: 'a' })).rejects.toBeInstanceOf(NotFoundError);
    expect(await store.getCheckSchedule(planId)).toEqual(reopened);
  });

  it('ships Osaka\'s rating scales, idempotently, and lets a city save and replace its own', async () => {
    const shipped = await store.listRatingScales(osaka.id);
    expect(Object.fromEntries(shipped.map((s) => [s.name, s.options]))).toEqual(OSAKA_RATING_SCALES);
    expect(await seedOsakaRatingScales(store.kysely, new Date().toISOString())).toBe(0);
    expect(await store.listRatingScales(osaka.id)).toEqual(shipped);

    const sakai = await store.createOrganization({ kind: 'city', name: '堺市', kana: 'さかいし', slug: 'sakai', code: '271403' });
    expect(await store.listRatingScales(sakai.id)).toEqual([]);
    const sabc = [
      { code: 'S', label: '大きく上回った', best: true },
      { code: 'A', label: '達成' },
      { code: 'B', label: '概ね達成' },
      { code: 'C', label: '未達成' },
    ];
    await store.saveRatingScale({ organizationId: sakai.id, name: 'sakai-yearend', options: sabc, actor: 'admin' });
    expect(await store.listRatingScales(sakai.id)).toEqual([{ organizationId: sakai.id, name: 'sakai-yearend', options: sabc }]);
    await store.saveRatingScale({ organizationId: sakai.id, name: 'sakai-yearend', options: sabc.slice(1), actor: 'admin' });
    expect((await store.listRatingScales(sakai.id)).map((s) => s.options.map((o) => o.code))).toEqual([['A', 'B', 'C']]);
    // Osaka's are untouched by another city's scale.
    expect(await store.listRatingScales(osaka.id)).toEqual(shipped);
    const entries = await store.listAudit({ action: 'ratingScale.save' });
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({ actor: 'admin', organizationId: sakai.id, item: 'sakai-yearend', detail: { from: sabc } });

    await expect(store.saveRatingScale({ organizationId: sakai.id, name: 'x', options: [], actor: 'a' })).rejects.toBeInstanceOf(RangeError);
    await expect(store.saveRatingScale({ organizationId: sakai.id, name: 'x', options: [sabc[0]!, sabc[0]!], actor: 'a' })).rejects.toThrow(/重複/);
    await expect(store.saveRatingScale({ organizationId: nishi.id, name: 'x', options: sabc, actor: 'a' })).rejects.toBeInstanceOf(RangeError);
    await expect(store.saveRatingScale({ organizationId: 99999, name: 'x', options: sabc, actor: 'a' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('creates, renews and looks up calendar feed tokens, keeping only their hash', async () => {
    const user = await store.createUser({ username: 'tanaka', displayName: '田中', passwordHash: 'x', role: 'editor', organizationId: nishi.id });
    expect(await store.hasCalendarToken(user.id)).toBe(false);
    const token = await store.calendarToken(user.id);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await store.hasCalendarToken(user.id)).toBe(true);
    expect((await store.userByCalendarToken(token))?.username).toBe('tanaka');
    // Shown once: the store cannot give it again.
    await expect(store.calendarToken(user.id)).rejects.toBeInstanceOf(DuplicateError);

    const renewed = await store.calendarToken(user.id, true);
    expect(renewed).not.toBe(token);
    expect(await store.userByCalendarToken(token)).toBeUndefined();
    expect((await store.userByCalendarToken(renewed))?.id).toBe(user.id);
    expect(await store.userByCalendarToken('')).toBeUndefined();
    expect(await store.userByCalendarToken('unknown')).toBeUndefined();
    expect(await store.userByCalendarToken(hashCalendarToken(renewed))).toBeUndefined();

    const stored = await store.kysely.selectFrom('calendar_tokens').selectAll().execute();
    expect(stored).toEqual([expect.objectContaining({ user_id: user.id, token_hash: hashCalendarToken(renewed) })]);
    const entries = await store.listAudit({ action: 'calendar.token' });
    expect(entries.map((e) => e.detail)).toEqual([{ userId: user.id, renewed: false }, { userId: user.id, renewed: true }]);
    expect(JSON.stringify(await store.listAudit())).not.toContain(renewed);
    expect(JSON.stringify(await store.listAudit())).not.toContain(token);

    // Deleting the user takes the token with it.
    await store.deleteUser(user.id);
    expect(await store.userByCalendarToken(renewed)).toBeUndefined();
    expect(await store.kysely.selectFrom('calendar_tokens').selectAll().execute()).toEqual([]);
    await expect(store.calendarToken(user.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await store.integrityCheck()).toEqual([]);
  });

  it('notices unreadable rows of the Check in its integrity check', async () => {
    await store.setCheckSchedule({ planId, schedule: defaultCheckSchedule(2017), actor: 'a' });
    await sql`update check_schedules set schedule = 'not json'`.execute(store.kysely);
    expect((await store.integrityCheck()).join('\n')).toMatch(/check schedule of plan \d+: unreadable JSON/);
  });
});
