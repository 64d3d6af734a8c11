import { describe, expect, it } from 'vitest';
import { hasErrors, type Diagnostic } from '../../src/domain/diagnostic.ts';
import { PLAN_LIMITS } from '../../src/domain/limits.ts';
import type { Plan } from '../../src/domain/plan.ts';
import { validatePlan } from '../../src/domain/validate.ts';
import { buildPlan } from '../support/build-plan.ts';
import { countChars, planAtLimits, prose } from './plan-at-limits.ts';

const { chars, items } = PLAN_LIMITS;
const errors = (plan: Plan): Diagnostic[] => validatePlan(plan).filter((d) => d.severity === 'error');
const initiative = (number: string) => ({ number, title: '取組', budgetThousandYen: null, cmBudgetThousandYen: null, description: '' });

describe('PLAN_LIMITS', () => {
  it('a plan at every limit at once is valid', () => {
    const plan = planAtLimits();
    expect(errors(plan)).toEqual([]);
    expect(countChars(plan)).toBe(PLAN_LIMITS.plan.chars);
    expect(plan.issues.flatMap((i) => i.strategies.flatMap((s) => s.initiatives))).toHaveLength(PLAN_LIMITS.plan.initiatives);
  });

  it('budget totals at the limits stay exact integers', () => {
    expect(Number.isSafeInteger(PLAN_LIMITS.budgetThousandYen.max * PLAN_LIMITS.plan.initiatives * 2)).toBe(true);
  });
});

describe('validatePlan: characters per field', () => {
  it('refuses a title one character over, naming the limit and the size, at its field', () => {
    const plan = buildPlan();
    plan.issues[1]!.strategies[0]!.title = 'あ'.repeat(chars.title);
    expect(errors(plan)).toEqual([]);
    plan.issues[1]!.strategies[0]!.title = 'あ'.repeat(1_234);
    expect(errors(plan)).toEqual([
      { severity: 'error', field: 'issues[1].strategies[0].title', message: '戦略2-1の題名は200文字以内にしてください(現在 1,234文字)' },
    ]);
  });

  it('counts characters, not UTF-16 units: 200 emoji are a 200-character title', () => {
    const plan = buildPlan();
    plan.issues[0]!.title = '🌸'.repeat(chars.title);
    expect(errors(plan)).toEqual([]);
    plan.issues[0]!.title = '🌸'.repeat(chars.title + 1);
    expect(errors(plan).map((d) => d.message)).toEqual([`経営課題1の題名は200文字以内にしてください(現在 201文字)`]);
  });

  it('refuses a 1,000,000-character policy', () => {
    const plan = buildPlan({ policy: 'あ'.repeat(1_000_000) });
    expect(errors(plan)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'policy', message: '区運営の基本的な考え方は10,000文字以内にしてください(現在 1,000,000文字)' }),
        expect.objectContaining({ message: expect.stringMatching(/^文書全体の文字数は300,000文字以内にしてください\(現在 1,00\d,\d{3}文字\)$/) }),
      ]),
    );
  });

  it('holds every text field to its limit', () => {
    const plan = buildPlan();
    const over = (n: number) => 'x'.repeat(n + 1);
    plan.organization = over(chars.organization);
    plan.head = over(chars.head);
    plan.goal = over(chars.text);
    plan.mission[0] = over(chars.missionItem);
    plan.issues[0]!.summary = over(chars.text);
    plan.issues[0]!.strategies[0]!.description = over(chars.text);
    plan.issues[0]!.strategies[0]!.initiatives[0]!.title = over(chars.title);
    plan.issues[0]!.strategies[0]!.initiatives[0]!.description = over(chars.text);
    plan.reform = { planName: over(chars.planName), items: [{ title: over(chars.title), content: over(chars.text) }] };
    plan.selfEvaluation = { achievements: over(chars.text), challenges: over(chars.text) };
    expect(errors(plan).map((d) => d.field)).toEqual([
      'organization', 'head', 'goal', 'mission[0]',
      'issues[0].summary', 'issues[0].strategies[0].description',
      'issues[0].strategies[0].initiatives[0].title', 'issues[0].strategies[0].initiatives[0].description',
      'reform.planName', 'reform.items[0].title', 'reform.items[0].content',
      'selfEvaluation.achievements', 'selfEvaluation.challenges',
    ]);
    expect(errors(plan).every((d) => /文字以内にしてください\(現在 [\d,]+文字\)$/.test(d.message))).toBe(true);
  });
});

