/**
 * Use cases of the Check: recording measurements (one at a time or from a CSV file), each
 * plan's check schedule and the reopening of locked reviews, what is due or overdue, and
 * the per-user calendar feed. Measurements and schedules live beside the plan: nothing here
 * writes a revision or moves a plan along its workflow. The store audits its own writes.
 */
import { dueChecks, planIndicators, type DueItem, type LocatedIndicator } from '../domain/pdca/due.ts';
import { defaultCheckSchedule, REVIEW_KIND_LABELS, type CheckSchedule, type MeasurementFrequency, type ReviewKind } from '../domain/pdca/check-schedule.ts';
import { fiscalYearStart, isIsoDate } from '../domain/pdca/plan-rules.ts';
import { rollUp, type PlanRollUp } from '../domain/pdca/status.ts';
import { OSAKA_STATUS_RULES } from '../domain/pdca/status-rules.ts';
import type { Measurement, Plan } from '../domain/plan.ts';
import {
  formatCsvProblem, MAX_ABS_VALUE, MAX_NOTE_CHARS, MAX_SOURCE_CHARS, parseCsvNumber, readMeasurementsCsv, type CsvIndicator,
} from '../formats/csv/measurements.ts';
import { NotFoundError, type MeasurementRecord, type PlanSummary, type Store, type User } from '../store/store.ts';
import { renderICalendar, type CalendarEvent } from '../formats/ical/render.ts';
import { loadSummary, refuse } from './plan-access.ts';
import { InvalidRequestError, ValidationError } from './errors.ts';
import { canRecordMeasurements, canReopenReviews, canSetCheckSchedule, canViewPlans } from './policy.ts';

/** Today's date in Japan (ISO): deadlines are Japanese office days. */
// Made once: building an Intl formatter costs about 0.1 ms, more than formatting with it.
const JAPAN_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' });

export function todayInJapan(now: Date): string {
  return JAPAN_DATE.format(now);
}

async function currentPlan(store: Store, summary: PlanSummary): Promise<Plan> {
  const revision = await store.getRevision(summary.id);
  if (!revision) throw new NotFoundError(`計画 ${summary.id} の版が見つかりません`);
  return revision.plan;
}

/** The indicators a measurement may name: those of the current revision that have an id. */
export function csvIndicators(plan: Plan): CsvIndicator[] {
  return planIndicators(plan).flatMap((i) => (i.indicator.id === undefined ? [] : [{ id: i.indicator.id, label: i.label, statement: i.indicator.statement }]));
}

/** Measurements grouped by indicator id, oldest first. */
export function measurementsByIndicator(records: readonly (Measurement & { indicatorId: string })[]): Map<string, Measurement[]> {
  const out = new Map<string, Measurement[]>();
  for (const r of records) {
    const m: Measurement = { date: r.date, value: r.value, ...(r.note ? { note: r.note } : {}), ...(r.source ? { source: r.source } : {}) };
    out.set(r.indicatorId, [...(out.get(r.indicatorId) ?? []), m]);
  }
  return out;
}

/** Status and progress of every indicator and item of a plan, on a day. */
/**
 * A plan's indicators judged within the plan's own fiscal year: today while the year runs,
 * its last day (31 March) once it is over, so an old plan reads as it stood at its year's
 * end, not as if its multi-year targets were due now (docs/pdca-rules.md).
 */
export function planStatus(plan: Plan, records: readonly (Measurement & { indicatorId: string })[], today: string): PlanRollUp {
  const yearEnd = `${plan.fiscalYear + 1}-03-31`;
  const asOf = today < yearEnd ? today : yearEnd;
  return rollUp(plan, measurementsByIndicator(records), { asOf, fiscalYear: plan.fiscalYear }, OSAKA_STATUS_RULES);
}

// ---------------------------------------------------------------- the indicators page

export interface IndicatorsView {
  summary: PlanSummary;
  plan: Plan;
  indicators: LocatedIndicator[];
  measurements: MeasurementRecord[];
  status: PlanRollUp;
  canRecord: boolean;
}

export async function viewIndicators(store: Store, actor: User, input: { planId: number; today: string }): Promise<IndicatorsView> {
  const summary = await loadSummary(store, input.planId);
  if (!canViewPlans(actor, summary.organizationId)) throw refuse(summary);
  const [plan, measurements] = await Promise.all([currentPlan(store, summary), store.listMeasurements(summary.id)]);
  return {
    summary, plan, indicators: planIndicators(plan), measurements,
    status: planStatus(plan, measurements, input.today),
    canRecord: canRecordMeasurements(actor, summary.organizationId),
  };
}

