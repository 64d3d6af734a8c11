import { error, type Diagnostic } from '../domain/diagnostic.ts';
import type { Plan } from '../domain/plan.ts';
import { CSV_MEDIA_TYPE, initiativesCsv, type OpenDataOrganization } from './csv/open-data.ts';
import { decodeDocument } from './decode.ts';
import { parseJson } from './json/parse.ts';
import { extractPdfText, isPdf, withPdfPages, type PdfResources } from './pdf/extract.ts';
import { isZip } from './xlsx/archive.ts';
import { PLAN_FORMAT, PLAN_FORMAT_2, renderJson } from './json/plan-json.ts';
import { parseText } from './text/parse.ts';
import { renderText } from './text/render.ts';
import type { PlanPdfOptions } from './pdf/render.ts';
import { XLSX_MEDIA_TYPE } from './xlsx/layout.ts';

export { toPlanJson, fromPlanJson, PLAN_FORMAT, PLAN_FORMAT_2, PLAN_FORMATS, type PlanFormat, type PlanJson } from './json/plan-json.ts';
export { MAX_DOCUMENT_BYTES } from './decode.ts';
export { extractPdfText, isPdf, type PdfResources } from './pdf/extract.ts';
export { pdfjsResources, bizUdpGothicPaths } from './pdf/resources.ts';
export { parseBudgetAmount } from './budget-units.ts';
export { default as PLAN_SCHEMA } from '../../schema/hoshin-plan-1.schema.json' with { type: 'json' };
export { default as PLAN_SCHEMA_2 } from '../../schema/hoshin-plan-2.schema.json' with { type: 'json' };

/** What a document is read as. */
export type InputFormat = 'text' | 'json';
/** What a plan is written as: `json` is hoshin-plan/2 (writers write /2), `json1` is hoshin-plan/1 for /1 consumers. */
/** `csv` is written only: the open-data rows of the plan's initiatives (src/formats/csv/open-data.ts). */
export type FormatName = InputFormat | 'json1' | 'csv';
export const FORMAT_NAMES: readonly FormatName[] = ['text', 'json', 'json1', 'csv'];

/** The official documents: bytes, not text. */
export type BinaryFormatName = 'pdf' | 'xlsx';
/** Every format a plan can be written as. */
export type DocumentFormatName = FormatName | BinaryFormatName;
export const DOCUMENT_FORMAT_NAMES: readonly DocumentFormatName[] = [...FORMAT_NAMES, 'pdf', 'xlsx'];

/** Media type and file extension of each format, for downloads and the API. */
export const DOCUMENT_FORMATS: Record<DocumentFormatName, { mediaType: string; extension: string }> = {
  text: { mediaType: 'text/plain; charset=utf-8', extension: 'txt' },
  json: { mediaType: 'application/json; charset=utf-8', extension: 'json' },
  json1: { mediaType: 'application/json; charset=utf-8', extension: 'json' },
  csv: { mediaType: CSV_MEDIA_TYPE, extension: 'csv' },
  pdf: { mediaType: 'application/pdf', extension: 'pdf' },
  xlsx: { mediaType: XLSX_MEDIA_TYPE, extension: 'xlsx' },
};

export interface RenderBytesOptions {
  /** Names the owner in the CSV, the xlsx's flat sheets and the PDF's metadata. */
  organization?: OpenDataOrganization;
  /** The PDF's embedded font (read by the caller: `bizUdpGothicPaths()`); required for `pdf`. */
  pdfFonts?: PlanPdfOptions['fonts'];
  /** Fixes the PDF's and workbook's dates, so the bytes are the same run to run. */
  creationDate?: Date;
}

/**
 * Any format as bytes: the text ones UTF-8 encoded, the PDF and xlsx as their files. pdfkit and
 * exceljs are loaded on first use (as pdfjs is): together they are tens of MB that a server
 * answering only pages and JSON should not hold.
 */
export async function renderDocumentBytes(plan: Plan, format: DocumentFormatName, options: RenderBytesOptions = {}): Promise<Uint8Array> {
  const dated = options.creationDate === undefined ? {} : { creationDate: options.creationDate };
  const owner = options.organization === undefined ? {} : { organization: options.organization };
  switch (format) {
    case 'pdf':
      if (!options.pdfFonts) throw new Error('renderDocumentBytes: pdf needs pdfFonts');
      return (await import('./pdf/render.ts')).renderPlanPdf(plan, { fonts: options.pdfFonts, ...owner, ...dated });
    case 'xlsx':
      return (await import('./xlsx/render.ts')).renderPlanXlsx(plan, { ...owner, ...dated });
    case 'text':
    case 'json':
    case 'json1':
    case 'csv':
      return new TextEncoder().encode(renderDocument(plan, format, options.organization));
    default: {
      const unknown: never = format;
      throw new Error(`unknown format ${String(unknown)}`);
    }
  }
}

export interface ParseResult {
  /** `pdf` when the plan came from a PDF (its embedded plan, or its text read as text); `xlsx` from a workbook. */
  format: InputFormat | 'pdf' | 'xlsx';
  /** Undefined when any diagnostic is an error. */
  plan?: Plan;
  diagnostics: Diagnostic[];
}

