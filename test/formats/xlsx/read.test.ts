/**
 * Reading our own workbook back: render → read gives the same plan (hoshin-plan/2 JSON), edits
 * made as a person would in Excel are read, and bad files get a Japanese error at their sheet
 * and cell.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/domain/diagnostic.ts';
import type { Plan } from '../../../src/domain/plan.ts';
import { PLAN_FORMAT_2, toPlanJson } from '../../../src/formats/index.ts';
import { XLSX_LIMITS } from '../../../src/formats/xlsx/archive.ts';
import { readPlanXlsx } from '../../../src/formats/xlsx/read.ts';
import { renderPlanXlsx } from '../../../src/formats/xlsx/render.ts';
import { hostilePlan, pdcaPlan, seedPlan, thirtyIssuePlan } from './plans.ts';
import { writeZip } from '../../support/zip.ts';

/** A zip of these parts; text parts UTF-8 encoded. */
const zipOf = (parts: { name: string; data: Uint8Array | string; declaredSize?: number }[]) =>
  writeZip(parts.map((p) => ({ ...p, data: typeof p.data === 'string' ? new TextEncoder().encode(p.data) : p.data })));

const WHEN = new Date('2017-02-01T00:00:00Z');
const json = (plan: Plan | undefined) => plan && toPlanJson(plan, PLAN_FORMAT_2);

async function roundTrip(plan: Plan): Promise<{ plan?: Plan; diagnostics: Diagnostic[] }> {
  return readPlanXlsx(await renderPlanXlsx(plan, { creationDate: WHEN }));
}

