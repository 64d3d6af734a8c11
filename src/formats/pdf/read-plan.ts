/**
 * Our own PDF read back: `renderPlanPdf` embeds the plan as hoshin-plan.json (hoshin-plan/2), and
 * this reads that file with pdfjs and the JSON reader, so the plan comes back exactly, ids,
 * indicators and reviews included. The embedded plan is then checked against the printed pages
 * (every 経営課題, 戦略 and 具体的取組 heading with its budgets, in order): a PDF whose pages were
 * edited after it was made, or whose attachment was swapped, is refused with the page where they
 * part, rather than importing data nobody sees.
 *
 * A PDF that is not ours (no hoshin-plan.json) answers `{ ours: false }`: the caller reads it
 * through its text, as any published PDF (`parseDocumentAsync`).
 */
import { error, hasErrors, type Diagnostic } from '../../domain/diagnostic.ts';
import { formatShortFiscalYear } from '../../domain/fiscal-year.ts';
import type { Plan } from '../../domain/plan.ts';
import { MAX_DOCUMENT_BYTES } from '../decode.ts';
import { parseJson } from '../json/parse.ts';
import { extractPdfText, isPdf, openPdf, pageOfLine, type PdfResources } from './extract.ts';
import { amount, planTitle } from './official/model.ts';
import { PLAN_ATTACHMENT } from './render.ts';

export type PlanPdfReadResult = { ours: false } | { ours: true; plan?: Plan; diagnostics: Diagnostic[] };

const WHERE = `PDFに埋め込まれた計画データ(${PLAN_ATTACHMENT})`;

const MESSAGES = {
  tooLarge: (bytes: number) => `ファイルが大きすぎます(${(bytes / 1024 / 1024).toFixed(1)} MB、上限 ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB)`,
  unreadable: `Hoshin で作成したPDFのようですが、ファイルが壊れているか途中で切れているため読めません(ダウンロードし直したPDFを取り込んでください)`,
  missing: `Hoshin で作成したPDFのようですが、${WHERE}が見つかりません(ファイルが途中で切れているか、PDFが編集されています。ダウンロードし直したPDFを取り込んでください)`,
  notUtf8: `${WHERE}が UTF-8 の文字として読めません(埋め込みファイルが壊れています)`,
  mismatch: (what: string, page: number) =>
    `${WHERE}と、印刷された内容が一致しません: ${what}が${page}ページ以降に見つかりません(PDFが作成後に編集されたか、埋め込みファイルが差し替えられています。ダウンロードし直したPDFを取り込んでください)`,
  titleMismatch: (title: string) =>
    `${WHERE}と、印刷された内容が一致しません: 表題「${title}」が1ページにありません(PDFが作成後に編集されたか、埋め込みファイルが差し替えられています)`,
};

/** Our file's name, as pdfkit writes it into the file specification (a literal string, uncompressed). */
const MARKER = new TextEncoder().encode(`(${PLAN_ATTACHMENT})`);

function contains(bytes: Uint8Array, needle: Uint8Array): boolean {
  const first = needle[0]!;
  for (let i = bytes.indexOf(first); i >= 0 && i <= bytes.length - needle.length; i = bytes.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && bytes[i + j] === needle[j]) j++;
    if (j === needle.length) return true;
  }
  return false;
}

export async function readPlanPdf(bytes: Uint8Array, resources: PdfResources): Promise<PlanPdfReadResult> {
  if (!isPdf(bytes)) return { ours: false };
  const marked = contains(bytes, MARKER);
  if (bytes.length > MAX_DOCUMENT_BYTES) return marked ? { ours: true, diagnostics: [error(MESSAGES.tooLarge(bytes.length))] } : { ours: false };
  const attachment = await readAttachment(bytes, resources);
  if (attachment === 'unreadable') return marked ? { ours: true, diagnostics: [error(MESSAGES.unreadable)] } : { ours: false };
  if (attachment === undefined) return marked ? { ours: true, diagnostics: [error(MESSAGES.missing)] } : { ours: false };

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(attachment);
  } catch {
    return { ours: true, diagnostics: [error(MESSAGES.notUtf8)] };
  }
  const parsed = parseJson(text.replace(/^\uFEFF/, ''));
  const diagnostics = parsed.diagnostics.map(inAttachment);
  if (!parsed.plan || hasErrors(diagnostics)) return { ours: true, diagnostics };

  const printed = await extractPdfText(bytes, resources);
  if (!printed.ok) return { ours: true, diagnostics: [...diagnostics, error(printed.message)] };
  const mismatch = compareWithPages(parsed.plan, printed.text, printed.pageStarts);
  if (mismatch) return { ours: true, diagnostics: [...diagnostics, mismatch] };
  return { ours: true, plan: parsed.plan, diagnostics };
}