/**
 * JSON when the content opens with "{" or "[" (no plan text can: it opens with its title) or
 * the name ends in .json; the seed's text layout otherwise. Content wins over the name, so a
 * JSON file saved as .txt is still read as JSON.
 */
export function detectFormat(text: string, fileName?: string): InputFormat {
  if (/^\s*[{[]/.test(text)) return 'json';
  return fileName && /\.json$/i.test(fileName) ? 'json' : 'text';
}

/** Any document Hoshin reads, as bytes: the one entry point of every importer. */
export function parseDocument(bytes: Uint8Array, fileName?: string): ParseResult {
  const decoded = decodeDocument(bytes);
  if (!decoded.ok) {
    return {
      format: fileName && /\.json$/i.test(fileName) ? 'json' : 'text',
      diagnostics: [error(decoded.message, decoded.line === undefined ? {} : { line: decoded.line })],
    };
  }
  return parseDocumentText(decoded.text, fileName);
}

/** Whether `parseDocumentAsync` reads these bytes as a workbook: a zip, or a file named .xlsx. */
export function isWorkbookDocument(bytes: Uint8Array, fileName?: string): boolean {
  return isZip(bytes) || (fileName !== undefined && /\.xlsx$/i.test(fileName));
}

/**
 * `parseDocument`, and PDFs and workbooks too. A PDF (by its `%PDF-` magic, whatever its name)
 * that Hoshin wrote carries its plan as an embedded hoshin-plan.json, which is read exactly;
 * any other PDF is read through its text, which the text parser then reads as it would a text
 * file, so a published PDF and its text give the same plan, with problems placed on their page.
 * A zip (or a name ending .xlsx) is read as Hoshin's workbook, cell by cell. Async because pdfjs
 * and exceljs are; `pdf` says where pdfjs's CMaps and fonts are (`pdfjsResources()` for the
 * installed package). `layout` forces a text layout profile, and the one used is returned, as
 * `parseDocumentWithLayout` does for text.
 */
export async function parseDocumentAsync(
  bytes: Uint8Array,
  fileName?: string,
  options: { pdf?: PdfResources; layout?: string; fiscalYear?: number } = {},
): Promise<ParseResult & { layout?: string }> {
  const reading = {
    ...(options.layout === undefined ? {} : { layout: options.layout }),
    ...(options.fiscalYear === undefined ? {} : { fiscalYear: options.fiscalYear }),
  };
  if (isWorkbookDocument(bytes, fileName)) {
    const { readPlanXlsx } = await import('./xlsx/read.ts');
    const { plan, diagnostics } = await readPlanXlsx(bytes);
    return { format: 'xlsx', ...(plan ? { plan } : {}), diagnostics };
  }
  if (isPdf(bytes)) {
    const format = 'pdf';
    if (!options.pdf) return { format, diagnostics: [error('PDFファイルです。この経路ではPDFを読み込めません')] };
    const { readPlanPdf } = await import('./pdf/read-plan.ts');
    const ours = await readPlanPdf(bytes, options.pdf);
    if (ours.ours) return { format, ...(ours.plan ? { plan: ours.plan } : {}), diagnostics: ours.diagnostics };
    const extracted = await extractPdfText(bytes, options.pdf);
    if (!extracted.ok) return { format, diagnostics: [error(extracted.message)] };
    const { plan, diagnostics, layout } = parseText(extracted.text, reading);
    return { format, ...(plan ? { plan } : {}), diagnostics: withPdfPages(diagnostics, extracted.pageStarts), ...(layout === undefined ? {} : { layout }) };
  }
  const decoded = decodeDocument(bytes);
  if (!decoded.ok || detectFormat(decoded.text, fileName) === 'json') return parseDocument(bytes, fileName);
  const { plan, diagnostics, layout } = parseText(decoded.text, reading);
  return { format: 'text', ...(plan ? { plan } : {}), diagnostics, ...(layout === undefined ? {} : { layout }) };
}

export function parseDocumentText(text: string, fileName?: string): ParseResult {
  const format = detectFormat(text, fileName);
  switch (format) {
    case 'json':
      return { format, ...parseJson(text) };
    case 'text': {
      const { plan, diagnostics } = parseText(text);
      return plan ? { format, plan, diagnostics } : { format, diagnostics };
    }
    default: {
      const unknown: never = format;
      throw new Error(`unknown format ${String(unknown)}`);
    }
  }
}

/** `organization` names the plan's owner in the CSV (code, 「大阪市 西区」); by default the plan's own name, no code. */
export function renderDocument(plan: Plan, format: FormatName, organization?: OpenDataOrganization): string {
  switch (format) {
    case 'csv':
      return initiativesCsv(plan, organization ?? { code: null, name: plan.organization });
    case 'json':
      return renderJson(plan, PLAN_FORMAT_2);
    case 'json1':
      return renderJson(plan, PLAN_FORMAT);
    case 'text':
      return renderText(plan);
    default: {
      const unknown: never = format;
      throw new Error(`unknown format ${String(unknown)}`);
    }
  }
}