/** The CSV template of a plan's indicators (UTF-8 with BOM, CRLF). */
export async function measurementsTemplate(store: Store, actor: User, planId: number): Promise<{ summary: PlanSummary; indicators: CsvIndicator[] }> {
  const summary = await loadSummary(store, planId);
  if (!canViewPlans(actor, summary.organizationId)) throw refuse(summary);
  return { summary, indicators: csvIndicators(await currentPlan(store, summary)) };
}

// ---------------------------------------------------------------- recording measurements

export interface MeasurementInput {
  planId: number;
  indicatorId: string;
  date: string;
  /** As typed: full-width digits and thousands separators are read. */
  value: string;
  note?: string;
  source?: string;
}

/**
 * Records one measurement. Refused (ValidationError by form field: indicatorId, date, value,
 * note, dataSource) when the indicator is not in the current revision, the date is not a
 * day on or after the fiscal year's start, the value is not a number within bounds, or a
 * text is too long.
 */
export async function recordMeasurement(store: Store, actor: User, input: MeasurementInput): Promise<MeasurementRecord> {
  const summary = await loadSummary(store, input.planId);
  if (!canRecordMeasurements(actor, summary.organizationId)) throw refuse(summary, 'この運営方針の指標の実績を記録する権限がありません。');
  const plan = await currentPlan(store, summary);
  const problems: Record<string, string> = {};
  const indicator = csvIndicators(plan).find((i) => i.id === input.indicatorId);
  if (!indicator) problems['indicatorId'] = '指標を選んでください(この運営方針の現在の版にある指標だけを選べます)。';
  const date = input.date.trim();
  const start = fiscalYearStart(summary.fiscalYear);
  if (!isIsoDate(date)) problems['date'] = '日付を 2017-09-30 の形で入力してください。';
  else if (date < start) problems['date'] = `日付は年度の始まり(${start})以降にしてください。`;
  const value = parseCsvNumber(input.value);
  if (input.value.trim() === '') problems['value'] = '値を入力してください。';
  else if (value === undefined) problems['value'] = `「${input.value.slice(0, 40)}」は数値ではありません。`;
  else if (Math.abs(value) > MAX_ABS_VALUE) problems['value'] = `値が大きすぎます(絶対値 ${MAX_ABS_VALUE.toLocaleString('en-US')} まで)。`;
  const note = (input.note ?? '').trim();
  const source = (input.source ?? '').trim();
  if ([...note].length > MAX_NOTE_CHARS) problems['note'] = `備考は${MAX_NOTE_CHARS.toLocaleString('en-US')}文字までです。`;
  if ([...source].length > MAX_SOURCE_CHARS) problems['dataSource'] = `出典は${MAX_SOURCE_CHARS}文字までです。`;
  if (Object.keys(problems).length > 0 || value === undefined) throw new ValidationError(problems);
  const [record] = await store.addMeasurements({
    planId: summary.id, author: actor.username,
    measurements: [{ indicatorId: input.indicatorId, date, value, ...(note ? { note } : {}), ...(source ? { source } : {}) }],
  });
  return record!;
}

export type CsvImportOutcome = { kind: 'imported'; records: MeasurementRecord[] } | { kind: 'invalid'; problems: string[] };

/** Every measurement of a CSV file, or none: a bad row refuses the whole file, naming its row and column. */
export async function importMeasurementsCsv(store: Store, actor: User, input: { planId: number; bytes: Uint8Array }): Promise<CsvImportOutcome> {
  const summary = await loadSummary(store, input.planId);
  if (!canRecordMeasurements(actor, summary.organizationId)) throw refuse(summary, 'この運営方針の指標の実績を記録する権限がありません。');
  if (input.bytes.length === 0) return { kind: 'invalid', problems: ['取り込むCSVファイルを選んでください。'] };
  const plan = await currentPlan(store, summary);
  const read = readMeasurementsCsv(input.bytes, csvIndicators(plan), { earliestDate: fiscalYearStart(summary.fiscalYear) });
  if (!read.ok) return { kind: 'invalid', problems: read.problems.map(formatCsvProblem) };
  const records = await store.addMeasurements({
    planId: summary.id, author: actor.username,
    measurements: read.measurements.map(({ line: _line, ...m }) => m),
  });
  return { kind: 'imported', records };
}

export async function deleteMeasurement(store: Store, actor: User, input: { planId: number; id: number }): Promise<void> {
  const summary = await loadSummary(store, input.planId);
  if (!canRecordMeasurements(actor, summary.organizationId)) throw refuse(summary, 'この運営方針の指標の実績を削除する権限がありません。');
  await store.deleteMeasurement({ planId: summary.id, id: input.id, actor: actor.username });
}

// ---------------------------------------------------------------- the check schedule

export interface ScheduleView {
  summary: PlanSummary;
  schedule: CheckSchedule;
  /** True when never set (Osaka's default cycle shown). */
  isDefault: boolean;
  /** Who may be put in charge: the organization's editors and approvers. */
  candidates: User[];
  canEdit: boolean;
  canReopen: boolean;
}

