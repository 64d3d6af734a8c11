/**
 * The three-way merge a save makes when someone saved in between: on a plan at the limits
 * (docs/limits.md), how long mergePlans takes with a change on each side, and with the
 * conflict screen's case (both sides changed the same field).
 */
import { performance } from 'node:perf_hooks';
import { withItemIds } from '../src/domain/item-ids.ts';
import { mergePlans } from '../src/domain/plan-merge.ts';
import type { Plan } from '../src/domain/plan.ts';
import { planAtLimits } from '../test/domain/plan-at-limits.ts';

function timed(label: string, runs: number, f: () => unknown) {
  f(); // warm
  const start = performance.now();
  for (let i = 0; i < runs; i++) f();
  const ms = (performance.now() - start) / runs;
  return { case: label, msPerMerge: Number(ms.toFixed(1)) };
}

export async function run() {
  let n = 0;
  const base = withItemIds(planAtLimits(), () => `id${++n}`);
  const edit = (f: (p: Plan) => void) => {
    const copy = structuredClone(base);
    f(copy);
    return copy;
  };
  const theirs = edit((p) => (p.issues[0]!.strategies[0]!.initiatives[0]!.budgetThousandYen = 1));
  // The last initiative of the plan (some strategies at the limits hold none).
  const lastInitiative = (p: Plan) => p.issues.flatMap((i) => i.strategies.flatMap((s) => s.initiatives)).at(-1)!;
  const mine = edit((p) => (lastInitiative(p).budgetThousandYen = 2));
  const clash = edit((p) => (p.issues[0]!.strategies[0]!.initiatives[0]!.budgetThousandYen = 3));
  const moved = edit((p) => p.issues.reverse());
  const initiatives = base.issues.reduce((k, i) => k + i.strategies.reduce((m, s) => m + s.initiatives.length, 0), 0);
  const rows = [
    timed(`different fields (${initiatives} initiatives)`, 5, () => mergePlans(base, theirs, mine)),
    timed('same field (a conflict to choose)', 5, () => mergePlans(base, theirs, clash)),
    timed('issues reordered on one side', 5, () => mergePlans(base, moved, mine)),
  ];
  console.log('merge (plan at the limits)');
  console.table(rows);
  return rows;
}
