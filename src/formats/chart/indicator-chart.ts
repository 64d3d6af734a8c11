/**
 * An indicator over time as a small, accessible SVG (rendered on the server, no script, no
 * styles: presentation attributes only, so it passes a CSP without style-src 'unsafe-inline'),
 * and the same numbers as table data. Time runs in fiscal time (fiscal-time.ts), so a
 * baseline or target given by fiscal year sits at that year's end.
 */

import type { Indicator, IndicatorPoint, Measurement } from '../../domain/plan.ts';
import { fiscalTimeOfIso, fiscalTimeOfPoint, formatPointWhen, formatSlashDate } from '../../domain/pdca/fiscal-time.ts';

export interface ChartOptions {
  width?: number;
  height?: number;
  /** The accessible name (<title>): usually the indicator's statement or its item's title. */
  title: string;
  /** Prefix of the ids inside the SVG; give each chart on a page its own. */
  idPrefix?: string;
}

const COLORS = { text: '#222222', axis: '#444444', grid: '#dddddd', actual: '#0b5cad', baseline: '#4d4d4d', target: '#a33c00', path: '#767676' };
const MAX_DESC_MEASUREMENTS = 12;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A coordinate with one decimal; never NaN or Infinity in the output. */
function c(x: number): string {
  if (!Number.isFinite(x)) return '0';
  const r = Math.round(x * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

function group(integerDigits: string): string {
  return integerDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 1,234.5 / 0.25 / 1.5e+308: how values read on the chart and in the table. */
export function formatValue(v: number, maxDecimals = 4): string {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (v !== 0 && (a >= 1e15 || a < 1e-4)) return v.toExponential(3).replace(/\.?0+e/, 'e');
  const [int, frac] = String(Number(v.toFixed(maxDecimals))).split('.');
  const sign = int!.startsWith('-') ? '-' : '';
  const digits = group(int!.replace('-', ''));
  return `${sign}${digits}${frac ? `.${frac}` : ''}`;
}

function withUnit(v: number, unit: string): string {
  return `${formatValue(v)}${unit}`;
}

interface Pt {
  t: number;
  v: number;
}

function pointOf(p: IndicatorPoint | null | undefined): Pt | null {
  if (!p || typeof p.value !== 'number' || !Number.isFinite(p.value)) return null;
  const t = fiscalTimeOfPoint(p);
  return t === null ? null : { t, v: p.value };
}

/** Measurements the chart can place: a real date and a finite value, oldest first (stable). */
function plottable(measurements: readonly Measurement[]): (Pt & { m: Measurement })[] {
  return measurements
    .map((m, i) => ({ m, i, t: fiscalTimeOfIso(m.date), v: m.value }))
    .filter((x): x is { m: Measurement; i: number; t: number; v: number } => x.t !== null && typeof x.v === 'number' && Number.isFinite(x.v))
    .sort((a, b) => a.t - b.t || a.i - b.i);
}

/**
 * Value axis in "scaled" units (value ÷ 10^exp), so huge or tiny values never overflow:
 * ticks are multiples of a 1/2/2.5/5 step and the axis ends on ticks.
 */
function valueAxis(values: number[]): { exp: number; lo: number; hi: number; ticks: number[]; decimals: number } {
  const maxAbs = Math.max(...values.map(Math.abs));
  // Subnormal values would make 10^exp zero: below 1e-300 everything is scaled as 1e-300.
  const exp = maxAbs > 0 ? Math.max(-300, Math.floor(Math.log10(maxAbs))) : 0;
  const scale = 10 ** exp;
  const us = values.map((v) => v / scale);
  let lo = Math.min(...us);
  let hi = Math.max(...us);
  if (hi - lo < 1e-9 * Math.max(1, Math.abs(hi))) {
    if (hi === 0) hi = 1;
    else {
      const pad = Math.abs(hi) * 0.1;
      lo -= pad;
      hi += pad;
    }
  }
  // Headroom, so a target on the extreme value does not sit on the frame.
  const room = (hi - lo) * 0.08;
  lo = lo < 0 || lo - room >= 0 ? lo - room : 0;
  hi += room;
  const raw = (hi - lo) / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag;
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + (step / mag === 2.5 ? 1 : 0));
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toFixed(Math.min(20, decimals + 2))));
  return { exp, lo: first * step, hi: last * step, ticks, decimals };
}

