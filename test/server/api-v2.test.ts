import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/domain/plan.ts';
import { parseDocument, PLAN_SCHEMA_2, toPlanJson } from '../../src/formats/index.ts';
import { importPlan } from '../../src/store/import-plan.ts';
import { createWorld, type World } from './harness.ts';

const fixture = readFileSync('test/fixtures/json/osaka-nishi-2017-pdca.json', 'utf8');
const full = (): Plan => parseDocument(new TextEncoder().encode(fixture), 'plan.json').plan!;

describe('/api/v2 (hoshin-plan/2) beside /api/v1 (hoshin-plan/1)', () => {
  let world: World;
  beforeEach(async () => {
    world = await createWorld();
  });
  afterEach(async () => {
    await world.close();
  });
  const get = async (path: string) => {
    const res = await world.app.request(path);
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> };
  };
  const publish = async (plan = full()) =>
    importPlan(world.store, { plan, city: (await world.store.findOrganization('osaka'))!, publish: true, author: 'cli:test', message: 'import' });

  it('a published /2 document comes back unchanged, measurements and scales included; /1 leaves every /2 key out', async () => {
    await publish();
    const v2 = await get('/api/v2/plans/nishi/2017');
    expect(v2.status).toBe(200);
    expect(v2.body).toStrictEqual(JSON.parse(fixture));
    const v1 = await get('/api/v1/plans/nishi/2017');
    expect(v1.body).toStrictEqual(toPlanJson(full()));
    expect(v1.body.format).toBe('hoshin-plan/1');
    for (const key of ['ratingScales', 'reviews', 'Indicators', 'measurements', '"id"', 'vision']) expect(JSON.stringify(v1.body)).not.toContain(key);
  });

  it('serves the scales a review uses when the stored plan lacks them: the city\'s, else Osaka\'s', async () => {
    const plan = full();
    delete plan.ratingScales;
    const nishi = (await world.store.findOrganization('nishi'))!;
    const osaka = (await world.store.findOrganization('osaka'))!;
    await world.store.saveRatingScale({ organizationId: osaka.id, name: 'osaka-midyear-achievement', options: [{ code: '①', label: '市の定義', best: true }, { code: '②', label: '市の定義2' }], actor: 'admin' });
    // Stored directly, as a revision written before its scales were carried.
    const saved = await world.store.savePlan({ organizationId: nishi.id, fiscalYear: 2017, plan, basedOnRevision: (await world.store.findPlan(nishi.id, 2017))!.currentRevision, author: 'test', message: 'no scales' });
    await world.store.publishRevision({ planId: saved.planId, revision: saved.number, actor: 'test' });
    const { body } = await get('/api/v2/plans/nishi/2017');
    const scales = body.ratingScales as Record<string, { label: string }[]>;
    expect(Object.keys(scales)).toEqual(['osaka-midyear-implementation', 'osaka-midyear-achievement', 'osaka-yearend-achievement']);
    expect(scales['osaka-midyear-achievement']![0]!.label).toBe('市の定義');
    expect(scales['osaka-yearend-achievement']![0]!.label).toBe('目標達成');
    expect(parseDocument(new TextEncoder().encode(JSON.stringify(body)), 'a.json').diagnostics).toEqual([]);
  });

  it('lists published plans with /2 links, paged like /1', async () => {
    const v2 = await get('/api/v2/plans?limit=1');
    const v1 = await get('/api/v1/plans?limit=1');
    expect(v2.status).toBe(200);
    expect(v2.body.plans).toEqual([expect.objectContaining({ organization: { slug: 'nishi', name: '西区' }, fiscalYear: 2017, json: '/api/v2/plans/nishi/2017' })]);
    expect((v1.body.plans as { json: string }[])[0]!.json).toBe('/api/v1/plans/nishi/2017');
    expect(v2.body.next).toBe(v1.body.next === null ? null : String(v1.body.next).replace('/api/v1/', '/api/v2/'));
    expect((await get('/api/v2/plans?limit=0')).status).toBe(400);
  });

  it('404 for a plan not published; the /2 schema at its URL', async () => {
    expect((await get('/api/v2/plans/nishi/2018')).status).toBe(404);
    expect((await get('/api/v2/plans/nishi/abc')).status).toBe(404);
    const schema = await get('/api/v2/schema/hoshin-plan-2.json');
    expect(schema.type).toBe('application/schema+json; charset=utf-8');
    expect(schema.body).toEqual(PLAN_SCHEMA_2);
  });
});
