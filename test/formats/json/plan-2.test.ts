import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { withLegacyItemIds } from '../../../src/domain/item-ids.ts';
import type { Plan } from '../../../src/domain/plan.ts';
import { parseDocument, PLAN_FORMAT_2, toPlanJson } from '../../../src/formats/index.ts';
import { buildPlan } from '../../support/build-plan.ts';

const schema1 = JSON.parse(readFileSync('schema/hoshin-plan-1.schema.json', 'utf8'));
const schema2 = JSON.parse(readFileSync('schema/hoshin-plan-2.schema.json', 'utf8'));
// The golden file is what convert writes (/2); these read it as a /1 document.
const seedJson = readFileSync('test/fixtures/golden/osaka-nishi-2017.json', 'utf8').replace('"format": "hoshin-plan/2"', '"format": "hoshin-plan/1"');
const parse = (text: string) => parseDocument(new TextEncoder().encode(text), 'plan.json');
const errors = (text: string) => parse(text).diagnostics.filter((d) => d.severity === 'error');

/** A plan with an id on every item and a cross-year link on some: what the application stores. */
function planWithIds(): Plan {
  const plan = withLegacyItemIds(buildPlan());
  plan.issues[0]!.carriedFrom = 'issue-1_FY2016';
  plan.issues[0]!.strategies[0]!.initiatives[0]!.carriedFrom = 'A-b_9';
  return plan;
}
const json2 = (plan: Plan) => `${JSON.stringify(toPlanJson(plan, PLAN_FORMAT_2), null, 2)}\n`;

