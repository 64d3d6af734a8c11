/** Plans and their revisions (saved under the conflict rule), reads for the sites, and comments. */
import { randomUUID } from 'node:crypto';
import { inheritItemIds, withItemIds } from '../../domain/item-ids.ts';
import { auditItemLabel, describeChangePath, diffPlans, type PlanChange } from '../../domain/plan-diff.ts';
import { stateAfterSave } from '../../domain/workflow.ts';
import { planToBody, toComment, toPlanSummary, toRevisionMeta, toTime } from '../mapper.ts';
import {
  NotFoundError,
  type Comment,
  type PlanFilter,
  type PlanStore,
  type PlanSummary,
  type PublishedPlan,
  type Revision,
  type RevisionMeta,
  type SavePlanInput,
  type SetWorkflowStateInput,
} from '../store.ts';
import { AUDIT, insertAudit } from './audit.ts';
import type { SqlContext } from './context.ts';
import { SqlOrganizations } from './organizations.ts';
import { conflict, diffRevisions, lockPlan, plansWithOrg, readRevision, REVISION_META_COLUMNS, type PlanRow } from './plan-rows.ts';
import { publishRevision, setWorkflowState } from './workflow.ts';

/** Keeps one audit entry readable when a whole document is replaced. */
const MAX_CHANGES_IN_AUDIT = 500;

export class SqlPlans implements PlanStore {
  constructor(private readonly ctx: SqlContext) {}

  async savePlan(input: SavePlanInput): Promise<Revision> {
    if (input.plan.fiscalYear !== input.fiscalYear) {
      throw new RangeError(`計画の年度(${input.plan.fiscalYear})と保存先の年度(${input.fiscalYear})が一致しません`);
    }
    return this.ctx.write(async (tx) => {
      const now = toTime(new Date());
      let plan = await lockPlan(tx, input);
      let created = false;
      if (!plan) {
        if (input.basedOnRevision !== null) throw new NotFoundError(`計画(組織 ${input.organizationId}、${input.fiscalYear}年度)が見つかりません`);
        const inserted = await tx.kysely
          .insertInto('plans')
          .values({
            organization_id: input.organizationId,
            fiscal_year: input.fiscalYear,
            workflow_state: 'editing',
            // Revision 1 is inserted next, in this transaction.
            current_revision: 1,
            published_revision: null,
            document_status: input.plan.documentStatus,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.columns(['organization_id', 'fiscal_year']).doNothing())
          .returningAll()
          .executeTakeFirst();
        // Nothing inserted: another writer created it first; its revision 1 is a conflict for us.
        plan = (inserted as PlanRow | undefined) ?? (await lockPlan(tx, input));
        created = inserted !== undefined;
        if (!plan) throw new Error('plan vanished while being created');
      }
      if (!created && input.basedOnRevision !== plan.current_revision) throw await conflict(tx.kysely, plan, input.basedOnRevision);

      const basedOn = created ? null : plan.current_revision;
      const number = (basedOn ?? 0) + 1;
      const previous = basedOn === null ? undefined : await readRevision(tx.kysely, plan.id, basedOn);
      // Every stored item has an id: a document without them (a text import) keeps the ids its
      // items had in the revision before, by number, and new items get new ones.
      const body = withItemIds(previous ? inheritItemIds(previous.plan, input.plan) : input.plan, randomUUID);
      await tx.kysely
        .insertInto('revisions')
        .values({
          plan_id: plan.id,
          number,
          based_on: basedOn,
          author: input.author,
          message: input.message,
          created_at: now,
          document_status: input.plan.documentStatus,
          body: planToBody(body),
        })
        .execute();
      if (basedOn !== null) {
        const updated = await tx.kysely
          .updateTable('plans')
          .set({
            current_revision: number,
            workflow_state: stateAfterSave(plan.workflow_state),
            document_status: input.plan.documentStatus,
            updated_at: now,
          })
          .where('id', '=', plan.id)
          .where('current_revision', '=', basedOn)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) throw new Error('plan changed under a held lock');
      }
      const changes = previous ? diffPlans(previous.plan, body) : [];
      await insertAudit(tx.kysely, {
        actor: input.author,
        action: created ? AUDIT.planCreate : AUDIT.planSave,
        planId: plan.id,
        organizationId: input.organizationId,
        // Labelled now, while both plans are at hand: a path counts positions, and numbers are
        // sparse (2-4-2 is issues[1].strategies[1].initiatives[0]), so the log could not name them later.
        item: previous ? auditItemLabel(changes, previous.plan, body) : null,
        detail: {
          revision: number,
          basedOn,
          message: input.message,
          ...(previous
            ? {
                changeCount: changes.length,
                changes: changes.slice(0, MAX_CHANGES_IN_AUDIT).map((c) => ({ ...c, label: describeChangePath(c.path, body, previous.plan) })),
              }
            : {}),
        },
      });
      return { planId: plan.id, number, author: input.author, message: input.message, createdAt: new Date(now), documentStatus: input.plan.documentStatus, plan: body };
    });
  }