/** The embedded file's bytes; undefined when there is none, 'unreadable' when pdfjs cannot open the PDF. */
async function readAttachment(bytes: Uint8Array, resources: PdfResources): Promise<Uint8Array | undefined | 'unreadable'> {
  const task = await openPdf(bytes, resources);
  let doc: Awaited<typeof task.promise> | undefined;
  try {
    doc = await task.promise;
    const attachments = (await doc.getAttachments()) as Record<string, { content?: Uint8Array }> | null;
    const content = attachments?.[PLAN_ATTACHMENT]?.content;
    return content instanceof Uint8Array ? content : undefined;
  } catch {
    return 'unreadable';
  } finally {
    await (doc ? doc.destroy() : task.destroy()).catch(() => undefined);
  }
}

/** A JSON reader's diagnostic, said to be about the embedded file (its line is the file's, not the PDF's). */
function inAttachment(d: Diagnostic): Diagnostic {
  const { line, ...rest } = d;
  const where = line === undefined ? WHERE : `${WHERE}の${line}行目`;
  return { ...rest, message: `${where}: ${d.message}` };
}

/** Compared without spaces or line breaks, in NFKC (pdfjs normalizes compatibility characters). */
const normalize = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

/**
 * The embedded plan's headings and budgets, looked for in order in the printed text; the first
 * one missing is the mismatch, placed on the page after the last one found.
 */
export function compareWithPages(plan: Plan, text: string, pageStarts: readonly number[]): Diagnostic | undefined {
  const lines = text.split('\n');
  // The printed text without spaces, and where each of its lines starts in it.
  let flat = '';
  const lineOffsets: number[] = [];
  for (const l of lines) {
    lineOffsets.push(flat.length);
    flat += normalize(l);
  }
  const lineAt = (offset: number) => {
    let lo = 0;
    let hi = lineOffsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineOffsets[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const title = planTitle(plan);
  const titleAt = flat.indexOf(normalize(title));
  if (titleAt < 0 || pageOfLine(pageStarts, lineAt(titleAt)) !== 1) return error(MESSAGES.titleMismatch(title), { page: 1 });

  const shortYear = formatShortFiscalYear(plan.fiscalYear);
  let cursor = titleAt;
  const find = (printed: string, what: string): Diagnostic | undefined => {
    const at = flat.indexOf(normalize(printed), cursor);
    if (at < 0) return error(MESSAGES.mismatch(what, pageOfLine(pageStarts, lineAt(cursor))), { page: pageOfLine(pageStarts, lineAt(cursor)) });
    cursor = at + normalize(printed).length;
    return undefined;
  };
  for (const issue of plan.issues) {
    const problem = find(`【経営課題${issue.number} ${issue.title}】`, `経営課題${issue.number}「${issue.title}」`);
    if (problem) return problem;
    for (const s of issue.strategies) {
      const p = find(`【${s.number} ${s.title}】`, `戦略${s.number}「${s.title}」`);
      if (p) return p;
    }
    for (const s of issue.strategies) {
      for (const i of s.initiatives) {
        const cm = i.cmBudgetThousandYen === null ? '' : `(${shortYear}区CM予算額 ${amount(i.cmBudgetThousandYen)})`;
        const budget = `(${shortYear}予算額 ${amount(i.budgetThousandYen)})${cm}`;
        const p = find(`【${i.number} ${i.title}】${budget}`, `具体的取組${i.number}「${i.title}」${budget}`);
        if (p) return p;
      }
    }
  }
  for (const item of plan.reform?.items ?? []) {
    const p = find(item.title, `様式3の取組項目「${item.title}」`);
    if (p) return p;
  }
  return undefined;
}
