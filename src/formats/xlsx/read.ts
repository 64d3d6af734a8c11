/**
 * Reads a workbook written by renderPlanXlsx back into a plan, from its cells: people edit
 * these files in Excel, so what the cells say is the plan (there is no hidden copy). Hidden
 * columns keep what a person never types (ids, last year's ids, a rating's scale). Every
 * problem names its sheet and cell. docs/official-xlsx.md describes the layout.
 */
import { Buffer } from 'node:buffer';
import ExcelJS from 'exceljs';
import { error, warning, type Diagnostic } from '../../domain/diagnostic.ts';
import { gregorianFromEra, knownEras } from '../../domain/fiscal-year.ts';
import { compareItemNumbers, parseItemNumber } from '../../domain/numbering.ts';
import { isIsoDate } from '../../domain/pdca/plan-rules.ts';
import { OSAKA_REVIEW_SCALES } from '../../domain/pdca/rating-scales.ts';
import type {
  Indicator, IndicatorPoint, Initiative, ManagementIssue, MidYearReview, Plan, Rating, RatingScales, ReformItem, Reviews, SelfEvaluation, Strategy,
  YearEndReview,
} from '../../domain/plan.ts';
import { validatePlan } from '../../domain/validate.ts';
import { checkXlsxArchive } from './archive.ts';
import { COL_CARRIED, COL_ID, DIRECTION_LABEL, LABEL, LOCAL_INDICATOR_KEY, SELF_EVALUATION_FIELDS, SELF_EVALUATION_LABELS, SHEET } from './layout.ts';

export interface XlsxReadResult {
  /** Undefined when any diagnostic is an error. */
  plan?: Plan;
  diagnostics: Diagnostic[];
}

type Sheet = ExcelJS.Worksheet;
type Where = { sheet: string; cell: string };

/** A cell as the reader sees it. */
type Value =
  | { kind: 'empty' }
  | { kind: 'text'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'date'; iso: string }
  | { kind: 'formula' }
  | { kind: 'error'; text: string };

const COLUMN_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const address = (r: number, c: number) => `${COLUMN_LETTERS[c - 1] ?? '?'}${r}`;

function isoOfDate(d: Date): string {
  // exceljs gives dates as UTC midnight of the day shown.
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}

function valueOf(cell: ExcelJS.Cell): Value {
  const v = cell.value as unknown;
  if (v === null || v === undefined) return { kind: 'empty' };
  if (typeof v === 'string') return v === '' ? { kind: 'empty' } : { kind: 'text', text: v };
  if (typeof v === 'number') return Number.isFinite(v) ? { kind: 'number', value: v } : { kind: 'error', text: String(v) };
  if (typeof v === 'boolean') return { kind: 'text', text: v ? 'TRUE' : 'FALSE' };
  if (v instanceof Date) return { kind: 'date', iso: isoOfDate(v) };
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('formula' in o || 'sharedFormula' in o) return { kind: 'formula' };
    if ('error' in o) return { kind: 'error', text: String(o.error) };
    if (Array.isArray(o.richText)) {
      const text = (o.richText as { text?: unknown }[]).map((p) => (typeof p.text === 'string' ? p.text : '')).join('');
      return text === '' ? { kind: 'empty' } : { kind: 'text', text };
    }
    if (typeof o.text === 'string') return o.text === '' ? { kind: 'empty' } : { kind: 'text', text: o.text };
  }
  return { kind: 'error', text: String(v) };
}

class WorkbookReader {
  readonly diagnostics: Diagnostic[] = [];
  /** Field path → the cell it came from, so validatePlan's findings name a cell too. */
  readonly cells = new Map<string, Where>();

  report(severity: 'error' | 'warning', message: string, sheet: string, r?: number, c?: number, field?: string): void {
    const where = { sheet, ...(r !== undefined && c !== undefined ? { cell: address(r, c) } : {}), ...(field ? { field } : {}) };
    this.diagnostics.push(severity === 'error' ? error(message, where) : warning(message, where));
  }

  at(field: string, sheet: string, r: number, c: number): void {
    this.cells.set(field, { sheet, cell: address(r, c) });
  }
}

/** One sheet: cells read as values, text and numbers with the sheet's name on every problem. */
class SheetReader {
  constructor(
    readonly book: WorkbookReader,
    readonly ws: Sheet,
  ) {}

  get name(): string {
    return this.ws.name;
  }

  get lastRow(): number {
    return this.ws.rowCount;
  }

  value(r: number, c: number): Value {
    return valueOf(this.ws.getCell(r, c));
  }

  /** The cell's own value: empty for a cell merged into another. */
  own(r: number, c: number): Value {
    const cell = this.ws.getCell(r, c);
    if (cell.isMerged && cell.master.address !== cell.address) return { kind: 'empty' };
    return valueOf(cell);
  }

