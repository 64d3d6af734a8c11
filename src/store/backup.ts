/**
 * Backup and restore, consistent while the server runs.
 *
 * SQLite: `VACUUM INTO` copies the database inside one read transaction, so the copy is
 * one consistent snapshot, taken without stopping writers (WAL) and — unlike the page-by-
 * page backup API — never restarted by them. The result is a plain SQLite database file.
 *
 * PostgreSQL: a logical export of every table inside one REPEATABLE READ, READ ONLY
 * transaction, to JSON lines: a header, one line per row, and an end line with the row
 * counts (a truncated file is refused on restore).
 *
 * Restore reads either kind into either engine (so an office can move from SQLite to
 * PostgreSQL) in one transaction, and refuses a database that already holds data unless forced.
 */
import { createReadStream, existsSync, openSync, readSync, closeSync, rmSync, mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { BackupResult } from './engine/adapter.ts';
import { BACKUP_FORMAT } from './engine/postgres.ts';
import { LATEST_SCHEMA_VERSION, migrate, SAME_TABLES_SINCE, schemaVersion } from './migrations.ts';
import { TABLES_IN_DEPENDENCY_ORDER, TABLES_WITH_SERIAL_ID, type DataTable, type Database } from './schema.ts';
import type { SqlStore } from './sql-store.ts';
import { countRows, readTable, type Row } from './tables.ts';

export { BACKUP_FORMAT } from './engine/postgres.ts';
export type { BackupResult } from './engine/adapter.ts';

const INSERT_BATCH = 200;

/** A new file (never overwritten), readable by its owner only. */
export async function backupStore(store: SqlStore, file: string): Promise<BackupResult> {
  const target = resolve(file);
  if (existsSync(target)) throw new Error(`${file} はすでに存在します(上書きしません)`);
  return store.adapter.backup(store.kysely, target);
}

// ------------------------------------------------------------------ restore

export class RestoreRefusedError extends Error {
  override readonly name = 'RestoreRefusedError';
}

export interface RestoreResult {
  source: 'sqlite' | 'jsonl';
  counts: Record<DataTable, number>;
}

/** True when the store holds anything beyond what migrations put there. */
export async function holdsData(store: SqlStore): Promise<boolean> {
  const counts = await countRows(store.kysely);
  const { OSAKA_WARDS } = await import('./presets/osaka.ts');
  const { OSAKA_RATING_SCALES } = await import('../domain/pdca/rating-scales.ts');
  // What migrations ship: Osaka, its wards and its rating scales.
  const shipped: Partial<Record<DataTable, number>> = { organizations: OSAKA_WARDS.length + 1, rating_scales: Object.keys(OSAKA_RATING_SCALES).length };
  return TABLES_IN_DEPENDENCY_ORDER.some((t) => counts[t] > (shipped[t] ?? 0));
}

export async function restoreStore(store: SqlStore, file: string, options: { force?: boolean } = {}): Promise<RestoreResult> {
  const path = resolve(file);
  if (!existsSync(path)) throw new RestoreRefusedError(`${file} が見つかりません`);
  if (!options.force && (await holdsData(store))) {
    throw new RestoreRefusedError('復元先のデータベースにはすでにデータがあります。上書きするには --force を指定してください');
  }
  return isSqliteFile(path) ? restoreFromSqlite(store, path) : restoreFromJsonl(store, path);
}

function isSqliteFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    readSync(fd, head, 0, 16, 0);
    return head.toString('latin1') === 'SQLite format 3\0';
  } finally {
    closeSync(fd);
  }
}

