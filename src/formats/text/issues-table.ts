import { error, warning, type Diagnostic } from '../../domain/diagnostic.ts';
import { formatFiscalYearJapanese, shortYearMatches } from '../../domain/fiscal-year.ts';
import type { Initiative, ManagementIssue, Strategy } from '../../domain/plan.ts';
import { budgetProblem } from '../../domain/validate.ts';
import type { SourceMap } from '../source-map.ts';
import { fold, parseGroupedInteger } from './fold.ts';
import { parseShortYear, REFORM_HEADER_ROW } from './headings.ts';
import { isBlank, JoinedText, type SourceLine } from './lines.ts';

/**
 * 重点的に取り組む主な経営課題 (様式2): a table whose rows are lines. An issue's row holds
 * its summary, a tab, then its strategies; initiatives follow on rows of their own. A line
 * that starts no row continues the row before it (the extraction wrapped it).
 */

type RowKind = 'header' | 'issue' | 'strategy' | 'initiativesHeader' | 'initiative';

interface Row {
  kind: RowKind;
  text: JoinedText;
}

const ROW_STARTS: { kind: RowKind; pattern: RegExp }[] = [
  { kind: 'header', pattern: /^経営課題の概要(?:\s|$)/ },
  { kind: 'issue', pattern: /^【\s*経営課題\s*\d/ },
  { kind: 'initiativesHeader', pattern: /^主な具体的取組/ },
  { kind: 'initiative', pattern: /^【\s*\d+\s*-\s*\d+\s*-\s*\d+/ },
  { kind: 'strategy', pattern: /^【\s*\d+\s*-\s*\d+/ },
];

const STRATEGY_IN_SUMMARY = /【\s*\d+\s*-\s*\d+(?!\s*-\s*\d)/;
const STRATEGY_MARK = /【\s*(\d+)\s*-\s*(\d+)(?!\s*-\s*\d)/g;
const STRATEGY = /^【\s*(\d+)\s*-\s*(\d+)\s*(.*?)】(.*)$/ds;
const ISSUE = /^【\s*経営課題\s*(\d+)\s*(.*?)】(.*)$/ds;
const INITIATIVE = /^【\s*(\d+)\s*-\s*(\d+)\s*-\s*(\d+)\s*(.*?)】(.*)$/ds;
/** A budget's parentheses hold a year, a label and an amount: anything longer is not one. */
const MAX_BUDGET_LABEL = 200;
const BUDGET = /^(?:(?<year>[^()]*?)年度)?\s*(?<cm>区\s*CM\s*)?予算額\s*:?\s*(?<amount>.*?)\s*$/d;

interface PendingInitiative {
  initiative: Initiative;
  line: number;
  /** The issue whose block the row stood in. */
  blockIssue: number | undefined;
}

export interface IssuesTableResult {
  issues: ManagementIssue[];
}

export function parseIssuesTable(
  lines: SourceLine[],
  fiscalYear: number,
  diagnostics: Diagnostic[],
  sourceMap: SourceMap,
): ManagementIssue[] {
  const rows = toRows(lines, diagnostics);
  const issues: ManagementIssue[] = [];
  const pending: PendingInitiative[] = [];
  let current: ManagementIssue | undefined;

  for (const row of rows) {
    switch (row.kind) {
      case 'header':
        break;
      case 'issue': {
        current = parseIssueRow(row.text, diagnostics, sourceMap, issues.length);
        if (current) issues.push(current);
        break;
      }
      case 'strategy': {
        if (!current) {
          diagnostics.push(error('経営課題より前に戦略があります', { line: row.text.line }));
          break;
        }
        parseStrategies(row.text, 0, current, diagnostics, sourceMap, issues.length - 1);
        break;
      }
      case 'initiativesHeader':
        checkYearLabel(row.text.folded, fiscalYear, row.text.line, diagnostics);
        break;
      case 'initiative': {
        const parsed = parseInitiativeRow(row.text, fiscalYear, diagnostics);
        if (parsed) pending.push({ initiative: parsed, line: row.text.line, blockIssue: current?.number });
        break;
      }
      default: {
        const unhandled: never = row.kind;
        throw new Error(`unhandled row kind ${String(unhandled)}`);
      }
    }
  }
  attachInitiatives(pending, issues, diagnostics, sourceMap);
  return issues;
}

