import { error, warning, type Diagnostic } from './diagnostic.ts';
import { isPlausibleFiscalYear } from './fiscal-year.ts';
import { idProblems } from './item-ids.ts';
import { formatCount, PLAN_LIMITS } from './limits.ts';
import { planRuleChars, planRuleProblems } from './pdca/plan-rules.ts';
import { parseItemNumber, strategyNumber } from './numbering.ts';
import { DOCUMENT_STATUSES, type Plan } from './plan.ts';

/**
 * Controls other than line feed and tab, and UTF-16 surrogates without their pair: none can
 * be typed, PostgreSQL refuses NUL, and the text layout's own reader refuses the rest.
 */
const BAD_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Characters as a reader counts them: code points, so an emoji is one. */
function charCount(value: string): number {
  let n = value.length;
  for (let i = 0; i < value.length - 1; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function codePointName(c: number): string {
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Why a budget in 千円 cannot be stored, as a message about `label` (「具体的取組1-1-1の予算額」);
 * undefined when it can. Shared by validatePlan, the JSON reader and the editor form, so all
 * say the same. `written` is the value as the user typed it, shown instead of the number.
 */
export function budgetProblem(value: number, label: string, written?: string): string | undefined {
  const max = PLAN_LIMITS.budgetThousandYen.max;
  const now = written === undefined ? formatCount(value) : `「${written}」`;
  if (Number.isNaN(value)) return `${label}が数値ではありません`;
  if (value < 0) return `${label}は0以上の数で入力してください(現在 ${now})`;
  if (value > max) return `${label}が大きすぎます(上限 ${formatCount(max)}千円、現在 ${written === undefined ? `${now}千円` : now})`;
  if (!Number.isInteger(value)) return `${label}は千円単位の整数で入力してください(現在 ${now})`;
  return undefined;
}

/**
 * Every problem in a plan, each with the field it is in. Errors make a plan unfit to
 * store or publish; warnings are worth a look but do not stop anything.
 *
 * Sizes are checked against PLAN_LIMITS. Items past a list's limit are not checked one by
 * one: the list is already refused, and a 100,000-item upload should cost one message, not
 * 100,000.
 */
export function validatePlan(plan: Plan): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { chars, items } = PLAN_LIMITS;

  /** Characters allowed, length and emptiness of one text field. */
  const check = (value: string, field: string, label: string, max: number, options: { required?: boolean; oneLine?: boolean } = {}) => {
    const bad = BAD_CHARACTER.exec(value);
    if (bad) {
      const c = bad[0].charCodeAt(0);
      out.push(
        error(
          c >= 0xd800
            ? `${label}に不正な文字(対になっていないサロゲート ${codePointName(c)})が含まれています`
            : `${label}に制御文字(${codePointName(c)})が含まれています`,
          { field },
        ),
      );
    }
    // length ≥ code points: count them only when the cheap bound does not settle it.
    if (value.length > max) {
      const n = charCount(value);
      if (n > max) out.push(error(`${label}は${formatCount(max)}文字以内にしてください(現在 ${formatCount(n)}文字)`, { field }));
    }
    if (options.required && value.trim() === '') out.push(error(`${label}が空です`, { field }));
    // Text documents are laid out one item per line: a line break or tab inside these cannot survive.
    if (options.oneLine && /[\n\t]/.test(value)) {
      out.push(warning(`${label}に改行またはタブが含まれています(テキスト形式では1行に連結されます)`, { field }));
    }
  };
  /** Reports a list over its limit; returns how many of its items to check. */
  const listLimit = (length: number, max: number, field: string, label: string): number => {
    if (length <= max) return length;
    out.push(error(`${label}は${formatCount(max)}件以内にしてください(現在 ${formatCount(length)}件)`, { field }));
    return max;
  };

  check(plan.organization, 'organization', '組織名', chars.organization, { required: true, oneLine: true });
  if (!isPlausibleFiscalYear(plan.fiscalYear)) {
    out.push(error(`年度 ${plan.fiscalYear} は有効な年度ではありません`, { field: 'fiscalYear' }));
  }
  if (!DOCUMENT_STATUSES.includes(plan.documentStatus)) {
    out.push(error(`文書の状態「${String(plan.documentStatus)}」は draft か final のいずれかです`, { field: 'documentStatus' }));
  }
  if (plan.head !== null) check(plan.head, 'head', '区長名', chars.head, { oneLine: true });
  check(plan.goal, 'goal', '区の目標', chars.text, { required: true });
  const missionCount = listLimit(plan.mission.length, items.mission, 'mission', '区の使命の項目');
  for (let i = 0; i < missionCount; i++) {
    check(plan.mission[i]!, `mission[${i}]`, `区の使命の${i + 1}番目の項目`, chars.missionItem, { required: true, oneLine: true });
  }
  check(plan.policy, 'policy', '区運営の基本的な考え方', chars.text);

  const totalInitiatives = plan.issues.reduce((n, issue) => n + issue.strategies.reduce((m, s) => m + s.initiatives.length, 0), 0);
  let initiativesLeft = Math.min(totalInitiatives, PLAN_LIMITS.plan.initiatives);
  if (totalInitiatives > PLAN_LIMITS.plan.initiatives) {
    const message = `具体的取組は文書全体で${formatCount(PLAN_LIMITS.plan.initiatives)}件以内にしてください(現在 ${formatCount(totalInitiatives)}件)`;
    out.push(error(message, { field: 'issues' }));
  }
  /** Items checked one by one (those within their lists' limits): their ids are checked too. */
  const checkedItems = new Set<string>();
  const issueNumbers = new Set<number>();
  const strategyNumbers = new Set<string>();
  const initiativeNumbers = new Set<string>();
  const issueCount = listLimit(plan.issues.length, items.issues, 'issues', '経営課題');
  for (let i = 0; i < issueCount; i++) {
    const issue = plan.issues[i]!;
    const at = `issues[${i}]`;
    checkedItems.add(at);
    if (!Number.isInteger(issue.number) || issue.number < 1) {
      out.push(error(`経営課題の番号 ${issue.number} は1以上の整数でなければなりません`, { field: `${at}.number` }));
    } else if (issueNumbers.has(issue.number)) {
      out.push(error(`経営課題${issue.number}の番号が重複しています`, { field: `${at}.number` }));
    }
    issueNumbers.add(issue.number);
    check(issue.title, `${at}.title`, `経営課題${issue.number}の題名`, chars.title, { required: true, oneLine: true });
    check(issue.summary, `${at}.summary`, `経営課題${issue.number}の概要`, chars.text, { oneLine: true });

    const strategyCount = listLimit(issue.strategies.length, items.strategiesPerIssue, `${at}.strategies`, `経営課題${issue.number}の戦略`);
    for (let j = 0; j < strategyCount; j++) {
      const strategy = issue.strategies[j]!;
      const sat = `${at}.strategies[${j}]`;
      checkedItems.add(sat);
      const n = parseItemNumber(strategy.number);
      if (n?.kind !== 'strategy') {
        out.push(error(`戦略の番号「${strategy.number}」は「経営課題番号-戦略番号」(例: 1-1)の形式でなければなりません`, { field: `${sat}.number` }));
      } else if (n.issue !== issue.number) {
        out.push(error(`戦略${strategy.number}は経営課題${n.issue}の番号ですが、経営課題${issue.number}の下にあります`, { field: `${sat}.number` }));
      } else if (strategyNumbers.has(strategy.number)) {
        out.push(error(`戦略${strategy.number}の番号が重複しています`, { field: `${sat}.number` }));
      }
      strategyNumbers.add(strategy.number);
      check(strategy.title, `${sat}.title`, `戦略${strategy.number}の題名`, chars.title, { required: true, oneLine: true });
      check(strategy.description, `${sat}.description`, `戦略${strategy.number}の説明`, chars.text, { oneLine: true });

      const initiativeCount = Math.min(
        listLimit(strategy.initiatives.length, items.initiativesPerStrategy, `${sat}.initiatives`, `戦略${strategy.number}の具体的取組`),
        initiativesLeft,
      );
      initiativesLeft -= initiativeCount;
      for (let k = 0; k < initiativeCount; k++) {
        const initiative = strategy.initiatives[k]!;
        const iat = `${sat}.initiatives[${k}]`;
        checkedItems.add(iat);
        const m = parseItemNumber(initiative.number);
        if (m?.kind !== 'initiative') {
          out.push(error(`具体的取組の番号「${initiative.number}」は「経営課題-戦略-取組」(例: 1-1-1)の形式でなければなりません`, { field: `${iat}.number` }));
        } else if (strategyNumber(m.issue, m.strategy) !== strategy.number) {
          out.push(error(`具体的取組${initiative.number}は戦略${strategyNumber(m.issue, m.strategy)}の番号ですが、戦略${strategy.number}の下にあります`, { field: `${iat}.number` }));
        } else if (initiativeNumbers.has(initiative.number)) {
          out.push(error(`具体的取組${initiative.number}の番号が重複しています`, { field: `${iat}.number` }));
        }
        initiativeNumbers.add(initiative.number);
        check(initiative.title, `${iat}.title`, `具体的取組${initiative.number}の題名`, chars.title, { required: true, oneLine: true });
        check(initiative.description, `${iat}.description`, `具体的取組${initiative.number}の説明`, chars.text, { oneLine: true });
        for (const [key, name] of [['budgetThousandYen', '予算額'], ['cmBudgetThousandYen', '区CM予算額']] as const) {
          const v = initiative[key];
          const problem = v === null ? undefined : budgetProblem(v, `具体的取組${initiative.number}の${name}`);
          if (problem) out.push(error(problem, { field: `${iat}.${key}` }));
        }
      }
    }
  }

  if (plan.reform) {
    check(plan.reform.planName, 'reform.planName', '市政改革プランの名称', chars.planName, { required: true, oneLine: true });
    const reformCount = listLimit(plan.reform.items.length, items.reformItems, 'reform.items', '様式3の取組項目');
    for (let i = 0; i < reformCount; i++) {
      const item = plan.reform.items[i]!;
      checkedItems.add(`reform.items[${i}]`);
      check(item.title, `reform.items[${i}].title`, `様式3の${i + 1}番目の取組項目`, chars.title, { required: true, oneLine: true });
      check(item.content, `reform.items[${i}].content`, `様式3の${i + 1}番目の取組内容`, chars.text, { oneLine: true });
    }
  }
  // Stable ids: malformed, or one id on two items (a copy of an item must get its own).
  for (const { path, message } of idProblems(plan)) {
    if (checkedItems.has(path.slice(0, path.lastIndexOf('.')))) out.push(error(message, { field: path }));
  }
  check(plan.selfEvaluation.achievements, 'selfEvaluation.achievements', '1年間の取組成果', chars.text);
  check(plan.selfEvaluation.challenges, 'selfEvaluation.challenges', '解決すべき課題と今後の改善方向', chars.text);
  // hoshin-plan/2: indicators, reviews and their scales, the newer forms' fields.
  out.push(...planRuleProblems(plan, { text: check, listLimit, budget: budgetProblem }, checkedItems));

  // Code units bound code points from above: count exactly only past the limit.
  const total = totalChars(plan, (s) => s.length) > PLAN_LIMITS.plan.chars ? totalChars(plan, charCount) : 0;
  if (total > PLAN_LIMITS.plan.chars) {
    out.push(error(`文書全体の文字数は${formatCount(PLAN_LIMITS.plan.chars)}文字以内にしてください(現在 ${formatCount(total)}文字)`));
  }
  return out;
}

/** Characters over every text field of a plan, items past their list's limit included. */
function totalChars(plan: Plan, count: (s: string) => number): number {
  let n = 0;
  const add = (s: string | null) => {
    if (s !== null) n += count(s);
  };
  add(plan.organization);
  add(plan.head);
  add(plan.goal);
  for (const m of plan.mission) add(m);
  add(plan.policy);
  for (const issue of plan.issues) {
    add(issue.title);
    add(issue.summary);
    for (const s of issue.strategies) {
      add(s.title);
      add(s.description);
      for (const i of s.initiatives) {
        add(i.title);
        add(i.description);
      }
    }
  }
  if (plan.reform) {
    add(plan.reform.planName);
    for (const item of plan.reform.items) {
      add(item.title);
      add(item.content);
    }
  }
  add(plan.selfEvaluation.achievements);
  add(plan.selfEvaluation.challenges);
  return n + planRuleChars(plan, count);
}
