/**
 * A plan as an Excel workbook in the city's 様式 layout (docs/official-xlsx.md): 様式1 (the
 * head of the plan and the list of 経営課題), 様式2 (each 経営課題 with its strategies,
 * initiatives, budgets and totals, indicators and reviews), 様式3 (市政改革), 自己評価, and two
 * flat sheets for pivoting (取組一覧 and 測定値, the open-data CSV's columns as Excel tables).
 * Pure: the plan in, the bytes out; readPlanXlsx (read.ts) reads the same cells back.
 *
 * Text is always written as string cells, never as formulas: Excel evaluates nothing on
 * opening. A text that would become a formula if a person re-entered it gets the Text number
 * format as well. The only formulas are our own totals and references.
 */
import ExcelJS from 'exceljs';
import { issueBudgetTotal } from '../../domain/budget.ts';
import { formatFiscalYearJapanese, formatShortFiscalYear } from '../../domain/fiscal-year.ts';
import { planIndicators } from '../../domain/pdca/due.ts';
import { ratingLabel } from '../../domain/pdca/review-rules.ts';
import type { Indicator, IndicatorPoint, Initiative, ManagementIssue, Plan, Rating, RatingScales, Reviews, Strategy } from '../../domain/plan.ts';
import {
  initiativeRows, INITIATIVE_COLUMNS, MEASUREMENT_COLUMNS, measurementRows, type CsvCell, type OpenDataMeasurement, type OpenDataOrganization,
} from '../csv/open-data.ts';
import {
  COL_CARRIED, COL_ID, DIRECTION_LABEL, escapeCellText, GRID_WIDTHS, LABEL, LAST_VISIBLE, rowHeightFor, SELF_EVALUATION_FIELDS,
  SELF_EVALUATION_LABELS, SHEET, spanWidth, startsLikeFormula, STATUS_LABEL, TEXT_FORMAT_MAX, wrappedLines,
} from './layout.ts';

export interface PlanXlsxOptions {
  /** Who the plan belongs to, for the flat sheets' 団体コード and 組織; default: no code, the plan's organization. */
  organization?: OpenDataOrganization;
  /** The workbook's created/modified date; default now. Tests pass a fixed one. */
  creationDate?: Date;
}

type Sheet = ExcelJS.Worksheet;
type Style = Partial<ExcelJS.Style>;

/** BIZ UD: the universal-design face Japanese public offices use, shipped with Windows 10 and later. */
const FONT = 'BIZ UDPGothic';
const BLACK = { argb: 'FF000000' };
const THIN: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF7F7F7F' } };
const BOX: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const fill = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });
const FILL = {
  issue: fill('FFD9E1F2'),
  label: fill('FFEDF2F9'),
  header: fill('FFDDEBF7'),
  strategy: fill('FFF2F2F2'),
  total: fill('FFFFF2CC'),
};
const BUDGET_FORMAT = '#,##0';

function font(size = 10, bold = false): Partial<ExcelJS.Font> {
  return { name: FONT, size, bold, color: BLACK };
}

/** A cell's content as we write it: text, a number, a formula with its computed result, or nothing. */
type Content = string | number | null | { formula: string; result: number | string };

/**
 * Writes one sheet of the grid: cells with their style, merges, and row heights grown to fit
 * wrapped text (neither Excel nor LibreOffice grows a row for a merged cell by itself).
 */
class GridWriter {
  row = 1;
  constructor(readonly ws: Sheet) {}

  put(r: number, c: number, content: Content, style: Style = {}): ExcelJS.Cell {
    const cell = this.ws.getCell(r, c);
    if (typeof content === 'string') {
      cell.value = escapeCellText(content);
      if (startsLikeFormula(content) && content.length <= TEXT_FORMAT_MAX) style = { ...style, numFmt: '@' };
    } else if (content !== null) {
      cell.value = content;
    }
    cell.style = { font: font(), alignment: { vertical: 'top', wrapText: true }, ...style };
    return cell;
  }

  /** Content in a merged range r1:c1..r2:c2 (the top-left cell holds it); borders on every cell of the range. */
  span(r1: number, c1: number, r2: number, c2: number, content: Content, style: Style = {}): ExcelJS.Cell {
    for (let r = r1; r <= r2; r++) for (let c = c1; c <= c2; c++) if (r !== r1 || c !== c1) this.ws.getCell(r, c).style = { border: style.border, fill: style.fill };
    if (r1 !== r2 || c1 !== c2) this.ws.mergeCells(r1, c1, r2, c2);
    return this.put(r1, c1, content, style);
  }