/** A 主な具体的取組(29年度予算額) header cut inside its parentheses continues on the next line. */
function isOpenRow(row: Row): boolean {
  if (row.kind !== 'initiativesHeader') return false;
  const folded = row.text.folded;
  return folded.includes('(') && !folded.includes(')');
}

function toRows(lines: SourceLine[], diagnostics: Diagnostic[]): Row[] {
  const rows: Row[] = [];
  let strayReformHeader = false;
  for (const l of lines) {
    if (isBlank(l.text)) continue;
    const folded = fold(l.text).trim();
    if (REFORM_HEADER_ROW.test(folded)) {
      if (strayReformHeader) continue;
      strayReformHeader = true;
      // 様式3's header row inside 様式2: its heading was not recognized (wrapped or misspelt), and
      // reading on would file the whole 様式3 under the last initiative.
      diagnostics.push(error('様式3の表の見出し行がありますが、その前に「「市政改革プラン…」に基づく取組等(様式3)」の見出しが見つかりません(見出しが折り返されていないか確かめてください)', { line: l.line }));
      continue;
    }
    const kind = ROW_STARTS.find((r) => r.pattern.test(folded))?.kind;
    const last = rows.at(-1);
    if (kind) rows.push({ kind, text: new JoinedText(l) });
    else if (/^【\s*\d/.test(folded)) {
      // A numbered row whose number cannot be read (a dash look-alike such as ー): continuing the
      // row before with it would file an initiative or strategy under another one's description.
      diagnostics.push(error('【】の中の番号を読めません(「【1-1 …】」「【1-1-1 …】」のように「-」で区切ってください)', { line: l.line }));
    } else if (last && (isOpenRow(last) || (last.kind !== 'header' && last.kind !== 'initiativesHeader'))) last.text.append(l);
    else diagnostics.push(error('経営課題の表の中で、どの欄に属するか分からない行があります', { line: l.line }));
  }
  return rows;
}

function parseIssueRow(
  text: JoinedText,
  diagnostics: Diagnostic[],
  sourceMap: SourceMap,
  index: number,
): ManagementIssue | undefined {
  const tab = text.text.indexOf('\t');
  const left = tab < 0 ? text.text : text.text.slice(0, tab);
  const m = ISSUE.exec(fold(left));
  if (!m) {
    diagnostics.push(error('経営課題の見出しに閉じ括弧「】」がありません', { line: text.line }));
    return undefined;
  }
  const [titleStart, titleEnd] = m.indices![2]!;
  const [summaryStart, summaryEnd] = m.indices![3]!;
  const issue: ManagementIssue = {
    number: Number(m[1]),
    title: left.slice(titleStart, titleEnd).trim(),
    summary: left.slice(summaryStart, summaryEnd).trim(),
    strategies: [],
  };
  if (tab < 0 && STRATEGY_IN_SUMMARY.test(fold(issue.summary))) {
    // Without the column tab, strategies would be read as part of the summary.
    diagnostics.push(error(`経営課題${issue.number}の概要と主な戦略の間に、欄を区切るタブがありません`, { line: text.line }));
  }
  const at = `issues[${index}]`;
  sourceMap.set(at, text.line);
  if (tab >= 0) parseStrategies(text, tab + 1, issue, diagnostics, sourceMap, index);
  return issue;
}

