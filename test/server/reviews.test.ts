import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRevision } from '../../src/app/plans.ts';
import { Client, createWorld, formFieldsOf, signedIn, type World } from './harness.ts';

let world: World;
beforeAll(async () => {
  // Mid-September 2018: the draft's (FY2018) mid-year review is open, before its deadline.
  world = await createWorld({ now: () => new Date('2018-09-15T10:00:00+09:00') });
});
afterAll(() => world.close());

const S11 = 'issues[0].strategies[0]';
const I111 = `${S11}.initiatives[0]`;

async function openReview(client: Client, planId: number, period: string) {
  const res = await client.get(`/staff/plans/${planId}/reviews/${period}`);
  expect(res.status).toBe(200);
  const html = await res.text();
  return { html, fields: formFieldsOf(html, `/staff/plans/${planId}/reviews/${period}`) };
}

describe('the mid-year review and the year-end evaluation', () => {
  it('lists every strategy, initiative and reform item with rating groups from Osaka\'s scales', async () => {
    const editor = await signedIn(world.app, 'editor');
    const { html, fields } = await openReview(editor, world.draftPlanId, 'midYear');
    expect(html).toContain('<legend>目標の達成見込み</legend>');
    expect(html).toContain('<legend>取組内容の実施見込み</legend>');
    expect(html).toMatch(/<input type="radio" id="([^"]+)" name="issues\[0\]\.strategies\[0\]\.reviews\.midYear\.achievement\.code" value="②"[^>]*\/?><label for="\1">② 達成できない見込み<\/label>/);
    expect(fields[`${S11}.reviews.midYear.achievement.scale`]).toBe('osaka-midyear-achievement');
    expect(fields[`${I111}.id`]).toBeTruthy();
    expect(fields['reform.items[0].reviews.midYear.achievement.scale']).toBe('osaka-reform-progress');
    expect(html).toContain('<label for="f-issues-0-strategies-0-reviews-midYear-problemsAndMeasures">課題と改善策');
    const plan = (await readRevision(world.store, world.draftPlanId)).plan;
    const initiatives = plan.issues.flatMap((i) => i.strategies.flatMap((s) => s.initiatives));
    expect(html.match(/<legend>具体的取組 /g)).toHaveLength(initiatives.length);

    const end = await openReview(editor, world.draftPlanId, 'yearEnd');
    expect(end.html).toContain('<legend>目標の達成状況</legend>');
    expect(end.html).toContain('取組実績');
    expect((await editor.get(`/staff/plans/${world.draftPlanId}/reviews/monthly`)).status).toBe(404);
    expect((await (await signedIn(world.app, 'kitaeditor')).get(`/staff/plans/${world.draftPlanId}/reviews/midYear`)).status).toBe(403);
  });

  it('refuses a ② rating without 課題と改善策 at that field, then saves it as a revision with the scales it uses', async () => {
    const editor = await signedIn(world.app, 'editor');
    const { fields } = await openReview(editor, world.draftPlanId, 'midYear');
    const before = (await world.store.getPlan(world.draftPlanId))!.currentRevision;
    const rated = { ...fields, [`${S11}.reviews.midYear.achievement.code`]: '②', [`${S11}.reviews.midYear.implementation.code`]: '(ⅰ)', [`${S11}.reviews.midYear.comment`]: '参加者が伸び悩んでいる', action: 'save' };
    const refused = await editor.post(`/staff/plans/${world.draftPlanId}/reviews/midYear`, rated);
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toMatch(/id="f-issues-0-strategies-0-reviews-midYear-problemsAndMeasures-problems"><p class="field-problem">エラー: [^<]*課題と改善策を入力してください/);
    // What the user chose and wrote comes back.
    expect(html).toMatch(/value="②" checked/);
    expect(html).toContain('参加者が伸び悩んでいる');
    expect((await world.store.getPlan(world.draftPlanId))!.currentRevision).toBe(before);

    const saved = await editor.post(`/staff/plans/${world.draftPlanId}/reviews/midYear`, {
      ...rated, [`${S11}.reviews.midYear.problemsAndMeasures`]: '広報を見直す', _message: '中間振り返り(戦略1-1)',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/staff/plans/${world.draftPlanId}?saved=${before + 1}`);
    const plan = (await readRevision(world.store, world.draftPlanId)).plan;
    expect(plan.issues[0]!.strategies[0]!.reviews).toEqual({ midYear: {
      implementation: { scale: 'osaka-midyear-implementation', code: '(ⅰ)' }, achievement: { scale: 'osaka-midyear-achievement', code: '②' },
      comment: '参加者が伸び悩んでいる', problemsAndMeasures: '広報を見直す',
    } });
    expect(Object.keys(plan.ratingScales ?? {}).sort()).toEqual(['osaka-midyear-achievement', 'osaka-midyear-implementation']);
    // The rest of the plan is as it was.
    expect(plan.goal).toBe('非公開の下書き');
    const history = await (await editor.get(`/staff/plans/${world.draftPlanId}/history`)).text();
    expect(history).toContain('中間振り返り(戦略1-1)');

    // It goes through the plan's workflow like any edit.
    expect((await editor.post(`/staff/plans/${world.draftPlanId}/workflow`, { action: 'submit', to: 'submitted', _revision: String(before + 1) })).status).toBe(303);
    const approver = await signedIn(world.app, 'approver');
    expect((await approver.post(`/staff/plans/${world.draftPlanId}/workflow`, { action: 'approve', to: 'approved', _revision: String(before + 1) })).status).toBe(303);
    expect((await world.store.getPlan(world.draftPlanId))!.workflowState).toBe('approved');
  });

  it('the year-end evaluation keeps the mid-year review, and the form shows what was saved', async () => {
    const editor = await signedIn(world.app, 'editor');
    const mid = await openReview(editor, world.draftPlanId, 'midYear');
    expect(mid.html).toMatch(/value="②" checked/);
    expect(mid.fields[`${S11}.reviews.midYear.problemsAndMeasures`]).toBe('広報を見直す');
    const { fields } = await openReview(editor, world.draftPlanId, 'yearEnd');
    const saved = await editor.post(`/staff/plans/${world.draftPlanId}/reviews/yearEnd`, {
      ...fields, [`${I111}.reviews.yearEnd.achievement.code`]: '①', [`${I111}.reviews.yearEnd.result`]: '12回開催', action: 'save',
    });
    expect(saved.status).toBe(303);
    const plan = (await readRevision(world.store, world.draftPlanId)).plan;
    expect(plan.issues[0]!.strategies[0]!.reviews!.midYear!.problemsAndMeasures).toBe('広報を見直す');
    expect(plan.issues[0]!.strategies[0]!.initiatives[0]!.reviews).toEqual({ yearEnd: { achievement: { scale: 'osaka-yearend-achievement', code: '①' }, result: '12回開催' } });
    expect(plan.ratingScales).toHaveProperty('osaka-yearend-achievement');
  });

  it('merges with an edit saved meanwhile, and an editor save from an older revision keeps the reviews', async () => {
    const editor = await signedIn(world.app, 'editor');
    const editor2 = await signedIn(world.app, 'editor2');
    const review = await openReview(editor, world.draftPlanId, 'midYear');
    const edit = formFieldsOf(await (await editor2.get(`/staff/plans/${world.draftPlanId}/edit`)).text(), `/staff/plans/${world.draftPlanId}/edit`);
    // editor2 saves the editor first: the review form's base is now older.
    expect((await editor2.post(`/staff/plans/${world.draftPlanId}/edit`, { ...edit, goal: '新しい目標', action: 'save' })).status).toBe(303);
    const saved = await editor.post(`/staff/plans/${world.draftPlanId}/reviews/midYear`, {
      ...review.fields, [`${S11}.reviews.midYear.achievement.code`]: '②', [`${S11}.reviews.midYear.implementation.code`]: '(ⅰ)',
      [`${I111}.reviews.midYear.comment`]: '順調', action: 'save',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toContain('merged=1');
    // And the editor, opened before that review, saves without dropping it.
    const later = await editor2.post(`/staff/plans/${world.draftPlanId}/edit`, { ...edit, goal: '新しい目標', policy: '方針を改めた', action: 'save' });
    expect(later.status).toBe(303);
    const plan = (await readRevision(world.store, world.draftPlanId)).plan;
    expect(plan.goal).toBe('新しい目標');
    expect(plan.policy).toBe('方針を改めた');
    expect(plan.issues[0]!.strategies[0]!.initiatives[0]!.reviews!.midYear!.comment).toBe('順調');
    expect(plan.issues[0]!.strategies[0]!.initiatives[0]!.reviews!.yearEnd!.result).toBe('12回開催');
    expect(plan.issues[0]!.strategies[0]!.reviews!.midYear!.problemsAndMeasures).toBe('広報を見直す');
  });

  it('a code the scale does not have is refused at the rating', async () => {
    const editor = await signedIn(world.app, 'editor');
    const { fields } = await openReview(editor, world.draftPlanId, 'midYear');
    const res = await editor.post(`/staff/plans/${world.draftPlanId}/reviews/midYear`, { ...fields, [`${S11}.reviews.midYear.achievement.code`]: '⑨', action: 'save' });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/id="f-issues-0-strategies-0-reviews-midYear-achievement-code-problems"><p class="field-problem">エラー: [^<]*⑨/);
  });
});
