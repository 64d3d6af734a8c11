import type { Plan } from './plan.ts';

/** One difference between two plans, at a field path like `issues[0].strategies[0].initiatives[0].budgetThousandYen`. */
export interface PlanChange {
  path: string;
  kind: 'changed' | 'added' | 'removed';
  /** undefined when added. */
  before?: unknown;
  /** undefined when removed. */
  after?: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Field-by-field differences from `before` to `after`. Arrays are compared by position,
 * so inserting an item shows as changes after it plus one addition: simple, and the
 * paths are exactly the ones validation and the editor use.
 */
export function diffPlans(before: Plan, after: Plan): PlanChange[] {
  const out: PlanChange[] = [];
  walk(before as unknown as Json, after as unknown as Json, '', out);
  return out;
}

function walk(a: Json | undefined, b: Json | undefined, path: string, out: PlanChange[]): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) {
    out.push({ path, kind: 'added', after: b });
    return;
  }
  if (b === undefined) {
    out.push({ path, kind: 'removed', before: a });
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) walk(a[i], b[i], `${path}[${i}]`, out);
    return;
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) walk(a[k], b[k], path === '' ? k : `${path}.${k}`, out);
    return;
  }
  if (a !== b) out.push({ path, kind: 'changed', before: a, after: b });
}

function isObject(v: Json): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `issues[0].title: "旧" → "新"`, one line per change, for the CLI and conflict messages. */
export function formatPlanChange(change: PlanChange): string {
  const show = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : JSON.stringify(v) ?? 'undefined');
  switch (change.kind) {
    case 'changed':
      return `${change.path}: ${show(change.before)} → ${show(change.after)}`;
    case 'added':
      return `${change.path}: (追加) ${show(change.after)}`;
    case 'removed':
      return `${change.path}: (削除) ${show(change.before)}`;
  }
}

/**
 * The numbered items (経営課題 "2", 戦略 "2-1", 取組 "2-1-3") the changes fall in, innermost
 * first found, without repeats; other fields (goal, mission…) by their top-level name.
 */
export function changedItems(changes: readonly PlanChange[], before: Plan, after: Plan): string[] {
  const out = new Set<string>();
  for (const c of changes) {
    const m = /^issues\[(\d+)\](?:\.strategies\[(\d+)\](?:\.initiatives\[(\d+)\])?)?/.exec(c.path);
    if (!m) {
      out.add(c.path.split(/[.[]/)[0]!);
      continue;
    }
    const [i, s, k] = [m[1], m[2], m[3]].map((x) => (x === undefined ? undefined : Number(x)));
    const numberIn = (plan: Plan): string | undefined => {
      const issue = plan.issues[i!];
      if (s === undefined) return issue === undefined ? undefined : String(issue.number);
      const strategy = issue?.strategies[s];
      if (k === undefined) return strategy?.number;
      return strategy?.initiatives[k]?.number;
    };
    const n = numberIn(after) ?? numberIn(before);
    if (n !== undefined) out.add(n);
  }
  return [...out];
}

/** Japanese names of the plan's fields, as the editor and the published layout call them. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  organization: '組織名', fiscalYear: '年度', documentStatus: '文書の状態', head: '区長名', goal: '区の目標',
  mission: '区の使命', policy: '区運営の基本的な考え方', issues: '経営課題', reform: '様式3', selfEvaluation: '自己評価',
  title: '題名', summary: '概要', description: '内容', number: '番号', strategies: '戦略', initiatives: '具体的取組',
  budgetThousandYen: '予算額(千円)', cmBudgetThousandYen: '区CM予算額(千円)', planName: 'プランの名称',
  items: '取組項目', content: '取組内容', achievements: '1年間の取組成果', challenges: '解決すべき課題',
  // hoshin-plan/2: the Check, the newer forms' fields, and the links across years
  quantitative: '定量評価', qualitative: '定性評価', outlook: '今後の方針', ratingScales: '評価尺度',
  vision: 'めざすべき将来像', currentState: '現状', causeAnalysis: '要因分析', challenge: '課題', sdgs: '関連するSDGs',
  targetState: 'めざす状態', priorResults: '前年度までの実績', exitCriterion: '撤退・再構築基準',
  outcomeIndicators: 'アウトカム指標', processIndicators: '業績目標', indicators: '指標',
  statement: '指標', unit: '単位', direction: '方向', baseline: '基準値', target: '目標値', source: '出典',
  value: '値', date: '日付', measurements: '測定値', note: '備考',
  reviews: '振り返り', midYear: '中間振り返り', yearEnd: '年度末の自己評価', implementation: '実施見込み',
  achievement: '達成状況', scale: '評価尺度', code: '評価', comment: '取組の進捗状況', result: '取組実績',
  problemsAndMeasures: '課題と改善策', carriedFrom: '前年度の項目', id: 'ID',
};

/**
 * "issues[1].strategies[0].initiatives[0].budgetThousandYen" → "経営課題2 › 戦略2-1 › 具体的取組2-1-2 › 予算額(千円)".
 * Items are named by their own numbers in the first plan given that has them (pass the newer
 * plan first), since numbers are sparse (2-1, 2-4) and a position would name another item;
 * only without a plan, or for unnumbered lists (使命), does the label count by position.
 * The diff page and the audit log both label through here so they always agree.
 */
export function describeChangePath(path: string, ...plans: Plan[]): string {
  const parts: string[] = [];
  const nodes: unknown[] = [...plans];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) {
      const i = Number(m[2]);
      for (let n = 0; n < nodes.length; n++) nodes[n] = Array.isArray(nodes[n]) ? (nodes[n] as unknown[])[i] : undefined;
      const numbered = nodes.find((x): x is { number: unknown } => typeof x === 'object' && x !== null && 'number' in x);
      const last = parts.pop() ?? '';
      parts.push(numbered ? `${last}${String(numbered.number)}` : `${last}${i + 1}`);
    } else {
      const key = m[1]!;
      for (let n = 0; n < nodes.length; n++) {
        const x = nodes[n];
        nodes[n] = typeof x === 'object' && x !== null ? (x as Record<string, unknown>)[key] : undefined;
      }
      parts.push(FIELD_LABELS[key] ?? key);
    }
  }
  return parts.join(' › ');
}

/**
 * The audit log's 項目 for a save: each changed field's label (see describeChangePath), without
 * repeats, joined by 、 and cut at whole labels to fit `max` characters, saying how many were left out.
 */
export function auditItemLabel(changes: readonly PlanChange[], before: Plan, after: Plan, max = 1000): string | null {
  const labels = [...new Set(changes.map((c) => describeChangePath(c.path, after, before)))];
  if (labels.length === 0) return null;
  // Take whole labels while they, and the "ほかN項目" naming the rest, still fit.
  let used = 0;
  let n = 0;
  for (; n < labels.length; n++) {
    const rest = labels.length - n - 1;
    const add = (n === 0 ? 0 : 1) + labels[n]!.length + (rest > 0 ? ` ほか${rest}項目`.length : 0);
    if (used + add > max) break;
    used += add - (rest > 0 ? ` ほか${rest}項目`.length : 0);
  }
  if (n === 0) return `${labels.length}項目`;
  return labels.slice(0, n).join('、') + (n < labels.length ? ` ほか${labels.length - n}項目` : '');
}
