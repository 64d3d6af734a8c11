/** The audit log: appended to by every write, read per plan, actor or action. */
import type { Kysely } from 'kysely';
import { toAuditEntry, toTime } from '../mapper.ts';
import type { Database } from '../schema.ts';
import { AUDIT_ITEM_MAX, LOGIN_IP_MAX, type AuditEntry, type AuditFilter, type AuditStore, type NewAuditEntry } from '../store.ts';
import type { SqlContext } from './context.ts';

/** Audit actions written by the store itself. */
export const AUDIT = {
  planCreate: 'plan.create',
  planSave: 'plan.save',
  planWorkflow: 'plan.workflow',
  planPublish: 'plan.publish',
  planComment: 'plan.comment',
  measurementAdd: 'measurement.add',
  measurementDelete: 'measurement.delete',
  scheduleSet: 'schedule.set',
  ratingScaleSave: 'ratingScale.save',
  calendarToken: 'calendar.token',
} as const;

const cut = (s: string | null | undefined, max: number): string | null => (s === undefined || s === null ? null : s.slice(0, max));

/** Appends an entry on db, inside whatever transaction db is. */
export async function insertAudit(db: Kysely<Database>, entry: NewAuditEntry): Promise<AuditEntry> {
  const row = await db
    .insertInto('audit_log')
    .values({
      at: toTime(entry.at ?? new Date()),
      actor: entry.actor,
      action: entry.action,
      plan_id: entry.planId ?? null,
      organization_id: entry.organizationId ?? null,
      // The item and the address can come from anyone (a name tried at sign-in): bounded.
      item: cut(entry.item, AUDIT_ITEM_MAX),
      detail: entry.detail === undefined || entry.detail === null ? null : JSON.stringify(entry.detail),
      ip: cut(entry.ip, LOGIN_IP_MAX),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAuditEntry(row);
}

export class SqlAudit implements AuditStore {
  constructor(private readonly ctx: SqlContext) {}

  async appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    return this.ctx.write((tx) => insertAudit(tx.kysely, entry));
  }

  async listAudit(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    let q = this.ctx.kysely.selectFrom('audit_log').selectAll();
    if (filter.planId !== undefined) q = q.where('plan_id', '=', filter.planId);
    if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor);
    if (filter.action !== undefined) q = q.where('action', '=', filter.action);
    q = filter.limit !== undefined ? q.orderBy('id', 'desc').limit(filter.limit) : q.orderBy('id');
    return (await q.execute()).map(toAuditEntry);
  }
}