  /** Grow rows r1..r2 together so a text in columns c1..c2 shows whole. */
  fit(r1: number, r2: number, c1: number, c2: number, text: string, fontSize = 10): void {
    const need = rowHeightFor(wrappedLines(text, spanWidth(c1, c2), fontSize), fontSize);
    const rows = r2 - r1 + 1;
    for (let r = r1; r <= r2; r++) {
      const row = this.ws.getRow(r);
      row.height = Math.max(row.height ?? 0, Math.ceil(need / rows));
    }
  }

  hidden(r: number, id: string | undefined, carried?: string): void {
    if (id !== undefined) this.ws.getCell(r, COL_ID).value = escapeCellText(id);
    if (carried !== undefined) this.ws.getCell(r, COL_CARRIED).value = escapeCellText(carried);
  }
}

function gridColumns(ws: Sheet): void {
  GRID_WIDTHS.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  ws.getColumn(COL_ID).hidden = true;
  ws.getColumn(COL_CARRIED).hidden = true;
}

/** Header and footer text: & is the codes' escape character. */
const hf = (s: string) => s.replace(/&/g, '&&');

function printSetup(ws: Sheet, title: string, form: string, lastRow: number, titleRows?: string): void {
  ws.pageSetup = {
    printArea: `A1:I${lastRow}`,
    paperSize: 9, // A4
    orientation: 'portrait',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.75, bottom: 0.6, header: 0.3, footer: 0.3 },
    ...(titleRows ? { printTitlesRow: titleRows } : {}),
  };
  ws.headerFooter = { oddHeader: `&L&9${hf(title)}&R&9${hf(form)}`, oddFooter: '&C&9&P / &N' };
}

function planTitle(plan: Plan): string {
  return `${formatFiscalYearJapanese(plan.fiscalYear)} ${plan.organization}運営方針${plan.documentStatus === 'draft' ? '(案)' : ''}`;
}

/** 区, or 局/室/所 for a bureau, as the text layout names the head (区長, 局長…). */
function orgWord(organization: string): string {
  const last = organization.at(-1) ?? '';
  return last !== '' && '局室所'.includes(last) ? last : '区';
}

function pointWhen(p: IndicatorPoint | null | undefined): string {
  if (!p) return '';
  return [p.fiscalYear !== undefined ? `${p.fiscalYear}年度` : '', p.date ?? ''].filter((s) => s !== '').join(' ');
}

/** The newest measurement: latest date, the last given of that date. */
function latest(indicator: Indicator): { value: number; date: string } | undefined {
  let best: { value: number; date: string } | undefined;
  for (const m of indicator.measurements ?? []) if (!best || m.date >= best.date) best = { value: m.value, date: m.date };
  return best;
}

// ---------------------------------------------------------------- 様式1

