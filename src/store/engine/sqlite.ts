/** SQLite through better-sqlite3: one writer at a time (BEGIN IMMEDIATE), WAL, pragmas for checks. */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Database } from '../schema.ts';
import { countRows } from '../tables.ts';
import type { AnyDb, BackupResult, EngineAdapter } from './adapter.ts';
import { createPrivateFile, ensurePrivateDir, ensurePrivateFile } from './files.ts';

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

/** Version 1's append-only rule: no UPDATE, no DELETE (also reinstated after a restore). */
export async function createSqliteAuditTriggers(db: Kysely<Database> | AnyDb): Promise<void> {
  await sql`create trigger audit_log_no_update before update on audit_log begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  await sql`create trigger audit_log_no_delete before delete on audit_log begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
}

/**
 * Opens (creating it if need be) the database file. A new file and its folder are made
 * owner-only before SQLite writes a byte; SQLite gives the -wal and -shm files the
 * database file's own mode.
 */
export function openSqlite(path: string, readOnly: boolean): Kysely<Database> {
  if (readOnly) {
    const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    db.pragma(`busy_timeout = ${SQLITE_READ_BUSY_TIMEOUT_MS}`);
    return new Kysely<Database>({ dialect: new SqliteDialect({ database: db }) });
  }
  if (path !== ':memory:') {
    ensurePrivateDir(dirname(path));
    ensurePrivateFile(path);
  }
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  // Write transactions wait for the lock asynchronously (beginImmediateWithRetry); this is for reads.
  db.pragma(`busy_timeout = ${SQLITE_READ_BUSY_TIMEOUT_MS}`);
  db.pragma('foreign_keys = ON');
  // FULL: a committed edit survives a power cut, not only a crash of the process.
  db.pragma('synchronous = FULL');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: db }) });
}

export const sqliteAdapter: EngineAdapter = {
  engine: 'sqlite',

  beginWrite: (conn) => beginImmediateWithRetry(conn),
  // BEGIN IMMEDIATE already excludes every other writer, migrators included.
  beginMigration: (conn) => beginImmediateWithRetry(conn),
  // The write transaction holds the database's one write lock already.
  forUpdate: (q) => q,
  lockLoginAttempts: async () => undefined,

  isUniqueViolation(e) {
    const code = (e as { code?: unknown } | null)?.code;
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  },

  async checkIntegrity(db) {
    const problems: string[] = [];
    const ic = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
    for (const r of ic.rows) if (r.integrity_check !== 'ok') problems.push(`integrity_check: ${r.integrity_check}`);
    const fk = await sql<{ table: string; rowid: number; parent: string }>`pragma foreign_key_check`.execute(db);
    for (const r of fk.rows) problems.push(`foreign key: ${r.table} row ${r.rowid} → ${r.parent}`);
    return problems;
  },

  async hasTable(db, name) {
    const { rows } = await sql<{ found: unknown }>`select name as found from sqlite_master where type = 'table' and name = ${name}`.execute(db);
    return rows.length > 0;
  },

  serialId: { type: 'integer', constraints: (col) => col.primaryKey().autoIncrement() },

  /**
   * VACUUM INTO copies the database inside one read transaction: one consistent snapshot,
   * not blocked by writers (WAL) and, unlike the page-by-page backup API, never restarted
   * by them. It accepts an empty file, so the copy is created owner-only first.
   */
  async backup(db, target): Promise<BackupResult> {
    createPrivateFile(target);
    try {
      await sql`vacuum into ${target}`.execute(db);
    } catch (e) {
      rmSync(target, { force: true });
      throw e;
    }
    const copy = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(target, { readonly: true, fileMustExist: true }) }) });
    try {
      return { kind: 'sqlite', counts: await countRows(copy) };
    } finally {
      await copy.destroy();
    }
  },

  async setAuditAppendOnly(tx, on) {
    if (on) {
      await createSqliteAuditTriggers(tx);
    } else {
      await sql`drop trigger if exists audit_log_no_update`.execute(tx);
      await sql`drop trigger if exists audit_log_no_delete`.execute(tx);
    }
  },

  // AUTOINCREMENT continues after the largest id ever inserted, restored ones included.
  afterRestore: async () => undefined,
};
