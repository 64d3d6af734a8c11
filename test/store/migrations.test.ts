import { afterEach, expect, it } from 'vitest';
import { createTestDatabase, openStore, SchemaTooNewError, type TestStore } from '../../src/store/index.ts';
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from '../../src/store/migrations.ts';
import { describeEachEngine } from './engines.ts';

describeEachEngine('migrations', (engine) => {
  let db: TestStore;
  afterEach(async () => {
    await db.store.close();
  });

  it('are applied on open and are safe to run again, even concurrently', async () => {
    db = await createTestDatabase(engine);
    expect(await schemaVersion(db.store.kysely, engine)).toBe(LATEST_SCHEMA_VERSION);
    const again = await migrate(db.store.kysely, engine);
    expect(again).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION, applied: [] });
    const others = await Promise.all([openStore(db.url), openStore(db.url), openStore(db.url)]);
    for (const s of others) await s.close();
    expect(await db.store.listOrganizations()).toHaveLength(25);
  });

  it('refuse a database newer than this program', async () => {
    db = await createTestDatabase(engine);
    await db.store.kysely.insertInto('hoshin_schema').values({ version: LATEST_SCHEMA_VERSION + 1, name: 'from the future', applied_at: new Date().toISOString() }).execute();
    await expect(openStore(db.url)).rejects.toBeInstanceOf(SchemaTooNewError);
    await expect(openStore(db.url, { migrate: false })).rejects.toThrow(/新しい/);
  });
});