  error(message: string, r?: number, c?: number, field?: string): void {
    this.book.report('error', message, this.name, r, c, field);
  }

  warn(message: string, r?: number, c?: number, field?: string): void {
    this.book.report('warning', message, this.name, r, c, field);
  }

  /** Text as written; a number or date as people read it; a formula or error value is refused. */
  text(r: number, c: number, field?: string): string {
    if (field) this.book.at(field, this.name, r, c);
    const v = this.value(r, c);
    switch (v.kind) {
      case 'empty':
        return '';
      case 'text':
        return v.text;
      case 'number':
        return String(v.value);
      case 'date':
        return v.iso;
      case 'formula':
        this.error('数式は読み込めません。値を直接入力してください', r, c, field);
        return '';
      case 'error':
        this.error(`エラー値(${v.text})は読み込めません`, r, c, field);
        return '';
    }
  }

  /** A label or key: own text, trimmed. */
  label(r: number, c: number): string {
    const v = this.own(r, c);
    return v.kind === 'text' ? v.text.trim() : v.kind === 'number' ? String(v.value) : '';
  }

  hidden(r: number, c: number): string | undefined {
    const v = this.value(r, c);
    if (v.kind === 'text') return v.text;
    if (v.kind === 'number') return String(v.value);
    return undefined;
  }

  rowEmpty(r: number, lastColumn = COL_CARRIED): boolean {
    for (let c = 1; c <= lastColumn; c++) if (this.own(r, c).kind !== 'empty') return false;
    return true;
  }

  /**
   * An amount in 千円: a number, "-" or empty for none; digits written as text are taken with a
   * warning; other text is an error naming the cell.
   */
  amount(r: number, c: number, what: string, field: string): number | null {
    this.book.at(field, this.name, r, c);
    const v = this.value(r, c);
    switch (v.kind) {
      case 'empty':
        return null;
      case 'number':
        return v.value;
      case 'text': {
        const t = v.text.trim();
        if (/^[-‐－ー―]?$/.test(t)) return null;
        const digits = t.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[,，]/g, '').replace(/千円$/, '');
        if (/^\d+$/.test(digits)) {
          this.warn(`${what}「${t}」が文字列として入力されています。数値として読みました`, r, c, field);
          return Number(digits);
        }
        this.error(`${what}は数値(千円単位)で入力してください(「${t.slice(0, 40)}」は数値ではありません)`, r, c, field);
        return null;
      }
      case 'date':
        this.error(`${what}が日付になっています。数値(千円単位)で入力してください`, r, c, field);
        return null;
      case 'formula':
        this.error(`${what}に数式は使えません。数値を直接入力してください`, r, c, field);
        return null;
      case 'error':
        this.error(`${what}がエラー値(${v.text})です`, r, c, field);
        return null;
    }
  }

  /** The lines of a section: column A of rows from..to, trailing empty lines dropped. */
  lines(from: number, to: number, field: string): string[] {
    this.book.at(field, this.name, from, 1);
    const lines: string[] = [];
    for (let r = from; r <= to; r++) lines.push(this.text(r, 1, undefined));
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines;
  }
}

// ---------------------------------------------------------------- tagged sheets (様式1, 自己評価)

/** Rows carrying a tag in the hidden column, in order. */
function taggedRows(s: SheetReader, tags: readonly string[]): { tag: string; row: number }[] {
  const out: { tag: string; row: number }[] = [];
  for (let r = 1; r <= s.lastRow; r++) {
    const tag = s.hidden(r, COL_ID);
    if (tag !== undefined && tags.includes(tag)) out.push({ tag, row: r });
  }
  return out;
}

const FORM1_LABELS: Record<string, string> = {
  organization: '組織', fiscalYear: '年度', documentStatus: '状態', goal: '区の目標', mission: '区の使命', policy: '区運営の基本的な考え方',
};

function readFiscalYear(s: SheetReader, r: number, c: number): number {
  s.book.at('fiscalYear', s.name, r, c);
  const v = s.value(r, c);
  if (v.kind === 'number' && Number.isInteger(v.value)) return v.value;
  if (v.kind === 'text') {
    const t = v.text.trim();
    const western = /^(\d{4})(?:年度)?$/.exec(t);
    if (western) return Number(western[1]);
    const era = new RegExp(`^(${knownEras().join('|')})(元|\\d{1,2})年度?$`).exec(t);
    const year = era ? gregorianFromEra(era[1]!, era[2] === '元' ? 1 : Number(era[2])) : undefined;
    if (year !== undefined) return year;
  }
  s.error('年度は西暦の数値(例: 2017)か和暦(例: 平成29年度)で入力してください', r, c, 'fiscalYear');
  return Number.NaN;
}

