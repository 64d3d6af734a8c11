import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDocument, toPlanJson } from '../../src/formats/index.ts';
import { PublishedCache } from '../../src/server/published/cache.ts';
import { ORGANIZATIONS_PER_PAGE } from '../../src/server/routes/public.tsx';
import { createWorld, seedPlan, signedIn, type World } from './harness.ts';

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
    expect(html).toContain('<h1>平成29年度(2017年度) 西区運営方針<span class="draft-mark">(案)</span></h1>');
    // 案 once in the title, the page's title included: not also as a badge beside it.
    const h1 = /<h1>(.*?)<\/h1>/s.exec(html)![1]!.replace(/<[^>]*>/g, '');
    expect(h1.match(/案/g)).toHaveLength(1);
    expect(/<title>(.*?)<\/title>/.exec(html)![1]!.match(/案/g)).toHaveLength(1);
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
    // The 区CM table scrolls in its own box, which keyboard users can reach and which has a name.
    expect(html).toContain('<div class="scroll" role="group" aria-labelledby="issue-2-initiatives" tabindex="0"><table><caption id="issue-2-initiatives">');
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

/** The sections of the public index: each h2 (a city) with the h3s (organizations) and links under it. */
function indexGroups(html: string): { city: string; organizations: { name: string; links: string[] }[] }[] {
  const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
  return [...main.matchAll(/<section[^>]*><h2[^>]*>([^<]*)<\/h2>(.*?)<\/section>/gs)].map((m) => ({
    city: m[1]!,
    organizations: [...m[2]!.matchAll(/<h3[^>]*>([^<]*)<\/h3><ul>(.*?)<\/ul>/gs)].map((o) => ({
      name: o[1]!,
      links: [...o[2]!.matchAll(/<a href="([^"]*)">/g)].map((a) => a[1]!),
    })),
  }));
}

