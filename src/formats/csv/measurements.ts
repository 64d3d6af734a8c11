/**
 * Measurements as a CSV file made in Excel: UTF-8 with or without BOM, or Shift_JIS;
 * CRLF; a header row naming the columns; fields quoted per RFC 4180. Pure: bytes in,
 * measurements or every problem (row and column) out. The whole file is refused when one
 * row is bad: the caller stores nothing then. docs/checks.md describes the layout for
 * users.
 */
import { gregorianFromEra } from '../../domain/fiscal-year.ts';
import type { Measurement } from '../../domain/plan.ts';
import { decodeDocument } from '../decode.ts';

/** Far above a year of monthly figures for every indicator of a plan; refused beyond. */
export const MAX_CSV_BYTES = 900 * 1024;
export const MAX_CSV_ROWS = 10_000;
/** Problems listed before the rest are summed up. */
export const MAX_CSV_PROBLEMS = 100;
export const MAX_NOTE_CHARS = 1_000;
export const MAX_SOURCE_CHARS = 200;
/** Values are counts, rates and amounts: beyond a trillion is a typing mistake. */
export const MAX_ABS_VALUE = 999_999_999_999;

/** An indicator the file may name: by id, by its label (1-1 指標1) or by its statement. */
export interface CsvIndicator {
  id: string;
  label: string;
  statement: string;
}

export interface CsvMeasurement extends Measurement {
  indicatorId: string;
  /** The row in the file (Excel's row number: the header is row 1). */
  line: number;
}

export interface CsvProblem {
  line?: number;
  /** Column letter as Excel shows it (A, B, …). */
  column?: string;
  message: string;
}

export type MeasurementCsvResult = { ok: true; measurements: CsvMeasurement[] } | { ok: false; problems: CsvProblem[] };

type ColumnKey = 'indicatorId' | 'indicator' | 'date' | 'value' | 'note' | 'source';

const COLUMN_LABELS: Readonly<Record<ColumnKey, string>> = {
  indicatorId: '指標ID', indicator: '指標', date: '日付', value: '値', note: '備考', source: '出典',
};

/** Header names accepted for each column (compared after NFKC and without spaces). */
const HEADER_NAMES: Readonly<Record<string, ColumnKey>> = {
  指標id: 'indicatorId', indicatorid: 'indicatorId', id: 'indicatorId',
  指標: 'indicator', indicator: 'indicator', 指標名: 'indicator',
  日付: 'date', 測定日: 'date', date: 'date',
  値: 'value', 実績値: 'value', 測定値: 'value', value: 'value',
  備考: 'note', note: 'note',
  出典: 'source', データソース: 'source', source: 'source',
};

/** Column letter: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * RFC 4180 records (the text has LF line ends already), numbered as Excel numbers its rows:
 * a line break inside a quoted value does not start a new row.
 */
export function splitCsv(text: string): { records: { line: number; fields: string[] }[]; error?: CsvProblem } {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  const endField = () => {
    fields.push(field);
    field = '';
    afterQuote = false;
  };
  const endRecord = () => {
    endField();
    records.push({ line: records.length + 1, fields });
    fields = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoted = false;
        afterQuote = true;
      }
    } else if (ch === ',') {
      endField();
    } else if (ch === '\n') {
      endRecord();
    } else if (ch === '"' && field === '' && !afterQuote) {
      quoted = true;
    } else if (afterQuote) {
      return { records, error: { line: records.length + 1, column: `${columnLetter(fields.length)}列`, message: '「"」で囲んだ値の後に余分な文字があります(値の中の「"」は「""」と書きます)' } };
    } else {
      field += ch;
    }
  }
  if (quoted) return { records, error: { line: records.length + 1, column: `${columnLetter(fields.length)}列`, message: '「"」で始めた値が閉じられていません' } };
  if (field !== '' || fields.length > 0 || afterQuote) endRecord();
  return { records };
}

const simplify = (s: string) => s.normalize('NFKC').replace(/\s+/g, ' ').trim();
const headerKey = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/**
 * A date as people type it in Excel, normalized to ISO: 2017-09-30, 2017/9/30, 2017.9.30,
 * 2017年9月30日, 平成29年9月30日, H29.9.30, 令和元年5月1日, R1/5/1. undefined when unreadable
 * or not a real day.
 */
