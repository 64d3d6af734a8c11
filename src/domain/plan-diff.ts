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