function tickLabel(u: number, exp: number, decimals: number): string {
  if (u === 0) return '0';
  const v = u * 10 ** exp;
  if (Number.isFinite(v) && Math.abs(v) < 1e15 && Math.abs(v) >= 1e-4) return formatValue(v, Math.max(0, decimals - exp));
  return `${Number(u.toFixed(decimals))}e${exp}`;
}

function describe(indicator: Indicator, measurements: (Pt & { m: Measurement })[]): string {
  const unit = indicator.unit;
  const parts = [`${indicator.statement}。単位：${unit || 'なし'}。${indicator.direction === 'lower' ? '低いほど良い指標' : '高いほど良い指標'}。`];
  const b = indicator.baseline;
  if (b && Number.isFinite(b.value)) parts.push(`基準値 ${withUnit(b.value, unit)}（${formatPointWhen(b, '年度')}）。`);
  const t = indicator.target;
  if (t && Number.isFinite(t.value)) parts.push(`目標値 ${withUnit(t.value, unit)}（${formatPointWhen(t)}${t.date ? 'まで' : ''}）。`);
  if (measurements.length === 0) parts.push('実績はまだありません。');
  else {
    const shown = measurements.slice(-MAX_DESC_MEASUREMENTS);
    const more = measurements.length - shown.length;
    parts.push(`実績 ${measurements.length}件${more > 0 ? `（うち最新${shown.length}件）` : ''}：${shown.map((x) => `${formatSlashDate(x.m.date)} ${withUnit(x.v, unit)}`).join('、')}。`);
  }
  return parts.join('');
}

function safeId(text: string): string {
  const s = text.replace(/[^A-Za-z0-9_-]/g, '');
  return /^[A-Za-z]/.test(s) ? s : `c${s}`;
}

