/**
 * Versioned schema migrations, applied in order inside one transaction each, with a lock
 * so that several servers starting at once apply each exactly once. A database whose
 * version is newer than the newest known here is refused (SchemaTooNewError).
 */
import { sql, type Kysely } from 'kysely';
import { adapterFor, type AnyDb, type EngineAdapter } from './engine/adapter.ts';
import { createSqliteAuditTriggers } from './engine/sqlite.ts';
import { readSchemaVersion } from './schema-version.ts';
import type { Database } from './schema.ts';
import { SchemaTooNewError, type Engine } from './store.ts';
import { OSAKA_CITY, OSAKA_WARDS, seedOsakaRatingScales } from './presets/osaka.ts';

export { beginImmediateWithRetry, createSqliteAuditTriggers, isSqliteBusy, SQLITE_READ_BUSY_TIMEOUT_MS } from './engine/sqlite.ts';

export interface Migration {
  version: number;
  name: string;
  // Migrations run before the typed schema exists, so they use an untyped handle.
  up(db: AnyDb, adapter: EngineAdapter): Promise<void>;
}

/** A step whose SQL differs by engine, written out for each. */
const perEngine =
  (steps: Record<Engine, (db: AnyDb) => Promise<void>>) =>
  (db: AnyDb, adapter: EngineAdapter): Promise<void> =>
    steps[adapter.engine](db);

const id = (adapter: EngineAdapter) => adapter.serialId.type;
const idColumn = (adapter: EngineAdapter) => adapter.serialId.constraints;

/** Version 1's append-only rule (triggers refusing UPDATE and DELETE). */
const auditAppendOnly = perEngine({
  sqlite: (db) => createSqliteAuditTriggers(db),
  async postgres(db) {
    await sql`create function audit_log_append_only() returns trigger language plpgsql as $$ begin raise exception 'audit_log is append-only'; end $$`.execute(db);
    await sql`create trigger audit_log_no_change before update or delete on audit_log for each row execute function audit_log_append_only()`.execute(db);
  },
});

/**
 * The ways around version 1's triggers. SQLite's INSERT OR REPLACE (and REPLACE INTO,
 * and an upsert) deletes the row it collides with without firing DELETE triggers: refuse
 * any insert whose id is taken. PostgreSQL's TRUNCATE fires no row triggers: refuse it
 * with a statement trigger. (INSERT … ON CONFLICT DO UPDATE already meets the UPDATE trigger.)
 */
const auditNoReplaceNoTruncate = perEngine({
  async sqlite(db) {
    await sql`create trigger audit_log_no_replace before insert on audit_log when exists (select 1 from audit_log where id = new.id) begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  },
  async postgres(db) {
    await sql`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only()`.execute(db);
  },
});

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    async up(db, adapter) {
      await db.schema
        .createTable('organizations')
        .addColumn('id', id(adapter), idColumn(adapter))
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
        .addColumn('id', id(adapter), idColumn(adapter))
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
        .addColumn('id', id(adapter), idColumn(adapter))
        .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('comments_plan').on('comments').column('plan_id').execute();

      await db.schema
        .createTable('users')
        .addColumn('id', id(adapter), idColumn(adapter))
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
        .addColumn('id', id(adapter), idColumn(adapter))
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('success', 'integer', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('login_attempts_username').on('login_attempts').columns(['username', 'at']).execute();
      await db.schema.createIndex('login_attempts_ip').on('login_attempts').columns(['ip', 'at']).execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', id(adapter), idColumn(adapter))
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
      await auditAppendOnly(db, adapter);
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
  {
    version: 3,
    name: 'audit log: refuse REPLACE (SQLite) and TRUNCATE (PostgreSQL)',
    up: auditNoReplaceNoTruncate,
  },
  {
    version: 4,
    name: 'the Check: measurements, check schedules, rating scales (Osaka\'s shipped), calendar feed tokens',
    async up(db, adapter) {
      // Measurements live beside the plan, not in its revisions: recording one is no plan edit.
      await db.schema
        .createTable('measurements')
        .addColumn('id', id(adapter), idColumn(adapter))
        .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
        .addColumn('indicator_id', 'text', (c) => c.notNull())
        .addColumn('date', 'text', (c) => c.notNull())
        // double precision, not real: PostgreSQL's real is 4 bytes (34.1 would come back 34.099998).
        .addColumn('value', 'double precision', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('source', 'text')
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('measurements_plan').on('measurements').columns(['plan_id', 'date', 'id']).execute();

      await db.schema
        .createTable('check_schedules')
        .addColumn('plan_id', 'integer', (c) => c.primaryKey().references('plans.id').onDelete('cascade'))
        .addColumn('schedule', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('rating_scales')
        .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('rating_scales_pk', ['organization_id', 'name'])
        .execute();

      await db.schema
        .createTable('calendar_tokens')
        .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        // SHA-256 (hex) of the token in the feed's URL, as for sessions: a copy of the database opens no feed.
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await seedOsakaRatingScales(db, new Date().toISOString());
    },
  },
];

export const LATEST_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/**
 * The oldest version whose tables and columns are today's: a JSON-lines backup taken at it
 * restores as it is (version 3 added only triggers; version 4 added the Check's tables). A migration that changes a table or
 * a column must move this to its own version.
 */
export const SAME_TABLES_SINCE = 4;

export interface MigrationResult {
  from: number;
  to: number;
  applied: string[];
}

/** The version the database is at; 0 when empty. */
export async function schemaVersion(db: Kysely<Database>, engine: Engine): Promise<number> {
  return readSchemaVersion(db, adapterFor(engine));
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
  const adapter = adapterFor(engine);
  return db.connection().execute(async (conn) => {
    const anyConn = conn as unknown as AnyDb;
    // Exclusive against other migrators (other servers too) until commit.
    await adapter.beginMigration(conn);
    try {
      // Created only when missing, so that an up-to-date database asks for no privilege to
      // create anything (the application's role may own nothing: docs/deploy.md).
      if (!(await adapter.hasTable(conn, 'hoshin_schema'))) {
        await anyConn.schema
          .createTable('hoshin_schema')
          .addColumn('version', 'integer', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('applied_at', 'text', (c) => c.notNull())
          .execute();
      }
      const from = await readSchemaVersion(conn, adapter);
      assertNotTooNew(from);
      const applied: string[] = [];
      for (const m of MIGRATIONS) {
        if (m.version <= from) continue;
        await m.up(anyConn, adapter);
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
