/** What every area of the SQL store works through: a connection, its engine, and write transactions. */
import type { Kysely } from 'kysely';
import type { EngineAdapter } from '../engine/adapter.ts';
import type { Database } from '../schema.ts';

export interface SqlContext {
  /** The pool, or the one connection of the current transaction. */
  readonly kysely: Kysely<Database>;
  readonly adapter: EngineAdapter;
  /** Runs fn in one write transaction (joining the current one), with a context bound to it. */
  write<T>(fn: (tx: SqlContext) => Promise<T>): Promise<T>;
}