describe('hoshin-plan/2 JSON: item ids', () => {
  it('round-trips ids: parse, then write /2, gives the same text', () => {
    const text = json2(planWithIds());
    expect(text).toContain('"carriedFrom": "A-b_9"');
    const { plan, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(json2(plan!)).toBe(text);
    expect(plan!.issues[0]!.strategies[0]!.id).toBe('strategy-1-1');
  });

  it('the /2 schema accepts what toPlanJson writes, and every /1 document once its format says /2', () => {
    const validate = new Ajv({ strict: false }).compile(schema2);
    expect(validate(toPlanJson(planWithIds(), PLAN_FORMAT_2)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...JSON.parse(seedJson), format: PLAN_FORMAT_2 }), JSON.stringify(validate.errors)).toBe(true);
  });

  it('reads null ids as absent (the spec: absent and null mean the same)', () => {
    const text = json2(buildPlan()).replace('"number": 1,', '"id": null,\n"carriedFrom": null,\n"number": 1,');
    const { plan, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(Object.keys(plan!.issues[0]!)).not.toContain('id');
  });

  it('refuses a duplicate id at its field and line', () => {
    const plan = planWithIds();
    plan.issues[1]!.strategies[0]!.id = plan.issues[0]!.strategies[0]!.id;
    const text = json2(plan);
    const line = text.split('\n').findIndex((l) => l.includes('"id": "strategy-1-1"') && !l.includes('"id": "strategy-2')) + 1;
    const secondLine = text.split('\n').findIndex((l, i) => i + 1 > line && l.includes('"id": "strategy-1-1"')) + 1;
    expect(secondLine).toBeGreaterThan(line);
    expect(errors(text)).toEqual([
      { severity: 'error', field: 'issues[1].strategies[0].id', line: secondLine, message: 'id「strategy-1-1」が issues[0].strategies[0] と重複しています' },
    ]);
  });

  it('refuses a malformed id or carriedFrom at its field and line, in Japanese', () => {
    const text = json2(planWithIds()).replace('"id": "initiative-1-1-1"', '"id": "1/1/1"').replace('"carriedFrom": "A-b_9"', '"carriedFrom": ""');
    const found = errors(text);
    const lineOf = (s: string) => text.split('\n').findIndex((l) => l.includes(s)) + 1;
    expect(found).toEqual([
      { severity: 'error', field: 'issues[0].strategies[0].initiatives[0].id', line: lineOf('"1/1/1"'), message: expect.stringMatching(/^「issues\[0\]\.strategies\[0\]\.initiatives\[0\]\.id」は id の形式/) },
      { severity: 'error', field: 'issues[0].strategies[0].initiatives[0].carriedFrom', line: lineOf('"carriedFrom": ""'), message: expect.stringContaining('id の形式') },
    ]);
  });

  it('refuses a key /2 does not have, naming it and its line (a typo would otherwise lose what it holds)', () => {
    const text = json2(planWithIds())
      .replace('"format": "hoshin-plan/2",', '"format": "hoshin-plan/2",\n  "ratingScale": {},')
      .replace('"number": "1-1",', '"number": "1-1",\n"reviews": {"midYear": {"coment": ""}},');
    const lineOf = (s: string) => text.split('\n').findIndex((l) => l.includes(s)) + 1;
    expect(errors(text)).toEqual([
      { severity: 'error', field: 'ratingScale', line: lineOf('"ratingScale"'), message: expect.stringMatching(/^キー「ratingScale」は hoshin-plan\/2 にない項目です/) },
      {
        severity: 'error',
        field: 'issues[0].strategies[0].reviews.midYear.coment',
        line: lineOf('"reviews"'),
        message: expect.stringMatching(/^キー「coment」\(issues\[0\]\.strategies\[0\]\.reviews\.midYear\.coment\)は hoshin-plan\/2 にない項目です/),
      },
    ]);
  });

  it('counts unknown /2 keys with the schema problems past 100', () => {
    const plan = buildPlan();
    plan.issues[0]!.strategies[0]!.initiatives = Array.from({ length: 500 }, (_, k) => ({
      number: `1-1-${k + 1}`, title: '取組', budgetThousandYen: 1, cmBudgetThousandYen: null, description: '',
    }));
    const text = JSON.stringify(toPlanJson(plan, PLAN_FORMAT_2)).replaceAll('"description":""', '"description":"","review":{}');
    const unknown = text.split('"review"').length - 1;
    expect(unknown).toBeGreaterThanOrEqual(500);
    const found = errors(text);
    expect(found).toHaveLength(101);
    expect(found[100]!.message).toBe(`ほかに ${unknown - 100} 件、形式の問題があります(最初の100件だけを表示しています)`);
  });
});

describe('hoshin-plan/1 JSON is read as before', () => {
  it('drops ids and other unknown keys of a /1 document, as it drops every key it does not know', () => {
    const text = JSON.stringify(toPlanJson(planWithIds(), PLAN_FORMAT_2)).replace('"hoshin-plan/2"', '"hoshin-plan/1"');
    expect(text).toContain('"id":"strategy-1-1"');
    const { plan, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(plan).toEqual(buildPlan());
  });

  it('the /1 schema is the /2 schema without the keys /2 adds (and with format /1)', () => {
    const added = ['id', 'carriedFrom', 'ratingScales', 'vision', 'currentState', 'causeAnalysis', 'challenge', 'sdgs', 'outcomeIndicators', 'targetState', 'reviews'];
    added.push('processIndicators', 'priorResults', 'exitCriterion', 'indicators', 'quantitative', 'qualitative', 'outlook');
    const strip = (node: unknown, path: string[] = []): unknown => {
      if (Array.isArray(node)) return node.map((n) => strip(n, path));
      if (typeof node !== 'object' || node === null) return node;
      const parent = path.at(-1);
      const entries = Object.entries(node).filter(
        ([k]) =>
          !['$id', 'title', 'description'].includes(k) &&
          !(parent === 'properties' && added.includes(k)) &&
          // An issue's budget is new in /2 (an initiative's is /1's), and so are the definitions past the items'.
          !(parent === 'properties' && path.at(-2) === 'issue' && k === 'budgetThousandYen') &&
          !(parent === 'definitions' && !['issue', 'strategy', 'initiative'].includes(k)),
      );
      return Object.fromEntries(entries.map(([k, v]) => [k, strip(v, [...path, k])]));
    };
    const s2 = strip(schema2) as { properties: { format: unknown } };
    const s1 = strip(schema1) as { properties: { format: unknown } };
    expect(s2.properties.format).toEqual({ const: 'hoshin-plan/2' });
    expect({ ...s2, properties: { ...s2.properties, format: s1.properties.format } }).toEqual(s1);
  });

  it('refuses a format it does not know, naming both it reads', () => {
    expect(errors(seedJson.replace('hoshin-plan/1', 'hoshin-plan/3'))[0]!.message).toBe(
      '形式「hoshin-plan/3」には対応していません(このバージョンが読めるのは hoshin-plan/1 と hoshin-plan/2 です)',
    );
  });
});
