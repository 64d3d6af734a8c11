import { describe, expect, it } from 'vitest';
import { compareItemNumbers, parentStrategyNumber, parseItemNumber } from '../../src/domain/numbering.ts';
import { emptyPlan, type Plan } from '../../src/domain/plan.ts';
import { validatePlan } from '../../src/domain/validate.ts';
import { issueBudgetTotal, planBudgetTotal } from '../../src/domain/budget.ts';

function plan(): Plan {
  return {
    ...emptyPlan('西区', 2017),
    goal: '目標',
    issues: [
      {
        number: 1,
        title: '課題',
        summary: '',
        strategies: [
          {
            number: '1-1',
            title: '戦略',
            description: '',
            initiatives: [
              { number: '1-1-1', title: '取組', budgetThousandYen: 100, cmBudgetThousandYen: null, description: '' },
              { number: '1-1-2', title: '取組2', budgetThousandYen: null, cmBudgetThousandYen: 5, description: '' },
            ],
          },
        ],
      },
    ],
  };
}

describe('numbering', () => {
  it('parses the three levels', () => {
    expect(parseItemNumber('2')).toEqual({ kind: 'issue', issue: 2 });
    expect(parseItemNumber('2-4')).toEqual({ kind: 'strategy', issue: 2, strategy: 4 });
    expect(parseItemNumber('2-4-2')).toEqual({ kind: 'initiative', issue: 2, strategy: 4, initiative: 2 });
    expect(parseItemNumber('2-0')).toBeUndefined();
    expect(parseItemNumber('1-1-1-1')).toBeUndefined();
  });
  it('an initiative belongs to the strategy its number names', () => expect(parentStrategyNumber('2-4-2')).toBe('2-4'));
  it('orders numerically', () => expect(['1-10', '1-9', '1-1'].sort(compareItemNumbers)).toEqual(['1-1', '1-9', '1-10']));
});

describe('validatePlan', () => {
  it('accepts a valid plan', () => expect(validatePlan(plan())).toEqual([]));

  it('returns every problem with its field, not only the first', () => {
    const p = plan();
    p.goal = '';
    p.fiscalYear = 3;
    p.issues[0]!.strategies[0]!.number = '2-1';
    p.issues[0]!.strategies[0]!.initiatives[1]!.number = '1-1-1';
    p.issues[0]!.strategies[0]!.initiatives[0]!.budgetThousandYen = -5;
    const fields = validatePlan(p).map((d) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'goal',
        'fiscalYear',
        'issues[0].strategies[0].number',
        'issues[0].strategies[0].initiatives[0].budgetThousandYen',
        'issues[0].strategies[0].initiatives[1].number',
      ]),
    );
  });

  it('refuses one id on two items, and a malformed id, at the field of the id', () => {
    const p = plan();
    p.issues[0]!.id = 'a';
    p.issues[0]!.strategies[0]!.initiatives[0]!.id = 'b';
    p.issues[0]!.strategies[0]!.initiatives[1]!.id = 'b';
    p.issues[0]!.strategies[0]!.id = 'not an id';
    expect(validatePlan(p)).toEqual([
      { severity: 'error', field: 'issues[0].strategies[0].id', message: expect.stringContaining('「not an id」') },
      { severity: 'error', field: 'issues[0].strategies[0].initiatives[1].id', message: 'id「b」が issues[0].strategies[0].initiatives[0] と重複しています' },
    ]);
  });

  it('checks the ids of items within the limits only (the list is refused already)', () => {
    const p = plan();
    const initiative = p.issues[0]!.strategies[0]!.initiatives[0]!;
    p.issues[0]!.strategies[0]!.initiatives = Array.from({ length: 5_000 }, (_, k) => ({ ...initiative, number: `1-1-${k + 1}`, id: 'same' }));
    const ids = validatePlan(p).filter((d) => d.field?.endsWith('.id'));
    expect(ids).toHaveLength(99);
  });

  it('warns about line breaks that the text layout cannot hold', () => {
    const p = plan();
    p.issues[0]!.summary = '一行目\n二行目';
    expect(validatePlan(p)).toEqual([expect.objectContaining({ severity: 'warning', field: 'issues[0].summary' })]);
  });
});

describe('budget totals in 千円', () => {
  it('sums initiatives, "-" as nothing, 区CM budgets apart', () => {
    expect(issueBudgetTotal(plan().issues[0]!)).toBe(100);
    expect(planBudgetTotal(plan())).toBe(100);
  });
});