describe('validatePlan: items per list and per plan', () => {
  it('refuses each list one item over its limit, at the list', () => {
    const plan = buildPlan();
    plan.mission = Array.from({ length: items.mission + 1 }, (_, i) => `使命${i}`);
    plan.reform!.items = Array.from({ length: items.reformItems + 1 }, (_, i) => ({ title: `項目${i}`, content: '' }));
    const issue = plan.issues[0]!;
    issue.strategies = Array.from({ length: items.strategiesPerIssue + 1 }, (_, j) => ({ number: `1-${j + 1}`, title: '戦略', description: '', initiatives: [] }));
    issue.strategies[0]!.initiatives = Array.from({ length: items.initiativesPerStrategy + 1 }, (_, k) => initiative(`1-1-${k + 1}`));
    plan.issues = [...plan.issues, ...Array.from({ length: items.issues }, (_, i) => ({ number: i + 3, title: '課題', summary: '', strategies: [] }))];
    expect(errors(plan).map((d) => [d.field, d.message])).toEqual([
      ['mission', '区の使命の項目は50件以内にしてください(現在 51件)'],
      ['issues', '経営課題は50件以内にしてください(現在 52件)'],
      ['issues[0].strategies', '経営課題1の戦略は50件以内にしてください(現在 51件)'],
      ['issues[0].strategies[0].initiatives', '戦略1-1の具体的取組は100件以内にしてください(現在 101件)'],
      ['reform.items', '様式3の取組項目は100件以内にしてください(現在 101件)'],
    ]);
  });

  it('refuses more initiatives than a plan may hold, though every strategy is within its own limit', () => {
    const plan = planAtLimits();
    plan.goal = plan.goal.slice(2); // room for the new initiative's title, so only the count is over
    plan.issues[items.issues - 1]!.strategies[items.strategiesPerIssue - 1]!.initiatives.push(initiative(`${items.issues}-${items.strategiesPerIssue}-1`));
    expect(errors(plan)).toEqual([{ severity: 'error', field: 'issues', message: '具体的取組は文書全体で1,000件以内にしてください(現在 1,001件)' }]);
  });

  it('refuses a plan over its character limit, every field being within its own', () => {
    const plan = planAtLimits();
    plan.issues[0]!.title = plan.issues[0]!.title.slice(0, -1) + 'あい';
    expect(plan.issues[0]!.title.length).toBeLessThanOrEqual(chars.title);
    expect(errors(plan).map((d) => d.message)).toEqual(['文書全体の文字数は300,000文字以内にしてください(現在 300,001文字)']);
  });

  it('answers a 100,000-initiative plan with a handful of messages, not one per item', () => {
    const plan = buildPlan();
    plan.issues[0]!.strategies[0]!.initiatives = Array.from({ length: 100_000 }, () => initiative('1-1-1'));
    const found = validatePlan(plan);
    expect(hasErrors(found)).toBe(true);
    expect(found.length).toBeLessThan(items.initiativesPerStrategy + 10);
    expect(found[0]).toMatchObject({ field: 'issues', message: '具体的取組は文書全体で1,000件以内にしてください(現在 100,003件)' });
  });
});

