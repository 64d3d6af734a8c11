import { describe, expect, it } from 'vitest';
import { inheritItemIds, idProblems, planItems, withItemIds } from '../../src/domain/item-ids.ts';
import { mergePlans } from '../../src/domain/plan-merge.ts';
import type { Plan } from '../../src/domain/plan.ts';
import { applyEditAction } from '../../src/server/editor/edit-actions.ts';
import { buildPlan } from '../support/build-plan.ts';

let counter = 0;
const newId = () => `id${++counter}`;

function basePlan(): Plan {
  return withItemIds(buildPlan(), newId);
}

const edit = (plan: Plan, f: (p: Plan) => void): Plan => {
  const copy = structuredClone(plan);
  f(copy);
  return copy;
};

describe('item ids', () => {
  it('gives every item an id, keeps existing ones, and replaces a repeated one', () => {
    const plan = basePlan();
    const items = planItems(plan);
    expect(items).toHaveLength(2 + 3 + 4 + 1);
    expect(new Set(items.map((i) => i.item.id)).size).toBe(items.length);
    const again = withItemIds(plan, newId);
    expect(planItems(again).map((i) => i.item.id)).toEqual(items.map((i) => i.item.id));
    const copied = edit(plan, (p) => p.issues[0]!.strategies[0]!.initiatives.push({ ...p.issues[0]!.strategies[0]!.initiatives[0]! }));
    const fixed = withItemIds(copied, newId);
    expect(idProblems(fixed)).toEqual([]);
    expect(idProblems(copied)).toEqual([{ path: 'issues[0].strategies[0].initiatives[1].id', message: expect.stringContaining('重複') }]);
  });

  it('lets a document without ids inherit the ids of the items with the same numbers', () => {
    const stored = basePlan();
    const reread = buildPlan(); // as a text import gives it: no ids
    const inherited = inheritItemIds(stored, reread);
    expect(planItems(inherited).map((i) => i.item.id)).toEqual(planItems(stored).map((i) => i.item.id));
  });

  it('refuses a malformed id', () => {
    const plan = edit(basePlan(), (p) => (p.issues[0]!.id = 'bad id!'));
    expect(idProblems(plan)[0]?.path).toBe('issues[0].id');
  });
});

