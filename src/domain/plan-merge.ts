import { localNumber } from './numbering.ts';
import type { Plan } from './plan.ts';

/**
 * Three-way merge of two editors' work on one plan: `mine` was edited from `base` while
 * `theirs` was saved on top of it. Items are matched by their stable ids, so renumbering
 * and moves merge like any other change. Changes to different fields, different items,
 * or items added on both sides merge without asking; only a field both sides changed
 * differently (or an item one side removed while the other changed it) is a conflict,
 * and a conflict is settled only by the user's choice: nothing is reverted unasked.
 *
 * Every item of the three plans must carry an id (see item-ids.ts).
 */

export type MergeChoice = 'base' | 'theirs' | 'mine';

export interface MergeConflict {
  /** Stable across requests: `goal`, `selfEvaluation.challenges`, `item:<id>:title`, `item:<id>` (kept or removed). */
  key: string;
  /** Where it is, in the plan's own terms: 経営課題1 › 戦略1-1 › 題名. */
  label: string;
  /** The values on each side; `undefined` where the item is absent (removed). */
  base: unknown;
  theirs: unknown;
  mine: unknown;
}

export interface MergeResult {
  /** The merged plan; an unsettled conflict holds theirs (the stored version) until chosen. */
  plan: Plan;
  /** Conflicts without a choice in `choices`. */
  conflicts: MergeConflict[];
}

type Obj = Record<string, unknown>;
type SideName = 'base' | 'theirs' | 'mine';

const CHILD_KEY: Readonly<Record<string, string>> = { plan: 'issues', issue: 'strategies', strategy: 'initiatives', reform: 'items' };
const CHILD_KIND: Readonly<Record<string, string>> = { plan: 'issue', issue: 'strategy', strategy: 'initiative', reform: 'reformItem' };
const KIND_LABEL: Readonly<Record<string, string>> = { issue: '経営課題', strategy: '戦略', initiative: '具体的取組', reformItem: '様式3の取組項目', reform: '様式3' };

const PLAN_NODE = '#plan';
const REFORM_NODE = '#reform';

/** Field names as the editor shows them. */
const LABELS: Readonly<Record<string, string>> = {
  documentStatus: '文書の状態', head: '区長名', goal: '区の目標', mission: '区の使命', policy: '区運営の基本的な考え方',
  title: '題名', summary: '経営課題の概要', description: '内容', number: '番号', budgetThousandYen: '予算額(千円)',
  cmBudgetThousandYen: '区CM予算額(千円)', planName: 'プランの名称', content: '取組内容', carriedFrom: '前年度の項目',
  achievements: '1年間の取組成果と今後取り組みたいこと', challenges: '解決すべき課題と今後の改善方向', parent: '所属する項目',
};

interface Node {
  id: string;
  kind: string;
  parent: string;
  /** The item itself, children included, as this side has it. */
  obj: Obj;
}

interface Side {
  name: SideName;
  nodes: Map<string, Node>;
  /** Child ids of each node, in this side's order. */
  children: Map<string, string[]>;
}

function index(name: SideName, plan: Plan): Side {
  const side: Side = { name, nodes: new Map(), children: new Map() };
  const visit = (parent: string, kind: string, list: unknown) => {
    const ids: string[] = [];
    for (const obj of Array.isArray(list) ? (list as Obj[]) : []) {
      const id = obj['id'];
      if (typeof id !== 'string') throw new Error(`mergePlans: an item without an id (${kind})`);
      side.nodes.set(id, { id, kind, parent, obj });
      ids.push(id);
      const childKey = CHILD_KEY[kind];
      if (childKey) visit(id, CHILD_KIND[kind]!, obj[childKey]);
    }
    side.children.set(parent, [...(side.children.get(parent) ?? []), ...ids]);
  };
  visit(PLAN_NODE, 'issue', plan.issues);
  if (plan.reform) {
    side.nodes.set(REFORM_NODE, { id: REFORM_NODE, kind: 'reform', parent: PLAN_NODE, obj: plan.reform as unknown as Obj });
    visit(REFORM_NODE, 'reformItem', plan.reform.items);
  }
  return side;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Obj)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Obj)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Obj)[k], (b as Obj)[k]));
}

