/**
 * A published PDF → its text, in the layout the text parser reads (see `layout.ts`).
 *
 * pdfjs-dist (legacy build, which runs on Node 20) does the PDF reading. Japanese PDFs name their
 * glyphs through CMaps (UniJIS-UCS2-H…), and PDFs without embedded fonts need the standard font
 * data: pdfjs loads both from the folders the caller gives in `PdfResources`, never the network.
 * This module does no I/O of its own; pdfjs's Node reader opens the files it is pointed at.
 */
import type { TextItem, TextMarkedContent } from 'pdfjs-dist/types/src/display/api.js';
import type { Diagnostic } from '../../domain/diagnostic.ts';
import { MAX_DOCUMENT_BYTES } from '../decode.ts';
import { joinPagesLocated, layoutPage, rightMargin, type PageText, type PositionedText } from './layout.ts';

/** Where pdfjs finds its own data: folder paths ending in "/" (see `pdfjsResources`). */
export interface PdfResources {
  cMapUrl: string;
  standardFontDataUrl: string;
}

/**
 * `pageStarts[i]` is the line of `text` (1-based) on which page i+1 starts: `pageOfLine` turns a
 * line the text reader names into the page a person can find.
 */
export type PdfTextResult = { ok: true; text: string; pages: number; pageStarts: number[] } | { ok: false; message: string };

/** `%PDF-` at the start, as every PDF opens (bytes, not the file's name, decide). */
export function isPdf(bytes: Uint8Array): boolean {
  return bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46 && bytes[4] === 0x2d;
}

/** More pages than any plan has (the seed's is 4); a larger PDF is not a 運営方針. */
export const MAX_PDF_PAGES = 500;

const MESSAGES = {
  tooLarge: (bytes: number) => `ファイルが大きすぎます(${(bytes / 1024 / 1024).toFixed(1)} MB、上限 ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB)`,
  encrypted: 'PDFにパスワードが設定されているため読めません(パスワードを外したPDFか、テキストに変換したファイルを取り込んでください)',
  corrupt: 'PDFファイルが壊れているため読めません(PDFを保存し直すか、テキストに変換したファイルを取り込んでください)',
  noText: 'PDFに文字がありません(スキャンした画像だけのPDFのようです。文字を選択できるPDFか、テキストに変換したファイルを取り込んでください)',
  tooManyPages: (pages: number) => `PDFのページが多すぎます(${pages.toLocaleString('en-US')}ページ、上限 ${MAX_PDF_PAGES}ページ)`,
};

/** Controls a PDF's text may carry (NUL padding, stray escapes) that no document line holds. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * pdfjs's loading task for `bytes`, with the options every reader here uses: no eval, no
 * system fonts, the CMaps and fonts from `resources` (local files), quiet. pdfjs is loaded on
 * first use: the program starts without it, and only PDF imports pay its ~100 ms.
 */
export async function openPdf(bytes: Uint8Array, resources: PdfResources) {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs.getDocument({
    // pdfjs takes ownership of (detaches) the buffer it is given, and refuses a Buffer: a copy.
    data: new Uint8Array(bytes),
    cMapUrl: resources.cMapUrl,
    cMapPacked: true,
    standardFontDataUrl: resources.standardFontDataUrl,
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    stopAtErrors: false,
    verbosity: 0,
  });
}

export async function extractPdfText(bytes: Uint8Array, resources: PdfResources): Promise<PdfTextResult> {
  if (bytes.length > MAX_DOCUMENT_BYTES) return { ok: false, message: MESSAGES.tooLarge(bytes.length) };
  const task = await openPdf(bytes, resources);
  let doc: Awaited<typeof task.promise> | undefined;
  try {
    doc = await task.promise;
    if (doc.numPages > MAX_PDF_PAGES) return { ok: false, message: MESSAGES.tooManyPages(doc.numPages) };
    const runs: PositionedText[][] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent({ includeMarkedContent: true });
      runs.push(contentText(content.items).map(positioned));
      page.cleanup();
    }
    // One margin for the whole document: a page of short lines wraps where the others do.
    const margin = rightMargin(runs);
    const pages: PageText[] = [];
    for (const items of runs) pages.push(layoutPage(items, pages.at(-1)?.table, margin));
    if (pages.every((p) => p.blocks.length === 0)) return { ok: false, message: MESSAGES.noText };
    const { text, pageStarts } = joinPagesLocated(pages);
    return { ok: true, text, pages: doc.numPages, pageStarts };
  } catch (e) {
    const name = (e as { name?: string } | undefined)?.name;
    if (name === 'PasswordException') return { ok: false, message: MESSAGES.encrypted };
    return { ok: false, message: MESSAGES.corrupt };
  } finally {
    await (doc ? doc.destroy() : task.destroy()).catch(() => undefined);
  }
}

function isTextItem(item: TextItem | TextMarkedContent): item is TextItem {
  return 'str' in item;
}

/**
 * The text items of a page, without those marked as artifacts: a tagged PDF marks what is only
 * drawn for the eye (page numbers, running heads, a table's header rows repeated on the pages it
 * continues on) as /Artifact, and the document's text holds each header once, where the table
 * starts. Untagged PDFs have no marks: every item is kept.
 */
export function contentText(items: readonly (TextItem | TextMarkedContent)[]): TextItem[] {
  const out: TextItem[] = [];
  /** Open marked-content sequences: whether each is an artifact. */
  const open: boolean[] = [];
  let artifacts = 0;
  for (const item of items) {
    if (isTextItem(item)) {
      if (artifacts === 0) out.push(item);
      continue;
    }
    if (item.type === 'beginMarkedContent' || item.type === 'beginMarkedContentProps') {
      // pdfjs reports the tag (its typings do not list it).
      const artifact = (item as TextMarkedContent & { tag?: string | null }).tag === 'Artifact';
      open.push(artifact);
      if (artifact) artifacts++;
    } else if (item.type === 'endMarkedContent') {
      if (open.pop()) artifacts--;
    }
  }
  return out;
}

/** The page (1-based) a line of the extracted text stands on. */
export function pageOfLine(pageStarts: readonly number[], line: number): number {
  // The last page starting at or before the line (binary search: a diagnostic per initiative asks).
  let lo = 0;
  let hi = pageStarts.length - 1;
  if (hi < 0) return 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pageStarts[mid]! <= line) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * Diagnostics of the text read from a PDF, placed on its pages: each one with a line gets the
 * page that line stands on, and loses the line (it numbers the extracted text, which the person
 * who uploaded the PDF never sees) unless `keepLines`.
 */
export function withPdfPages(diagnostics: readonly Diagnostic[], pageStarts: readonly number[], options: { keepLines?: boolean } = {}): Diagnostic[] {
  return diagnostics.map((d) => {
    if (d.line === undefined) return d;
    const { line, ...rest } = d;
    return options.keepLines ? { ...d, page: pageOfLine(pageStarts, line) } : { ...rest, page: pageOfLine(pageStarts, line) };
  });
}

function positioned(item: TextItem): PositionedText {
  const [a, b, c, d, e, f] = item.transform as number[];
  return {
    str: item.str.replace(CONTROL, ''),
    x: e!,
    y: f!,
    width: item.width,
    // The glyphs' height: the transform's vertical scale (its length, should the text be skewed).
    size: Math.hypot(c!, d!) || Math.hypot(a!, b!) || item.height,
  };
}