/** The workbook opened, changed as a person would in Excel, and saved. */
async function edit(bytes: Uint8Array, change: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  change(wb);
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

function rowOf(ws: ExcelJS.Worksheet, text: string | number): number {
  for (let r = 1; r <= ws.rowCount; r++) if (ws.getCell(r, 1).value === text) return r;
  throw new Error(`no row ${String(text)}`);
}

const errors = (d: Diagnostic[]) => d.filter((x) => x.severity === 'error');

describe('render → read gives the plan back', () => {
  it.each([
    ['the seed', seedPlan],
    ['a generated 30-issue plan', thirtyIssuePlan],
    ['a plan with indicators, measurements and reviews', pdcaPlan],
    ['formula-like and escaped text, empty optional fields, an indicator without an id', hostilePlan],
  ])('%s', async (_, make) => {
    const plan = make();
    const read = await roundTrip(plan);
    expect(errors(read.diagnostics)).toEqual([]);
    expect(json(read.plan)).toEqual(json(plan));
  });

  it('keeps the ids, so a round trip through Excel edits the same items', async () => {
    const read = await roundTrip(pdcaPlan());
    expect(read.plan!.issues[0]!.id).toBe('issue-1');
    expect(read.plan!.issues[0]!.carriedFrom).toBe('issue-1-fy2016');
  });
});

describe('edits made in Excel are read', () => {
  let seedBytes: Uint8Array;
  beforeAll(async () => {
    seedBytes = await renderPlanXlsx(seedPlan(), { creationDate: WHEN });
  });

  it('a budget, a title, a new mission item, a typed-as-text budget (with a warning) and a dash for none', async () => {
    const bytes = await edit(seedBytes, (wb) => {
      const ws = wb.getWorksheet('様式2')!;
      ws.getCell(rowOf(ws, '1-1-1'), 8).value = 30000;
      ws.getCell(rowOf(ws, '2-1-2'), 2).value = '保育サービスの拡充';
      ws.getCell(rowOf(ws, '2-4-2'), 8).value = '１３,６６７';
      ws.getCell(rowOf(ws, '3-3-1'), 8).value = '-';
      const form1 = wb.getWorksheet('様式1')!;
      const policy = rowOf(form1, '平成29年度 区運営の基本的な考え方(区長の方針)');
      form1.getCell(policy - 1, 1).value = '新しい使命';
    });
    const read = await readPlanXlsx(bytes);
    expect(errors(read.diagnostics)).toEqual([]);
    const plan = read.plan!;
    expect(plan.issues[0]!.strategies[0]!.initiatives[0]!.budgetThousandYen).toBe(30000);
    expect(plan.issues[1]!.strategies[0]!.initiatives[0]!.title).toBe('保育サービスの拡充');
    expect(plan.issues[1]!.strategies[1]!.initiatives[0]!.budgetThousandYen).toBe(13667);
    expect(plan.issues[2]!.strategies[1]!.initiatives[0]!.budgetThousandYen).toBeNull();
    expect(plan.mission.at(-1)).toBe('新しい使命');
    expect(read.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', sheet: '様式2', cell: expect.stringMatching(/^H\d+$/) })]);
  });

  it('a rating changed from its dropdown, a measurement added on 測定値', async () => {
    const bytes = await edit(await renderPlanXlsx(pdcaPlan(), { creationDate: WHEN }), (wb) => {
      const ws = wb.getWorksheet('様式2')!;
      let r = 1;
      while (ws.getCell(r, 2).value !== '目標の達成見込み') r++;
      ws.getCell(r, 3).value = '②達成できない見込み';
      const m = wb.getWorksheet('測定値')!;
      const last = m.rowCount;
      m.getCell(last + 1, 5).value = m.getCell(last, 5).value;
      m.getCell(last + 1, 8).value = '2018/3/31';
      m.getCell(last + 1, 9).value = 99;
    });
    const read = await readPlanXlsx(bytes);
    expect(errors(read.diagnostics)).toEqual([]);
    expect(read.plan!.issues[0]!.strategies[0]!.reviews!.midYear!.achievement).toEqual({ scale: 'osaka-midyear-achievement', code: '②' });
    const all = JSON.stringify(read.plan);
    expect(all).toContain('{"date":"2018-03-31","value":99}');
  });
});

describe('bad files get a Japanese error at their sheet and cell', () => {
  let seedBytes: Uint8Array;
  beforeAll(async () => {
    seedBytes = await renderPlanXlsx(seedPlan(), { creationDate: WHEN });
  });

  it('not a zip, a cut-off zip', async () => {
    expect((await readPlanXlsx(new TextEncoder().encode('平成29年度 西区運営方針'))).diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', message: 'Excelブック(.xlsx)ではありません(zip形式のファイルではありません)' }),
    ]);
    const cut = await readPlanXlsx(seedBytes.subarray(0, 5000));
    expect(cut.plan).toBeUndefined();
    expect(cut.diagnostics[0]!.message).toMatch(/^Excelブック\(\.xlsx\)が壊れています/);
  });

  it('a file over the size limit, before anything is read', async () => {
    const big = new Uint8Array(XLSX_LIMITS.bytes + 1);
    big.set([0x50, 0x4b, 0x03, 0x04]);
    expect((await readPlanXlsx(big)).diagnostics[0]!.message).toMatch(/^ファイルが大きすぎます\(10\.0 MB、上限 10\.0 MB\)/);
  });

  it('a zip bomb: a part that inflates past its declared size, or declares too much', async () => {
    const bomb = zipOf([{ name: 'xl/worksheets/sheet1.xml', data: new Uint8Array(4 * 1024 * 1024), declaredSize: 1000 }]);
    expect(bomb.length).toBeLessThan(10_000);
    expect((await readPlanXlsx(bomb)).diagnostics[0]!.message).toBe('部品 xl/worksheets/sheet1.xml が申告より大きく展開されます(zip爆弾の疑いがあるため読み込みません)');
    const huge = zipOf([{ name: 'a.xml', data: 'x', declaredSize: XLSX_LIMITS.inflatedBytes + 1 }]);
    expect((await readPlanXlsx(huge)).diagnostics[0]!.message).toMatch(/^ブックの中身が大きすぎます/);
  });

  it('a sheet with too many rows, named, before exceljs loads it', async () => {
    const rows = Array.from({ length: XLSX_LIMITS.rows + 1 }, (_, i) => `<row r="${i + 1}"/>`).join('');
    const zip = zipOf([
      { name: 'xl/workbook.xml', data: '<workbook><sheets><sheet name="測定値" sheetId="1" r:id="rId1"/></sheets></workbook>' },
      { name: 'xl/_rels/workbook.xml.rels', data: '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>' },
      { name: 'xl/worksheets/sheet1.xml', data: `<worksheet><sheetData>${rows}</sheetData></worksheet>` },
    ]);
    expect((await readPlanXlsx(zip)).diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', message: 'シートの行が多すぎます(60,001行、上限 60,000行)', sheet: '測定値' }),
    ]);
  });

  it('a missing sheet', async () => {
    const bytes = await edit(seedBytes, (wb) => wb.removeWorksheet(wb.getWorksheet('様式2')!.id));
    const read = await readPlanXlsx(bytes);
    expect(read.plan).toBeUndefined();
    expect(read.diagnostics).toEqual([expect.objectContaining({ severity: 'error', sheet: '様式2', message: expect.stringMatching(/^シート「様式2」がありません/) })]);
  });

  it('a budget cell that is text, a formula, a date', async () => {
    let rows: number[] = [];
    const bytes = await edit(seedBytes, (wb) => {
      const ws = wb.getWorksheet('様式2')!;
      rows = ['1-1-1', '2-1-2', '2-4-2'].map((n) => rowOf(ws, n));
      ws.getCell(rows[0]!, 8).value = '二万円';
      ws.getCell(rows[1]!, 8).value = { formula: '1000*2', result: 2000 } as ExcelJS.CellFormulaValue;
      // Excel gives a cell a date format when a date is typed into it.
      ws.getCell(rows[2]!, 9).value = new Date(Date.UTC(2017, 0, 1));
      // (a style of its own: exceljs shares one style object between the cells that had it)
      ws.getCell(rows[2]!, 9).style = { ...ws.getCell(rows[2]!, 9).style, numFmt: 'yyyy/m/d' };
    });
    const read = await readPlanXlsx(bytes);
    expect(read.plan).toBeUndefined();
    expect(errors(read.diagnostics)).toEqual([
      expect.objectContaining({ sheet: '様式2', cell: `H${rows[0]}`, message: '具体的取組1-1-1の予算額は数値(千円単位)で入力してください(「二万円」は数値ではありません)', field: 'issues[0].strategies[0].initiatives[0].budgetThousandYen' }),
      expect.objectContaining({ sheet: '様式2', cell: `H${rows[1]}`, message: '具体的取組2-1-2の予算額に数式は使えません。数値を直接入力してください' }),
      expect.objectContaining({ sheet: '様式2', cell: `I${rows[2]}`, message: '具体的取組2-4-2の区CM予算額が日付になっています。数値(千円単位)で入力してください' }),
    ]);
  });

  it('a budget out of range, found by validatePlan, at its cell', async () => {
    let row = 0;
    const bytes = await edit(seedBytes, (wb) => {
      const ws = wb.getWorksheet('様式2')!;
      row = rowOf(ws, '3-2-1');
      ws.getCell(row, 8).value = -5;
    });
    expect(errors((await readPlanXlsx(bytes)).diagnostics)).toEqual([
      expect.objectContaining({ sheet: '様式2', cell: `H${row}`, message: '具体的取組3-2-1の予算額は0以上の数で入力してください(現在 -5)' }),
    ]);
  });

  it('numbers out of order: an initiative under the wrong strategy (error), issues backwards (warning), a number Excel turned into a date', async () => {
    let rows: Record<string, number> = {};
    const bytes = await edit(seedBytes, (wb) => {
      const ws = wb.getWorksheet('様式2')!;
      rows = { init: rowOf(ws, '1-1-1'), issue2: rowOf(ws, 2), strategy: rowOf(ws, '3-3') };
      ws.getCell(rows.init!, 1).value = '1-2-1';
      ws.getCell(rows.issue2!, 1).value = 0;
      ws.getCell(rows.strategy!, 1).value = new Date(Date.UTC(2001, 2, 3));
      ws.getCell(rows.strategy!, 1).style = { ...ws.getCell(rows.strategy!, 1).style, numFmt: 'm/d' };
    });
    const read = await readPlanXlsx(bytes);
    expect(read.plan).toBeUndefined();
    expect(read.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ severity: 'error', sheet: '様式2', cell: `A${rows.init}`, message: '具体的取組1-2-1は戦略1-2の番号ですが、戦略1-1の下にあります' }),
        expect.objectContaining({ severity: 'warning', sheet: '様式2', cell: `A${rows.issue2}`, message: '経営課題0が経営課題1の後にあります(番号の順序が逆です)' }),
        expect.objectContaining({ severity: 'error', sheet: '様式2', cell: `A${rows.issue2}`, message: '経営課題の番号 0 は1以上の整数でなければなりません' }),
        expect.objectContaining({ severity: 'error', sheet: '様式2', cell: `A${rows.strategy}`, message: expect.stringMatching(/^番号が日付になっています/) }),
      ]),
    );
  });

  it('a measurement of an indicator the plan does not have, a value that is text', async () => {
    const bytes = await edit(await renderPlanXlsx(pdcaPlan(), { creationDate: WHEN }), (wb) => {
      const m = wb.getWorksheet('測定値')!;
      m.getCell('E2').value = 'no-such-indicator';
      m.getCell('I3').value = '多い';
    });
    expect(errors((await readPlanXlsx(bytes)).diagnostics)).toEqual([
      expect.objectContaining({ sheet: '測定値', cell: 'E2', message: '指標ID「no-such-indicator」の指標が様式2・様式3にありません' }),
      expect.objectContaining({ sheet: '測定値', cell: 'I3', message: '値は数値で入力してください' }),
    ]);
  });

  it('an unknown rating, a bad direction and a bad date of an indicator point', async () => {
    let at: Record<string, string> = {};
    const bytes = await edit(await renderPlanXlsx(pdcaPlan(), { creationDate: WHEN }), (wb) => {
      const ws = wb.getWorksheet('様式2')!;
      let r = 1;
      while (ws.getCell(r, 2).value !== '取組内容の実施見込み') r++;
      ws.getCell(r, 3).value = '(ⅲ)たぶん';
      let h = 1;
      while (ws.getCell(h, 1).value !== 'アウトカム指標') h++;
      ws.getCell(h + 3, 4).value = '上がる';
      ws.getCell(h + 3, 5).value = '去年';
      at = { rating: `C${r}`, direction: `D${h + 3}`, when: `E${h + 3}` };
    });
    expect(errors((await readPlanXlsx(bytes)).diagnostics)).toEqual([
      expect.objectContaining({ sheet: '様式2', cell: at.direction, message: '指標の方向は「高いほど良い」か「低いほど良い」のいずれかです' }),
      expect.objectContaining({ sheet: '様式2', cell: at.when, message: '基準値の時点「去年」は「2019年度」か「2019-03-31」の形で入力してください' }),
      expect.objectContaining({ sheet: '様式2', cell: at.rating, message: '評価「(ⅲ)たぶん」は評価区分「osaka-midyear-implementation」のコード((ⅰ)、(ⅱ))で始めてください' }),
    ]);
  });
});
