/**
 * Versioned schema migrations, applied in order inside one transaction each, with a lock
 * so that several servers starting at once apply each exactly once. A database whose
 * version is newer than the newest known here is refused (SchemaTooNewError).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { SchemaTooNewError, type Engine } from './store.ts';
import { OSAKA_CITY, OSAKA_WARDS } from './presets/osaka.ts';

// Migrations run before the typed schema exists, so they use an untyped handle.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export interface Migration {
  version: number;
  name: string;
  up(db: AnyDb, engine: Engine): Promise<void>;
}

const id = (engine: Engine) => (engine === 'postgres' ? 'serial' : 'integer');
const idColumn = (engine: Engine) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (col: any) => (engine === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement());

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    async up(db, engine) {
      await db.schema
        .createTable('organizations')
        .addColumn('id', id(engine), idColumn(engine))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kana', 'text', (c) => c.notNull())
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('code', 'text', (c) => c.unique())
        .addColumn('parent_id', 'integer', (c) => c.references('organizations.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      // A city has one ward of each name; cities themselves may share names (府中市).
      await db.schema.createIndex('organizations_parent_name').unique().on('organizations').columns(['parent_id', 'name']).execute();

      await db.schema
        .createTable('plans')
        .addColumn('id', id(engine), idColumn(engine))
        .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id'))
        .addColumn('fiscal_year', 'integer', (c) => c.notNull())
        .addColumn('workflow_state', 'text', (c) => c.notNull())
        .addColumn('current_revision', 'integer', (c) => c.notNull())
        .addColumn('published_revision', 'integer')
        .addColumn('document_status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('plans_organization_fiscal_year', ['organization_id', 'fiscal_year'])
        .execute();
      await db.schema.createIndex('plans_fiscal_year').on('plans').column('fiscal_year').execute();

      await db.schema
        .createTable('revisions')
        .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('based_on', 'integer')
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('document_status', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('revisions_pk', ['plan_id', 'number'])
        .execute();

      await db.schema
        .createTable('comments')
        .addColumn('id', id(engine), idColumn(engine))
        .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('comments_plan').on('comments').column('plan_id').execute();

      await db.schema
        .createTable('users')
        .addColumn('id', id(engine), idColumn(engine))
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('organization_id', 'integer', (c) => c.references('organizations.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();

      await db.schema
        .createTable('login_attempts')
        .addColumn('id', id(engine), idColumn(engine))
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('success', 'integer', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('login_attempts_username').on('login_attempts').columns(['username', 'at']).execute();
      await db.schema.createIndex('login_attempts_ip').on('login_attempts').columns(['ip', 'at']).execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', id(engine), idColumn(engine))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('plan_id', 'integer')
        .addColumn('organization_id', 'integer')
        .addColumn('item', 'text')
        .addColumn('detail', 'text')
        .addColumn('ip', 'text')
        .execute();
      await db.schema.createIndex('audit_log_plan').on('audit_log').columns(['plan_id', 'id']).execute();

      // Append only: the database itself refuses to change or remove an audit entry.
      if (engine === 'sqlite') {
        await createSqliteAuditTriggers(db);
      } else {
        await sql`create function audit_log_append_only() returns trigger language plpgsql as $$ begin raise exception 'audit_log is append-only'; end $$`.execute(db);
        await sql`create trigger audit_log_no_change before update or delete on audit_log for each row execute function audit_log_append_only()`.execute(db);
      }
    },
  },
  {
    version: 2,
    name: 'Osaka City and its 24 wards',
    async up(db) {
      const now = new Date().toISOString();
      const city = await db
        .insertInto('organizations')
        .values({ ...OSAKA_CITY, parent_id: null, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('organizations')
        .values(OSAKA_WARDS.map((w) => ({ ...w, parent_id: city.id as number, created_at: now })))
        .execute();
    },
  },
];

export async function createSqliteAuditTriggers(db: Kysely<Database> | AnyDb): Promise<void> {
  await sql`create trigger audit_log_no_update before update on audit_log begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  await sql`create trigger audit_log_no_delete before delete on audit_log begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
}

export const LATEST_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

export interface MigrationResult {
  from: number;
  to: number;
  applied: string[];
}

/** The version the database is at; 0 when empty. */
export async function schemaVersion(db: Kysely<Database>, engine: Engine): Promise<number> {
  const exists = await hasSchemaTable(db, engine);
  if (!exists) return 0;
  const row = await db.selectFrom('hoshin_schema').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
  return row?.v === null || row?.v === undefined ? 0 : Number(row.v);
}