function readForm1(s: SheetReader): Pick<Plan, 'organization' | 'fiscalYear' | 'documentStatus' | 'head' | 'goal' | 'mission' | 'policy'> {
  const tags = taggedRows(s, ['organization', 'fiscalYear', 'head', 'documentStatus', 'goal', 'mission', 'policy', 'issues']);
  const rowOf = (tag: string) => tags.find((t) => t.tag === tag)?.row;
  for (const tag of Object.keys(FORM1_LABELS)) {
    if (rowOf(tag) === undefined) s.error(`「${FORM1_LABELS[tag]}」の行がありません(隠し列Jの目印が消えています)`);
  }
  const sectionEnd = (tag: string) => {
    const i = tags.findIndex((t) => t.tag === tag);
    return i >= 0 && i + 1 < tags.length ? tags[i + 1]!.row - 1 : s.lastRow;
  };
  const section = (tag: string, field: string) => {
    const row = rowOf(tag);
    return row === undefined ? [] : s.lines(row + 1, sectionEnd(tag), field);
  };

  const orgRow = rowOf('organization');
  const organization = orgRow === undefined ? '' : s.text(orgRow, 3, 'organization');
  const fyRow = rowOf('fiscalYear');
  const fiscalYear = fyRow === undefined ? Number.NaN : readFiscalYear(s, fyRow, 3);
  const headRow = rowOf('head');
  const headText = headRow === undefined ? '' : s.text(headRow, 3, 'head');
  const statusRow = rowOf('documentStatus');
  let documentStatus: Plan['documentStatus'] = 'draft';
  if (statusRow !== undefined) {
    const t = s.text(statusRow, 3, 'documentStatus').trim();
    if (t === '確定' || t === 'final') documentStatus = 'final';
    else if (t !== '案' && t !== 'draft') s.error(`状態は「案」か「確定」のいずれかです(「${t.slice(0, 20)}」)`, statusRow, 3, 'documentStatus');
  }
  const missionRow = rowOf('mission');
  const mission: string[] = [];
  if (missionRow !== undefined) {
    for (let r = missionRow + 1; r <= sectionEnd('mission'); r++) {
      const t = s.text(r, 1);
      if (t === '') continue;
      s.book.at(`mission[${mission.length}]`, s.name, r, 1);
      mission.push(t);
    }
    s.book.at('mission', s.name, missionRow, 1);
  }
  return {
    organization,
    fiscalYear,
    documentStatus,
    head: headText === '' ? null : headText,
    goal: section('goal', 'goal').join('\n'),
    mission,
    policy: section('policy', 'policy').join('\n'),
  };
}

function readSelfEvaluation(s: SheetReader): SelfEvaluation {
  const tags = taggedRows(s, SELF_EVALUATION_FIELDS);
  const out: SelfEvaluation = { achievements: '', challenges: '' };
  tags.forEach(({ tag, row }, i) => {
    const end = i + 1 < tags.length ? tags[i + 1]!.row - 1 : s.lastRow;
    out[tag as (typeof SELF_EVALUATION_FIELDS)[number]] = s.lines(row + 1, end, `selfEvaluation.${tag}`).join('\n');
  });
  for (const field of ['achievements', 'challenges'] as const) {
    if (!tags.some((t) => t.tag === field)) s.warn(`「${SELF_EVALUATION_LABELS[field]}」の行がありません(空として読みました)`);
  }
  return out;
}

// ---------------------------------------------------------------- 評価区分

function readScales(s: SheetReader): RatingScales {
  // Prototype-less: a scale named "__proto__" stays data.
  const scales = Object.create(null) as RatingScales;
  for (let r = 2; r <= s.lastRow; r++) {
    const name = s.text(r, 1);
    const code = s.text(r, 2);
    if (name === '' && code === '') continue;
    if (name === '' || code === '') {
      s.error('評価区分の名前とコードの両方を入力してください', r, name === '' ? 1 : 2, 'ratingScales');
      continue;
    }
    const best = s.text(r, 4).trim() !== '';
    (scales[name] ??= []).push({ code, label: s.text(r, 3), ...(best ? { best: true } : {}) });
  }
  return scales;
}

// ---------------------------------------------------------------- 様式2 and 様式3

type ItemKind = 'issue' | 'strategy' | 'initiative' | 'reformItem';

interface Current {
  kind: ItemKind;
  item: ManagementIssue | Strategy | Initiative | ReformItem;
  path: string;
}

interface ItemsContext {
  scales: RatingScales | undefined;
  /** Indicator by its hidden key (id, or "#n" for one without), for 測定値. */
  indicators: Map<string, { indicator: Indicator; path: string }>;
}

const INDICATOR_LABELS = new Set<string>([LABEL.outcomeIndicators, LABEL.processIndicators, LABEL.reformIndicators]);

