import { error, warning, type Diagnostic } from './diagnostic.ts';
import { isPlausibleFiscalYear } from './fiscal-year.ts';
import { parseItemNumber, strategyNumber } from './numbering.ts';
import { DOCUMENT_STATUSES, type Plan } from './plan.ts';

/**
 * Every problem in a plan, each with the field it is in. Errors make a plan unfit to
 * store or publish; warnings are worth a look but do not stop anything.
 */
export function validatePlan(plan: Plan): Diagnostic[] {
  const out: Diagnostic[] = [];
  const req = (value: string, field: string, label: string) => {
    if (value.trim() === '') out.push(error(`${label}が空です`, { field }));
  };
  // Text documents are laid out one item per line: a line break or tab inside these cannot survive.
  const oneLine = (value: string, field: string, label: string) => {
    if (/[\n\t]/.test(value)) out.push(warning(`${label}に改行またはタブが含まれています(テキスト形式では1行に連結されます)`, { field }));
  };

  req(plan.organization, 'organization', '組織名');
  oneLine(plan.organization, 'organization', '組織名');
  if (!isPlausibleFiscalYear(plan.fiscalYear)) {
    out.push(error(`年度 ${plan.fiscalYear} は有効な年度ではありません`, { field: 'fiscalYear' }));
  }
  if (!DOCUMENT_STATUSES.includes(plan.documentStatus)) {
    out.push(error(`文書の状態「${String(plan.documentStatus)}」は draft か final のいずれかです`, { field: 'documentStatus' }));
  }
  req(plan.goal, 'goal', '区の目標');
  plan.mission.forEach((m, i) => {
    req(m, `mission[${i}]`, `区の使命の${i + 1}番目の項目`);
    oneLine(m, `mission[${i}]`, `区の使命の${i + 1}番目の項目`);
  });

  const issueNumbers = new Set<number>();
  const strategyNumbers = new Set<string>();
  const initiativeNumbers = new Set<string>();
  plan.issues.forEach((issue, i) => {
    const at = `issues[${i}]`;
    if (!Number.isInteger(issue.number) || issue.number < 1) {
      out.push(error(`経営課題の番号 ${issue.number} は1以上の整数でなければなりません`, { field: `${at}.number` }));
    } else if (issueNumbers.has(issue.number)) {
      out.push(error(`経営課題${issue.number}の番号が重複しています`, { field: `${at}.number` }));
    }
    issueNumbers.add(issue.number);
    req(issue.title, `${at}.title`, `経営課題${issue.number}の題名`);
    oneLine(issue.title, `${at}.title`, `経営課題${issue.number}の題名`);
    oneLine(issue.summary, `${at}.summary`, `経営課題${issue.number}の概要`);

    issue.strategies.forEach((strategy, j) => {
      const sat = `${at}.strategies[${j}]`;
      const n = parseItemNumber(strategy.number);
      if (n?.kind !== 'strategy') {
        out.push(error(`戦略の番号「${strategy.number}」は「経営課題番号-戦略番号」(例: 1-1)の形式でなければなりません`, { field: `${sat}.number` }));
      } else if (n.issue !== issue.number) {
        out.push(error(`戦略${strategy.number}は経営課題${n.issue}の番号ですが、経営課題${issue.number}の下にあります`, { field: `${sat}.number` }));
      } else if (strategyNumbers.has(strategy.number)) {
        out.push(error(`戦略${strategy.number}の番号が重複しています`, { field: `${sat}.number` }));
      }
      strategyNumbers.add(strategy.number);
      req(strategy.title, `${sat}.title`, `戦略${strategy.number}の題名`);
      oneLine(strategy.title, `${sat}.title`, `戦略${strategy.number}の題名`);
      oneLine(strategy.description, `${sat}.description`, `戦略${strategy.number}の説明`);

      strategy.initiatives.forEach((initiative, k) => {
        const iat = `${sat}.initiatives[${k}]`;
        const m = parseItemNumber(initiative.number);
        if (m?.kind !== 'initiative') {
          out.push(error(`具体的取組の番号「${initiative.number}」は「経営課題-戦略-取組」(例: 1-1-1)の形式でなければなりません`, { field: `${iat}.number` }));
        } else if (strategyNumber(m.issue, m.strategy) !== strategy.number) {
          out.push(error(`具体的取組${initiative.number}は戦略${strategyNumber(m.issue, m.strategy)}の番号ですが、戦略${strategy.number}の下にあります`, { field: `${iat}.number` }));
        } else if (initiativeNumbers.has(initiative.number)) {
          out.push(error(`具体的取組${initiative.number}の番号が重複しています`, { field: `${iat}.number` }));
        }
        initiativeNumbers.add(initiative.number);
        req(initiative.title, `${iat}.title`, `具体的取組${initiative.number}の題名`);
        oneLine(initiative.title, `${iat}.title`, `具体的取組${initiative.number}の題名`);
        oneLine(initiative.description, `${iat}.description`, `具体的取組${initiative.number}の説明`);
        for (const key of ['budgetThousandYen', 'cmBudgetThousandYen'] as const) {
          const v = initiative[key];
          if (v !== null && (!Number.isSafeInteger(v) || v < 0)) {
            out.push(error(`具体的取組${initiative.number}の予算額 ${v} は0以上の整数(千円)でなければなりません`, { field: `${iat}.${key}` }));
          }
        }
      });
    });
  });

  if (plan.reform) {
    req(plan.reform.planName, 'reform.planName', '市政改革プランの名称');
    plan.reform.items.forEach((item, i) => {
      req(item.title, `reform.items[${i}].title`, `様式3の${i + 1}番目の取組項目`);
      oneLine(item.title, `reform.items[${i}].title`, `様式3の${i + 1}番目の取組項目`);
      oneLine(item.content, `reform.items[${i}].content`, `様式3の${i + 1}番目の取組内容`);
    });
  }
  return out;
}