function renderForm1(ws: Sheet, plan: Plan, form2Refs: Form2Refs): void {
  gridColumns(ws);
  const g = new GridWriter(ws);
  const org = orgWord(plan.organization);
  const fy = formatFiscalYearJapanese(plan.fiscalYear);
  const labelStyle: Style = { font: font(10, true), fill: FILL.label, border: BOX, alignment: { vertical: 'middle', wrapText: true } };
  const valueStyle: Style = { border: BOX };

  g.span(2, 1, 2, LAST_VISIBLE, planTitle(plan), { font: font(14, true), alignment: { horizontal: 'center', vertical: 'middle' } });
  ws.getRow(2).height = 28;
  if (plan.head !== null) g.span(3, 1, 3, LAST_VISIBLE, `(${org}長:${plan.head})`, { alignment: { horizontal: 'right' } });

  // The head of the plan as labelled cells: what the title says, in cells a person can edit.
  let r = 5;
  const info = (tag: string, label: string, value: Content, style: Style = {}) => {
    g.span(r, 1, r, 2, label, labelStyle);
    g.span(r, 3, r, 5, value, { ...valueStyle, ...style });
    g.hidden(r, tag);
    r++;
  };
  info('organization', '組織', plan.organization);
  info('fiscalYear', '年度', plan.fiscalYear, { numFmt: '0"年度"', alignment: { horizontal: 'left' } });
  g.span(r - 1, 6, r - 1, 7, `(${fy})`, {});
  info('head', `${org}長`, plan.head);
  info('documentStatus', '状態', STATUS_LABEL[plan.documentStatus] ?? plan.documentStatus);
  ws.getCell(r - 1, 3).dataValidation = { type: 'list', allowBlank: false, formulae: [`"${STATUS_LABEL.draft},${STATUS_LABEL.final}"`] };

  r++;
  g.span(r, 1, r, LAST_VISIBLE, '◆計画', { font: font(12, true) });
  r++;
  const section = (tag: string, label: string, lines: string[], numFmt?: string) => {
    g.span(r, 1, r, LAST_VISIBLE, label, { ...labelStyle, font: font(11, true) });
    g.hidden(r, tag);
    ws.getRow(r).height = 20;
    r++;
    for (const line of lines) {
      g.span(r, 1, r, LAST_VISIBLE, line, { border: BOX, ...(numFmt ? { numFmt } : {}) });
      g.fit(r, r, 1, LAST_VISIBLE, numFmt ? `・${line}` : line);
      r++;
    }
  };
  section('goal', `${org}の目標(何をめざすのか)`, plan.goal.split('\n'));
  section('mission', `${org}の使命(どのような役割を担うのか)`, plan.mission, '"・"@');
  section('policy', `${fy} ${org}運営の基本的な考え方(${org}長の方針)`, plan.policy.split('\n'));

  // The list of 経営課題: references into 様式2, so it follows edits there. The reader skips it.
  r++;
  g.span(r, 1, r, LAST_VISIBLE, '重点的に取り組む主な経営課題(様式2)', { ...labelStyle, font: font(11, true) });
  g.hidden(r, 'issues');
  r++;
  const head: Style = { font: font(9, true), fill: FILL.header, border: BOX, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } };
  g.span(r, 1, r, 2, '経営課題・戦略', head);
  g.span(r, 3, r, 7, '名称', head);
  g.span(r, 8, r, 9, `${formatShortFiscalYear(plan.fiscalYear)}予算額(千円)`, head);
  r++;
  const ref = (cell: string) => `'${SHEET.form2}'!${cell}`;
  plan.issues.forEach((issue, i) => {
    const at = form2Refs.issues[i]!;
    g.span(r, 1, r, 2, { formula: ref(at.number), result: issue.number }, { border: BOX, fill: FILL.issue, numFmt: '"経営課題"0', font: font(10, true), alignment: { horizontal: 'left', vertical: 'top' } });
    g.span(r, 3, r, 7, { formula: ref(at.title), result: issue.title }, { border: BOX, fill: FILL.issue, font: font(10, true) });
    g.span(r, 8, r, 9, { formula: ref(at.total), result: issueBudgetTotal(issue) }, { border: BOX, fill: FILL.issue, numFmt: BUDGET_FORMAT });
    g.fit(r, r, 3, 7, issue.title);
    r++;
    issue.strategies.forEach((s, j) => {
      const sAt = at.strategies[j]!;
      g.span(r, 1, r, 2, { formula: ref(sAt.number), result: s.number }, { border: BOX, alignment: { horizontal: 'left', vertical: 'top', indent: 2 } });
      g.span(r, 3, r, 7, { formula: ref(sAt.title), result: s.title }, { border: BOX });
      g.span(r, 8, r, 9, null, { border: BOX });
      g.fit(r, r, 3, 7, s.title);
      r++;
    });
  });
  g.span(r, 1, r, 7, '合計', { ...head, alignment: { horizontal: 'right' } });
  g.span(r, 8, r, 9, { formula: ref(form2Refs.grandTotal), result: plan.issues.reduce((n, i) => n + issueBudgetTotal(i), 0) }, { border: BOX, fill: FILL.total, numFmt: BUDGET_FORMAT, font: font(10, true) });
  printSetup(ws, planTitle(plan), '様式1', r);
}

// ---------------------------------------------------------------- 様式2 and 様式3 pieces

interface Form2Refs {
  issues: { number: string; title: string; total: string; strategies: { number: string; title: string }[] }[];
  grandTotal: string;
}

interface Context {
  scales: RatingScales | undefined;
  /** Where each scale's dropdown texts are on 評価区分: `'評価区分'!$E$2:$E$3`. */
  scaleRanges: Map<string, string>;
  /** The hidden key of every indicator: its id, or "#n" for one without. */
  indicatorKeys: Map<Indicator, string>;
}

const itemLabelStyle: Style = { font: font(9, true), fill: FILL.label, border: BOX, alignment: { vertical: 'top', wrapText: true } };

/** A labelled text row under an item: label in B (A:B for an issue's), value in C:I. */
function labelRow(g: GridWriter, label: string, value: Content, options: { wide?: boolean; numFmt?: string } = {}): void {
  const r = g.row;
  if (options.wide) g.span(r, 1, r, 2, label, itemLabelStyle);
  else {
    g.span(r, 1, r, 1, null, { border: BOX });
    g.span(r, 2, r, 2, label, itemLabelStyle);
  }
  g.span(r, 3, r, LAST_VISIBLE, value, { border: BOX, ...(options.numFmt ? { numFmt: options.numFmt, alignment: { horizontal: 'left', vertical: 'top' } } : {}) });
  if (typeof value === 'string') g.fit(r, r, 3, LAST_VISIBLE, value);
  g.fit(r, r, options.wide ? 1 : 2, 2, label, 9);
  g.row++;
}

