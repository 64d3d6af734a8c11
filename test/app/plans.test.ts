import { afterEach, beforeEach, expect, it } from 'vitest';
import { createPlan, saveEdit, takeStep } from '../../src/app/plans.ts';
import { ForbiddenError, InvalidRequestError } from '../../src/app/errors.ts';
import { planItems } from '../../src/domain/item-ids.ts';
import { defaultCheckSchedule } from '../../src/domain/pdca/check-schedule.ts';
import { bootstrap } from '../../src/server/bootstrap.ts';
import { createTestStore, WorkflowError, type Store, type User } from '../../src/store/index.ts';
import { describeEachEngine } from '../store/engines.ts';

/** The plan use cases on each engine: what they decide and what they store, without the web. */
describeEachEngine('plan use cases', (engine) => {
  let store: Store;
  let editor: User;
  let approver: User;
  let kitaEditor: User;
  let nishiId: number;
  beforeEach(async () => {
    store = await createTestStore(engine);
    await bootstrap(store, { HOSHIN_ADMIN_PASSWORD: 'x'.repeat(16) });
    nishiId = (await store.findOrganization('nishi'))!.id;
    const kitaId = (await store.findOrganization('kita'))!.id;
    const user = (username: string, role: User['role'], organizationId: number) =>
      store.createUser({ username, displayName: username, passwordHash: 'unused', role, organizationId });
    editor = await user('editor', 'editor', nishiId);
    approver = await user('approver', 'approver', nishiId);
    kitaEditor = await user('kitaeditor', 'editor', kitaId);
  });
  afterEach(() => store.close());

  const seed = async () => (await store.findPlan(nishiId, 2017))!;

  it('creates next year’s plan from this one: new ids, each item linked to the one it continues, evaluation empty', async () => {
    const outcome = await createPlan(store, editor, { organizationId: nishiId, fiscalYear: 2018, source: { kind: 'previousYear' } });
    expect(outcome.kind).toBe('created');
    if (outcome.kind !== 'created') return;
    const last = (await store.getRevision((await seed()).id))!.plan;
    const next = outcome.revision.plan;
    const lastItems = planItems(last);
    const nextItems = planItems(next);
    expect(nextItems.map((i) => i.label)).toEqual(lastItems.map((i) => i.label));
    expect(nextItems.map((i) => i.item.carriedFrom)).toEqual(lastItems.map((i) => i.item.id));
    for (const i of nextItems) expect(lastItems.map((x) => x.item.id)).not.toContain(i.item.id);
    expect(next.selfEvaluation).toEqual({ achievements: '', challenges: '' });
    expect(next.documentStatus).toBe('draft');
    // The links survive a reread from the store.
    expect(planItems((await store.getRevision(outcome.revision.planId))!.plan).map((i) => i.item.carriedFrom)).toEqual(lastItems.map((i) => i.item.id));
    expect((await createPlan(store, editor, { organizationId: nishiId, fiscalYear: 2018, source: { kind: 'empty' } })).kind).toBe('exists');
  });

  it('refuses another ward’s editor, and a save without a base revision', async () => {
    await expect(createPlan(store, kitaEditor, { organizationId: nishiId, fiscalYear: 2019, source: { kind: 'empty' } })).rejects.toBeInstanceOf(ForbiddenError);
    const plan = (await store.getRevision((await seed()).id))!.plan;
    await expect(saveEdit(store, kitaEditor, { planId: (await seed()).id, baseRevision: 1, plan, message: '' })).rejects.toBeInstanceOf(ForbiddenError);
    for (const baseRevision of [undefined, 0, -1, 1.5, 99]) {
      await expect(saveEdit(store, editor, { planId: (await seed()).id, baseRevision, plan, message: '' })).rejects.toBeInstanceOf(InvalidRequestError);
    }
  });

  it('withdraws a publication even while a newer draft is being edited', async () => {
    const summary = await seed();
    expect(summary.publishedRevision).toBe(1);
    const plan = (await store.getRevision(summary.id))!.plan;
    const saved = await saveEdit(store, editor, { planId: summary.id, baseRevision: 1, plan: { ...plan, goal: '新しい下書き' }, message: '' });
    expect(saved.kind).toBe('saved');
    const draft = (await store.getPlan(summary.id))!;
    expect([draft.workflowState, draft.currentRevision, draft.publishedRevision]).toEqual(['editing', 2, 1]);
    await expect(takeStep(store, editor, { planId: summary.id, action: 'unpublish', basedOnRevision: 2 })).rejects.toBeInstanceOf(ForbiddenError);
    // Based on the revision the approver saw (the published one): still taken.
    const done = await takeStep(store, approver, { planId: summary.id, action: 'unpublish', basedOnRevision: 1 });
    expect(done.kind).toBe('done');
    expect(await store.getPublishedPlan('nishi', 2017)).toBeUndefined();
    expect((await store.getPlan(summary.id))!.workflowState).toBe('editing');
    await expect(takeStep(store, approver, { planId: summary.id, action: 'unpublish', basedOnRevision: 2 })).rejects.toBeInstanceOf(WorkflowError);
  });

  it('publishes a 案 as 確定 when asked: a new revision without the mark, published', async () => {
    const summary = await seed();
    const plan = (await store.getRevision(summary.id))!.plan;
    expect(plan.documentStatus).toBe('draft');
    await saveEdit(store, editor, { planId: summary.id, baseRevision: 1, plan: { ...plan, goal: '確定前の修正' }, message: '' });
    for (const [who, action] of [[editor, 'submit'], [approver, 'approve']] as const) {
      const s = (await store.getPlan(summary.id))!;
      expect((await takeStep(store, who, { planId: s.id, action, basedOnRevision: s.currentRevision })).kind).toBe('done');
    }
    const approved = (await store.getPlan(summary.id))!;
    const done = await takeStep(store, approver, { planId: summary.id, action: 'publish', basedOnRevision: approved.currentRevision, finalize: true });
    expect(done.kind).toBe('done');
    const published = (await store.getPublishedPlan('nishi', 2017))!;
    expect(published.revision.number).toBe(approved.currentRevision + 1);
    expect(published.revision.plan.documentStatus).toBe('final');
    expect(published.revision.plan.goal).toBe('確定前の修正');
    expect(published.summary.workflowState).toBe('published');
  });

  it('locks a review past its deadline until an approver reopens it', async () => {
    const summary = await seed();
    const plan = (await store.getRevision(summary.id))!.plan;
    const reviewed = (comment: string): typeof plan => {
      const copy = structuredClone(plan);
      copy.issues[0]!.strategies[0]!.reviews = { midYear: { comment } };
      return copy;
    };
    const afterDeadline = new Date('2017-11-15T03:00:00Z'); // 中間振り返り due 2017-10-31
    const refused = await saveEdit(store, editor, { planId: summary.id, baseRevision: 1, plan: reviewed('締切後の記入'), message: '', now: afterDeadline });
    expect(refused.kind).toBe('invalid');
    if (refused.kind === 'invalid') expect(refused.problems.map((p) => p.field)).toContain('issues[0].strategies[0].reviews.midYear');
    // Before the deadline the same save goes through; other fields are never locked.
    const before = await saveEdit(store, editor, { planId: summary.id, baseRevision: 1, plan: reviewed('締切前の記入'), message: '', now: new Date('2017-10-01T03:00:00Z') });
    expect(before.kind).toBe('saved');
    const goalOnly = { ...(await store.getRevision(summary.id))!.plan, goal: '目標の修正' };
    expect((await saveEdit(store, editor, { planId: summary.id, baseRevision: 2, plan: goalOnly, message: '', now: afterDeadline })).kind).toBe('saved');
    // Reopened by the approver, the review can change again.
    const schedule = defaultCheckSchedule(2017);
    await store.setCheckSchedule({ planId: summary.id, schedule: { ...schedule, reopened: { midYear: true, yearEnd: false } }, actor: 'approver' });
    const current = (await store.getRevision(summary.id))!;
    const changed = structuredClone(current.plan);
    changed.issues[0]!.strategies[0]!.reviews = { midYear: { comment: '再開後の修正' } };
    expect((await saveEdit(store, editor, { planId: summary.id, baseRevision: current.number, plan: changed, message: '', now: afterDeadline })).kind).toBe('saved');
    expect((await store.getRevision(summary.id))!.plan.issues[0]!.strategies[0]!.reviews?.midYear?.comment).toBe('再開後の修正');
  });
});

