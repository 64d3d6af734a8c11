/**
 * The Check beside the plans: measurements, check schedules, rating scales per city, and
 * calendar feed tokens. None of it touches plans or revisions: recording a measurement never
 * pulls a published plan back into editing. Every write is audited in its own transaction.
 * Inputs are checked minimally here (the application validates properly before): anything
 * the columns must not hold is refused with a RangeError.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { ITEM_ID_PATTERN } from '../../domain/item-ids.ts';
import type { CheckSchedule } from '../../domain/pdca/check-schedule.ts';
import type { RatingOption } from '../../domain/plan.ts';
import { fromTime, toTime, toUser } from '../mapper.ts';
import type { Database, MeasurementRow } from '../schema.ts';
import {
  DuplicateError,
  NotFoundError,
  type CheckStore,
  type MeasurementRecord,
  type NewMeasurement,
  type RatingScaleRecord,
  type User,
} from '../store.ts';
import { AUDIT, insertAudit } from './audit.ts';
import type { SqlContext } from './context.ts';
import { isIsoDate } from '../../domain/pdca/plan-rules.ts';

/** Bounds of what the store keeps (the app refuses longer input with its own messages first). */
export const MEASUREMENT_NOTE_MAX = 1000;
export const MEASUREMENT_SOURCE_MAX = 200;
/** The most measurements one call stores (one CSV upload). */
export const MEASUREMENTS_PER_CALL_MAX = 10_000;
export const RATING_SCALE_NAME_MAX = 100;
export const RATING_OPTIONS_MAX = 20;
export const RATING_CODE_MAX = 20;
export const RATING_LABEL_MAX = 200;

/** SHA-256 (hex) of a calendar feed token: the store never keeps the token itself. */
export const hashCalendarToken = (token: string): string => createHash('sha256').update(token).digest('hex');

// Control characters other than tab and line breaks have no place in a note, a name or a label.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;


function checkText(value: unknown, max: number, what: string, required: boolean): void {
  if (value === undefined || value === null) {
    if (required) throw new RangeError(`${what}がありません`);
    return;
  }
  if (typeof value !== 'string') throw new RangeError(`${what}は文字列で指定してください`);
  if (required && value.trim() === '') throw new RangeError(`${what}が空です`);
  if (value.length > max) throw new RangeError(`${what}は${max}文字以内にしてください(${value.length}文字)`);
  if (CONTROL.test(value)) throw new RangeError(`${what}に制御文字が含まれています`);
}

function checkMeasurement(m: NewMeasurement, index: number): void {
  const where = `${index + 1}件目の測定値`;
  if (typeof m !== 'object' || m === null) throw new RangeError(`${where}が読めません`);
  if (typeof m.indicatorId !== 'string' || !ITEM_ID_PATTERN.test(m.indicatorId)) throw new RangeError(`${where}: 指標のIDが正しくありません`);
  if (!isIsoDate(m.date)) throw new RangeError(`${where}: 日付は YYYY-MM-DD の形の実在する日付にしてください`);
  if (typeof m.value !== 'number' || !Number.isFinite(m.value)) throw new RangeError(`${where}: 値は有限の数値にしてください`);
  checkText(m.note, MEASUREMENT_NOTE_MAX, `${where}の備考`, false);
  checkText(m.source, MEASUREMENT_SOURCE_MAX, `${where}の出典`, false);
}

const isUserId = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isSafeInteger(v) && v > 0);