/** An indicator list: a two-row header, then two rows per indicator (values, then when they stand). */
function indicatorRows(g: GridWriter, label: string, list: Indicator[], ctx: Context): void {
  const ws = g.ws;
  let r = g.row;
  const head: Style = { font: font(8, true), fill: FILL.header, border: BOX, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } };
  g.span(r, 1, r + 1, 2, label, { ...itemLabelStyle, alignment: { vertical: 'middle', wrapText: true } });
  const top = ['指標', '単位', '基準値', '目標値', '最新値'];
  const bottom = ['', '方向', '時点', '時点', '測定日'];
  g.span(r, 3, r + 1, 3, top[0]!, head);
  for (let k = 1; k < top.length; k++) {
    g.put(r, 3 + k, top[k]!, { ...head, border: BOX });
    g.put(r + 1, 3 + k, bottom[k]!, { ...head, font: font(7), border: BOX });
  }
  g.span(r, 8, r + 1, 9, '出典', head);
  ws.getRow(r).height = 13;
  ws.getRow(r + 1).height = 11;
  r += 2;
  for (const indicator of list) {
    const last = latest(indicator);
    g.span(r, 1, r + 1, 2, null, { border: BOX });
    g.span(r, 3, r + 1, 3, indicator.statement, { border: BOX });
    const num: Style = { border: BOX, alignment: { horizontal: 'right', vertical: 'top' }, numFmt: '#,##0.###' };
    const when: Style = { border: BOX, font: font(8), alignment: { horizontal: 'right', vertical: 'top', wrapText: true } };
    g.put(r, 4, indicator.unit, { border: BOX, alignment: { horizontal: 'center', vertical: 'top', wrapText: true } });
    g.put(r, 5, indicator.baseline?.value ?? null, num);
    g.put(r, 6, indicator.target?.value ?? null, num);
    g.put(r, 7, last?.value ?? null, { ...num, fill: FILL.strategy });
    g.span(r, 8, r + 1, 9, indicator.source ?? null, { border: BOX, font: font(8) });
    g.put(r + 1, 4, DIRECTION_LABEL[indicator.direction] ?? indicator.direction, { border: BOX, font: font(7), alignment: { horizontal: 'center', vertical: 'top', wrapText: true } });
    ws.getCell(r + 1, 4).dataValidation = { type: 'list', allowBlank: false, formulae: [`"${DIRECTION_LABEL.higher},${DIRECTION_LABEL.lower}"`] };
    g.put(r + 1, 5, pointWhen(indicator.baseline), when);
    g.put(r + 1, 6, pointWhen(indicator.target), when);
    g.put(r + 1, 7, last?.date ?? null, { ...when, fill: FILL.strategy });
    g.hidden(r, ctx.indicatorKeys.get(indicator));
    ws.getRow(r).height = 15;
    ws.getRow(r + 1).height = 22;
    g.fit(r, r + 1, 3, 3, indicator.statement);
    g.fit(r, r + 1, 8, 9, indicator.source ?? '', 8);
    r += 2;
  }
  g.row = r;
}

function ratingRow(g: GridWriter, label: string, rating: Rating | null | undefined, ctx: Context): void {
  const r = g.row;
  const text = rating ? (ctx.scales ? ratingLabel(rating, ctx.scales) : rating.code) : '';
  labelRow(g, label, text);
  if (rating) g.hidden(r, rating.scale);
  const range = rating && ctx.scaleRanges.get(rating.scale);
  if (range) g.ws.getCell(r, 3).dataValidation = { type: 'list', allowBlank: true, formulae: [range] };
}

/** The reviews of an item: a row per phase, then a row per field it has (a row present ⇔ a field present). */
function reviewRows(g: GridWriter, reviews: Reviews | undefined, ctx: Context): void {
  if (!reviews) return;
  const phase = (label: string) => {
    const r = g.row;
    g.span(r, 1, r, 1, null, { border: BOX });
    g.span(r, 2, r, LAST_VISIBLE, label, { font: font(9, true), fill: FILL.header, border: BOX });
    g.row++;
  };
  const mid = reviews.midYear;
  if (mid) {
    phase(LABEL.midYear);
    if (mid.implementation) ratingRow(g, LABEL.implementation, mid.implementation, ctx);
    if (mid.achievement) ratingRow(g, LABEL.midYearAchievement, mid.achievement, ctx);
    if (mid.comment !== undefined) labelRow(g, LABEL.comment, mid.comment);
    if (mid.problemsAndMeasures !== undefined) labelRow(g, LABEL.problemsAndMeasures, mid.problemsAndMeasures);
  }
  const end = reviews.yearEnd;
  if (end) {
    phase(LABEL.yearEnd);
    if (end.achievement) ratingRow(g, LABEL.yearEndAchievement, end.achievement, ctx);
    if (end.result !== undefined) labelRow(g, LABEL.result, end.result);
    if (end.problemsAndMeasures !== undefined) labelRow(g, LABEL.problemsAndMeasures, end.problemsAndMeasures);
  }
}

// ---------------------------------------------------------------- 様式2

