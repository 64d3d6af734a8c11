import type { Plan } from '../../domain/plan.ts';
import { localNumber } from './plan-form.ts';

/**
 * The editor's structural buttons (add, remove, move up, move down) as pure functions of
 * the plan. Moving swaps the two items' numbers too, so numbers stay ascending in
 * document order; removing leaves the others' numbers alone, because a published plan's
 * numbers are references (an initiative is "2-4-2" in every report that cites it).
 */

export type EditAction =
  | { kind: 'add'; list: string }
  | { kind: 'remove' | 'up' | 'down'; list: string; index: number }
  | { kind: 'addReform' }
  | { kind: 'removeReform' };

const ITEM_LIST = /^(mission|issues|issues\[\d{1,4}\]\.strategies|issues\[\d{1,4}\]\.strategies\[\d{1,4}\]\.initiatives|reform\.items)$/;
/** Indicator lists: an issue's and a strategy's outcome indicators, an initiative's process indicators, a reform item's indicators. */
const INDICATOR_LIST = /^(issues\[\d{1,4}\](\.strategies\[\d{1,4}\])?\.outcomeIndicators|issues\[\d{1,4}\]\.strategies\[\d{1,4}\]\.initiatives\[\d{1,4}\]\.processIndicators|reform\.items\[\d{1,4}\]\.indicators)$/;
const LIST = { test: (path: string) => ITEM_LIST.test(path) || INDICATOR_LIST.test(path) };

function isIndicatorList(path: string): boolean {
  return INDICATOR_LIST.test(path);
}

/** "up:issues[0].strategies[1]" → { kind: 'up', list: 'issues[0].strategies', index: 1 }; undefined when unknown. */
export function parseEditAction(value: string): EditAction | undefined {
  if (value === 'addReform') return { kind: 'addReform' };
  if (value === 'removeReform') return { kind: 'removeReform' };
  const m = /^(add|remove|up|down):(.+)$/.exec(value);
  if (!m) return undefined;
  const [, kind, path] = m as unknown as [string, 'add' | 'remove' | 'up' | 'down', string];
  if (kind === 'add') return LIST.test(path) ? { kind, list: path } : undefined;
  const item = /^(.+)\[(\d{1,4})\]$/.exec(path);
  if (!item || !LIST.test(item[1]!)) return undefined;
  return { kind, list: item[1]!, index: Number(item[2]) };
}

type Numbered = { number: string | number };

/** The list at `path`; an indicator list not there yet is created when `create` (an item's first indicator). */
function resolveList(plan: Plan, path: string, create = false): unknown[] | undefined {
  let node: unknown = plan;
  let parent: Record<string, unknown> | undefined;
  let key = '';
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (node === null || typeof node !== 'object') return undefined;
    parent = node as Record<string, unknown>;
    key = m[2] ?? m[1]!;
    node = m[2] !== undefined ? (node as unknown[])[Number(m[2])] : (node as Record<string, unknown>)[m[1]!];
  }
  if (node === undefined && create && parent && isIndicatorList(path)) {
    parent[key] = [];
    return parent[key] as unknown[];
  }
  return Array.isArray(node) ? node : undefined;
}

function nextLocal(items: Numbered[]): number {
  const used = items.map((i) => Number(localNumber(i.number))).filter(Number.isInteger);
  return used.length === 0 ? 1 : Math.max(...used) + 1;
}

/** Rewrites every strategy and initiative number so its prefix is its parent's number. */
export function alignNumbers(plan: Plan): void {
  for (const issue of plan.issues) {
    for (const s of issue.strategies) {
      s.number = `${issue.number}-${localNumber(s.number)}`;
      for (const it of s.initiatives) it.number = `${s.number}-${localNumber(it.number)}`;
    }
  }
}

function blank(list: string, items: unknown[]): unknown {
  if (isIndicatorList(list)) return { statement: '', unit: '', direction: 'higher' };
  const n = nextLocal(items as Numbered[]);
  if (list === 'mission') return '';
  if (list === 'reform.items') return { title: '', content: '' };
  if (list === 'issues') return { number: n, title: '', summary: '', strategies: [] };
  if (list.endsWith('.strategies')) return { number: `0-${n}`, title: '', description: '', initiatives: [] };
  return { number: `0-0-${n}`, title: '', budgetThousandYen: null, cmBudgetThousandYen: null, description: '' };
}

/** A new plan with the action applied; the input is left as it was. */
export function applyEditAction(input: Plan, action: EditAction): Plan {
  const plan = structuredClone(input);
  if (action.kind === 'addReform') {
    plan.reform ??= { planName: '', items: [{ title: '', content: '' }] };
    return plan;
  }
  if (action.kind === 'removeReform') {
    plan.reform = null;
    return plan;
  }
  const items = resolveList(plan, action.list, action.kind === 'add');
  if (!items) return plan;
  if (action.kind === 'add') {
    items.push(blank(action.list, items));
  } else if (action.kind === 'remove') {
    items.splice(action.index, 1);
    // An item without indicators has none, not an empty list: the plan reads back as it was.
    if (items.length === 0 && isIndicatorList(action.list)) deleteList(plan, action.list);
  } else {
    const other = action.kind === 'up' ? action.index - 1 : action.index + 1;
    if (other < 0 || other >= items.length || action.index >= items.length) return plan;
    const a = items[action.index];
    const b = items[other];
    if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && 'number' in a && 'number' in b) {
      const na = (a as Numbered).number;
      (a as Numbered).number = (b as Numbered).number;
      (b as Numbered).number = na;
    }
    items[action.index] = b;
    items[other] = a;
  }
  alignNumbers(plan);
  return plan;
}

/**
 * Where the user's place is once `action` has been applied to `plan` (the result): a field
 * path or a button value, given `autofocus` in the re-rendered form. A new item's first
 * field; the moved item's same button, so pressing it again keeps moving it; after a
 * removal, the list's add button.
 */
export function focusAfter(action: EditAction, plan: Plan): string | undefined {
  if (action.kind === 'addReform') return 'reform.planName';
  if (action.kind === 'removeReform') return 'addReform';
  const items = resolveList(plan, action.list);
  if (action.kind === 'add') {
    if (!items) return undefined;
    const at = `${action.list}[${items.length - 1}]`;
    return action.list === 'mission' ? at : isIndicatorList(action.list) ? `${at}.statement` : `${at}.title`;
  }
  if (action.kind === 'remove') return `add:${action.list}`;
  if (!items) return undefined;
  const moved = action.kind === 'up' ? action.index - 1 : action.index + 1;
  const index = moved < 0 || moved >= items.length ? action.index : moved;
  return `${action.kind}:${action.list}[${index}]`;
}

function deleteList(plan: Plan, path: string): void {
  const m = /^(.*)\.([A-Za-z]+)$/.exec(path);
  if (!m) return;
  let node: unknown = plan;
  for (const seg of m[1]!.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (node === null || typeof node !== 'object') return;
    node = seg[2] !== undefined ? (node as unknown[])[Number(seg[2])] : (node as Record<string, unknown>)[seg[1]!];
  }
  if (node !== null && typeof node === 'object') delete (node as Record<string, unknown>)[m[2]!];
}
