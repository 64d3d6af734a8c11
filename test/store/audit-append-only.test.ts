/** The audit log cannot be changed or emptied through any statement the engine offers, only appended to. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sql, type RawBuilder } from 'kysely';
import { createTestStore, type AuditEntry, type SqlStore } from '../../src/store/index.ts';
import { describeEachEngine } from './engines.ts';

describeEachEngine('audit log append-only', (engine) => {
  let store: SqlStore;
  let first: AuditEntry;
  beforeEach(async () => {
    store = await createTestStore(engine);
    first = await store.appendAudit({ actor: 'editor1', action: 'plan.save', item: '区の目標', ip: '192.0.2.1' });
    await store.appendAudit({ actor: 'anonymous', action: 'login.failed', item: 'mallory' });
  });
  afterEach(async () => {
    await store.close();
  });

  const refusedAndUnchanged = async (statements: RawBuilder<unknown>[]) => {
    const before = await store.listAudit();
    for (const s of statements) {
      await expect(s.execute(store.kysely), s.compile(store.kysely).sql).rejects.toThrow(/append-only/);
    }
    expect(await store.listAudit()).toEqual(before);
  };

  it('refuses UPDATE and DELETE', async () => {
    await refusedAndUnchanged([
      sql`update audit_log set actor = 'x'`,
      sql`update audit_log set actor = 'x' where id = ${first.id}`,
      sql`delete from audit_log`,
      sql`delete from audit_log where id = ${first.id}`,
    ]);
  });

  it('refuses an insert that would replace an entry (REPLACE, upsert) and, on PostgreSQL, TRUNCATE', async () => {
    const at = new Date().toISOString();
    const upsert = sql`insert into audit_log (id, at, actor, action) values (${first.id}, ${at}, 'x', 'x') on conflict (id) do update set actor = 'x'`;
    await refusedAndUnchanged(
      engine === 'sqlite'
        ? [
            // REPLACE deletes the conflicting row without firing DELETE triggers.
            sql`insert or replace into audit_log (id, at, actor, action) values (${first.id}, ${at}, 'x', 'x')`,
            sql`replace into audit_log (id, at, actor, action) values (${first.id}, ${at}, 'x', 'x')`,
            sql`insert or replace into audit_log (id, at, actor, action) select id, at, 'x', action from audit_log`,
            upsert,
          ]
        : [upsert, sql`truncate audit_log`, sql`truncate table audit_log restart identity cascade`],
    );
  });

  it('still appends, and the store bounds what anyone can make it keep', async () => {
    const long = 'x'.repeat(100_000);
    const entry = await store.appendAudit({ actor: 'anonymous', action: 'login.failed', item: long, ip: long });
    expect(entry.item).toHaveLength(1000);
    expect(entry.ip).toHaveLength(100);
    expect((await store.listAudit()).map((e) => e.id)).toEqual([first.id, first.id + 1, entry.id]);
  });
});
