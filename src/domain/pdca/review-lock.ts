/**
 * The period lock: after a review's deadline, a change to that review needs an approver
 * to reopen it first. Pure; saveEdit calls it with the revision the edit is applied to.
 */
import { planItems } from '../item-ids.ts';
import type { Plan, Reviews } from '../plan.ts';
import { REVIEW_KIND_LABELS, REVIEW_KINDS, type CheckSchedule, type ReviewKind } from './check-schedule.ts';

export interface ReviewLockProblem {
  /** The review's field: `issues[0].strategies[0].reviews.midYear`. */
  field: string;
  message: string;
}

/** A review's content with absent, null and empty values dropped, so `{}` and `{ comment: '' }` equal no review. */
function normalized(value: unknown): unknown {
  if (value === null || value === undefined || value === '') return undefined;
  if (Array.isArray(value)) return value.map(normalized);
  if (typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = normalized((value as Record<string, unknown>)[key]);
    if (v !== undefined) out[key] = v;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function sameReview(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalized(a) ?? null) === JSON.stringify(normalized(b) ?? null);
}

/** Whether a review of this kind is locked on `today` (ISO date): past its deadline and not reopened. */
export function reviewLocked(schedule: CheckSchedule, kind: ReviewKind, today: string): boolean {
  const due = kind === 'midYear' ? schedule.midYearDue : schedule.yearEndDue;
  return today > due && !schedule.reopened[kind];
}

/**
 * Every locked review that `after` changes relative to `before`, at its field. Items are
 * matched by id (by field path when an item of `before` had none); a review written on a new item
 * counts as a change. Removing an item is not a change to its review (the removal goes
 * through approval with the rest of the plan).
 */
export function reviewLockProblems(before: Plan, after: Plan, schedule: CheckSchedule, today: string): ReviewLockProblem[] {
  const locked = REVIEW_KINDS.filter((k) => reviewLocked(schedule, k, today));
  if (locked.length === 0) return [];
  const byId = new Map<string, Reviews | undefined>();
  const byPath = new Map<string, Reviews | undefined>();
  for (const { kind, item, path } of planItems(before)) {
    if (kind === 'issue') continue;
    const reviews = (item as { reviews?: Reviews }).reviews;
    if (item.id !== undefined) byId.set(item.id, reviews);
    else byPath.set(path, reviews);
  }
  const problems: ReviewLockProblem[] = [];
  for (const { kind, item, path, label } of planItems(after)) {
    if (kind === 'issue') continue;
    const reviews = (item as { reviews?: Reviews }).reviews;
    const old = item.id !== undefined && byId.has(item.id) ? byId.get(item.id) : byPath.get(path);
    for (const k of locked) {
      if (sameReview(old?.[k], reviews?.[k])) continue;
      const due = k === 'midYear' ? schedule.midYearDue : schedule.yearEndDue;
      problems.push({
        field: `${path}.reviews.${k}`,
        message: `${label}の${REVIEW_KIND_LABELS[k]}は締切(${due})を過ぎているため変更できません。変更が必要なときは承認者に「再開」を依頼してください。`,
      });
    }
  }
  return problems;
}