// Not db.introspection: on PostgreSQL it lists every schema, and tests use one schema each.
async function hasSchemaTable(db: Kysely<Database>, engine: Engine): Promise<boolean> {
  const q =
    engine === 'sqlite'
      ? sql<{ found: unknown }>`select name as found from sqlite_master where type = 'table' and name = 'hoshin_schema'`
      : sql<{ found: unknown }>`select to_regclass('hoshin_schema') as found`;
  const { rows } = await q.execute(db);
  return rows[0]?.found !== null && rows[0]?.found !== undefined;
}

export function assertNotTooNew(version: number): void {
  if (version > LATEST_SCHEMA_VERSION) {
    throw new SchemaTooNewError(
      `データベースのスキーマ(版 ${version})がこのHoshin(版 ${LATEST_SCHEMA_VERSION} まで対応)より新しいため、使用できません。Hoshinを更新してください。`,
    );
  }
}

/** Applies what is missing. Safe to run twice and from several processes at once. */
export async function migrate(db: Kysely<Database>, engine: Engine): Promise<MigrationResult> {
  return db.connection().execute(async (conn) => {
    const anyConn = conn as unknown as AnyDb;
    if (engine === 'sqlite') await beginImmediateWithRetry(conn);
    else {
      await sql`begin`.execute(conn);
      // Serializes concurrent migrators across servers; released at commit.
      await sql`select pg_advisory_xact_lock(7243019)`.execute(conn);
    }
    try {
      await anyConn.schema
        .createTable('hoshin_schema')
        .ifNotExists()
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('applied_at', 'text', (c) => c.notNull())
        .execute();
      const from = await schemaVersion(conn, engine);
      assertNotTooNew(from);
      const applied: string[] = [];
      for (const m of MIGRATIONS) {
        if (m.version <= from) continue;
        await m.up(anyConn, engine);
        await conn.insertInto('hoshin_schema').values({ version: m.version, name: m.name, applied_at: new Date().toISOString() }).execute();
        applied.push(`${m.version}: ${m.name}`);
      }
      await sql`commit`.execute(conn);
      return { from, to: Math.max(from, LATEST_SCHEMA_VERSION), applied };
    } catch (e) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw e;
    }
  });
}

/** How long a read waits, inside better-sqlite3, for the rare locks a WAL reader can meet (recovery, WAL reset). */
export const SQLITE_READ_BUSY_TIMEOUT_MS = 5000;

/**
 * SQLite's BEGIN IMMEDIATE takes the write lock up front, so a transaction never fails
 * half way for want of it. A wait for that lock inside better-sqlite3 would block the
 * whole event loop (and, with two connections in one process, the very transaction it
 * waits for), so it is tried without a busy timeout and retried here, asynchronously.
 */
export async function beginImmediateWithRetry(conn: Kysely<Database>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await sql`pragma busy_timeout = 0`.execute(conn);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await sql`begin immediate`.execute(conn);
        return;
      } catch (e) {
        if (!isSqliteBusy(e) || Date.now() > deadline) throw e;
        const wait = Math.min(50, 1 + attempt) * (0.5 + Math.random());
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  } finally {
    await sql.raw(`pragma busy_timeout = ${SQLITE_READ_BUSY_TIMEOUT_MS}`).execute(conn);
  }
}

export function isSqliteBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED');
}
