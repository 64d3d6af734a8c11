/**
 * A plan as the blocks of its official document (Osaka's 運営方針 form), before any drawing:
 * the title and head, the ◆計画 boxes, one 様式2 table per 経営課題 (概要 beside 主な戦略, the
 * indicators and reviews of the issue and its strategies, then 主な具体的取組 with budgets,
 * each initiative's indicators and reviews, and the total), the 様式3 table and the ◆自己評価
 * boxes. Pure data: `writer.ts` draws it, tests can read it.
 *
 * The text of headings and of the 【】 headings of issues, strategies and initiatives is written
 * exactly as the text layout writes it (src/formats/text/render.ts), so the PDF's visible text
 * reads back through the text reader to the same numbers, titles and budgets.
 */
import { formatThousandYen } from '../../../domain/budget.ts';
import { formatFiscalYearJapanese, formatShortFiscalYear } from '../../../domain/fiscal-year.ts';
import { OSAKA_RATING_SCALES } from '../../../domain/pdca/rating-scales.ts';
import type {
  Indicator,
  IndicatorPoint,
  Initiative,
  ManagementIssue,
  Plan,
  Rating,
  RatingScales,
  Reviews,
  Strategy,
} from '../../../domain/plan.ts';
import type { Span } from './breaker.ts';

export interface Paragraph {
  spans: Span[];
  align?: 'left' | 'center' | 'right';
  /** A list item: the bullet hangs, wrapped lines align with the text after it. */
  bullet?: string;
}

export interface Cell {
  /** Share of the table's width. */
  width: number;
  paragraphs: Paragraph[];
  /** A header cell: shaded, bold, tagged TH. */
  header?: boolean;
  /** Shaded without being a header (labels). */
  shade?: boolean;
  /** At least this many lines tall (a box left to fill in, e.g. the year-end self-evaluation). */
  minLines?: number;
  /** No border above: this cell continues the label of the row above (a label spanning rows). */
  joinAbove?: boolean;
}

export interface Row {
  cells: Cell[];
  /** Header rows that open a part of a table: kept with the row after them. */
  header?: boolean;
  /** The header rows drawn again above this row when it starts or continues on a new page. */
  repeat?: Row[];
}

export type Block =
  | { kind: 'title'; text: string; draft: boolean }
  | { kind: 'head'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'table'; rows: Row[]; caption?: string }
  | { kind: 'space'; points: number };

const p = (text: string, bold = false): Paragraph => ({ spans: [bold ? { text, bold: true } : { text }] });
const labelled = (label: string, text: string): Paragraph => ({ spans: [{ text: `${label}:`, bold: true }, { text }] });
/** Text of a model field as paragraphs: one per line the author wrote (blank lines dropped). */
const paragraphsOf = (text: string): Paragraph[] =>
  text
    .split('\n')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => p(t));
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, '').trim();

/** 区 for a ward, 局 or 室 for a bureau: the word the form's headings use (as the text layout writes them). */
export function orgWord(organization: string): string {
  const last = organization.at(-1) ?? '';
  return '局室所'.includes(last) && last !== '' ? last : '区';
}

/** 22268 → "22,268千円", null → "-": as the form and the text layout write budgets. */
export function amount(value: number | null): string {
  return value === null ? '-' : `${value.toLocaleString('en-US')}千円`;
}

export function planTitle(plan: Plan): string {
  return `${formatFiscalYearJapanese(plan.fiscalYear)} ${plan.organization}運営方針${plan.documentStatus === 'draft' ? '(案)' : ''}`;
}

const LABEL = 0.17;
/** 指標 | 基準値 | 目標値 | 最新値, after the label column. */
const INDICATOR_COLUMNS = [0.3, 0.16, 0.17, 0.2];

