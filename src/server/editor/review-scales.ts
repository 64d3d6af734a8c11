import { planItems, type ItemKind } from '../../domain/item-ids.ts';
import type { Plan, Rating, RatingOption, RatingScales, Reviews } from '../../domain/plan.ts';
import { OSAKA_RATING_SCALES, OSAKA_REVIEW_SCALES } from '../../domain/pdca/rating-scales.ts';
import type { ReviewPeriod } from './carry.ts';

/** The ratings of each review period, by the key they have in the plan. */
export const RATING_SLOTS: Readonly<Record<ReviewPeriod, readonly ('implementation' | 'achievement')[]>> = {
  midYear: ['implementation', 'achievement'],
  yearEnd: ['achievement'],
};

export type RatingSlot = 'implementation' | 'achievement';

/**
 * The scales a review form offers: the plan's own, then its city's (see cityRatingScales in
 * src/app/rating-scales.ts), then Osaka's shipped ones for any name neither defines. A city
 * replaces a default by defining a scale of that name (堺市's `osaka-midyear-achievement` as
 * S/A/B/C); a rating whose scale it does not define keeps Osaka's. The plan's own copy wins:
 * ratings already given keep their meaning.
 */
export function availableScales(plan: Plan, cityScales?: RatingScales): RatingScales {
  return { ...OSAKA_RATING_SCALES, ...cityScales, ...plan.ratingScales };
}

const DEFAULT_SCALE: Readonly<Record<`${ReviewPeriod}.${RatingSlot}`, string>> = {
  'midYear.implementation': OSAKA_REVIEW_SCALES.midYearImplementation,
  'midYear.achievement': OSAKA_REVIEW_SCALES.midYearAchievement,
  'yearEnd.implementation': OSAKA_REVIEW_SCALES.midYearImplementation,
  'yearEnd.achievement': OSAKA_REVIEW_SCALES.yearEndAchievement,
};

/**
 * Which scale a rating takes: the one it already names; else the one the plan's other items
 * use for it (a city's own scale); else Osaka's default (市政改革プラン items: its progress scale).
 */
export function scaleFor(plan: Plan, scales: RatingScales, kind: ItemKind, period: ReviewPeriod, slot: RatingSlot, current: Rating | null | undefined): string {
  if (current?.scale) return current.scale;
  const used = usedScale(plan, kind, period, slot);
  if (used !== undefined) return used;
  if (kind === 'reformItem' && period === 'midYear' && slot === 'achievement' && scales['osaka-reform-progress']) return 'osaka-reform-progress';
  const fallback = DEFAULT_SCALE[`${period}.${slot}`];
  if (scales[fallback]) return fallback;
  // A plan with its own scales but none of Osaka's names: the first one, so the form still offers a scale.
  return Object.keys(scales)[0] ?? fallback;
}

function usedScale(plan: Plan, kind: ItemKind, period: ReviewPeriod, slot: RatingSlot): string | undefined {
  for (const { kind: k, item } of planItems(plan)) {
    if (k !== kind) continue;
    const review = (item as { reviews?: Reviews }).reviews?.[period] as Record<string, unknown> | null | undefined;
    const rating = review?.[slot] as Rating | null | undefined;
    if (rating?.scale) return rating.scale;
  }
  return undefined;
}

/** Every scale the plan's reviews name, taken from `scales`: what the saved plan carries so it explains itself. */
export function scalesUsed(plan: Plan, scales: RatingScales): RatingScales {
  const out: RatingScales = { ...plan.ratingScales };
  for (const { item } of planItems(plan)) {
    const reviews = (item as { reviews?: Reviews }).reviews;
    for (const review of [reviews?.midYear, reviews?.yearEnd]) {
      if (!review) continue;
      for (const rating of [(review as { implementation?: Rating | null }).implementation, review.achievement]) {
        const options: RatingOption[] | undefined = rating ? scales[rating.scale] : undefined;
        if (rating && options && out[rating.scale] === undefined) out[rating.scale] = structuredClone(options);
      }
    }
  }
  return out;
}