function readPoint(s: SheetReader, r: number, c: number, what: string, field: string): IndicatorPoint | undefined {
  s.book.at(field, s.name, r, c);
  const v = s.value(r, c);
  const when = s.value(r + 1, c);
  if (v.kind === 'empty' && when.kind === 'empty') return undefined;
  let value = Number.NaN;
  if (v.kind === 'number') value = v.value;
  else if (v.kind === 'empty') s.error(`${what}の値が空です(時点だけが入力されています)`, r, c, `${field}.value`);
  else s.error(`${what}は数値で入力してください`, r, c, `${field}.value`);
  const point: IndicatorPoint = { value };
  if (when.kind === 'date') point.date = when.iso;
  else if (when.kind === 'number' && Number.isInteger(when.value)) point.fiscalYear = when.value;
  else if (when.kind === 'text') {
    for (const token of when.text.trim().split(/[\s\u3000]+/)) {
      const shown = token.slice(0, 30);
      const fy = /^(\d{4})年度末?$/.exec(token);
      const era = new RegExp(`^(${knownEras().join('|')})(元|\\d{1,2})年度末?$`).exec(token);
      const slash = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/.exec(token);
      if (fy) point.fiscalYear = Number(fy[1]);
      else if (era) point.fiscalYear = gregorianFromEra(era[1]!, era[2] === '元' ? 1 : Number(era[2])) ?? Number.NaN;
      else if (isIsoDate(token)) point.date = token;
      else if (slash) point.date = `${slash[1]}-${slash[2]!.padStart(2, '0')}-${slash[3]!.padStart(2, '0')}`;
      else {
        s.error(`${what}の時点「${shown}」は「2019年度」か「2019-03-31」の形で入力してください`, r + 1, c, field);
      }
    }
  } else if (when.kind !== 'empty') s.error(`${what}の時点を読めません`, r + 1, c, field);
  return point;
}

/** Two rows of one indicator, starting at r. */
function readIndicator(s: SheetReader, r: number, path: string, ctx: ItemsContext): Indicator {
  const key = s.hidden(r, COL_ID);
  const directionText = s.text(r + 1, 4, `${path}.direction`).trim();
  let direction: Indicator['direction'] = 'higher';
  if (directionText === DIRECTION_LABEL.lower || directionText === 'lower') direction = 'lower';
  else if (directionText !== DIRECTION_LABEL.higher && directionText !== 'higher') {
    s.error(`指標の方向は「${DIRECTION_LABEL.higher}」か「${DIRECTION_LABEL.lower}」のいずれかです`, r + 1, 4, `${path}.direction`);
  }
  const baseline = readPoint(s, r, 5, '基準値', `${path}.baseline`);
  const target = readPoint(s, r, 6, '目標値', `${path}.target`);
  const source = s.text(r, 8, `${path}.source`);
  const indicator: Indicator = {
    ...(key !== undefined && !LOCAL_INDICATOR_KEY.test(key) ? { id: key } : {}),
    statement: s.text(r, 3, `${path}.statement`),
    unit: s.text(r, 4, `${path}.unit`),
    direction,
    ...(baseline ? { baseline } : {}),
    ...(target ? { target } : {}),
    ...(source !== '' ? { source } : {}),
  };
  s.book.at(path, s.name, r, 3);
  if (key !== undefined) {
    if (ctx.indicators.has(key)) s.error(`指標のID「${key}」が重複しています(行をコピーした場合は隠し列Jの値を消してください)`, r, COL_ID, `${path}.id`);
    else ctx.indicators.set(key, { indicator, path });
  }
  return indicator;
}

/**
 * Reads an indicator list whose two-row header is at r; returns the row after it. Each
 * indicator is two rows with A and B empty; the list ends at the first row that is not.
 */
function readIndicatorList(s: SheetReader, r: number, path: string, ctx: ItemsContext): { list: Indicator[]; next: number } {
  const list: Indicator[] = [];
  let row = r + 2;
  while (row <= s.lastRow && s.label(row, 1) === '' && s.label(row, 2) === '' && !s.rowEmpty(row)) {
    list.push(readIndicator(s, row, `${path}[${list.length}]`, ctx));
    row += 2;
  }
  return { list, next: row };
}

function readRating(s: SheetReader, r: number, field: keyof typeof OSAKA_REVIEW_SCALES, path: string, ctx: ItemsContext): Rating | undefined {
  const text = s.text(r, 3, path).trim();
  if (text === '') return undefined;
  const scale = s.hidden(r, COL_ID) ?? OSAKA_REVIEW_SCALES[field];
  const options = ctx.scales && Object.hasOwn(ctx.scales, scale) ? ctx.scales[scale]! : undefined;
  if (!options) return { scale, code: text };
  const byCode = [...options].sort((a, b) => b.code.length - a.code.length).find((o) => o.code !== '' && text.startsWith(o.code));
  const option = byCode ?? options.find((o) => o.label === text);
  if (!option) {
    s.error(`評価「${text.slice(0, 30)}」は評価区分「${scale}」のコード(${options.map((o) => o.code).join('、')})で始めてください`, r, 3, path);
    return { scale, code: text };
  }
  return { scale, code: option.code };
}

