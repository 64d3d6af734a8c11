import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PLAN_LIMITS } from '../../../src/domain/limits.ts';
import { MAX_DOCUMENT_BYTES, parseDocument, renderDocument, toPlanJson } from '../../../src/formats/index.ts';
import { parseJson } from '../../../src/formats/json/parse.ts';
import { jsonFieldLines } from '../../../src/formats/json/field-lines.ts';
import { planAtLimits } from '../../domain/plan-at-limits.ts';
import { buildPlan } from '../../support/build-plan.ts';

// The golden file is what convert writes (/2); these read it as a /1 document.
const seedJson = readFileSync('test/fixtures/golden/osaka-nishi-2017.json', 'utf8').replace('"format": "hoshin-plan/2"', '"format": "hoshin-plan/1"');
const parse = (text: string) => parseDocument(new TextEncoder().encode(text), 'plan.json');
const errors = (text: string) => parse(text).diagnostics.filter((d) => d.severity === 'error');
const BUDGET = 'issues[0].strategies[0].initiatives[0].budgetThousandYen';

describe('hoshin-plan/1 JSON: limits', () => {
  it('reads a plan at every limit', () => {
    const { plan, diagnostics } = parse(renderDocument(planAtLimits(), 'json'));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plan).toBeDefined();
  });

  it('refuses a title over its limit at its field and line, naming the limit and the size', () => {
    const json = seedJson.replace('"title": "地域活動協議会の活動支援"', `"title": "${'あ'.repeat(1_234)}"`);
    expect(errors(json)).toEqual([
      { severity: 'error', field: 'issues[0].strategies[0].title', line: 22, message: '戦略1-1の題名は200文字以内にしてください(現在 1,234文字)' },
    ]);
  });

  it('refuses 90,000 initiatives (an upload under the size limit) with two messages', () => {
    const plan = buildPlan();
    plan.issues[0]!.strategies[0]!.initiatives = Array.from({ length: 90_000 }, (_, k) => ({
      number: `1-1-${k + 1}`, title: 'x', budgetThousandYen: 1, cmBudgetThousandYen: null, description: '',
    }));
    const json = JSON.stringify(toPlanJson(plan));
    expect(new TextEncoder().encode(json).length).toBeLessThan(MAX_DOCUMENT_BYTES);
    const found = errors(json);
    expect(found.map((d) => d.field)).toEqual(['issues', 'issues[0].strategies[0].initiatives']);
    expect(found[0]).toMatchObject({ message: '具体的取組は文書全体で1,000件以内にしてください(現在 90,003件)', line: 1 });
  });

  it('reports at most 100 schema problems and counts the rest', () => {
    const plan = buildPlan();
    plan.issues[0]!.strategies[0]!.initiatives = Array.from({ length: 5_000 }, (_, k) => ({
      number: `1-1-${k + 1}`, title: '取組', budgetThousandYen: 1, cmBudgetThousandYen: null, description: '',
    }));
    const json = JSON.stringify(toPlanJson(plan)).replaceAll('"budgetThousandYen":1,', '"budgetThousandYen":"1",');
    const found = errors(json);
    expect(found).toHaveLength(101);
    expect(found[100]!.message).toBe('ほかに 4,900 件、形式の問題があります(最初の100件だけを表示しています)');
  });
});

describe('hoshin-plan/1 JSON: control characters', () => {
  it('refuses a NUL written as \\u0000 at its field and line', () => {
    const json = seedJson.replace('"title": "地域活動協議会の活動支援"', '"title": "地域活動\\u0000協議会"');
    expect(errors(json)).toEqual([
      { severity: 'error', field: 'issues[0].strategies[0].title', line: 22, message: '戦略1-1の題名に制御文字(U+0000)が含まれています' },
    ]);
  });

  it('refuses an unpaired surrogate and a carriage return', () => {
    expect(errors(seedJson.replace('"goal": "', '"goal": "\\ud83d')).map((d) => d.message)).toEqual(['区の目標に不正な文字(対になっていないサロゲート U+D83D)が含まれています']);
    expect(errors(seedJson.replace('"goal": "', '"goal": "\\r\\n')).map((d) => d.message)).toEqual(['区の目標に制御文字(U+000D)が含まれています']);
  });

  it('accepts a surrogate pair and line feeds', () => {
    expect(errors(seedJson.replace('"goal": "', '"goal": "\\ud83c\\udf38\\n'))).toEqual([]);
  });
});

