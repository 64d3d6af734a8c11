// Tests of src/domain/plan-diff.ts and src/domain/workflow.ts (owned with the store, which enforces them).
import { describe, expect, it } from 'vitest';
import { auditItemLabel, changedItems, describeChangePath, diffPlans, formatPlanChange } from '../../src/domain/plan-diff.ts';
import { canTransition, findTransition, TRANSITIONS, transitionsFrom, WORKFLOW_STATES } from '../../src/domain/workflow.ts';
import { buildPlan, generatePlan } from '../support/build-plan.ts';

describe('diffPlans', () => {
  it('is empty for equal plans, and lists every changed field by path', () => {
    expect(diffPlans(buildPlan(), buildPlan())).toEqual([]);
    const after = buildPlan({ head: null });
    after.issues[0]!.strategies[0]!.initiatives[0]!.budgetThousandYen = 23000;
    after.mission.push('新しい使命');
    after.issues[1]!.strategies.pop();
    const changes = diffPlans(buildPlan(), after);
    expect(changes).toContainEqual({ path: 'head', kind: 'changed', before: '高野 賢', after: null });
    expect(changes).toContainEqual({ path: 'issues[0].strategies[0].initiatives[0].budgetThousandYen', kind: 'changed', before: 22268, after: 23000 });
    expect(changes).toContainEqual({ path: 'mission[2]', kind: 'added', after: '新しい使命' });
    expect(changes.find((c) => c.path === 'issues[1].strategies[1]')).toMatchObject({ kind: 'removed' });
    expect(changes).toHaveLength(4);
  });

  it('names the numbered items the changes fall in', () => {
    const before = buildPlan();
    const after = buildPlan({ goal: '新しい目標' });
    after.issues[1]!.strategies[1]!.initiatives[0]!.title = '改題';
    after.issues[0]!.title = '改題';
    after.issues[1]!.strategies[1]!.initiatives.pop();
    expect(changedItems(diffPlans(before, after), before, after)).toEqual(['goal', '1', '2-4-2', '2-4-3']);
  });

  it('labels a change by the items’ own numbers, not their positions', () => {
    const plan = buildPlan();
    expect(describeChangePath('issues[1].strategies[1].initiatives[0].budgetThousandYen', plan)).toBe('経営課題2 › 戦略2-4 › 具体的取組2-4-2 › 予算額(千円)');
    expect(describeChangePath('mission[1]', plan)).toBe('区の使命2');
    // A removed item is named from the older plan.
    const after = buildPlan();
    after.issues[1]!.strategies[1]!.initiatives.pop();
    expect(describeChangePath('issues[1].strategies[1].initiatives[1]', after, plan)).toBe('経営課題2 › 戦略2-4 › 具体的取組2-4-3');
  });

  it('joins the labels of a save for the audit log, cut at whole labels', () => {
    const before = buildPlan();
    const after = buildPlan({ goal: '新しい目標' });
    after.issues[1]!.strategies[1]!.initiatives[0]!.title = '改題';
    const changes = diffPlans(before, after);
    expect(auditItemLabel(changes, before, after)).toBe('区の目標、経営課題2 › 戦略2-4 › 具体的取組2-4-2 › 題名');
    expect(auditItemLabel(changes, before, after, 20)).toBe('区の目標 ほか1項目');
    expect(auditItemLabel([], before, after)).toBeNull();
  });

  it('labels a review or an indicator in the page’s own words, never by its keys', () => {
    const before = buildPlan();
    const after = structuredClone(before);
    after.issues[1]!.strategies[1]!.reviews = { midYear: { achievement: { scale: 'osaka-midyear-achievement', code: '②' }, problemsAndMeasures: '改善する' } };
    after.issues[1]!.strategies[1]!.outcomeIndicators = [{ statement: '割合', unit: '%', direction: 'higher', target: { value: 40, fiscalYear: 2019 } }];
    const labels = diffPlans(before, after).map((c) => describeChangePath(c.path, after, before));
    expect(labels).toEqual(['経営課題2 › 戦略2-4 › 振り返り', '経営課題2 › 戦略2-4 › アウトカム指標']);
    expect(describeChangePath('issues[1].strategies[1].reviews.midYear.achievement.code', after)).toBe('経営課題2 › 戦略2-4 › 振り返り › 中間振り返り › 達成状況 › 評価');
    expect(describeChangePath('issues[1].strategies[1].outcomeIndicators[0].target.value', after)).toBe('経営課題2 › 戦略2-4 › アウトカム指標1 › 目標値 › 値');
  });

  it('formats a change on one line', () => {
    expect(formatPlanChange({ path: 'issues[0].strategies[0].initiatives[0].budgetThousandYen', kind: 'changed', before: 22268, after: 23000 })).toBe(
      'issues[0].strategies[0].initiatives[0].budgetThousandYen: 22268 → 23000',
    );
    expect(formatPlanChange({ path: 'goal', kind: 'changed', before: 'a', after: 'b' })).toBe('goal: "a" → "b"');
    expect(formatPlanChange({ path: 'mission[2]', kind: 'added', after: 'x' })).toBe('mission[2]: (追加) "x"');
  });

  it('finds a difference between any two different generated plans', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const a = generatePlan(seed);
      expect(diffPlans(a, generatePlan(seed))).toEqual([]);
      expect(diffPlans(a, generatePlan(seed + 1000)).length).toBeGreaterThan(0);
    }
  });
});

describe('workflow table', () => {
  it('runs editing → submitted → approved → published and back', () => {
    expect(canTransition('editing', 'submitted')).toBe(true);
    expect(canTransition('submitted', 'approved')).toBe(true);
    expect(canTransition('approved', 'published')).toBe(true);
    expect(canTransition('published', 'approved')).toBe(true);
    expect(canTransition('editing', 'published')).toBe(false);
    expect(canTransition('editing', 'approved')).toBe(false);
  });

  it('says who may act', () => {
    expect(canTransition('submitted', 'approved', 'editor')).toBe(false);
    expect(canTransition('submitted', 'approved', 'approver')).toBe(true);
    expect(transitionsFrom('submitted', 'approver').map((t) => t.action).sort()).toEqual(['approve', 'sendBack']);
    expect(transitionsFrom('editing', 'planner')).toEqual([]);
    expect(findTransition('submitted', 'editing')?.action).toBe('withdraw');
  });

  it('has only known states and no transition to the same state', () => {
    for (const t of TRANSITIONS) {
      expect(WORKFLOW_STATES).toContain(t.from);
      expect(WORKFLOW_STATES).toContain(t.to);
      expect(t.from).not.toBe(t.to);
    }
  });
});