const REVIEW_FIELDS: Record<string, { phase: 'midYear' | 'yearEnd' | 'both'; key: string }> = {
  [LABEL.implementation]: { phase: 'midYear', key: 'implementation' },
  [LABEL.midYearAchievement]: { phase: 'midYear', key: 'achievement' },
  [LABEL.comment]: { phase: 'midYear', key: 'comment' },
  [LABEL.yearEndAchievement]: { phase: 'yearEnd', key: 'achievement' },
  [LABEL.result]: { phase: 'yearEnd', key: 'result' },
  [LABEL.problemsAndMeasures]: { phase: 'both', key: 'problemsAndMeasures' },
};

/**
 * Reads the rows under items (label rows, indicator lists, reviews) for 様式2 and 様式3; the
 * caller classifies item rows. Returns the next row, or undefined when the row is not one of these.
 */
class ItemRows {
  phase: { name: 'midYear' | 'yearEnd'; review: MidYearReview | YearEndReview } | undefined;

  constructor(
    readonly s: SheetReader,
    readonly ctx: ItemsContext,
  ) {}

  reset(): void {
    this.phase = undefined;
  }

  read(r: number, label: string, current: Current | undefined): number | undefined {
    const s = this.s;
    if (!current) return undefined;
    const { kind, path } = current;
    if (INDICATOR_LABELS.has(label)) {
      this.reset();
      const key = kind === 'issue' || kind === 'strategy' ? 'outcomeIndicators' : kind === 'initiative' ? 'processIndicators' : 'indicators';
      const expected = kind === 'initiative' ? LABEL.processIndicators : kind === 'reformItem' ? LABEL.reformIndicators : LABEL.outcomeIndicators;
      if (label !== expected) s.warn(`「${label}」を${expected}として読みました`, r, 1);
      const { list, next } = readIndicatorList(s, r, `${path}.${key}`, this.ctx);
      const item = current.item as { outcomeIndicators?: Indicator[]; processIndicators?: Indicator[]; indicators?: Indicator[] };
      if (item[key] !== undefined) s.warn(`${label}の表が2つあります。後の表を読みました`, r, 1);
      item[key] = list;
      s.book.at(`${path}.${key}`, s.name, r, 1);
      return next;
    }
    if (label === LABEL.midYear || label === LABEL.yearEnd) {
      if (kind === 'issue') return undefined;
      const name = label === LABEL.midYear ? 'midYear' : 'yearEnd';
      const item = current.item as { reviews?: Reviews };
      const reviews = (item.reviews ??= {});
      const review = (reviews[name] ??= {});
      this.phase = { name, review };
      s.book.at(`${path}.reviews.${name}`, s.name, r, 2);
      return r + 1;
    }
    const field = Object.hasOwn(REVIEW_FIELDS, label) ? REVIEW_FIELDS[label] : undefined;
    if (field) {
      if (!this.phase || (field.phase !== 'both' && field.phase !== this.phase.name)) {
        s.warn(`「${label}」の行が「${field.phase === 'yearEnd' ? LABEL.yearEnd : LABEL.midYear}」の行の下にないため読み込みませんでした`, r, 2);
        return r + 1;
      }
      const at = `${path}.reviews.${this.phase.name}.${field.key}`;
      const review = this.phase.review as Record<string, unknown>;
      if (field.key === 'implementation' || field.key === 'achievement') {
        const which = field.key === 'implementation' ? 'midYearImplementation' : this.phase.name === 'midYear' ? 'midYearAchievement' : 'yearEndAchievement';
        const rating = readRating(s, r, which, at, this.ctx);
        if (rating) review[field.key] = rating;
      } else review[field.key] = s.text(r, 3, at);
      return r + 1;
    }
    return undefined;
  }
}

/** Numbers must not go backwards within their list: a warning at the cell. */
function checkOrder(s: SheetReader, previous: string | number | undefined, current: string | number, what: string, r: number): void {
  if (previous === undefined) return;
  const back = typeof current === 'number' && typeof previous === 'number' ? current < previous : compareItemNumbers(String(current), String(previous)) < 0;
  if (back) s.warn(`${what}${current}が${what}${previous}の後にあります(番号の順序が逆です)`, r, 1);
}

function headerRow(s: SheetReader, text: string): number | undefined {
  for (let r = 1; r <= Math.min(10, s.lastRow); r++) if (s.label(r, 1) === text) return r;
  return undefined;
}

function readIssueNumber(s: SheetReader, r: number): number | undefined {
  const v = s.own(r, 1);
  if (v.kind === 'number') return v.value;
  if (v.kind === 'text') {
    const m = /^(?:経営課題)?\s*(\d+)$/.exec(v.text.trim());
    if (m) return Number(m[1]);
  }
  return undefined;
}

