/**
 * Row types: the tables exactly as stored, apart from the domain types in store.ts.
 * Times are ISO 8601 UTC text on both engines (they sort as text and need no per-engine
 * conversion); booleans are 0/1 integers; JSON is text.
 */
import type { Generated } from 'kysely';
import type { DocumentStatus } from '../domain/plan.ts';
import type { Role, WorkflowState } from '../domain/workflow.ts';
import type { OrganizationKind } from './store.ts';

// Columns holding one of the domain's values are typed with its union, so a write of
// anything else does not compile; reads are still checked (src/store/mapper.ts), since
// the database itself does not enforce the union.

export interface OrganizationRow {
  id: Generated<number>;
  kind: OrganizationKind;
  name: string;
  kana: string;
  slug: string;
  code: string | null;
  parent_id: number | null;
  created_at: string;
}

export interface PlanRow {
  id: Generated<number>;
  organization_id: number;
  fiscal_year: number;
  workflow_state: WorkflowState;
  current_revision: number;
  published_revision: number | null;
  document_status: DocumentStatus;
  created_at: string;
  updated_at: string;
}

export interface RevisionRow {
  plan_id: number;
  number: number;
  based_on: number | null;
  author: string;
  message: string;
  created_at: string;
  document_status: DocumentStatus;
  /** The plan as hoshin-plan/1 JSON text. */
  body: string;
}

export interface CommentRow {
  id: Generated<number>;
  plan_id: number;
  author: string;
  body: string;
  created_at: string;
}

export interface AuditRow {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  plan_id: number | null;
  organization_id: number | null;
  item: string | null;
  /** JSON text or null. */
  detail: string | null;
  ip: string | null;
}

export interface UserRow {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  organization_id: number | null;
  created_at: string;
}

export interface SessionRow {
  /** SHA-256 (hex) of the id the browser holds. */
  id_hash: string;
  user_id: number;
  csrf_token: string;
  expires_at: string;
  created_at: string;
}

export interface LoginAttemptRow {
  id: Generated<number>;
  username: string;
  ip: string;
  success: number;
  at: string;
}

/** A dated value of one indicator of a plan (version 4): beside the plan, not in its revisions. */
export interface MeasurementRow {
  id: Generated<number>;
  plan_id: number;
  /** The indicator's stable id within the plan. */
  indicator_id: string;
  /** ISO YYYY-MM-DD. */
  date: string;
  value: number;
  note: string | null;
  source: string | null;
  author: string;
  recorded_at: string;
}

export interface CheckScheduleRow {
  plan_id: number;
  /** The CheckSchedule as JSON text. */
  schedule: string;
  updated_at: string;
}

export interface RatingScaleRow {
  organization_id: number;
  name: string;
  /** RatingOption[] as JSON text. */
  options: string;
  updated_at: string;
}

export interface CalendarTokenRow {
  user_id: number;
  /** SHA-256 (hex) of the token in the feed's URL. */
  token_hash: string;
  created_at: string;
}

export interface SchemaVersionRow {
  version: number;
  name: string;
  applied_at: string;
}

export interface Database {
  organizations: OrganizationRow;
  plans: PlanRow;
  revisions: RevisionRow;
  comments: CommentRow;
  audit_log: AuditRow;
  users: UserRow;
  sessions: SessionRow;
  login_attempts: LoginAttemptRow;
  measurements: MeasurementRow;
  check_schedules: CheckScheduleRow;
  rating_scales: RatingScaleRow;
  calendar_tokens: CalendarTokenRow;
  hoshin_schema: SchemaVersionRow;
}

/** Tables in an order where every row's references come before it (backup, restore). */
export const TABLES_IN_DEPENDENCY_ORDER = [
  'organizations',
  'plans',
  'revisions',
  'comments',
  'measurements',
  'check_schedules',
  'rating_scales',
  'users',
  'sessions',
  'calendar_tokens',
  'login_attempts',
  'audit_log',
] as const satisfies readonly (keyof Database)[];

export type DataTable = (typeof TABLES_IN_DEPENDENCY_ORDER)[number];

/** Tables whose id is generated (their sequences need resetting after a PostgreSQL restore). */
export const TABLES_WITH_SERIAL_ID: readonly DataTable[] = ['organizations', 'plans', 'comments', 'measurements', 'users', 'login_attempts', 'audit_log'];
