import { planItems } from '../../domain/item-ids.ts';
import type { Indicator, Plan, Reviews } from '../../domain/plan.ts';

/**
 * Each page edits its own part of a plan and takes the rest from the revision it started
 * from: the editor does not hold reviews, the review form holds nothing else. Saving that as
 * "mine" leaves the other part unchanged relative to the base, so the three-way merge keeps
 * whatever someone saved there meanwhile.
 */

/** A copy of `into` whose items carry the reviews their namesakes (by id) have in `from`, and `from`'s rating scales. */
export function withReviewsOf(into: Plan, from: Plan): Plan {
  const copy = structuredClone(into);
  const reviews = new Map<string, Reviews>();
  for (const { item } of planItems(from)) {
    const r = (item as { reviews?: Reviews }).reviews;
    if (item.id !== undefined && r !== undefined) reviews.set(item.id, r);
  }
  for (const { kind, item } of planItems(copy)) {
    if (kind === 'issue') continue;
    const target = item as { reviews?: Reviews };
    const r = item.id === undefined ? undefined : reviews.get(item.id);
    if (r === undefined) delete target.reviews;
    else target.reviews = structuredClone(r);
  }
  if (from.ratingScales === undefined) delete copy.ratingScales;
  else copy.ratingScales = structuredClone(from.ratingScales);
  return copy;
}

/** Every indicator list of a plan, with where it is. */
export function planIndicatorLists(plan: Plan): { path: string; indicators: Indicator[] }[] {
  const out: { path: string; indicators: Indicator[] }[] = [];
  for (const { kind, item, path } of planItems(plan)) {
    const key = kind === 'initiative' ? 'processIndicators' : kind === 'reformItem' ? 'indicators' : 'outcomeIndicators';
    const list = (item as Record<string, unknown>)[key];
    if (Array.isArray(list)) out.push({ path: `${path}.${key}`, indicators: list as Indicator[] });
  }
  return out;
}

/**
 * A copy in which every indicator has an id (measurements are recorded against it): those it
 * has are kept, a missing or repeated one gets `newId()`.
 */
export function withIndicatorIds(plan: Plan, newId: () => string): Plan {
  const copy = structuredClone(plan);
  const seen = new Set<string>();
  for (const { indicators } of planIndicatorLists(copy)) {
    for (const ind of indicators) {
      if (ind.id === undefined || seen.has(ind.id)) {
        let id = newId();
        while (seen.has(id)) id = newId();
        ind.id = id;
      }
      seen.add(ind.id);
    }
  }
  return copy;
}

export type ReviewPeriod = 'midYear' | 'yearEnd';

export const REVIEW_PERIODS: readonly ReviewPeriod[] = ['midYear', 'yearEnd'];

export function isReviewPeriod(value: unknown): value is ReviewPeriod {
  return value === 'midYear' || value === 'yearEnd';
}

/**
 * A copy of `into` whose strategies, initiatives and reform items carry `from`'s review of
 * one period (by id); their other period stays as `into` has it.
 */
export function withReviewPeriodOf(into: Plan, from: Plan, period: ReviewPeriod): Plan {
  const copy = structuredClone(into);
  const given = new Map<string, Reviews[ReviewPeriod]>();
  for (const { item } of planItems(from)) {
    const r = (item as { reviews?: Reviews }).reviews?.[period];
    if (item.id !== undefined && r) given.set(item.id, r);
  }
  for (const { kind, item } of planItems(copy)) {
    if (kind === 'issue') continue;
    const target = item as { reviews?: Reviews };
    const r = item.id === undefined ? undefined : given.get(item.id);
    const reviews: Reviews = { ...target.reviews };
    if (r) reviews[period] = structuredClone(r) as never;
    else delete reviews[period];
    if (reviews.midYear || reviews.yearEnd) target.reviews = reviews;
    else delete target.reviews;
  }
  return copy;
}
