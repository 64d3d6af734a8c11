import { describe, expect, it } from 'vitest';
import { defaultCheckSchedule } from '../../../src/domain/pdca/check-schedule.ts';
import { reviewLocked, reviewLockProblems } from '../../../src/domain/pdca/review-lock.ts';
import { emptyPlan, type Plan } from '../../../src/domain/plan.ts';

function plan(): Plan {
  return {
    ...emptyPlan('西区', 2017),
    issues: [{
      id: 'i1', number: 1, title: '課題', summary: '',
      strategies: [{
        id: 's1', number: '1-1', title: '戦略', description: '',
        reviews: { midYear: { achievement: { scale: 'osaka-midyear-achievement', code: '①' }, comment: '順調' } },
        initiatives: [{ id: 'n1', number: '1-1-1', title: '取組', budgetThousandYen: null, cmBudgetThousandYen: null, description: '' }],
      }],
    }],
    reform: { planName: '市政改革プラン2.0', items: [{ id: 'r1', title: '改革', content: '' }] },
  };
}

const schedule = defaultCheckSchedule(2017); // midYearDue 2017-10-31, yearEndDue 2018-06-30

describe('reviewLockProblems', () => {
  it('allows any change up to and on the deadline', () => {
    const after = plan();
    after.issues[0]!.strategies[0]!.reviews!.midYear!.comment = '変更';
    expect(reviewLockProblems(plan(), after, schedule, '2017-10-31')).toEqual([]);
  });

  it('refuses a change to a mid-year review after its deadline, at its field', () => {
    const after = plan();
    after.issues[0]!.strategies[0]!.reviews!.midYear!.comment = '変更';
    after.issues[0]!.strategies[0]!.initiatives[0]!.reviews = { midYear: { comment: '新しく書いた' } };
    const problems = reviewLockProblems(plan(), after, schedule, '2017-11-01');
    expect(problems.map((p) => p.field)).toEqual(['issues[0].strategies[0].reviews.midYear', 'issues[0].strategies[0].initiatives[0].reviews.midYear']);
    expect(problems[0]!.message).toBe('1-1の中間振り返りは締切(2017-10-31)を過ぎているため変更できません。変更が必要なときは承認者に「再開」を依頼してください。');
  });

  it('lets the year-end evaluation be written after the mid-year deadline, until its own', () => {
    const after = plan();
    after.reform!.items[0]!.reviews = { yearEnd: { result: '実績' } };
    expect(reviewLockProblems(plan(), after, schedule, '2018-06-30')).toEqual([]);
    expect(reviewLockProblems(plan(), after, schedule, '2018-07-01').map((p) => p.field)).toEqual(['reform.items[0].reviews.yearEnd']);
  });

  it('allows changes once reopened, and locks again when closed', () => {
    const after = plan();
    after.issues[0]!.strategies[0]!.reviews!.midYear = null;
    const reopened = { ...schedule, reopened: { midYear: true, yearEnd: false } };
    expect(reviewLockProblems(plan(), after, reopened, '2018-01-01')).toEqual([]);
    expect(reviewLockProblems(plan(), after, schedule, '2018-01-01')).toHaveLength(1);
    expect(reviewLocked(reopened, 'midYear', '2018-01-01')).toBe(false);
    expect(reviewLocked(schedule, 'midYear', '2018-01-01')).toBe(true);
  });

  it('follows items by id when they are moved or renumbered, and ignores empty values and other fields', () => {
    const before = plan();
    const after = plan();
    const strategy = after.issues[0]!.strategies[0]!;
    strategy.number = '1-2';
    strategy.title = '題名の変更は自由';
    after.issues.unshift({ id: 'i0', number: 1, title: '新しい課題', summary: '', strategies: [] });
    strategy.reviews!.midYear!.problemsAndMeasures = '';
    strategy.initiatives[0]!.reviews = { midYear: {}, yearEnd: null };
    expect(reviewLockProblems(before, after, schedule, '2019-01-01')).toEqual([]);
  });

  it('does not count removing an item as a change to its review', () => {
    const after = plan();
    after.issues[0]!.strategies = [];
    expect(reviewLockProblems(plan(), after, schedule, '2019-01-01')).toEqual([]);
  });
});
