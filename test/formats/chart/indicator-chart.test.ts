import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Indicator, Measurement } from '../../../src/domain/plan.ts';
import { formatValue, indicatorTable, renderIndicatorChart } from '../../../src/formats/chart/indicator-chart.ts';

const sample: Indicator = {
  id: 'ind-1',
  statement: '区民アンケートで「地域活動に参加している」と回答した区民の割合',
  unit: '%',
  direction: 'higher',
  baseline: { value: 32.5, date: '2016-10-31' },
  target: { value: 40, fiscalYear: 2019 },
  source: '区民アンケート',
};
const sampleMeasurements: Measurement[] = [
  { date: '2017-09-30', value: 34.1, note: '中間', source: '区民アンケート' },
  { date: '2018-03-31', value: 35 },
  { date: '2018-09-30', value: 36.8 },
];

// Golden files: rewrite with UPDATE_CHART_GOLDEN=1 and review the diff (and a PNG of it).
const golden = (name: string, svg: string) => {
  const url = new URL(`./golden/${name}.svg`, import.meta.url);
  if (process.env.UPDATE_CHART_GOLDEN === '1' || !existsSync(url)) writeFileSync(url, `${svg}\n`);
  expect(`${svg}\n`).toBe(readFileSync(url, 'utf8'));
};

const ALLOWED_TAGS = new Set(['svg', 'title', 'desc', 'rect', 'line', 'text', 'path', 'polyline', 'circle', 'g']);

