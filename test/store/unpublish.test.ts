/** 公開停止: an approver takes a plan off the public site at any time, a newer draft or not. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildPlan } from '../support/build-plan.ts';
import { createTestStore, WorkflowError, type Organization, type SqlStore } from '../../src/store/index.ts';
import { describeEachEngine } from './engines.ts';

describeEachEngine('unpublish', (engine) => {
  let store: SqlStore;
  let nishi: Organization;
  const save = (goal: string, basedOnRevision: number | null) =>
    store.savePlan({ organizationId: nishi.id, fiscalYear: 2017, plan: buildPlan({ goal }), basedOnRevision, author: 'editor1', message: goal });
  const publishFirst = async () => {
    const { planId } = await save('A', null);
    for (const to of ['submitted', 'approved', 'published'] as const) await store.setWorkflowState({ planId, basedOnRevision: 1, to, actor: 'boss' });
    return planId;
  };

  beforeEach(async () => {
    store = await createTestStore(engine);
    nishi = (await store.findOrganization('nishi'))!;
  });
  afterEach(async () => {
    await store.close();
  });

  it('withdraws the publication while a newer revision is being edited, whatever revision it was based on', async () => {
    const planId = await publishFirst();
    await save('B', 1);
    expect(await store.getPlan(planId)).toMatchObject({ workflowState: 'editing', currentRevision: 2, publishedRevision: 1 });
    // Based on revision 1: the approver may not have seen revision 2, and need not have.
    const summary = await store.setWorkflowState({ planId, basedOnRevision: 1, to: 'approved', action: 'unpublish', actor: 'boss', message: '誤りがあるため' });
    expect(summary).toMatchObject({ workflowState: 'editing', publishedRevision: null, publishedDocumentStatus: null });
    expect(await store.getPublishedPlan('nishi', 2017)).toBeUndefined();
    expect(await store.getPlan(planId)).toMatchObject({ workflowState: 'editing', currentRevision: 2, publishedRevision: null });
    const entry = (await store.listAudit({ planId, action: 'plan.workflow' })).at(-1)!;
    expect(entry).toMatchObject({ actor: 'boss', detail: { action: 'unpublish', from: 'editing', to: 'editing', revision: 2, unpublishedRevision: 1, message: '誤りがあるため' } });
    // Nothing left to withdraw.
    await expect(store.setWorkflowState({ planId, basedOnRevision: 2, to: 'approved', action: 'unpublish', actor: 'boss' })).rejects.toBeInstanceOf(WorkflowError);
    expect(await store.integrityCheck()).toEqual([]);
  });

  it('sends a published plan back to approved, as the table says', async () => {
    const planId = await publishFirst();
    expect(await store.setWorkflowState({ planId, basedOnRevision: 1, to: 'approved', actor: 'boss' })).toMatchObject({ workflowState: 'approved', publishedRevision: null });
    expect(await store.getPublishedPlan('nishi', 2017)).toBeUndefined();
    expect((await store.listAudit({ planId, action: 'plan.workflow' })).at(-1)!.detail).toMatchObject({ action: 'unpublish', from: 'published', to: 'approved' });
  });

  it('withdraws a revision published directly under a submitted newer one', async () => {
    const { planId } = await save('A', null);
    await store.publishRevision({ planId, revision: 1, actor: 'cli' });
    await save('B', 1);
    await store.setWorkflowState({ planId, basedOnRevision: 2, to: 'submitted', actor: 'editor1' });
    expect(await store.setWorkflowState({ planId, basedOnRevision: 2, to: 'approved', action: 'unpublish', actor: 'boss' })).toMatchObject({ workflowState: 'submitted', publishedRevision: null });
  });

  it('refuses when nothing is published', async () => {
    const { planId } = await save('A', null);
    await expect(store.setWorkflowState({ planId, basedOnRevision: 1, to: 'approved', action: 'unpublish', actor: 'boss' })).rejects.toBeInstanceOf(WorkflowError);
    expect(await store.getPlan(planId)).toMatchObject({ workflowState: 'editing', publishedRevision: null });
  });
});