/** The strategies written from `from` on: 【N-M 題】 説明 【N-M 題】 説明 … */
function parseStrategies(
  text: JoinedText,
  from: number,
  issue: ManagementIssue,
  diagnostics: Diagnostic[],
  sourceMap: SourceMap,
  issueIndex: number,
): void {
  const folded = text.folded;
  const marks = [...folded.slice(from).matchAll(STRATEGY_MARK)].map((m) => from + m.index);
  const before = text.text.slice(from, marks[0] ?? text.text.length).trim();
  if (before !== '') {
    diagnostics.push(error('主な戦略の欄に、番号(【1-1 …】の形式)のない文字列があります', { line: text.lineAt(from) }));
  }
  marks.forEach((start, i) => {
    const end = marks[i + 1] ?? text.text.length;
    const segment = text.text.slice(start, end);
    const line = text.lineAt(start);
    const m = STRATEGY.exec(fold(segment));
    if (!m) {
      diagnostics.push(error('戦略の見出しに閉じ括弧「】」がありません', { line }));
      return;
    }
    const [titleStart, titleEnd] = m.indices![3]!;
    const [descStart, descEnd] = m.indices![4]!;
    const strategy: Strategy = {
      number: `${Number(m[1])}-${Number(m[2])}`,
      title: segment.slice(titleStart, titleEnd).trim(),
      description: segment.slice(descStart, descEnd).trim(),
      initiatives: [],
    };
    sourceMap.set(`issues[${issueIndex}].strategies[${issue.strategies.length}]`, line);
    issue.strategies.push(strategy);
  });
}

function parseInitiativeRow(text: JoinedText, fiscalYear: number, diagnostics: Diagnostic[]): Initiative | undefined {
  // The right column of an initiative's row is empty in the form: text there is a wrap of the description.
  const whole = text.text.replace(/\t/g, '');
  const folded = fold(whole);
  const m = INITIATIVE.exec(folded);
  if (!m) {
    diagnostics.push(error('具体的取組の見出しに閉じ括弧「】」がありません', { line: text.line }));
    return undefined;
  }
  const number = `${Number(m[1])}-${Number(m[2])}-${Number(m[3])}`;
  const [titleStart, titleEnd] = m.indices![4]!;
  const initiative: Initiative = {
    number,
    title: whole.slice(titleStart, titleEnd).trim(),
    budgetThousandYen: null,
    cmBudgetThousandYen: null,
    description: '',
  };
  let pos = m.indices![5]![0];
  const seen = new Set<string>();
  // Budgets are the parenthesized 予算額 labels right after the heading.
  for (;;) {
    while (pos < folded.length && /\s/.test(folded[pos]!)) pos++;
    if (folded[pos] !== '(') break;
    const close = folded.indexOf(')', pos);
    const inner = folded.slice(pos + 1, close < 0 ? undefined : close);
    if (!inner.includes('予算額')) break;
    if (inner.length > MAX_BUDGET_LABEL) {
      diagnostics.push(error(`具体的取組${number}の予算額の括弧が長すぎて読めません`, { line: text.lineAt(pos) }));
      return undefined;
    }
    if (close < 0) {
      diagnostics.push(error(`具体的取組${number}の予算額の括弧が閉じていません`, { line: text.line }));
      return undefined;
    }
    const b = BUDGET.exec(inner);
    const original = whole.slice(pos + 1, close);
    if (!b?.groups) {
      diagnostics.push(error(`具体的取組${number}の予算額「${original}」を読めません`, { line: text.line }));
      return undefined;
    }
    const key = b.groups.cm ? 'cmBudgetThousandYen' : 'budgetThousandYen';
    if (seen.has(key)) {
      diagnostics.push(error(`具体的取組${number}に${b.groups.cm ? '区CM予算額' : '予算額'}が2つあります`, { line: text.line }));
      return undefined;
    }
    seen.add(key);
    const amount = parseAmount(b.groups.amount ?? '');
    if (amount === undefined) {
      const [as, ae] = b.indices!.groups!.amount!;
      const negative = NEGATIVE_AMOUNT.exec(b.groups.amount ?? '');
      const magnitude = negative ? parseGroupedInteger(negative[1]!) : undefined;
      if (magnitude !== undefined && magnitude > 0) {
        // Written as a budget, but below 0: say so, as the editor and the JSON reader do.
        const label = `具体的取組${number}の${b.groups.cm ? '区CM予算額' : '予算額'}`;
        diagnostics.push(error(budgetProblem(-magnitude, label, original.slice(as, ae))!, { line: text.line }));
        return undefined;
      }
      diagnostics.push(
        error(`具体的取組${number}の予算額「${original.slice(as, ae)}」を読めません(「22,268千円」または「-」の形で書いてください)`, { line: text.line }),
      );
      return undefined;
    }
    initiative[key] = amount;
    if (b.groups.year !== undefined) checkShortYear(b.groups.year, fiscalYear, text.line, diagnostics);
    pos = close + 1;
  }
  initiative.description = whole.slice(pos).trim();
  return initiative;
}

