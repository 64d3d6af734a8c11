/**
 * What is due when: from each plan's check schedule, its current content and its
 * measurements, the checks of the yearly cycle (中間振り返り, 年度末の自己評価, and
 * monthly or quarterly measurements) with their deadline and state on a given day.
 * Pure: the day is passed in as an ISO date (the staff page and the calendar feed pass
 * today's date in Japan). docs/checks.md states these rules.
 */
import { planItems, type ItemKind } from '../item-ids.ts';
import type { Indicator, MidYearReview, Plan, Reviews, YearEndReview } from '../plan.ts';
import { defaultCheckSchedule, type CheckSchedule, type MeasurementFrequency, type ReviewKind } from './check-schedule.ts';

export type CheckKind = ReviewKind | 'measurement';
export type DueState = 'upcoming' | 'due' | 'overdue' | 'done';

export const CHECK_KIND_LABELS: Readonly<Record<CheckKind, string>> = { midYear: '中間振り返り', yearEnd: '年度末の自己評価', measurement: '指標の測定' };
export const DUE_STATE_LABELS: Readonly<Record<DueState, string>> = { upcoming: '予定', due: '期限が近い', overdue: '期限切れ', done: '完了' };

/** A review becomes "due" this many days before its deadline (before that it is "upcoming"). */
export const REVIEW_WINDOW_DAYS = 30;

export interface DueItem {
  planId: number;
  organizationId: number;
  organization: string;
  fiscalYear: number;
  kind: CheckKind;
  /** ISO date: the deadline. */
  due: string;
  state: DueState;
  responsibleUserId: number | null;
  /** A measurement check's period, e.g. 2017-04-01…2017-06-30; absent for reviews. */
  periodStart?: string;
  /** Items (or indicators) still missing, for the page: 「1-1」「1-1 指標1」. */
  missing: string[];
}

export interface PlanCheckInput {
  planId: number;
  organizationId: number;
  /** Display name of the organization. */
  organization: string;
  fiscalYear: number;
  /** The current revision's content. */
  plan: Plan;
  /** undefined when never set: Osaka's default cycle. */
  schedule?: CheckSchedule | undefined;
  /** The plan's measurements (only indicator and date are read). */
  measurements: readonly { indicatorId: string; date: string }[];
}

// ---------------------------------------------------------------- indicators of a plan

export interface LocatedIndicator {
  indicator: Indicator;
  /** The item's kind and its number ("1-1") or a reform item's title. */
  itemKind: ItemKind;
  itemLabel: string;
  /** Field path of the indicator: `issues[0].strategies[0].outcomeIndicators[1]`. */
  path: string;
  /** 1-based position within its item. */
  position: number;
  /** 「1-1 指標1」: how a page or a CSV names it. */
  label: string;
}

function indicatorsOf(kind: ItemKind, item: object): { key: string; list: Indicator[] } {
  const key = kind === 'initiative' ? 'processIndicators' : kind === 'reformItem' ? 'indicators' : 'outcomeIndicators';
  const list = (item as Record<string, unknown>)[key];
  return { key, list: Array.isArray(list) ? (list as Indicator[]) : [] };
}

/** Every indicator of the plan, in document order (items before their children). */
export function planIndicators(plan: Plan): LocatedIndicator[] {
  const out: LocatedIndicator[] = [];
  for (const { kind, item, path, label } of planItems(plan)) {
    const { key, list } = indicatorsOf(kind, item);
    list.forEach((indicator, i) => {
      out.push({ indicator, itemKind: kind, itemLabel: label, path: `${path}.${key}[${i}]`, position: i + 1, label: `${label} 指標${i + 1}` });
    });
  }
  return out;
}

// ---------------------------------------------------------------- reviews filled

/** A review counts as written when it gives a rating or a text. */
export function reviewFilled(review: MidYearReview | YearEndReview | null | undefined): boolean {
  if (!review) return false;
  const r = review as MidYearReview & YearEndReview;
  return Boolean(r.implementation || r.achievement || r.comment?.trim() || r.result?.trim());
}