function renderForm2(wb: ExcelJS.Workbook, plan: Plan, ctx: Context): Form2Refs {
  const ws = wb.addWorksheet(SHEET.form2, { properties: { tabColor: { argb: 'FF4472C4' } }, views: [{ state: 'frozen', ySplit: 2, showGridLines: false }] });
  gridColumns(ws);
  const g = new GridWriter(ws);
  const head: Style = { font: font(9, true), fill: FILL.header, border: BOX, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } };
  g.span(1, 1, 1, LAST_VISIBLE, '重点的に取り組む主な経営課題(様式2)', { font: font(12, true), alignment: { vertical: 'middle' } });
  ws.getRow(1).height = 22;
  g.put(2, 1, '番号', head);
  g.put(2, 2, '名称', head);
  g.span(2, 3, 2, 7, '経営課題の概要・戦略・取組の内容', head);
  g.put(2, 8, `${formatShortFiscalYear(plan.fiscalYear)}予算額\n(千円)`, head);
  g.put(2, 9, `${formatShortFiscalYear(plan.fiscalYear)}区CM\n予算額(千円)`, head);
  ws.getRow(2).height = 28;
  g.row = 3;

  const refs: Form2Refs = { issues: [], grandTotal: '' };
  const totals: string[] = [];
  plan.issues.forEach((issue, i) => {
    if (i > 0) ws.getRow(g.row - 1).addPageBreak();
    const ref = issueBlock(g, issue, ctx);
    refs.issues.push(ref);
    totals.push(ref.total);
  });
  const r = g.row;
  g.span(r, 1, r, 7, '合計', { ...head, alignment: { horizontal: 'right', vertical: 'middle' } });
  const sum = (col: string, pick: (i: Initiative) => number | null) => ({
    formula: totals.length === 0 ? '0' : `SUM(${totals.map((t) => t.replace('H', col)).join(',')})`,
    result: plan.issues.reduce((n, issue) => n + issue.strategies.reduce((m, s) => m + s.initiatives.reduce((k, it) => k + (pick(it) ?? 0), 0), 0), 0),
  });
  g.put(r, 8, sum('H', (it) => it.budgetThousandYen), { border: BOX, fill: FILL.total, numFmt: BUDGET_FORMAT, font: font(10, true), alignment: { horizontal: 'right' } });
  g.put(r, 9, sum('I', (it) => it.cmBudgetThousandYen), { border: BOX, fill: FILL.total, numFmt: BUDGET_FORMAT, font: font(10, true), alignment: { horizontal: 'right' } });
  refs.grandTotal = `H${r}`;
  printSetup(ws, planTitle(plan), '様式2', r, '2:2');
  return refs;
}

function issueBlock(g: GridWriter, issue: ManagementIssue, ctx: Context): Form2Refs['issues'][number] {
  let r = g.row;
  g.span(r, 1, r, 2, issue.number, { font: font(11, true), fill: FILL.issue, border: BOX, numFmt: '"経営課題"0', alignment: { horizontal: 'left', vertical: 'middle' } });
  g.span(r, 3, r, LAST_VISIBLE, issue.title, { font: font(11, true), fill: FILL.issue, border: BOX, alignment: { vertical: 'middle', wrapText: true } });
  g.hidden(r, issue.id, issue.carriedFrom);
  g.ws.getRow(r).height = 20;
  g.fit(r, r, 3, LAST_VISIBLE, issue.title, 11);
  const ref: Form2Refs['issues'][number] = { number: `A${r}`, title: `C${r}`, total: '', strategies: [] };
  g.row++;
  const first = g.row;
  labelRow(g, LABEL.summary, issue.summary, { wide: true });
  if (issue.vision !== undefined) labelRow(g, LABEL.vision, issue.vision, { wide: true });
  if (issue.currentState !== undefined) labelRow(g, LABEL.currentState, issue.currentState, { wide: true });
  if (issue.causeAnalysis !== undefined) labelRow(g, LABEL.causeAnalysis, issue.causeAnalysis, { wide: true });
  if (issue.challenge !== undefined) labelRow(g, LABEL.challenge, issue.challenge, { wide: true });
  if (typeof issue.budgetThousandYen === 'number') labelRow(g, LABEL.issueBudget, issue.budgetThousandYen, { wide: true, numFmt: '#,##0"千円"' });
  if (issue.sdgs) labelRow(g, LABEL.sdgs, issue.sdgs.join(', '), { wide: true });
  if (issue.outcomeIndicators) indicatorRows(g, LABEL.outcomeIndicators, issue.outcomeIndicators, ctx);
  for (const strategy of issue.strategies) ref.strategies.push(strategyBlock(g, strategy, ctx));
  r = g.row;
  const last = r - 1;
  const total = (col: 'H' | 'I', pick: (i: Initiative) => number | null) => ({
    formula: `SUM(${col}${first}:${col}${Math.max(first, last)})`,
    result: issue.strategies.reduce((n, s) => n + s.initiatives.reduce((m, it) => m + (pick(it) ?? 0), 0), 0),
  });
  const totalStyle: Style = { border: BOX, fill: FILL.total, numFmt: BUDGET_FORMAT, font: font(10, true), alignment: { horizontal: 'right' } };
  g.span(r, 1, r, 7, `経営課題${issue.number} 計`, { font: font(9, true), fill: FILL.total, border: BOX, alignment: { horizontal: 'right' } });
  g.put(r, 8, total('H', (it) => it.budgetThousandYen), totalStyle);
  g.put(r, 9, total('I', (it) => it.cmBudgetThousandYen), totalStyle);
  ref.total = `H${r}`;
  g.row = r + 2;
  return ref;
}

