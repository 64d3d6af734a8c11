import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRevision } from '../../src/app/plans.ts';
import { planItems } from '../../src/domain/item-ids.ts';
import { createWorld, signedIn, type World } from './harness.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld({ now: () => new Date('2019-01-10T10:00:00+09:00') });
  // Last year's (FY2018) reviews of initiative 1-1-1, written before this test starts.
  const last = await readRevision(world.store, world.draftPlanId);
  const plan = structuredClone(last.plan);
  plan.issues[0]!.strategies[0]!.initiatives[0]!.reviews = {
    midYear: { achievement: { scale: 'osaka-midyear-achievement', code: '②' }, problemsAndMeasures: '広報の時期を早める' },
    yearEnd: { achievement: { scale: 'osaka-yearend-achievement', code: '②' }, problemsAndMeasures: '若い世代の参加を増やす' },
  };
  plan.ratingScales = {
    'osaka-midyear-achievement': [{ code: '①', label: '達成見込み', best: true }, { code: '②', label: '達成できない見込み' }],
    'osaka-yearend-achievement': [{ code: '①', label: '目標達成', best: true }, { code: '②', label: '目標未達成' }],
  };
  await world.store.savePlan({ organizationId: world.nishiId, fiscalYear: 2018, plan, basedOnRevision: last.number, author: 'editor', message: 'reviews' });
});
afterAll(() => world.close());

describe('次年度の計画を作成', () => {
  it('creates next year\'s draft with every item linked, and the editor shows last year\'s 課題と改善策 and budgets as last year\'s', async () => {
    const editor = await signedIn(world.app, 'editor');
    const page = await (await editor.get(`/staff/plans/${world.draftPlanId}`)).text();
    expect(page).toMatch(/<form method="post" action="\/staff\/plans" class="tools">.*name="source" value="previous".*name="fiscalYear" value="2019".*<button type="submit">次年度の計画を作成<\/button>/s);
    expect(page).toContain(`href="/staff/plans/${world.draftPlanId}/reviews/midYear"`);
    // Someone who may only read sees no button.
    expect(await (await (await signedIn(world.app, 'planner')).get(`/staff/plans/${world.draftPlanId}`)).text()).not.toContain('次年度の計画を作成');

    const created = await editor.post('/staff/plans', { source: 'previous', organizationId: String(world.nishiId), fiscalYear: '2019' });
    expect(created.status).toBe(303);
    const next = (await world.store.findPlan(world.nishiId, 2019))!;
    expect(created.headers.get('location')).toBe(`/staff/plans/${next.id}/edit`);

    const last = (await readRevision(world.store, world.draftPlanId)).plan;
    const plan = (await readRevision(world.store, next.id)).plan;
    const lastIds = planItems(last).map(({ item }) => item.id);
    expect(planItems(plan).map(({ item }) => item.carriedFrom)).toEqual(lastIds);
    expect(planItems(plan).every(({ item }) => item.id !== undefined && !lastIds.includes(item.id))).toBe(true);

    const html = await (await editor.get(`/staff/plans/${next.id}/edit`)).text();
    const i111 = last.issues[0]!.strategies[0]!.initiatives[0]!;
    const aside = html.slice(html.indexOf('<aside class="prior-year" aria-label="前年度(平成30年度(2018年度))の1-1-1'));
    expect(aside).toMatch(/^<aside[^>]*>.*?<\/aside>/s);
    const note = /^<aside[^>]*>(.*?)<\/aside>/s.exec(aside)![1]!;
    expect(note).toContain('前年度予算額 22,268千円');
    expect(note).toContain('前年度の課題と改善策(中間振り返り)');
    expect(note).toContain('広報の時期を早める');
    expect(note).toContain('前年度の課題と改善策(年度末の自己評価)');
    expect(note).toContain('若い世代の参加を増やす');
    expect(note).toContain(`<a href="/staff/plans/${world.draftPlanId}#item-${i111.id}">前年度の取組</a>`);
    // The link lands on last year's item.
    expect(await (await editor.get(`/staff/plans/${world.draftPlanId}`)).text()).toContain(`id="item-${i111.id}"`);
    // Last year's budget is last year's: this year's field starts empty (-), and last year's reviews stay last year's.
    expect(html).toContain('name="issues[0].strategies[0].initiatives[0].budgetThousandYen" value="-"');
    expect(plan.issues[0]!.strategies[0]!.initiatives[0]!).toMatchObject({ budgetThousandYen: null, cmBudgetThousandYen: null });
    expect(planItems(plan).every(({ item }) => (item as { reviews?: unknown }).reviews === undefined)).toBe(true);
    expect(note).not.toContain('<input');

    // Next year's plan now exists: the button gives way to a link.
    const after = await (await editor.get(`/staff/plans/${world.draftPlanId}`)).text();
    expect(after).not.toContain('次年度の計画を作成</button>');
    expect(after).toContain(`<a href="/staff/plans/${next.id}">次年度(令和元年度(2019年度))の計画</a>`);
  });
});
