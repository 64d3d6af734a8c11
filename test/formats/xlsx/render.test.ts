/**
 * The workbook as Excel sees it, reopened with exceljs: the 様式 sheets' cells, merges, number
 * formats and print setup, the flat sheets' rows against the open-data CSV's, and text that
 * looks like a formula kept as text.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/domain/plan.ts';
import { INITIATIVE_COLUMNS, initiativeRows, MEASUREMENT_COLUMNS, measurementRows, type OpenDataMeasurement } from '../../../src/formats/csv/open-data.ts';
import { renderPlanXlsx } from '../../../src/formats/xlsx/render.ts';
import { hostilePlan, pdcaPlan, seedPlan, thirtyIssuePlan } from './plans.ts';
import { zipText } from '../../support/zip.ts';

const NISHI = { code: '271063', name: '大阪市 西区' };
const WHEN = new Date('2017-02-01T00:00:00Z');

async function open(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

/** The first row whose column A shows `text`. */
function rowOf(ws: ExcelJS.Worksheet, text: string | number, column = 1): number {
  for (let r = 1; r <= ws.rowCount; r++) if (ws.getCell(r, column).value === text) return r;
  throw new Error(`no row with ${String(text)} in ${ws.name}`);
}

const merges = (ws: ExcelJS.Worksheet) => new Set((ws.model as unknown as { merges: string[] }).merges);

let seed: Plan;
let seedBook: ExcelJS.Workbook;
let pdca: Plan;
let pdcaBook: ExcelJS.Workbook;

beforeAll(async () => {
  seed = seedPlan();
  pdca = pdcaPlan();
  seedBook = await open(await renderPlanXlsx(seed, { organization: NISHI, creationDate: WHEN }));
  pdcaBook = await open(await renderPlanXlsx(pdca, { organization: NISHI, creationDate: WHEN }));
});

describe('the workbook', () => {
  it('has a sheet per 様式, then the flat sheets, and names its author and date', () => {
    expect(seedBook.worksheets.map((w) => w.name)).toEqual(['様式1', '様式2', '様式3', '自己評価', '取組一覧', '測定値']);
    expect(pdcaBook.worksheets.map((w) => w.name)).toEqual(['様式1', '様式2', '様式3', '自己評価', '取組一覧', '測定値', '評価区分']);
    expect(seedBook.creator).toBe('大阪市 西区');
    expect(seedBook.title).toBe('平成29年度 西区運営方針(案)');
    expect(seedBook.created?.toISOString()).toBe(WHEN.toISOString());
  });

  it('prints every 様式 sheet on A4 portrait, one page wide, with the header rows repeated and page numbers', () => {
    for (const name of ['様式1', '様式2', '様式3', '自己評価']) {
      const ws = sheet(seedBook, name);
      expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
      expect(ws.pageSetup.margins).toMatchObject({ left: 0.5, right: 0.5 });
      expect(ws.headerFooter.oddFooter).toBe('&C&9&P / &N');
      expect(ws.headerFooter.oddHeader).toContain('平成29年度 西区運営方針(案)');
      expect(ws.getColumn(10).hidden).toBe(true);
      expect(ws.getColumn(11).hidden).toBe(true);
      expect(ws.getColumn(3).width).toBe(26);
    }
    expect(sheet(seedBook, '様式2').pageSetup.printTitlesRow).toBe('2:2');
    expect(sheet(seedBook, '様式2').pageSetup.printArea).toBe(`A1:I${sheet(seedBook, '様式2').rowCount}`);
    expect(sheet(seedBook, '様式3').pageSetup.printTitlesRow).toBe('3:3');
  });
});

