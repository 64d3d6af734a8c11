/** The one place rows become domain objects and back. */
import type { Selectable } from 'kysely';
import type { Plan, DocumentStatus } from '../domain/plan.ts';
import { ROLES, WORKFLOW_STATES } from '../domain/workflow.ts';
import { withLegacyItemIds } from '../domain/item-ids.ts';
import { withoutMeasurements } from '../domain/pdca/measurements.ts';
import { fromPlanJson, PLAN_FORMAT_2, PLAN_FORMATS, toPlanJson, type PlanJson } from '../formats/index.ts';
import type { AuditRow, CommentRow, OrganizationRow, PlanRow, RevisionRow, SessionRow, UserRow } from './schema.ts';
import type { AuditEntry, Comment, Organization, OrganizationKind, PlanSummary, Revision, RevisionMeta, Session, User } from './store.ts';

const ORG_KINDS: readonly OrganizationKind[] = ['prefecture', 'city', 'ward', 'other'];
const DOCUMENT_STATUSES: readonly DocumentStatus[] = ['draft', 'final'];

export const toTime = (d: Date): string => d.toISOString();
export const fromTime = (s: string): Date => new Date(s);

/**
 * The row types promise a union (schema.ts), but the database does not enforce it: a
 * value written by hand or by another program is refused here rather than passed on.
 */
function oneOf<T extends string>(value: T, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly unknown[]).includes(value)) throw new Error(`stored ${what} is invalid: ${String(value)}`);
  return value;
}

export function toOrganization(r: Selectable<OrganizationRow>): Organization {
  return {
    id: r.id,
    kind: oneOf(r.kind, ORG_KINDS, 'organization kind'),
    name: r.name,
    kana: r.kana,
    slug: r.slug,
    code: r.code,
    parentId: r.parent_id,
    createdAt: fromTime(r.created_at),
  };
}

export type PlanWithOrgRow = Selectable<PlanRow> & { organization_slug: string; organization_name: string; published_document_status: DocumentStatus | null };

export function toPlanSummary(r: PlanWithOrgRow): PlanSummary {
  return {
    id: r.id,
    organizationId: r.organization_id,
    organizationSlug: r.organization_slug,
    organizationName: r.organization_name,
    fiscalYear: r.fiscal_year,
    workflowState: oneOf(r.workflow_state, WORKFLOW_STATES, 'workflow state'),
    currentRevision: r.current_revision,
    publishedRevision: r.published_revision,
    documentStatus: toDocumentStatus(r.document_status),
    publishedDocumentStatus: r.published_document_status === null ? null : toDocumentStatus(r.published_document_status),
    updatedAt: fromTime(r.updated_at),
  };
}

function toDocumentStatus(s: DocumentStatus): DocumentStatus {
  return oneOf(s, DOCUMENT_STATUSES, 'document status');
}

export function toRevisionMeta(r: Omit<RevisionRow, 'body'>): RevisionMeta {
  return {
    planId: r.plan_id,
    number: r.number,
    author: r.author,
    message: r.message,
    createdAt: fromTime(r.created_at),
    documentStatus: toDocumentStatus(r.document_status),
  };
}

export function toRevision(r: RevisionRow): Revision {
  return { ...toRevisionMeta(r), plan: planFromBody(r.body) };
}

/**
 * The plan as hoshin-plan/2 JSON text, ids included: the public format is also the stored
 * one. Measurements live beside the plan (their own table), never in a revision.
 */
export function planToBody(plan: Plan): string {
  return JSON.stringify(toPlanJson(withoutMeasurements(plan).plan, PLAN_FORMAT_2));
}

/**
 * A stored plan. Revisions stored as `/1`, before items had ids, get ids made from their
 * numbers, the same on every read, so an edit that started from one merges by them.
 */
export function planFromBody(body: string): Plan {
  const json = JSON.parse(body) as PlanJson;
  if (!(PLAN_FORMATS as readonly string[]).includes(json.format)) throw new Error(`stored plan has unknown format: ${String(json.format)}`);
  return withLegacyItemIds(fromPlanJson(json));
}

export function toComment(r: Selectable<CommentRow>): Comment {
  return { id: r.id, planId: r.plan_id, author: r.author, body: r.body, createdAt: fromTime(r.created_at) };
}

export function toAuditEntry(r: Selectable<AuditRow>): AuditEntry {
  return {
    id: r.id,
    at: fromTime(r.at),
    actor: r.actor,
    action: r.action,
    planId: r.plan_id,
    organizationId: r.organization_id,
    item: r.item,
    detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
    ip: r.ip,
  };
}

export function toUser(r: Selectable<UserRow>): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    role: oneOf(r.role, ROLES, 'role'),
    organizationId: r.organization_id,
    createdAt: fromTime(r.created_at),
  };
}

export function toSession(r: SessionRow, id: string): Session {
  return { id, userId: r.user_id, csrfToken: r.csrf_token, expiresAt: fromTime(r.expires_at), createdAt: fromTime(r.created_at) };
}
