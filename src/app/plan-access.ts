/**
 * Loading a plan for a use case: the summary, or NotFoundError; and the refusal that names
 * the plan, so the audit log records which plan a denied request was about.
 */
import { NotFoundError, type PlanSummary, type Store } from '../store/store.ts';
import { ForbiddenError } from './errors.ts';

export async function loadSummary(store: Store, planId: number): Promise<PlanSummary> {
  const summary = await store.getPlan(planId);
  if (!summary) throw new NotFoundError(`計画 ${planId} が見つかりません`);
  return summary;
}

export function refuse(summary: PlanSummary, message?: string): ForbiddenError {
  return new ForbiddenError(message, { planId: summary.id, organizationId: summary.organizationId });
}
