/** Reading whole tables, the same on every engine: for backup, restore and their checks. */
import { sql, type Kysely } from 'kysely';
import { TABLES_IN_DEPENDENCY_ORDER, type DataTable, type Database } from './schema.ts';
import type { AnyDb } from './engine/adapter.ts';

export type Row = Record<string, unknown>;

const PAGE = 1000;

/** The key each table is read back in, so pages are stable and restores keep order. */
const ORDER: Record<DataTable, readonly string[]> = {
  organizations: ['id'],
  plans: ['id'],
  revisions: ['plan_id', 'number'],
  comments: ['id'],
  measurements: ['id'],
  check_schedules: ['plan_id'],
  rating_scales: ['organization_id', 'name'],
  calendar_tokens: ['user_id'],
  users: ['id'],
  sessions: ['id_hash'],
  login_attempts: ['id'],
  audit_log: ['id'],
};

/** Keyset pagination: constant memory for any table size, and every row exactly once. */
export async function* readTable(db: Kysely<Database>, table: DataTable): AsyncGenerator<Row> {
  const keys = ORDER[table];
  let last: unknown[] | undefined;
  for (;;) {
    let q = (db as AnyDb).selectFrom(table).selectAll();
    if (last) {
      const lastKey = last;
      q = q.where(sql<boolean>`(${sql.join(keys.map((k) => sql.ref(k)))}) > (${sql.join(lastKey)})`);
    }
    for (const k of keys) q = q.orderBy(k);
    const rows = (await q.limit(PAGE).execute()) as Row[];
    for (const row of rows) yield row;
    if (rows.length < PAGE) return;
    const end = rows[rows.length - 1]!;
    last = keys.map((k) => end[k]);
  }
}

export async function countRows(db: Kysely<Database>): Promise<Record<DataTable, number>> {
  const counts = {} as Record<DataTable, number>;
  for (const table of TABLES_IN_DEPENDENCY_ORDER) {
    const r = await (db as AnyDb).selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(r.n);
  }
  return counts;
}