/** "-5千円", "△5千円", "▲5千円" (folded): a negative amount, its magnitude in group 1. */
const NEGATIVE_AMOUNT = /^[-△▲]\s*([\d,]+)\s*千円$/;

/** "22,268千円" → 22268; "-" → null; undefined when unreadable. */
function parseAmount(folded: string): number | null | undefined {
  const t = folded.trim();
  // "-" in any of its look-alikes, the prolonged sound mark ー included, means no budget.
  if (/^[-ーｰ]+$/.test(t)) return null;
  const m = /^([\d,]+)\s*千円$/.exec(t);
  return m ? parseGroupedInteger(m[1]!) : undefined;
}

function checkYearLabel(folded: string, fiscalYear: number, line: number, diagnostics: Diagnostic[]): void {
  const m = /\(([^()]*?)年度\s*予算額\)/.exec(folded.slice(0, MAX_BUDGET_LABEL));
  if (m) checkShortYear(m[1]!, fiscalYear, line, diagnostics);
}

function checkShortYear(label: string, fiscalYear: number, line: number, diagnostics: Diagnostic[]): void {
  const year = parseShortYear(label);
  if (year === undefined) {
    diagnostics.push(warning(`予算額の年度「${label}年度」を読めません`, { line }));
  } else if (!shortYearMatches(year, fiscalYear)) {
    diagnostics.push(warning(`予算額の年度「${label.trim()}年度」が表題の年度(${formatFiscalYearJapanese(fiscalYear)})と異なります`, { line }));
  }
}

/** An initiative belongs to the strategy its number names, which must be listed under its issue. */
function attachInitiatives(
  pending: PendingInitiative[],
  issues: ManagementIssue[],
  diagnostics: Diagnostic[],
  sourceMap: SourceMap,
): void {
  // Indexes by number, the first of a repeated number winning (as a search from the start
  // would): one lookup per initiative, so 100,000 initiatives naming missing issues cost no more.
  const issueIndexes = new Map<number, number>();
  issues.forEach((issue, i) => {
    if (!issueIndexes.has(issue.number)) issueIndexes.set(issue.number, i);
  });
  const strategyIndexes = new Map<number, Map<string, number>>();
  const strategyIndexOf = (issueIndex: number, strategyNumber: string): number => {
    let byNumber = strategyIndexes.get(issueIndex);
    if (!byNumber) {
      byNumber = new Map();
      for (const [j, s] of issues[issueIndex]!.strategies.entries()) if (!byNumber.has(s.number)) byNumber.set(s.number, j);
      strategyIndexes.set(issueIndex, byNumber);
    }
    return byNumber.get(strategyNumber) ?? -1;
  };
  for (const { initiative, line, blockIssue } of pending) {
    const [issueNo, strategyNo] = initiative.number.split('-').map(Number) as [number, number];
    const strategyNumber = `${issueNo}-${strategyNo}`;
    const issueIndex = issueIndexes.get(issueNo) ?? -1;
    const issue = issues[issueIndex];
    const strategyIndex = issue ? strategyIndexOf(issueIndex, strategyNumber) : -1;
    const strategy = issue?.strategies[strategyIndex];
    if (!issue || !strategy) {
      diagnostics.push(
        error(
          issue
            ? `具体的取組${initiative.number}の戦略${strategyNumber}が、経営課題${issueNo}の主な戦略にありません`
            : `具体的取組${initiative.number}の経営課題${issueNo}がありません`,
          { line },
        ),
      );
      continue;
    }
    if (blockIssue !== undefined && blockIssue !== issueNo) {
      diagnostics.push(warning(`具体的取組${initiative.number}が経営課題${blockIssue}の欄にあります(番号に従い経営課題${issueNo}の取組とします)`, { line }));
    }
    const at = `issues[${issueIndex}].strategies[${strategyIndex}].initiatives[${strategy.initiatives.length}]`;
    sourceMap.set(at, line);
    strategy.initiatives.push(initiative);
  }
}