export function renderIndicatorChart(indicator: Indicator, measurements: readonly Measurement[], opts: ChartOptions): string {
  const W = Math.min(2000, Math.max(320, Math.round(opts.width ?? 640)));
  const H = Math.min(1500, Math.max(200, Math.round(opts.height ?? 320)));
  const L = 72;
  const R = 24;
  const T = 40;
  const B = 64;
  const plotW = W - L - R;
  const plotH = H - T - B;
  const id = safeId(opts.idPrefix ?? `chart-${indicator.id ?? ''}`);
  const unit = indicator.unit;
  const e = escapeXml;

  const ms = plottable(measurements);
  const base = pointOf(indicator.baseline);
  const target = pointOf(indicator.target);
  const all: Pt[] = [...(base ? [base] : []), ...ms, ...(target ? [target] : [])];

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="sans-serif" font-size="13" fill="${COLORS.text}">`,
    `<title id="${id}-title">${e(opts.title)}</title>`,
    `<desc id="${id}-desc">${e(describe(indicator, ms))}</desc>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
  );

  if (all.length === 0) {
    out.push(`<text x="${c(W / 2)}" y="${c(H / 2)}" text-anchor="middle">表示できる数値がありません</text>`, '</svg>');
    return out.join('\n');
  }

  // Time axis: at least one fiscal year wide, padded so points do not sit on the frame.
  let t0 = Math.min(...all.map((p) => p.t));
  let t1 = Math.max(...all.map((p) => p.t));
  if (t1 - t0 < 1) {
    const mid = (t0 + t1) / 2;
    t0 = mid - 0.5;
    t1 = mid + 0.5;
  }
  const padT = (t1 - t0) * 0.06;
  t0 -= padT;
  t1 += padT;
  const x = (t: number) => L + ((t - t0) / (t1 - t0)) * plotW;

  const axis = valueAxis(all.map((p) => p.v));
  const scale = 10 ** axis.exp;
  const y = (v: number) => T + plotH - ((v / scale - axis.lo) / (axis.hi - axis.lo)) * plotH;

  // Grid and value ticks.
  for (const u of axis.ticks) {
    const yy = c(T + plotH - ((u - axis.lo) / (axis.hi - axis.lo)) * plotH);
    out.push(`<line x1="${L}" y1="${yy}" x2="${L + plotW}" y2="${yy}" stroke="${COLORS.grid}"/>`);
    out.push(`<text x="${L - 8}" y="${yy}" dy="4" text-anchor="end">${e(tickLabel(u, axis.exp, axis.decimals))}</text>`);
  }
  out.push(`<text x="${L - 8}" y="${T - 22}" text-anchor="start" font-size="12">${e(unit ? `単位：${unit}` : '')}</text>`);

  // Fiscal years: a boundary line at each April 1, the label in the middle of the year.
  const firstYear = Math.ceil(t0 - 0.5);
  const lastYear = Math.floor(t1 - 0.5);
  const years = Math.max(0, lastYear - firstYear + 1);
  const every = Math.max(1, Math.ceil(years / Math.max(1, Math.floor(plotW / 80))));
  for (let fy = Math.ceil(t0); fy <= t1 && years < 400; fy++) {
    out.push(`<line x1="${c(x(fy))}" y1="${T}" x2="${c(x(fy))}" y2="${T + plotH}" stroke="${COLORS.grid}"/>`);
  }
  for (let fy = firstYear; fy <= lastYear; fy += every) {
    // A label that would stick out of the plot (a year barely in view) is left out.
    if (x(fy + 0.5) - 30 < L - 8 || x(fy + 0.5) + 30 > L + plotW + 8) continue;
    out.push(`<text x="${c(x(fy + 0.5))}" y="${T + plotH + 20}" text-anchor="middle">${fy}年度</text>`);
  }
  out.push(`<path d="M${L} ${T}V${T + plotH}H${L + plotW}" fill="none" stroke="${COLORS.axis}"/>`);

  // The way planned from baseline to target, then the target level and its point.
  if (base && target) {
    out.push(`<line x1="${c(x(base.t))}" y1="${c(y(base.v))}" x2="${c(x(target.t))}" y2="${c(y(target.v))}" stroke="${COLORS.path}" stroke-dasharray="2 4" stroke-width="1.5"/>`);
  }
  if (target) {
    const ty = y(target.v);
    const tx = x(target.t);
    out.push(`<line x1="${L}" y1="${c(ty)}" x2="${L + plotW}" y2="${c(ty)}" stroke="${COLORS.target}" stroke-dasharray="8 5" stroke-width="1.5"/>`);
    out.push(`<path d="M${c(tx)} ${c(ty - 7)}l7 7l-7 7l-7 -7z" fill="#ffffff" stroke="${COLORS.target}" stroke-width="2"/>`);
    const when = indicator.target ? formatPointWhen(indicator.target) : '';
    const above = ty - T > 24;
    out.push(`<text x="${c(Math.min(tx, L + plotW))}" y="${c(above ? ty - 12 : ty + 22)}" text-anchor="end" fill="${COLORS.target}">${e(`目標 ${withUnit(target.v, unit)}（${when}）`)}</text>`);
  }
  if (base) {
    const bx = x(base.t);
    const by = y(base.v);
    out.push(`<rect x="${c(bx - 5)}" y="${c(by - 5)}" width="10" height="10" fill="${COLORS.baseline}"/>`);
    // Below the point when the way to the target rises (the label would cross it), else above.
    const rising = target !== null && y(target.v) < by;
    const below = (rising || by - T < 24) && by + 24 < T + plotH;
    out.push(`<text x="${c(bx + 8)}" y="${c(below ? by + 20 : by - 10)}" text-anchor="start" fill="${COLORS.baseline}">${e(`基準値 ${withUnit(base.v, unit)}`)}</text>`);
  }

  // Measurements: a line through the points, the latest labelled.
  if (ms.length > 1) {
    out.push(`<polyline points="${ms.map((p) => `${c(x(p.t))},${c(y(p.v))}`).join(' ')}" fill="none" stroke="${COLORS.actual}" stroke-width="2.5"/>`);
  }
  for (const p of ms) out.push(`<circle cx="${c(x(p.t))}" cy="${c(y(p.v))}" r="4.5" fill="${COLORS.actual}"/>`);
  const latest = ms.at(-1);
  if (latest) {
    const lx = x(latest.t);
    const ly = y(latest.v);
    const nearRight = lx > L + plotW - 60;
    out.push(`<text x="${c(nearRight ? lx - 8 : lx + 8)}" y="${c(ly - T < 24 ? ly + 20 : ly - 10)}" text-anchor="${nearRight ? 'end' : 'start'}" fill="${COLORS.actual}" font-weight="bold">${e(withUnit(latest.v, unit))}</text>`);
  }

  // Legend.
  const ly = H - 14;
  out.push(
    `<g font-size="12">`,
    `<line x1="${L}" y1="${ly - 4}" x2="${L + 22}" y2="${ly - 4}" stroke="${COLORS.actual}" stroke-width="2.5"/><circle cx="${L + 11}" cy="${ly - 4}" r="4" fill="${COLORS.actual}"/><text x="${L + 28}" y="${ly}">実績</text>`,
    `<rect x="${L + 80}" y="${ly - 9}" width="10" height="10" fill="${COLORS.baseline}"/><text x="${L + 96}" y="${ly}">基準値</text>`,
    `<line x1="${L + 160}" y1="${ly - 4}" x2="${L + 186}" y2="${ly - 4}" stroke="${COLORS.target}" stroke-dasharray="8 5" stroke-width="1.5"/><text x="${L + 192}" y="${ly}">目標</text>`,
    `<line x1="${L + 240}" y1="${ly - 4}" x2="${L + 266}" y2="${ly - 4}" stroke="${COLORS.path}" stroke-dasharray="2 4" stroke-width="1.5"/><text x="${L + 272}" y="${ly}">目標への道筋</text>`,
    `</g>`,
    '</svg>',
  );
  return out.join('\n');
}

