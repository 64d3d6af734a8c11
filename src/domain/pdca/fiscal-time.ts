/**
 * Fiscal time: a point in time as a real number of fiscal years, so "how much of the term
 * has passed" is plain arithmetic. The fiscal year FY runs from FY+0.0 (April 1, 00:00)
 * to FY+1.0 (March 31 of FY+1, end of day). A date stands for the END of that day: a
 * target "by 2020-03-31" and a target "by the end of FY2019" are the same point, 2020.0,
 * and whole fiscal years are exact (no leap-day drift), so 2 of 3 years is exactly 2/3.
 */

import type { IndicatorPoint } from '../plan.ts';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** A strict ISO YYYY-MM-DD calendar date, or null (2017-02-30 is null). */
export function parseIsoDate(text: string | undefined | null): CalendarDate | null {
  if (typeof text !== 'string') return null;
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { year, month, day };
}

function dayNumber(year: number, month: number, day: number): number {
  // Date.UTC maps years 0–99 to 1900+; setUTCFullYear does not.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.round(d.getTime() / DAY_MS);
}

/** The fiscal year a date falls in (April–March, named by the year it starts). */
export function fiscalYearOf(date: CalendarDate): number {
  return date.month >= 4 ? date.year : date.year - 1;
}

/** The end of the given day, in fiscal years. */
export function fiscalTimeOfDate(date: CalendarDate): number {
  const fy = fiscalYearOf(date);
  const start = dayNumber(fy, 4, 1);
  const next = dayNumber(fy + 1, 4, 1);
  return fy + (dayNumber(date.year, date.month, date.day) + 1 - start) / (next - start);
}

/** The end of an ISO day in fiscal years, or null when the text is not a date. */
export function fiscalTimeOfIso(text: string | undefined | null): number | null {
  const d = parseIsoDate(text);
  return d ? fiscalTimeOfDate(d) : null;
}

/**
 * When an indicator point stands: its date (end of day), else the end of its fiscal year
 * (a baseline "FY2016" is that year's result; a target "FY2019" is due by its end).
 */
export function fiscalTimeOfPoint(point: IndicatorPoint): number | null {
  if (point.date !== undefined) return fiscalTimeOfIso(point.date);
  if (typeof point.fiscalYear === 'number' && Number.isInteger(point.fiscalYear)) return point.fiscalYear + 1;
  return null;
}

/** 2017/9/30: how dates read on residents' pages. */
export function formatSlashDate(text: string): string {
  const d = parseIsoDate(text);
  return d ? `${d.year}/${d.month}/${d.day}` : text;
}

/** 2019年度末 / 2016/10/31: when a point stands, as a label. */
export function formatPointWhen(point: IndicatorPoint, fiscalYearSuffix = '年度末'): string {
  if (point.date !== undefined) return formatSlashDate(point.date);
  if (typeof point.fiscalYear === 'number') return `${point.fiscalYear}${fiscalYearSuffix}`;
  return '';
}