/** An item's own fields (not its id or children); numbers of strategies and initiatives by their last part, since the prefix follows the parent. */
function fieldsOf(node: Node): Obj {
  const out: Obj = Object.create(null) as Obj;
  const childKey = CHILD_KEY[node.kind];
  for (const [k, v] of Object.entries(node.obj)) {
    if (k === 'id' || k === childKey || v === undefined) continue;
    out[k] = k === 'number' && (node.kind === 'strategy' || node.kind === 'initiative') ? localNumber(String(v)) : v;
  }
  return out;
}

export function mergePlans(base: Plan, theirs: Plan, mine: Plan, choices: ReadonlyMap<string, MergeChoice> = new Map()): MergeResult {
  const sides = { base: index('base', base), theirs: index('theirs', theirs), mine: index('mine', mine) };
  const conflicts: MergeConflict[] = [];
  const plans: Record<SideName, Plan> = { base, theirs, mine };

  /** Three-way on one value; a conflict takes the user's choice, else theirs and is reported. */
  const merge3 = (key: string, label: () => string, b: unknown, t: unknown, m: unknown): unknown => {
    if (deepEqual(t, m) || deepEqual(b, m)) return t;
    if (deepEqual(b, t)) return m;
    const choice = choices.get(key);
    if (choice !== undefined) return { base: b, theirs: t, mine: m }[choice];
    conflicts.push({ key, label: label(), base: b, theirs: t, mine: m });
    return t;
  };

  // ---- the plan's own fields (goal, mission as a whole, policy…), one by one
  const merged: Obj = Object.create(null) as Obj;
  const topKeys = new Set([...Object.keys(base), ...Object.keys(theirs), ...Object.keys(mine)]);
  for (const key of topKeys) {
    if (key === 'issues' || key === 'reform') continue;
    const [b, t, m] = [base, theirs, mine].map((p) => (p as unknown as Obj)[key]);
    if (key === 'selfEvaluation' && isObj(b) && isObj(t) && isObj(m)) {
      const sub: Obj = {};
      for (const k of new Set([...Object.keys(b), ...Object.keys(t), ...Object.keys(m)])) {
        const v = merge3(`selfEvaluation.${k}`, () => `自己評価 › ${LABELS[k] ?? k}`, b[k], t[k], m[k]);
        if (v !== undefined) sub[k] = v;
      }
      merged[key] = sub;
      continue;
    }
    const v = merge3(key, () => LABELS[key] ?? key, b, t, m);
    if (v !== undefined) merged[key] = v;
  }

  // ---- where each item belongs: its parent is a field like any other
  const allIds = new Set<string>();
  for (const s of Object.values(sides)) for (const id of s.nodes.keys()) allIds.add(id);
  const label = (id: string, field?: string) => itemLabel(id, [sides.mine, sides.theirs, sides.base], field);
  const mergedParent = new Map<string, string>();
  for (const id of allIds) {
    const [b, t, m] = (['base', 'theirs', 'mine'] as const).map((n) => sides[n].nodes.get(id)?.parent);
    if (t !== undefined && m !== undefined) mergedParent.set(id, String(merge3(`item:${id}:parent`, () => label(id, 'parent'), b, t, m)));
    else mergedParent.set(id, (m ?? t ?? b)!);
  }
  const childrenOf = (parent: string, from: Side): string[] => (from.children.get(parent) ?? []).filter((id) => mergedParent.get(id) === parent);

  /** Builds the merged list under `parent`. `only` takes a whole subtree from one side (a kept removal). */
  const build = (parent: string, only?: Side): Obj[] => {
    const order = listOrder(parent, only);
    const out: Obj[] = [];
    for (const id of order) {
      const node = only ? only.nodes.get(id) : undefined;
      if (only) {
        if (node) out.push(rebuild(node, only));
        continue;
      }
      const [b, t, m] = (['base', 'theirs', 'mine'] as const).map((n) => sides[n].nodes.get(id));
      if (b && (!t || !m)) {
        if (!t && !m) continue;
        // One side removed it: it goes, unless the other side changed it (or anything under it).
        const [keeper, keeperName] = t ? [t, 'theirs' as const] : [m!, 'mine' as const];
        if (deepEqual(keeper.obj, b.obj)) continue;
        const key = `item:${id}`;
        const choice = choices.get(key);
        if (choice === undefined) {
          conflicts.push({ key, label: label(id), base: b.obj, theirs: t?.obj, mine: m?.obj });
          if (t) out.push(rebuild(t, sides.theirs));
          continue;
        }
        if (choice === 'base') out.push(rebuild(b, sides.base));
        else if (choice === keeperName) out.push(rebuild(keeper, sides[keeperName]));
        continue;
      }
      if (!t && !m) continue; // only in base, and under a parent that moved: gone with its removal
      out.push(mergeNode(id, b, t, m));
    }
    return out;
  };

  const rebuild = (node: Node, from: Side): Obj => {
    const copy: Obj = { ...node.obj };
    const childKey = CHILD_KEY[node.kind];
    if (childKey) copy[childKey] = build(node.id, from);
    return copy;
  };

  const mergeNode = (id: string, b: Node | undefined, t: Node | undefined, m: Node | undefined): Obj => {
    const kind = (t ?? m ?? b)!.kind;
    const [fb, ft, fm] = [b, t, m].map((n) => (n ? fieldsOf(n) : undefined));
    const out: Obj = { id };
    if (ft && fm) {
      for (const k of new Set([...Object.keys(fb ?? {}), ...Object.keys(ft), ...Object.keys(fm)])) {
        const v = merge3(`item:${id}:${k}`, () => label(id, k), fb?.[k], ft[k], fm[k]);
        if (v !== undefined) out[k] = v;
      }
    } else {
      Object.assign(out, ft ?? fm);
    }
    const childKey = CHILD_KEY[kind];
    if (childKey) out[childKey] = build(id);
    return out;
  };

  /** Order of a list: the side that reordered it wins; items only the other side has keep their place after the item they followed there. */
  const listOrder = (parent: string, only?: Side): string[] => {
    if (only) return childrenOf(parent, only);
    const [ob, ot, om] = (['base', 'theirs', 'mine'] as const).map((n) => childrenOf(parent, sides[n])) as [string[], string[], string[]];
    // Sets, not includes(): a list as sent may be long before validation refuses it.
    const common = (xs: string[], ys: string[]) => {
      const in_ = new Set(ys);
      return xs.filter((x) => in_.has(x));
    };
    const mineReordered = !deepEqual(common(om, ob), common(ob, om));
    const [primary, secondary] = mineReordered ? [om, ot] : [ot, om];
    // Items only the secondary side has go in after the nearest item they followed there.
    const placed = new Set(primary);
    const after = new Map<string | undefined, string[]>();
    let previous: string | undefined;
    for (const id of secondary) {
      if (placed.has(id)) {
        previous = id;
        continue;
      }
      after.set(previous, [...(after.get(previous) ?? []), id]);
      previous = id;
    }
    const order: string[] = [];
    // Depth-first without recursion: a run of new items chains one after another.
    const emit = (key: string | undefined) => {
      const stack = [...(after.get(key) ?? [])].reverse();
      while (stack.length > 0) {
        const id = stack.pop()!;
        order.push(id);
        stack.push(...[...(after.get(id) ?? [])].reverse());
      }
    };
    emit(undefined);
    for (const id of primary) {
      order.push(id);
      emit(id);
    }
    const ordered = new Set(order);
    for (const id of ob) if (!ordered.has(id)) order.push(id);
    return order;
  };

  // ---- the lists
  const issues = build(PLAN_NODE);
  const hasReform = { base: sides.base.nodes.has(REFORM_NODE), theirs: sides.theirs.nodes.has(REFORM_NODE), mine: sides.mine.nodes.has(REFORM_NODE) };
  let reform: Obj | null = null;
  if (hasReform.theirs && hasReform.mine) {
    const [b, t, m] = [base.reform, theirs.reform, mine.reform];
    reform = { planName: merge3('reform.planName', () => `様式3 › ${LABELS['planName']}`, b?.planName, t!.planName, m!.planName), items: build(REFORM_NODE) };
  } else if (hasReform.theirs || hasReform.mine) {
    const keeperName: SideName = hasReform.theirs ? 'theirs' : 'mine';
    const keeper = plans[keeperName].reform;
    const added = !hasReform.base;
    const unchanged = hasReform.base && deepEqual(keeper, base.reform);
    if (added) reform = rebuild(sides[keeperName].nodes.get(REFORM_NODE)!, sides[keeperName]);
    else if (!unchanged) {
      const choice = choices.get('reform');
      if (choice === undefined) {
        conflicts.push({ key: 'reform', label: KIND_LABEL['reform']!, base: base.reform, theirs: theirs.reform, mine: mine.reform });
        reform = theirs.reform ? rebuild(sides.theirs.nodes.get(REFORM_NODE)!, sides.theirs) : null;
      } else {
        const chosen = plans[choice].reform;
        reform = chosen ? rebuild(sides[choice].nodes.get(REFORM_NODE)!, sides[choice]) : null;
      }
    }
  }

  const plan = { ...merged, issues, reform } as unknown as Plan;
  renumberAfterMerge(plan, (id) => (sides.base.nodes.has(id) ? 0 : sides.theirs.nodes.has(id) ? 1 : 2));
  return { plan, conflicts };
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** 具体的取組1-1-1 › 予算額(千円), naming the item by the number it has on the first side that has it. */
function itemLabel(id: string, sides: Side[], field?: string): string {
  const names: string[] = [];
  let at: string | undefined = id;
  while (at !== undefined && at !== PLAN_NODE) {
    const node: Node | undefined = sides.map((s) => s.nodes.get(at!)).find((n) => n !== undefined);
    if (!node) break;
    const kindLabel = KIND_LABEL[node.kind] ?? node.kind;
    const name = node.kind === 'reform' ? kindLabel : node.kind === 'reformItem' ? `${kindLabel}「${String(node.obj['title'] ?? '').slice(0, 30)}」` : `${kindLabel}${String(node.obj['number'] ?? '')}`;
    names.unshift(name);
    at = node.parent;
  }
  if (field !== undefined) names.push(LABELS[field] ?? field);
  return names.join(' › ');
}

/**
 * Numbers after a merge: each strategy's and initiative's prefix follows its parent, lists
 * are in number order, and an item added on one side that took a number the other side
 * also used gets the next free one (both editors adding "1-1-3" keep both initiatives).
 */
function renumberAfterMerge(plan: Plan, seniority: (id: string) => number): void {
  const fix = <T extends { id?: string; number: string | number }>(items: T[], setLocal: (item: T, n: number) => void) => {
    const localOf = (item: T) => Number(localNumber(String(item.number)));
    const used = new Set<number>();
    const late: T[] = [];
    // On a clash, items that existed before keep their numbers, then the ones saved first (theirs); mine yield.
    for (const item of [...items].sort((a, b) => seniority(a.id ?? '') - seniority(b.id ?? ''))) {
      const n = localOf(item);
      if (Number.isInteger(n) && !used.has(n)) used.add(n);
      else late.push(item);
    }
    let next = 1;
    for (const n of used) if (n >= next) next = n + 1;
    for (const item of late) {
      if (!Number.isInteger(localOf(item))) continue; // unreadable: validation names it
      setLocal(item, next);
      used.add(next++);
    }
    items.sort((a, b) => (Number.isInteger(localOf(a)) && Number.isInteger(localOf(b)) ? localOf(a) - localOf(b) : 0));
  };
  fix(plan.issues, (issue, n) => (issue.number = n));
  for (const issue of plan.issues) {
    for (const s of issue.strategies) s.number = `${issue.number}-${localNumber(s.number)}`;
    fix(issue.strategies, (s, n) => (s.number = `${issue.number}-${n}`));
    for (const s of issue.strategies) {
      for (const it of s.initiatives) it.number = `${s.number}-${localNumber(it.number)}`;
      fix(s.initiatives, (it, n) => (it.number = `${s.number}-${n}`));
    }
  }
}