export function planBlocks(plan: Plan): Block[] {
  const org = orgWord(plan.organization);
  const fy = formatFiscalYearJapanese(plan.fiscalYear);
  const shortYear = formatShortFiscalYear(plan.fiscalYear);
  const scales: RatingScales = { ...OSAKA_RATING_SCALES, ...(plan.ratingScales ?? {}) };
  const blocks: Block[] = [];

  blocks.push({ kind: 'title', text: planTitle(plan), draft: plan.documentStatus === 'draft' });
  if (plan.head !== null) blocks.push({ kind: 'head', text: `(${org}長:${oneLine(plan.head)})` });

  blocks.push({ kind: 'heading', text: '◆計画' });
  const box = (heading: string, content: Paragraph[], minLines = 2): Block => ({
    kind: 'table',
    rows: [
      { cells: [{ width: 1, header: true, paragraphs: [{ ...p(heading), align: 'left' }] }], header: true },
      { cells: [{ width: 1, paragraphs: content, minLines: content.length === 0 ? minLines : 1 }] },
    ],
  });
  blocks.push(box(`${org}の目標(何をめざすのか)`, paragraphsOf(plan.goal)));
  blocks.push({ kind: 'space', points: 8 });
  blocks.push(box(`${org}の使命(どのような役割を担うのか)`, plan.mission.map((m) => ({ spans: [{ text: oneLine(m) }], bullet: '・' }))));
  blocks.push({ kind: 'space', points: 8 });
  blocks.push(box(`${fy} ${org}運営の基本的な考え方(${org}長の方針)`, paragraphsOf(plan.policy)));
  blocks.push({ kind: 'space', points: 14 });

  blocks.push({ kind: 'heading', text: '重点的に取り組む主な経営課題(様式2)' });
  for (const [i, issue] of plan.issues.entries()) {
    if (i > 0) blocks.push({ kind: 'space', points: 12 });
    blocks.push({ kind: 'table', rows: issueRows(issue, shortYear, scales), caption: `経営課題${issue.number} ${oneLine(issue.title)}` });
  }
  const withBudgets = plan.issues.filter((issue) => issue.strategies.some((s) => s.initiatives.length > 0));
  if (withBudgets.length > 1) {
    blocks.push({ kind: 'space', points: 8 });
    blocks.push({ kind: 'table', rows: totalRows('主な具体的取組 全体', plan.issues.flatMap((issue) => issue.strategies.flatMap((s) => s.initiatives)), shortYear) });
  }
  blocks.push({ kind: 'space', points: 14 });

  if (plan.reform) {
    blocks.push({ kind: 'heading', text: `「${oneLine(plan.reform.planName)}」に基づく取組等(様式3)` });
    const header: Row = {
      header: true,
      cells: [
        { width: 0.3, header: true, paragraphs: [p('主な取組項目')] },
        { width: 0.7, header: true, paragraphs: [p('取組内容')] },
      ],
    };
    const rows: Row[] = [header];
    for (const item of plan.reform.items) {
      const content: Paragraph[] = [...paragraphsOf(item.content)];
      for (const ind of item.indicators ?? []) content.push(indicatorLine(ind));
      content.push(...reviewParagraphs(item.reviews, scales));
      rows.push({ repeat: [header], cells: [{ width: 0.3, paragraphs: [p(oneLine(item.title))] }, { width: 0.7, paragraphs: content }] });
    }
    blocks.push({ kind: 'table', rows });
    blocks.push({ kind: 'space', points: 14 });
  }

  blocks.push({ kind: 'heading', text: '◆自己評価' });
  const evaluation = plan.selfEvaluation;
  blocks.push(box('1年間の取組成果と今後取り組みたいこと', paragraphsOf(evaluation.achievements), 4));
  blocks.push({ kind: 'space', points: 8 });
  blocks.push(box('解決すべき課題と今後の改善方向', paragraphsOf(evaluation.challenges), 4));
  const optional: [string, string | undefined][] = [
    ['アウトカム指標の達成状況(定量評価)', evaluation.quantitative],
    ['自己評価(運営方針全体の定性評価)', evaluation.qualitative],
    ['今後の方針', evaluation.outlook],
  ];
  for (const [heading, text] of optional) {
    if (text === undefined || text.trim() === '') continue;
    blocks.push({ kind: 'space', points: 8 });
    blocks.push(box(heading, paragraphsOf(text)));
  }
  return blocks;
}

