import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/domain/plan.ts';
import {
  CSV_BOM, csvField, INITIATIVE_COLUMNS, initiativeRows, initiativesCsv, initiativesCsvBody, initiativesCsvHead, MEASUREMENT_COLUMNS,
  measurementRows, measurementsCsv, neutralizeFormula, type CsvCell, type OpenDataMeasurement,
} from '../../../src/formats/csv/open-data.ts';
import { buildPlan, generatePlan } from '../../support/build-plan.ts';

const NISHI = { code: '271063', name: '大阪市 西区' };

/**
 * A tiny RFC 4180 reader, written apart from the writer so the test does not read the output
 * with the code that made it: CRLF records, quoted fields with doubled quotes, CR/LF inside quotes.
 */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i++; continue; }
      field += ch; i++; continue;
    }
    if (ch === '"' && field === '') { quoted = true; i++; continue; }
    if (ch === '"') throw new Error(`bare quote at ${i}`);
    if (ch === ',') { row.push(field); field = ''; i++; continue; }
    if (ch === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; continue; }
    if (ch === '\r' || ch === '\n') throw new Error(`bare line end at ${i}`);
    field += ch; i++;
  }
  if (quoted) throw new Error('unterminated quote');
  if (field !== '' || row.length > 0) throw new Error('last record without CRLF');
  return rows;
}

/** What a reader sees in a cell: text as written (with the neutralizing quote), numbers as digits, null as empty. */
const shown = (rows: CsvCell[][]) => rows.map((r) => r.map((c) => (c === null ? '' : typeof c === 'number' ? String(c) : neutralizeFormula(c))));

function withoutBom(text: string): string {
  expect(text.startsWith(CSV_BOM)).toBe(true);
  return text.slice(CSV_BOM.length);
}

const INDICATOR_PLAN: Plan = buildPlan({
  issues: [{
    number: 1, title: '地域コミュニティ', summary: '', strategies: [{
      number: '1-1', title: '戦略', description: '',
      outcomeIndicators: [{ id: 'ind-a', statement: '参加している区民の割合', unit: '%', direction: 'higher' }],
      initiatives: [{
        number: '1-1-1', title: '取組', budgetThousandYen: 1, cmBudgetThousandYen: null, description: '',
        processIndicators: [{ id: 'ind-b', statement: '講座の参加者数, "延べ"', unit: '人', direction: 'higher' }],
      }],
    }],
  }],
});

const MEASUREMENTS: OpenDataMeasurement[] = [
  { indicatorId: 'ind-b', date: '2017-09-30', value: 120, note: '上半期' },
  { indicatorId: 'ind-a', date: '2018-03-31', value: 55.5, source: '区民アンケート' },
  { indicatorId: 'ind-a', date: '2017-09-30', value: -5, note: '=HYPERLINK("http://x")' },
  { indicatorId: 'gone', date: '2017-10-01', value: 1 },
];

describe('initiatives CSV', () => {
  it('starts with a BOM and the stable Japanese header', () => {
    const text = initiativesCsv(buildPlan(), NISHI);
    const rows = readCsv(withoutBom(text));
    expect(rows[0]).toEqual([...INITIATIVE_COLUMNS]);
    expect(rows[0]).toEqual(['団体コード', '組織', '年度(西暦)', '年度(和暦)', '経営課題番号', '経営課題', '戦略番号', '戦略', '取組番号', '取組', '予算額(千円)', '区CM予算額(千円)']);
    expect(initiativesCsvHead() + initiativesCsvBody(buildPlan(), NISHI)).toBe(text);
  });

  it('has one row per initiative, budgets as plain integers in 千円 and empty when unknown, Japanese intact', () => {
    const rows = readCsv(withoutBom(initiativesCsv(buildPlan(), NISHI))).slice(1);
    expect(rows).toEqual([
      ['271063', '大阪市 西区', '2017', '平成29年度', '1', '地域コミュニティのさらなる活性化', '1-1', '地域活動協議会の活動支援', '1-1-1', '地域活動協議会の活動支援', '22268', ''],
      ['271063', '大阪市 西区', '2017', '平成29年度', '2', '安全・安心で快適なまちづくり', '2-1', '安心して子育てができる環境づくり', '2-1-2', '保育サービスの充実', '5697', ''],
      ['271063', '大阪市 西区', '2017', '平成29年度', '2', '安全・安心で快適なまちづくり', '2-4', '誰もが自分らしくいきいきと暮らせるまちづくり', '2-4-2', '地域における見守り活動の支援', '13667', '13738'],
      ['271063', '大阪市 西区', '2017', '平成29年度', '2', '安全・安心で快適なまちづくり', '2-4', '誰もが自分らしくいきいきと暮らせるまちづくり', '2-4-3', 'コンプライアンスの確保', '', ''],
    ]);
  });

  it('leaves the code empty when the organization has none, and names 令和 years', () => {
    const rows = readCsv(withoutBom(initiativesCsv(buildPlan({ fiscalYear: 2019 }), { code: null, name: '西区' }))).slice(1);
    expect(rows[0]!.slice(0, 4)).toEqual(['', '西区', '2019', '令和元年度']);
  });

  it('parses back to the same rows for generated plans (round trip)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const plan = generatePlan(seed);
      const rows = initiativeRows(plan, NISHI);
      expect(rows.length).toBe(plan.issues.reduce((n, i) => n + i.strategies.reduce((m, s) => m + s.initiatives.length, 0), 0));
      const read = readCsv(withoutBom(initiativesCsv(plan, NISHI)));
      expect(read).toEqual([[...INITIATIVE_COLUMNS], ...shown(rows)]);
      for (const r of read) expect(r).toHaveLength(INITIATIVE_COLUMNS.length);
    }
  });

  it('quotes commas, quotes and line breaks in titles per RFC 4180', () => {
    const plan = buildPlan();
    plan.issues[0]!.title = '見出し, "引用"\r\nと改行\n';
    const text = initiativesCsv(plan, NISHI);
    expect(text).toContain('"見出し, ""引用""\r\nと改行\n"');
    expect(readCsv(withoutBom(text))[1]![5]).toBe('見出し, "引用"\r\nと改行\n');
  });
});