async function responsibleCandidates(store: Store, organizationId: number): Promise<User[]> {
  return (await store.listUsers()).filter((u) => u.organizationId === organizationId && (u.role === 'editor' || u.role === 'approver'));
}

export async function viewSchedule(store: Store, actor: User, planId: number): Promise<ScheduleView> {
  const summary = await loadSummary(store, planId);
  if (!canViewPlans(actor, summary.organizationId)) throw refuse(summary);
  const [stored, candidates] = await Promise.all([store.getCheckSchedule(summary.id), responsibleCandidates(store, summary.organizationId)]);
  return {
    summary, schedule: stored ?? defaultCheckSchedule(summary.fiscalYear), isDefault: stored === undefined, candidates,
    canEdit: canSetCheckSchedule(actor, summary.organizationId), canReopen: canReopenReviews(actor, summary.organizationId),
  };
}

/** The schedule form as posted: dates, frequency ('' | monthly | quarterly), user ids ('' for none). */
export interface ScheduleInput {
  planId: number;
  midYearDue: string;
  yearEndDue: string;
  measurementFrequency: string;
  responsibleMidYear: string;
  responsibleYearEnd: string;
  responsibleMeasurements: string;
}

/**
 * Saves a plan's deadlines, measurement frequency and people in charge (ValidationError by
 * field). Deadlines lie within the fiscal year or the year after it (the year-end
 * evaluation is due after the year); the mid-year review comes first. Reopened reviews stay as they are.
 */
export async function saveCheckSchedule(store: Store, actor: User, input: ScheduleInput): Promise<CheckSchedule> {
  const summary = await loadSummary(store, input.planId);
  if (!canSetCheckSchedule(actor, summary.organizationId)) throw refuse(summary, 'この運営方針の点検予定を変更する権限がありません。');
  const candidates = await responsibleCandidates(store, summary.organizationId);
  const problems: Record<string, string> = {};
  const first = fiscalYearStart(summary.fiscalYear);
  const last = `${summary.fiscalYear + 2}-03-31`;
  const date = (field: 'midYearDue' | 'yearEndDue') => {
    const v = input[field].trim();
    if (!isIsoDate(v)) problems[field] = '日付を 2017-10-31 の形で入力してください。';
    else if (v < first || v > last) problems[field] = `日付は ${first} から ${last} までにしてください。`;
    return v;
  };
  const midYearDue = date('midYearDue');
  const yearEndDue = date('yearEndDue');
  if (!problems['midYearDue'] && !problems['yearEndDue'] && yearEndDue <= midYearDue) problems['yearEndDue'] = '年度末の自己評価の締切は、中間振り返りの締切より後にしてください。';
  let measurementFrequency: MeasurementFrequency | null = null;
  if (input.measurementFrequency === 'monthly' || input.measurementFrequency === 'quarterly') measurementFrequency = input.measurementFrequency;
  else if (input.measurementFrequency !== '') problems['measurementFrequency'] = '測定の頻度を選んでください。';
  const person = (field: 'responsibleMidYear' | 'responsibleYearEnd' | 'responsibleMeasurements'): number | null => {
    const v = input[field].trim();
    if (v === '') return null;
    const user = /^[1-9]\d{0,8}$/.test(v) ? candidates.find((u) => u.id === Number(v)) : undefined;
    if (!user) problems[field] = '担当者は、この組織の編集者・承認者から選んでください。';
    return user?.id ?? null;
  };
  const responsible = { midYear: person('responsibleMidYear'), yearEnd: person('responsibleYearEnd'), measurements: person('responsibleMeasurements') };
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  return store.transaction(async (tx) => {
    const current = (await tx.getCheckSchedule(summary.id)) ?? defaultCheckSchedule(summary.fiscalYear);
    const schedule: CheckSchedule = { midYearDue, yearEndDue, measurementFrequency, responsible, reopened: current.reopened };
    await tx.setCheckSchedule({ planId: summary.id, schedule, actor: actor.username });
    return schedule;
  });
}

