import type { ItemIdentity, Plan } from '../../domain/plan.ts';

export const PLAN_FORMAT = 'hoshin-plan/1';
/** `/1` plus optional keys: item ids and cross-year links (and, later, the Check and Act). */
export const PLAN_FORMAT_2 = 'hoshin-plan/2';
export const PLAN_FORMATS = [PLAN_FORMAT, PLAN_FORMAT_2] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** The `hoshin-plan/1` or `/2` object: the plan with its format tag, keys in the spec's order. */
export interface PlanJson extends Plan {
  format: PlanFormat;
}

/** `/1` leaves out what `/1` consumers do not know (ids); `/2` carries them. */
export function toPlanJson(plan: Plan, format: PlanFormat = PLAN_FORMAT): PlanJson {
  return { format, ...copyPlan(plan, format === PLAN_FORMAT_2) };
}

/**
 * The plan inside a schema-valid `hoshin-plan/1` or `/2` object, with keys this version
 * does not know left out (later versions add keys; the model holds only these).
 */
export function fromPlanJson(json: PlanJson): Plan {
  return copyPlan(json, json.format === PLAN_FORMAT_2);
}

function identity(item: ItemIdentity, withIds: boolean): ItemIdentity {
  if (!withIds) return {};
  return { ...(item.id !== undefined && item.id !== null ? { id: item.id } : {}), ...(item.carriedFrom !== undefined && item.carriedFrom !== null ? { carriedFrom: item.carriedFrom } : {}) };
}

function copyPlan(p: Plan, withIds: boolean): Plan {
  return {
    organization: p.organization,
    fiscalYear: p.fiscalYear,
    documentStatus: p.documentStatus,
    head: p.head,
    goal: p.goal,
    mission: [...p.mission],
    policy: p.policy,
    issues: p.issues.map((issue) => ({
      ...identity(issue, withIds),
      number: issue.number,
      title: issue.title,
      summary: issue.summary,
      strategies: issue.strategies.map((s) => ({
        ...identity(s, withIds),
        number: s.number,
        title: s.title,
        description: s.description,
        initiatives: s.initiatives.map((i) => ({
          ...identity(i, withIds),
          number: i.number,
          title: i.title,
          budgetThousandYen: i.budgetThousandYen,
          cmBudgetThousandYen: i.cmBudgetThousandYen,
          description: i.description,
        })),
      })),
    })),
    reform: p.reform && { planName: p.reform.planName, items: p.reform.items.map((i) => ({ ...identity(i, withIds), title: i.title, content: i.content })) },
    selfEvaluation: { achievements: p.selfEvaluation.achievements, challenges: p.selfEvaluation.challenges },
  };
}

export function renderJson(plan: Plan): string {
  return `${JSON.stringify(toPlanJson(plan), null, 2)}\n`;
}