// ---------------------------------------------------------------- the same numbers as a table

export interface IndicatorTableRow {
  kind: 'baseline' | 'target' | 'measurement';
  /** 基準値 / 目標値 / 実績 */
  label: string;
  /** 2016/10/31, 2016年度, 2019年度末 */
  when: string;
  value: number;
  /** The value with its unit: 34.1% */
  valueText: string;
  note: string;
  source: string;
}

export interface IndicatorTable {
  caption: string;
  unit: string;
  headers: readonly string[];
  rows: IndicatorTableRow[];
}

export const INDICATOR_TABLE_HEADERS = ['区分', '時点', '値', '備考'] as const;

/** Plain data for pages to render (they escape it, as JSX does): baseline, target, then every measurement by date. */
export function indicatorTable(indicator: Indicator, measurements: readonly Measurement[]): IndicatorTable {
  const unit = indicator.unit;
  const rows: IndicatorTableRow[] = [];
  const b = indicator.baseline;
  if (b) rows.push({ kind: 'baseline', label: '基準値', when: formatPointWhen(b, '年度'), value: b.value, valueText: withUnit(b.value, unit), note: '', source: '' });
  const t = indicator.target;
  if (t) rows.push({ kind: 'target', label: '目標値', when: t.date ? `${formatPointWhen(t)}まで` : formatPointWhen(t), value: t.value, valueText: withUnit(t.value, unit), note: '', source: '' });
  const sorted = measurements.map((m, i) => ({ m, i })).sort((x, y) => (x.m.date < y.m.date ? -1 : x.m.date > y.m.date ? 1 : x.i - y.i));
  for (const { m } of sorted) {
    rows.push({ kind: 'measurement', label: '実績', when: formatSlashDate(m.date), value: m.value, valueText: withUnit(m.value, unit), note: m.note ?? '', source: m.source ?? '' });
  }
  return { caption: indicator.statement, unit, headers: INDICATOR_TABLE_HEADERS, rows };
}
