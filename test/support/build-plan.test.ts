import { describe, expect, it } from 'vitest';
import { validatePlan } from '../../src/domain/validate.ts';
import { parseDocument, renderDocument } from '../../src/formats/index.ts';
import { buildPlan, generatePlan, generatePlanSet } from './build-plan.ts';

const encoder = new TextEncoder();

function textRoundTrip(plan: ReturnType<typeof generatePlan>) {
  return parseDocument(encoder.encode(renderDocument(plan, 'text')), 'plan.txt');
}

describe('buildPlan', () => {
  it('is a valid plan that survives the text layout', () => {
    const plan = buildPlan();
    expect(validatePlan(plan)).toEqual([]);
    expect(textRoundTrip(plan)).toEqual({ format: 'text', plan, diagnostics: [] });
  });

  it('takes overrides', () => {
    expect(buildPlan({ fiscalYear: 2019, head: null })).toMatchObject({ fiscalYear: 2019, head: null, organization: '西区' });
  });
});

describe('generatePlan', () => {
  it('is deterministic per seed and differs between seeds', () => {
    expect(generatePlan(42)).toStrictEqual(generatePlan(42));
    expect(generatePlan(42)).not.toStrictEqual(generatePlan(43));
  });

  it('covers the shapes the generator promises over 500 seeds', () => {
    const plans = Array.from({ length: 500 }, (_, i) => generatePlan(i + 1));
    const initiatives = plans.flatMap((p) => p.issues.flatMap((i) => i.strategies.flatMap((s) => s.initiatives)));
    const years = new Set(plans.map((p) => p.fiscalYear));
    expect(Math.min(...years)).toBeGreaterThanOrEqual(1989);
    expect(Math.max(...years)).toBeLessThanOrEqual(2030);
    // 平成元年度 and 令和元年度 both occur.
    expect(years.has(1989) && years.has(2019)).toBe(true);
    expect(new Set(plans.map((p) => p.issues.length))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    expect(initiatives.some((i) => i.budgetThousandYen === null)).toBe(true);
    expect(initiatives.some((i) => i.budgetThousandYen === 0)).toBe(true);
    expect(initiatives.some((i) => (i.budgetThousandYen ?? 0) >= 1_000_000)).toBe(true);
    expect(initiatives.some((i) => i.cmBudgetThousandYen !== null)).toBe(true);
    // Gaps in numbering, as the seed's 2-1, 2-4.
    expect(plans.some((p) => p.issues.some((i) => i.strategies.some((s, j) => j > 0 && Number(s.number.split('-')[1]) > j + 2)))).toBe(true);
    expect(plans.some((p) => p.reform === null) && plans.some((p) => p.reform !== null)).toBe(true);
    expect(plans.some((p) => p.selfEvaluation.achievements !== '')).toBe(true);
    expect(plans.some((p) => p.policy.includes('\n'))).toBe(true);
    expect(new Set(plans.map((p) => p.mission.length))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });

  it('makes plans that validate without errors', () => {
    for (let seed = 1; seed <= 100; seed++) {
      expect(validatePlan(generatePlan(seed)).filter((d) => d.severity === 'error'), `seed ${seed}`).toEqual([]);
    }
  });

  // The generated round-trip property: text → plan → text → plan loses nothing.
  it('gives back every plan of 500 seeds through the text layout, text unchanged on a second pass', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const plan = generatePlan(seed);
      const text = renderDocument(plan, 'text');
      const result = parseDocument(encoder.encode(text), 'plan.txt');
      expect(result.diagnostics, `seed ${seed}`).toEqual([]);
      expect(result.plan, `seed ${seed}`).toStrictEqual(plan);
      expect(renderDocument(result.plan!, 'text'), `seed ${seed}`).toBe(text);
    }
  });

  it('gives back plans of every plausible fiscal year (明治 to 令和182) through the text layout', () => {
    for (let fiscalYear = 1869; fiscalYear <= 2200; fiscalYear++) {
      const plan = generatePlan(fiscalYear, { fiscalYear });
      expect(textRoundTrip(plan).plan, `FY${fiscalYear}`).toStrictEqual(plan);
    }
  });

  it('gives back every plan of 100 seeds through JSON', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const plan = generatePlan(seed);
      const result = parseDocument(encoder.encode(renderDocument(plan, 'json')), 'plan.json');
      expect(result, `seed ${seed}`).toStrictEqual({ format: 'json', plan, diagnostics: [] });
    }
  });
});

describe('generatePlanSet', () => {
  it('makes distinct organization and year pairs', () => {
    const plans = generatePlanSet(1000);
    expect(new Set(plans.map((p) => `${p.organization}/${p.fiscalYear}`)).size).toBe(1000);
  });
});
