/**
 * How an indicator's status is judged, as DATA (configuration beside the rating scales):
 * a city picks or defines its own rules the way it defines its rating scales. The rules in
 * words, with worked examples, are in docs/pdca-rules.md; status.ts applies them.
 */

export type IndicatorStatus = 'achieved' | 'onTrack' | 'behind' | 'notMeasurable';

export const INDICATOR_STATUSES: readonly IndicatorStatus[] = ['achieved', 'onTrack', 'behind', 'notMeasurable'];

/** Words residents read. 未測定 also covers "no target" and "cannot be judged". */
export const STATUS_LABELS: Readonly<Record<IndicatorStatus, string>> = {
  achieved: '達成',
  onTrack: '順調',
  behind: '遅れ',
  notMeasurable: '未測定',
};

/** Why an indicator cannot be judged yet. */
export type NotMeasurableReason =
  | 'noTarget'
  | 'noMeasurement'
  | 'noBaseline'
  | 'targetEqualsBaseline'
  | 'targetOppositeToDirection'
  | 'invalidValue';

export const NOT_MEASURABLE_LABELS: Readonly<Record<NotMeasurableReason, string>> = {
  noTarget: '目標値が未設定です',
  noMeasurement: '実績がまだありません',
  noBaseline: '基準値が未設定です',
  targetEqualsBaseline: '目標値が基準値と同じため進捗率を計算できません',
  targetOppositeToDirection: '目標値が基準値から見て改善の向きにありません',
  invalidValue: '数値でない値があります',
};

/**
 * The share of the way from baseline to target expected by a date.
 * - linear: the share of the term (baseline → target, in fiscal time) that has passed,
 *   between 0 and 1.
 */
export type ExpectedShareRule = { kind: 'linear' };

/** Short-term items are judged more leniently: at most `share` is expected of them. */
export interface ShortTermCap {
  /** Terms up to this many fiscal years (inclusive) are "short". */
  maxTermYears: number;
  share: number;
}

/**
 * How statuses combine into one for an initiative, strategy, issue, reform item or plan.
 * - worst: any member behind → behind; else any on track → on track; else all measurable
 *   ones achieved → achieved. Members not measurable are left out; all of them not
 *   measurable (or no members) → not measurable.
 * - majority: the most frequent status among the measurable members; a tie goes to the
 *   worse one (behind < onTrack < achieved). Same treatment of not measurable.
 */
export type RollUpRule = 'worst' | 'majority';

export interface StatusRules {
  expectedShare: ExpectedShareRule;
  shortTermCap: ShortTermCap | null;
  /** Progress this far below the expected share still counts as on track (rounding). */
  onTrackTolerance: number;
  /**
   * Without a baseline: 'zero' counts from 0, the city's own 進捗率 = 実績 ÷ 目標;
   * 'notMeasurable' refuses to judge.
   */
  missingBaseline: 'zero' | 'notMeasurable';
  rollUp: RollUpRule;
}

/**
 * Osaka City's rule from its reform plan (市政改革プラン): 進捗率 = 実績 ÷ 目標 (from the
 * baseline), judged 概ね順調 when it reaches the share expected by now — 66.7% two years
 * into a 3-year item (linear: 2/3), 90% for a 1–2-year item (the cap). The tolerance of half
 * a tenth of a percentage point lets 66.7%, as the city writes it, count for 2/3.
 */
export const OSAKA_STATUS_RULES: StatusRules = {
  expectedShare: { kind: 'linear' },
  shortTermCap: { maxTermYears: 2, share: 0.9 },
  onTrackTolerance: 0.0005,
  missingBaseline: 'zero',
  rollUp: 'worst',
};
