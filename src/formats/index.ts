import { error, type Diagnostic } from '../domain/diagnostic.ts';
import type { Plan } from '../domain/plan.ts';
import { initiativesCsv, type OpenDataOrganization } from './csv/open-data.ts';
import { decodeDocument } from './decode.ts';
import { parseJson } from './json/parse.ts';
import { extractPdfText, isPdf, type PdfResources } from './pdf/extract.ts';
import { PLAN_FORMAT, PLAN_FORMAT_2, renderJson } from './json/plan-json.ts';
import { parseText } from './text/parse.ts';
import { renderText } from './text/render.ts';

export { toPlanJson, fromPlanJson, PLAN_FORMAT, PLAN_FORMAT_2, PLAN_FORMATS, type PlanFormat, type PlanJson } from './json/plan-json.ts';
export { MAX_DOCUMENT_BYTES } from './decode.ts';
export { extractPdfText, isPdf, type PdfResources } from './pdf/extract.ts';
export { pdfjsResources } from './pdf/resources.ts';
export { parseBudgetAmount } from './budget-units.ts';
export { default as PLAN_SCHEMA } from '../../schema/hoshin-plan-1.schema.json' with { type: 'json' };
export { default as PLAN_SCHEMA_2 } from '../../schema/hoshin-plan-2.schema.json' with { type: 'json' };

/** What a document is read as. */
export type InputFormat = 'text' | 'json';
/** What a plan is written as: `json` is hoshin-plan/2 (writers write /2), `json1` is hoshin-plan/1 for /1 consumers. */
/** `csv` is written only: the open-data rows of the plan's initiatives (src/formats/csv/open-data.ts). */
export type FormatName = InputFormat | 'json1' | 'csv';
export const FORMAT_NAMES: readonly FormatName[] = ['text', 'json', 'json1', 'csv'];

export interface ParseResult {
  /** `pdf` when the text was extracted from a PDF and read as text. */
  format: InputFormat | 'pdf';
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

/**
 * `parseDocument`, and PDFs too: a PDF (by its `%PDF-` magic, whatever its name) is read through
 * its text, which the text parser then reads as it would a text file, so a published PDF and
 * its text give the same plan. Async because pdfjs is; `pdf` says where pdfjs's CMaps and fonts
 * are (`pdfjsResources()` for the installed package). `layout` forces a text layout profile, and
 * the one used is returned, as `parseDocumentWithLayout` does for text.
 */
export async function parseDocumentAsync(
  bytes: Uint8Array,
  fileName?: string,
  options: { pdf?: PdfResources; layout?: string; fiscalYear?: number } = {},
): Promise<ParseResult & { layout?: string }> {
  let text: string;
  let format: ParseResult['format'];
  if (isPdf(bytes)) {
    format = 'pdf';
    if (!options.pdf) return { format, diagnostics: [error('PDFファイルです。この経路ではPDFを読み込めません')] };
    const extracted = await extractPdfText(bytes, options.pdf);
    if (!extracted.ok) return { format, diagnostics: [error(extracted.message)] };
    text = extracted.text;
  } else {
    const decoded = decodeDocument(bytes);
    if (!decoded.ok || detectFormat(decoded.text, fileName) === 'json') return parseDocument(bytes, fileName);
    format = 'text';
    text = decoded.text;
  }
  const { plan, diagnostics, layout } = parseText(text, {
    ...(options.layout === undefined ? {} : { layout: options.layout }),
    ...(options.fiscalYear === undefined ? {} : { fiscalYear: options.fiscalYear }),
  });
  return { format, ...(plan ? { plan } : {}), diagnostics, ...(layout === undefined ? {} : { layout }) };
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