function checkSchedule(s: CheckSchedule): void {
  if (typeof s !== 'object' || s === null) throw new RangeError('点検の予定が読めません');
  if (!isIsoDate(s.midYearDue)) throw new RangeError('中間振り返りの期限は YYYY-MM-DD の形の実在する日付にしてください');
  if (!isIsoDate(s.yearEndDue)) throw new RangeError('年度末の自己評価の期限は YYYY-MM-DD の形の実在する日付にしてください');
  if (s.measurementFrequency !== null && s.measurementFrequency !== 'monthly' && s.measurementFrequency !== 'quarterly') {
    throw new RangeError('測定の頻度は毎月・四半期ごと・なしのいずれかにしてください');
  }
  const r = s.responsible;
  if (typeof r !== 'object' || r === null || !isUserId(r.midYear) || !isUserId(r.yearEnd) || !isUserId(r.measurements)) {
    throw new RangeError('点検の担当者が正しくありません');
  }
  const o = s.reopened;
  if (typeof o !== 'object' || o === null || typeof o.midYear !== 'boolean' || typeof o.yearEnd !== 'boolean') {
    throw new RangeError('再開の指定が正しくありません');
  }
}

/** Only the schedule's own keys are stored, so nothing else a caller's object carries slips into the column. */
function scheduleJson(s: CheckSchedule): string {
  const normalized: CheckSchedule = {
    midYearDue: s.midYearDue,
    yearEndDue: s.yearEndDue,
    measurementFrequency: s.measurementFrequency,
    responsible: { midYear: s.responsible.midYear, yearEnd: s.responsible.yearEnd, measurements: s.responsible.measurements },
    reopened: { midYear: s.reopened.midYear, yearEnd: s.reopened.yearEnd },
  };
  return JSON.stringify(normalized);
}

function checkScale(input: RatingScaleRecord): RatingOption[] {
  if (!Number.isSafeInteger(input.organizationId)) throw new RangeError('評価尺度の組織が正しくありません');
  checkText(input.name, RATING_SCALE_NAME_MAX, '評価尺度の名前', true);
  if (!Array.isArray(input.options) || input.options.length === 0) throw new RangeError('評価尺度には選択肢が1つ以上必要です');
  if (input.options.length > RATING_OPTIONS_MAX) throw new RangeError(`評価尺度の選択肢は${RATING_OPTIONS_MAX}個までです`);
  const codes = new Set<string>();
  return input.options.map((o, i) => {
    const where = `評価尺度「${input.name}」の${i + 1}番目の選択肢`;
    if (typeof o !== 'object' || o === null) throw new RangeError(`${where}が読めません`);
    checkText(o.code, RATING_CODE_MAX, `${where}の記号`, true);
    checkText(o.label, RATING_LABEL_MAX, `${where}の説明`, true);
    if (o.best !== undefined && typeof o.best !== 'boolean') throw new RangeError(`${where}の「最良」は真偽値にしてください`);
    if (codes.has(o.code)) throw new RangeError(`${where}: 記号「${o.code}」が重複しています`);
    codes.add(o.code);
    return o.best ? { code: o.code, label: o.label, best: true } : { code: o.code, label: o.label };
  });
}

function toMeasurementRecord(r: Selectable<MeasurementRow>): MeasurementRecord {
  return {
    id: Number(r.id),
    planId: Number(r.plan_id),
    indicatorId: r.indicator_id,
    date: r.date,
    value: Number(r.value),
    ...(r.note !== null ? { note: r.note } : {}),
    ...(r.source !== null ? { source: r.source } : {}),
    author: r.author,
    recordedAt: fromTime(r.recorded_at),
  };
}

async function planOrganization(db: Kysely<Database>, planId: number): Promise<number> {
  const row = await db.selectFrom('plans').select('organization_id').where('id', '=', planId).executeTakeFirst();
  if (!row) throw new NotFoundError(`計画 ${planId} が見つかりません`);
  return Number(row.organization_id);
}

export class SqlChecks implements CheckStore {
  constructor(private readonly ctx: SqlContext) {}

  // ------------------------------------------------------------ measurements

