import { formatFiscalYearJapanese, formatShortFiscalYear } from '../../domain/fiscal-year.ts';
import type { Initiative, ManagementIssue, Plan } from '../../domain/plan.ts';

/**
 * Writes a plan in the seed's layout, so that parseText(renderText(plan)) gives the plan
 * back. Values that the layout cannot hold (a line break inside a table cell) are joined
 * onto one line, as an extraction would; validatePlan warns about them beforehand.
 */
export function renderText(plan: Plan): string {
  const out: string[] = [];
  const fy = formatFiscalYearJapanese(plan.fiscalYear);
  const shortYear = formatShortFiscalYear(plan.fiscalYear);
  const org = orgWord(plan.organization);
  // Loops rather than push(...lines): a plan may hold more items than a call has room for arguments.
  const blockOf = (lines: string[]) => {
    for (const l of lines) out.push(l);
    out.push('');
  };
  const block = (...lines: string[]) => blockOf(lines);

  block('', `${fy} ${plan.organization}運営方針${plan.documentStatus === 'draft' ? '(案)' : ''}`);
  if (plan.head !== null) block(`(${org}長:${oneLine(plan.head)})`);
  block('◆計画');
  block(`${org}の目標(何をめざすのか)`);
  if (plan.goal !== '') blockOf(paragraphLines(plan.goal));
  block(`${org}の使命(どのような役割を担うのか)`);
  if (plan.mission.length > 0) blockOf(plan.mission.map((m) => `- ・${oneLine(m)}`));
  block(`${fy} ${org}運営の基本的な考え方(${org}長の方針)`);
  if (plan.policy !== '') blockOf(paragraphLines(plan.policy));

  block('重点的に取り組む主な経営課題(様式2)');
  for (const issue of plan.issues) for (const row of issueRows(issue, shortYear)) out.push(row);
  out.push('');

  if (plan.reform) {
    block(`「${oneLine(plan.reform.planName)}」に基づく取組等(様式3)\t`);
    for (const item of plan.reform.items) out.push('主な取組項目\t取組内容', `${cell(item.title)}\t${cell(item.content)}`);
    out.push('');
  }

  block('◆自己評価');
  block('1年間の取組成果と今後取り組みたいこと');
  if (plan.selfEvaluation.achievements !== '') blockOf(paragraphLines(plan.selfEvaluation.achievements));
  block('解決すべき課題と今後の改善方向');
  if (plan.selfEvaluation.challenges !== '') blockOf(paragraphLines(plan.selfEvaluation.challenges));
  return out.join('\n');
}

function issueRows(issue: ManagementIssue, shortYear: string): string[] {
  const strategies = issue.strategies.map((s) => `【${s.number} ${oneLine(s.title)}】 ${cell(s.description)}`.trimEnd());
  const rows = [
    '経営課題の概要\t主な戦略',
    `【経営課題${issue.number} ${oneLine(issue.title)}】 ${cell(issue.summary)}\t${strategies.join(' ')}`,
    `主な具体的取組(${shortYear}予算額)\t`,
  ];
  for (const s of issue.strategies) for (const i of s.initiatives) rows.push(initiativeRow(i, shortYear));
  return rows;
}

function initiativeRow(i: Initiative, shortYear: string): string {
  const budget = `(${shortYear}予算額 ${amount(i.budgetThousandYen)})`;
  const cm = i.cmBudgetThousandYen === null ? '' : `(${shortYear}区CM予算額 ${amount(i.cmBudgetThousandYen)})`;
  return `【${i.number} ${oneLine(i.title)}】${budget}${cm} ${cell(i.description)}\t`;
}

function amount(value: number | null): string {
  return value === null ? '-' : `${value.toLocaleString('en-US')}千円`;
}

/** 区 for a ward, 局 or 室 for a bureau: the word the form's headings use. */
function orgWord(organization: string): string {
  const last = organization.at(-1) ?? '';
  return '局室所'.includes(last) && last !== '' ? last : '区';
}

function paragraphLines(text: string): string[] {
  return text
    .split('\n')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .flatMap((p, i) => (i === 0 ? [p] : ['', p]));
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, '').trim();
}

/** A table cell: one line, and no tab that would start another column. */
function cell(text: string): string {
  return oneLine(text).replace(/\t/g, ' ');
}
