import type { Context } from 'hono';
import type { PlanSummary, User } from '../../store/store.ts';
import type { AppEnv } from '../context.ts';
import { forbidden, intParam, notFound, userOf } from '../respond.tsx';

/** The plan named by :planId, if it exists and the user passes `allowed`; else the 404/403 response to send. */
export async function loadPlan(
  c: Context<AppEnv>,
  allowed: (user: User, organizationId: number) => boolean,
): Promise<{ summary: PlanSummary; user: User } | Response> {
  const id = intParam(c.req.param('planId'));
  const summary = id === undefined ? undefined : await c.var.config.store.getPlan(id);
  if (!summary) return notFound(c);
  const user = userOf(c);
  if (!allowed(user, summary.organizationId)) return forbidden(c, undefined, { planId: summary.id, organizationId: summary.organizationId });
  return { summary, user };
}

export function staffPlanPath(planId: number, rest = ''): string {
  return `/staff/plans/${planId}${rest}`;
}
