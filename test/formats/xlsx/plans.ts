/** Plans the xlsx tests write and read back: the seed, 30 generated issues, and every /2 field with hostile text. */
import { readFileSync } from 'node:fs';
import { OSAKA_RATING_SCALES } from '../../../src/domain/pdca/rating-scales.ts';
import type { ManagementIssue, Plan } from '../../../src/domain/plan.ts';
import { fromPlanJson, parseDocument, type PlanJson } from '../../../src/formats/index.ts';
import { buildPlan, generatePlan } from '../../support/build-plan.ts';

const fixture = (path: string) => new URL(`../../fixtures/${path}`, import.meta.url);

export function seedPlan(): Plan {
  const parsed = parseDocument(readFileSync(fixture('text/osaka-nishi-2017.txt')));
  if (!parsed.plan) throw new Error('the seed fixture does not parse');
  return parsed.plan;
}

/** The seed with indicators, measurements, reviews and the newer forms' fields (hoshin-plan/2). */
export function pdcaPlan(): Plan {
  return fromPlanJson(JSON.parse(readFileSync(fixture('json/osaka-nishi-2017-pdca.json'), 'utf8')) as PlanJson);
}

/** Thirty issues from generated plans, renumbered 1…30 (the generator alone gives at most a few). */
export function thirtyIssuePlan(): Plan {
  const issues: ManagementIssue[] = [];
  for (let seed = 100; issues.length < 30; seed++) {
    for (const issue of generatePlan(seed, { maxIssues: 6 }).issues) {
      if (issues.length === 30) break;
      const n = issues.length + 1;
      issues.push({
        ...issue,
        number: n,
        strategies: issue.strategies.map((s) => {
          const local = s.number.split('-')[1];
          return { ...s, number: `${n}-${local}`, initiatives: s.initiatives.map((i) => ({ ...i, number: `${n}-${local}-${i.number.split('-')[2]}` })) };
        }),
      });
    }
  }
  return { ...generatePlan(42, { organization: '北区', fiscalYear: 2024 }), issues };
}

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