const ISSUE_LABEL_FIELDS: Record<string, keyof ManagementIssue> = {
  [LABEL.summary]: 'summary', [LABEL.vision]: 'vision', [LABEL.currentState]: 'currentState', [LABEL.causeAnalysis]: 'causeAnalysis', [LABEL.challenge]: 'challenge',
};

function readForm2(s: SheetReader, ctx: ItemsContext): ManagementIssue[] {
  const issues: ManagementIssue[] = [];
  const header = headerRow(s, '番号');
  if (header === undefined) {
    s.error('見出しの行(番号・名称…)が見つかりません', 2, 1);
    return issues;
  }
  const rows = new ItemRows(s, ctx);
  let current: Current | undefined;
  let issue: ManagementIssue | undefined;
  let strategy: Strategy | undefined;
  const ids = (r: number) => {
    const id = s.hidden(r, COL_ID);
    const carriedFrom = s.hidden(r, COL_CARRIED);
    return { ...(id !== undefined ? { id } : {}), ...(carriedFrom !== undefined ? { carriedFrom } : {}) };
  };
  let r = header + 1;
  while (r <= s.lastRow) {
    const a = s.label(r, 1);
    const b = s.label(r, 2);
    const label = a !== '' ? a : b;
    if (s.rowEmpty(r)) {
      r++;
      continue;
    }
    if (a.endsWith('計')) {
      r++;
      continue;
    }
    // Rows under an item first: their labels cannot be mistaken for numbers.
    if (Object.hasOwn(ISSUE_LABEL_FIELDS, label) || label === LABEL.issueBudget || label === LABEL.sdgs) {
      rows.reset();
      if (current?.kind !== 'issue' || !issue) {
        s.warn(`「${label}」は経営課題の行のすぐ下に置いてください(読み込みませんでした)`, r, 1);
        r++;
        continue;
      }
      const i = issues.length - 1;
      if (label === LABEL.issueBudget) {
        const v = s.amount(r, 3, `経営課題${issue.number}の予算額`, `issues[${i}].budgetThousandYen`);
        if (v !== null) issue.budgetThousandYen = v;
      } else if (label === LABEL.sdgs) issue.sdgs = readSdgs(s, r, `issues[${i}].sdgs`);
      else (issue as unknown as Record<string, string>)[ISSUE_LABEL_FIELDS[label]!] = s.text(r, 3, `issues[${i}].${ISSUE_LABEL_FIELDS[label]!}`);
      r++;
      continue;
    }
    if (label === LABEL.targetState || label === LABEL.priorResults || label === LABEL.exitCriterion) {
      rows.reset();
      const kind = label === LABEL.targetState ? 'strategy' : 'initiative';
      if (current?.kind !== kind) {
        s.warn(`「${label}」は${kind === 'strategy' ? '戦略' : '具体的取組'}の行の下に置いてください(読み込みませんでした)`, r, 2);
        r++;
        continue;
      }
      const key = label === LABEL.targetState ? 'targetState' : label === LABEL.priorResults ? 'priorResults' : 'exitCriterion';
      (current.item as unknown as Record<string, string>)[key] = s.text(r, 3, `${current.path}.${key}`);
      r++;
      continue;
    }
    const under = rows.read(r, label, current);
    if (under !== undefined) {
      r = under;
      continue;
    }

    // Item rows.
    rows.reset();
    const av = s.own(r, 1);
    if (av.kind === 'date') {
      s.error('番号が日付になっています。セルの書式を「文字列」にして「1-2」のように入力し直してください', r, 1);
      r++;
      continue;
    }
    const issueNumber = readIssueNumber(s, r);
    if (issueNumber !== undefined) {
      checkOrder(s, issue?.number, issueNumber, '経営課題', r);
      const i = issues.length;
      issue = { ...ids(r), number: issueNumber, title: s.text(r, 3, `issues[${i}].title`), summary: '', strategies: [] };
      s.book.at(`issues[${i}]`, s.name, r, 1);
      s.book.at(`issues[${i}].number`, s.name, r, 1);
      issues.push(issue);
      strategy = undefined;
      current = { kind: 'issue', item: issue, path: `issues[${i}]` };
      r++;
      continue;
    }
    const number = parseItemNumber(a.replace(/[‐－ー―]/g, '-'));
    if (number?.kind === 'strategy') {
      if (!issue) {
        s.error(`戦略${a}の前に経営課題の行がありません`, r, 1);
        r++;
        continue;
      }
      const i = issues.length - 1;
      const j = issue.strategies.length;
      const path = `issues[${i}].strategies[${j}]`;
      checkOrder(s, issue.strategies.at(-1)?.number, a, '戦略', r);
      strategy = { ...ids(r), number: a, title: s.text(r, 2, `${path}.title`), description: s.text(r, 3, `${path}.description`), initiatives: [] };
      s.book.at(path, s.name, r, 1);
      s.book.at(`${path}.number`, s.name, r, 1);
      issue.strategies.push(strategy);
      current = { kind: 'strategy', item: strategy, path };
      r++;
      continue;
    }
    if (number?.kind === 'initiative') {
      if (!issue || !strategy) {
        s.error(`具体的取組${a}の前に戦略の行がありません`, r, 1);
        r++;
        continue;
      }
      const path = `issues[${issues.length - 1}].strategies[${issue.strategies.length - 1}].initiatives[${strategy.initiatives.length}]`;
      checkOrder(s, strategy.initiatives.at(-1)?.number, a, '具体的取組', r);
      const initiative: Initiative = {
        ...ids(r),
        number: a,
        title: s.text(r, 2, `${path}.title`),
        budgetThousandYen: s.amount(r, 8, `具体的取組${a}の予算額`, `${path}.budgetThousandYen`),
        cmBudgetThousandYen: s.amount(r, 9, `具体的取組${a}の区CM予算額`, `${path}.cmBudgetThousandYen`),
        description: s.text(r, 3, `${path}.description`),
      };
      s.book.at(path, s.name, r, 1);
      s.book.at(`${path}.number`, s.name, r, 1);
      strategy.initiatives.push(initiative);
      current = { kind: 'initiative', item: initiative, path };
      r++;
      continue;
    }
    if (a !== '' && /^[\d０-９]/.test(a)) s.error(`番号「${a.slice(0, 20)}」は 1-1(戦略)か 1-1-1(具体的取組)の形で入力してください`, r, 1);
    else s.warn(`この行は様式2のどの欄か分からないため読み込みませんでした(「${label.slice(0, 20)}」)`, r, a !== '' ? 1 : 2);
    r++;
  }
  return issues;
}

