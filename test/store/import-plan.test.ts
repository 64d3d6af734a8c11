import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildPlan } from '../support/build-plan.ts';
import { createTestStore, type Organization, type SqlStore } from '../../src/store/index.ts';
import { importPlan } from '../../src/store/import-plan.ts';
import { describeEachEngine } from './engines.ts';

describeEachEngine('importPlan', (engine) => {
  let store: SqlStore;
  let osaka: Organization;
  beforeEach(async () => {
    store = await createTestStore(engine);
    osaka = (await store.findOrganization('osaka'))!;
  });
  afterEach(async () => {
    await store.close();
  });
  const run = (plan = buildPlan(), city = osaka, publish = false) => importPlan(store, { plan, city, publish, author: 'cli:test', message: 'import' });

  it('stores a new plan under the ward of the city, then a new revision only when the content changed', async () => {
    const first = await run();
    expect(first).toMatchObject({ outcome: 'created', revision: 1, organizationCreated: false, published: false, warnings: [] });
    expect(first.organization.slug).toBe('nishi');
    expect(await run()).toMatchObject({ outcome: 'unchanged', revision: 1 });
    expect(await run(buildPlan({ goal: '新しい目標' }), osaka, true)).toMatchObject({ outcome: 'updated', revision: 2, published: true });
    expect((await store.getPublishedPlan('nishi', 2017))?.revision.plan.goal).toBe('新しい目標');
    expect(await store.integrityCheck()).toEqual([]);
  });

  it('creates an unknown ward with a warning, and resolves wards within another city', async () => {
    const r = await run(buildPlan({ organization: '架空区' }));
    expect(r.organizationCreated).toBe(true);
    expect(r.organization).toMatchObject({ name: '架空区', parentId: osaka.id, kind: 'ward' });
    expect(r.warnings[0]).toMatch(/架空区.*大阪市.*新しく登録/);
    expect((await run(buildPlan({ organization: '架空区', goal: 'x' }))).organizationCreated).toBe(false);

    const sakai = await store.createOrganization({ kind: 'city', name: '堺市', kana: 'さかいし', slug: 'sakai', code: '271403' });
    const inSakai = await run(buildPlan(), sakai);
    expect(inSakai.organization.parentId).toBe(sakai.id);
    expect(inSakai.organization.id).not.toBe((await store.findOrganization('nishi'))!.id);
  });

  it('reads a ward named with its city (大阪市西区) as that ward of the city, not a new one', async () => {
    const r = await run(buildPlan({ organization: '大阪市西区' }));
    expect(r).toMatchObject({ organizationCreated: false, warnings: [] });
    expect(r.organization.slug).toBe('nishi');
    // An unknown ward named with its city is created under its own name.
    const k = await run(buildPlan({ organization: '大阪市架空区' }));
    expect(k.organization).toMatchObject({ name: '架空区', parentId: osaka.id });
    expect(k.warnings[0]).toMatch(/「架空区」は大阪市/);
  });

  it('stores nothing of a document that fails half way', async () => {
    const bad = buildPlan({ organization: '新設区' });
    // A fiscal year the store refuses after the ward was created inside the same transaction.
    const broken = { ...bad, fiscalYear: Number.NaN };
    await expect(run(broken)).rejects.toThrow();
    expect(await store.findWard(osaka.id, '新設区')).toBeUndefined();
    expect(await store.listAudit()).toEqual([]);
  });
});