function checkSafe(svg: string): void {
  expect(svg).not.toMatch(/NaN|Infinity/);
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+" width="\d+" height="\d+" role="img" aria-labelledby="[A-Za-z][\w-]*-title [A-Za-z][\w-]*-desc"/);
  for (const [, tag] of svg.matchAll(/<\/?([A-Za-z][\w:-]*)/g)) expect(ALLOWED_TAGS.has(tag!), tag).toBe(true);
  expect(svg).not.toMatch(/<[^>]*\son\w+=/i);
  expect(svg).not.toMatch(/style|href|<script|font-face|url\(/i);
  expect(svg.match(/<title /g)).toHaveLength(1);
  expect(svg.match(/<desc /g)).toHaveLength(1);
}

describe('renderIndicatorChart: golden files', () => {
  it('the spec sample: baseline by date, target by fiscal year, three measurements', () => {
    const svg = renderIndicatorChart(sample, sampleMeasurements, { title: sample.statement });
    checkSafe(svg);
    expect(svg).toContain('基準値 32.5%（2016/10/31）。目標値 40%（2019年度末）。実績 3件：2017/9/30 34.1%、2018/3/31 35%、2018/9/30 36.8%。');
    golden('sample', svg);
  });

  it('lower is better, one measurement, a negative target, markup in every text', () => {
    const indicator: Indicator = {
      id: 'x"><script>',
      statement: '<script>alert(1)</script> & 放置自転車',
      unit: '"><svg onload=alert(1)>台',
      direction: 'lower',
      baseline: { value: 120, fiscalYear: 2016 },
      target: { value: -10, fiscalYear: 2017 },
    };
    const svg = renderIndicatorChart(indicator, [{ date: '2017-09-30', value: 95, note: '<img src=x onerror=alert(1)>' }], { title: "<b>'x'</b>", idPrefix: 'a"b<c' });
    checkSafe(svg);
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; 放置自転車');
    expect(svg).toContain('&quot;&gt;&lt;svg onload=alert(1)&gt;台');
    expect(svg).toContain('<title id="abc-title">&lt;b&gt;&#39;x&#39;&lt;/b&gt;</title>');
    expect(svg).toContain('低いほど良い指標');
    golden('lower-one-measurement', svg);
  });

  it('before any measurement, with a 1-year target', () => {
    const indicator: Indicator = { statement: '防災訓練の参加者数', unit: '人', direction: 'higher', baseline: { value: 1200, fiscalYear: 2016 }, target: { value: 1500, fiscalYear: 2017 } };
    const svg = renderIndicatorChart(indicator, [], { title: '防災訓練の参加者数', width: 480, height: 280 });
    checkSafe(svg);
    expect(svg).toContain('実績はまだありません。');
    expect(svg).not.toContain('r="4.5"');
    golden('no-measurements', svg);
  });
});

describe('renderIndicatorChart: edge cases', () => {
  const opts = { title: 't' };
  it('nothing to plot: a sentence instead of axes', () => {
    const svg = renderIndicatorChart({ statement: 's', unit: '', direction: 'higher' }, [], opts);
    checkSafe(svg);
    expect(svg).toContain('表示できる数値がありません');
  });

  it('all values equal, zero, huge and tiny come out finite with sane ticks', () => {
    for (const v of [0, 5, -5, 1e308, -1.7e308, 5e-324, 1e-12, 123456789012345]) {
      const ind: Indicator = { statement: 's', unit: 'u', direction: 'higher', baseline: { value: v, fiscalYear: 2016 }, target: { value: v, fiscalYear: 2017 } };
      const svg = renderIndicatorChart(ind, [{ date: '2017-06-01', value: v }], opts);
      checkSafe(svg);
      expect(svg.match(/text-anchor="end">/g)!.length).toBeGreaterThanOrEqual(2);
    }
    const wide: Indicator = { statement: 's', unit: 'u', direction: 'higher', baseline: { value: -1.7e308, fiscalYear: 2016 }, target: { value: 1.7e308, fiscalYear: 2017 } };
    checkSafe(renderIndicatorChart(wide, [], opts));
  });

  it('measurements without a valid date or a finite value are left out; widths are bounded', () => {
    const svg = renderIndicatorChart(sample, [{ date: '2017-02-30', value: 1 }, { date: '2018-01-01', value: NaN }, { date: '2018-02-01', value: 36 }], { title: 't', width: 1e9, height: -5 });
    checkSafe(svg);
    expect(svg.match(/r="4.5"/g)).toHaveLength(1);
    expect(svg).toContain('viewBox="0 0 2000 200"');
  });

  it('a long span of years labels every few years only', () => {
    const ind: Indicator = { statement: 's', unit: '', direction: 'higher', baseline: { value: 1, fiscalYear: 1900 }, target: { value: 2, fiscalYear: 2099 } };
    const svg = renderIndicatorChart(ind, [], opts);
    checkSafe(svg);
    expect(svg.match(/年度<\/text>/g)!.length).toBeLessThanOrEqual(8);
  });

  it('random indicators never produce NaN, Infinity or unescaped markup', () => {
    const value = fc.double({ noNaN: true, noDefaultInfinity: true });
    const date = fc.date({ min: new Date('1990-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const point = fc.option(fc.oneof(fc.record({ value, date }), fc.record({ value, fiscalYear: fc.integer({ min: 1990, max: 2100 }) })), { nil: undefined });
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.constantFrom('higher', 'lower') as fc.Arbitrary<'higher' | 'lower'>, point, point, fc.array(fc.record({ date, value, note: fc.string() }), { maxLength: 30 }), (statement, unit, direction, baseline, target, ms) => {
        const svg = renderIndicatorChart({ statement, unit, direction, baseline, target }, ms, { title: statement });
        checkSafe(svg);
        // Text content never carries a raw < or a raw &: everything was escaped.
        for (const [, text] of svg.matchAll(/>([^<]*)</g)) expect(text).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('indicatorTable', () => {
  it('baseline, target, then measurements by date, with notes as plain data', () => {
    const t = indicatorTable(sample, [sampleMeasurements[2]!, sampleMeasurements[0]!, { date: '2018-03-31', value: 1234567.5, note: '<b>注</b>' }]);
    expect(t.caption).toBe(sample.statement);
    expect(t.headers).toEqual(['区分', '時点', '値', '備考']);
    expect(t.rows.map((r) => [r.label, r.when, r.valueText, r.note])).toEqual([
      ['基準値', '2016/10/31', '32.5%', ''],
      ['目標値', '2019年度末', '40%', ''],
      ['実績', '2017/9/30', '34.1%', '中間'],
      ['実績', '2018/3/31', '1,234,567.5%', '<b>注</b>'],
      ['実績', '2018/9/30', '36.8%', ''],
    ]);
  });

  it('a baseline by fiscal year reads as that year; a target by date reads "まで"', () => {
    const t = indicatorTable({ statement: 's', unit: '件', direction: 'lower', baseline: { value: 5, fiscalYear: 2016 }, target: { value: 1, date: '2018-03-31' } }, []);
    expect(t.rows.map((r) => r.when)).toEqual(['2016年度', '2018/3/31まで']);
  });

  it('formatValue groups thousands and falls back to exponents', () => {
    expect(formatValue(-1234.56789)).toBe('-1,234.5679');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(1.5e308)).toBe('1.5e+308');
    expect(formatValue(NaN)).toBe('—');
  });
});
