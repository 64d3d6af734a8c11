/**
 * `?pool=N` in a PostgreSQL URL sets the connections one process opens (docs/store.md): the
 * server's store runs at most N queries at once, however many requests ask.
 */
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { createTestDatabase, openStore, type SqlStore } from '../../src/store/index.ts';
import { describeEachEngine } from './engines.ts';

describeEachEngine('the PostgreSQL pool size', (engine) => {
  if (engine === 'sqlite') {
    it('is a PostgreSQL setting (SQLite has one connection)', () => expect(engine).toBe('sqlite'));
    return;
  }
  const opened: SqlStore[] = [];
  afterAll(async () => {
    for (const s of opened.reverse()) await s.close();
  });

  /** The most queries of this store seen running at once while `queries` are asked for together. */
  async function concurrentQueries(pool: number, queries: number): Promise<number> {
    const test = await createTestDatabase('postgres');
    opened.push(test.store);
    const u = new URL(test.url);
    u.searchParams.set('pool', String(pool));
    const store = await openStore(u.toString());
    opened.push(store);
    const tag = `pool_probe_${pool}_${Date.now()}`;
    const watcher = new pg.Client({ connectionString: process.env.HOSHIN_TEST_PG_URL });
    await watcher.connect();
    let most = 0;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const { rows } = await watcher.query<{ n: string }>(`select count(*) as n from pg_stat_activity where state = 'active' and query like $1`, [`%${tag}%`]);
        most = Math.max(most, Number(rows[0]!.n));
      }
    })();
    // Each query sleeps long enough for the watcher to see every one that runs at the same time.
    await Promise.all(Array.from({ length: queries }, () => sql`select pg_sleep(0.4), ${sql.lit(tag)} as tag`.execute(store.kysely)));
    watching = false;
    await watch;
    await watcher.end();
    return most;
  }

  it('runs at most N queries at once', async () => {
    expect(await concurrentQueries(2, 6)).toBe(2);
    expect(await concurrentQueries(6, 6)).toBe(6);
  }, 30_000);
});