function readSdgs(s: SheetReader, r: number, field: string): number[] {
  const v = s.value(r, 3);
  s.book.at(field, s.name, r, 3);
  if (v.kind === 'number') return [v.value];
  const text = s.text(r, 3).trim();
  if (text === '') return [];
  const out: number[] = [];
  for (const part of text.split(/[\s,、，]+/)) {
    if (/^\d{1,2}$/.test(part)) out.push(Number(part));
    else s.error(`関連するSDGsはゴールの番号(1〜17)をカンマで区切って入力してください(「${part.slice(0, 20)}」)`, r, 3, field);
  }
  return out;
}

function readForm3(s: SheetReader, ctx: ItemsContext): Plan['reform'] {
  const nameRow = taggedRows(s, ['planName'])[0]?.row;
  if (nameRow === undefined) s.error('「計画名」の行がありません(隠し列Jの目印が消えています)');
  const planName = nameRow === undefined ? '' : s.text(nameRow, 3, 'reform.planName');
  const items: ReformItem[] = [];
  const header = headerRow(s, '番号');
  if (header === undefined) {
    s.error('見出しの行(番号・主な取組項目・取組内容)が見つかりません', 3, 1);
    return { planName, items };
  }
  const rows = new ItemRows(s, ctx);
  let current: Current | undefined;
  for (let r = header + 1; r <= s.lastRow; ) {
    if (s.rowEmpty(r)) {
      r++;
      continue;
    }
    const a = s.label(r, 1);
    const label = a !== '' ? a : s.label(r, 2);
    const under = rows.read(r, label, current);
    if (under !== undefined) {
      r = under;
      continue;
    }
    rows.reset();
    if (/^\d+$/.test(a)) {
      const path = `reform.items[${items.length}]`;
      const id = s.hidden(r, COL_ID);
      const carriedFrom = s.hidden(r, COL_CARRIED);
      const item: ReformItem = {
        ...(id !== undefined ? { id } : {}),
        ...(carriedFrom !== undefined ? { carriedFrom } : {}),
        title: s.text(r, 2, `${path}.title`),
        content: s.text(r, 3, `${path}.content`),
      };
      s.book.at(path, s.name, r, 1);
      items.push(item);
      current = { kind: 'reformItem', item, path };
    } else s.warn(`この行は様式3のどの欄か分からないため読み込みませんでした(「${label.slice(0, 20)}」)`, r, 1);
    r++;
  }
  s.book.at('reform.items', s.name, header, 1);
  return { planName, items };
}

// ---------------------------------------------------------------- 測定値

