import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRevision } from '../../src/app/plans.ts';
import { OSAKA_RATING_SCALES } from '../../src/domain/pdca/rating-scales.ts';
import { createWorld, formFieldsOf, seedPlan, signedIn, type World } from './harness.ts';

let world: World;
let osakaId: number;
let sakaiId: number;
let sakaiPlanId: number;
beforeAll(async () => {
  // Mid-September 2018: the FY2018 mid-year reviews are open, before their deadline.
  world = await createWorld({ now: () => new Date('2018-09-15T10:00:00+09:00') });
  osakaId = (await world.store.getOrganization(world.nishiId))!.parentId!;
  sakaiId = (await world.store.createOrganization({ kind: 'city', name: '堺市', kana: 'さかいし', slug: 'sakai', code: null, parentId: null })).id;
  const ward = await world.store.createOrganization({ kind: 'ward', name: '堺区', kana: 'さかいく', slug: 'sakai-ku', code: null, parentId: sakaiId });
  const saved = await world.store.savePlan({
    organizationId: ward.id, fiscalYear: 2018, plan: { ...seedPlan(), organization: '堺区', fiscalYear: 2018 },
    basedOnRevision: null, author: 'admin', message: '堺区の計画',
  });
  sakaiPlanId = saved.planId;
});
afterAll(() => world.close());

const SAKAI_LINES = 'S:大きく上回る見込み\nA:達成見込み\nB:やや下回る見込み\nC:達成できない見込み';
const ACHIEVEMENT = 'issues[0].strategies[0].reviews.midYear.achievement';

/** The add-or-replace form's fields (the city picker above it is a GET form to the same path). */
const postForm = (html: string) => formFieldsOf(html.slice(html.indexOf('id="scale-form"')), '/admin/scales');

