/**
 * The store contract: everything Hoshin keeps, on SQLite or PostgreSQL alike.
 * Domain types only; rows and SQL stay behind it (src/store/sql-store.ts, src/store/sql/).
 * One contract per area (organizations, plans, users, audit); `Store` is all of them.
 * Times are Date; ids are integers, except session ids (opaque strings).
 */
import type { CheckSchedule } from '../domain/pdca/check-schedule.ts';
import type { Plan, DocumentStatus, Measurement, RatingOption } from '../domain/plan.ts';
import type { PlanChange } from '../domain/plan-diff.ts';
import type { Role, WorkflowAction, WorkflowState } from '../domain/workflow.ts';

export type { Role, WorkflowState } from '../domain/workflow.ts';
export type { PlanChange } from '../domain/plan-diff.ts';

// ---------------------------------------------------------------- organizations

export type OrganizationKind = 'prefecture' | 'city' | 'ward' | 'other';

export interface Organization {
  id: number;
  kind: OrganizationKind;
  /** 大阪市, 西区 */
  name: string;
  /** かな: おおさかし, にしく */
  kana: string;
  /** Unique across the whole store; used in URLs. Osaka's wards use the city site's slugs (kita, nishi…). */
  slug: string;
  /** 全国地方公共団体コード, 6 digits with check digit; null when unknown. */
  code: string | null;
  /** The city a ward belongs to. */
  parentId: number | null;
  createdAt: Date;
}

export interface NewOrganization {
  kind: OrganizationKind;
  name: string;
  kana: string;
  slug: string;
  code?: string | null;
  parentId?: number | null;
}

// ---------------------------------------------------------------- plans and revisions

export interface PlanSummary {
  id: number;
  organizationId: number;
  organizationSlug: string;
  organizationName: string;
  fiscalYear: number;
  workflowState: WorkflowState;
  /** Number of the newest revision (1, 2, …). */
  currentRevision: number;
  /** Revision the public site shows; null when never published or unpublished. */
  publishedRevision: number | null;
  /** Document status (案/確定) of the current revision. */
  documentStatus: DocumentStatus;
  /** Document status of the published revision (what the public sees); null when nothing is published. */
  publishedDocumentStatus: DocumentStatus | null;
  updatedAt: Date;
}

export interface RevisionMeta {
  planId: number;
  /** 1, 2, … within the plan. */
  number: number;
  author: string;
  message: string;
  createdAt: Date;
  documentStatus: DocumentStatus;
}

export interface Revision extends RevisionMeta {
  plan: Plan;
}

export interface SavePlanInput {
  organizationId: number;
  fiscalYear: number;
  plan: Plan;
  /** The revision this edit started from; null to create the plan (refused if it exists). */
  basedOnRevision: number | null;
  author: string;
  message: string;
}

export interface SetWorkflowStateInput {
  planId: number;
  basedOnRevision: number;
  to: WorkflowState;
  actor: string;
  message?: string;
  /**
   * Which step, when two share a target (submitted → editing is the editor's withdraw and
   * the approver's sendBack); recorded in the audit log. Default: the first in TRANSITIONS.
   */
  action?: WorkflowAction;
}

export interface PublishedPlan {
  organization: Organization;
  summary: PlanSummary;
  revision: Revision;
}

export interface PlanFilter {
  organizationId?: number;
  fiscalYear?: number;
  workflowState?: WorkflowState;
  /** Paging, for national-scale stores. */
  limit?: number;
  offset?: number;
}

// ---------------------------------------------------------------- users, sessions, login attempts

export interface User {
  id: number;
  username: string;
  displayName: string;
  /** The whole encoded hash (algorithm, parameters, salt), as the server made it. */
  passwordHash: string;
  role: Role;
  /** The organization an editor or approver works for; null for admins and city-wide roles. */
  organizationId: number | null;
  createdAt: Date;
}

export interface NewUser {
  username: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  organizationId?: number | null;
}

export type UserPatch = Partial<Pick<User, 'displayName' | 'passwordHash' | 'role' | 'organizationId'>>;

export interface Session {
  /** The opaque id the browser holds. The store keeps only its SHA-256. */
  id: string;
  userId: number;
  csrfToken: string;
  expiresAt: Date;
  createdAt: Date;
}

export interface LoginAttempt {
  username: string;
  ip: string;
  success: boolean;
  at?: Date;
}

/**
 * The most of a user name and of an address the store keeps from a sign-in attempt: they
 * come from anyone, before sign-in, so longer ones are cut (and still counted, as the cut form).
 */
export const LOGIN_USERNAME_MAX = 200;
export const LOGIN_IP_MAX = 100;

export interface BeginLoginAttempt {
  username: string;
  ip: string;
  /** Start of the counting window. */
  since: Date;
  /** Refused when this many attempts for the user (failed or unfinished) fall in the window. */
  maxPerUser: number;
  /** Refused when this many attempts from the address (failed or unfinished) fall in the window. */
  maxPerIp: number;
  at?: Date;
}

