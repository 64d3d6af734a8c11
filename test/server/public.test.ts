import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDocument, toPlanJson } from '../../src/formats/index.ts';
import { createWorld, seedPlan, type World } from './harness.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.close());

describe('public pages', () => {
  it('lists organizations and fiscal years with published plans, and only those', async () => {
    const res = await world.app.request('/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('href="/plans/nishi/2017"');
    expect(html).toContain('平成29年度(2017年度) 西区運営方針');
    expect(html).not.toContain('/plans/nishi/2018');
  });

  it('shows the seed plan as residents read it: title in 和暦 and 西暦, 案, every section, budgets and totals', async () => {
    const res = await world.app.request('/plans/nishi/2017');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<h1>平成29年度\(2017年度\) 西区運営方針\(案\)<span class="badge"[^>]*>案<\/span><\/h1>/);
    for (const heading of ['◆計画', '区の目標(何をめざすのか)', '区の使命(どのような役割を担うのか)', '区運営の基本的な考え方(区長の方針)',
      '重点的に取り組む主な経営課題(様式2)', '「市政改革プラン2.0」に基づく取組等(様式3)', '◆自己評価',
      '1年間の取組成果と今後取り組みたいこと', '解決すべき課題と今後の改善方向']) {
      expect(html).toContain(`>${heading}</h`);
    }
    expect(html).toContain('(区長:高野 賢)');
    for (const n of ['1-1-1', '2-1-2', '2-4-2', '3-2-1', '3-3-1', '4-2-2']) expect(html).toContain(`<th scope="row" class="no">${n}</th>`);
    expect(html).toContain('22,268千円');
    expect(html).toContain('13,738千円'); // 区CM予算額
    // Issue 2: 5,697 + 13,667; the plan: every initiative's budget, "-" counting as nothing.
    expect(html).toMatch(/経営課題2の予算額合計<\/th><td class="num">19,364千円/);
    expect(html).toMatch(/運営方針全体<\/th><td class="num">58,693千円/);
    // Nothing fetched from elsewhere, nothing that runs.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toContain('<script');
  });

  it('sends security headers with a Content-Security-Policy', async () => {
    const res = await world.app.request('/plans/nishi/2017');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
  });

  it('serves the plan as hoshin-plan/1 JSON and as text, and lists it in the API', async () => {
    const list = await (await world.app.request('/api/v1/plans')).json();
    expect(list.plans).toEqual([expect.objectContaining({ organization: { slug: 'nishi', name: '西区' }, fiscalYear: 2017, url: '/plans/nishi/2017' })]);
    const json = await world.app.request('/api/v1/plans/nishi/2017');
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await json.json()).toEqual(JSON.parse(JSON.stringify(toPlanJson(seedPlan()))));
    const text = await world.app.request('/plans/nishi/2017/text');
    expect(text.headers.get('content-disposition')).toContain('attachment');
    expect(await text.text()).toBe(renderDocument(seedPlan(), 'text'));
  });

  it('publishes the hoshin-plan/1 JSON Schema, which accepts the served plan', async () => {
    const res = await world.app.request('/api/v1/schema/hoshin-plan-1.json');
    expect(res.headers.get('content-type')).toMatch(/^application\/schema\+json/);
    const schema = await res.json();
    const plan = await (await world.app.request('/api/v1/plans/nishi/2017')).json();
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(plan), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...plan, fiscalYear: '2017' })).toBe(false);
  });

  it('answers 404, not 403, for a plan that was never published, on every public URL', async () => {
    for (const path of ['/plans/nishi/2018', '/plans/nishi/2018/text', '/api/v1/plans/nishi/2018', '/plans/nowhere/2017', '/plans/nishi/abc']) {
      const res = await world.app.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('非公開の下書き');
    }
  });

  it('keeps showing the published revision while a newer one is being edited', async () => {
    const current = (await world.store.getRevision(world.seedPlanId))!;
    await world.store.savePlan({
      organizationId: world.nishiId, fiscalYear: 2017, plan: { ...current.plan, goal: '編集中の新しい目標', documentStatus: 'final' },
      basedOnRevision: current.number, author: 'editor', message: 'draft change',
    });
    const html = await (await world.app.request('/plans/nishi/2017')).text();
    expect(html).not.toContain('編集中の新しい目標');
    expect(html).toContain('ひとが輝き、ぬくもりとうるおいに満ちたまち');
    expect(html).toContain('西区運営方針(案)');
    // The list and the API describe the published revision too, not the one being edited.
    expect(await (await world.app.request('/')).text()).toMatch(/西区運営方針<\/a>\(案\)/);
    const list = await (await world.app.request('/api/v1/plans')).json();
    expect(list.plans[0].documentStatus).toBe('draft');
  });
});

describe('the plan list API in pages', () => {
  let paged: World;
  beforeAll(async () => {
    paged = await createWorld();
    for (const fiscalYear of [2017, 2018, 2019]) {
      const r = await paged.store.savePlan({
        organizationId: paged.kitaId, fiscalYear, plan: { ...seedPlan(), fiscalYear }, basedOnRevision: null, author: 'editor', message: 'new',
      });
      await paged.store.publishRevision({ planId: r.planId, revision: r.number, actor: 'editor' });
    }
  });
  afterAll(() => paged.close());

  it('pages with ?limit=&offset= and links the next page until the last', async () => {
    const all = await (await paged.app.request('/api/v1/plans')).json();
    expect(all).toMatchObject({ limit: 1000, offset: 0, next: null });
    expect(all.plans).toHaveLength(4);
    const first = await (await paged.app.request('/api/v1/plans?limit=3')).json();
    expect(first.plans).toEqual(all.plans.slice(0, 3));
    expect(first.next).toBe('/api/v1/plans?limit=3&offset=3');
    const last = await (await paged.app.request(first.next)).json();
    expect(last).toMatchObject({ plans: all.plans.slice(3), limit: 3, offset: 3, next: null });
  });

  it('refuses a limit above the maximum or a malformed one', async () => {
    for (const query of ['limit=1001', 'limit=0', 'limit=x', 'offset=-1']) {
      expect((await paged.app.request(`/api/v1/plans?${query}`)).status, query).toBe(400);
    }
  });
});
