/**
 * Opening a store: `HOSHIN_DATABASE_URL` chooses the engine.
 *   sqlite:./data/hoshin.sqlite       (default; the directory is created, owner-only, as is the file)
 *   postgres://user@host:port/db      (also postgresql://; `?schema=name` selects a schema, `?pool=N` the connections per process)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { openPostgres } from './engine/postgres.ts';
import { openSqlite } from './engine/sqlite.ts';
import { migrate } from './migrations.ts';
import type { Database } from './schema.ts';
import { SqlStore } from './sql-store.ts';
import type { Engine } from './store.ts';

export * from './store.ts';
export { SqlStore } from './sql-store.ts';

export const DEFAULT_DATABASE_URL = 'sqlite:./data/hoshin.sqlite';

export type DatabaseLocation = { engine: 'sqlite'; path: string } | { engine: 'postgres'; connectionString: string; schema?: string; pool?: number };

export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseLocation {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new Error(`HOSHIN_DATABASE_URL にファイル名がありません: ${url}`);
    return { engine: 'sqlite', path: path === ':memory:' ? path : resolve(cwd, path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const u = new URL(url);
    const schema = u.searchParams.get('schema') ?? undefined;
    u.searchParams.delete('schema');
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`スキーマ名が不正です: ${schema}`);
    const poolText = u.searchParams.get('pool') ?? undefined;
    u.searchParams.delete('pool');
    const pool = poolText === undefined ? undefined : Number(poolText);
    if (pool !== undefined && !(Number.isInteger(pool) && pool >= 1 && pool <= 200)) throw new Error(`接続プールの大きさ(pool)は 1〜200 の整数で指定してください: ${poolText}`);
    return { engine: 'postgres', connectionString: u.toString(), ...(schema ? { schema } : {}), ...(pool === undefined ? {} : { pool }) };
  }
  throw new Error(`HOSHIN_DATABASE_URL は sqlite:パス か postgres://… で指定してください: ${url}`);
}

export interface OpenOptions {
  /** Apply pending migrations (default true). The schema is always checked not to be newer than this program. */
  migrate?: boolean;
  /**
   * Open without writing anything (for `import --dry-run`): SQLite read-only on an existing
   * file, PostgreSQL in read-only transactions without creating the schema; never migrates.
   */
  readOnly?: boolean;
  cwd?: string;
  onClose?: () => Promise<void>;
}

/** The store at `url`, or at HOSHIN_DATABASE_URL, or ./data/hoshin.sqlite; migrated. */
export async function openStore(url?: string, options: OpenOptions = {}): Promise<SqlStore> {
  const location = parseDatabaseUrl(url ?? process.env.HOSHIN_DATABASE_URL ?? DEFAULT_DATABASE_URL, options.cwd);
  const { kysely, engine } = await connect(location, options.readOnly === true);
  const store = new SqlStore(kysely, engine, false, options.onClose);
  try {
    if (options.migrate !== false && !options.readOnly) await migrate(kysely, engine);
    else await checkNotTooNew(store);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}

async function checkNotTooNew(store: SqlStore): Promise<void> {
  const { schemaVersion, assertNotTooNew } = await import('./migrations.ts');
  assertNotTooNew(await schemaVersion(store.kysely, store.engine));
}

async function connect(location: DatabaseLocation, readOnly = false): Promise<{ kysely: Kysely<Database>; engine: Engine }> {
  return location.engine === 'sqlite'
    ? { kysely: openSqlite(location.path, readOnly), engine: 'sqlite' }
    : { kysely: await openPostgres(location, readOnly), engine: 'postgres' };
}

// ------------------------------------------------------------------ tests

/** The engines tests can use here: SQLite always, PostgreSQL when HOSHIN_TEST_PG_URL is set. */
export function testEngines(): Engine[] {
  return process.env.HOSHIN_TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestStore {
  store: SqlStore;
  /** A URL another process can open the same database with. */
  url: string;
}

/** A fresh, migrated store: a temporary SQLite file, or a new schema in the test PostgreSQL. Closing it deletes it. */
export async function createTestStore(engine: Engine = 'sqlite'): Promise<SqlStore> {
  return (await createTestDatabase(engine)).store;
}

export async function createTestDatabase(engine: Engine = 'sqlite'): Promise<TestStore> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'hoshin-store-'));
    const url = `sqlite:${join(dir, 'test.sqlite')}`;
    const store = await openStore(url, { onClose: async () => rmSync(dir, { recursive: true, force: true }) });
    return { store, url };
  }
  const base = process.env.HOSHIN_TEST_PG_URL;
  if (!base) throw new Error('HOSHIN_TEST_PG_URL is not set: start PostgreSQL with eval "$(scripts/pg-test.sh start)"');
  const schema = `hoshin_test_${randomBytes(6).toString('hex')}`;
  const u = new URL(base);
  u.searchParams.set('schema', schema);
  const url = u.toString();
  const store = await openStore(url, {
    onClose: async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  });
  return { store, url };
}



/** The store a command line names in its environment (HOSHIN_DATABASE_URL), paths relative to cwd. */
export async function openStoreFromEnv(env: NodeJS.ProcessEnv, cwd: string, options: Omit<OpenOptions, 'cwd'> = {}): Promise<SqlStore> {
  return openStore(env.HOSHIN_DATABASE_URL || DEFAULT_DATABASE_URL, { ...options, cwd });
}

/** The URL with any password hidden, for messages. */
export function describeDatabaseUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/, '$1:***@');
}

/** openStoreFromEnv for a command: on failure, says why on stderr and gives undefined (exit 1). */
export async function openStoreForCommand(name: string, env: NodeJS.ProcessEnv, cwd: string, stderr: (s: string) => void, options: Omit<OpenOptions, 'cwd'> = {}): Promise<SqlStore | undefined> {
  try {
    return await openStoreFromEnv(env, cwd, options);
  } catch (e) {
    stderr(`hoshin ${name}: データベースを開けません: ${e instanceof Error ? e.message : String(e)}\n`);
    return undefined;
  }
}
