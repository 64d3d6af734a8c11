/**
 * Indicator status and its roll-up, by the rules in status-rules.ts (docs/pdca-rules.md
 * says them in words, with worked examples that test/domain/pdca/status.test.ts runs).
 * Pure: the date of the evaluation comes in as `asOf`; there is no clock here.
 */

import type { Indicator, Initiative, ManagementIssue, Measurement, Plan, ReformItem, Strategy } from '../plan.ts';
import { fiscalTimeOfIso, fiscalTimeOfPoint } from './fiscal-time.ts';
import type { IndicatorStatus, NotMeasurableReason, RollUpRule, StatusRules } from './status-rules.ts';

export interface StatusOptions {
  /** ISO YYYY-MM-DD: the day the status is judged at (end of that day). Later measurements are left out. */
  asOf: string;
  /** The plan's fiscal year: the term starts at its beginning when the baseline has no date or year. */
  fiscalYear: number;
}

export interface IndicatorStatusResult {
  status: IndicatorStatus;
  /** (latest − baseline) / (target − baseline); may exceed 1 or be negative. null when it cannot be computed. */
  progress: number | null;
  /** The share of the way expected by asOf (0…1). null when it is not needed or cannot be computed. */
  expected: number | null;
  /** The measurement judged: the latest dated on or before asOf. */
  latest: Measurement | null;
  reason?: NotMeasurableReason;
}

