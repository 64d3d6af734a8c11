import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/domain/plan.ts';
import { createWorld, signedIn, type World } from './harness.ts';

/** The seed plan with an outcome indicator on strategy 1-1 and a process indicator on 1-1-1. */
function withIndicators(plan: Plan): Plan {
  const copy = structuredClone(plan);
  const strategy = copy.issues[0]!.strategies[0]!;
  strategy.outcomeIndicators = [{
    id: 'ind-outcome', statement: '地域活動に参加している区民の割合', unit: '%', direction: 'higher',
    baseline: { value: 30, date: '2017-03-31' }, target: { value: 40, fiscalYear: 2017 }, source: '区民アンケート',
  }];
  strategy.initiatives[0]!.processIndicators = [{ id: 'ind-process', statement: '講座の開催回数', unit: '回', direction: 'higher', target: { value: 12, fiscalYear: 2017 } }];
  return copy;
}

describe('indicators pages', () => {
  let world: World;
  let path: string;
  beforeEach(async () => {
    world = await createWorld({ now: () => new Date('2017-11-15T01:00:00Z') });
    const { store, seedPlanId, nishiId } = world;
    const plan = (await store.getRevision(seedPlanId))!.plan;
    await store.savePlan({ organizationId: nishiId, fiscalYear: 2017, plan: withIndicators(plan), basedOnRevision: 1, author: 'editor', message: '指標' });
    await store.publishRevision({ planId: seedPlanId, revision: 2, actor: 'approver' });
    path = `/staff/plans/${seedPlanId}/indicators`;
  });
  afterEach(() => world.close());

  const upload = (client: Awaited<ReturnType<typeof signedIn>>, text: string | Uint8Array<ArrayBuffer>, name = 'm.csv') => {
    const form = new FormData();
    form.set('_csrf', client.csrf);
    form.set('file', new File([text], name, { type: 'text/csv' }));
    return client.request(`${path}/csv`, { method: 'POST', body: form });
  };

  it('lists indicators under their items with status, chart and table, and records a measurement without unpublishing', async () => {
    const editor = await signedIn(world.app, 'editor');
    const html = await (await editor.get(path)).text();
    expect(html).toContain('戦略1-1');
    expect(html).toContain('1-1 指標1 地域活動に参加している区民の割合');
    expect(html).toContain('<svg');
    expect(html).toContain('実績を記録する');
    expect(html).toContain('状況: 未測定(実績がまだありません)');
    const res = await editor.post(`${path}/measurements`, { indicatorId: 'ind-outcome', date: '2017-09-30', value: '34.1', note: '中間', dataSource: 'アンケート' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${path}?recorded=1`);
    const after = await (await editor.get(`${path}?recorded=1`)).text();
    expect(after).toContain('実績を1件記録しました。');
    expect(after).toContain('34.1%');
    expect(after).toContain('editorさん');
    const summary = (await world.store.getPlan(world.seedPlanId))!;
    expect([summary.workflowState, summary.currentRevision, summary.publishedRevision]).toEqual(['published', 2, 2]);
  });

  it('refuses a bad measurement with its field named and the form refilled', async () => {
    const editor = await signedIn(world.app, 'editor');
    const res = await editor.post(`${path}/measurements`, { indicatorId: 'ind-outcome', date: '2016-09-30', value: 'abc', note: 'メモ', dataSource: '' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('日付は年度の始まり(2017-04-01)以降にしてください。');
    expect(html).toContain('「abc」は数値ではありません。');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('>メモ</textarea>');
    expect(await world.store.listMeasurements(world.seedPlanId)).toEqual([]);
  });

  it('imports a CSV upload whole, or refuses it naming the row and column and storing nothing', async () => {
    const editor = await signedIn(world.app, 'editor');
    const bad = await upload(editor, '指標ID,日付,値\r\nind-outcome,2017-06-30,31\r\nind-process,2017-06-30,abc\r\n');
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('3行目 値(C列): 「abc」は数値ではありません');
    expect(await world.store.listMeasurements(world.seedPlanId)).toEqual([]);
    const good = await upload(editor, '\uFEFF指標,日付,値\r\n1-1 指標1,2017/6/30,31\r\n1-1-1 指標1,2017/6/30,3\r\n');
    expect(good.status).toBe(303);
    expect(good.headers.get('location')).toBe(`${path}?recorded=2`);
    expect((await world.store.listMeasurements(world.seedPlanId)).map((m) => m.value)).toEqual([31, 3]);
    expect((await upload(editor, new Uint8Array(950 * 1024).fill(0x31))).status).toBe(422);
  });

  it('offers a template CSV of the plan’s indicators', async () => {
    const editor = await signedIn(world.app, 'editor');
    const res = await editor.get(`${path}/template.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="measurements-nishi-2017.csv"');
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(text).toBe('\uFEFF指標ID,指標,日付,値,備考,出典\r\nind-outcome,1-1 指標1 地域活動に参加している区民の割合,,,,\r\nind-process,1-1-1 指標1 講座の開催回数,,,,\r\n');
  });

  it('lets the organization’s approver and planners read, only its editors record and delete', async () => {
    const record = (await world.store.addMeasurements({ planId: world.seedPlanId, author: 'editor', measurements: [{ indicatorId: 'ind-outcome', date: '2017-06-30', value: 31 }] }))[0]!;
    const approver = await signedIn(world.app, 'approver');
    const page = await approver.get(path);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain('実績を記録する');
    expect((await approver.post(`${path}/measurements`, { indicatorId: 'ind-outcome', date: '2017-09-30', value: '1' })).status).toBe(403);
    expect((await approver.post(`${path}/measurements/${record.id}/delete`)).status).toBe(403);
    expect((await (await signedIn(world.app, 'planner')).get(path)).status).toBe(200);
    const kita = await signedIn(world.app, 'kitaeditor');
    expect((await kita.get(path)).status).toBe(403);
    expect((await kita.get(`${path}/template.csv`)).status).toBe(403);
    expect((await upload(kita, '指標ID,日付,値\r\nind-outcome,2017-06-30,31\r\n')).status).toBe(403);
    const editor = await signedIn(world.app, 'editor');
    expect((await editor.post(`${path}/measurements/${record.id}/delete`, { _csrf: 'wrong' })).status).toBe(403);
    const deleted = await editor.post(`${path}/measurements/${record.id}/delete`);
    expect(deleted.status).toBe(303);
    expect(await world.store.listMeasurements(world.seedPlanId)).toEqual([]);
    expect((await world.app.request(path)).status).toBe(303);
    expect((await editor.get('/staff/plans/999999/indicators')).status).toBe(404);
  });

  it('shows on the public page each item’s indicators with chart and table, and its published reviews by their labels', async () => {
    const { store, seedPlanId, nishiId } = world;
    const plan = (await store.getRevision(seedPlanId))!.plan;
    plan.issues[0]!.strategies[0]!.reviews = {
      midYear: { achievement: { scale: 'osaka-midyear-achievement', code: '②' }, comment: '参加が伸び悩み', problemsAndMeasures: 'SNSで周知を強化する' },
    };
    await store.savePlan({ organizationId: nishiId, fiscalYear: 2017, plan, basedOnRevision: 2, author: 'editor', message: '中間振り返り' });
    await store.publishRevision({ planId: seedPlanId, revision: 3, actor: 'approver' });
    await store.addMeasurements({ planId: seedPlanId, author: 'editor', measurements: [
      { indicatorId: 'ind-outcome', date: '2017-06-30', value: 31 }, { indicatorId: 'ind-outcome', date: '2017-09-30', value: 34.1, note: '中間' },
    ] });
    const res = await world.app.request('http://localhost/plans/nishi/2017');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('1-1 指標1 地域活動に参加している区民の割合');
    expect(html).toContain('<svg');
    expect(html).toContain('1-1 指標1の数値');
    expect(html).toContain('最新の実績: 34.1%(2017/9/30)');
    expect(html).toContain('②達成できない見込み');
    expect(html).toContain('SNSで周知を強化する');
    expect(html).toMatch(/状況: (順調|遅れ|達成)/);
  });
});
