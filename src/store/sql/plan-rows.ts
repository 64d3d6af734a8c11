/** Reading plan rows as the plan area's writes and reads need them: joined, locked, or as a conflict. */
import type { Kysely, Selectable, SelectQueryBuilder } from 'kysely';
import { diffPlans, type PlanChange } from '../../domain/plan-diff.ts';
import { planFromBody, toRevision, toRevisionMeta, type PlanWithOrgRow } from '../mapper.ts';
import type { Database, PlanRow as PlanTable } from '../schema.ts';
import { ConflictError, NotFoundError, type Revision } from '../store.ts';
import type { SqlContext } from './context.ts';

export type PlanRow = Selectable<PlanTable>;

/** A revision without its body: what histories and conflicts list. */
export const REVISION_META_COLUMNS = ['plan_id', 'number', 'based_on', 'author', 'message', 'created_at', 'document_status'] as const;

/** Plans with their organization's slug and name and the published revision's 案/確定. */
export function plansWithOrg(db: Kysely<Database>): SelectQueryBuilder<Database, 'plans' | 'organizations', PlanWithOrgRow> {
  return db
    .selectFrom('plans')
    .innerJoin('organizations', 'organizations.id', 'plans.organization_id')
    // The published revision's 案/確定 comes with the list, not one query per plan.
    .leftJoin('revisions as published', (join) => join.onRef('published.plan_id', '=', 'plans.id').onRef('published.number', '=', 'plans.published_revision'))
    .selectAll('plans')
    .select(['organizations.slug as organization_slug', 'organizations.name as organization_name', 'published.document_status as published_document_status']);
}

/** The plan row, locked against other writers until the transaction ends. */
export async function lockPlan(tx: SqlContext, where: { id: number } | { organizationId: number; fiscalYear: number }): Promise<PlanRow | undefined> {
  let q = tx.kysely.selectFrom('plans').selectAll();
  q = 'id' in where ? q.where('id', '=', where.id) : q.where('organization_id', '=', where.organizationId).where('fiscal_year', '=', where.fiscalYear);
  return tx.adapter.forUpdate(q).executeTakeFirst();
}

/** lockPlan with the organization's slug and name, for returning a summary without reading again. */
export async function lockPlanWithOrg(tx: SqlContext, id: number): Promise<PlanWithOrgRow | undefined> {
  return tx.adapter.forUpdate(plansWithOrg(tx.kysely).where('plans.id', '=', id), 'plans').executeTakeFirst();
}

export async function readRevision(db: Kysely<Database>, planId: number, number?: number): Promise<Revision | undefined> {
  let q = db.selectFrom('revisions').selectAll().where('plan_id', '=', planId);
  q =
    number === undefined
      ? q.where('number', '=', (eb) => eb.selectFrom('plans').select('current_revision').where('id', '=', planId))
      : q.where('number', '=', number);
  const row = await q.executeTakeFirst();
  return row && toRevision(row);
}

export async function diffRevisions(db: Kysely<Database>, planId: number, from: number, to: number): Promise<PlanChange[]> {
  const rows = await db.selectFrom('revisions').select(['number', 'body']).where('plan_id', '=', planId).where('number', 'in', [from, to]).execute();
  const body = (n: number) => {
    const r = rows.find((x) => x.number === n);
    if (!r) throw new NotFoundError(`計画 ${planId} に版 ${n} はありません`);
    return planFromBody(r.body);
  };
  return diffPlans(body(from), body(to));
}

/** The conflict a write based on `basedOn` meets: the revisions saved since, and what they changed. */
export async function conflict(db: Kysely<Database>, plan: PlanRow, basedOn: number | null): Promise<ConflictError> {
  const since = (
    await db
      .selectFrom('revisions')
      .select(REVISION_META_COLUMNS)
      .where('plan_id', '=', plan.id)
      .where('number', '>', basedOn ?? 0)
      .orderBy('number')
      .execute()
  ).map(toRevisionMeta);
  let changes: PlanChange[] = [];
  if (basedOn !== null && basedOn >= 1 && basedOn < plan.current_revision) {
    changes = await diffRevisions(db, plan.id, basedOn, plan.current_revision);
  }
  return new ConflictError(plan.id, basedOn, plan.current_revision, since, changes);
}
