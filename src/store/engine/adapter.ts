/**
 * Everything that differs between SQLite and PostgreSQL, behind one interface: the rest of
 * the store is written once, against Kysely and this. One implementation per engine
 * (sqlite.ts, postgres.ts); `adapterFor` picks it.
 */
import type { ColumnDefinitionBuilder, Kysely, SelectQueryBuilder } from 'kysely';
import type { Database, DataTable } from '../schema.ts';
import type { Engine } from '../store.ts';
import { postgresAdapter } from './postgres.ts';
import { sqliteAdapter } from './sqlite.ts';

// Migrations and restores run before (or beside) the typed schema, so some steps take an untyped handle.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;

export interface BackupResult {
  kind: 'sqlite' | 'jsonl';
  counts: Record<DataTable, number>;
}

export interface EngineAdapter {
  readonly engine: Engine;

  /** Starts a write transaction on conn that cannot fail later for want of the write lock. */
  beginWrite(conn: Kysely<Database>): Promise<void>;
  /** Starts the migration transaction, exclusive against every other migrator (other servers included). */
  beginMigration(conn: Kysely<Database>): Promise<void>;
  /** q with the rows it reads locked against other writers until the transaction ends. */
  forUpdate<DB, TB extends keyof DB, O>(q: SelectQueryBuilder<DB, TB, O>, of?: TB & string): SelectQueryBuilder<DB, TB, O>;
  /** Serializes sign-in reservations (count, then insert) until the transaction ends. */
  lockLoginAttempts(tx: Kysely<Database>): Promise<void>;

  /** A unique key or primary key refused the row. */
  isUniqueViolation(e: unknown): boolean;
  /** The engine's own consistency checks; empty when sound. */
  checkIntegrity(db: Kysely<Database>): Promise<string[]>;
  /** Whether a table exists in the store's schema. */
  hasTable(db: Kysely<Database>, name: string): Promise<boolean>;

  /** The column type and constraints of a generated integer primary key. */
  readonly serialId: { type: 'serial' | 'integer'; constraints: (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder };

  /** A consistent copy of the whole store at target (a new file, mode 0600), taken while it runs. */
  backup(db: Kysely<Database>, target: string): Promise<BackupResult>;
  /** Lifts (restore only) or reinstates the database's refusal to change or delete audit entries. */
  setAuditAppendOnly(tx: Kysely<Database>, on: boolean): Promise<void>;
  /** After rows were restored with their ids: makes new ids follow them. */
  afterRestore(tx: Kysely<Database>, tables: readonly DataTable[]): Promise<void>;
}

const ADAPTERS: Record<Engine, EngineAdapter> = { sqlite: sqliteAdapter, postgres: postgresAdapter };

/** The adapter of an engine. */
export function adapterFor(engine: Engine): EngineAdapter {
  return ADAPTERS[engine];
}
