import type { RatingScales } from '../plan.ts';

/**
 * Osaka City's rating scales, as its forms print them. Scales are data: a city defines its
 * own (S/A/B/C, 1–5…) and a plan file carries the scales its reviews use.
 */
export const OSAKA_RATING_SCALES: RatingScales = {
  // 中間振り返り: 取組内容の実施見込み
  'osaka-midyear-implementation': [
    { code: '(ⅰ)', label: '実施見込み', best: true },
    { code: '(ⅱ)', label: '実施できない見込み' },
  ],
  // 中間振り返り: 目標の達成見込み (② needs 課題と改善策)
  'osaka-midyear-achievement': [
    { code: '①', label: '達成見込み', best: true },
    { code: '②', label: '達成できない見込み' },
  ],
  // 年度末: 目標の達成状況
  'osaka-yearend-achievement': [
    { code: '①', label: '目標達成', best: true },
    { code: '②', label: '目標未達成' },
  ],
  // 市政改革プランの進捗
  'osaka-reform-progress': [
    { code: '①', label: '成果目標の達成に向けて概ね順調', best: true },
    { code: '②', label: '成果目標の達成に向けて必ずしも順調ではない' },
  ],
};

/** Which scale each rating of a review takes by default (a city may map its own). */
export const OSAKA_REVIEW_SCALES = {
  midYearImplementation: 'osaka-midyear-implementation',
  midYearAchievement: 'osaka-midyear-achievement',
  yearEndAchievement: 'osaka-yearend-achievement',
} as const;
