import { describe, expect, it } from 'vitest';
import {
  formatCsvProblem, MAX_CSV_BYTES, MAX_CSV_ROWS, measurementsCsvTemplate, parseCsvDate, parseCsvNumber, readMeasurementsCsv, splitCsv, type CsvIndicator,
} from '../../../src/formats/csv/measurements.ts';

const INDICATORS: CsvIndicator[] = [
  { id: 'ind-a', label: '1-1 指標1', statement: '地域活動に参加している区民の割合' },
  { id: 'ind-b', label: '1-1-1 指標1', statement: '講座の参加者数' },
  { id: 'ind-c', label: '2-1 指標1', statement: '講座の参加者数' },
];

const utf8 = (s: string) => new TextEncoder().encode(s);
const read = (s: string, earliestDate?: string) => readMeasurementsCsv(utf8(s), INDICATORS, earliestDate ? { earliestDate } : {});
const messages = (r: ReturnType<typeof read>) => (r.ok ? [] : r.problems.map(formatCsvProblem));

/** Shift_JIS bytes of a string, through the one encoder the platform offers: a byte table from decoding every double-byte code. */
function shiftJis(s: string): Uint8Array {
  const table = new Map<string, number[]>();
  const dec = new TextDecoder('shift_jis');
  for (let hi = 0x81; hi <= 0xfc; hi++) {
    if (hi > 0x9f && hi < 0xe0) continue;
    for (let lo = 0x40; lo <= 0xfc; lo++) {
      const ch = dec.decode(new Uint8Array([hi, lo]));
      if (ch.length === 1 && ch !== '\uFFFD' && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  const out: number[] = [];
  for (const ch of s) out.push(...(ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : table.get(ch) ?? [0x3f]));
  return new Uint8Array(out);
}

describe('measurement CSV', () => {
  it('reads an Excel file: BOM, CRLF, Japanese headers, quoted fields, ids and labels', () => {
    const text = '\uFEFF指標ID,指標,日付,値,備考,出典\r\nind-a,,2017-09-30,34.1,"中間, 速報",区民アンケート\r\n,1-1-1 指標1,2017/10/1,"1,234",,\r\n,,,,,\r\n';
    const r = read(text);
    expect(r).toEqual({
      ok: true,
      measurements: [
        { indicatorId: 'ind-a', date: '2017-09-30', value: 34.1, line: 2, note: '中間, 速報', source: '区民アンケート' },
        { indicatorId: 'ind-b', date: '2017-10-01', value: 1234, line: 3 },
      ],
    });
  });

  it('reads Shift_JIS, full-width digits and 和暦 dates', () => {
    const r = readMeasurementsCsv(shiftJis('指標,日付,値\r\n地域活動に参加している区民の割合,平成29年9月30日,３４．５\r\n1-1 指標1,R1.5.1,△2\r\n'), INDICATORS);
    expect(r.ok && r.measurements.map((m) => [m.indicatorId, m.date, m.value])).toEqual([['ind-a', '2017-09-30', 34.5], ['ind-a', '2019-05-01', -2]]);
  });

  it('refuses a bad row naming line and column, and returns nothing from the file', () => {
    const r = read('指標ID,日付,値\nind-a,2017-09-30,1\nind-a,2017-09-30,abc\n');
    expect(r.ok).toBe(false);
    expect(messages(r)).toEqual(['3行目 値(C列): 「abc」は数値ではありません']);
  });

  it('names every kind of problem at its place', () => {
    const r = read('指標ID,指標,日付,値,備考\nnope,,2017-02-30,1e3,\n,講座の参加者数,2016-04-01,,\n,,2017-05-01,1,\n,1-9 指標1,2017-05-01,1,,x\n', '2017-04-01');
    expect(messages(r)).toEqual([
      '2行目 指標ID(A列): 指標ID「nope」はこの運営方針の指標にありません',
      '2行目 日付(C列): 「2017-02-30」は日付として読めません(2017-09-30 や 2017/9/30 のように書いてください)',
      '2行目 値(D列): 「1e3」は数値ではありません',
      expect.stringMatching(/^3行目 指標\(B列\): 指標「講座の参加者数」に当たる指標が2つあります/),
      '3行目 日付(C列): 2016-04-01 は計画の年度の始まり(2017-04-01)より前です',
      '3行目 値(D列): 値が空です',
      '4行目 指標ID(A列): 指標が空です',
      '5行目 F列: 見出しのない列に値「x」があります',
      expect.stringMatching(/^5行目 指標\(B列\): 指標「1-9 指標1」はこの運営方針の指標にありません/),
    ]);
  });

  it('refuses headers it does not know, and a header row without the needed columns', () => {
    expect(messages(read('指標ID,日付,値,金額\nind-a,2017-09-30,1,2\n'))).toEqual(['1行目 D列: 見出し「金額」は使えません(使える見出し: 指標ID、指標、日付、値、備考、出典)']);
    expect(messages(read('ind-a,2017-09-30,1\n'))[0]).toMatch(/^1行目 .*見出し/);
    expect(messages(read('指標ID,日付,値\n'))).toEqual(['取り込む測定値がありません(日付と値を書いた行がありません)']);
  });

  it('counts rows as Excel does when a quoted value holds a line break', () => {
    expect(messages(read('指標ID,日付,値,備考\nind-a,2017-09-30,1,"二行の\r\n備考"\nind-a,2017-09-30,x,\n'))).toEqual(['3行目 値(C列): 「x」は数値ではありません']);
    expect(messages(read('指標ID,日付,値\nind-a,2017-09-30,"1\n'))).toEqual(['2行目 C列: 「"」で始めた値が閉じられていません']);
    expect(messages(read('指標ID,日付,値\nind-a,2017-09-30,"1"2\n'))[0]).toMatch(/^2行目 C列: /);
  });

  it('is bounded in bytes and rows', () => {
    expect(messages(readMeasurementsCsv(new Uint8Array(MAX_CSV_BYTES + 1).fill(0x31), INDICATORS))[0]).toMatch(/大きすぎます/);
    const rows = 'ind-a,2017-09-30,1\n'.repeat(MAX_CSV_ROWS + 1);
    expect(messages(read(`指標ID,日付,値\n${rows}`))[0]).toMatch(/行が多すぎます/);
    expect(read(`指標ID,日付,値\n${'ind-a,2017-09-30,1\n'.repeat(MAX_CSV_ROWS)}`).ok).toBe(true);
    expect(messages(readMeasurementsCsv(new Uint8Array([0x25, 0x50, 0x44, 0x46, 1]), INDICATORS))[0]).toMatch(/PDF/);
  });

  it('offers a template that reads back (filled in) as what it lists', () => {
    const template = measurementsCsvTemplate(INDICATORS);
    expect(template.startsWith('\uFEFF指標ID,指標,日付,値,備考,出典\r\n')).toBe(true);
    expect(template.split('\r\n')).toHaveLength(INDICATORS.length + 2);
    expect(read(template).ok).toBe(false);
    const filled = template.replace('ind-b,1-1-1 指標1 講座の参加者数,,', 'ind-b,1-1-1 指標1 講座の参加者数,2017-06-30,12');
    expect(read(filled)).toEqual({ ok: true, measurements: [{ indicatorId: 'ind-b', date: '2017-06-30', value: 12, line: 3 }] });
    expect(measurementsCsvTemplate([{ id: 'x', label: '1 指標1', statement: '「"引用"」, と改行\nあり' }])).toContain('"1 指標1 「""引用""」, と改行\nあり"');
  });

  it('reads dates and numbers in the forms people type', () => {
    expect(['2017-09-30', '2017/9/30', '2017.9.30', '2017年9月30日', '平成29年9月30日', 'H29/9/30', '２０１７／９／３０'].map(parseCsvDate)).toEqual(Array(7).fill('2017-09-30'));
    expect(['令和元年5月1日', 'R1.5.1', '平成31年4月30日'].map(parseCsvDate)).toEqual(['2019-05-01', '2019-05-01', '2019-04-30']);
    expect(['2017-13-01', '2017/2/29', '9/30', '', '平成X年1月1日', '2017-09-30T00:00'].map(parseCsvDate)).toEqual(Array(6).fill(undefined));
    expect(['1,234.5', '１，２３４', '-3', '−3', '▲3', '.5', '+7'].map(parseCsvNumber)).toEqual([1234.5, 1234, -3, -3, -3, 0.5, 7]);
    expect(['1,23', 'abc', '1e3', 'Infinity', 'NaN', '12%', ''].map(parseCsvNumber)).toEqual(Array(7).fill(undefined));
  });

  it('splits RFC 4180 records', () => {
    expect(splitCsv('a,"b ""q""",c\n"x\ny",,').records).toEqual([{ line: 1, fields: ['a', 'b "q"', 'c'] }, { line: 2, fields: ['x\ny', '', ''] }]);
  });
});