  setWorkflowState(input: SetWorkflowStateInput): Promise<PlanSummary> {
    return setWorkflowState(this.ctx, input);
  }

  publishRevision(input: { planId: number; revision: number; actor: string }): Promise<PlanSummary> {
    return publishRevision(this.ctx, input);
  }

  async getPlan(planId: number): Promise<PlanSummary | undefined> {
    const row = await plansWithOrg(this.ctx.kysely).where('plans.id', '=', planId).executeTakeFirst();
    return row && toPlanSummary(row);
  }

  async findPlan(organizationId: number, fiscalYear: number): Promise<PlanSummary | undefined> {
    const row = await plansWithOrg(this.ctx.kysely).where('plans.organization_id', '=', organizationId).where('plans.fiscal_year', '=', fiscalYear).executeTakeFirst();
    return row && toPlanSummary(row);
  }

  async listPlans(filter: PlanFilter = {}): Promise<PlanSummary[]> {
    return this.queryPlans(filter, false);
  }

  private async queryPlans(filter: PlanFilter, publishedOnly: boolean): Promise<PlanSummary[]> {
    let q = plansWithOrg(this.ctx.kysely).orderBy('plans.organization_id').orderBy('plans.fiscal_year');
    if (publishedOnly) q = q.where('plans.published_revision', 'is not', null);
    if (filter.organizationId !== undefined) q = q.where('plans.organization_id', '=', filter.organizationId);
    if (filter.fiscalYear !== undefined) q = q.where('plans.fiscal_year', '=', filter.fiscalYear);
    if (filter.workflowState !== undefined) q = q.where('plans.workflow_state', '=', filter.workflowState);
    // SQLite takes OFFSET only after a LIMIT.
    if (filter.limit !== undefined || filter.offset !== undefined) q = q.limit(filter.limit ?? Number.MAX_SAFE_INTEGER);
    if (filter.offset !== undefined) q = q.offset(filter.offset);
    return (await q.execute()).map(toPlanSummary);
  }

  async getPublishedPlan(organizationSlug: string, fiscalYear: number): Promise<PublishedPlan | undefined> {
    const row = await plansWithOrg(this.ctx.kysely)
      .where('organizations.slug', '=', organizationSlug)
      .where('plans.fiscal_year', '=', fiscalYear)
      .where('plans.published_revision', 'is not', null)
      .executeTakeFirst();
    if (!row || row.published_revision === null) return undefined;
    const [organization, revision] = await Promise.all([new SqlOrganizations(this.ctx).getOrganization(row.organization_id), this.getRevision(row.id, row.published_revision)]);
    if (!organization || !revision) return undefined;
    return { organization, summary: toPlanSummary(row), revision };
  }

  async listPublishedPlans(filter: Omit<PlanFilter, 'workflowState'> = {}): Promise<PlanSummary[]> {
    return this.queryPlans(filter, true);
  }

  // ------------------------------------------------------------ revisions

  getRevision(planId: number, number?: number): Promise<Revision | undefined> {
    return readRevision(this.ctx.kysely, planId, number);
  }

  async listRevisions(planId: number): Promise<RevisionMeta[]> {
    const rows = await this.ctx.kysely.selectFrom('revisions').select(REVISION_META_COLUMNS).where('plan_id', '=', planId).orderBy('number').execute();
    return rows.map(toRevisionMeta);
  }

  diffRevisions(planId: number, from: number, to: number): Promise<PlanChange[]> {
    return diffRevisions(this.ctx.kysely, planId, from, to);
  }

  // ------------------------------------------------------------ comments

  async addComment(input: { planId: number; author: string; body: string }): Promise<Comment> {
    return this.ctx.write(async (tx) => {
      const plan = await tx.kysely.selectFrom('plans').select(['id', 'organization_id']).where('id', '=', input.planId).executeTakeFirst();
      if (!plan) throw new NotFoundError(`計画 ${input.planId} が見つかりません`);
      const row = await tx.kysely
        .insertInto('comments')
        .values({ plan_id: input.planId, author: input.author, body: input.body, created_at: toTime(new Date()) })
        .returningAll()
        .executeTakeFirstOrThrow();
      await insertAudit(tx.kysely, { actor: input.author, action: AUDIT.planComment, planId: plan.id, organizationId: plan.organization_id, detail: { commentId: row.id, body: input.body } });
      return toComment(row);
    });
  }

  async listComments(planId: number): Promise<Comment[]> {
    return (await this.ctx.kysely.selectFrom('comments').selectAll().where('plan_id', '=', planId).orderBy('id').execute()).map(toComment);
  }
}