async function restoreFromSqlite(store: SqlStore, path: string): Promise<RestoreResult> {
  // Read from a migrated temporary copy, so an older backup restores into the current schema.
  const dir = mkdtempSync(join(tmpdir(), 'hoshin-restore-'));
  const copyPath = join(dir, 'source.sqlite');
  copyFileSync(path, copyPath);
  const src = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(copyPath) }) });
  try {
    const version = await schemaVersion(src, 'sqlite');
    if (version === 0) throw new RestoreRefusedError(`${path} はHoshinのデータベースではありません`);
    if (version > LATEST_SCHEMA_VERSION) throw new RestoreRefusedError(`バックアップのスキーマ(版 ${version})がこのHoshinより新しいため復元できません`);
    await migrate(src, 'sqlite');
    const tables = TABLES_IN_DEPENDENCY_ORDER.map((t) => ({ table: t, rows: readTable(src, t) }));
    const counts = await load(store, async function* () {
      for (const { table, rows } of tables) for await (const row of rows) yield { table, row };
    });
    return { source: 'sqlite', counts };
  } finally {
    await src.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function restoreFromJsonl(store: SqlStore, path: string): Promise<RestoreResult> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  const it = lines[Symbol.asyncIterator]();
  const first = await it.next();
  let header: { format?: string; schemaVersion?: number };
  try {
    header = JSON.parse(first.done ? '' : first.value) as typeof header;
  } catch {
    throw new RestoreRefusedError(`${path} はHoshinのバックアップではありません`);
  }
  if (header.format !== BACKUP_FORMAT) throw new RestoreRefusedError(`${path} はHoshinのバックアップではありません`);
  const v = header.schemaVersion;
  if (typeof v !== 'number' || v < SAME_TABLES_SINCE || v > LATEST_SCHEMA_VERSION) {
    throw new RestoreRefusedError(`バックアップのスキーマ(版 ${header.schemaVersion})はこのHoshin(版 ${LATEST_SCHEMA_VERSION})と異なるため復元できません`);
  }
  let expected: Record<string, number> | undefined;
  const counts = await load(store, async function* () {
    for (;;) {
      const next = await it.next();
      if (next.done) break;
      if (next.value.trim() === '') continue;
      const item = JSON.parse(next.value) as { table?: DataTable; row?: Row; end?: boolean; counts?: Record<string, number> };
      if (item.end) {
        expected = item.counts;
        break;
      }
      if (!item.table || !item.row || !TABLES_IN_DEPENDENCY_ORDER.includes(item.table)) throw new RestoreRefusedError('バックアップに読めない行があります');
      yield { table: item.table, row: item.row };
    }
    // Checked before the transaction commits: a truncated backup restores nothing.
    if (!expected) throw new RestoreRefusedError('バックアップが途中で切れています(終端の行がありません)');
  });
  for (const t of TABLES_IN_DEPENDENCY_ORDER) {
    if ((expected?.[t] ?? 0) !== counts[t]) throw new Error(`restored ${counts[t]} rows of ${t}, backup says ${expected?.[t]}`);
  }
  return { source: 'jsonl', counts };
}

/** Replaces every row of every table, in one transaction. */
async function load(store: SqlStore, rows: () => AsyncGenerator<{ table: DataTable; row: Row }>): Promise<Record<DataTable, number>> {
  return store.transaction(async (txStore) => {
    const tx = (txStore as SqlStore).kysely;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const anyTx = tx as Kysely<any>;
    // Restore is the one operation allowed to clear the audit log: it replaces the database as a whole.
    await store.adapter.setAuditAppendOnly(tx, false);
    for (const table of [...TABLES_IN_DEPENDENCY_ORDER].reverse()) await anyTx.deleteFrom(table).execute();
    const counts = Object.fromEntries(TABLES_IN_DEPENDENCY_ORDER.map((t) => [t, 0])) as Record<DataTable, number>;
    let batch: Row[] = [];
    let batchTable: DataTable | undefined;
    const flush = async () => {
      if (batchTable && batch.length > 0) await anyTx.insertInto(batchTable).values(batch).execute();
      batch = [];
    };
    for await (const { table, row } of rows()) {
      if (table !== batchTable || batch.length >= INSERT_BATCH) {
        await flush();
        batchTable = table;
      }
      batch.push(row);
      counts[table]++;
    }
    await flush();
    await store.adapter.setAuditAppendOnly(tx, true);
    await store.adapter.afterRestore(tx, TABLES_WITH_SERIAL_ID);
    return counts;
  });
}