function issueRows(issue: ManagementIssue, shortYear: string, scales: RatingScales): Row[] {
  const header: Row = {
    header: true,
    cells: [
      { width: 0.45, header: true, paragraphs: [p('経営課題の概要')] },
      { width: 0.55, header: true, paragraphs: [p('主な戦略')] },
    ],
  };
  const summary: Paragraph[] = [{ spans: [{ text: `【経営課題${issue.number} ${oneLine(issue.title)}】`, bold: true }, ...(issue.summary.trim() === '' ? [] : [{ text: ` ${oneLine(issue.summary)}` }])] }];
  const issueFields: [string, string | undefined][] = [
    ['めざすべき将来像', issue.vision],
    ['現状', issue.currentState],
    ['要因分析', issue.causeAnalysis],
    ['課題', issue.challenge],
  ];
  for (const [label, text] of issueFields) if (text !== undefined && text.trim() !== '') summary.push(labelled(label, oneLine(text)));
  if (issue.budgetThousandYen !== undefined && issue.budgetThousandYen !== null) summary.push(labelled('予算額', formatThousandYen(issue.budgetThousandYen)));
  if (issue.sdgs && issue.sdgs.length > 0) summary.push(labelled('関連するSDGs', issue.sdgs.map((g) => `目標${g}`).join('、')));

  const strategies: Paragraph[] = [];
  for (const s of issue.strategies) {
    strategies.push({ spans: [{ text: `【${s.number} ${oneLine(s.title)}】`, bold: true }, ...(s.description.trim() === '' ? [] : [{ text: ` ${oneLine(s.description)}` }])] });
    if (s.targetState !== undefined && s.targetState.trim() !== '') strategies.push(labelled('めざす状態', oneLine(s.targetState)));
  }
  const rows: Row[] = [header, { repeat: [header], cells: [{ width: 0.45, paragraphs: summary }, { width: 0.55, paragraphs: strategies }] }];
  rows.push(...indicatorRows('アウトカム指標', issue.outcomeIndicators, [header], `(経営課題${issue.number})`));
  for (const s of issue.strategies) rows.push(...strategyRows(s, [header], scales));

  const initiatives = issue.strategies.flatMap((s) => s.initiatives);
  if (initiatives.length === 0) return rows;
  const initiativesHeader: Row = { header: true, cells: [{ width: 1, header: true, paragraphs: [p(`主な具体的取組(${shortYear}予算額)`)] }] };
  rows.push(initiativesHeader);
  for (const s of issue.strategies) for (const i of s.initiatives) rows.push(...initiativeRows(i, shortYear, [initiativesHeader], scales));
  rows.push(...totalRows(`経営課題${issue.number}`, initiatives, shortYear, [initiativesHeader]));
  return rows;
}

function strategyRows(s: Strategy, repeat: Row[], scales: RatingScales): Row[] {
  return [
    ...indicatorRows('アウトカム指標', s.outcomeIndicators, repeat, `(戦略${s.number})`),
    ...reviewRows(s.reviews, repeat, scales, `(戦略${s.number})`),
  ];
}

function initiativeRows(i: Initiative, shortYear: string, repeat: Row[], scales: RatingScales): Row[] {
  const budget = `(${shortYear}予算額 ${amount(i.budgetThousandYen)})`;
  const cm = i.cmBudgetThousandYen === null ? '' : `(${shortYear}区CM予算額 ${amount(i.cmBudgetThousandYen)})`;
  const head: Paragraph = {
    spans: [{ text: `【${i.number} ${oneLine(i.title)}】`, bold: true }, { text: `${budget}${cm}` }, ...(i.description.trim() === '' ? [] : [{ text: ` ${oneLine(i.description)}` }])],
  };
  const rows: Row[] = [{ repeat, cells: [{ width: 1, paragraphs: [head] }] }];
  rows.push(...indicatorRows('業績目標', i.processIndicators, repeat));
  if (i.priorResults !== undefined && i.priorResults.trim() !== '') rows.push(labelRow('前年度までの実績', paragraphsOf(i.priorResults), repeat));
  if (i.exitCriterion !== undefined && i.exitCriterion.trim() !== '') rows.push(labelRow('撤退・再構築基準', paragraphsOf(i.exitCriterion), repeat));
  rows.push(...reviewRows(i.reviews, repeat, scales, ''));
  return rows;
}