/** The items that carry reviews: strategies, initiatives and reform items. */
export function reviewedItems(plan: Plan): { label: string; path: string; reviews: Reviews | undefined }[] {
  return planItems(plan)
    .filter((i) => i.kind !== 'issue')
    .map((i) => ({ label: i.label, path: i.path, reviews: (i.item as { reviews?: Reviews }).reviews }));
}

// ---------------------------------------------------------------- dates

/** ISO date arithmetic in UTC (dates carry no time zone). */
export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function lastDayOfMonth(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month, 0));
  return d.toISOString().slice(0, 10);
}

/** The periods of a fiscal year (April–March) at which measurements are expected. */
export function measurementPeriods(fiscalYear: number, frequency: MeasurementFrequency): { start: string; end: string }[] {
  const step = frequency === 'monthly' ? 1 : 3;
  const out: { start: string; end: string }[] = [];
  for (let m = 0; m < 12; m += step) {
    const startMonth = 4 + m; // April = 4; 13 → January of the next year
    const year = fiscalYear + (startMonth > 12 ? 1 : 0);
    const month = ((startMonth - 1) % 12) + 1;
    const endMonthRaw = startMonth + step - 1;
    const endYear = fiscalYear + (endMonthRaw > 12 ? 1 : 0);
    const endMonth = ((endMonthRaw - 1) % 12) + 1;
    out.push({ start: `${year}-${String(month).padStart(2, '0')}-01`, end: lastDayOfMonth(endYear, endMonth) });
  }
  return out;
}

function stateOf(done: boolean, today: string, windowStart: string, due: string): DueState {
  if (done) return 'done';
  if (today > due) return 'overdue';
  return today >= windowStart ? 'due' : 'upcoming';
}

// ---------------------------------------------------------------- the checks

/**
 * Every check of every plan, by plan then deadline. Rules:
 * - 中間振り返り / 年度末の自己評価: done when every strategy, initiative and reform item has
 *   that review written (a rating or a text); due from REVIEW_WINDOW_DAYS before the
 *   deadline; overdue after it.
 * - Measurements (only when the schedule asks monthly or quarterly, and the plan has
 *   indicators): one check per period, due at its last day, done when every indicator
 *   has a measurement dated within the period; due during the period, overdue after it.
 */
export function dueChecks(plans: readonly PlanCheckInput[], today: string): DueItem[] {
  const out: DueItem[] = [];
  for (const p of plans) {
    const schedule = p.schedule ?? defaultCheckSchedule(p.fiscalYear);
    const base = { planId: p.planId, organizationId: p.organizationId, organization: p.organization, fiscalYear: p.fiscalYear };
    const items = reviewedItems(p.plan);
    for (const kind of ['midYear', 'yearEnd'] as const) {
      const due = kind === 'midYear' ? schedule.midYearDue : schedule.yearEndDue;
      const missing = items.filter((i) => !reviewFilled(i.reviews?.[kind])).map((i) => i.label);
      out.push({ ...base, kind, due, state: stateOf(missing.length === 0, today, addDays(due, -REVIEW_WINDOW_DAYS), due), responsibleUserId: schedule.responsible[kind], missing });
    }
    const frequency = schedule.measurementFrequency;
    const indicators = planIndicators(p.plan).filter((i) => i.indicator.id !== undefined);
    if (frequency && indicators.length > 0) {
      const dates = new Map<string, string[]>();
      for (const m of p.measurements) dates.set(m.indicatorId, [...(dates.get(m.indicatorId) ?? []), m.date]);
      for (const period of measurementPeriods(p.fiscalYear, frequency)) {
        const missing = indicators
          .filter((i) => !(dates.get(i.indicator.id!) ?? []).some((d) => d >= period.start && d <= period.end))
          .map((i) => i.label);
        out.push({
          ...base, kind: 'measurement', due: period.end, periodStart: period.start,
          state: stateOf(missing.length === 0, today, period.start, period.end), responsibleUserId: schedule.responsible.measurements, missing,
        });
      }
    }
  }
  return out.sort((a, b) => a.planId - b.planId || (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
}
