import type { Plan } from '../../domain/plan.ts';

export const PLAN_FORMAT = 'hoshin-plan/1';

/** The `hoshin-plan/1` object: the plan with its format tag, keys in the spec's order. */
export interface PlanJson extends Plan {
  format: typeof PLAN_FORMAT;
}

export function toPlanJson(plan: Plan): PlanJson {
  return { format: PLAN_FORMAT, ...copyPlan(plan) };
}

/**
 * The plan inside a schema-valid `hoshin-plan/1` object, with keys this version does
 * not know left out (later versions add keys; the model holds only these).
 */
export function fromPlanJson(json: PlanJson): Plan {
  return copyPlan(json);
}

function copyPlan(p: Plan): Plan {
  return {
    organization: p.organization,
    fiscalYear: p.fiscalYear,
    documentStatus: p.documentStatus,
    head: p.head,
    goal: p.goal,
    mission: [...p.mission],
    policy: p.policy,
    issues: p.issues.map((issue) => ({
      number: issue.number,
      title: issue.title,
      summary: issue.summary,
      strategies: issue.strategies.map((s) => ({
        number: s.number,
        title: s.title,
        description: s.description,
        initiatives: s.initiatives.map((i) => ({
          number: i.number,
          title: i.title,
          budgetThousandYen: i.budgetThousandYen,
          cmBudgetThousandYen: i.cmBudgetThousandYen,
          description: i.description,
        })),
      })),
    })),
    reform: p.reform && { planName: p.reform.planName, items: p.reform.items.map((i) => ({ title: i.title, content: i.content })) },
    selfEvaluation: { achievements: p.selfEvaluation.achievements, challenges: p.selfEvaluation.challenges },
  };
}

export function renderJson(plan: Plan): string {
  return `${JSON.stringify(toPlanJson(plan), null, 2)}\n`;
}