describe('formula injection', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+81-6-0000', "'+81-6-0000"],
    ['-5', "'-5"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', '"\'\r=1"'],
    ['=cmd|\' /C calc\'!A0', "'=cmd|' /C calc'!A0"],
    ['1-1-1', '1-1-1'],
    ['安全=安心', '安全=安心'],
    ["'quoted", "'quoted"],
    ['', ''],
  ])('text %j is written as %j', (input, written) => {
    expect(csvField(input)).toBe(written);
  });

  it('writes numbers as numbers: a negative value stays a value, not text', () => {
    expect(csvField(-5)).toBe('-5');
    expect(csvField(0)).toBe('0');
    expect(csvField(null)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
  });

  it('neutralizes every dangerous title in a file and the file still parses back', () => {
    const plan = buildPlan();
    const titles = ['=1+1', '+', '-5', '@', '\tタブ', '\r改行'];
    plan.issues[1]!.strategies[1]!.initiatives = titles.map((title, k) => ({ number: `2-4-${k + 1}`, title, budgetThousandYen: null, cmBudgetThousandYen: null, description: '' }));
    const read = readCsv(withoutBom(initiativesCsv(plan, NISHI)));
    const cells = read.slice(-titles.length).map((r) => r[9]);
    expect(cells).toEqual(titles.map((t) => `'${t}`));
    expect(read).toEqual([[...INITIATIVE_COLUMNS], ...shown(initiativeRows(plan, NISHI))]);
  });
});

describe('measurements CSV', () => {
  it('has the stable header and one row per measurement, indicators in document order, oldest first', () => {
    const text = measurementsCsv(INDICATOR_PLAN, NISHI, MEASUREMENTS);
    const read = readCsv(withoutBom(text));
    expect(read[0]).toEqual([...MEASUREMENT_COLUMNS]);
    expect(read[0]).toEqual(['団体コード', '組織', '年度', '項目番号', '指標ID', '指標', '単位', '日付', '値', '備考', '出典']);
    expect(read.slice(1)).toEqual([
      ['271063', '大阪市 西区', '2017', '1-1', 'ind-a', '参加している区民の割合', '%', '2017-09-30', '-5', '\'=HYPERLINK("http://x")', ''],
      ['271063', '大阪市 西区', '2017', '1-1', 'ind-a', '参加している区民の割合', '%', '2018-03-31', '55.5', '', '区民アンケート'],
      ['271063', '大阪市 西区', '2017', '1-1-1', 'ind-b', '講座の参加者数, "延べ"', '人', '2017-09-30', '120', '上半期', ''],
    ]);
    expect(read.slice(1)).toEqual(shown(measurementRows(INDICATOR_PLAN, NISHI, MEASUREMENTS)));
  });

  it('is a header alone when the plan has no measurements', () => {
    expect(readCsv(withoutBom(measurementsCsv(buildPlan(), NISHI, [])))).toEqual([[...MEASUREMENT_COLUMNS]]);
  });
});