function labelRow(label: string, content: Paragraph[], repeat: Row[], labelLines: string[] = []): Row {
  return {
    repeat,
    cells: [
      { width: LABEL, shade: true, paragraphs: [p(label, true), ...labelLines.map((l) => p(l, true))] },
      { width: 1 - LABEL, paragraphs: content },
    ],
  };
}

/**
 * The budget total of some initiatives, and their 区CM total when any has one: a row each, label
 * beside amount, so each line reads as one label and one figure.
 */
function totalRows(label: string, initiatives: Initiative[], shortYear: string, repeat?: Row[]): Row[] {
  const total = (key: 'budgetThousandYen' | 'cmBudgetThousandYen') =>
    initiatives.every((i) => i[key] === null) ? null : initiatives.reduce((t, i) => t + (i[key] ?? 0), 0);
  const row = (what: string, value: number | null): Row => ({
    ...(repeat ? { repeat } : {}),
    cells: [
      { width: 0.66, shade: true, paragraphs: [{ spans: [{ text: `${label} ${what}`, bold: true }], align: 'right' }] },
      { width: 0.34, paragraphs: [{ spans: [{ text: formatThousandYen(value), bold: true }], align: 'right' }] },
    ],
  });
  const rows = [row(`${shortYear}予算額の計`, total('budgetThousandYen'))];
  if (initiatives.some((i) => i.cmBudgetThousandYen !== null)) rows.push(row(`${shortYear}区CM予算額の計`, total('cmBudgetThousandYen')));
  return rows;
}

// ---------------------------------------------------------------- indicators and reviews

function formatNumber(value: number): string {
  return value.toLocaleString('ja-JP', { maximumFractionDigits: 3 });
}

/** 2017-06-30 → 2017年6月30日 (dates in the page are 西暦, years 和暦, as the city writes them). */
export function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

function when(point: IndicatorPoint): string {
  if (point.fiscalYear !== undefined) return `(${formatFiscalYearJapanese(point.fiscalYear)})`;
  if (point.date !== undefined) return `(${formatDate(point.date)})`;
  return '';
}

function baselineText(ind: Indicator): string {
  return ind.baseline ? `${formatNumber(ind.baseline.value)}${ind.unit}${when(ind.baseline)}` : '-';
}

function targetText(ind: Indicator): string {
  if (!ind.target) return '-';
  return `${formatNumber(ind.target.value)}${ind.unit}${ind.direction === 'lower' ? '以下' : '以上'}${when(ind.target)}`;
}

/** The newest measurement (by date; the later one of a date wins, as it was recorded last). */
function latestText(ind: Indicator): string {
  const ms = ind.measurements ?? [];
  if (ms.length === 0) return '-';
  let latest = ms[0]!;
  for (const m of ms) if (m.date >= latest.date) latest = m;
  return `${formatNumber(latest.value)}${ind.unit}(${formatDate(latest.date)})`;
}