describe('様式1', () => {
  it('has the title, the head and the plan head as labelled cells', () => {
    const ws = sheet(seedBook, '様式1');
    expect(ws.getCell('A2').value).toBe('平成29年度 西区運営方針(案)');
    expect(merges(ws).has('A2:I2')).toBe(true);
    expect(ws.getCell('A3').value).toBe('(区長:高野 賢)');
    const fy = rowOf(ws, '年度');
    expect(ws.getCell(fy, 3).value).toBe(2017);
    expect(ws.getCell(fy, 3).numFmt).toBe('0"年度"');
    expect(ws.getCell(fy, 6).value).toBe('(平成29年度)');
    expect(ws.getCell(rowOf(ws, '組織'), 3).value).toBe('西区');
    expect(ws.getCell(rowOf(ws, '状態'), 3).value).toBe('案');
  });

  it('has the goal, one row per mission item with a bullet format, and the policy a paragraph a row', () => {
    const ws = sheet(seedBook, '様式1');
    const goal = rowOf(ws, '区の目標(何をめざすのか)');
    expect(ws.getCell(goal + 1, 1).value).toBe(seed.goal);
    const mission = rowOf(ws, '区の使命(どのような役割を担うのか)');
    seed.mission.forEach((m, i) => {
      expect(ws.getCell(mission + 1 + i, 1).value).toBe(m);
      expect(ws.getCell(mission + 1 + i, 1).numFmt).toBe('"・"@');
      expect(merges(ws).has(`A${mission + 1 + i}:I${mission + 1 + i}`)).toBe(true);
    });
    const policy = rowOf(ws, '平成29年度 区運営の基本的な考え方(区長の方針)');
    expect([ws.getCell(policy + 1, 1).value, ws.getCell(policy + 2, 1).value].join('\n')).toBe(seed.policy);
  });

  it('lists the 経営課題 as references into 様式2 with their totals', () => {
    const ws = sheet(seedBook, '様式1');
    const first = rowOf(ws, '経営課題・戦略') + 1;
    expect(ws.getCell(first, 1).value).toMatchObject({ formula: "'様式2'!A3", result: 1 });
    expect(ws.getCell(first, 1).numFmt).toBe('"経営課題"0');
    expect((ws.getCell(first, 3).value as { result: string }).result).toBe('地域コミュニティのさらなる活性化');
    expect((ws.getCell(first, 8).value as { result: number }).result).toBe(22268);
    const total = rowOf(ws, '合計');
    expect((ws.getCell(total, 8).value as { result: number }).result).toBe(22268 + 5697 + 13667 + 46 + 17015);
  });
});

