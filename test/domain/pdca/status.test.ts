import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Indicator, IndicatorPoint, Measurement, Plan, Strategy } from '../../../src/domain/plan.ts';
import { emptyPlan } from '../../../src/domain/plan.ts';
import { INDICATOR_STATUSES, OSAKA_STATUS_RULES, type IndicatorStatus } from '../../../src/domain/pdca/status-rules.ts';
import { combineStatuses, indicatorStatus, rollUp } from '../../../src/domain/pdca/status.ts';

// The worked examples live in the developer docs; this test reads them so the two cannot drift.
const doc = readFileSync(new URL('../../../docs/pdca-rules.md', import.meta.url), 'utf8');

/** The rows of the first table after `heading`, as trimmed cells. */
function tableAfter(heading: string): string[][] {
  const lines = doc.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`heading not found: ${heading}`);
  const rows: string[][] = [];
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('|')) {
      inTable = true;
      rows.push(line.slice(1, -1).split('|').map((c) => c.trim()));
    } else if (inTable) break;
  }
  return rows.slice(2); // header and separator
}

const NONE = '—';

function point(cell: string): IndicatorPoint | null {
  if (cell === NONE) return null;
  const m = /^(-?[\d.]+) @ (?:FY(\d{4})|(\d{4}-\d{2}-\d{2}))$/.exec(cell);
  if (!m) throw new Error(`unreadable point: ${cell}`);
  return m[2] ? { value: Number(m[1]), fiscalYear: Number(m[2]) } : { value: Number(m[1]), date: m[3]! };
}

function measurements(cell: string): Measurement[] {
  if (cell === NONE) return [];
  return cell.split(';').map((part) => {
    const m = /^(\d{4}-\d{2}-\d{2}): (-?[\d.]+)$/.exec(part.trim());
    if (!m) throw new Error(`unreadable measurement: ${part}`);
    return { date: m[1]!, value: Number(m[2]) };
  });
}

function percent(value: number | null): string {
  return value === null ? NONE : `${(value * 100).toFixed(1)}%`;
}

function status(cell: string): IndicatorStatus {
  if (!(INDICATOR_STATUSES as readonly string[]).includes(cell)) throw new Error(`unknown status: ${cell}`);
  return cell as IndicatorStatus;
}

const indicatorRows = tableAfter('## Worked examples: indicators');
const rollUpRows = tableAfter('## Worked examples: roll-up');

describe('the worked examples of docs/pdca-rules.md', () => {
  it('has at least 8 indicator examples and 3 roll-up examples', () => {
    expect(indicatorRows.length).toBeGreaterThanOrEqual(8);
    expect(rollUpRows.length).toBeGreaterThanOrEqual(3);
  });

  describe.each(indicatorRows.map((r) => ({ name: `${r[0]}. ${r[1]}`, cells: r })))('$name', ({ cells }) => {
    it('comes out as written', () => {
      const [, , direction, baseline, target, ms, asOf, progress, expected, expectedStatus] = cells;
      const indicator: Indicator = {
        statement: cells[1]!,
        unit: '%',
        direction: direction === 'lower' ? 'lower' : 'higher',
        baseline: point(baseline!),
        target: point(target!),
      };
      const result = indicatorStatus(indicator, measurements(ms!), { asOf: asOf!, fiscalYear: 2017 }, OSAKA_STATUS_RULES);
      expect({ progress: percent(result.progress), expected: percent(result.expected), status: result.status }).toEqual({
        progress,
        expected,
        status: status(expectedStatus!),
      });
    });
  });

  // Indicators that come out with a given status at 2018-03-31 (a 1-year target 0 → 100).
  function indicatorWith(s: IndicatorStatus): Indicator {
    const value = { achieved: 100, onTrack: 95, behind: 50, notMeasurable: null }[s];
    return {
      statement: s,
      unit: '件',
      direction: 'higher',
      baseline: { value: 0, fiscalYear: 2016 },
      target: { value: 100, fiscalYear: 2017 },
      measurements: value === null ? [] : [{ date: '2018-03-01', value }],
    };
  }

  describe.each(rollUpRows.map((r) => ({ name: `${r[0]}. ${r[1]}`, cells: r })))('$name', ({ cells }) => {
    it('comes out as written', () => {
      const [, , madeOf, initiativeStatuses, counts, expectedStatus] = cells;
      const strategy: Strategy = { id: 's', number: '1-1', title: '', description: '', initiatives: [], outcomeIndicators: [] };
      for (const part of madeOf!.split(';')) {
        const [who, list] = part.split(':').map((x) => x.trim());
        const statuses = list === NONE ? [] : list!.split(',').map((x) => status(x.trim()));
        const indicators = statuses.map(indicatorWith);
        if (who === 'outcome') strategy.outcomeIndicators = indicators;
        else strategy.initiatives.push({ number: who!, title: '', budgetThousandYen: null, cmBudgetThousandYen: null, description: '', processIndicators: indicators });
      }
      const plan: Plan = { ...emptyPlan('テスト区', 2017), issues: [{ id: 'i', number: 1, title: '', summary: '', strategies: [strategy] }] };
      const result = rollUp(plan, {}, { asOf: '2018-03-31', fiscalYear: 2017 }, OSAKA_STATUS_RULES);
      const s = result.issues[0]!.strategies[0]!;
      // The member indicators themselves come out as the row says.
      expect(s.indicators.map((e) => e.result.status)).toEqual(strategy.outcomeIndicators!.map((i) => i.statement));
      expect(s.initiatives.map((i) => i.status).join(', ')).toBe(initiativeStatuses);
      const c = s.counts;
      expect(`achieved ${c.achieved}, onTrack ${c.onTrack}, behind ${c.behind}, notMeasurable ${c.notMeasurable}`).toBe(counts);
      expect(s.status).toBe(status(expectedStatus!));
      expect(result.byItemId.get('s')?.status).toBe(s.status);
    });
  });
});