describe('mergePlans', () => {
  it('merges two editors changing budgets of different initiatives', () => {
    const base = basePlan();
    const theirs = edit(base, (p) => (p.issues[0]!.strategies[0]!.initiatives[0]!.budgetThousandYen = 1));
    const mine = edit(base, (p) => (p.issues[1]!.strategies[1]!.initiatives[0]!.budgetThousandYen = 2));
    const { plan, conflicts } = mergePlans(base, theirs, mine);
    expect(conflicts).toEqual([]);
    expect(plan.issues[0]!.strategies[0]!.initiatives[0]!.budgetThousandYen).toBe(1);
    expect(plan.issues[1]!.strategies[1]!.initiatives[0]!.budgetThousandYen).toBe(2);
    expect(plan).toEqual(edit(theirs, (p) => (p.issues[1]!.strategies[1]!.initiatives[0]!.budgetThousandYen = 2)));
  });

  it('merges different fields of one item and different plan fields', () => {
    const base = basePlan();
    const theirs = edit(base, (p) => {
      p.goal = '新しい目標';
      p.issues[0]!.title = '彼らの題名';
    });
    const mine = edit(base, (p) => {
      p.policy = '新しい方針';
      p.issues[0]!.summary = '私の概要';
      p.mission.push('三つ目の使命');
    });
    const { plan, conflicts } = mergePlans(base, theirs, mine);
    expect(conflicts).toEqual([]);
    expect(plan.goal).toBe('新しい目標');
    expect(plan.policy).toBe('新しい方針');
    expect(plan.issues[0]).toMatchObject({ title: '彼らの題名', summary: '私の概要' });
    expect(plan.mission).toHaveLength(3);
  });

  it('reports a field both sides changed, with base, theirs and mine, and settles it only by choice', () => {
    const base = basePlan();
    const id = base.issues[0]!.strategies[0]!.initiatives[0]!.id!;
    const theirs = edit(base, (p) => (p.issues[0]!.strategies[0]!.initiatives[0]!.budgetThousandYen = 100));
    const mine = edit(base, (p) => {
      p.issues[0]!.strategies[0]!.initiatives[0]!.budgetThousandYen = 200;
      p.goal = '私の目標';
    });
    const first = mergePlans(base, theirs, mine);
    expect(first.conflicts).toEqual([
      { key: `item:${id}:budgetThousandYen`, label: '経営課題1 › 戦略1-1 › 具体的取組1-1-1 › 予算額(千円)', base: 22268, theirs: 100, mine: 200 },
    ]);
    // Unsettled, the stored value stands; the rest of mine is in.
    expect(first.plan.issues[0]!.strategies[0]!.initiatives[0]!.budgetThousandYen).toBe(100);
    expect(first.plan.goal).toBe('私の目標');
    for (const [choice, value] of [['mine', 200], ['theirs', 100], ['base', 22268]] as const) {
      const settled = mergePlans(base, theirs, mine, new Map([[`item:${id}:budgetThousandYen`, choice]]));
      expect(settled.conflicts).toEqual([]);
      expect(settled.plan.issues[0]!.strategies[0]!.initiatives[0]!.budgetThousandYen).toBe(value);
    }
  });

  it('does not count the same change made on both sides as a conflict', () => {
    const base = basePlan();
    const both = edit(base, (p) => (p.head = '新区長'));
    expect(mergePlans(base, both, structuredClone(both)).conflicts).toEqual([]);
  });

  it('keeps initiatives added on both sides, renumbering mine when both took the same number', () => {
    const base = basePlan();
    const add = (p: Plan, title: string, id: string) =>
      p.issues[0]!.strategies[0]!.initiatives.push({ id, number: '1-1-2', title, budgetThousandYen: 1, cmBudgetThousandYen: null, description: '' });
    const theirs = edit(base, (p) => add(p, '彼らの取組', 'theirsNew'));
    const mine = edit(base, (p) => add(p, '私の取組', 'mineNew'));
    const { plan, conflicts } = mergePlans(base, theirs, mine);
    expect(conflicts).toEqual([]);
    expect(plan.issues[0]!.strategies[0]!.initiatives.map((i) => [i.number, i.title])).toEqual([
      ['1-1-1', '地域活動協議会の活動支援'],
      ['1-1-2', '彼らの取組'],
      ['1-1-3', '私の取組'],
    ]);
  });

  it('merges a move (renumbering) on one side with an edit of the moved item on the other', () => {
    const base = basePlan();
    const moved = applyEditAction(base, { kind: 'down', list: 'issues[1].strategies[1].initiatives', index: 0 });
    expect(moved.issues[1]!.strategies[1]!.initiatives.map((i) => i.number)).toEqual(['2-4-2', '2-4-3']);
    const mine = edit(base, (p) => (p.issues[1]!.strategies[1]!.initiatives[0]!.budgetThousandYen = 999)); // 2-4-2 見守り
    const { plan, conflicts } = mergePlans(base, moved, mine);
    expect(conflicts).toEqual([]);
    const list = plan.issues[1]!.strategies[1]!.initiatives;
    expect(list.map((i) => [i.number, i.title, i.budgetThousandYen])).toEqual([
      ['2-4-2', 'コンプライアンスの確保', null],
      ['2-4-3', '地域における見守り活動の支援', 999],
    ]);
  });

  it('merges an issue renumbered on one side with an edit in its strategies on the other', () => {
    const base = basePlan();
    const theirs = applyEditAction(base, { kind: 'up', list: 'issues', index: 1 });
    const mine = edit(base, (p) => (p.issues[1]!.strategies[0]!.title = '私の戦略名'));
    const { plan, conflicts } = mergePlans(base, theirs, mine);
    expect(conflicts).toEqual([]);
    expect(plan.issues.map((i) => [i.number, i.title])).toEqual([[1, '安全・安心で快適なまちづくり'], [2, '地域コミュニティのさらなる活性化']]);
    expect(plan.issues[0]!.strategies[0]).toMatchObject({ number: '1-1', title: '私の戦略名' });
    expect(plan.issues[0]!.strategies[1]!.initiatives.map((i) => i.number)).toEqual(['1-4-2', '1-4-3']);
  });

  it('removes an item one side removed and the other left alone', () => {
    const base = basePlan();
    const theirs = edit(base, (p) => p.issues[1]!.strategies.splice(0, 1));
    const mine = edit(base, (p) => (p.goal = '変更'));
    const { plan, conflicts } = mergePlans(base, theirs, mine);
    expect(conflicts).toEqual([]);
    expect(plan.issues[1]!.strategies.map((s) => s.number)).toEqual(['2-4']);
    expect(plan.goal).toBe('変更');
  });

  it('asks when one side removed an item the other changed, and keeps the whole item when told to', () => {
    const base = basePlan();
    const strategy = base.issues[1]!.strategies[1]!;
    const theirs = edit(base, (p) => p.issues[1]!.strategies.splice(1, 1));
    const mine = edit(base, (p) => (p.issues[1]!.strategies[1]!.initiatives[1]!.title = '私の変更'));
    const { conflicts } = mergePlans(base, theirs, mine);
    expect(conflicts.map((c) => [c.key, c.label, c.theirs])).toEqual([[`item:${strategy.id}`, '経営課題2 › 戦略2-4', undefined]]);
    const kept = mergePlans(base, theirs, mine, new Map([[`item:${strategy.id}`, 'mine']])).plan;
    expect(kept.issues[1]!.strategies[1]!.initiatives.map((i) => i.title)).toEqual(['地域における見守り活動の支援', '私の変更']);
    const removed = mergePlans(base, theirs, mine, new Map([[`item:${strategy.id}`, 'theirs']])).plan;
    expect(removed.issues[1]!.strategies).toHaveLength(1);
  });

  it('merges reform items and the 自己評価 texts field by field', () => {
    const base = basePlan();
    const theirs = edit(base, (p) => {
      p.reform!.items.push({ id: 'r2', title: '新しい項目', content: '内容' });
      p.selfEvaluation.achievements = '成果';
    });
    const mine = edit(base, (p) => {
      p.reform!.items[0]!.content = '私の内容';
      p.selfEvaluation.challenges = '課題';
    });
    const { plan, conflicts } = mergePlans(base, theirs, mine);
    expect(conflicts).toEqual([]);
    expect(plan.reform!.items.map((i) => i.content)).toEqual(['私の内容', '内容']);
    expect(plan.selfEvaluation).toEqual({ achievements: '成果', challenges: '課題' });
  });

  it('asks when one side removed 様式3 and the other changed it', () => {
    const base = basePlan();
    const theirs = edit(base, (p) => (p.reform = null));
    const mine = edit(base, (p) => (p.reform!.planName = '市政改革プラン3.0'));
    const { conflicts } = mergePlans(base, theirs, mine);
    expect(conflicts.map((c) => c.key)).toEqual(['reform']);
    expect(mergePlans(base, theirs, mine, new Map([['reform', 'mine']])).plan.reform?.planName).toBe('市政改革プラン3.0');
    expect(mergePlans(base, theirs, mine, new Map([['reform', 'theirs']])).plan.reform).toBeNull();
  });

  it('gives back theirs exactly when mine is the base (nothing of mine to apply)', () => {
    const base = basePlan();
    const theirs = edit(base, (p) => {
      p.issues[0]!.strategies[0]!.initiatives[0]!.budgetThousandYen = 5;
      p.reform = null;
    });
    expect(mergePlans(base, theirs, structuredClone(base))).toEqual({ plan: theirs, conflicts: [] });
  });
});