function readMeasurements(s: SheetReader, ctx: ItemsContext): void {
  const columns = new Map<string, number>();
  for (let c = 1; c <= s.ws.columnCount; c++) {
    const name = s.label(1, c);
    if (name !== '') columns.set(name, c);
  }
  const col = (name: string) => columns.get(name);
  const idCol = col('指標ID');
  const dateCol = col('日付');
  const valueCol = col('値');
  if (idCol === undefined || dateCol === undefined || valueCol === undefined) {
    s.error('見出しに「指標ID」「日付」「値」の列が必要です', 1, 1);
    return;
  }
  const noteCol = col('備考');
  const sourceCol = col('出典');
  for (let r = 2; r <= s.lastRow; r++) {
    const key = s.hidden(r, idCol)?.trim() ?? '';
    if (key === '') {
      if (s.value(r, dateCol).kind !== 'empty' || s.value(r, valueCol).kind !== 'empty') s.error('指標IDが空です', r, idCol);
      continue;
    }
    const found = ctx.indicators.get(key);
    if (!found) {
      s.error(`指標ID「${key.slice(0, 64)}」の指標が様式2・様式3にありません`, r, idCol);
      continue;
    }
    const list = (found.indicator.measurements ??= []);
    const field = `${found.path}.measurements[${list.length}]`;
    s.book.at(field, s.name, r, dateCol);
    const d = s.value(r, dateCol);
    let date = '';
    if (d.kind === 'date') date = d.iso;
    else if (d.kind === 'text') {
      const t = d.text.trim();
      const slash = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/.exec(t);
      date = slash ? `${slash[1]}-${slash[2]!.padStart(2, '0')}-${slash[3]!.padStart(2, '0')}` : t;
    }
    if (!isIsoDate(date)) s.error('日付は 2017-09-30 の形で入力してください', r, dateCol, `${field}.date`);
    const v = s.value(r, valueCol);
    s.book.at(`${field}.value`, s.name, r, valueCol);
    if (v.kind !== 'number') s.error('値は数値で入力してください', r, valueCol, `${field}.value`);
    const note = noteCol === undefined ? '' : s.text(r, noteCol, `${field}.note`);
    const source = sourceCol === undefined ? '' : s.text(r, sourceCol, `${field}.source`);
    list.push({ date, value: v.kind === 'number' ? v.value : Number.NaN, ...(note !== '' ? { note } : {}), ...(source !== '' ? { source } : {}) });
  }
}

// ---------------------------------------------------------------- the workbook

function locate(diagnostics: Diagnostic[], cells: Map<string, Where>): Diagnostic[] {
  return diagnostics.map((d) => {
    if (d.sheet !== undefined || d.field === undefined) return d;
    for (let f = d.field; ; ) {
      const where = cells.get(f);
      if (where) return { ...d, ...where };
      const cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
      if (cut <= 0) return d;
      f = f.slice(0, cut);
    }
  });
}

/** An .xlsx written by renderPlanXlsx (and edited in Excel) as a plan, or the problems with it, each at its sheet and cell. */
export async function readPlanXlsx(bytes: Uint8Array): Promise<XlsxReadResult> {
  const archive = checkXlsxArchive(bytes);
  if (!archive.ok) return { diagnostics: [error(archive.message, archive.sheet ? { sheet: archive.sheet } : {})] };
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch {
    return { diagnostics: [error('Excelブック(.xlsx)として読み込めません。Excelで開いて保存し直してください')] };
  }
  const book = new WorkbookReader();
  const sheet = (name: string, required: boolean): SheetReader | undefined => {
    const ws = wb.getWorksheet(name);
    if (!ws) {
      if (required) book.diagnostics.push(error(`シート「${name}」がありません(このブックはHoshinが書き出した様式ではないか、シートの名前が変えられています)`, { sheet: name }));
      return undefined;
    }
    return new SheetReader(book, ws);
  };
  const form1 = sheet(SHEET.form1, true);
  const form2 = sheet(SHEET.form2, true);
  const self = sheet(SHEET.selfEvaluation, true);
  if (!form1 || !form2 || !self) return { diagnostics: book.diagnostics };
  const form3 = sheet(SHEET.form3, false);
  const measurements = sheet(SHEET.measurements, false);
  const scalesSheet = sheet(SHEET.scales, false);

  const ratingScales = scalesSheet ? readScales(scalesSheet) : undefined;
  const ctx: ItemsContext = { scales: ratingScales, indicators: new Map() };
  const head = readForm1(form1);
  const issues = readForm2(form2, ctx);
  const reform = form3 ? readForm3(form3, ctx) : null;
  const selfEvaluation = readSelfEvaluation(self);
  if (measurements) readMeasurements(measurements, ctx);

  const plan: Plan = {
    ...(ratingScales !== undefined ? { ratingScales } : {}),
    ...head,
    issues,
    reform,
    selfEvaluation,
  };
  // What the reader already refused (a text budget read as none) is not reported again by validatePlan.
  const refused = book.diagnostics.filter((d) => d.severity === 'error' && d.field !== undefined).map((d) => d.field!);
  const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`) || b.startsWith(`${a}.`) || b.startsWith(`${a}[`);
  const checked = validatePlan(plan).filter((d) => d.field === undefined || !refused.some((f) => related(d.field!, f)));
  const diagnostics = [...book.diagnostics, ...locate(checked, book.cells)];
  return diagnostics.some((d) => d.severity === 'error') ? { diagnostics } : { plan, diagnostics };
}