function strategyBlock(g: GridWriter, strategy: Strategy, ctx: Context): { number: string; title: string } {
  const r = g.row;
  const style: Style = { font: font(10, true), fill: FILL.strategy, border: BOX };
  g.put(r, 1, strategy.number, { ...style, numFmt: '@' });
  g.put(r, 2, strategy.title, style);
  g.span(r, 3, r, 7, strategy.description, { fill: FILL.strategy, border: BOX });
  g.span(r, 8, r, 9, null, { fill: FILL.strategy, border: BOX });
  g.hidden(r, strategy.id, strategy.carriedFrom);
  g.fit(r, r, 2, 2, strategy.title);
  g.fit(r, r, 3, 7, strategy.description);
  g.row++;
  if (strategy.targetState !== undefined) labelRow(g, LABEL.targetState, strategy.targetState);
  if (strategy.outcomeIndicators) indicatorRows(g, LABEL.outcomeIndicators, strategy.outcomeIndicators, ctx);
  reviewRows(g, strategy.reviews, ctx);
  for (const initiative of strategy.initiatives) initiativeBlock(g, initiative, ctx);
  return { number: `A${r}`, title: `B${r}` };
}

function initiativeBlock(g: GridWriter, initiative: Initiative, ctx: Context): void {
  const r = g.row;
  g.put(r, 1, initiative.number, { border: BOX, numFmt: '@' });
  g.put(r, 2, initiative.title, { border: BOX });
  g.span(r, 3, r, 7, initiative.description, { border: BOX });
  const money: Style = { border: BOX, numFmt: BUDGET_FORMAT };
  g.put(r, 8, initiative.budgetThousandYen ?? '-', { ...money, alignment: { horizontal: initiative.budgetThousandYen === null ? 'center' : 'right', vertical: 'top', shrinkToFit: true } });
  g.put(r, 9, initiative.cmBudgetThousandYen, { ...money, alignment: { horizontal: 'right', vertical: 'top', shrinkToFit: true } });
  g.hidden(r, initiative.id, initiative.carriedFrom);
  g.fit(r, r, 2, 2, initiative.title);
  g.fit(r, r, 3, 7, initiative.description);
  g.row++;
  if (initiative.processIndicators) indicatorRows(g, LABEL.processIndicators, initiative.processIndicators, ctx);
  if (initiative.priorResults !== undefined) labelRow(g, LABEL.priorResults, initiative.priorResults);
  if (initiative.exitCriterion !== undefined) labelRow(g, LABEL.exitCriterion, initiative.exitCriterion);
  reviewRows(g, initiative.reviews, ctx);
}

// ---------------------------------------------------------------- 様式3

function renderForm3(wb: ExcelJS.Workbook, plan: Plan, ctx: Context): void {
  const reform = plan.reform;
  if (!reform) return;
  const ws = wb.addWorksheet(SHEET.form3, { properties: { tabColor: { argb: 'FF4472C4' } }, views: [{ showGridLines: false }] });
  gridColumns(ws);
  const g = new GridWriter(ws);
  const head: Style = { font: font(9, true), fill: FILL.header, border: BOX, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } };
  g.span(1, 1, 1, LAST_VISIBLE, `「${reform.planName}」に基づく取組等(様式3)`, { font: font(12, true), alignment: { vertical: 'middle' } });
  ws.getRow(1).height = 22;
  g.span(2, 1, 2, 2, '計画名', itemLabelStyle);
  g.span(2, 3, 2, LAST_VISIBLE, reform.planName, { border: BOX });
  g.hidden(2, 'planName');
  g.put(3, 1, '番号', head);
  g.put(3, 2, '主な取組項目', head);
  g.span(3, 3, 3, LAST_VISIBLE, '取組内容', head);
  g.row = 4;
  reform.items.forEach((item, i) => {
    const r = g.row;
    g.put(r, 1, i + 1, { font: font(10, true), fill: FILL.strategy, border: BOX, alignment: { horizontal: 'center', vertical: 'top' } });
    g.put(r, 2, item.title, { font: font(10, true), fill: FILL.strategy, border: BOX });
    g.span(r, 3, r, LAST_VISIBLE, item.content, { border: BOX });
    g.hidden(r, item.id, item.carriedFrom);
    g.fit(r, r, 2, 2, item.title);
    g.fit(r, r, 3, LAST_VISIBLE, item.content);
    g.row++;
    if (item.indicators) indicatorRows(g, LABEL.reformIndicators, item.indicators, ctx);
    reviewRows(g, item.reviews, ctx);
  });
  printSetup(ws, planTitle(plan), '様式3', Math.max(3, g.row - 1), '3:3');
}