describe('mergePlans on long lists', () => {
  it('keeps 20,000 initiatives added on one side in order, beside one the other side added', () => {
    const base = withItemIds(buildPlan(), newId);
    const theirs = edit(base, (p) => p.issues[0]!.strategies[0]!.initiatives.push({ id: 'theirs', number: '1-1-2', title: '彼ら', budgetThousandYen: null, cmBudgetThousandYen: null, description: '' }));
    const mine = edit(base, (p) => {
      for (let k = 0; k < 20_000; k++) {
        p.issues[0]!.strategies[0]!.initiatives.push({ id: `m${k}`, number: `1-1-${k + 2}`, title: `私${k}`, budgetThousandYen: null, cmBudgetThousandYen: null, description: '' });
      }
    });
    const { plan, conflicts } = mergePlans(base, theirs, mine);
    expect(conflicts).toEqual([]);
    const list = plan.issues[0]!.strategies[0]!.initiatives;
    expect(list).toHaveLength(20_002);
    expect(list.slice(0, 3).map((i) => [i.number, i.title])).toEqual([['1-1-1', '地域活動協議会の活動支援'], ['1-1-2', '彼ら'], ['1-1-3', '私1']]);
    expect(list.at(-1)!.title).toBe('私0'); // took the clashing 1-1-2, so it yields to the next free number
  });
});
