/**
 * Draws the blocks of `model.ts` on A4 pages with pdfkit: tables with wrapped cells, rows kept
 * together when they fit on a page and split line by line when they do not, the header rows of a
 * table drawn again on every page it continues on, page numbers 「- n -」, and a structure tree
 * (Document, H1, H2, P, Table, TR, TH, TD) for screen readers.
 *
 * What is drawn again or only for the eye (repeated headers, borders, shading, page numbers) is
 * marked as an Artifact: assistive technology and our own text extraction skip it, so the
 * document's text holds every header once, where the table starts.
 *
 * Lines are broken here (`breaker.ts`), not by pdfkit, so a row can be split between two pages
 * at a line and every cell of a row shares one baseline grid (a text reader sees a row's cells
 * side by side on the same lines).
 */
import { breakParagraph, type LaidLine, type Measure } from './breaker.ts';
import type { Block, Cell, Row } from './model.ts';

type Doc = PDFKit.PDFDocument;
type StructElement = PDFKit.PDFStructureElement;

export const PAGE = { width: 595.28, height: 841.89 };
export const MARGIN = { top: 48, bottom: 58, left: 45, right: 45 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;

/** Table text: one size and one line pitch for every cell, so the cells of a row share baselines. */
const SIZE = 9;
const PITCH = 14;
const PAD_X = 5;
const PAD_Y = 4.5;
/** A row is split only when at least this many of its lines fit where it would start. */
const MIN_SPLIT_LINES = 3;

const FONT = { regular: 'HoshinRegular', bold: 'HoshinBold' } as const;
const INK = '#000000';
const HEADER_FILL = '#d9d9d9';
const LABEL_FILL = '#efefef';
const RULE = 0.6;

interface LaidParagraphLine {
  line: LaidLine;
  /** Left offset of the line's text inside the cell's text box. */
  indent: number;
  bullet?: string;
  align: 'left' | 'center' | 'right';
}

interface LaidCell {
  cell: Cell;
  x: number;
  width: number;
  lines: LaidParagraphLine[];
  /** Lines tall (at least the cell's minLines). */
  height: number;
}

interface LaidRow {
  row: Row;
  cells: LaidCell[];
  /** Lines tall. */
  lines: number;
}

export interface WriterFonts {
  regular: Uint8Array;
  bold: Uint8Array;
}

export class OfficialWriter {
  private y = MARGIN.top;
  private readonly widths = new Map<string, number>();
  private readonly root: StructElement;
  private readonly laid = new WeakMap<Row, LaidRow>();

  constructor(
    private readonly doc: Doc,
    fonts: WriterFonts,
  ) {
    doc.registerFont(FONT.regular, fonts.regular as unknown as Buffer);
    doc.registerFont(FONT.bold, fonts.bold as unknown as Buffer);
    this.root = doc.struct('Document');
    doc.addStructure(this.root);
  }

  /** Width of one character at size 1 in the regular or bold face (cached: plans repeat few characters). */
  private readonly measure: Measure = (char, bold) => {
    const key = bold ? `b${char}` : `r${char}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      w = this.doc.font(bold ? FONT.bold : FONT.regular).fontSize(1).widthOfString(char);
      this.widths.set(key, w);
    }
    return w;
  };

  private measureAt(size: number): Measure {
    return (char, bold) => this.measure(char, bold) * size;
  }

  private textWidth(text: string, bold: boolean, size: number): number {
    let w = 0;
    for (const c of text) w += this.measure(c, bold) * size;
    return w;
  }

  write(blocks: Block[]): void {
    for (const [i, block] of blocks.entries()) {
      switch (block.kind) {
        case 'title':
          this.title(block.text, block.draft);
          break;
        case 'head':
          this.line(block.text, { size: 10.5, align: 'right', tag: 'P', after: 10 });
          break;
        case 'heading': {
          // A heading never stands alone at the foot of a page.
          const next = blocks[i + 1];
          const need = 12 * 1.6 + (next?.kind === 'table' ? this.tableLead(next.rows) : 3 * PITCH);
          if (this.y + need > BOTTOM) this.newPage();
          this.line(block.text, { size: 12, bold: true, tag: 'H2', after: 5 });
          break;
        }
        case 'table':
          this.table(block.rows, block.caption);
          break;
        case 'space':
          // Space at the top of a page is not needed.
          if (this.y > MARGIN.top) this.y = Math.min(this.y + block.points, BOTTOM);
          break;
        default: {
          const unknown: never = block;
          throw new Error(`unknown block ${JSON.stringify(unknown)}`);
        }
      }
    }
    this.root.end();
  }

  /** Page numbers 「- n -」, centred at the foot of every page, once every page exists. */
  numberPages(): void {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const text = `- ${i + 1 - range.start} -`;
      const size = 9;
      this.artifact('Pagination', () => {
        this.doc.font(FONT.regular).fontSize(size).fillColor(INK);
        this.doc.text(text, (PAGE.width - this.textWidth(text, false, size)) / 2, PAGE.height - 34, { lineBreak: false });
      });
    }
  }

  // ---------------------------------------------------------------- pages and plain lines

  private newPage(): void {
    this.doc.addPage();
    this.y = MARGIN.top;
  }

  private artifact(type: 'Pagination' | 'Layout', draw: () => void): void {
    this.doc.markContent('Artifact', { type });
    draw();
    this.doc.endMarkedContent();
  }

  private title(text: string, draft: boolean): void {
    this.line(text, { size: 15, bold: true, align: 'center', tag: 'H1', after: 6 });
    if (draft) {
      // The boxed 案 at the top right that marks a draft on paper; the title already says (案).
      const size = 13;
      const box = 24;
      const x = PAGE.width - MARGIN.right - box;
      const y = 22;
      this.artifact('Layout', () => {
        this.doc.lineWidth(1).strokeColor(INK).rect(x, y, box, box).stroke();
        this.doc.font(FONT.bold).fontSize(size).fillColor(INK).text('案', x + (box - size) / 2, y + (box - size) / 2 - 0.5, { lineBreak: false });
      });
    }
  }

  /** A line of running text (title, head, heading), wrapped if it must be. */
  private line(text: string, o: { size: number; bold?: boolean; align?: 'left' | 'center' | 'right'; tag: string; after: number }): void {
    const bold = o.bold === true;
    const lines = breakParagraph([{ text, bold }], CONTENT_WIDTH, this.measureAt(o.size));
    const pitch = o.size * 1.6;
    if (this.y + pitch * lines.length > BOTTOM) this.newPage();
    const element = this.doc.struct(o.tag);
    this.root.add(element);
    const content = this.doc.markStructureContent(o.tag);
    this.doc.font(bold ? FONT.bold : FONT.regular).fontSize(o.size).fillColor(INK);
    for (const l of lines) {
      const t = l.spans.map((s) => s.text).join('');
      const x = o.align === 'center' ? MARGIN.left + (CONTENT_WIDTH - l.width) / 2 : o.align === 'right' ? MARGIN.left + CONTENT_WIDTH - l.width : MARGIN.left;
      this.doc.text(t, x, this.y, { lineBreak: false });
      this.y += pitch;
    }
    this.doc.endMarkedContent();
    element.add(content);
    element.end();
    this.y += o.after;
  }

  // ---------------------------------------------------------------- tables

  private layRow(row: Row): LaidRow {
    const known = this.laid.get(row);
    if (known) return known;
    let x = MARGIN.left;
    const total = row.cells.reduce((t, c) => t + c.width, 0);
    const cells = row.cells.map((cell, i) => {
      // The last cell takes what is left, so rounding never leaves a gap at the right edge.
      const width = i === row.cells.length - 1 ? MARGIN.left + CONTENT_WIDTH - x : (CONTENT_WIDTH * cell.width) / total;
      const laid: LaidCell = { cell, x, width, lines: this.layCell(cell, width - 2 * PAD_X), height: 0 };
      laid.height = Math.max(laid.lines.length, cell.minLines ?? 1);
      x += width;
      return laid;
    });
    const laid: LaidRow = { row, cells, lines: Math.max(...cells.map((c) => c.height)) };
    this.laid.set(row, laid);
    return laid;
  }

  private layCell(cell: Cell, width: number): LaidParagraphLine[] {
    const measure = this.measureAt(SIZE);
    const bold = cell.header === true;
    const out: LaidParagraphLine[] = [];
    for (const para of cell.paragraphs) {
      const spans = bold ? para.spans.map((s) => ({ ...s, bold: true })) : para.spans;
      const indent = para.bullet ? this.textWidth(para.bullet, false, SIZE) : 0;
      const align = para.align ?? (cell.header ? 'center' : 'left');
      breakParagraph(spans, width - indent, measure).forEach((line, i) => {
        out.push({ line, indent, align, ...(para.bullet && i === 0 ? { bullet: para.bullet } : {}) });
      });
    }
    return out;
  }

  private rowHeight(lines: number): number {
    return lines * PITCH + 2 * PAD_Y;
  }

  /** What must fit below a heading: the table's header rows and the first lines of its first body row. */
  private tableLead(rows: Row[]): number {
    let h = 0;
    for (const row of rows) {
      const laid = this.layRow(row);
      if (!row.header) return h + this.rowHeight(Math.min(laid.lines, MIN_SPLIT_LINES));
      h += this.rowHeight(laid.lines);
    }
    return h;
  }

  private table(rows: Row[], caption?: string): void {
    const table = this.doc.struct('Table', caption ? { title: caption } : {});
    this.root.add(table);
    for (const [i, row] of rows.entries()) {
      const laid = this.layRow(row);
      let need = this.rowHeight(laid.lines);
      // Header rows stay with the start of what follows them.
      if (row.header) need += this.lead(rows, i + 1);
      const fresh = BOTTOM - MARGIN.top - this.repeatHeight(row);
      if (this.y + need > BOTTOM) {
        const fitsFresh = need <= fresh;
        const roomNow = Math.floor((BOTTOM - this.y - 2 * PAD_Y) / PITCH);
        if (fitsFresh || roomNow < MIN_SPLIT_LINES || row.header) this.continueOnNewPage(row);
      }
      this.drawRow(laid, table);
    }
    table.end();
  }

  /** Height of the rows following `from` that a header must be kept with: its sub-headers and the first lines of a body row. */
  private lead(rows: Row[], from: number): number {
    let h = 0;
    for (let j = from; j < rows.length; j++) {
      const laid = this.layRow(rows[j]!);
      if (!rows[j]!.header) {
        // A row that will be moved whole to a new page takes its header with it; one that will be split, its first lines.
        const whole = this.rowHeight(laid.lines);
        return h + (whole <= BOTTOM - MARGIN.top - this.repeatHeight(rows[j]!) ? whole : this.rowHeight(MIN_SPLIT_LINES));
      }
      h += this.rowHeight(laid.lines);
    }
    return h;
  }

  private repeatHeight(row: Row): number {
    return (row.repeat ?? []).reduce((h, r) => h + this.rowHeight(this.layRow(r).lines), 0);
  }

  /** A new page, with the header rows of the table this row belongs to drawn again (as artifacts). */
  private continueOnNewPage(row: Row): void {
    this.newPage();
    for (const header of row.repeat ?? []) this.drawRow(this.layRow(header), undefined);
  }

  /**
   * Draws a row from the current position, splitting it across pages at a line when it does not
   * fit. `table` is undefined for a repeated header: drawn as an artifact, not tagged again.
   */
  private drawRow(laid: LaidRow, table: StructElement | undefined): void {
    const tr = table ? this.doc.struct('TR') : undefined;
    if (tr) table!.add(tr);
    const elements = tr
      ? laid.cells.map((c) => {
          const el = this.doc.struct(c.cell.header ? 'TH' : 'TD');
          tr.add(el);
          return el;
        })
      : undefined;
    let from = 0;
    let first = true;
    while (from < laid.lines || first) {
      const room = Math.floor((BOTTOM - this.y - 2 * PAD_Y) / PITCH);
      const count = Math.max(1, Math.min(laid.lines - from, room));
      this.drawChunk(laid, from, count, first, elements);
      from += count;
      first = false;
      if (from < laid.lines) this.continueOnNewPage(laid.row);
    }
    for (const el of elements ?? []) el.end();
    tr?.end();
  }

  private drawChunk(laid: LaidRow, from: number, count: number, first: boolean, elements: StructElement[] | undefined): void {
    const top = this.y;
    const height = this.rowHeight(count);
    const doc = this.doc;
    this.artifact('Layout', () => {
      for (const c of laid.cells) {
        const fill = c.cell.header ? HEADER_FILL : c.cell.shade ? LABEL_FILL : undefined;
        if (fill) doc.rect(c.x, top, c.width, height).fillColor(fill).fill();
      }
      doc.lineWidth(RULE).strokeColor(INK);
      for (const c of laid.cells) {
        const right = c.x + c.width;
        if (!(c.cell.joinAbove && first)) doc.moveTo(c.x, top).lineTo(right, top);
        doc.moveTo(c.x, top).lineTo(c.x, top + height);
        doc.moveTo(right, top).lineTo(right, top + height);
        doc.moveTo(c.x, top + height).lineTo(right, top + height);
      }
      doc.stroke();
    });
    laid.cells.forEach((c, i) => {
      const lines = c.lines.slice(from, from + count);
      if (lines.length === 0) return;
      const draw = () => {
        lines.forEach((l, k) => this.drawLine(l, c, top + PAD_Y + k * PITCH + (PITCH - SIZE) / 2 - 0.5));
      };
      const el = elements?.[i];
      if (el) {
        const content = doc.markStructureContent(c.cell.header ? 'TH' : 'TD');
        draw();
        doc.endMarkedContent();
        el.add(content);
      } else {
        this.artifact('Pagination', draw);
      }
    });
    this.y = top + height;
  }

  private drawLine(l: LaidParagraphLine, c: LaidCell, y: number): void {
    const doc = this.doc;
    const inner = c.width - 2 * PAD_X;
    let x = c.x + PAD_X;
    if (l.align === 'center') x += (inner - l.line.width) / 2;
    else if (l.align === 'right') x += inner - l.line.width;
    doc.fillColor(INK);
    if (l.bullet) doc.font(FONT.regular).fontSize(SIZE).text(l.bullet, x, y, { lineBreak: false });
    x += l.indent;
    for (const span of l.line.spans) {
      doc.font(span.bold ? FONT.bold : FONT.regular).fontSize(SIZE).text(span.text, x, y, { lineBreak: false });
      x += this.textWidth(span.text, span.bold === true, SIZE);
    }
  }
}