export type LoginReservation = { allowed: false } | { allowed: true; attemptId: number };

// ---------------------------------------------------------------- comments and audit

export interface Comment {
  id: number;
  planId: number;
  author: string;
  body: string;
  createdAt: Date;
}

export interface AuditEntry {
  id: number;
  at: Date;
  /** Username, or `cli` for the command line; `anonymous` before login. */
  actor: string;
  /** e.g. plan.save, plan.workflow, plan.publish, plan.import, login.failed, permission.denied */
  action: string;
  planId: number | null;
  organizationId: number | null;
  /** The item concerned, e.g. "1-1-1" or a field path. */
  item: string | null;
  /** What changed (JSON-serializable): a diff, a state change, a reason. */
  detail: unknown;
  ip: string | null;
}

/** The most of an entry's item the log keeps (a save's labels are cut to fit before; a name tried at sign-in is anyone's input). */
export const AUDIT_ITEM_MAX = 1000;

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at' | 'planId' | 'organizationId' | 'item' | 'detail' | 'ip'> &
  Partial<Pick<AuditEntry, 'at' | 'planId' | 'organizationId' | 'item' | 'detail' | 'ip'>>;

export interface AuditFilter {
  planId?: number;
  actor?: string;
  action?: string;
  /** Newest first when set; oldest first (id order) otherwise. */
  limit?: number;
}

// ---------------------------------------------------------------- errors

/** A write based on a revision that is no longer the newest. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  constructor(
    readonly planId: number,
    readonly basedOnRevision: number | null,
    readonly currentRevision: number,
    /** Revisions saved since the one the write was based on, oldest first. */
    readonly since: RevisionMeta[],
    /** What changed from the based-on revision to the current one. */
    readonly changes: PlanChange[],
  ) {
    super(
      basedOnRevision === null
        ? `この計画はすでに存在します(現在の版: ${currentRevision})`
        : `版 ${basedOnRevision} をもとにした変更ですが、その後 版 ${currentRevision} まで更新されています(${changes.length} 項目の変更)`,
    );
  }
}

/** A workflow transition not in the table (src/domain/workflow.ts). */
export class WorkflowError extends Error {
  override readonly name = 'WorkflowError';
  constructor(
    readonly from: WorkflowState,
    readonly to: WorkflowState,
  ) {
    super(`状態「${from}」から「${to}」へは変更できません`);
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** A unique key taken (username, slug, code). */
export class DuplicateError extends Error {
  override readonly name = 'DuplicateError';
}

/** The database was migrated by a newer Hoshin than this one. */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
}

// ---------------------------------------------------------------- the store

export type Engine = 'sqlite' | 'postgres';

/** Cities and wards. */
export interface OrganizationStore {
  createOrganization(input: NewOrganization): Promise<Organization>;
  getOrganization(id: number): Promise<Organization | undefined>;
  /** By slug, exact name, or 全国地方公共団体コード. */
  findOrganization(ref: string): Promise<Organization | undefined>;
  /** A ward of a city by its name as a document writes it (西区). */
  findWard(cityId: number, name: string): Promise<Organization | undefined>;
  listOrganizations(filter?: { parentId?: number | null; kind?: OrganizationKind }): Promise<Organization[]>;
}

/** Plans, their immutable revisions, their workflow and publication, and comments on them. Every write is audited in its own transaction. */
export interface PlanStore {
  /** Saves a new immutable revision; throws ConflictError when basedOnRevision is not the newest. */
  savePlan(input: SavePlanInput): Promise<Revision>;
  /**
   * Moves the plan along the workflow table; throws ConflictError or WorkflowError. Publishing
   * points the public site at the current revision. `action: 'unpublish'` takes the plan off
   * the public site whenever something is published, whatever the state and the based-on revision.
   */
  setWorkflowState(input: SetWorkflowStateInput): Promise<PlanSummary>;
  /** Publishes a given revision directly (import --publish, admin). */
  publishRevision(input: { planId: number; revision: number; actor: string }): Promise<PlanSummary>;
  getPlan(planId: number): Promise<PlanSummary | undefined>;
  findPlan(organizationId: number, fiscalYear: number): Promise<PlanSummary | undefined>;
  listPlans(filter?: PlanFilter): Promise<PlanSummary[]>;
  getPublishedPlan(organizationSlug: string, fiscalYear: number): Promise<PublishedPlan | undefined>;
  /** Published plans, by organization then fiscal year. */
  listPublishedPlans(filter?: Omit<PlanFilter, 'workflowState'>): Promise<PlanSummary[]>;

  // revisions
  /** The newest revision when number is omitted. */
  getRevision(planId: number, number?: number): Promise<Revision | undefined>;
  listRevisions(planId: number): Promise<RevisionMeta[]>;
  diffRevisions(planId: number, from: number, to: number): Promise<PlanChange[]>;

