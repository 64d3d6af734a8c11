/** Moving a plan along the workflow, and publishing: the public site shows a plan's published revision. */
import { findTransition, TRANSITIONS, type WorkflowState } from '../../domain/workflow.ts';
import { toPlanSummary, toTime, type PlanWithOrgRow } from '../mapper.ts';
import { NotFoundError, WorkflowError, type PlanSummary, type SetWorkflowStateInput } from '../store.ts';
import { AUDIT, insertAudit } from './audit.ts';
import type { SqlContext } from './context.ts';
import { conflict, lockPlanWithOrg } from './plan-rows.ts';

export async function setWorkflowState(ctx: SqlContext, input: SetWorkflowStateInput): Promise<PlanSummary> {
  return ctx.write(async (tx) => {
    const plan = await lockPlanWithOrg(tx, input.planId);
    if (!plan) throw new NotFoundError(`計画 ${input.planId} が見つかりません`);
    const from = plan.workflow_state;
    const t = input.action === undefined ? findTransition(from, input.to) : TRANSITIONS.find((x) => x.from === from && x.to === input.to && x.action === input.action);
    // The table (src/domain/workflow.ts) lists unpublish only from 'published', but taking a
    // plan off the public site must work at any time, a newer draft or not: handled here.
    if (input.action === 'unpublish' || t?.action === 'unpublish') return unpublish(tx, plan, input);
    if (input.basedOnRevision !== plan.current_revision) throw await conflict(tx.kysely, plan, input.basedOnRevision);
    if (!t) throw new WorkflowError(from, input.to);
    const published = t.to === 'published' ? plan.current_revision : plan.published_revision;
    const set = { workflow_state: t.to, published_revision: published, updated_at: toTime(new Date()) };
    await tx.kysely.updateTable('plans').set(set).where('id', '=', plan.id).execute();
    const publishedStatus = published === null ? null : published === plan.current_revision ? plan.document_status : plan.published_document_status;
    await insertAudit(tx.kysely, {
      actor: input.actor,
      action: AUDIT.planWorkflow,
      planId: plan.id,
      organizationId: plan.organization_id,
      detail: { action: t.action, from, to: t.to, revision: plan.current_revision, ...(input.message ? { message: input.message } : {}) },
    });
    return toPlanSummary({ ...plan, ...set, published_document_status: publishedStatus });
  });
}

/**
 * 公開停止: whatever the state and whichever revision the caller saw, nothing of the plan
 * stays on the public site. A published plan becomes approved again; a plan being edited
 * (a newer draft over the published revision) stays as it is. Refused when nothing is published.
 */
async function unpublish(tx: SqlContext, plan: PlanWithOrgRow, input: SetWorkflowStateInput): Promise<PlanSummary> {
  const from = plan.workflow_state;
  if (plan.published_revision === null) throw new WorkflowError(from, input.to);
  const to: WorkflowState = from === 'published' ? 'approved' : from;
  const set = { workflow_state: to, published_revision: null, updated_at: toTime(new Date()) };
  await tx.kysely.updateTable('plans').set(set).where('id', '=', plan.id).execute();
  await insertAudit(tx.kysely, {
    actor: input.actor,
    action: AUDIT.planWorkflow,
    planId: plan.id,
    organizationId: plan.organization_id,
    detail: {
      action: 'unpublish',
      from,
      to,
      revision: plan.current_revision,
      unpublishedRevision: plan.published_revision,
      ...(input.message ? { message: input.message } : {}),
    },
  });
  return toPlanSummary({ ...plan, ...set, published_document_status: null });
}

/** Publishes a given revision directly (import --publish, admin). */
export async function publishRevision(ctx: SqlContext, input: { planId: number; revision: number; actor: string }): Promise<PlanSummary> {
  return ctx.write(async (tx) => {
    const plan = await lockPlanWithOrg(tx, input.planId);
    if (!plan) throw new NotFoundError(`計画 ${input.planId} が見つかりません`);
    if (input.revision < 1 || input.revision > plan.current_revision) throw new NotFoundError(`計画 ${input.planId} に版 ${input.revision} はありません`);
    const set = {
      published_revision: input.revision,
      // "published" means the newest revision is the public one.
      workflow_state: input.revision === plan.current_revision ? 'published' : plan.workflow_state,
      updated_at: toTime(new Date()),
    };
    await tx.kysely.updateTable('plans').set(set).where('id', '=', plan.id).execute();
    await insertAudit(tx.kysely, {
      actor: input.actor,
      action: AUDIT.planPublish,
      planId: plan.id,
      organizationId: plan.organization_id,
      detail: { revision: input.revision, previous: plan.published_revision },
    });
    const publishedStatus =
      input.revision === plan.current_revision
        ? plan.document_status
        : (await tx.kysely.selectFrom('revisions').select('document_status').where('plan_id', '=', plan.id).where('number', '=', input.revision).executeTakeFirstOrThrow()).document_status;
    return toPlanSummary({ ...plan, ...set, published_document_status: publishedStatus });
  });
}
