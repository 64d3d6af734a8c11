/**
 * The Store on SQL, one implementation for SQLite and PostgreSQL through Kysely: one class
 * per area (src/store/sql/), composed here, with the engines' differences behind one
 * adapter (src/store/engine/).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { CheckSchedule } from '../domain/pdca/check-schedule.ts';
import type { PlanChange } from '../domain/plan-diff.ts';
import { adapterFor, type EngineAdapter } from './engine/adapter.ts';
import type { Database } from './schema.ts';
import { SqlAudit } from './sql/audit.ts';
import { SqlChecks } from './sql/checks.ts';
import type { SqlContext } from './sql/context.ts';
import { integrityCheck } from './sql/integrity.ts';
import { SqlLoginAttempts } from './sql/login-attempts.ts';
import { SqlOrganizations } from './sql/organizations.ts';
import { SqlPlans } from './sql/plans.ts';
import { SqlUsers } from './sql/users.ts';
import type {
  AuditEntry,
  AuditFilter,
  BeginLoginAttempt,
  Comment,
  Engine,
  LoginAttempt,
  LoginReservation,
  MeasurementRecord,
  NewMeasurement,
  NewAuditEntry,
  NewOrganization,
  NewUser,
  Organization,
  OrganizationKind,
  PlanFilter,
  PlanSummary,
  PublishedPlan,
  RatingScaleRecord,
  Revision,
  RevisionMeta,
  SavePlanInput,
  Session,
  SetWorkflowStateInput,
  Store,
  User,
  UserPatch,
} from './store.ts';

export { AUDIT } from './sql/audit.ts';

export class SqlStore implements Store, SqlContext {
  readonly adapter: EngineAdapter;
  private readonly organizations: SqlOrganizations;
  private readonly plans: SqlPlans;
  private readonly users: SqlUsers;
  private readonly logins: SqlLoginAttempts;
  private readonly audit: SqlAudit;
  private readonly checks: SqlChecks;

  constructor(
    readonly kysely: Kysely<Database>,
    readonly engine: Engine,
    private readonly inTransaction = false,
    private readonly onClose: () => Promise<void> = async () => undefined,
    /** The better-sqlite3 handle, for its online backup API. */
    readonly sqlite?: BetterSqlite3.Database,
  ) {
    this.adapter = adapterFor(engine);
    this.organizations = new SqlOrganizations(this);
    this.plans = new SqlPlans(this);
    this.users = new SqlUsers(this);
    this.logins = new SqlLoginAttempts(this);
    this.audit = new SqlAudit(this);
    this.checks = new SqlChecks(this);
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    return this.write(fn);
  }

  /** One write transaction on one connection; nested calls join it. */
  async write<T>(fn: (tx: SqlStore) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return this.kysely.connection().execute(async (conn) => {
      await this.adapter.beginWrite(conn);
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

  // organizations
  createOrganization(input: NewOrganization): Promise<Organization> { return this.organizations.createOrganization(input); }
  getOrganization(id: number): Promise<Organization | undefined> { return this.organizations.getOrganization(id); }
  findOrganization(ref: string): Promise<Organization | undefined> { return this.organizations.findOrganization(ref); }
  findWard(cityId: number, name: string): Promise<Organization | undefined> { return this.organizations.findWard(cityId, name); }
  listOrganizations(filter?: { parentId?: number | null; kind?: OrganizationKind }): Promise<Organization[]> { return this.organizations.listOrganizations(filter); }

  // plans, revisions, comments
  savePlan(input: SavePlanInput): Promise<Revision> { return this.plans.savePlan(input); }
  setWorkflowState(input: SetWorkflowStateInput): Promise<PlanSummary> { return this.plans.setWorkflowState(input); }
  publishRevision(input: { planId: number; revision: number; actor: string }): Promise<PlanSummary> { return this.plans.publishRevision(input); }
  getPlan(planId: number): Promise<PlanSummary | undefined> { return this.plans.getPlan(planId); }
  findPlan(organizationId: number, fiscalYear: number): Promise<PlanSummary | undefined> { return this.plans.findPlan(organizationId, fiscalYear); }
  listPlans(filter?: PlanFilter): Promise<PlanSummary[]> { return this.plans.listPlans(filter); }
  getPublishedPlan(organizationSlug: string, fiscalYear: number): Promise<PublishedPlan | undefined> { return this.plans.getPublishedPlan(organizationSlug, fiscalYear); }
  listPublishedPlans(filter?: Omit<PlanFilter, 'workflowState'>): Promise<PlanSummary[]> { return this.plans.listPublishedPlans(filter); }
  getRevision(planId: number, number?: number): Promise<Revision | undefined> { return this.plans.getRevision(planId, number); }
  listRevisions(planId: number): Promise<RevisionMeta[]> { return this.plans.listRevisions(planId); }
  diffRevisions(planId: number, from: number, to: number): Promise<PlanChange[]> { return this.plans.diffRevisions(planId, from, to); }
  addComment(input: { planId: number; author: string; body: string }): Promise<Comment> { return this.plans.addComment(input); }
  listComments(planId: number): Promise<Comment[]> { return this.plans.listComments(planId); }

  // audit
  appendAudit(entry: NewAuditEntry): Promise<AuditEntry> { return this.audit.appendAudit(entry); }
  listAudit(filter?: AuditFilter): Promise<AuditEntry[]> { return this.audit.listAudit(filter); }

  // users and sessions
  createUser(input: NewUser): Promise<User> { return this.users.createUser(input); }
  getUser(id: number): Promise<User | undefined> { return this.users.getUser(id); }
  getUserByUsername(username: string): Promise<User | undefined> { return this.users.getUserByUsername(username); }
  listUsers(): Promise<User[]> { return this.users.listUsers(); }
  updateUser(id: number, patch: UserPatch): Promise<User> { return this.users.updateUser(id, patch); }
  deleteUser(id: number): Promise<void> { return this.users.deleteUser(id); }
  createSession(input: { id: string; userId: number; csrfToken: string; expiresAt: Date }): Promise<Session> { return this.users.createSession(input); }
  getSession(id: string, now?: Date): Promise<Session | undefined> { return this.users.getSession(id, now); }
  deleteSession(id: string): Promise<void> { return this.users.deleteSession(id); }
  deleteUserSessions(userId: number): Promise<void> { return this.users.deleteUserSessions(userId); }
  deleteExpiredSessions(now?: Date): Promise<number> { return this.users.deleteExpiredSessions(now); }

  // login attempts
  recordLoginAttempt(attempt: LoginAttempt): Promise<void> { return this.logins.recordLoginAttempt(attempt); }
  countFailedLogins(filter: { username?: string; ip?: string; since: Date }): Promise<number> { return this.logins.countFailedLogins(filter); }
  beginLoginAttempt(input: BeginLoginAttempt): Promise<LoginReservation> { return this.logins.beginLoginAttempt(input); }
  finishLoginAttempt(attemptId: number, success: boolean): Promise<void> { return this.logins.finishLoginAttempt(attemptId, success); }

  // the Check: measurements, schedules, rating scales, calendar feeds
  addMeasurements(input: { planId: number; author: string; measurements: NewMeasurement[] }): Promise<MeasurementRecord[]> { return this.checks.addMeasurements(input); }
  deleteMeasurement(input: { planId: number; id: number; actor: string }): Promise<void> { return this.checks.deleteMeasurement(input); }
  listMeasurements(planId: number): Promise<MeasurementRecord[]> { return this.checks.listMeasurements(planId); }
  getCheckSchedule(planId: number): Promise<CheckSchedule | undefined> { return this.checks.getCheckSchedule(planId); }
  setCheckSchedule(input: { planId: number; schedule: CheckSchedule; actor: string }): Promise<void> { return this.checks.setCheckSchedule(input); }
  listRatingScales(organizationId: number): Promise<RatingScaleRecord[]> { return this.checks.listRatingScales(organizationId); }
  saveRatingScale(input: RatingScaleRecord & { actor: string }): Promise<void> { return this.checks.saveRatingScale(input); }
  calendarToken(userId: number, renew?: boolean): Promise<string> { return this.checks.calendarToken(userId, renew); }
  hasCalendarToken(userId: number): Promise<boolean> { return this.checks.hasCalendarToken(userId); }
  userByCalendarToken(token: string): Promise<User | undefined> { return this.checks.userByCalendarToken(token); }

  // maintenance
  integrityCheck(): Promise<string[]> { return integrityCheck(this); }

  async close(): Promise<void> {
    if (this.inTransaction) return;
    await this.kysely.destroy();
    await this.onClose();
  }
}

export function isUniqueViolation(e: unknown): boolean {
  return adapterFor('postgres').isUniqueViolation(e) || adapterFor('sqlite').isUniqueViolation(e);
}
