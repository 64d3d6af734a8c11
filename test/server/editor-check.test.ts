import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRevision } from '../../src/app/plans.ts';
import { createWorld, formFieldsOf, signedIn, type World } from './harness.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.close());

const S11 = 'issues[0].strategies[0]';
const IND = `${S11}.outcomeIndicators[0]`;

describe('indicators in the editor', () => {
  it('adds an outcome indicator with a target to strategy 1-1, saves it with an id, and shows it back', async () => {
    const editor = await signedIn(world.app, 'editor');
    const path = `/staff/plans/${world.seedPlanId}/edit`;
    const fields = formFieldsOf(await (await editor.get(path)).text(), path);
    const added = await editor.post(path, { ...fields, action: `add:${S11}.outcomeIndicators` });
    expect(added.status).toBe(200);
    const form = await added.text();
    expect(form).toMatch(new RegExp(`<textarea id="f-issues-0-strategies-0-outcomeIndicators-0-statement" name="${IND.replace(/[[\].]/g, '\\$&')}\\.statement" rows="4"[^>]*autofocus`));
    expect(form).toContain('<legend>戦略1-1のアウトカム指標 1</legend>');
    const withIndicator = formFieldsOf(form, path);
    const bad = await editor.post(path, {
      ...withIndicator, [`${IND}.statement`]: '地域活動に参加している区民の割合', [`${IND}.unit`]: '%',
      [`${IND}.baseline.value`]: '３２．５', [`${IND}.baseline.date`]: '2016/10/31', [`${IND}.target.value`]: '四割', [`${IND}.target.fiscalYear`]: '2019', action: 'save',
    });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toMatch(/id="f-issues-0-strategies-0-outcomeIndicators-0-target-value-problems"><p class="field-problem">エラー: [^<]*「四割」は数値ではありません/);
    expect(badHtml).toContain('value="四割"');

    const saved = await editor.post(path, {
      ...formFieldsOf(badHtml, path), [`${IND}.target.value`]: '40', [`${IND}.source`]: '区民アンケート', _message: '指標を追加', action: 'save',
    });
    expect(saved.status).toBe(303);
    const plan = (await readRevision(world.store, world.seedPlanId)).plan;
    const indicator = plan.issues[0]!.strategies[0]!.outcomeIndicators![0]!;
    expect(indicator).toEqual({
      id: expect.any(String), statement: '地域活動に参加している区民の割合', unit: '%', direction: 'higher',
      baseline: { value: 32.5, date: '2016-10-31' }, target: { value: 40, fiscalYear: 2019 }, source: '区民アンケート',
    });
    // The id travels in a hidden field from now on, so measurements stay attached to it.
    const again = await (await editor.get(path)).text();
    expect(again).toContain(`name="${IND}.id" value="${indicator.id}"`);
    const diff = await (await editor.get(`/staff/plans/${world.seedPlanId}/history`)).text();
    expect(diff).toContain('指標を追加');
  });

  it('a point with both a date and a fiscal year is refused at the point', async () => {
    const editor = await signedIn(world.app, 'editor');
    const path = `/staff/plans/${world.seedPlanId}/edit`;
    const fields = formFieldsOf(await (await editor.get(path)).text(), path);
    const res = await editor.post(path, { ...fields, [`${IND}.baseline.fiscalYear`]: '2016', action: 'save' });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/<div class="point" id="f-issues-0-strategies-0-outcomeIndicators-0-baseline"><div id="f-issues-0-strategies-0-outcomeIndicators-0-baseline-problems"><p class="field-problem">エラー: /);
  });
});
