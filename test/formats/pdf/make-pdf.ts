/**
 * PDFs for tests, made with pdfkit and Noto Sans JP as an office's word processor would lay out
 * a plan: running text wrapped at the margin, the 様式2/様式3 tables as bordered two-column
 * tables whose cells wrap, page numbers 「- n -」 in the footer. The content is a plan in the text
 * layout (the seed's): a line with a tab is a table row, its cells split at the tabs; any other
 * line is a line of running text; blank lines separate paragraphs.
 */
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);
export const NOTO_SANS_JP = require.resolve('@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf');

export interface LayoutOptions {
  fontSize?: number;
  /** Width of the table's first column, in points; the rest of the text width is the second. */
  firstColumn?: number;
  /** pdfkit's encryption: a PDF that needs this password to open. */
  userPassword?: string;
  /** Page numbers in the footer. */
  pageNumbers?: boolean;
}

const MARGIN = 50;
const PADDING = 6;

function finish(doc: PDFKit.PDFDocument): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
    doc.end();
  });
}

function newDocument(options: LayoutOptions = {}): PDFKit.PDFDocument {
  return new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    // Fixed dates keep the bytes the same from run to run.
    info: { CreationDate: new Date(Date.UTC(2017, 3, 1)), ModDate: new Date(Date.UTC(2017, 3, 1)) },
    ...(options.userPassword ? { userPassword: options.userPassword, ownerPassword: 'owner', pdfVersion: '1.7' as const } : {}),
  });
}

export async function pdfFromLayoutText(text: string, options: LayoutOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  const size = options.fontSize ?? 10.5;
  const doc = newDocument(options);
  doc.font(NOTO_SANS_JP).fontSize(size);
  const width = doc.page.width - 2 * MARGIN;
  const first = options.firstColumn ?? 200;
  const bottom = () => doc.page.height - MARGIN;

  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (const line of lines) {
    if (line.trim() === '') {
      doc.moveDown(0.8);
      continue;
    }
    if (!line.includes('\t')) {
      doc.text(line.trim(), MARGIN, doc.y, { width });
      continue;
    }
    // A table row: cells side by side, the row as tall as its tallest cell, borders drawn.
    const cells = line.split('\t').map((c) => c.trim());
    const widths = cells.length === 2 ? [first, width - first] : cells.map(() => width / cells.length);
    const heights = cells.map((c, i) => (c === '' ? size : doc.heightOfString(c, { width: widths[i]! - 2 * PADDING })));
    const height = Math.max(...heights) + 2 * PADDING;
    if (doc.y + height > bottom()) doc.addPage();
    const top = doc.y;
    let x = MARGIN;
    cells.forEach((cell, i) => {
      doc.rect(x, top, widths[i]!, height).lineWidth(0.5).stroke();
      if (cell !== '') doc.text(cell, x + PADDING, top + PADDING, { width: widths[i]! - 2 * PADDING });
      x += widths[i]!;
    });
    doc.x = MARGIN;
    doc.y = top + height;
  }

  if (options.pageNumbers !== false) {
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const margins = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc.fontSize(9).text(`- ${i + 1} -`, MARGIN, doc.page.height - 30, { width, align: 'center' });
      doc.page.margins.bottom = margins;
    }
  }
  return finish(doc);
}

/** A page with no text at all: an image and a drawing, as a scanner or a picture export leaves it. */
export async function imageOnlyPdf(): Promise<Uint8Array<ArrayBuffer>> {
  const doc = newDocument();
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
  doc.image(png, MARGIN, MARGIN, { width: 400, height: 560 });
  doc.rect(MARGIN, MARGIN, 400, 560).stroke();
  return finish(doc);
}

/** Positioned runs by hand, for layouts pdfkit's flow would not make (a sentence split over pages). */
export async function pdfFromRuns(pages: { x: number; y: number; text: string; size?: number }[][]): Promise<Uint8Array<ArrayBuffer>> {
  const doc = newDocument({ pageNumbers: false });
  doc.font(NOTO_SANS_JP);
  pages.forEach((runs, i) => {
    if (i > 0) doc.addPage();
    for (const r of runs) doc.fontSize(r.size ?? 10.5).text(r.text, r.x, r.y, { lineBreak: false });
  });
  return finish(doc);
}
