/**
 * The Store on SQL, one implementation for SQLite and PostgreSQL through Kysely.
 * Engine differences are few and marked: how a write transaction starts (BEGIN IMMEDIATE
 * vs. BEGIN + SELECT … FOR UPDATE) and the integrity check.
 */
import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely, type Selectable, type SelectQueryBuilder } from 'kysely';
import { auditItemLabel, describeChangePath, diffPlans, type PlanChange } from '../domain/plan-diff.ts';
import { findTransition, stateAfterSave, TRANSITIONS } from '../domain/workflow.ts';
import {
  planFromBody,
  planToBody,
  toAuditEntry,
  toComment,
  toOrganization,
  toPlanSummary,
  toRevision,
  toRevisionMeta,
  toSession,
  toTime,
  toUser,
  type PlanWithOrgRow,
} from './mapper.ts';
import { beginImmediateWithRetry } from './migrations.ts';
import type { Database, PlanRow as PlanTable } from './schema.ts';

type PlanRow = Selectable<PlanTable>;
import { withCheckDigit } from './local-government-code.ts';
import {
  ConflictError,
  DuplicateError,
  NotFoundError,
  WorkflowError,
  type AuditEntry,
  type AuditFilter,
  type Comment,
  type Engine,
  type LoginAttempt,
  type NewAuditEntry,
  type NewOrganization,
  type NewUser,
  type Organization,
  type OrganizationKind,
  type PlanFilter,
  type PlanSummary,
  type PublishedPlan,
  type Revision,
  type RevisionMeta,
  type SavePlanInput,
  type Session,
  type SetWorkflowStateInput,
  type Store,
  type User,
  type UserPatch,
} from './store.ts';

/** Audit actions written by the store itself. */
export const AUDIT = {
  planCreate: 'plan.create',
  planSave: 'plan.save',
  planWorkflow: 'plan.workflow',
  planPublish: 'plan.publish',
  planComment: 'plan.comment',
} as const;

/** A revision without its body: what histories and conflicts list. */
const REVISION_META_COLUMNS = ['plan_id', 'number', 'based_on', 'author', 'message', 'created_at', 'document_status'] as const;

/** Keeps one audit entry readable when a whole document is replaced. */
const MAX_CHANGES_IN_AUDIT = 500;

const hashSessionId = (id: string) => createHash('sha256').update(id).digest('hex');

