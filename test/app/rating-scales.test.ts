import { afterEach, beforeEach, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../../src/app/errors.ts';
import {
  cityRatingScales, listCityScales, listScaleCities, saveCityScale, saveCityScaleFromLines, scaleToLines,
} from '../../src/app/rating-scales.ts';
import { bestOption } from '../../src/domain/pdca/plan-rules.ts';
import { OSAKA_RATING_SCALES } from '../../src/domain/pdca/rating-scales.ts';
import { bootstrap } from '../../src/server/bootstrap.ts';
import { NotFoundError, createTestStore, type Store, type User } from '../../src/store/index.ts';
import { describeEachEngine } from '../store/engines.ts';

const SAC = [{ code: 'S', label: '大きく上回った' }, { code: 'A', label: '上回った', best: true }, { code: 'B', label: '下回った' }];

/** The ValidationError a call throws, or fails. */
async function problemsOf(p: Promise<unknown>): Promise<Record<string, string>> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ValidationError);
  return { ...(e as ValidationError).problems };
}

describeEachEngine('rating scale use cases', (engine) => {
  let store: Store;
  let admin: User;
  let editor: User;
  let planner: User;
  let osakaId: number;
  let sakaiId: number;
  let sakaiWardId: number;
  let nishiId: number;
  beforeEach(async () => {
    store = await createTestStore(engine);
    await bootstrap(store, { HOSHIN_ADMIN_PASSWORD: 'x'.repeat(16) });
    admin = (await store.getUserByUsername('admin'))!;
    nishiId = (await store.findOrganization('nishi'))!.id;
    osakaId = (await store.getOrganization(nishiId))!.parentId!;
    editor = await store.createUser({ username: 'editor', displayName: '編集者', passwordHash: 'unused', role: 'editor', organizationId: nishiId });
    planner = await store.createUser({ username: 'planner', displayName: '企画', passwordHash: 'unused', role: 'planner', organizationId: null });
    sakaiId = (await store.createOrganization({ kind: 'city', name: '堺市', kana: 'さかいし', slug: 'sakai', code: null, parentId: null })).id;
    sakaiWardId = (await store.createOrganization({ kind: 'ward', name: '堺区', kana: 'さかいく', slug: 'sakai-ku', code: null, parentId: sakaiId })).id;
  });
  afterEach(() => store.close());

  it("lists Osaka's four shipped scales for 大阪市, none for a new city, and only to administrators", async () => {
    const osaka = await listCityScales(store, admin, osakaId);
    expect(osaka.map((s) => s.name)).toEqual(Object.keys(OSAKA_RATING_SCALES).sort());
    for (const s of osaka) expect(s.options).toEqual(OSAKA_RATING_SCALES[s.name]);
    expect(await listCityScales(store, admin, sakaiId)).toEqual([]);
    expect((await listScaleCities(store, admin)).map((o) => o.name).sort()).toEqual(['堺市', '大阪市'].sort());
    await expect(listCityScales(store, admin, nishiId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(listCityScales(store, admin, 999_999)).rejects.toBeInstanceOf(NotFoundError);
    for (const who of [editor, planner]) {
      await expect(listCityScales(store, who, osakaId)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(listScaleCities(store, who)).rejects.toBeInstanceOf(ForbiddenError);
    }
  });

  it('creates and replaces a city scale, audited with what it was and what it became', async () => {
    const saved = await saveCityScale(store, admin, { cityId: sakaiId, name: 'sakai-achievement', options: [{ code: ' S ', label: ' 大きく上回った ' }, ...SAC.slice(1)] });
    expect(saved).toEqual({ organizationId: sakaiId, name: 'sakai-achievement', options: [{ code: 'S', label: '大きく上回った' }, ...SAC.slice(1)] });
    expect(await listCityScales(store, admin, sakaiId)).toEqual([saved]);
    const replaced = await saveCityScale(store, admin, { cityId: sakaiId, name: 'sakai-achievement', options: [{ code: '1', label: '良い' }, { code: '2', label: '悪い' }] });
    expect(await listCityScales(store, admin, sakaiId)).toEqual([replaced]);
    // No option marked: the first is the best, as the domain reads a scale.
    expect(bestOption(replaced.options)?.code).toBe('1');
    const audit = await store.listAudit({ action: 'ratingScale.save' });
    expect(audit.map((a) => [a.actor, a.organizationId, a.item])).toEqual([['admin', sakaiId, 'sakai-achievement'], ['admin', sakaiId, 'sakai-achievement']]);
    expect(audit[1]!.detail).toMatchObject({ from: saved.options, to: replaced.options });
  });

  it('refuses anyone but an administrator, storing nothing', async () => {
    for (const who of [editor, planner]) {
      await expect(saveCityScale(store, who, { cityId: sakaiId, name: 'sakai-x', options: SAC })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(saveCityScaleFromLines(store, who, { cityId: sakaiId, name: 'sakai-x', lines: 'S:a\nA:b', best: '1' })).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect(await store.listRatingScales(sakaiId)).toEqual([]);
  });

  it('refuses a bad scale naming each field in Japanese, storing nothing', async () => {
    const bad = await problemsOf(saveCityScale(store, admin, {
      cityId: sakaiWardId, name: 'Sakai_X',
      options: [{ code: 'S', label: 'a', best: true }, { code: 'S', label: 'b\u0007', best: true }, { code: 'これは十一文字の記号です', label: '' }],
    }));
    expect(Object.keys(bad).sort()).toEqual(['best', 'cityId', 'name', 'options']);
    expect(bad['name']).toContain('「名前」');
    expect(bad['cityId']).toContain('「市」');
    expect(bad['best']).toContain('1つだけ');
    expect(bad['options']).toContain('「選択肢」の2番目: 記号「S」が重複しています。');
    expect(bad['options']).toContain('「選択肢」の2番目: 説明に制御文字は使えません。');
    expect(bad['options']).toContain('「選択肢」の3番目: 記号は1〜10文字にしてください。');
    expect(bad['options']).toContain('「選択肢」の3番目: 説明は1〜100文字にしてください。');

    expect((await problemsOf(saveCityScale(store, admin, { cityId: sakaiId, name: 'sakai-x', options: [SAC[0]!] })))['options']).toContain('2〜10個');
    const eleven = Array.from({ length: 11 }, (_, i) => ({ code: String(i), label: `段階${i}` }));
    expect((await problemsOf(saveCityScale(store, admin, { cityId: sakaiId, name: 'sakai-x', options: eleven })))['options']).toContain('2〜10個');
    expect((await problemsOf(saveCityScale(store, admin, { cityId: sakaiId, name: 'x', options: SAC })))['name']).toBeDefined();
    expect((await problemsOf(saveCityScale(store, admin, { cityId: sakaiId, name: `a${'b'.repeat(63)}`, options: SAC })))['name']).toBeDefined();
    expect((await problemsOf(saveCityScale(store, admin, { cityId: 999_999, name: 'sakai-x', options: SAC })))['cityId']).toBeDefined();
    expect((await problemsOf(saveCityScale(store, admin, { cityId: Number.NaN, name: 'sakai-x', options: SAC })))['cityId']).toBeDefined();
    expect(await store.listRatingScales(sakaiId)).toEqual([]);
    expect(await store.listRatingScales(sakaiWardId)).toEqual([]);
    expect(await store.listAudit({ action: 'ratingScale.save' })).toEqual([]);
  });

  it('reads the form: one code:label a line (full-width colon too, blank lines skipped), the best by its number', async () => {
    const saved = await saveCityScaleFromLines(store, admin, { cityId: sakaiId, name: 'sakai-midyear', lines: 'S:大きく上回った\r\n\r\nA：上回った\nB:下回った:大きく', best: '2' });
    expect(saved.options).toEqual([{ code: 'S', label: '大きく上回った' }, { code: 'A', label: '上回った', best: true }, { code: 'B', label: '下回った:大きく' }]);
    expect(scaleToLines(saved.options)).toEqual({ lines: 'S:大きく上回った\nA:上回った\nB:下回った:大きく', best: '2' });
    expect(scaleToLines(OSAKA_RATING_SCALES['osaka-midyear-achievement']!)).toEqual({ lines: '①:達成見込み\n②:達成できない見込み', best: '1' });

    const bad = await problemsOf(saveCityScaleFromLines(store, admin, { cityId: sakaiId, name: 'sakai-y', lines: 'S:良い\nAだけ\n:説明のみ', best: '5' }));
    expect(bad['options']).toContain('「選択肢」の2行目: 「記号:説明」の形で書いてください。');
    expect(bad['options']).toContain('「選択肢」の3行目: 記号は1〜10文字にしてください。');
    expect(bad['best']).toContain('「最良の選択肢」は1〜2番目から選んでください。');
    expect((await problemsOf(saveCityScaleFromLines(store, admin, { cityId: sakaiId, name: 'sakai-y', lines: 'S:良い\nA:普通', best: 'x' })))['best']).toBeDefined();
    expect((await store.listRatingScales(sakaiId)).map((s) => s.name)).toEqual(['sakai-midyear']);
  });

  it("gives a plan its city's scales: Osaka's shipped ones only for a city that defined none", async () => {
    expect(await cityRatingScales(store, nishiId)).toEqual(OSAKA_RATING_SCALES);
    expect(await cityRatingScales(store, sakaiWardId)).toEqual(OSAKA_RATING_SCALES);
    await saveCityScale(store, admin, { cityId: sakaiId, name: 'osaka-midyear-achievement', options: SAC });
    const sakai = await cityRatingScales(store, sakaiWardId);
    expect({ ...sakai }).toEqual({ 'osaka-midyear-achievement': SAC });
    expect({ ...(await cityRatingScales(store, sakaiId)) }).toEqual({ 'osaka-midyear-achievement': SAC });
    // Osaka's wards are not touched by 堺市's scales; an administrator's change to Osaka's is what they get.
    expect(await cityRatingScales(store, nishiId)).toEqual(OSAKA_RATING_SCALES);
    const changed = [{ code: '◎', label: '達成', best: true }, { code: '△', label: '未達成' }];
    await saveCityScale(store, admin, { cityId: osakaId, name: 'osaka-yearend-achievement', options: changed });
    expect((await cityRatingScales(store, nishiId))['osaka-yearend-achievement']).toEqual(changed);
  });
});
