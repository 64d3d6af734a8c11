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