// ---------------------------------------------------------------- 自己評価

function renderSelfEvaluation(wb: ExcelJS.Workbook, plan: Plan): void {
  const ws = wb.addWorksheet(SHEET.selfEvaluation, { properties: { tabColor: { argb: 'FF4472C4' } }, views: [{ showGridLines: false }] });
  gridColumns(ws);
  const g = new GridWriter(ws);
  g.span(1, 1, 1, LAST_VISIBLE, '◆自己評価', { font: font(12, true), alignment: { vertical: 'middle' } });
  ws.getRow(1).height = 22;
  let r = 2;
  for (const field of SELF_EVALUATION_FIELDS) {
    const value = plan.selfEvaluation[field];
    if (value === undefined || value === null) continue;
    g.span(r, 1, r, LAST_VISIBLE, SELF_EVALUATION_LABELS[field], { font: font(11, true), fill: FILL.label, border: BOX, alignment: { vertical: 'middle' } });
    g.hidden(r, field);
    ws.getRow(r).height = 20;
    r++;
    for (const line of value.split('\n')) {
      g.span(r, 1, r, LAST_VISIBLE, line, { border: BOX });
      g.fit(r, r, 1, LAST_VISIBLE, line);
      r++;
    }
    r++;
  }
  printSetup(ws, planTitle(plan), '自己評価', r);
}

// ---------------------------------------------------------------- flat sheets

/** A flat sheet as an Excel table: header with filters, frozen, formats by column. */
function flatSheet(
  wb: ExcelJS.Workbook, name: string, tableName: string, columns: readonly string[], rows: (CsvCell | Date)[][],
  formats: Record<number, { width: number; numFmt?: string }>, title: string,
): void {
  const ws = wb.addWorksheet(name, { properties: { tabColor: { argb: 'FF70AD47' } }, views: [{ state: 'frozen', ySplit: 1 }] });
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = formats[i]?.width ?? 12;
  });
  const body = rows.length > 0 ? rows : [columns.map(() => null)];
  ws.addTable({
    name: tableName,
    ref: 'A1',
    headerRow: true,
    style: { theme: 'TableStyleLight9', showRowStripes: true },
    columns: columns.map((c) => ({ name: c, filterButton: true })),
    rows: body.map((row) => row.map((cell) => (typeof cell === 'string' ? escapeCellText(cell) : cell))),
  });
  const f = font(10);
  body.forEach((row, i) => {
    row.forEach((cell, j) => {
      const c = ws.getCell(i + 2, j + 1);
      const numFmt = formats[j]?.numFmt ?? (typeof cell === 'string' && startsLikeFormula(cell) && cell.length <= TEXT_FORMAT_MAX ? '@' : undefined);
      c.style = { font: f, ...(numFmt ? { numFmt } : {}) };
    });
  });
  for (let j = 1; j <= columns.length; j++) ws.getCell(1, j).style = { font: font(10, true), alignment: { wrapText: true, vertical: 'middle' } };
  ws.pageSetup = { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1', margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 } };
  ws.headerFooter = { oddHeader: `&L&9${hf(title)}&R&9${hf(name)}`, oddFooter: '&C&9&P / &N' };
}

function isoToDate(iso: string): Date | string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : iso;
}

// ---------------------------------------------------------------- 評価区分

function renderScales(wb: ExcelJS.Workbook, scales: RatingScales | undefined): void {
  if (scales === undefined) return;
  const ws = wb.addWorksheet(SHEET.scales, { properties: { tabColor: { argb: 'FFA5A5A5' } }, views: [{ state: 'frozen', ySplit: 1 }] });
  const widths = [32, 8, 40, 8, 44];
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  ['評価区分', 'コード', '名称', '最良', '表示'].forEach((h, i) => {
    ws.getCell(1, i + 1).value = h;
    ws.getCell(1, i + 1).style = { font: font(10, true), fill: FILL.header, border: BOX };
  });
  let r = 2;
  for (const [name, options] of Object.entries(scales)) {
    for (const o of options) {
      const cells: Content[] = [name, o.code, o.label, o.best === true ? '○' : null, `${o.code}${o.label}`];
      cells.forEach((v, i) => {
        const c = ws.getCell(r, i + 1);
        if (typeof v === 'string') c.value = escapeCellText(v);
        else if (v !== null) c.value = v as number;
        c.style = { font: font(10), border: BOX, ...(typeof v === 'string' && startsLikeFormula(v) ? { numFmt: '@' } : {}) };
      });
      r++;
    }
  }
}