describe('the public index, by city and organization, in pages', () => {
  let national: World;
  // The plans below are written to the store directly, as another process would: the cache
  // sees such writes within a second; the tests tell it at once instead of waiting.
  const cache = new PublishedCache();
  beforeAll(async () => {
    national = await createWorld({ publishedCache: cache });
    const { store } = national;
    const publish = async (organizationId: number, organization: string, fiscalYear: number) => {
      const r = await store.savePlan({
        organizationId, fiscalYear, plan: { ...seedPlan(), organization, fiscalYear }, basedOnRevision: null, author: 'cli', message: 'import',
      });
      await store.publishRevision({ planId: r.planId, revision: r.number, actor: 'cli' });
    };
    const sakai = await store.createOrganization({ kind: 'city', name: '堺市', kana: 'さかいし', slug: 'sakai', code: '271403' });
    const sakaiNishi = await store.createOrganization({ kind: 'ward', name: '西区', kana: 'にしく', slug: 'sakai-nishi', code: '271446', parentId: sakai.id });
    await publish(sakaiNishi.id, '西区', 2019);
    await publish(sakaiNishi.id, '西区', 2018);
    await publish(national.kitaId, '北区', 2017);
  });
  afterAll(() => national.close());

  it('shows 大阪市 西区 and 堺市 西区 as two groups under their cities, each fiscal year in 和暦 and 西暦', async () => {
    const res = await national.app.request('/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(indexGroups(html)).toEqual([
      { city: '大阪市', organizations: [
        { name: '大阪市 西区', links: ['/plans/nishi/2017'] },
        { name: '大阪市 北区', links: ['/plans/kita/2017'] },
      ] },
      { city: '堺市', organizations: [{ name: '堺市 西区', links: ['/plans/sakai-nishi/2018', '/plans/sakai-nishi/2019'] }] },
    ]);
    expect(html).toContain('平成30年度(2018年度) 西区運営方針');
    expect(html).toContain('令和元年度(2019年度) 西区運営方針');
    // One page: no page links.
    expect(html).not.toContain('ページ送り');
  });

  it('pages a national-scale index by organizations, with the page count and previous/next links', async () => {
    const { store } = national;
    const city = await store.createOrganization({ kind: 'city', name: '試験市', kana: 'しけんし', slug: 'shiken', code: null });
    const extra = ORGANIZATIONS_PER_PAGE * 2; // with the three above: three pages
    for (let i = 1; i <= extra; i++) {
      const ward = await store.createOrganization({ kind: 'ward', name: `第${i}区`, kana: '', slug: `shiken-${i}`, parentId: city.id });
      const r = await store.savePlan({
        organizationId: ward.id, fiscalYear: 2020, plan: { ...seedPlan(), organization: `第${i}区`, fiscalYear: 2020 }, basedOnRevision: null, author: 'cli', message: 'import',
      });
      await store.publishRevision({ planId: r.planId, revision: r.number, actor: 'cli' });
    }
    cache.changed();
    const pages = await Promise.all([1, 2, 3].map(async (n) => (await national.app.request(n === 1 ? '/' : `/?page=${n}`)).text()));
    const organizations = pages.map((html) => indexGroups(html).flatMap((g) => g.organizations.map((o) => o.name)));
    expect(organizations.map((o) => o.length)).toEqual([ORGANIZATIONS_PER_PAGE, ORGANIZATIONS_PER_PAGE, 3]);
    // Every organization once, in order: the cities with codes first, then the one without.
    expect(organizations.flat()).toEqual(['大阪市 西区', '大阪市 北区', '堺市 西区', ...Array.from({ length: extra }, (_, i) => `試験市 第${i + 1}区`)]);
    // A city continued from the previous page is headed again.
    expect(indexGroups(pages[1]!).map((g) => g.city)).toEqual(['試験市']);
    expect(pages[0]).toContain('全3ページ中 1ページ目');
    expect(pages[0]).toMatch(/<nav class="pager" aria-label="ページ送り">/);
    expect(pages[0]).not.toContain('rel="prev"');
    expect(pages[0]).toContain('<a href="/?page=2" rel="next">次のページ(2ページ目)</a>');
    expect(pages[1]).toContain('<a href="/" rel="prev">前のページ(1ページ目)</a>');
    expect(pages[1]).toContain('<a href="/?page=3" rel="next">次のページ(3ページ目)</a>');
    expect(pages[2]).toContain('全3ページ中 3ページ目');
    expect(pages[2]).not.toContain('rel="next"');
    for (const bad of ['/?page=4', '/?page=0', '/?page=x']) expect((await national.app.request(bad)).status, bad).toBe(404);
  });

  it('pages the staff list too, 200 plans a page', async () => {
    const { STAFF_PLANS_PER_PAGE } = await import('../../src/server/routes/staff.tsx');
    expect(STAFF_PLANS_PER_PAGE).toBe(200);
    for (let i = 0; i < STAFF_PLANS_PER_PAGE; i++) {
      const fiscalYear = i < 27 ? 1990 + i : 1991 + i; // 北区 has 2017 already
      await national.store.savePlan({ organizationId: national.kitaId, fiscalYear, plan: { ...seedPlan(), organization: '北区', fiscalYear }, basedOnRevision: null, author: 'cli', message: 'import' });
    }
    const all = await national.store.listPlans();
    expect(all.length).toBeGreaterThan(STAFF_PLANS_PER_PAGE);
    expect(all.length).toBeLessThanOrEqual(STAFF_PLANS_PER_PAGE * 2);
    const planner = await signedIn(national.app, 'planner');
    const rows = (html: string) => [...html.matchAll(/<th scope="row"><a href="\/staff\/plans\/(\d+)">/g)].map((m) => Number(m[1]));
    const first = await (await planner.get('/staff')).text();
    expect(rows(first)).toEqual(all.slice(0, STAFF_PLANS_PER_PAGE).map((p) => p.id));
    // Wards are named with their city, as on the public index.
    expect(first).toContain('>大阪市 西区 平成29年度(2017年度)</a>');
    expect(first).toContain('<nav class="pager" aria-label="一覧のページ送り">');
    expect(first).toContain('<a href="/staff?page=2" rel="next">次のページ(2ページ目)</a>');
    const second = await (await planner.get('/staff?page=2')).text();
    expect(rows(second)).toEqual(all.slice(STAFF_PLANS_PER_PAGE).map((p) => p.id));
    expect(second).toContain('<a href="/staff" rel="prev">前のページ(1ページ目)</a>');
    expect(second).toContain('>堺市 西区 平成30年度(2018年度)</a>');
    expect(second).not.toContain('rel="next"');
    expect((await planner.get('/staff?page=3')).status).toBe(404);
    // An editor's list is their own organization's, paged the same way.
    const editor = await signedIn(national.app, 'kitaeditor');
    expect(rows(await (await editor.get('/staff')).text())).toHaveLength(STAFF_PLANS_PER_PAGE);
    expect(rows(await (await editor.get('/staff?page=2')).text())).toHaveLength(1);
  });
});