  async addMeasurements(input: { planId: number; author: string; measurements: NewMeasurement[] }): Promise<MeasurementRecord[]> {
    if (!Array.isArray(input.measurements)) throw new RangeError('測定値が読めません');
    if (input.measurements.length > MEASUREMENTS_PER_CALL_MAX) throw new RangeError(`一度に登録できる測定値は${MEASUREMENTS_PER_CALL_MAX}件までです`);
    // Every row is checked before anything is written: one bad row stores nothing.
    input.measurements.forEach(checkMeasurement);
    if (input.measurements.length === 0) return [];
    return this.ctx.write(async (tx) => {
      const organizationId = await planOrganization(tx.kysely, input.planId);
      const recordedAt = toTime(new Date());
      const rows = input.measurements.map((m) => ({
        plan_id: input.planId,
        indicator_id: m.indicatorId,
        date: m.date,
        value: m.value,
        note: m.note ?? null,
        source: m.source ?? null,
        author: input.author,
        recorded_at: recordedAt,
      }));
      const stored: MeasurementRecord[] = [];
      // Batches keep each statement under the engines' bound-parameter limits.
      for (let i = 0; i < rows.length; i += 500) {
        const inserted = await tx.kysely.insertInto('measurements').values(rows.slice(i, i + 500)).returningAll().execute();
        stored.push(...inserted.map(toMeasurementRecord));
      }
      const indicatorIds = [...new Set(input.measurements.map((m) => m.indicatorId))];
      await insertAudit(tx.kysely, {
        actor: input.author,
        action: AUDIT.measurementAdd,
        planId: input.planId,
        organizationId,
        item: indicatorIds.join(','),
        detail: { count: stored.length, indicatorIds, ids: stored.length <= 100 ? stored.map((m) => m.id) : undefined },
      });
      return stored;
    });
  }

  async deleteMeasurement(input: { planId: number; id: number; actor: string }): Promise<void> {
    await this.ctx.write(async (tx) => {
      const organizationId = await planOrganization(tx.kysely, input.planId);
      const row = await tx.kysely
        .deleteFrom('measurements')
        .where('id', '=', input.id)
        .where('plan_id', '=', input.planId)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new NotFoundError(`測定値 ${input.id} が見つかりません`);
      const m = toMeasurementRecord(row);
      await insertAudit(tx.kysely, {
        actor: input.actor,
        action: AUDIT.measurementDelete,
        planId: input.planId,
        organizationId,
        item: m.indicatorId,
        detail: { id: m.id, indicatorId: m.indicatorId, date: m.date, value: m.value, author: m.author },
      });
    });
  }

  async listMeasurements(planId: number): Promise<MeasurementRecord[]> {
    const rows = await this.ctx.kysely.selectFrom('measurements').selectAll().where('plan_id', '=', planId).orderBy('date').orderBy('id').execute();
    return rows.map(toMeasurementRecord);
  }

  // ------------------------------------------------------------ check schedules

  async getCheckSchedule(planId: number): Promise<CheckSchedule | undefined> {
    const row = await this.ctx.kysely.selectFrom('check_schedules').select('schedule').where('plan_id', '=', planId).executeTakeFirst();
    return row && (JSON.parse(row.schedule) as CheckSchedule);
  }

  async setCheckSchedule(input: { planId: number; schedule: CheckSchedule; actor: string }): Promise<void> {
    checkSchedule(input.schedule);
    const schedule = scheduleJson(input.schedule);
    await this.ctx.write(async (tx) => {
      const organizationId = await planOrganization(tx.kysely, input.planId);
      const before = await new SqlChecks(tx).getCheckSchedule(input.planId);
      const now = toTime(new Date());
      await tx.kysely
        .insertInto('check_schedules')
        .values({ plan_id: input.planId, schedule, updated_at: now })
        .onConflict((oc) => oc.column('plan_id').doUpdateSet({ schedule, updated_at: now }))
        .execute();
      await insertAudit(tx.kysely, {
        actor: input.actor,
        action: AUDIT.scheduleSet,
        planId: input.planId,
        organizationId,
        // Reopening a locked review shows here as reopened going from false to true.
        detail: { from: before ?? null, to: JSON.parse(schedule) as unknown },
      });
    });
  }

  // ------------------------------------------------------------ rating scales