// ---------------------------------------------------------------- the workbook

/** The plan as an .xlsx file. */
export async function renderPlanXlsx(plan: Plan, options: PlanXlsxOptions = {}): Promise<Uint8Array> {
  const organization = options.organization ?? { code: null, name: plan.organization };
  const when = options.creationDate ?? new Date();
  const wb = new ExcelJS.Workbook();
  wb.creator = organization.name;
  wb.lastModifiedBy = organization.name;
  wb.title = planTitle(plan);
  wb.subject = '運営方針';
  wb.created = when;
  wb.modified = when;
  wb.calcProperties.fullCalcOnLoad = false;

  // Indicators without an id get a key of this workbook ("#n"), so 測定値 can name them.
  const indicatorKeys = new Map<Indicator, string>();
  let local = 0;
  for (const { indicator } of planIndicators(plan)) indicatorKeys.set(indicator, typeof indicator.id === 'string' ? indicator.id : `#${++local}`);

  // Sheets are added in reading order. 様式1 is filled last (it refers to 様式2's cells), and
  // 評価区分 comes last but its ranges are known beforehand (its rows are in a fixed order).
  const ctx: Context = { scales: plan.ratingScales, scaleRanges: scaleRangesOf(plan.ratingScales), indicatorKeys };
  const form1 = wb.addWorksheet(SHEET.form1, { properties: { tabColor: { argb: 'FF4472C4' } }, views: [{ showGridLines: false }] });
  const refs = renderForm2(wb, plan, ctx);
  renderForm3(wb, plan, ctx);
  renderSelfEvaluation(wb, plan);
  renderForm1(form1, plan, refs);

  const title = planTitle(plan);
  flatSheet(wb, SHEET.initiatives, 'Initiatives', INITIATIVE_COLUMNS, initiativeRows(plan, organization), {
    0: { width: 10, numFmt: '@' }, 1: { width: 16 }, 2: { width: 8, numFmt: '0' }, 3: { width: 12 }, 4: { width: 10 }, 5: { width: 30 }, 6: { width: 8, numFmt: '@' }, 7: { width: 30 },
    8: { width: 9, numFmt: '@' }, 9: { width: 30 }, 10: { width: 14, numFmt: BUDGET_FORMAT }, 11: { width: 14, numFmt: BUDGET_FORMAT },
  }, title);
  flatSheet(wb, SHEET.measurements, 'Measurements', MEASUREMENT_COLUMNS, measurementSheetRows(plan, organization, indicatorKeys), {
    0: { width: 10, numFmt: '@' }, 1: { width: 16 }, 2: { width: 8, numFmt: '0' }, 3: { width: 10, numFmt: '@' }, 4: { width: 20 }, 5: { width: 40 }, 6: { width: 8 },
    7: { width: 12, numFmt: 'yyyy-mm-dd' }, 8: { width: 10, numFmt: '#,##0.###' }, 9: { width: 24 }, 10: { width: 20 },
  }, title);
  renderScales(wb, plan.ratingScales);

  const buffer = await wb.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}

/** The ranges renderScales will give each scale, known before the sheet is written (its rows are in a fixed order). */
function scaleRangesOf(scales: RatingScales | undefined): Map<string, string> {
  const ranges = new Map<string, string>();
  if (!scales) return ranges;
  let r = 2;
  for (const [name, options] of Object.entries(scales)) {
    if (options.length > 0) ranges.set(name, `'${SHEET.scales}'!$E$${r}:$E$${r + options.length - 1}`);
    r += options.length;
  }
  return ranges;
}

/** 測定値's rows: the open-data columns (measurementRows), keyed by each indicator's id or "#n", dates as dates. */
function measurementSheetRows(plan: Plan, organization: OpenDataOrganization, keys: Map<Indicator, string>): (CsvCell | Date)[][] {
  const keyed = structuredClone(plan);
  const originals = planIndicators(plan);
  const measurements: OpenDataMeasurement[] = [];
  planIndicators(keyed).forEach(({ indicator }, i) => {
    const key = keys.get(originals[i]!.indicator)!;
    indicator.id = key;
    for (const m of indicator.measurements ?? []) measurements.push({ indicatorId: key, ...m });
  });
  const dateColumn = MEASUREMENT_COLUMNS.indexOf('日付');
  return measurementRows(keyed, organization, measurements).map((row) => row.map((cell, i) => (i === dateColumn && typeof cell === 'string' ? isoToDate(cell) : cell)));
}
