/**
 * Open-data CSV: a plan as one row per initiative, and its measurements as one row per
 * measurement, for data portals and for people who open the file in Excel. Pure: the plan,
 * its organization and its measurements in, CSV text out.
 *
 * - UTF-8 with a BOM: without it, Japanese Excel reads the file as Shift_JIS.
 * - RFC 4180: CRLF line ends; a field is quoted when it holds a comma, a quote, CR or LF,
 *   and a quote inside is doubled.
 * - Formula injection (CWE-1236): a text cell starting with =, +, -, @, tab or CR is
 *   prefixed with a single quote ('). The quote is what OWASP recommends and what Excel
 *   itself uses to mark a cell as text, so the cell shows the text and is never evaluated;
 *   a reader of the data sees one extra character, documented here, rather than a
 *   silently changed value. Numbers we write ourselves (budgets, measured values) are not
 *   text: a number literal such as -5 cannot be a formula, so it is written as it is and
 *   stays a number in a spreadsheet.
 * - Budgets are plain integers in 千円 (no thousands separators), empty when unknown.
 *
 * The column names are stable: consumers key on them. Add columns at the end only.
 */
import { formatFiscalYearJapanese } from '../../domain/fiscal-year.ts';
import { planIndicators } from '../../domain/pdca/due.ts';
import type { Measurement, Plan } from '../../domain/plan.ts';

/** Byte order mark: what makes Excel read the file as UTF-8. */
export const CSV_BOM = '\uFEFF';
export const CSV_MEDIA_TYPE = 'text/csv; charset=utf-8';

export const INITIATIVE_COLUMNS = [
  '団体コード', '組織', '年度(西暦)', '年度(和暦)', '経営課題番号', '経営課題', '戦略番号', '戦略', '取組番号', '取組', '予算額(千円)', '区CM予算額(千円)',
] as const;

export const MEASUREMENT_COLUMNS = ['団体コード', '組織', '年度', '項目番号', '指標ID', '指標', '単位', '日付', '値', '備考', '出典'] as const;

/** A cell before it is written: text (neutralized), a number (as is), or nothing (empty). */
export type CsvCell = string | number | null;

/** Who the plan belongs to, as the rows name it. */
export interface OpenDataOrganization {
  /** 全国地方公共団体コード; null when unknown (the cell is left empty). */
  code: string | null;
  /** As residents know it: 「大阪市 西区」 for a ward, so the national file tells the 西区s apart. */
  name: string;
}

/** A measurement with the id of the indicator it belongs to (what the store lists). */
export interface OpenDataMeasurement extends Measurement {
  indicatorId: string;
}

/** First characters that make a spreadsheet evaluate a cell (or, for tab and CR, shift it). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell that a spreadsheet will show as text: the single-quote prefix where needed. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One cell as written: numbers as numbers, text neutralized and quoted when RFC 4180 requires it. */
export function csvField(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return '';
    return String(cell);
  }
  const text = neutralizeFormula(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record with its CRLF. */
export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** The rows of a plan's initiatives, in document order, without the header. */
export function initiativeRows(plan: Plan, organization: OpenDataOrganization): CsvCell[][] {
  const rows: CsvCell[][] = [];
  const year = formatFiscalYearJapanese(plan.fiscalYear);
  for (const issue of plan.issues) {
    for (const strategy of issue.strategies) {
      for (const initiative of strategy.initiatives) {
        rows.push([
          organization.code, organization.name, plan.fiscalYear, year,
          String(issue.number), issue.title, strategy.number, strategy.title, initiative.number, initiative.title,
          initiative.budgetThousandYen, initiative.cmBudgetThousandYen,
        ]);
      }
    }
  }
  return rows;
}

/**
 * The rows of a plan's measurements: indicators in document order, each one's measurements
 * oldest first (then as given). Measurements of an indicator the plan does not have (one
 * removed after they were recorded) are left out, as the plan's own JSON leaves them out.
 */
export function measurementRows(plan: Plan, organization: OpenDataOrganization, measurements: readonly OpenDataMeasurement[]): CsvCell[][] {
  const byIndicator = new Map<string, { m: OpenDataMeasurement; n: number }[]>();
  measurements.forEach((m, n) => {
    const list = byIndicator.get(m.indicatorId) ?? [];
    list.push({ m, n });
    byIndicator.set(m.indicatorId, list);
  });
  const rows: CsvCell[][] = [];
  const seen = new Set<string>();
  for (const { indicator, itemLabel } of planIndicators(plan)) {
    const id = indicator.id;
    if (typeof id !== 'string' || seen.has(id)) continue;
    seen.add(id);
    const list = (byIndicator.get(id) ?? []).sort((a, b) => (a.m.date < b.m.date ? -1 : a.m.date > b.m.date ? 1 : a.n - b.n));
    for (const { m } of list) {
      rows.push([
        organization.code, organization.name, plan.fiscalYear, itemLabel, id, indicator.statement, indicator.unit,
        m.date, m.value, m.note ?? null, m.source ?? null,
      ]);
    }
  }
  return rows;
}

/** The BOM and the header row: how every initiatives file starts, the streamed national one too. */
export function initiativesCsvHead(): string {
  return CSV_BOM + csvLine(INITIATIVE_COLUMNS);
}

/** A plan's initiative rows as CSV text, without BOM or header (a chunk of the national file). */
export function initiativesCsvBody(plan: Plan, organization: OpenDataOrganization): string {
  return initiativeRows(plan, organization).map(csvLine).join('');
}

/** One plan's initiatives file. */
export function initiativesCsv(plan: Plan, organization: OpenDataOrganization): string {
  return initiativesCsvHead() + initiativesCsvBody(plan, organization);
}

/** One plan's measurements file. */
export function measurementsCsv(plan: Plan, organization: OpenDataOrganization, measurements: readonly OpenDataMeasurement[]): string {
  return CSV_BOM + csvLine(MEASUREMENT_COLUMNS) + measurementRows(plan, organization, measurements).map(csvLine).join('');
}
