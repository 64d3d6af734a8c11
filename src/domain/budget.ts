import type { ManagementIssue, Plan } from './plan.ts';

/** Sums in 千円; "-" (null) counts as nothing. */
export function issueBudgetTotal(issue: ManagementIssue): number {
  let total = 0;
  for (const s of issue.strategies) for (const i of s.initiatives) total += i.budgetThousandYen ?? 0;
  return total;
}

export function planBudgetTotal(plan: Plan): number {
  return plan.issues.reduce((sum, issue) => sum + issueBudgetTotal(issue), 0);
}

/** 22268 → "22,268千円"; null → "-". */
export function formatThousandYen(value: number | null): string {
  return value === null ? '-' : `${value.toLocaleString('ja-JP')}千円`;
}
