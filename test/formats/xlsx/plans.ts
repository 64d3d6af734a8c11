/** Plans the xlsx tests write and read back: the seed, 30 generated issues, and every /2 field with hostile text. */
import { OSAKA_RATING_SCALES } from '../../../src/domain/pdca/rating-scales.ts';
import type { Plan } from '../../../src/domain/plan.ts';
import { buildPlan } from '../../support/build-plan.ts';

export { seedPlan, pdcaPlan, thirtyIssuePlan } from '../../support/document-plans.ts';

const LONG_FORMULA = `=${'あ'.repeat(300)}`;

/**
 * Text a spreadsheet would take for a formula or mangle (=, +, -, @, tab at the start, a literal
 * _x0041_, edge spaces, empty lines), empty optional fields and lists, an empty review phase,
 * an indicator without an id that has measurements, a city's own rating scale.
 */
export function hostilePlan(): Plan {
  const base = buildPlan();
  return {
    ...base,
    ratingScales: { ...OSAKA_RATING_SCALES, 'city-abc': [{ code: 'A', label: '順調', best: true }, { code: 'B', label: '遅れ' }, { code: 'C', label: '未着手' }] },
    head: '=山田 太郎',
    goal: '=1+1\n\n+続きの行',
    mission: ['-ハイフンで始まる', '@メンション', '_x0041_ はそのまま', '\t先頭がタブ'],
    policy: ' 前に空白\n後ろに空白 \n=SUM(A1:A3)',
    issues: [
      {
        id: 'issue-a',
        carriedFrom: 'issue-a-2016',
        number: 1,
        title: '=HYPERLINK("http://example.com","x")',
        summary: LONG_FORMULA,
        vision: '',
        currentState: '+現状',
        budgetThousandYen: 0,
        sdgs: [],
        outcomeIndicators: [],
        strategies: [
          {
            id: 'strategy-a',
            number: '1-1',
            title: '@戦略',
            description: '',
            targetState: '-状態',
            outcomeIndicators: [
              {
                statement: '=割合(IDなし)',
                unit: '%',
                direction: 'lower',
                baseline: { value: -2.5, date: '2016-10-31' },
                target: { value: 0, fiscalYear: 2019 },
                measurements: [
                  { date: '2017-06-30', value: 1.25, note: '=備考', source: '+出典' },
                  { date: '2017-12-31', value: -3 },
                ],
              },
            ],
            reviews: {
              midYear: {},
              yearEnd: { achievement: { scale: 'city-abc', code: 'B' }, result: '=結果', problemsAndMeasures: '-改善' },
            },
            initiatives: [
              { id: 'init-a', number: '1-1-1', title: '+取組', budgetThousandYen: 0, cmBudgetThousandYen: 99_999_999_999, description: ' 前後に空白 ', priorResults: '', exitCriterion: '@基準' },
              { number: '1-1-3', title: '予算なし', budgetThousandYen: null, cmBudgetThousandYen: null, description: '_x000D_ と書いた文字', reviews: { midYear: { implementation: { scale: 'osaka-midyear-implementation', code: '(ⅱ)' }, problemsAndMeasures: '見直す' } } },
            ],
          },
        ],
      },
    ],
    reform: { planName: '市政改革プラン3.0', items: [{ id: 'reform-a', title: '-削減', content: '=1', indicators: [], reviews: { yearEnd: {} } }] },
    selfEvaluation: { achievements: '=成果', challenges: '', quantitative: '' },
  };
}
