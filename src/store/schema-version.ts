/** Which migration a database is at (hoshin_schema), on any engine. */
import type { Kysely } from 'kysely';
import type { EngineAdapter } from './engine/adapter.ts';
import type { Database } from './schema.ts';

/** The version the database is at; 0 when empty. */
export async function readSchemaVersion(db: Kysely<Database>, adapter: EngineAdapter): Promise<number> {
  // Not db.introspection: on PostgreSQL it lists every schema, and tests use one schema each.
  if (!(await adapter.hasTable(db, 'hoshin_schema'))) return 0;
  const row = await db.selectFrom('hoshin_schema').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
  return row?.v === null || row?.v === undefined ? 0 : Number(row.v);
}
