import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bestOption, fiscalYearStart, isIsoDate } from '../../../src/domain/pdca/plan-rules.ts';
import type { Plan } from '../../../src/domain/plan.ts';
import { validatePlan } from '../../../src/domain/validate.ts';
import { parseDocument, PLAN_FORMAT_2, toPlanJson } from '../../../src/formats/index.ts';

const fixture = readFileSync('test/fixtures/json/osaka-nishi-2017-pdca.json', 'utf8');
const full = (): Plan => parseDocument(new TextEncoder().encode(fixture), 'plan.json').plan!;
const errors = (plan: Plan) => validatePlan(plan).filter((d) => d.severity === 'error');
const strategy = (plan: Plan) => plan.issues[0]!.strategies[0]!;
const indicator = (plan: Plan) => strategy(plan).outcomeIndicators![0]!;
const one = (plan: Plan) => errors(plan).map((d) => [d.field, d.message]);

describe('hoshin-plan/2 rules (validatePlan: JSON, editor and CLI alike)', () => {
  it('the full fixture has no problems', () => {
    expect(validatePlan(full())).toEqual([]);
  });

  it('values are finite numbers', () => {
    const plan = full();
    indicator(plan).measurements![1]!.value = Number.POSITIVE_INFINITY;
    indicator(plan).target!.value = Number.NaN;
    expect(one(plan)).toEqual([
      ['issues[0].strategies[0].outcomeIndicators[0].target.value', '戦略1-1のアウトカム指標の1番目の指標の目標値の値は有限の数値にしてください(現在 NaN)'],
      ['issues[0].strategies[0].outcomeIndicators[0].measurements[1].value', '戦略1-1のアウトカム指標の1番目の指標の2番目の測定値は有限の数値にしてください(現在 Infinity)'],
    ]);
  });

  it('dates are real ISO dates; a measurement is not before April 1 of the plan\'s fiscal year', () => {
    const plan = full();
    indicator(plan).measurements![0]!.date = '2017-02-30';
    indicator(plan).measurements![1]!.date = '2017-03-31';
    indicator(plan).measurements![2]!.date = '2017-04-01';
    indicator(plan).baseline = { value: 1, date: '2016/10/31' };
    expect(one(plan)).toEqual([
      ['issues[0].strategies[0].outcomeIndicators[0].baseline.date', '戦略1-1のアウトカム指標の1番目の指標の基準値の日付「2016/10/31」は実在する日付(YYYY-MM-DD)にしてください'],
      ['issues[0].strategies[0].outcomeIndicators[0].measurements[0].date', '戦略1-1のアウトカム指標の1番目の指標の1番目の測定値の日付「2017-02-30」は実在する日付(YYYY-MM-DD)にしてください'],
      ['issues[0].strategies[0].outcomeIndicators[0].measurements[1].date', '戦略1-1のアウトカム指標の1番目の指標の2番目の測定値の日付 2017-03-31 は計画の年度の始まり(2017-04-01)より前です'],
    ]);
    expect([isIsoDate('2020-02-29'), isIsoDate('2019-02-29'), isIsoDate('2017-4-1')]).toEqual([true, false, false]);
    expect(fiscalYearStart(2017)).toBe('2017-04-01');
  });

  it('a baseline or target gives a date or a fiscal year, not both or neither', () => {
    const plan = full();
    indicator(plan).target = { value: 1, date: '2018-03-31', fiscalYear: 2017 };
    indicator(plan).baseline = { value: 1 };
    expect(one(plan).map(([f]) => f)).toEqual(['issues[0].strategies[0].outcomeIndicators[0].baseline', 'issues[0].strategies[0].outcomeIndicators[0].target']);
  });

  it('every scale a review names is in ratingScales, and every code one of its codes', () => {
    const plan = full();
    strategy(plan).reviews!.midYear!.implementation = { scale: 'kyoto-midyear', code: 'A' };
    strategy(plan).reviews!.yearEnd!.achievement = { scale: 'osaka-yearend-achievement', code: '③' };
    expect(one(plan)).toEqual([
      ['issues[0].strategies[0].reviews.midYear.implementation.scale', '戦略1-1の中間振り返り(取組内容の実施見込み)の評価の尺度「kyoto-midyear」が ratingScales にありません'],
      ['issues[0].strategies[0].reviews.yearEnd.achievement.code', '戦略1-1の年度末の自己評価(目標の達成状況)の評価「③」は尺度「osaka-yearend-achievement」の区分(① / ②)にありません'],
    ]);
  });

  it('課題と改善策 is required when a rating is not the best, and only then', () => {
    const plan = full();
    strategy(plan).reviews!.midYear!.problemsAndMeasures = '  ';
    delete strategy(plan).reviews!.yearEnd!.problemsAndMeasures;
    expect(one(plan)).toEqual([
      ['issues[0].strategies[0].reviews.midYear.problemsAndMeasures', '戦略1-1の中間振り返りの評価が最もよい区分ではないため、課題と改善策を入力してください'],
      ['issues[0].strategies[0].reviews.yearEnd.problemsAndMeasures', '戦略1-1の年度末の自己評価の評価が最もよい区分ではないため、課題と改善策を入力してください'],
    ]);
    strategy(plan).reviews!.midYear!.achievement!.code = '①';
    strategy(plan).reviews!.yearEnd!.achievement!.code = '①';
    expect(errors(plan)).toEqual([]);
  });

  it('a scale marking no best option has its first option as the best', () => {
    const plan = full();
    plan.ratingScales = { ...plan.ratingScales, city: [{ code: 'A', label: '順調' }, { code: 'B', label: '遅れ' }] };
    expect(bestOption(plan.ratingScales.city!)!.code).toBe('A');
    strategy(plan).reviews!.midYear = { achievement: { scale: 'city', code: 'A' } };
    expect(errors(plan)).toEqual([]);
    strategy(plan).reviews!.midYear = { achievement: { scale: 'city', code: 'B' } };
    expect(one(plan).map(([f]) => f)).toEqual(['issues[0].strategies[0].reviews.midYear.problemsAndMeasures']);
  });

  it('refuses a scale with no options, a code twice, two best options', () => {
    const plan = full();
    plan.ratingScales = { ...plan.ratingScales, empty: [], twice: [{ code: 'A', label: '', best: true }, { code: 'A', label: '', best: true }] };
    expect(one(plan).map(([f]) => f)).toEqual(['ratingScales.empty', 'ratingScales.twice[1].code', 'ratingScales.twice[1].best']);
  });

  it('an id is unique over items and indicators', () => {
    const plan = full();
    indicator(plan).id = 'strategy-1-1';
    strategy(plan).initiatives[0]!.processIndicators![1]!.id = 'ind-issue1-participation';
    expect(one(plan)).toEqual([
      ['issues[0].strategies[0].outcomeIndicators[0].id', 'id「strategy-1-1」が issues[0].strategies[0] と重複しています'],
      ['issues[0].strategies[0].initiatives[0].processIndicators[1].id', 'id「ind-issue1-participation」が issues[0].outcomeIndicators[0] と重複しています'],
    ]);
  });

  it('SDGs are goals 1–17, each once; direction is higher or lower', () => {
    const plan = full();
    plan.issues[0]!.sdgs = [0, 17, 17, 18];
    (indicator(plan) as { direction: string }).direction = 'up';
    expect(one(plan).map(([f]) => f)).toEqual([
      'issues[0].sdgs[0]',
      'issues[0].sdgs[2]',
      'issues[0].sdgs[3]',
      'issues[0].strategies[0].outcomeIndicators[0].direction',
    ]);
  });

  it('limits: 20 indicators per list, 1,000 measurements per indicator, 10,000 characters per text', () => {
    const plan = full();
    strategy(plan).outcomeIndicators = Array.from({ length: 21 }, () => ({ statement: '指標', unit: '%', direction: 'higher' as const }));
    plan.issues[0]!.outcomeIndicators![0]!.measurements = Array.from({ length: 1001 }, () => ({ date: '2017-05-01', value: 1 }));
    plan.issues[0]!.vision = 'あ'.repeat(10_001);
    expect(one(plan)).toEqual([
      ['issues[0].vision', '経営課題1のめざすべき将来像は10,000文字以内にしてください(現在 10,001文字)'],
      ['issues[0].outcomeIndicators[0].measurements', '経営課題1のアウトカム指標の1番目の指標の測定値は1,000件以内にしてください(現在 1,001件)'],
      ['issues[0].strategies[0].outcomeIndicators', '戦略1-1のアウトカム指標は20件以内にしてください(現在 21件)'],
    ]);
  });

  it('the JSON reader refuses a rule broken, at its line', () => {
    const text = fixture.replace('"code": "②"\n', '"code": "③"\n');
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('"code": "③"')) + 1;
    const found = parseDocument(new TextEncoder().encode(text), 'plan.json').diagnostics;
    expect(found).toEqual([
      { severity: 'error', field: 'issues[0].strategies[0].reviews.midYear.achievement.code', line, message: expect.stringContaining('「③」は尺度「osaka-midyear-achievement」') },
    ]);
  });

  it('/1 output leaves every /2 key out', () => {
    const json1 = JSON.stringify(toPlanJson(full()));
    for (const key of ['ratingScales', 'reviews', 'outcomeIndicators', 'processIndicators', 'indicators', 'vision', 'sdgs', 'quantitative', '"id"', 'carriedFrom']) expect(json1).not.toContain(key);
    expect(JSON.stringify(toPlanJson(full(), PLAN_FORMAT_2))).toContain('reviews');
  });
});
