import { afterEach, expect, it } from 'vitest';
import { createTestDatabase, openStore, SchemaTooNewError, type TestStore } from '../../src/store/index.ts';
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from '../../src/store/migrations.ts';
import { OSAKA_RATING_SCALES } from '../../src/domain/pdca/rating-scales.ts';
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

  it('bring a version 3 database to the Check\'s tables, with Osaka\'s rating scales', async () => {
    db = await createTestDatabase(engine);
    // Back to version 3: the Check's tables gone.
    for (const t of ['measurements', 'check_schedules', 'rating_scales', 'calendar_tokens']) await db.store.kysely.schema.dropTable(t).execute();
    await db.store.kysely.deleteFrom('hoshin_schema').where('version', '>=', 4).execute();
    expect(await schemaVersion(db.store.kysely, engine)).toBe(3);
    const result = await migrate(db.store.kysely, engine);
    expect(result.from).toBe(3);
    expect(result.applied[0]).toMatch(/^4: /);
    const osaka = (await db.store.findOrganization('osaka'))!;
    expect(Object.fromEntries((await db.store.listRatingScales(osaka.id)).map((s) => [s.name, s.options]))).toEqual(OSAKA_RATING_SCALES);
    expect(await db.store.integrityCheck()).toEqual([]);
  });

  it('refuse a database newer than this program', async () => {
    db = await createTestDatabase(engine);
    await db.store.kysely.insertInto('hoshin_schema').values({ version: LATEST_SCHEMA_VERSION + 1, name: 'from the future', applied_at: new Date().toISOString() }).execute();
    await expect(openStore(db.url)).rejects.toBeInstanceOf(SchemaTooNewError);
    await expect(openStore(db.url, { migrate: false })).rejects.toThrow(/新しい/);
  });
});
