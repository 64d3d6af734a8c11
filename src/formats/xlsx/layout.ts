/**
 * What the writer and the reader of the .xlsx agree on: sheet names, the column grid, the
 * labels of the rows and the cell-text rules. docs/official-xlsx.md explains the layout.
 *
 * The 様式 sheets share one grid: A–I are what people see and print, J and K are hidden and
 * hold what a person never types (item ids, the previous year's id, a rating's scale name, a
 * section's tag), so a round trip through Excel keeps them.
 */
import { neutralizeFormula } from '../csv/open-data.ts';

export const SHEET = {
  form1: '様式1',
  form2: '様式2',
  form3: '様式3',
  selfEvaluation: '自己評価',
  initiatives: '取組一覧',
  measurements: '測定値',
  scales: '評価区分',
} as const;

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Widths of A–I in Excel's character units: 番号, 名称, 内容/指標, 単位, 基準値, 目標値, 最新値, 予算額, 区CM予算額. */
export const GRID_WIDTHS = [7, 18, 26, 8, 9, 9, 9, 11, 11] as const;
/** Hidden: the item's (or indicator's) id, a section tag, or a rating's scale name. */
export const COL_ID = 10;
/** Hidden: the id of the item this one continues from last year (carriedFrom). */
export const COL_CARRIED = 11;
export const LAST_VISIBLE = 9;

/** Tags in the hidden column of 様式1 and 自己評価: which part of the plan the rows below hold. */
export const FORM1_TAGS = ['organization', 'fiscalYear', 'head', 'documentStatus', 'goal', 'mission', 'policy', 'issues'] as const;
export type Form1Tag = (typeof FORM1_TAGS)[number];
export const SELF_EVALUATION_FIELDS = ['achievements', 'challenges', 'quantitative', 'qualitative', 'outlook'] as const;
export type SelfEvaluationField = (typeof SELF_EVALUATION_FIELDS)[number];

export const SELF_EVALUATION_LABELS: Record<SelfEvaluationField, string> = {
  achievements: '1年間の取組成果と今後取り組みたいこと',
  challenges: '解決すべき課題と今後の改善方向',
  quantitative: 'アウトカム指標の達成状況(定量評価)',
  qualitative: '自己評価(運営方針全体の定性評価)',
  outlook: '今後の方針',
};

/** Labels of the rows under an item on 様式2/様式3 (column B, or A:B for an issue's). */
export const LABEL = {
  summary: '経営課題の概要',
  vision: 'めざすべき将来像',
  currentState: '現状',
  causeAnalysis: '要因分析',
  challenge: '課題',
  issueBudget: '経営課題の予算額',
  sdgs: '関連するSDGs',
  targetState: 'めざす状態',
  priorResults: '前年度までの実績',
  exitCriterion: '撤退・再構築基準',
  outcomeIndicators: 'アウトカム指標',
  processIndicators: '業績目標',
  reformIndicators: '指標',
  midYear: '中間振り返り',
  yearEnd: '自己評価',
  implementation: '取組内容の実施見込み',
  midYearAchievement: '目標の達成見込み',
  comment: '取組の進捗状況',
  problemsAndMeasures: '課題と改善策',
  yearEndAchievement: '目標の達成状況',
  result: '取組実績',
} as const;

export const DIRECTION_LABEL = { higher: '高いほど良い', lower: '低いほど良い' } as const;
export const STATUS_LABEL = { draft: '案', final: '確定' } as const;

/** The key of an indicator without an id, in the hidden column and in 測定値's 指標ID: "#3". Ids never start with "#". */
export const LOCAL_INDICATOR_KEY = /^#\d+$/;

// ---------------------------------------------------------------- cell text

/**
 * OOXML strings escape characters XML cannot carry as `_xHHHH_` (ECMA-376 ST_Xstring), and
 * exceljs decodes that on reading but does not encode on writing: it drops control characters
 * and an XML parser turns CR into LF. So CR and other controls are written escaped, and a
 * literal `_xHHHH_` in the text gets its underscore escaped (`_x005F_`), as Excel writes it.
 */
const NEEDS_ESCAPE = /_x[0-9A-Fa-f]{4}_|[\u0000-\u0008\u000b-\u001f\u007f]/g;

export function escapeCellText(text: string): string {
  return text.replace(NEEDS_ESCAPE, (m) => (m.length > 1 ? `_x005F${m}` : `_x${m.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`));
}

/**
 * Whether a text would be a formula if a person re-entered it in Excel (=, +, -, @, tab, CR at
 * the start): the same test as the CSV's (neutralizeFormula), which adds a quote there.
 */
export function startsLikeFormula(text: string): boolean {
  return neutralizeFormula(text) !== text;
}

/**
 * Excel shows a Text-formatted ('@') cell of more than 255 characters as ####, so only shorter
 * formula-like texts get the Text format; longer ones stay plain string cells (never evaluated
 * on opening, see docs/official-xlsx.md).
 */
export const TEXT_FORMAT_MAX = 255;

// ---------------------------------------------------------------- row heights

/** Display width of a text in Excel character units at 10pt: full-width characters count about two. */
export function textUnits(text: string, fontSize = 10): number {
  let units = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    // BIZ UDPGothic is proportional: kana and punctuation are narrower than kanji.
    units += c < 0x2000 || (c >= 0xff61 && c <= 0xff9f) ? 1.05 : c >= 0x3000 && c <= 0x30ff ? 1.6 : 1.85;
  }
  return (units * fontSize) / 10;
}

/** Lines a text wraps to in a cell `width` units wide. */
export function wrappedLines(text: string, width: number, fontSize = 10): number {
  const usable = Math.max(1, width - 1.2);
  let lines = 0;
  for (const paragraph of text.split('\n')) lines += Math.max(1, Math.ceil(textUnits(paragraph, fontSize) / usable));
  return lines;
}

/** Excel's largest row height in points. */
export const MAX_ROW_HEIGHT = 409;

export function rowHeightFor(lines: number, fontSize = 10): number {
  return Math.min(MAX_ROW_HEIGHT, Math.ceil(lines * fontSize * 1.5 + 5));
}

/** Width in units of the columns from..to (1-based, inclusive) of the grid. */
export function spanWidth(from: number, to: number): number {
  let w = 0;
  for (let c = from; c <= to; c++) w += GRID_WIDTHS[c - 1] ?? 0;
  return w;
}