  // comments
  addComment(input: { planId: number; author: string; body: string }): Promise<Comment>;
  listComments(planId: number): Promise<Comment[]>;
}

/** Users, their sessions, and sign-in attempts (rate limiting). */
export interface UserStore {
  createUser(input: NewUser): Promise<User>;
  getUser(id: number): Promise<User | undefined>;
  getUserByUsername(username: string): Promise<User | undefined>;
  listUsers(): Promise<User[]>;
  updateUser(id: number, patch: UserPatch): Promise<User>;
  deleteUser(id: number): Promise<void>;

  // sessions
  createSession(input: { id: string; userId: number; csrfToken: string; expiresAt: Date }): Promise<Session>;
  /** undefined when unknown or expired. */
  getSession(id: string, now?: Date): Promise<Session | undefined>;
  deleteSession(id: string): Promise<void>;
  deleteUserSessions(userId: number): Promise<void>;
  deleteExpiredSessions(now?: Date): Promise<number>;

  // login attempts (rate limiting)
  recordLoginAttempt(attempt: LoginAttempt): Promise<void>;
  countFailedLogins(filter: { username?: string; ip?: string; since: Date }): Promise<number>;
  /**
   * Reserves a sign-in attempt before the password is checked: in one write transaction,
   * counts the failed and unfinished attempts since `since` for the user and for the
   * address and, under both limits, records this one as failed until finishLoginAttempt
   * says otherwise. Concurrent guesses therefore cannot all pass the count.
   */
  beginLoginAttempt(input: BeginLoginAttempt): Promise<LoginReservation>;
  /** The outcome of a reserved attempt (an attempt never finished stays a failure). */
  finishLoginAttempt(attemptId: number, success: boolean): Promise<void>;
}

// ---------------------------------------------------------------- the Check: measurements, schedules, scales, calendar feeds

/** A measurement as kept beside a plan: not a revision, with its own author, time and audit entry. */
export interface MeasurementRecord extends Measurement {
  id: number;
  planId: number;
  /** The indicator's stable id within the plan. */
  indicatorId: string;
  author: string;
  recordedAt: Date;
}

export interface NewMeasurement extends Measurement {
  indicatorId: string;
}

/** A city's own rating scale (or Osaka's, shipped with the preset). */
export interface RatingScaleRecord {
  /** The organization (a city) that defined it. */
  organizationId: number;
  name: string;
  options: RatingOption[];
}

/**
 * What is checked beside a plan's revisions: measurements (recording one never pulls a
 * published plan back into editing), each plan's check schedule, rating scales per city,
 * and the secret tokens of users' calendar feeds. Every write is audited in its transaction.
 */
export interface CheckStore {
  /** All or nothing: every measurement of one upload is stored, or none. */
  addMeasurements(input: { planId: number; author: string; measurements: NewMeasurement[] }): Promise<MeasurementRecord[]>;
  deleteMeasurement(input: { planId: number; id: number; actor: string }): Promise<void>;
  /** Oldest first by date, then by id. */
  listMeasurements(planId: number): Promise<MeasurementRecord[]>;

  /** undefined when never set (callers use defaultCheckSchedule). */
  getCheckSchedule(planId: number): Promise<CheckSchedule | undefined>;
  setCheckSchedule(input: { planId: number; schedule: CheckSchedule; actor: string }): Promise<void>;

  /** The scales a city defined, by name. */
  listRatingScales(organizationId: number): Promise<RatingScaleRecord[]>;
  /** Creates or replaces a city's scale of that name. */
  saveRatingScale(input: RatingScaleRecord & { actor: string }): Promise<void>;

  /**
   * The user's calendar feed token, created on first use; `renew` replaces it (the old URL stops working).
   * The store keeps only the token's SHA-256, so it cannot show an existing token again:
   * without `renew`, a user who already has one gets DuplicateError (see hasCalendarToken).
   */
  calendarToken(userId: number, renew?: boolean): Promise<string>;
  /** Whether the user has a calendar feed token (shown once, when created or renewed). */
  hasCalendarToken(userId: number): Promise<boolean>;
  /** The user a calendar feed token belongs to. */
  userByCalendarToken(token: string): Promise<User | undefined>;
}

/** The audit log: append-only. Plan writes audit themselves, in their own transaction. */
export interface AuditStore {
  appendAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  listAudit(filter?: AuditFilter): Promise<AuditEntry[]>;
}

export interface Store extends OrganizationStore, PlanStore, UserStore, AuditStore, CheckStore {
  readonly engine: Engine;

  /**
   * Runs fn in one transaction: everything it wrote is stored, or nothing. Nested calls join
   * the outer one. Inside fn use only `tx`: on SQLite the outer store would wait for the
   * connection the transaction holds.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;

  // maintenance
  /** Problems found by the engine's own check and by counting rows; empty when sound. */
  integrityCheck(): Promise<string[]>;
  close(): Promise<void>;
}