/** Measurements with a real date on or before `asOfTime` and a finite value, oldest first (stable). */
function usableMeasurements(measurements: readonly Measurement[], asOfTime: number): { usable: Measurement[]; invalid: boolean } {
  let invalid = false;
  const dated: { m: Measurement; t: number; i: number }[] = [];
  measurements.forEach((m, i) => {
    const t = fiscalTimeOfIso(m.date);
    if (t === null || t > asOfTime) return;
    if (typeof m.value !== 'number' || !Number.isFinite(m.value)) {
      invalid = true;
      return;
    }
    dated.push({ m, t, i });
  });
  dated.sort((a, b) => a.t - b.t || a.i - b.i);
  return { usable: dated.map((d) => d.m), invalid };
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** (a − b) / (c − b) without overflowing for values near ±Number.MAX_VALUE: halving is exact. */
function shareOfWay(a: number, b: number, c: number): number {
  return (a / 2 - b / 2) / (c / 2 - b / 2);
}

/** The share of the way from baseline to target expected at `asOfTime` (docs/pdca-rules.md, rule 3). */
export function expectedShare(start: number, end: number, asOfTime: number, rules: StatusRules): number {
  const term = end - start;
  let share = term <= 0 ? 1 : Math.min(1, Math.max(0, (asOfTime - start) / term));
  const cap = rules.shortTermCap;
  if (cap && term > 0 && term <= cap.maxTermYears + 1e-9) share = Math.min(share, cap.share);
  return share;
}

export function indicatorStatus(
  indicator: Indicator,
  measurements: readonly Measurement[],
  opts: StatusOptions,
  rules: StatusRules,
): IndicatorStatusResult {
  const asOfTime = fiscalTimeOfIso(opts.asOf);
  if (asOfTime === null) throw new RangeError(`asOf must be an ISO date: ${opts.asOf}`);
  const notMeasurable = (reason: NotMeasurableReason, latest: Measurement | null = null): IndicatorStatusResult => ({
    status: 'notMeasurable',
    progress: null,
    expected: null,
    latest,
    reason,
  });

  const { target, baseline } = indicator;
  if (!target) return notMeasurable('noTarget');
  if (!isFiniteNumber(target.value)) return notMeasurable('invalidValue');

  const { usable, invalid } = usableMeasurements(measurements, asOfTime);
  const latest = usable.at(-1) ?? null;
  if (!latest) return notMeasurable(invalid ? 'invalidValue' : 'noMeasurement');

  const higher = indicator.direction !== 'lower';
  let base: number;
  if (baseline) {
    if (!isFiniteNumber(baseline.value)) return notMeasurable('invalidValue', latest);
    base = baseline.value;
  } else if (rules.missingBaseline === 'zero' && higher) {
    // 実績 ÷ 目標 reads "from nothing"; a lower-is-better indicator has no such zero.
    base = 0;
  } else {
    base = NaN;
  }

  const t = target.value;
  const meets = higher ? latest.value >= t : latest.value <= t;
  // The way from baseline to target must point in the indicator's direction.
  const computable = !Number.isNaN(base) && (higher ? t > base : t < base);
  const progress = computable ? shareOfWay(latest.value, base, t) : null;

  const start = (baseline && fiscalTimeOfPoint(baseline)) ?? opts.fiscalYear;
  const end = fiscalTimeOfPoint(target) ?? opts.fiscalYear + 1;
  const expected = computable ? expectedShare(start, end, asOfTime, rules) : null;

  if (meets || (progress !== null && progress >= 1)) return { status: 'achieved', progress, expected, latest };
  if (Number.isNaN(base)) return notMeasurable('noBaseline', latest);
  if (t === base) return notMeasurable('targetEqualsBaseline', latest);
  if (progress === null || expected === null) return notMeasurable('targetOppositeToDirection', latest);
  const status = progress >= expected - rules.onTrackTolerance ? 'onTrack' : 'behind';
  return { status, progress, expected, latest };
}

// ---------------------------------------------------------------- roll-up

export type StatusCounts = Record<IndicatorStatus, number>;

function zeroCounts(): StatusCounts {
  return { achieved: 0, onTrack: 0, behind: 0, notMeasurable: 0 };
}

function addCounts(into: StatusCounts, from: StatusCounts): void {
  into.achieved += from.achieved;
  into.onTrack += from.onTrack;
  into.behind += from.behind;
  into.notMeasurable += from.notMeasurable;
}

/** behind < onTrack < achieved: the order "worse" means. */
const RANK: Record<Exclude<IndicatorStatus, 'notMeasurable'>, number> = { behind: 0, onTrack: 1, achieved: 2 };

/** One status for many, by the configured rule (docs/pdca-rules.md, rule 5). */
export function combineStatuses(statuses: readonly IndicatorStatus[], rule: RollUpRule): IndicatorStatus {
  const counts = zeroCounts();
  for (const s of statuses) counts[s]++;
  const measurable = (['behind', 'onTrack', 'achieved'] as const).filter((s) => counts[s] > 0);
  if (measurable.length === 0) return 'notMeasurable';
  switch (rule) {
    case 'worst':
      return measurable[0]!;
    case 'majority': {
      // Ascending rank, so a tie keeps the worse status.
      let best = measurable[0]!;
      for (const s of measurable) if (counts[s] > counts[best] || (counts[s] === counts[best] && RANK[s] < RANK[best])) best = s;
      return best;
    }
  }
}

export interface IndicatorEntry {
  indicator: Indicator;
  result: IndicatorStatusResult;
}

export interface RolledUp {
  /** The overall status by the roll-up rule. */
  status: IndicatorStatus;
  /** Statuses of the direct members: own indicators plus the items below (each item counts once). */
  counts: StatusCounts;
  /** Statuses of every indicator at or below this item. */
  indicatorCounts: StatusCounts;
  indicators: IndicatorEntry[];
}

export interface InitiativeRollUp extends RolledUp {
  id?: string;
  number: string;
}

export interface StrategyRollUp extends RolledUp {
  id?: string;
  number: string;
  initiatives: InitiativeRollUp[];
}

export interface IssueRollUp extends RolledUp {
  id?: string;
  number: number;
  strategies: StrategyRollUp[];
}

export interface ReformItemRollUp extends RolledUp {
  id?: string;
  title: string;
}

export interface PlanRollUp extends RolledUp {
  issues: IssueRollUp[];
  reformItems: ReformItemRollUp[];
  /** Every item with an id → its roll-up, for pages that look one item up. */
  byItemId: Map<string, RolledUp>;
}

/** Measurements by indicator id; an indicator without an entry uses its own `measurements`. */
export type MeasurementsByIndicatorId = ReadonlyMap<string, readonly Measurement[]> | Readonly<Record<string, readonly Measurement[]>>;

function measurementsOf(indicator: Indicator, byId: MeasurementsByIndicatorId): readonly Measurement[] {
  const id = indicator.id;
  if (id !== undefined) {
    if (byId instanceof Map) {
      const found = byId.get(id);
      if (found) return found;
    } else if (Object.hasOwn(byId, id)) {
      return (byId as Readonly<Record<string, readonly Measurement[]>>)[id]!;
    }
  }
  return indicator.measurements ?? [];
}

export function rollUp(plan: Plan, measurementsByIndicatorId: MeasurementsByIndicatorId, opts: StatusOptions, rules: StatusRules): PlanRollUp {
  const byItemId = new Map<string, RolledUp>();

  const node = (indicators: readonly Indicator[] | undefined, children: readonly RolledUp[], id: string | undefined): RolledUp => {
    const entries = (indicators ?? []).map((indicator) => ({
      indicator,
      result: indicatorStatus(indicator, measurementsOf(indicator, measurementsByIndicatorId), opts, rules),
    }));
    const statuses = [...entries.map((e) => e.result.status), ...children.map((c) => c.status)];
    const counts = zeroCounts();
    for (const s of statuses) counts[s]++;
    const indicatorCounts = zeroCounts();
    for (const e of entries) indicatorCounts[e.result.status]++;
    for (const c of children) addCounts(indicatorCounts, c.indicatorCounts);
    const rolled: RolledUp = { status: combineStatuses(statuses, rules.rollUp), counts, indicatorCounts, indicators: entries };
    if (id !== undefined) byItemId.set(id, rolled);
    return rolled;
  };

  const initiative = (i: Initiative): InitiativeRollUp => ({ ...node(i.processIndicators, [], i.id), id: i.id, number: i.number });
  const strategy = (s: Strategy): StrategyRollUp => {
    const initiatives = s.initiatives.map(initiative);
    return { ...node(s.outcomeIndicators, initiatives, s.id), id: s.id, number: s.number, initiatives };
  };
  const issue = (m: ManagementIssue): IssueRollUp => {
    const strategies = m.strategies.map(strategy);
    return { ...node(m.outcomeIndicators, strategies, m.id), id: m.id, number: m.number, strategies };
  };
  const reformItem = (r: ReformItem): ReformItemRollUp => ({ ...node(r.indicators, [], r.id), id: r.id, title: r.title });

  const issues = plan.issues.map(issue);
  const reformItems = (plan.reform?.items ?? []).map(reformItem);
  const top = node([], [...issues, ...reformItems], undefined);
  return { ...top, issues, reformItems, byItemId };
}