describe('the rating scales page', () => {
  it("shows Osaka's four shipped scales as tables for 大阪市, to administrators only", async () => {
    const admin = await signedIn(world.app, 'admin');
    const res = await admin.get('/admin/scales');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<option value="${osakaId}" selected="">大阪市</option>`);
    expect(html).toContain('<h2>大阪市の評価尺度</h2>');
    for (const [name, options] of Object.entries(OSAKA_RATING_SCALES)) {
      expect(html).toContain(`<caption id="scale-${name}">${name}</caption>`);
      for (const o of options) expect(html).toContain(`<tr><th scope="row">${o.code}</th><td>${o.label}</td><td>${o.best ? '最良' : ''}</td></tr>`);
    }
    // Every field of the form has its label.
    for (const id of ['scale-city', 'f-name', 'f-options', 'f-best']) expect(html).toContain(`<label for="${id}">`);
    // Editing a scale fills the form with it.
    const edit = postForm(await (await admin.get(`/admin/scales?city=${osakaId}&edit=osaka-midyear-achievement`)).text());
    expect(edit).toMatchObject({ cityId: String(osakaId), name: 'osaka-midyear-achievement', options: '①:達成見込み\n②:達成できない見込み', best: '1' });
    expect((await admin.get(`/admin/scales?city=${sakaiId}`)).status).toBe(200);
    expect((await admin.get(`/admin/scales?city=${world.nishiId}`)).status).toBe(404);
    expect((await admin.get('/admin/scales?city=abc')).status).toBe(404);

    for (const who of ['editor', 'approver', 'planner']) {
      const client = await signedIn(world.app, who);
      expect((await client.get('/admin/scales')).status).toBe(403);
      expect((await client.post('/admin/scales', { cityId: String(sakaiId), name: 'sakai-x', options: 'S:a\nA:b', best: '1' })).status).toBe(403);
    }
    expect(await world.store.listRatingScales(sakaiId)).toEqual([]);
  });

  it('refuses a bad scale with each problem at its field and what was typed kept, storing nothing', async () => {
    const admin = await signedIn(world.app, 'admin');
    const res = await admin.post('/admin/scales', { cityId: String(sakaiId), name: 'Sakai Scale', options: 'S:良い\nAだけ<b>', best: '3' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('<h2 id="scale-form">堺市の評価尺度を追加・置き換え</h2>');
    expect(html).toMatch(/<input type="text" id="f-name" name="name" value="Sakai Scale" aria-invalid="true" aria-describedby="f-name-problems f-name-hint"\/>/);
    expect(html).toMatch(/id="f-name-problems"><p class="field-problem">エラー: 「名前」は/);
    expect(html).toContain('>S:良い\nAだけ&lt;b&gt;</textarea>');
    expect(html).toMatch(/id="f-options-problems"><p class="field-problem">エラー: 「選択肢」の2行目: 「記号:説明」の形で書いてください。/);
    expect(html).toMatch(/id="f-best-problems"><p class="field-problem">エラー: 「最良の選択肢」は1〜1番目から選んでください。/);
    expect(html).toContain('<option value="3" selected="">3番目</option>');
    expect(html).toContain('role="alert"');
    expect(await world.store.listRatingScales(sakaiId)).toEqual([]);
    // A form naming a ward (or nothing) as its city is refused too.
    expect((await admin.post('/admin/scales', { cityId: String(world.nishiId), name: 'sakai-x', options: 'S:a\nA:b', best: '1' })).status).toBe(422);
    expect((await admin.post('/admin/scales', { name: 'sakai-x', options: 'S:a\nA:b', best: '1' })).status).toBe(422);
    expect(await world.store.listRatingScales(world.nishiId)).toEqual([]);
  });

  it("lets 堺市 replace Osaka's mid-year achievement scale on its own wards' review pages, and the saved plan carries it", async () => {
    const admin = await signedIn(world.app, 'admin');
    const saved = await admin.post('/admin/scales', { cityId: String(sakaiId), name: 'osaka-midyear-achievement', options: SAKAI_LINES, best: '1' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/admin/scales?city=${sakaiId}&saved=osaka-midyear-achievement`);
    const shown = await (await admin.get(saved.headers.get('location')!)).text();
    expect(shown).toContain('評価尺度「osaka-midyear-achievement」を保存しました。');
    expect(shown).toContain('<tr><th scope="row">S</th><td>大きく上回る見込み</td><td>最良</td></tr>');
    expect(shown).toContain('<tr><th scope="row">C</th><td>達成できない見込み</td><td></td></tr>');

    const path = `/staff/plans/${sakaiPlanId}/reviews/midYear`;
    const page = await (await admin.get(path)).text();
    const fields = formFieldsOf(page, path);
    expect(fields[`${ACHIEVEMENT}.scale`]).toBe('osaka-midyear-achievement');
    expect(page).toMatch(new RegExp(`name="${ACHIEVEMENT.replace(/[[\].]/g, '\\$&')}\\.code" value="S"[^>]*/?><label for="[^"]+">S 大きく上回る見込み</label>`));
    expect(page).not.toContain('① 達成見込み');
    // A rating whose scale 堺市 did not define keeps Osaka's.
    expect(page).toContain('(ⅰ) 実施見込み');
    // Osaka's wards still rate on Osaka's scale.
    const nishi = await (await admin.get(`/staff/plans/${world.draftPlanId}/reviews/midYear`)).text();
    expect(nishi).toContain('① 達成見込み');
    expect(nishi).not.toContain('S 大きく上回る見込み');

    const res = await admin.post(path, { ...fields, [`${ACHIEVEMENT}.code`]: 'B', 'issues[0].strategies[0].reviews.midYear.problemsAndMeasures': '周知を強める', action: 'save' });
    expect(res.status).toBe(303);
    const plan = (await readRevision(world.store, sakaiPlanId)).plan;
    expect(plan.issues[0]!.strategies[0]!.reviews?.midYear?.achievement).toEqual({ scale: 'osaka-midyear-achievement', code: 'B' });
    expect(plan.ratingScales?.['osaka-midyear-achievement']).toEqual([
      { code: 'S', label: '大きく上回る見込み', best: true }, { code: 'A', label: '達成見込み' }, { code: 'B', label: 'やや下回る見込み' }, { code: 'C', label: '達成できない見込み' },
    ]);
  });
});
