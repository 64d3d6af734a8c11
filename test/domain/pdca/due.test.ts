import { describe, expect, it } from 'vitest';
import { defaultCheckSchedule, type CheckSchedule } from '../../../src/domain/pdca/check-schedule.ts';
import { dueChecks, measurementPeriods, planIndicators, type PlanCheckInput } from '../../../src/domain/pdca/due.ts';
import { emptyPlan, type Plan } from '../../../src/domain/plan.ts';

function plan(): Plan {
  return {
    ...emptyPlan('西区', 2017),
    issues: [{
      id: 'i1', number: 1, title: '課題', summary: '',
      outcomeIndicators: [{ id: 'x0', statement: '課題の指標', unit: '%', direction: 'higher' }],
      strategies: [{
        id: 's1', number: '1-1', title: '戦略', description: '',
        outcomeIndicators: [{ id: 'x1', statement: '参加率', unit: '%', direction: 'higher' }],
        initiatives: [{
          id: 'n1', number: '1-1-1', title: '取組', budgetThousandYen: null, cmBudgetThousandYen: null, description: '',
          processIndicators: [{ id: 'x2', statement: '回数', unit: '回', direction: 'higher' }, { statement: 'idなし', unit: '回', direction: 'higher' }],
        }],
      }],
    }],
  };
}

function input(p: Plan, schedule?: CheckSchedule, measurements: PlanCheckInput['measurements'] = []): PlanCheckInput {
  return { planId: 7, organizationId: 3, organization: '西区', fiscalYear: 2017, plan: p, schedule, measurements };
}

describe('planIndicators', () => {
  it('lists every indicator in document order with its label and field', () => {
    expect(planIndicators(plan()).map((i) => [i.label, i.path])).toEqual([
      ['1 指標1', 'issues[0].outcomeIndicators[0]'],
      ['1-1 指標1', 'issues[0].strategies[0].outcomeIndicators[0]'],
      ['1-1-1 指標1', 'issues[0].strategies[0].initiatives[0].processIndicators[0]'],
      ['1-1-1 指標2', 'issues[0].strategies[0].initiatives[0].processIndicators[1]'],
    ]);
  });
});

describe('dueChecks', () => {
  const reviews = (today: string, p = plan(), s?: CheckSchedule) => dueChecks([input(p, s)], today).map((d) => [d.kind, d.due, d.state]);

  it('uses Osaka’s default deadlines: upcoming, due within 30 days, overdue after', () => {
    expect(reviews('2017-09-30')).toEqual([['midYear', '2017-10-31', 'upcoming'], ['yearEnd', '2018-06-30', 'upcoming']]);
    expect(reviews('2017-10-01')).toEqual([['midYear', '2017-10-31', 'due'], ['yearEnd', '2018-06-30', 'upcoming']]);
    expect(reviews('2017-10-31')[0]).toEqual(['midYear', '2017-10-31', 'due']);
    expect(reviews('2017-11-01')[0]).toEqual(['midYear', '2017-10-31', 'overdue']);
    expect(dueChecks([input(plan())], '2017-11-01')[0]!.missing).toEqual(['1-1', '1-1-1']);
  });

  it('is done when every strategy, initiative and reform item has the review written', () => {
    const p = plan();
    p.issues[0]!.strategies[0]!.reviews = { midYear: { achievement: { scale: 's', code: '②' } } };
    expect(dueChecks([input(p)], '2018-01-01')[0]!.missing).toEqual(['1-1-1']);
    p.issues[0]!.strategies[0]!.initiatives[0]!.reviews = { midYear: { comment: '順調' }, yearEnd: { result: '  ' } };
    expect(reviews('2018-01-01', p)).toEqual([['midYear', '2017-10-31', 'done'], ['yearEnd', '2018-06-30', 'upcoming']]);
    p.reform = { planName: 'プラン', items: [{ id: 'r1', title: '改革', content: '' }] };
    expect(dueChecks([input(p)], '2018-01-01')[0]!.missing).toEqual(['改革']);
  });

  it('names the person in charge from the schedule', () => {
    const s = { ...defaultCheckSchedule(2017), responsible: { midYear: 5, yearEnd: null, measurements: 6 }, measurementFrequency: 'quarterly' as const };
    const items = dueChecks([input(plan(), s)], '2017-07-01');
    expect(items.map((d) => [d.kind, d.responsibleUserId])).toEqual([
      ['measurement', 6], ['measurement', 6], ['midYear', 5], ['measurement', 6], ['measurement', 6], ['yearEnd', null],
    ]);
  });

  it('expects measurements of every indicator with an id in every period', () => {
    const s = { ...defaultCheckSchedule(2017), measurementFrequency: 'quarterly' as const };
    const measured = [
      { indicatorId: 'x0', date: '2017-06-30' }, { indicatorId: 'x1', date: '2017-04-01' }, { indicatorId: 'x2', date: '2017-05-15' },
      { indicatorId: 'x0', date: '2017-07-01' },
    ];
    const m = dueChecks([input(plan(), s, measured)], '2017-08-01').filter((d) => d.kind === 'measurement');
    expect(m.map((d) => [d.periodStart, d.due, d.state])).toEqual([
      ['2017-04-01', '2017-06-30', 'done'], ['2017-07-01', '2017-09-30', 'due'], ['2017-10-01', '2017-12-31', 'upcoming'], ['2018-01-01', '2018-03-31', 'upcoming'],
    ]);
    expect(m[1]!.missing).toEqual(['1-1 指標1', '1-1-1 指標1']);
    expect(dueChecks([input(plan(), s)], '2017-10-01').filter((d) => d.kind === 'measurement')[0]!.state).toBe('overdue');
    expect(dueChecks([input(emptyPlan('西区', 2017), s)], '2017-10-01').filter((d) => d.kind === 'measurement')).toEqual([]);
  });

  it('gives twelve monthly periods from April to March', () => {
    const months = measurementPeriods(2019, 'monthly');
    expect(months).toHaveLength(12);
    expect(months[0]).toEqual({ start: '2019-04-01', end: '2019-04-30' });
    expect(months[10]).toEqual({ start: '2020-02-01', end: '2020-02-29' });
    expect(months[11]).toEqual({ start: '2020-03-01', end: '2020-03-31' });
    expect(measurementPeriods(2019, 'quarterly').map((p) => p.end)).toEqual(['2019-06-30', '2019-09-30', '2019-12-31', '2020-03-31']);
  });
});