describe('hoshin-plan/1 JSON: budgets', () => {
  const withBudget = (value: string) => errors(seedJson.replace('"budgetThousandYen": 22268', `"budgetThousandYen": ${value}`));

  it('says a negative budget must be 0 or more', () => {
    expect(withBudget('-5')).toEqual([{ severity: 'error', field: BUDGET, line: 28, message: '具体的取組1-1-1の予算額は0以上の数で入力してください(現在 -5)' }]);
    expect(withBudget('-1.5').map((d) => d.message)).toEqual(['具体的取組1-1-1の予算額は0以上の数で入力してください(現在 -1.5)']);
  });

  it('says a budget is too large, giving the maximum', () => {
    expect(withBudget('99999999999999999').map((d) => d.message)).toEqual(['具体的取組1-1-1の予算額が大きすぎます(上限 99,999,999,999千円、現在 100,000,000,000,000,000千円)']);
    expect(withBudget('1e400').map((d) => d.message)).toEqual([expect.stringContaining('大きすぎます')]);
    expect(withBudget(String(PLAN_LIMITS.budgetThousandYen.max))).toEqual([]);
  });

  it('the published schemas state the range, and their refusal words it as the editor does', () => {
    for (const file of ['schema/hoshin-plan-1.schema.json', 'schema/hoshin-plan-2.schema.json']) {
      const { properties } = JSON.parse(readFileSync(file, 'utf8')).definitions.initiative;
      for (const key of ['budgetThousandYen', 'cmBudgetThousandYen']) {
        expect(properties[key], `${file} ${key}`).toMatchObject({ minimum: 0, maximum: PLAN_LIMITS.budgetThousandYen.max });
      }
    }
    // With another schema problem beside it, the budget is refused by the schema, not by validatePlan.
    const json = seedJson
      .replace('"fiscalYear": 2017', '"fiscalYear": "2017"')
      .replace(/"budgetThousandYen": 22268,(\s*)"cmBudgetThousandYen": null/, '"budgetThousandYen": 100000000000,$1"cmBudgetThousandYen": -1');
    expect(errors(json).map((d) => d.message)).toEqual([
      '「fiscalYear」は整数でなければなりません',
      '具体的取組1-1-1の予算額が大きすぎます(上限 99,999,999,999千円、現在 100,000,000,000千円)',
      '具体的取組1-1-1の区CM予算額は0以上の数で入力してください(現在 -1)',
    ]);
    expect(errors(json.replace('"format": "hoshin-plan/1"', '"format": "hoshin-plan/2"'))).toEqual(errors(json));
  });

  it('says a fraction is not a whole number of 千円, and a string is not a number', () => {
    expect(withBudget('1.5').map((d) => d.message)).toEqual(['具体的取組1-1-1の予算額は千円単位の整数で入力してください(現在 1.5)']);
    expect(withBudget('"22,268"').map((d) => d.message)).toEqual([`「${BUDGET}」は整数またはnullでなければなりません`]);
  });
});

describe('hoshin-plan/1 JSON: nesting', () => {
  it('refuses 100,000 nested arrays with a message, not a stack overflow', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const result = parseJson(deep);
    expect(result.plan).toBeUndefined();
    expect(result.diagnostics).toEqual([{ severity: 'error', line: 1, message: 'JSON の入れ子が深すぎます(32段まで。hoshin-plan/1 の文書は8段です)' }]);
  });

  it('refuses deep nesting inside a plan, in a key later versions might add, at its line', () => {
    const deep = seedJson.replace('"goal":', `"extra": ${'{"a":\n'.repeat(50_000)}1${'}'.repeat(50_000)},\n  "goal":`);
    const { diagnostics } = parse(deep);
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', line: 8 + PLAN_LIMITS.jsonDepth - 2, message: expect.stringContaining('入れ子が深すぎます') })]);
  });

  it('refuses deep nesting where the schema wants a string, and unclosed brackets', () => {
    expect(errors(seedJson.replace('"goal": "', `"goal": ${'['.repeat(40)}${']'.repeat(40)}, "x": "`))[0]!.message).toContain('入れ子が深すぎます');
    expect(errors('['.repeat(1_000_000))[0]!.message).toContain('入れ子が深すぎます');
  });

  it('counts brackets inside strings as text', () => {
    const json = seedJson.replace('"goal": "', `"goal": "${'[{'.repeat(100)}\\"[`);
    expect(errors(json)).toEqual([]);
  });

  it('accepts nesting up to the limit in keys it drops', () => {
    const nested = `${'['.repeat(PLAN_LIMITS.jsonDepth - 1)}${']'.repeat(PLAN_LIMITS.jsonDepth - 1)}`;
    const { plan } = parse(seedJson.replace('"goal":', `"extra": ${nested},\n  "goal":`));
    expect(plan).toBeDefined();
  });

  it('the position map copes with the deepest document the reader lets through', () => {
    const nested = `${'['.repeat(PLAN_LIMITS.jsonDepth - 1)}${']'.repeat(PLAN_LIMITS.jsonDepth - 1)}`;
    expect(jsonFieldLines(`{"a": ${nested}}`).get('a')).toBe(1);
  });
});
