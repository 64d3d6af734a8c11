/**
 * Small pure helpers over rating scales, for the review rules (plan-rules.ts) and pages.
 * A scale's best code is the one marked `best`; a scale marking none takes its first code
 * (forms list the best first). Any other code — or a code the scale does not have — needs
 * 課題と改善策.
 */

import type { Rating, RatingOption, RatingScales } from '../plan.ts';

/** The code that needs no 課題と改善策, or null for an empty scale. */
export function bestCode(scale: readonly RatingOption[] | undefined): string | null {
  if (!scale || scale.length === 0) return null;
  return (scale.find((o) => o.best === true) ?? scale[0]!).code;
}

function scaleOf(scales: RatingScales, name: string): readonly RatingOption[] | undefined {
  return Object.hasOwn(scales, name) ? scales[name] : undefined;
}

/** The option a rating names, or undefined when its scale or code is unknown. */
export function ratingOption(rating: Rating, scales: RatingScales): RatingOption | undefined {
  return scaleOf(scales, rating.scale)?.find((o) => o.code === rating.code);
}

/** True only for a known best code. */
export function isBest(rating: Rating, scales: RatingScales): boolean {
  const best = bestCode(scaleOf(scales, rating.scale));
  return best !== null && rating.code === best && ratingOption(rating, scales) !== undefined;
}

/** A given rating that is not the best asks for 課題と改善策; no rating asks for nothing. */
export function needsProblemsAndMeasures(rating: Rating | null | undefined, scales: RatingScales): boolean {
  return rating != null && !isBest(rating, scales);
}

/** ②達成できない見込み (code then label, as the forms print it); the bare code when unknown. */
export function ratingLabel(rating: Rating, scales: RatingScales): string {
  const option = ratingOption(rating, scales);
  return option ? `${option.code}${option.label}` : rating.code;
}
