/**
 * The official documents (PDF, xlsx) as the server and the command line make them: the PDF's
 * font is read from the installed npm package once per process (never a system font, so the
 * bytes are the same on every machine), then every format goes through `renderDocumentBytes`.
 */
import { readFile } from 'node:fs/promises';
import type { Plan } from '../domain/plan.ts';
import { bizUdpGothicPaths, renderDocumentBytes, type DocumentFormatName, type RenderBytesOptions } from '../formats/index.ts';

type PdfFonts = NonNullable<RenderBytesOptions['pdfFonts']>;

let fonts: Promise<PdfFonts> | undefined;

/** BIZ UDPGothic Regular and Bold, read once. */
export function loadPdfFonts(): Promise<PdfFonts> {
  fonts ??= (async () => {
    const paths = bizUdpGothicPaths();
    const [regular, bold] = await Promise.all([readFile(paths.regular), readFile(paths.bold)]);
    return { regular: new Uint8Array(regular), bold: new Uint8Array(bold) };
  })();
  // A failed read is not cached: the next request tries again.
  fonts.catch(() => {
    fonts = undefined;
  });
  return fonts;
}

/** A plan in any format, as bytes; fonts are loaded only when a PDF is asked for. */
export async function renderPlanDocument(plan: Plan, format: DocumentFormatName, options: Omit<RenderBytesOptions, 'pdfFonts'> = {}): Promise<Uint8Array> {
  return renderDocumentBytes(plan, format, format === 'pdf' ? { ...options, pdfFonts: await loadPdfFonts() } : options);
}