/** 「再開する」/「締め切る」: an approver opens a review past its deadline to changes again, or locks it anew. Audited as review.reopen / review.lock. */
export async function setReviewReopened(store: Store, actor: User, input: { planId: number; kind: ReviewKind; reopened: boolean }): Promise<CheckSchedule> {
  const summary = await loadSummary(store, input.planId);
  if (!canReopenReviews(actor, summary.organizationId)) throw refuse(summary, '締切を過ぎた振り返りを再開・締切できるのは、この組織の承認者です。');
  if (input.kind !== 'midYear' && input.kind !== 'yearEnd') throw new InvalidRequestError('再開する振り返りの種類が正しくありません。', 'kind');
  return store.transaction(async (tx) => {
    const current = (await tx.getCheckSchedule(summary.id)) ?? defaultCheckSchedule(summary.fiscalYear);
    const schedule: CheckSchedule = { ...current, reopened: { ...current.reopened, [input.kind]: input.reopened } };
    await tx.setCheckSchedule({ planId: summary.id, schedule, actor: actor.username });
    await tx.appendAudit({
      actor: actor.username, action: input.reopened ? 'review.reopen' : 'review.lock', planId: summary.id, organizationId: summary.organizationId,
      item: input.kind, detail: { kind: input.kind, label: REVIEW_KIND_LABELS[input.kind], reopened: input.reopened },
    });
    return schedule;
  });
}

// ---------------------------------------------------------------- what is due

/** Every check of every plan the user may see (their organization's; all for planners and admins), on `today`. */
export async function listDueChecks(store: Store, actor: User, today: string): Promise<DueItem[]> {
  const ownOnly = actor.role === 'editor' || actor.role === 'approver';
  if (ownOnly && actor.organizationId === null) return [];
  const plans = (await store.listPlans(ownOnly ? { organizationId: actor.organizationId! } : {})).filter((p) => canViewPlans(actor, p.organizationId));
  return dueChecksOf(store, plans, today);
}

async function dueChecksOf(store: Store, plans: readonly PlanSummary[], today: string): Promise<DueItem[]> {
  const inputs = await Promise.all(plans.map(async (p) => {
    const [plan, schedule, measurements] = await Promise.all([currentPlan(store, p), store.getCheckSchedule(p.id), store.listMeasurements(p.id)]);
    return { planId: p.id, organizationId: p.organizationId, organization: p.organizationName, fiscalYear: p.fiscalYear, plan, schedule, measurements };
  }));
  return dueChecks(inputs, today);
}

// ---------------------------------------------------------------- the calendar feed

/**
 * The user's secret feed token: a new one (shown once: the store keeps only its hash) when
 * they have none or ask to renew, which stops the old URL.
 */
export async function issueCalendarToken(store: Store, actor: User, renew: boolean): Promise<string> {
  const has = await store.hasCalendarToken(actor.id);
  return store.calendarToken(actor.id, renew || has);
}

/**
 * Which checks a feed carries (docs/checks.md): those the user is in charge of; and, for
 * editors and approvers, every check of their organization that names no one in charge,
 * so an unassigned deadline still reaches someone. Done checks are left out.
 */
export function feedChecks(user: User, items: readonly DueItem[]): DueItem[] {
  const member = (user.role === 'editor' || user.role === 'approver') && user.organizationId !== null;
  return items.filter((d) => d.state !== 'done' && (d.responsibleUserId === user.id || (member && d.responsibleUserId === null && d.organizationId === user.organizationId)));
}

/** The iCalendar text of a feed token's user, or undefined when the token names no user. */
export async function calendarFeed(store: Store, token: string, now: Date): Promise<string | undefined> {
  const user = await store.userByCalendarToken(token);
  if (!user) return undefined;
  const today = todayInJapan(now);
  const member = (user.role === 'editor' || user.role === 'approver') && user.organizationId !== null;
  // Only plans that can hold this user's checks: their organization's, or (admins and planners) those naming them.
  const plans = await store.listPlans(member ? { organizationId: user.organizationId! } : {});
  const items = feedChecks(user, await dueChecksOf(store, plans.filter((p) => canViewPlans(user, p.organizationId)), today));
  return renderICalendar(items.map((d) => checkEvent(d)), now);
}

const KIND_SUMMARY: Record<DueItem['kind'], string> = { midYear: '中間振り返りの締切', yearEnd: '年度末の自己評価の締切', measurement: '指標の測定の締切' };

function checkEvent(d: DueItem): CalendarEvent {
  const what = d.kind === 'measurement' ? `${KIND_SUMMARY[d.kind]}(${d.periodStart}〜${d.due})` : KIND_SUMMARY[d.kind];
  const missing = d.missing.length > 0 ? `\n未記入: ${d.missing.slice(0, 20).join('、')}${d.missing.length > 20 ? ` ほか${d.missing.length - 20}件` : ''}` : '';
  return {
    // Stable per check, so a moved deadline updates the event instead of adding one.
    uid: `plan-${d.planId}-${d.kind}${d.periodStart ? `-${d.periodStart}` : ''}@hoshin`,
    date: d.due,
    summary: `${d.organization} ${d.fiscalYear}年度 ${what}`,
    description: `${d.organization}の${d.fiscalYear}年度運営方針: ${what}。${d.state === 'overdue' ? '期限を過ぎています。' : ''}${missing}`,
  };
}