describe('様式2', () => {
  it('has the column header repeated on each page, an issue per block with its number formatted 経営課題N', () => {
    const ws = sheet(seedBook, '様式2');
    expect([1, 2, 3, 8, 9].map((c) => ws.getCell(2, c).value)).toEqual(['番号', '名称', '経営課題の概要・戦略・取組の内容', '29年度予算額\n(千円)', '29年度区CM\n予算額(千円)']);
    expect(ws.getCell('A3').value).toBe(1);
    expect(ws.getCell('A3').numFmt).toBe('"経営課題"0');
    expect(ws.getCell('C3').value).toBe('地域コミュニティのさらなる活性化');
    expect(merges(ws).has('A3:B3')).toBe(true);
    expect(merges(ws).has('C3:I3')).toBe(true);
    expect(ws.getCell('A4').value).toBe('経営課題の概要');
    expect(ws.getCell('C4').value).toBe(seed.issues[0]!.summary);
    expect(ws.getCell('C4').alignment).toMatchObject({ wrapText: true, vertical: 'top' });
    expect(ws.getRow(4).height).toBeGreaterThan(15);
  });

  it('has strategies and initiatives with budgets in 千円 (#,##0), "-" for none, and totals as SUM with their results', () => {
    const ws = sheet(seedBook, '様式2');
    const s = rowOf(ws, '2-4');
    expect(ws.getCell(s, 2).value).toBe('誰もが自分らしくいきいきと暮らせるまちづくり');
    expect(merges(ws).has(`C${s}:G${s}`)).toBe(true);
    const i = rowOf(ws, '2-4-2');
    expect(ws.getCell(i, 8).value).toBe(13667);
    expect(ws.getCell(i, 8).numFmt).toBe('#,##0');
    expect(ws.getCell(i, 9).value).toBe(13738);
    const none = rowOf(ws, '4-2-2');
    expect(ws.getCell(none, 8).value).toBe('-');
    expect(ws.getCell(none, 9).value).toBeNull();
    const total = rowOf(ws, '経営課題2 計');
    expect(ws.getCell(total, 8).value).toEqual({ formula: `SUM(H${rowOf(ws, 2) + 1}:H${total - 1})`, result: 5697 + 13667 });
    expect(ws.getCell(total, 9).value).toMatchObject({ result: 13738 });
    expect(ws.getCell(rowOf(ws, '合計'), 8).value).toMatchObject({ result: 22268 + 5697 + 13667 + 46 + 17015 });
  });

  it('shows indicators with baseline, target and the latest measurement, and reviews with their rating labels', () => {
    const ws = sheet(pdcaBook, '様式2');
    const strategy = rowOf(ws, '1-1');
    // The strategy's outcome indicator: the first indicator header after the strategy row.
    let h = strategy + 1;
    while (ws.getCell(h, 1).value !== 'アウトカム指標') h++;
    expect(merges(ws).has(`A${h}:B${h + 1}`)).toBe(true);
    expect([3, 4, 5, 6, 7, 8].map((c) => ws.getCell(h, c).value)).toEqual(['指標', '単位', '基準値', '目標値', '最新値', '出典']);
    const r = h + 2;
    const indicator = pdca.issues[0]!.strategies[0]!.outcomeIndicators![0]!;
    expect(ws.getCell(r, 3).value).toBe(indicator.statement);
    expect(merges(ws).has(`C${r}:C${r + 1}`)).toBe(true);
    expect([ws.getCell(r, 4).value, ws.getCell(r, 5).value, ws.getCell(r, 6).value, ws.getCell(r, 7).value]).toEqual(['%', 41.2, 50, 46.8]);
    expect([ws.getCell(r + 1, 4).value, ws.getCell(r + 1, 5).value, ws.getCell(r + 1, 6).value, ws.getCell(r + 1, 7).value]).toEqual(['高いほど良い', '2016年度', '2017年度', '2018-03-31']);
    expect(ws.getCell(r, 10).value).toBe(indicator.id);
    const mid = rowOf(ws, '取組内容の実施見込み', 2);
    expect(ws.getCell(mid, 3).value).toBe('(ⅰ)実施見込み');
    expect(ws.getCell(mid, 10).value).toBe('osaka-midyear-implementation');
    expect(ws.getCell(mid, 3).dataValidation).toMatchObject({ type: 'list', formulae: ["'評価区分'!$E$2:$E$3"] });
    expect(ws.getCell(rowOf(ws, '中間振り返り', 2), 2).value).toBe('中間振り返り');
  });

  it('keeps item ids and last year\'s ids in the hidden columns', () => {
    const ws = sheet(pdcaBook, '様式2');
    expect(ws.getCell('J3').value).toBe('issue-1');
    expect(ws.getCell('K3').value).toBe('issue-1-fy2016');
    expect(ws.getCell(rowOf(ws, '1-1'), 10).value).toBe('strategy-1-1');
  });

  it('starts each issue on a new page', async () => {
    const bytes = await renderPlanXlsx(thirtyIssuePlan(), { creationDate: WHEN });
    const ws = sheet(await open(bytes), '様式2');
    const issueRows: number[] = [];
    for (let r = 3; r <= ws.rowCount; r++) if (typeof ws.getCell(r, 1).value === 'number') issueRows.push(r);
    expect(issueRows).toHaveLength(30);
    // exceljs does not read page breaks back: the sheet's XML says where they are (after the row before each issue).
    const xml = zipText(bytes, 'xl/worksheets/sheet2.xml')!;
    const breaks = [...xml.matchAll(/<brk id="(\d+)"/g)].map((m) => Number(m[1]));
    expect(breaks).toEqual(issueRows.slice(1).map((r) => r - 1));
  });
});

describe('様式3 and 自己評価', () => {
  it('has the plan name and one row per item', () => {
    const ws = sheet(seedBook, '様式3');
    expect(ws.getCell('A1').value).toBe('「市政改革プラン2.0」に基づく取組等(様式3)');
    expect(ws.getCell('C2').value).toBe('市政改革プラン2.0');
    expect([ws.getCell('A4').value, ws.getCell('B4').value, ws.getCell('C4').value]).toEqual([1, '未収金対策の強化', seed.reform!.items[0]!.content]);
    expect(merges(ws).has('C4:I4')).toBe(true);
  });

  it('has the self-evaluation headings, and the newer forms\' ones only when the plan has them', () => {
    const seedSelf = sheet(seedBook, '自己評価');
    expect(seedSelf.getCell('A2').value).toBe('1年間の取組成果と今後取り組みたいこと');
    const labels = (ws: ExcelJS.Worksheet) => {
      const out: unknown[] = [];
      for (let r = 1; r <= ws.rowCount; r++) if (ws.getCell(r, 10).value) out.push(ws.getCell(r, 1).value);
      return out;
    };
    expect(labels(seedSelf)).toEqual(['1年間の取組成果と今後取り組みたいこと', '解決すべき課題と今後の改善方向']);
    expect(labels(sheet(pdcaBook, '自己評価'))).toHaveLength(5);
  });
});

