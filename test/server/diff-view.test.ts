import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeItem } from '../../src/server/views/change-labels.ts';
import { ChangeTable } from '../../src/server/views/diff-view.tsx';
import { createWorld, seedPlan, signedIn, type World } from './harness.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.close());

/** The text a person reads in the diff table: tags gone, entities decoded. */
function diffTable(html: string): string {
  const table = /<table class="diff">(.*?)<\/table>/s.exec(html)?.[1] ?? '';
  return table.replace(/<[^>]*>/g, ' ').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

describe('the diff of a revision, in the page\'s own words', () => {
  it('shows an added initiative and a removed issue with Japanese labels, never JSON, English keys or ids', async () => {
    const current = (await world.store.getRevision(world.seedPlanId))!;
    const plan = structuredClone(current.plan);
    plan.issues[0]!.id = 'iss-aaaa';
    plan.issues[0]!.strategies[0]!.initiatives.push({
      id: 'ini-secret-id', carriedFrom: 'ini-older-id', number: '1-1-2', title: '活動報告会の開催', budgetThousandYen: 1200, cmBudgetThousandYen: 300,
      description: '地域活動協議会の一年の成果を区民に報告する。',
    });
    plan.issues.pop();
    plan.reform!.items.push({ title: '窓口サービスの向上', content: '待ち時間を短くする。' });
    plan.mission.push('新しい使命');
    plan.documentStatus = 'final';
    const saved = await world.store.savePlan({
      organizationId: world.nishiId, fiscalYear: 2017, plan, basedOnRevision: current.number, author: 'editor', message: '取組を追加',
    });
    const editor = await signedIn(world.app, 'editor');
    const html = await (await editor.get(`/staff/plans/${world.seedPlanId}/revisions/${saved.number}`)).text();
    const text = diffTable(html);
    expect(text).toContain('経営課題1 › 戦略1-1 › 具体的取組1-1-2');
    expect(text).toContain('具体的取組1-1-2「活動報告会の開催」');
    expect(text).toMatch(/予算額 1,200千円 区CM予算額 300千円 内容 地域活動協議会の一年の成果を区民に報告する。/);
    // The removed issue with what was in it.
    expect(text).toContain('経営課題4「自律した自治体型の区政運営」');
    expect(text).toContain('戦略4-2「ニア・イズ・ベターの区政運営を担う職員づくりと職場環境づくり」');
    expect(text).toContain('具体的取組4-2-2「コンプライアンスの確保」 予算額 - 内容');
    expect(text).toContain('取組項目3「窓口サービスの向上」 取組内容 待ち時間を短くする。');
    expect(text).toContain('新しい使命');
    expect(text).toMatch(/文書の状態 変更 案 確定/);
    expect(html).toContain('<dl><dt>予算額</dt><dd>1,200千円</dd>');
    expect(text).not.toContain('{"');
    for (const key of ['number', 'title', 'budgetThousandYen', 'cmBudgetThousandYen', 'description', 'strategies', 'initiatives', 'summary', 'content', 'draft', 'final']) {
      expect(text, key).not.toMatch(new RegExp(`\\b${key}\\b`));
    }
    // Ids stay out of sight: the only place one may stand is an item's anchor (id="item-…"), which links land on.
    const withoutAnchors = html.replace(/ id="item-[^"]*"/g, '');
    for (const id of ['iss-aaaa', 'ini-secret-id', 'ini-older-id', 'carriedFrom']) expect(withoutAnchors, id).not.toContain(id);
  });

  it('leaves out changes to item ids alone, and says so when nothing else changed', async () => {
    const plans = [seedPlan(), seedPlan()];
    const render = async (changes: Parameters<typeof ChangeTable>[0]['changes']) => String(await ChangeTable({ changes, plans, caption: '版 1 → 版 2' }));
    const onlyIds = await render([
      { path: 'issues[0].id', kind: 'added', after: 'iss-1' },
      { path: 'issues[0].strategies[0].initiatives[0].carriedFrom', kind: 'changed', before: 'a', after: 'b' },
    ]);
    expect(onlyIds).toBe('<p class="empty">版 1 → 版 2: 違いはありません。</p>');
    const mixed = await render([{ path: 'issues[0].id', kind: 'added', after: 'iss-1' }, { path: 'goal', kind: 'changed', before: '旧', after: '新' }]);
    expect(mixed).not.toContain('iss-1');
    expect(mixed).toContain('<ins>新</ins>');
  });
});

describe('a review or an indicator in a diff', () => {
  it('reads as labelled fields, a rating as its code, never as JSON', () => {
    const review = describeItem('issues[0].strategies[0].reviews', {
      midYear: { achievement: { scale: 'osaka-midyear-achievement', code: '②' }, comment: '進捗', problemsAndMeasures: '改善' },
    });
    expect(review).toEqual({
      heading: '振り返り',
      fields: [
        { label: '中間振り返り › 達成状況', value: '②' },
        { label: '中間振り返り › 取組の進捗状況', value: '進捗' },
        { label: '中間振り返り › 課題と改善策', value: '改善' },
      ],
      children: [],
    });
    const indicator = describeItem('issues[0].strategies[0].outcomeIndicators[0]', {
      id: 'ind-1', statement: '割合', unit: '%', direction: 'higher', target: { value: 40, fiscalYear: 2019 },
    });
    expect(indicator.fields.map((f) => `${f.label}=${f.value}`)).toEqual(['指標=割合', '単位=%', '方向=高いほどよい', '目標値 › 値=40', '目標値 › 年度=令和元年度(2019年度)']);
  });
});
