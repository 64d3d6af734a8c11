/** PostgreSQL through pg: row locks (FOR UPDATE), advisory locks, logical backup to JSON lines. */
import { once } from 'node:events';
import { createWriteStream, rmSync } from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { readSchemaVersion } from '../schema-version.ts';
import { TABLES_IN_DEPENDENCY_ORDER, type DataTable, type Database } from '../schema.ts';
import { readTable } from '../tables.ts';
import type { BackupResult, EngineAdapter } from './adapter.ts';
import { PRIVATE_FILE_MODE } from './files.ts';

export const BACKUP_FORMAT = 'hoshin-backup/1';

/** Advisory lock keys (database-wide): one per thing serialized across servers. */
const MIGRATION_LOCK = 7243019;
const LOGIN_ATTEMPTS_LOCK = 7243020;

export interface PostgresLocation {
  connectionString: string;
  schema?: string;
  /** Connections per process (`?pool=N`); DEFAULT_POOL_SIZE when absent. */
  pool?: number;
}

/** Connections per process unless the URL says `?pool=N` (docs/store.md; measured in docs/performance.md). */
export const DEFAULT_POOL_SIZE = 10;

/** A pool on the database, in its schema (created unless read-only), read-only transactions if asked. */
export async function openPostgres(location: PostgresLocation, readOnly: boolean): Promise<Kysely<Database>> {
  if (location.schema && !readOnly) {
    const client = new pg.Client({ connectionString: location.connectionString });
    await client.connect();
    try {
      // Only when missing: the application's role may own nothing (docs/deploy.md), and
      // PostgreSQL checks the privilege to create before it sees that the schema exists.
      const found = await client.query('select 1 from pg_namespace where nspname = $1', [location.schema]);
      if (found.rowCount === 0) await client.query(`create schema if not exists ${location.schema}`);
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: location.connectionString,
    max: location.pool ?? DEFAULT_POOL_SIZE,
    options: [location.schema ? `-c search_path=${location.schema}` : '', readOnly ? '-c default_transaction_read_only=on' : ''].filter(Boolean).join(' ') || undefined,
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export const postgresAdapter: EngineAdapter = {
  engine: 'postgres',

  // READ COMMITTED; writers that must not interleave lock rows (forUpdate) or take an advisory lock.
  beginWrite: async (conn) => {
    await sql`begin`.execute(conn);
  },
  async beginMigration(conn) {
    await sql`begin`.execute(conn);
    // Serializes concurrent migrators across servers; released at commit.
    await sql`select pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK)})`.execute(conn);
  },
  forUpdate: (q, of) => (of === undefined ? q.forUpdate() : q.forUpdate(of)),
  async lockLoginAttempts(tx) {
    // Held to the end of the transaction: the count and the insert after it are one step for every server.
    await sql`select pg_advisory_xact_lock(${sql.lit(LOGIN_ATTEMPTS_LOCK)})`.execute(tx);
  },

  isUniqueViolation: (e) => (e as { code?: unknown } | null)?.code === '23505',

  // PostgreSQL checks its pages and keys as it goes; the store's own checks are run by the caller.
  checkIntegrity: async () => [],

  async hasTable(db, name) {
    const { rows } = await sql<{ found: unknown }>`select to_regclass(${name}) as found`.execute(db);
    return rows[0]?.found !== null && rows[0]?.found !== undefined;
  },

  serialId: { type: 'serial', constraints: (col) => col.primaryKey() },

  /**
   * Every table read in one REPEATABLE READ, READ ONLY transaction, to JSON lines: a header,
   * one line per row, and an end line with the row counts (a truncated file is refused on restore).
   */
  async backup(db, target): Promise<BackupResult> {
    const out = createWriteStream(target, { flags: 'wx', mode: PRIVATE_FILE_MODE });
    const write = async (obj: unknown) => {
      if (!out.write(`${JSON.stringify(obj)}\n`)) await once(out, 'drain');
    };
    const counts = {} as Record<DataTable, number>;
    try {
      await db.connection().execute(async (conn) => {
        await sql`begin isolation level repeatable read read only`.execute(conn);
        try {
          await write({ format: BACKUP_FORMAT, schemaVersion: await readSchemaVersion(conn, postgresAdapter), engine: 'postgres', createdAt: new Date().toISOString() });
          for (const table of TABLES_IN_DEPENDENCY_ORDER) {
            counts[table] = 0;
            for await (const row of readTable(conn, table)) {
              await write({ table, row });
              counts[table]++;
            }
          }
          await write({ end: true, counts });
        } finally {
          await sql`commit`.execute(conn);
        }
      });
    } catch (e) {
      out.destroy();
      rmSync(target, { force: true });
      throw e;
    }
    out.end();
    await once(out, 'finish');
    return { kind: 'jsonl', counts };
  },

  // Restore runs as the tables' owner (docs/deploy.md): only an owner may disable a trigger.
  async setAuditAppendOnly(tx, on) {
    await (on ? sql`alter table audit_log enable trigger audit_log_no_change` : sql`alter table audit_log disable trigger audit_log_no_change`).execute(tx);
  },

  async afterRestore(tx, tables) {
    for (const t of tables) {
      await sql`select setval(pg_get_serial_sequence(${t}, 'id'), coalesce((select max(id) from ${sql.table(t)}), 1), (select max(id) from ${sql.table(t)}) is not null)`.execute(tx);
    }
  },
};
