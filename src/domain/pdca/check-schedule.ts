/**
 * When a plan is checked: the mid-year review and the year-end evaluation at least, and
 * optionally measurements monthly or quarterly. Each check has a deadline and may name
 * the person in charge. After a review's deadline the review is locked: changing it needs
 * an approver to reopen it (audited).
 */

export type ReviewKind = 'midYear' | 'yearEnd';
export const REVIEW_KINDS: readonly ReviewKind[] = ['midYear', 'yearEnd'];
export const REVIEW_KIND_LABELS: Readonly<Record<ReviewKind, string>> = { midYear: '中間振り返り', yearEnd: '年度末の自己評価' };

export type MeasurementFrequency = 'monthly' | 'quarterly';

export interface CheckSchedule {
  /** ISO dates (YYYY-MM-DD): the deadline of each review. */
  midYearDue: string;
  yearEndDue: string;
  /** Measurements expected at the end of every month or quarter of the fiscal year; null when only at reviews. */
  measurementFrequency: MeasurementFrequency | null;
  /** The user in charge of each kind of check (user id), or null. */
  responsible: { midYear: number | null; yearEnd: number | null; measurements: number | null };
  /** A review an approver reopened after its deadline: open to changes again until locked anew. */
  reopened: { midYear: boolean; yearEnd: boolean };
}

/**
 * Osaka's cycle for fiscal year `fy` (April fy – March fy+1): 中間振り返り by the end of
 * October, 自己評価 by the end of June after the year.
 */
export function defaultCheckSchedule(fy: number): CheckSchedule {
  return {
    midYearDue: `${fy}-10-31`,
    yearEndDue: `${fy + 1}-06-30`,
    measurementFrequency: null,
    responsible: { midYear: null, yearEnd: null, measurements: null },
    reopened: { midYear: false, yearEnd: false },
  };
}