describe('beyond the examples', () => {
  const base: Indicator = { statement: 'x', unit: '%', direction: 'higher', baseline: { value: 30, fiscalYear: 2016 }, target: { value: 60, fiscalYear: 2019 } };
  const opts = { asOf: '2019-03-31', fiscalYear: 2017 };

  it('measurements given by id win over those inside the indicator; others use their own', () => {
    const plan: Plan = {
      ...emptyPlan('テスト区', 2017),
      issues: [{
        id: 'i', number: 1, title: '', summary: '', strategies: [],
        outcomeIndicators: [
          { ...base, id: 'a', measurements: [{ date: '2019-03-01', value: 30 }] },
          { ...base, id: 'b', measurements: [{ date: '2019-03-01', value: 60 }] },
        ],
      }],
    };
    const byId = new Map([['a', [{ date: '2019-03-01', value: 60 }]]]);
    const r = rollUp(plan, byId, opts, OSAKA_STATUS_RULES);
    expect(r.indicatorCounts).toEqual({ achieved: 2, onTrack: 0, behind: 0, notMeasurable: 0 });
    expect(r.status).toBe('achieved');
    // a prototype key is not a measurement list
    expect(rollUp(plan, { constructor: [] } as never, opts, OSAKA_STATUS_RULES).status).toBe('behind');
  });

  it('the plan rolls up issues and reform items; an empty plan is not measurable', () => {
    expect(rollUp(emptyPlan('テスト区', 2017), {}, opts, OSAKA_STATUS_RULES).status).toBe('notMeasurable');
    const plan: Plan = {
      ...emptyPlan('テスト区', 2017),
      reform: { planName: '市政改革プラン', items: [{ id: 'r', title: '改革', content: '', indicators: [{ ...base, measurements: [{ date: '2019-03-01', value: 40 }] }] }] },
    };
    const r = rollUp(plan, {}, opts, OSAKA_STATUS_RULES);
    expect(r.reformItems[0]!.status).toBe('behind');
    expect(r.status).toBe('behind');
  });

  it('values that are not finite numbers are left out, and alone they are not measurable', () => {
    const r = indicatorStatus(base, [{ date: '2019-03-01', value: NaN }], opts, OSAKA_STATUS_RULES);
    expect(r).toMatchObject({ status: 'notMeasurable', reason: 'invalidValue' });
    expect(indicatorStatus(base, [{ date: '2018-03-01', value: 50 }, { date: '2019-03-01', value: Infinity }], opts, OSAKA_STATUS_RULES).latest?.value).toBe(50);
    expect(indicatorStatus({ ...base, target: { value: NaN, fiscalYear: 2019 } }, [{ date: '2019-03-01', value: 50 }], opts, OSAKA_STATUS_RULES).reason).toBe('invalidValue');
  });

  it('huge values do not overflow the progress', () => {
    const huge: Indicator = { ...base, baseline: { value: -1.5e308, fiscalYear: 2016 }, target: { value: 1.5e308, fiscalYear: 2019 } };
    const r = indicatorStatus(huge, [{ date: '2019-03-01', value: 0 }], opts, OSAKA_STATUS_RULES);
    expect(r.progress).toBeCloseTo(0.5);
  });

  it('a lower indicator without a baseline cannot be judged unless it meets its target', () => {
    const lower: Indicator = { ...base, direction: 'lower', baseline: null, target: { value: 10, fiscalYear: 2017 } };
    expect(indicatorStatus(lower, [{ date: '2017-09-30', value: 12 }], opts, OSAKA_STATUS_RULES).reason).toBe('noBaseline');
    expect(indicatorStatus(lower, [{ date: '2017-09-30', value: 9 }], opts, OSAKA_STATUS_RULES).status).toBe('achieved');
  });

  it('the later of two measurements on one day is judged', () => {
    const r = indicatorStatus(base, [{ date: '2019-03-01', value: 50 }, { date: '2019-03-01', value: 40 }], opts, OSAKA_STATUS_RULES);
    expect(r.latest?.value).toBe(40);
  });

  it('asOf must be a date', () => {
    expect(() => indicatorStatus(base, [], { asOf: '2019-02-30', fiscalYear: 2017 }, OSAKA_STATUS_RULES)).toThrow(RangeError);
  });

  it('majority: the most frequent measurable status, a tie to the worse', () => {
    expect(combineStatuses(['achieved', 'achieved', 'behind', 'notMeasurable'], 'majority')).toBe('achieved');
    expect(combineStatuses(['achieved', 'onTrack'], 'majority')).toBe('onTrack');
    expect(combineStatuses(['notMeasurable'], 'majority')).toBe('notMeasurable');
    expect(combineStatuses([], 'worst')).toBe('notMeasurable');
  });
});
