import type { Initiative, ItemIdentity, ManagementIssue, Plan, ReformItem, Strategy } from './plan.ts';

/**
 * Stable item ids: what keeps an initiative the same initiative when it is renumbered,
 * moved, merged with another editor's change, or carried into next year's plan.
 * Numbers ("2-4-2") are what people cite; ids are what the system follows.
 */

/** Ids are opaque, URL-safe and short: what the form, the JSON and the URLs can carry as they are. */
export const ITEM_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isItemId(value: unknown): value is string {
  return typeof value === 'string' && ITEM_ID_PATTERN.test(value);
}

export type ItemKind = 'issue' | 'strategy' | 'initiative' | 'reformItem';

export interface LocatedItem {
  kind: ItemKind;
  item: ItemIdentity;
  /** The field path, as validation and the editor name it: `issues[0].strategies[1]`. */
  path: string;
  /** The number people see ("2", "2-4", "2-4-1"); the title for a reform item. */
  label: string;
}

/** Every item of every list, parents before children, in document order. */
export function planItems(plan: Plan): LocatedItem[] {
  const out: LocatedItem[] = [];
  plan.issues.forEach((issue: ManagementIssue, i) => {
    out.push({ kind: 'issue', item: issue, path: `issues[${i}]`, label: String(issue.number) });
    issue.strategies.forEach((s: Strategy, j) => {
      out.push({ kind: 'strategy', item: s, path: `issues[${i}].strategies[${j}]`, label: s.number });
      s.initiatives.forEach((it: Initiative, k) => {
        out.push({ kind: 'initiative', item: it, path: `issues[${i}].strategies[${j}].initiatives[${k}]`, label: it.number });
      });
    });
  });
  plan.reform?.items.forEach((r: ReformItem, i) => out.push({ kind: 'reformItem', item: r, path: `reform.items[${i}]`, label: r.title }));
  return out;
}

/**
 * A copy of `plan` in which every item has an id: those it has are kept, the missing
 * ones (and any that repeat one seen earlier, as a copy-pasted item would) get `newId()`.
 */
export function withItemIds(plan: Plan, newId: () => string): Plan {
  const copy = structuredClone(plan);
  const seen = new Set<string>();
  for (const { item } of planItems(copy)) {
    if (item.id === undefined || !isItemId(item.id) || seen.has(item.id)) item.id = freshId(newId, seen);
    seen.add(item.id);
  }
  return copy;
}

function freshId(newId: () => string, taken: ReadonlySet<string>): string {
  for (;;) {
    const id = newId();
    if (!taken.has(id)) return id;
  }
}

/**
 * A copy of `next` whose items without an id take the id of the item of `previous` with
 * the same kind and number (a reform item: the same title): how a re-imported text
 * document, which carries no ids, keeps the ids its items already had.
 */
export function inheritItemIds(previous: Plan, next: Plan): Plan {
  const copy = structuredClone(next);
  // Items sharing a key (two reform items of one title) are matched in order.
  const known = new Map<string, string[]>();
  for (const { kind, item, label } of planItems(previous)) {
    if (item.id !== undefined) known.set(`${kind}:${label}`, [...(known.get(`${kind}:${label}`) ?? []), item.id]);
  }
  const used = new Set(planItems(copy).flatMap(({ item }) => (item.id === undefined ? [] : [item.id])));
  for (const { kind, item, label } of planItems(copy)) {
    if (item.id !== undefined) continue;
    const id = known.get(`${kind}:${label}`)?.find((x) => !used.has(x));
    if (id !== undefined) {
      item.id = id;
      used.add(id);
    }
  }
  return copy;
}

/** Problems with the ids a plan carries: malformed ones, and one id on two items. */
export function idProblems(plan: Plan): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const first = new Map<string, string>();
  for (const { item, path } of planItems(plan)) {
    if (item.carriedFrom !== undefined && !isItemId(item.carriedFrom)) {
      problems.push({ path: `${path}.carriedFrom`, message: `carriedFrom「${String(item.carriedFrom).slice(0, 80)}」は id の形式ではありません` });
    }
    if (item.id === undefined) continue;
    if (!isItemId(item.id)) {
      problems.push({ path: `${path}.id`, message: `id「${String(item.id).slice(0, 80)}」は英数字・ハイフン・下線の64文字以内にしてください` });
      continue;
    }
    const at = first.get(item.id);
    if (at !== undefined) problems.push({ path: `${path}.id`, message: `id「${item.id}」が ${at} と重複しています` });
    else first.set(item.id, path);
  }
  return problems;
}

/**
 * A copy of a plan stored before items had ids, with ids made from what identified the
 * items then: kind and number (a reform item: its position). Deterministic, so every read
 * of one revision gives the same ids, and an edit that started from it merges by them;
 * the first save under ids stores them, and from then on they follow moves.
 */
export function withLegacyItemIds(plan: Plan): Plan {
  if (planItems(plan).every(({ item }) => item.id !== undefined)) return plan;
  const copy = structuredClone(plan);
  const taken = new Set(planItems(copy).flatMap(({ item }) => (item.id === undefined ? [] : [item.id])));
  let reformIndex = 0;
  for (const { kind, item, label } of planItems(copy)) {
    if (kind === 'reformItem') reformIndex++;
    if (item.id !== undefined) continue;
    const stem = `${kind}-${kind === 'reformItem' ? reformIndex : label}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 56);
    let id = stem;
    for (let n = 2; taken.has(id); n++) id = `${stem}-${n}`;
    item.id = id;
    taken.add(id);
  }
  return copy;
}

/** A copy without ids or cross-year links: the content alone, to compare with a document that carries none. */
export function withoutItemIds(plan: Plan): Plan {
  const copy = structuredClone(plan);
  for (const { item } of planItems(copy)) {
    delete item.id;
    delete item.carriedFrom;
  }
  return copy;
}