describe('the flat sheets', () => {
  const values = (ws: ExcelJS.Worksheet) => {
    const rows: unknown[][] = [];
    for (let r = 1; r <= ws.rowCount; r++) rows.push(Array.from({ length: ws.columnCount }, (_, c) => ws.getCell(r, c + 1).value));
    return rows;
  };

  it('取組一覧 is the open-data CSV\'s rows as an Excel table with filters and a frozen header', async () => {
    const ws = sheet(seedBook, '取組一覧');
    const rows = values(ws);
    expect(rows[0]).toEqual([...INITIATIVE_COLUMNS]);
    expect(rows.slice(1)).toEqual(initiativeRows(seed, NISHI));
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    // exceljs reads tables back only partly: the table's own XML says its range and filter.
    const xml = zipText(await renderPlanXlsx(seed, { organization: NISHI, creationDate: WHEN }), 'xl/tables/table1.xml')!;
    expect(xml).toContain(`name="Initiatives" displayName="Initiatives" ref="A1:L${initiativeRows(seed, NISHI).length + 1}"`);
    expect(xml).toContain(`<autoFilter ref="A1:L${initiativeRows(seed, NISHI).length + 1}">`);
    expect(ws.getCell('K2').numFmt).toBe('#,##0');
  });

  it('測定値 is one row per measurement, dates as dates', () => {
    const ws = sheet(pdcaBook, '測定値');
    const rows = values(ws);
    expect(rows[0]).toEqual([...MEASUREMENT_COLUMNS]);
    const measurements: OpenDataMeasurement[] = [];
    const expected = measurementRows(pdca, NISHI, collect(pdca, measurements));
    expect(rows.slice(1).map((r) => r.map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v)))).toEqual(expected);
    expect(ws.getCell('H2').numFmt).toBe('yyyy-mm-dd');
  });
});

function collect(plan: Plan, out: OpenDataMeasurement[]): OpenDataMeasurement[] {
  const visit = (list: { id?: string; measurements?: { date: string; value: number; note?: string; source?: string }[] }[] | undefined) => {
    for (const i of list ?? []) for (const m of i.measurements ?? []) out.push({ indicatorId: i.id!, ...m });
  };
  for (const issue of plan.issues) {
    visit(issue.outcomeIndicators);
    for (const s of issue.strategies) {
      visit(s.outcomeIndicators);
      for (const i of s.initiatives) visit(i.processIndicators);
    }
  }
  for (const item of plan.reform?.items ?? []) visit(item.indicators);
  return out;
}

describe('formula injection', () => {
  it('writes every text as a string cell, formula-like ones with the Text format, and no formula but our totals and references', async () => {
    const plan = hostilePlan();
    const wb = await open(await renderPlanXlsx(plan, { creationDate: WHEN }));
    const form2 = sheet(wb, '様式2');
    expect(form2.getCell('C3').value).toBe('=HYPERLINK("http://example.com","x")');
    expect(form2.getCell('C3').type).toBe(ExcelJS.ValueType.String);
    expect(form2.getCell('C3').numFmt).toBe('@');
    // Over 255 characters Excel would show a Text-formatted cell as ####: left General.
    expect(form2.getCell('C4').value).toBe(plan.issues[0]!.summary);
    expect(form2.getCell('C4').numFmt).toBeUndefined();
    const form1 = sheet(wb, '様式1');
    const mission = rowOf(form1, '-ハイフンで始まる');
    expect(form1.getCell(mission, 1).numFmt).toBe('@');
    expect(form1.getCell(mission + 2, 1).value).toBe('_x0041_ はそのまま');
    expect(form1.getCell(mission + 3, 1).value).toBe('\t先頭がタブ');
    expect(sheet(wb, '測定値').getCell('J2').value).toBe('=備考');
    for (const ws of wb.worksheets) {
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.type !== ExcelJS.ValueType.Formula) return;
          expect(cell.formula, `${ws.name}!${cell.address}`).toMatch(/^(SUM\([A-Z0-9:,]*\)|0|'様式2'![A-I]\d+)$/);
        }),
      );
    }
  });
});