  async listRatingScales(organizationId: number): Promise<RatingScaleRecord[]> {
    const rows = await this.ctx.kysely.selectFrom('rating_scales').selectAll().where('organization_id', '=', organizationId).orderBy('name').execute();
    return rows.map((r) => ({ organizationId: Number(r.organization_id), name: r.name, options: JSON.parse(r.options) as RatingOption[] }));
  }

  async saveRatingScale(input: RatingScaleRecord & { actor: string }): Promise<void> {
    const options = checkScale(input);
    const json = JSON.stringify(options);
    await this.ctx.write(async (tx) => {
      const org = await tx.kysely.selectFrom('organizations').select('kind').where('id', '=', input.organizationId).executeTakeFirst();
      if (!org) throw new NotFoundError(`組織 ${input.organizationId} が見つかりません`);
      if (org.kind === 'ward') throw new RangeError('評価尺度は区ではなく市で定めます');
      const before = await tx.kysely
        .selectFrom('rating_scales')
        .select('options')
        .where('organization_id', '=', input.organizationId)
        .where('name', '=', input.name)
        .executeTakeFirst();
      const now = toTime(new Date());
      await tx.kysely
        .insertInto('rating_scales')
        .values({ organization_id: input.organizationId, name: input.name, options: json, updated_at: now })
        .onConflict((oc) => oc.columns(['organization_id', 'name']).doUpdateSet({ options: json, updated_at: now }))
        .execute();
      await insertAudit(tx.kysely, {
        actor: input.actor,
        action: AUDIT.ratingScaleSave,
        organizationId: input.organizationId,
        item: input.name,
        detail: { name: input.name, from: before ? (JSON.parse(before.options) as unknown) : null, to: options },
      });
    });
  }

  // ------------------------------------------------------------ calendar feed tokens

  /**
   * Only the token's SHA-256 is kept, so an existing token cannot be shown again: without
   * `renew`, a user who already has one is refused (DuplicateError); the page offers renewal.
   */
  async calendarToken(userId: number, renew = false): Promise<string> {
    return this.ctx.write(async (tx) => {
      const user = await tx.kysely.selectFrom('users').select('username').where('id', '=', userId).executeTakeFirst();
      if (!user) throw new NotFoundError(`ユーザー ${userId} が見つかりません`);
      const existing = await tx.kysely.selectFrom('calendar_tokens').select('user_id').where('user_id', '=', userId).executeTakeFirst();
      if (existing && !renew) throw new DuplicateError('カレンダーのURLは発行済みです(安全のため再表示できません)。必要なら再発行してください');
      // 256 random bits, URL-safe: the feed's URL is the only secret guarding it.
      const token = randomBytes(32).toString('base64url');
      const row = { user_id: userId, token_hash: hashCalendarToken(token), created_at: toTime(new Date()) };
      await tx.kysely
        .insertInto('calendar_tokens')
        .values(row)
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ token_hash: row.token_hash, created_at: row.created_at }))
        .execute();
      // Never the token itself, nor its hash.
      await insertAudit(tx.kysely, { actor: user.username, action: AUDIT.calendarToken, detail: { userId, renewed: existing !== undefined } });
      return token;
    });
  }

  /** Whether the user has a calendar feed token (the token itself cannot be shown again). */
  async hasCalendarToken(userId: number): Promise<boolean> {
    const row = await this.ctx.kysely.selectFrom('calendar_tokens').select('user_id').where('user_id', '=', userId).executeTakeFirst();
    return row !== undefined;
  }

  async userByCalendarToken(token: string): Promise<User | undefined> {
    // Looked up by hash: the comparison is on a digest the caller cannot steer, so its timing says nothing of the token.
    if (typeof token !== 'string' || token.length === 0 || token.length > 200) return undefined;
    const row = await this.ctx.kysely
      .selectFrom('calendar_tokens')
      .innerJoin('users', 'users.id', 'calendar_tokens.user_id')
      .selectAll('users')
      .where('calendar_tokens.token_hash', '=', hashCalendarToken(token))
      .executeTakeFirst();
    return row && toUser(row);
  }
}