export function parseCsvDate(raw: string): string | undefined {
  const s = raw.normalize('NFKC').replace(/\s+/g, '');
  let year: number | undefined;
  let rest: string;
  const western = /^(\d{4})[-/.年](.*)$/.exec(s);
  const era = /^(明治|大正|昭和|平成|令和|[MTSHR])(\d{1,2}|元)[-/.年](.*)$/i.exec(s);
  if (western) {
    year = Number(western[1]);
    rest = western[2]!;
  } else if (era) {
    const names: Record<string, string> = { M: '明治', T: '大正', S: '昭和', H: '平成', R: '令和' };
    const name = names[era[1]!.toUpperCase()] ?? era[1]!;
    year = gregorianFromEra(name, era[2] === '元' ? 1 : Number(era[2]));
    rest = era[3]!;
  } else {
    return undefined;
  }
  const md = /^(\d{1,2})[-/.月](\d{1,2})日?$/.exec(rest);
  if (year === undefined || !md) return undefined;
  const month = Number(md[1]);
  const day = Number(md[2]);
  const d = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || year > 2200 || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A number as typed: full-width digits, thousands separators (1,234.5), a leading sign (−, ▲ and △ mean minus). */
export function parseCsvNumber(raw: string): number | undefined {
  let s = raw.normalize('NFKC').replace(/\s+/g, '').replace(/[−‐―ー]/g, '-');
  if (/^[▲△]/.test(s)) s = `-${s.slice(1)}`;
  if (!/^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-]?\.\d+$/.test(s)) return undefined;
  const n = Number(s.replace(/,/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

function indicatorFinder(indicators: readonly CsvIndicator[]) {
  const byId = new Map(indicators.map((i) => [i.id, i]));
  const byName = new Map<string, CsvIndicator[]>();
  const add = (key: string, ind: CsvIndicator) => {
    const list = byName.get(key) ?? [];
    if (!list.includes(ind)) list.push(ind);
    byName.set(key, list);
  };
  for (const ind of indicators) {
    add(simplify(ind.label), ind);
    add(simplify(ind.statement), ind);
    add(simplify(`${ind.label} ${ind.statement}`), ind);
  }
  return {
    byId: (id: string) => byId.get(id.trim()),
    /** The indicators a name may mean: one when it is clear. */
    byName: (name: string) => byName.get(simplify(name)) ?? [],
  };
}

export interface ReadCsvOptions {
  /** ISO date: a measurement may not be dated earlier (the plan's fiscal year's start). */
  earliestDate?: string;
}

/**
 * The measurements of a CSV file, each naming one of `indicators`; or every problem, each
 * with its row and column (「3行目 値(C列): 「abc」は数値ではありません」 once formatted).
 * Rows with neither a date nor a value are skipped (the template lists every indicator).
 */
export function readMeasurementsCsv(bytes: Uint8Array, indicators: readonly CsvIndicator[], options: ReadCsvOptions = {}): MeasurementCsvResult {
  if (bytes.length > MAX_CSV_BYTES) {
    return { ok: false, problems: [{ message: `ファイルが大きすぎます(${Math.ceil(bytes.length / 1024)}KB、上限 ${MAX_CSV_BYTES / 1024}KB)。ファイルを分けて取り込んでください。` }] };
  }
  const decoded = decodeDocument(bytes);
  if (!decoded.ok) return { ok: false, problems: [{ ...(decoded.line ? { line: decoded.line } : {}), message: decoded.message }] };
  const { records, error } = splitCsv(decoded.text);
  if (error) return { ok: false, problems: [error] };
  const header = records[0];
  if (!header) return { ok: false, problems: [{ message: 'ファイルが空です' }] };
  if (records.length - 1 > MAX_CSV_ROWS) {
    return { ok: false, problems: [{ message: `行が多すぎます(見出しを除いて${MAX_CSV_ROWS.toLocaleString('en-US')}行まで)。ファイルを分けて取り込んでください。` }] };
  }

  // The header: which column holds what.
  const problems: CsvProblem[] = [];
  const columns = new Map<ColumnKey, number>();
  header.fields.forEach((name, index) => {
    if (name.trim() === '') return;
    const key = HEADER_NAMES[headerKey(name)];
    const column = `${columnLetter(index)}列`;
    if (!key) {
      problems.push({ line: header.line, column, message: `見出し「${shown(name)}」は使えません(使える見出し: 指標ID、指標、日付、値、備考、出典)` });
    } else if (columns.has(key)) {
      problems.push({ line: header.line, column, message: `見出し「${COLUMN_LABELS[key]}」が2回あります` });
    } else {
      columns.set(key, index);
    }
  });
  for (const key of ['date', 'value'] as const) {
    if (!columns.has(key)) problems.push({ line: header.line, message: `見出しの行に「${COLUMN_LABELS[key]}」の列がありません(1行目は 指標ID,指標,日付,値,備考,出典 のような見出しにしてください)` });
  }
  if (!columns.has('indicatorId') && !columns.has('indicator')) problems.push({ line: header.line, message: '見出しの行に「指標ID」または「指標」の列がありません' });
  // A header of thousands of unknown names is summed up like the rows are.
  if (problems.length > 0) return { ok: false, problems: problems.slice(0, MAX_CSV_PROBLEMS) };

  const find = indicatorFinder(indicators);
  const measurements: CsvMeasurement[] = [];
  const at = (fields: string[], key: ColumnKey) => {
    const index = columns.get(key);
    return index === undefined ? '' : (fields[index] ?? '');
  };
  const where = (line: number, key: ColumnKey) => ({ line, column: `${COLUMN_LABELS[key]}(${columnLetter(columns.get(key)!)}列)` });

  for (const { line, fields } of records.slice(1)) {
    if (problems.length >= MAX_CSV_PROBLEMS) break;
    if (fields.every((f) => f.trim() === '')) continue;
    const rawDate = at(fields, 'date').trim();
    const rawValue = at(fields, 'value').trim();
    if (rawDate === '' && rawValue === '') continue;
    const extra = fields.findIndex((f, i) => f.trim() !== '' && ![...columns.values()].includes(i));
    if (extra >= 0) problems.push({ line, column: `${columnLetter(extra)}列`, message: `見出しのない列に値「${shown(fields[extra]!)}」があります` });

    // Which indicator: the id when given, else the label or statement.
    let indicatorId: string | undefined;
    const rawId = at(fields, 'indicatorId').trim();
    const rawName = at(fields, 'indicator').trim();
    if (rawId !== '') {
      indicatorId = find.byId(rawId)?.id;
      if (!indicatorId) problems.push({ ...where(line, 'indicatorId'), message: `指標ID「${shown(rawId)}」はこの運営方針の指標にありません` });
    } else if (rawName !== '') {
      const matches = find.byName(rawName);
      if (matches.length === 1) indicatorId = matches[0]!.id;
      else if (matches.length === 0) problems.push({ ...where(line, 'indicator'), message: `指標「${shown(rawName)}」はこの運営方針の指標にありません(「1-1 指標1」のような番号か、指標の文をそのまま書いてください)` });
      else problems.push({ ...where(line, 'indicator'), message: `指標「${shown(rawName)}」に当たる指標が${matches.length}つあります(「1-1 指標1」のような番号か指標IDで指定してください)` });
    } else {
      problems.push({ ...where(line, columns.has('indicatorId') ? 'indicatorId' : 'indicator'), message: '指標が空です' });
    }

    const date = parseCsvDate(rawDate);
    if (rawDate === '') problems.push({ ...where(line, 'date'), message: '日付が空です' });
    else if (!date) problems.push({ ...where(line, 'date'), message: `「${shown(rawDate)}」は日付として読めません(2017-09-30 や 2017/9/30 のように書いてください)` });
    else if (options.earliestDate && date < options.earliestDate) problems.push({ ...where(line, 'date'), message: `${date} は計画の年度の始まり(${options.earliestDate})より前です` });

    const value = parseCsvNumber(rawValue);
    if (rawValue === '') problems.push({ ...where(line, 'value'), message: '値が空です' });
    else if (value === undefined) problems.push({ ...where(line, 'value'), message: `「${shown(rawValue)}」は数値ではありません` });
    else if (Math.abs(value) > MAX_ABS_VALUE) problems.push({ ...where(line, 'value'), message: `「${shown(rawValue)}」は大きすぎます(絶対値 ${MAX_ABS_VALUE.toLocaleString('en-US')} まで)` });

    const note = at(fields, 'note').trim();
    const source = at(fields, 'source').trim();
    if ([...note].length > MAX_NOTE_CHARS) problems.push({ ...where(line, 'note'), message: `備考が長すぎます(${MAX_NOTE_CHARS.toLocaleString('en-US')}文字まで)` });
    if ([...source].length > MAX_SOURCE_CHARS) problems.push({ ...where(line, 'source'), message: `出典が長すぎます(${MAX_SOURCE_CHARS}文字まで)` });

    if (indicatorId && date && value !== undefined) {
      measurements.push({ indicatorId, date, value, line, ...(note ? { note } : {}), ...(source ? { source } : {}) });
    }
  }
  if (problems.length > 0) return { ok: false, problems: problems.slice(0, MAX_CSV_PROBLEMS) };
  if (measurements.length === 0) return { ok: false, problems: [{ message: '取り込む測定値がありません(日付と値を書いた行がありません)' }] };
  return { ok: true, measurements };
}

/** A value as shown in a message: cut short, control characters made visible. */
function shown(s: string): string {
  const t = s.replace(/\p{Cc}/gu, '�');
  return t.length > 40 ? `${t.slice(0, 40)}…` : t;
}

/** 「3行目 値(C列): 「abc」は数値ではありません」 */
export function formatCsvProblem(p: CsvProblem): string {
  const where = [p.line !== undefined ? `${p.line}行目` : '', p.column ?? ''].filter((s) => s !== '').join(' ');
  return where ? `${where}: ${p.message}` : p.message;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The template offered for download: one row per indicator with its id and 「1-1 指標1 statement」,
 * date and value left to fill in. UTF-8 with a BOM and CRLF, so Excel opens it as Japanese.
 */
export function measurementsCsvTemplate(indicators: readonly CsvIndicator[]): string {
  const rows = [['指標ID', '指標', '日付', '値', '備考', '出典'], ...indicators.map((i) => [i.id, `${i.label} ${i.statement}`, '', '', '', ''])];
  return `\uFEFF${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}