export class SqlStore implements Store {
  constructor(
    readonly kysely: Kysely<Database>,
    readonly engine: Engine,
    private readonly inTransaction = false,
    private readonly onClose: () => Promise<void> = async () => undefined,
    /** The better-sqlite3 handle, for its online backup API. */
    readonly sqlite?: BetterSqlite3.Database,
  ) {}

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    return this.tx(fn);
  }

  private async tx<T>(fn: (tx: SqlStore) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return this.kysely.connection().execute(async (conn) => {
      if (this.engine === 'sqlite') await beginImmediateWithRetry(conn);
      else await sql`begin`.execute(conn);
      try {
        const result = await fn(new SqlStore(conn, this.engine, true));
        await sql`commit`.execute(conn);
        return result;
      } catch (e) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw e;
      }
    });
  }

  // ------------------------------------------------------------ organizations

  async createOrganization(input: NewOrganization): Promise<Organization> {
    return this.tx(async (tx) => {
      try {
        const row = await tx.kysely
          .insertInto('organizations')
          .values({
            kind: input.kind,
            name: input.name,
            kana: input.kana,
            slug: input.slug,
            code: input.code ?? null,
            parent_id: input.parentId ?? null,
            created_at: toTime(new Date()),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toOrganization(row);
      } catch (e) {
        if (isUniqueViolation(e)) throw new DuplicateError(`組織「${input.name}」(${input.slug}${input.code ? `, ${input.code}` : ''})はすでに登録されています`);
        throw e;
      }
    });
  }

  async getOrganization(id: number): Promise<Organization | undefined> {
    const row = await this.kysely.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toOrganization(row);
  }

  async findOrganization(ref: string): Promise<Organization | undefined> {
    const q = this.kysely.selectFrom('organizations').selectAll().orderBy('id');
    const bySlug = await q.where('slug', '=', ref).executeTakeFirst();
    if (bySlug) return toOrganization(bySlug);
    const code = /^\d{5}$/.test(ref) ? withCheckDigit(ref) : ref;
    const byCode = await q.where('code', '=', code).executeTakeFirst();
    if (byCode) return toOrganization(byCode);
    const byName = await q.where('name', '=', ref).executeTakeFirst();
    return byName && toOrganization(byName);
  }

  async findWard(cityId: number, name: string): Promise<Organization | undefined> {
    const row = await this.kysely
      .selectFrom('organizations')
      .selectAll()
      .where((eb) => eb.or([eb.and([eb('parent_id', '=', cityId), eb('name', '=', name)]), eb.and([eb('id', '=', cityId), eb('name', '=', name)])]))
      .orderBy('id')
      .executeTakeFirst();
    return row && toOrganization(row);
  }

  async listOrganizations(filter: { parentId?: number | null; kind?: OrganizationKind } = {}): Promise<Organization[]> {
    let q = this.kysely.selectFrom('organizations').selectAll().orderBy('id');
    if (filter.parentId === null) q = q.where('parent_id', 'is', null);
    else if (filter.parentId !== undefined) q = q.where('parent_id', '=', filter.parentId);
    if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
    return (await q.execute()).map(toOrganization);
  }

  // ------------------------------------------------------------ plans

  private plansWithOrg(): SelectQueryBuilder<Database, 'plans' | 'organizations', PlanWithOrgRow> {
    return this.kysely
      .selectFrom('plans')
      .innerJoin('organizations', 'organizations.id', 'plans.organization_id')
      // The published revision's 案/確定 comes with the list, not one query per plan.
      .leftJoin('revisions as published', (join) =>
        join.onRef('published.plan_id', '=', 'plans.id').onRef('published.number', '=', 'plans.published_revision'),
      )
      .selectAll('plans')
      .select(['organizations.slug as organization_slug', 'organizations.name as organization_name', 'published.document_status as published_document_status']);
  }

  /** The plan row, locked against other writers until the transaction ends (PostgreSQL; SQLite holds the write lock already). */
  private async lockPlan(where: { id: number } | { organizationId: number; fiscalYear: number }): Promise<PlanRow | undefined> {
    let q = this.kysely.selectFrom('plans').selectAll();
    q = 'id' in where ? q.where('id', '=', where.id) : q.where('organization_id', '=', where.organizationId).where('fiscal_year', '=', where.fiscalYear);
    if (this.engine === 'postgres') q = q.forUpdate();
    return q.executeTakeFirst() as Promise<PlanRow | undefined>;
  }

  /** lockPlan with the organization's slug and name, for returning a summary without reading again. */
  private async lockPlanWithOrg(id: number): Promise<PlanWithOrgRow | undefined> {
    let q = this.plansWithOrg().where('plans.id', '=', id);
    if (this.engine === 'postgres') q = q.forUpdate('plans');
    return q.executeTakeFirst();
  }

  async savePlan(input: SavePlanInput): Promise<Revision> {
    if (input.plan.fiscalYear !== input.fiscalYear) {
      throw new RangeError(`計画の年度(${input.plan.fiscalYear})と保存先の年度(${input.fiscalYear})が一致しません`);
    }
    return this.tx(async (tx) => {
      const now = toTime(new Date());
      let plan = await tx.lockPlan(input);
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
        plan = (inserted as PlanRow | undefined) ?? (await tx.lockPlan(input));
        created = inserted !== undefined;
        if (!plan) throw new Error('plan vanished while being created');
      }
      if (!created && input.basedOnRevision !== plan.current_revision) throw await tx.conflict(plan, input.basedOnRevision);

      const basedOn = created ? null : plan.current_revision;
      const number = (basedOn ?? 0) + 1;
      const previous = basedOn === null ? undefined : await tx.getRevision(plan.id, basedOn);
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
          body: planToBody(input.plan),
        })
        .execute();
      if (basedOn !== null) {
        const updated = await tx.kysely
          .updateTable('plans')
          .set({
            current_revision: number,
            workflow_state: stateAfterSave(plan.workflow_state as never),
            document_status: input.plan.documentStatus,
            updated_at: now,
          })
          .where('id', '=', plan.id)
          .where('current_revision', '=', basedOn)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) throw new Error('plan changed under a held lock');
      }
      const changes = previous ? diffPlans(previous.plan, input.plan) : [];
      await tx.insertAudit({
        actor: input.author,
        action: created ? AUDIT.planCreate : AUDIT.planSave,
        planId: plan.id,
        organizationId: input.organizationId,
        // Labelled now, while both plans are at hand: a path counts positions, and numbers are
        // sparse (2-4-2 is issues[1].strategies[1].initiatives[0]), so the log could not name them later.
        item: previous ? auditItemLabel(changes, previous.plan, input.plan) : null,
        detail: {
          revision: number,
          basedOn,
          message: input.message,
          ...(previous
            ? {
                changeCount: changes.length,
                changes: changes.slice(0, MAX_CHANGES_IN_AUDIT).map((c) => ({ ...c, label: describeChangePath(c.path, input.plan, previous.plan) })),
              }
            : {}),
        },
      });
      return { planId: plan.id, number, author: input.author, message: input.message, createdAt: new Date(now), documentStatus: input.plan.documentStatus, plan: input.plan };
    });
  }

  private async conflict(plan: PlanRow, basedOn: number | null): Promise<ConflictError> {
    const since = (
      await this.kysely
        .selectFrom('revisions')
        .select(REVISION_META_COLUMNS)
        .where('plan_id', '=', plan.id)
        .where('number', '>', basedOn ?? 0)
        .orderBy('number')
        .execute()
    ).map(toRevisionMeta);
    let changes: PlanChange[] = [];
    if (basedOn !== null && basedOn >= 1 && basedOn < plan.current_revision) {
      changes = await this.diffRevisions(plan.id, basedOn, plan.current_revision);
    }
    return new ConflictError(plan.id, basedOn, plan.current_revision, since, changes);
  }

  async setWorkflowState(input: SetWorkflowStateInput): Promise<PlanSummary> {
    return this.tx(async (tx) => {
      const plan = await tx.lockPlanWithOrg(input.planId);
      if (!plan) throw new NotFoundError(`計画 ${input.planId} が見つかりません`);
      if (input.basedOnRevision !== plan.current_revision) throw await tx.conflict(plan, input.basedOnRevision);
      const from = plan.workflow_state as PlanSummary['workflowState'];
      const t = input.action === undefined
        ? findTransition(from, input.to)
        : TRANSITIONS.find((x) => x.from === from && x.to === input.to && x.action === input.action);
      if (!t) throw new WorkflowError(from, input.to);
      const published =
        t.to === 'published' ? plan.current_revision : t.action === 'unpublish' ? null : plan.published_revision;
      const set = { workflow_state: t.to, published_revision: published, updated_at: toTime(new Date()) };
      await tx.kysely.updateTable('plans').set(set).where('id', '=', plan.id).execute();
      const publishedStatus = published === null ? null : published === plan.current_revision ? plan.document_status : plan.published_document_status;
      await tx.insertAudit({
        actor: input.actor,
        action: AUDIT.planWorkflow,
        planId: plan.id,
        organizationId: plan.organization_id,
        detail: { action: t.action, from, to: t.to, revision: plan.current_revision, ...(input.message ? { message: input.message } : {}) },
      });
      return toPlanSummary({ ...plan, ...set, published_document_status: publishedStatus });
    });
  }

  async publishRevision(input: { planId: number; revision: number; actor: string }): Promise<PlanSummary> {
    return this.tx(async (tx) => {
      const plan = await tx.lockPlanWithOrg(input.planId);
      if (!plan) throw new NotFoundError(`計画 ${input.planId} が見つかりません`);
      if (input.revision < 1 || input.revision > plan.current_revision) throw new NotFoundError(`計画 ${input.planId} に版 ${input.revision} はありません`);
      const set = {
        published_revision: input.revision,
        // "published" means the newest revision is the public one.
        workflow_state: input.revision === plan.current_revision ? 'published' : plan.workflow_state,
        updated_at: toTime(new Date()),
      };
      await tx.kysely.updateTable('plans').set(set).where('id', '=', plan.id).execute();
      await tx.insertAudit({
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

  async getPlan(planId: number): Promise<PlanSummary | undefined> {
    const row = await this.plansWithOrg().where('plans.id', '=', planId).executeTakeFirst();
    return row && toPlanSummary(row);
  }

  async findPlan(organizationId: number, fiscalYear: number): Promise<PlanSummary | undefined> {
    const row = await this.plansWithOrg().where('plans.organization_id', '=', organizationId).where('plans.fiscal_year', '=', fiscalYear).executeTakeFirst();
    return row && toPlanSummary(row);
  }

  async listPlans(filter: PlanFilter = {}): Promise<PlanSummary[]> {
    return this.queryPlans(filter, false);
  }

  private async queryPlans(filter: PlanFilter, publishedOnly: boolean): Promise<PlanSummary[]> {
    let q = this.plansWithOrg().orderBy('plans.organization_id').orderBy('plans.fiscal_year');
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
    const row = await this.plansWithOrg()
      .where('organizations.slug', '=', organizationSlug)
      .where('plans.fiscal_year', '=', fiscalYear)
      .where('plans.published_revision', 'is not', null)
      .executeTakeFirst();
    if (!row || row.published_revision === null) return undefined;
    const [organization, revision] = await Promise.all([this.getOrganization(row.organization_id), this.getRevision(row.id, row.published_revision)]);
    if (!organization || !revision) return undefined;
    return { organization, summary: toPlanSummary(row), revision };
  }

  async listPublishedPlans(filter: Omit<PlanFilter, 'workflowState'> = {}): Promise<PlanSummary[]> {
    return this.queryPlans(filter, true);
  }

  // ------------------------------------------------------------ revisions

  async getRevision(planId: number, number?: number): Promise<Revision | undefined> {
    let q = this.kysely.selectFrom('revisions').selectAll().where('plan_id', '=', planId);
    q =
      number === undefined
        ? q.where('number', '=', (eb) => eb.selectFrom('plans').select('current_revision').where('id', '=', planId))
        : q.where('number', '=', number);
    const row = await q.executeTakeFirst();
    return row && toRevision(row);
  }

  async listRevisions(planId: number): Promise<RevisionMeta[]> {
    const rows = await this.kysely
      .selectFrom('revisions')
      .select(REVISION_META_COLUMNS)
      .where('plan_id', '=', planId)
      .orderBy('number')
      .execute();
    return rows.map(toRevisionMeta);
  }

  async diffRevisions(planId: number, from: number, to: number): Promise<PlanChange[]> {
    const rows = await this.kysely.selectFrom('revisions').select(['number', 'body']).where('plan_id', '=', planId).where('number', 'in', [from, to]).execute();
    const body = (n: number) => {
      const r = rows.find((x) => x.number === n);
      if (!r) throw new NotFoundError(`計画 ${planId} に版 ${n} はありません`);
      return planFromBody(r.body);
    };
    return diffPlans(body(from), body(to));
  }

  // ------------------------------------------------------------ comments

  async addComment(input: { planId: number; author: string; body: string }): Promise<Comment> {
    return this.tx(async (tx) => {
      const plan = await tx.kysely.selectFrom('plans').select(['id', 'organization_id']).where('id', '=', input.planId).executeTakeFirst();
      if (!plan) throw new NotFoundError(`計画 ${input.planId} が見つかりません`);
      const row = await tx.kysely
        .insertInto('comments')
        .values({ plan_id: input.planId, author: input.author, body: input.body, created_at: toTime(new Date()) })
        .returningAll()
        .executeTakeFirstOrThrow();
      await tx.insertAudit({ actor: input.author, action: AUDIT.planComment, planId: plan.id, organizationId: plan.organization_id, detail: { commentId: row.id, body: input.body } });
      return toComment(row);
    });
  }

  async listComments(planId: number): Promise<Comment[]> {
    return (await this.kysely.selectFrom('comments').selectAll().where('plan_id', '=', planId).orderBy('id').execute()).map(toComment);
  }

  // ------------------------------------------------------------ audit

  private async insertAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    const row = await this.kysely
      .insertInto('audit_log')
      .values({
        at: toTime(entry.at ?? new Date()),
        actor: entry.actor,
        action: entry.action,
        plan_id: entry.planId ?? null,
        organization_id: entry.organizationId ?? null,
        item: entry.item ?? null,
        detail: entry.detail === undefined || entry.detail === null ? null : JSON.stringify(entry.detail),
        ip: entry.ip ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAuditEntry(row);
  }

  async appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    return this.tx((tx) => tx.insertAudit(entry));
  }

  async listAudit(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    let q = this.kysely.selectFrom('audit_log').selectAll();
    if (filter.planId !== undefined) q = q.where('plan_id', '=', filter.planId);
    if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor);
    if (filter.action !== undefined) q = q.where('action', '=', filter.action);
    q = filter.limit !== undefined ? q.orderBy('id', 'desc').limit(filter.limit) : q.orderBy('id');
    return (await q.execute()).map(toAuditEntry);
  }

  // ------------------------------------------------------------ users

  async createUser(input: NewUser): Promise<User> {
    return this.tx(async (tx) => {
      try {
        const row = await tx.kysely
          .insertInto('users')
          .values({
            username: input.username,
            display_name: input.displayName,
            password_hash: input.passwordHash,
            role: input.role,
            organization_id: input.organizationId ?? null,
            created_at: toTime(new Date()),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toUser(row);
      } catch (e) {
        if (isUniqueViolation(e)) throw new DuplicateError(`ユーザー名「${input.username}」はすでに使われています`);
        throw e;
      }
    });
  }

  async getUser(id: number): Promise<User | undefined> {
    const row = await this.kysely.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async getUserByUsername(username: string): Promise<User | undefined> {
    const row = await this.kysely.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return row && toUser(row);
  }

  async listUsers(): Promise<User[]> {
    return (await this.kysely.selectFrom('users').selectAll().orderBy('username').execute()).map(toUser);
  }

  async updateUser(id: number, patch: UserPatch): Promise<User> {
    return this.tx(async (tx) => {
      const set = {
        ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
        ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(patch.organizationId !== undefined ? { organization_id: patch.organizationId } : {}),
      };
      if (Object.keys(set).length > 0) await tx.kysely.updateTable('users').set(set).where('id', '=', id).execute();
      const user = await tx.getUser(id);
      if (!user) throw new NotFoundError(`ユーザー ${id} が見つかりません`);
      return user;
    });
  }

  async deleteUser(id: number): Promise<void> {
    await this.tx(async (tx) => {
      await tx.kysely.deleteFrom('sessions').where('user_id', '=', id).execute();
      await tx.kysely.deleteFrom('users').where('id', '=', id).execute();
    });
  }

  // ------------------------------------------------------------ sessions

  async createSession(input: { id: string; userId: number; csrfToken: string; expiresAt: Date }): Promise<Session> {
    const row = {
      id_hash: hashSessionId(input.id),
      user_id: input.userId,
      csrf_token: input.csrfToken,
      expires_at: toTime(input.expiresAt),
      created_at: toTime(new Date()),
    };
    await this.tx((tx) => tx.kysely.insertInto('sessions').values(row).execute());
    return toSession(row, input.id);
  }

  async getSession(id: string, now: Date = new Date()): Promise<Session | undefined> {
    const row = await this.kysely
      .selectFrom('sessions')
      .selectAll()
      .where('id_hash', '=', hashSessionId(id))
      .where('expires_at', '>', toTime(now))
      .executeTakeFirst();
    return row && toSession(row, id);
  }

  async deleteSession(id: string): Promise<void> {
    await this.tx((tx) => tx.kysely.deleteFrom('sessions').where('id_hash', '=', hashSessionId(id)).execute());
  }

  async deleteUserSessions(userId: number): Promise<void> {
    await this.tx((tx) => tx.kysely.deleteFrom('sessions').where('user_id', '=', userId).execute());
  }

  async deleteExpiredSessions(now: Date = new Date()): Promise<number> {
    const r = await this.tx((tx) => tx.kysely.deleteFrom('sessions').where('expires_at', '<=', toTime(now)).executeTakeFirst());
    return Number(r.numDeletedRows);
  }

  // ------------------------------------------------------------ login attempts

  async recordLoginAttempt(attempt: LoginAttempt): Promise<void> {
    await this.tx((tx) =>
      tx.kysely
        .insertInto('login_attempts')
        .values({ username: attempt.username, ip: attempt.ip, success: attempt.success ? 1 : 0, at: toTime(attempt.at ?? new Date()) })
        .execute(),
    );
  }

  /** Failed attempts since a time, matching every filter given (username and/or ip). */
  async countFailedLogins(filter: { username?: string; ip?: string; since: Date }): Promise<number> {
    let q = this.kysely
      .selectFrom('login_attempts')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('success', '=', 0)
      .where('at', '>=', toTime(filter.since));
    if (filter.username !== undefined) q = q.where('username', '=', filter.username);
    if (filter.ip !== undefined) q = q.where('ip', '=', filter.ip);
    const row = await q.executeTakeFirstOrThrow();
    return Number(row.n);
  }

  // ------------------------------------------------------------ maintenance

  async integrityCheck(): Promise<string[]> {
    const problems: string[] = [];
    if (this.engine === 'sqlite') {
      const ic = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(this.kysely);
      for (const r of ic.rows) if (r.integrity_check !== 'ok') problems.push(`integrity_check: ${r.integrity_check}`);
      const fk = await sql<{ table: string; rowid: number; parent: string }>`pragma foreign_key_check`.execute(this.kysely);
      for (const r of fk.rows) problems.push(`foreign key: ${r.table} row ${r.rowid} → ${r.parent}`);
    }
    // Every plan has exactly its revisions 1..current, each with its audit entry.
    const chains = await sql<{ id: number; current_revision: number; n: number | string; mn: number | null; mx: number | null }>`
      select p.id, p.current_revision, count(r.number) as n, min(r.number) as mn, max(r.number) as mx
      from plans p left join revisions r on r.plan_id = p.id
      group by p.id, p.current_revision
      having count(r.number) <> p.current_revision or min(r.number) <> 1 or max(r.number) <> p.current_revision`.execute(this.kysely);
    for (const r of chains.rows) problems.push(`plan ${r.id}: current revision ${r.current_revision} but ${Number(r.n)} revisions (${r.mn ?? '-'}..${r.mx ?? '-'})`);
    const orphans = await sql<{ plan_id: number }>`select distinct r.plan_id from revisions r left join plans p on p.id = r.plan_id where p.id is null`.execute(this.kysely);
    for (const r of orphans.rows) problems.push(`revisions of missing plan ${r.plan_id}`);
    const audits = await sql<{ id: number; current_revision: number; n: number | string }>`
      select p.id, p.current_revision, (select count(*) from audit_log a where a.plan_id = p.id and a.action in (${AUDIT.planCreate}, ${AUDIT.planSave})) as n
      from plans p`.execute(this.kysely);
    for (const r of audits.rows) if (Number(r.n) !== r.current_revision) problems.push(`plan ${r.id}: ${r.current_revision} revisions but ${Number(r.n)} save entries in the audit log`);
    const published = await sql<{ id: number }>`select id from plans where published_revision is not null and (published_revision < 1 or published_revision > current_revision)`.execute(this.kysely);
    for (const r of published.rows) problems.push(`plan ${r.id}: published revision out of range`);
    return problems;
  }

  async close(): Promise<void> {
    if (this.inTransaction) return;
    await this.kysely.destroy();
    await this.onClose();
  }
}

export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