describe('validatePlan: control characters', () => {
  it('refuses NUL in a title at its field', () => {
    const plan = buildPlan();
    plan.issues[0]!.strategies[0]!.initiatives[0]!.title = '地域\u0000活動';
    expect(errors(plan)).toEqual([
      { severity: 'error', field: 'issues[0].strategies[0].initiatives[0].title', message: '具体的取組1-1-1の題名に制御文字(U+0000)が含まれています' },
    ]);
  });

  it('refuses every C0 control but line feed and tab, DEL, and unpaired surrogates', () => {
    const refused = ['\u0001', '\u0008', '\u000b', '\u000c', '\r', '\u001b', '\u001f', '\u007f'];
    for (const c of refused) expect(errors(buildPlan({ goal: `目標${c}` })).map((d) => d.field), JSON.stringify(c)).toEqual(['goal']);
    expect(errors(buildPlan({ goal: '目標\ud800' }))[0]!.message).toBe('区の目標に不正な文字(対になっていないサロゲート U+D800)が含まれています');
    expect(errors(buildPlan({ goal: '\udc00目標' }))[0]!.message).toContain('U+DC00');
    expect(errors(buildPlan({ goal: '目標\u0085\u00a0🌸\n\t続き' }))).toEqual([]);
  });

  it('checks every text field', () => {
    const nul = '\u0000';
    const plan = buildPlan({ organization: `西${nul}区`, head: nul, mission: [nul], policy: nul, selfEvaluation: { achievements: nul, challenges: nul } });
    plan.issues[0]!.title = nul;
    plan.issues[0]!.summary = nul;
    plan.issues[0]!.strategies[0]!.title = nul;
    plan.issues[0]!.strategies[0]!.description = nul;
    plan.issues[0]!.strategies[0]!.initiatives[0]!.description = nul;
    plan.reform = { planName: nul, items: [{ title: nul, content: nul }] };
    const fields = errors(plan).filter((d) => d.message.includes('U+0000')).map((d) => d.field);
    expect(fields).toEqual([
      'organization', 'head', 'mission[0]', 'policy', 'issues[0].title', 'issues[0].summary',
      'issues[0].strategies[0].title', 'issues[0].strategies[0].description', 'issues[0].strategies[0].initiatives[0].description',
      'reform.planName', 'reform.items[0].title', 'reform.items[0].content', 'selfEvaluation.achievements', 'selfEvaluation.challenges',
    ]);
  });
});

describe('validatePlan: budgets', () => {
  const withBudget = (value: number, key: 'budgetThousandYen' | 'cmBudgetThousandYen' = 'budgetThousandYen') => {
    const plan = buildPlan();
    plan.issues[0]!.strategies[0]!.initiatives[0]![key] = value;
    return errors(plan).map((d) => [d.field, d.message]);
  };
  const field = 'issues[0].strategies[0].initiatives[0].budgetThousandYen';

  it('accepts 0 and the maximum', () => {
    expect(withBudget(0)).toEqual([]);
    expect(withBudget(PLAN_LIMITS.budgetThousandYen.max)).toEqual([]);
  });

  it('says which rule a budget breaks', () => {
    expect(withBudget(-5)).toEqual([[field, '具体的取組1-1-1の予算額は0以上の数で入力してください(現在 -5)']]);
    expect(withBudget(PLAN_LIMITS.budgetThousandYen.max + 1)).toEqual([[field, '具体的取組1-1-1の予算額が大きすぎます(上限 99,999,999,999千円、現在 100,000,000,000千円)']]);
    expect(withBudget(1.5)).toEqual([[field, '具体的取組1-1-1の予算額は千円単位の整数で入力してください(現在 1.5)']]);
    expect(withBudget(Number.NaN)).toEqual([[field, '具体的取組1-1-1の予算額が数値ではありません']]);
    expect(withBudget(-1, 'cmBudgetThousandYen')).toEqual([['issues[0].strategies[0].initiatives[0].cmBudgetThousandYen', '具体的取組1-1-1の区CM予算額は0以上の数で入力してください(現在 -1)']]);
  });
});

describe('prose', () => {
  it('is as long as asked', () => expect(prose(1234, 5)).toHaveLength(1234));
});