function indicatorRows(label: string, indicators: Indicator[] | undefined, repeat: Row[], owner = ''): Row[] {
  if (!indicators || indicators.length === 0) return [];
  const labelCell = (first: boolean): Cell => ({ width: LABEL, shade: true, joinAbove: !first, paragraphs: first ? [p(label, true)] : [] });
  const columns = (texts: string[], header = false): Cell[] =>
    texts.map((t, i) => ({ width: INDICATOR_COLUMNS[i]!, ...(header ? { shade: true } : {}), paragraphs: [header ? p(t, true) : p(t)] }));
  const rows: Row[] = [{ repeat, cells: [labelCell(true), ...columns([`指標${owner}`, '基準値', '目標値', '最新値(測定日)'], true)] }];
  for (const ind of indicators) {
    const statement = ind.source ? `${oneLine(ind.statement)}(出典:${oneLine(ind.source)})` : oneLine(ind.statement);
    rows.push({ repeat, cells: [labelCell(false), ...columns([statement, baselineText(ind), targetText(ind), latestText(ind)])] });
  }
  return rows;
}

/** One line for an indicator inside a cell (様式3): statement, baseline, target, latest. */
function indicatorLine(ind: Indicator): Paragraph {
  return labelled('指標', `${oneLine(ind.statement)} 基準値 ${baselineText(ind)} / 目標値 ${targetText(ind)} / 最新値 ${latestText(ind)}`);
}

export function ratingText(rating: Rating | null | undefined, scales: RatingScales): string | undefined {
  if (!rating) return undefined;
  const option = scales[rating.scale]?.find((o) => o.code === rating.code);
  return option ? `${option.code}${option.label}` : rating.code;
}

function reviewParagraphs(reviews: Reviews | undefined, scales: RatingScales): Paragraph[] {
  const out: Paragraph[] = [];
  const mid = reviews?.midYear;
  if (mid) {
    const ratings = [
      ['取組内容の実施見込み', ratingText(mid.implementation, scales)],
      ['目標の達成見込み', ratingText(mid.achievement, scales)],
    ].filter((r): r is [string, string] => r[1] !== undefined);
    if (ratings.length > 0) out.push(labelled('中間振り返り', ratings.map(([l, r]) => `${l} ${r}`).join(' / ')));
    if (mid.comment?.trim()) out.push(labelled('取組の進捗状況', oneLine(mid.comment)));
    if (mid.problemsAndMeasures?.trim()) out.push(labelled('課題と改善策', oneLine(mid.problemsAndMeasures)));
  }
  const end = reviews?.yearEnd;
  if (end) {
    const rating = ratingText(end.achievement, scales);
    if (rating) out.push(labelled('自己評価(年度末)', `目標の達成状況 ${rating}`));
    if (end.result?.trim()) out.push(labelled('取組実績', oneLine(end.result)));
    if (end.problemsAndMeasures?.trim()) out.push(labelled('課題と改善策', oneLine(end.problemsAndMeasures)));
  }
  return out;
}

function reviewRows(reviews: Reviews | undefined, repeat: Row[], scales: RatingScales, suffix: string): Row[] {
  const rows: Row[] = [];
  const mid = reviews?.midYear;
  if (mid) {
    const content: Paragraph[] = [];
    const ratings = [
      ['取組内容の実施見込み', ratingText(mid.implementation, scales)],
      ['目標の達成見込み', ratingText(mid.achievement, scales)],
    ].filter((r): r is [string, string] => r[1] !== undefined);
    for (const [l, r] of ratings) content.push(labelled(l, r));
    if (mid.comment?.trim()) content.push(labelled('取組の進捗状況', oneLine(mid.comment)));
    if (mid.problemsAndMeasures?.trim()) content.push(labelled('課題と改善策', oneLine(mid.problemsAndMeasures)));
    if (content.length > 0) rows.push(labelRow('中間振り返り', content, repeat, suffix ? [suffix] : []));
  }
  const end = reviews?.yearEnd;
  if (end) {
    const content: Paragraph[] = [];
    const rating = ratingText(end.achievement, scales);
    if (rating) content.push(labelled('目標の達成状況', rating));
    if (end.result?.trim()) content.push(labelled('取組実績', oneLine(end.result)));
    if (end.problemsAndMeasures?.trim()) content.push(labelled('課題と改善策', oneLine(end.problemsAndMeasures)));
    if (content.length > 0) rows.push(labelRow('自己評価', content, repeat, suffix ? [suffix] : []));
  }
  return rows;
}
