/**
 * A PDF page's positioned text → lines of plain text in the layout the text parser reads.
 *
 * Pure geometry, no pdfjs: `extract.ts` feeds it pdfjs's text items. A PDF has no lines, only
 * runs of glyphs at positions, so the reading is rebuilt from them:
 * - runs on one baseline form a line; a gap wider than `COLUMN_GAP_EM` inside a line is a
 *   table's column boundary;
 * - lines closer than the page's usual line pitch form a block; a wider gap ends a paragraph or a
 *   table row (cells have padding), and becomes a blank line;
 * - a block with a column boundary is a table row: each column's lines are joined (Japanese wraps
 *   with no space) and the columns are separated by a tab, because the text parser reads a row
 *   as 経営課題の概要 ⇥ 主な戦略. A later block standing in the right column only (a cell longer
 *   than its neighbour, broken by padding) opens with a tab, so it continues that column;
 * - in running text, a line reaching the right margin was wrapped by the PDF's author tool and
 *   is joined to the next; a shorter one ends a line of the document (list items stay items);
 * - a page number alone on the first or last line of a page is dropped.
 */

export interface PositionedText {
  str: string;
  /** Left of the run's baseline, in PDF units (y grows upward). */
  x: number;
  y: number;
  width: number;
  /** Font size in PDF units. */
  size: number;
}

/** A gap this many em wide inside a line is a column boundary, not a space. */
const COLUMN_GAP_EM = 0.9;
/** A gap this wide between runs of one line is written as a space. */
const SPACE_GAP_EM = 0.3;
/** A line ending this close to the right margin was wrapped. */
const WRAP_SLACK_EM = 1.5;
/** Lines further apart than this times the page's usual pitch belong to different blocks. */
const BLOCK_GAP_PITCHES = 1.3;

interface Segment {
  x: number;
  right: number;
  text: string;
}

interface Line {
  y: number;
  size: number;
  segments: Segment[];
}

/** What a page reads as: its blocks, and whether its last line runs on to the next page. */
export interface PageText {
  blocks: Block[];
  /** The table still open at the page's end: a row broken onto the next page continues it. */
  table?: TableContext;
}

export interface Block {
  text: string;
  /** A table row (or a continuation of one): never joined with the next page's first block. */
  table: boolean;
  /** The block's last line reached the right margin: its sentence goes on. */
  openEnd: boolean;
}

/** Page numbers as offices print them: 「- 3 -」「－３－」「3」「3/12」「P.3」. */
const PAGE_NUMBER = /^(?:[-‐−–—―ー－\s]*[0-9０-９]{1,4}[-‐−–—―ー－\s]*|[0-9０-９]{1,4}\s*[/／]\s*[0-9０-９]{1,4}|[PpＰｐ]\.?\s*[0-9０-９]{1,4})$/;
/** A line opening a list item or a heading never continues the line before it. */
const LINE_OPENER = /^(?:[・•●○◆◇■□▪◎※【〈《≪「『(（]|[-‐−–—―－]\s|\d+[.．)）]|[①-⑳])/;

function isAsciiWordChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9]/.test(c);
}

/** Two pieces of one sentence: Japanese joins with nothing, Latin words with a space. */
function joinPieces(a: string, b: string): string {
  if (a === '') return b;
  if (b === '') return a;
  return isAsciiWordChar(a[a.length - 1]) && isAsciiWordChar(b[0]) ? `${a} ${b}` : a + b;
}

function toLines(items: PositionedText[]): Line[] {
  const runs = items.filter((i) => i.str.trim() !== '' && Number.isFinite(i.x) && Number.isFinite(i.y));
  runs.sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: { y: number; size: number; runs: PositionedText[] }[] = [];
  for (const r of runs) {
    const size = r.size > 0 ? r.size : 10;
    // Runs whose baselines differ by less than half a character are one line (superscripts, mixed fonts).
    const line = lines.find((l) => Math.abs(l.y - r.y) <= 0.5 * Math.min(size, l.size));
    if (line) {
      line.runs.push(r);
      line.size = Math.max(line.size, size);
    } else lines.push({ y: r.y, size, runs: [r] });
  }
  lines.sort((a, b) => b.y - a.y);
  return lines.map((l) => {
    l.runs.sort((a, b) => a.x - b.x);
    const segments: Segment[] = [];
    for (const r of l.runs) {
      const last = segments.at(-1);
      const gap = last ? r.x - last.right : Infinity;
      const text = last ? r.str : r.str.trimStart();
      if (last && gap <= COLUMN_GAP_EM * l.size) {
        const space = gap > SPACE_GAP_EM * l.size && !/\s$/.test(last.text) && !/^\s/.test(text);
        last.text += (space ? ' ' : '') + text;
        last.right = Math.max(last.right, r.x + r.width);
      } else {
        segments.push({ x: r.x, right: r.x + r.width, text });
      }
    }
    for (const s of segments) s.text = s.text.trim();
    return { y: l.y, size: l.size, segments };
  });
}

/**
 * The page's line pitch inside a paragraph: the smallest distance between baselines that occurs
 * at least twice (paragraph and row gaps are larger). A page whose lines are all a paragraph
 * apart has no such distance under 2.2 em: undefined, and the font size decides.
 */
function linePitch(lines: Line[]): number | undefined {
  const counts = new Map<number, number>();
  for (let i = 1; i < lines.length; i++) {
    const d = Math.round((lines[i - 1]!.y - lines[i]!.y) * 2) / 2;
    if (d >= 0.8 * lines[i]!.size) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  const em = Math.max(...lines.map((l) => l.size));
  const common = [...counts].filter(([, n]) => n >= 2).map(([d]) => d);
  const pitch = common.length > 0 ? Math.min(...common) : undefined;
  return pitch !== undefined && pitch <= 2.2 * em ? pitch : undefined;
}

function lineText(l: Line): string {
  return l.segments.map((s) => s.text).join(' ');
}

/** Where the open table's columns stand. */
export interface TableContext {
  left: number;
  columns: number[];
}

/**
 * Where running text wraps: the furthest right a one-column line reaches, confirmed by a second
 * line ending there (a wrapped paragraph has at least one; a page of short lines has none, and
 * its longest line must not be taken for a wrap). Undefined when unconfirmed: no line is joined.
 */
export function rightMargin(pages: PositionedText[][]): number | undefined {
  const ends = pages.flatMap((items) => toLines(items).filter((l) => l.segments.length === 1).map((l) => ({ right: l.segments[0]!.right, size: l.size })));
  if (ends.length === 0) return undefined;
  const margin = Math.max(...ends.map((e) => e.right));
  return ends.filter((e) => e.right >= margin - WRAP_SLACK_EM * e.size).length >= 2 ? margin : undefined;
}

/**
 * `previous` is the table open at the end of the page before, if any; `margin` the document's
 * `rightMargin` (the page's own when not given).
 */
export function layoutPage(items: PositionedText[], previous?: TableContext, margin: number | undefined = rightMargin([items])): PageText {
  let lines = toLines(items);
  // A page number alone at the top or bottom of the page.
  const isPageNumber = (l: Line | undefined) => l !== undefined && l.segments.length === 1 && PAGE_NUMBER.test(lineText(l));
  if (isPageNumber(lines.at(-1))) lines = lines.slice(0, -1);
  if (isPageNumber(lines[0])) lines = lines.slice(1);
  if (lines.length === 0) return previous ? { blocks: [], table: previous } : { blocks: [] };

  const pitch = linePitch(lines);
  const groups: Line[][] = [];
  for (const l of lines) {
    const group = groups.at(-1);
    const prev = group?.at(-1);
    const limit = pitch !== undefined ? pitch * BLOCK_GAP_PITCHES : 1.6 * Math.max(l.size, prev?.size ?? 0);
    if (group && prev && prev.y - l.y <= limit) group.push(l);
    else groups.push([l]);
  }

  const blocks: Block[] = [];
  let table: TableContext | undefined = previous;
  for (const group of groups) {
    const em = Math.max(...group.map((l) => l.size));
    const left = Math.min(...group.map((l) => l.segments[0]!.x));
    if (group.some((l) => l.segments.length > 1)) {
      const columns = columnStarts(group, em);
      table = { left, columns };
      blocks.push({ text: tableRow(group, left, columns, em), table: true, openEnd: false });
      continue;
    }
    if (table) {
      const rightColumn = table.columns[0]!;
      const inRight = group.every((l) => l.segments[0]!.x >= rightColumn - em);
      const inLeft = group.every((l) => l.segments[0]!.right <= rightColumn - em * 0.5);
      if (inRight) {
        blocks.push({ text: `\t${joinCell(group)}`, table: true, openEnd: false });
        continue;
      }
      if (inLeft) {
        blocks.push({ text: joinCell(group), table: true, openEnd: false });
        continue;
      }
      table = undefined;
    }
    blocks.push(runningText(group, margin));
  }
  return table ? { blocks, table } : { blocks };
}

/** Left edges of the columns after the first, from the runs that stand after a column gap. */
function columnStarts(group: Line[], em: number): number[] {
  const xs = group.flatMap((l) => l.segments.slice(1).map((s) => s.x)).sort((a, b) => a - b);
  const starts: number[] = [];
  for (const x of xs) if (starts.length === 0 || x - starts.at(-1)! > em) starts.push(x);
  return starts;
}

function tableRow(group: Line[], left: number, columns: number[], em: number): string {
  const cells: string[][] = Array.from({ length: columns.length + 1 }, () => []);
  for (const l of group) {
    for (const s of l.segments) {
      let c = 0;
      while (c < columns.length && s.x >= columns[c]! - em) c++;
      cells[s.x < left ? 0 : c]!.push(s.text);
    }
  }
  return cells.map((pieces) => pieces.reduce(joinPieces, '')).join('\t');
}

function joinCell(group: Line[]): string {
  return group.map(lineText).reduce(joinPieces, '');
}

function runningText(group: Line[], margin: number | undefined): Block {
  let text = '';
  let wrapped = false;
  for (const [i, l] of group.entries()) {
    const t = lineText(l);
    if (i === 0) text = t;
    else if (wrapped && !LINE_OPENER.test(t)) text = joinPieces(text, t);
    else text += `\n${t}`;
    wrapped = margin !== undefined && l.segments.at(-1)!.right >= margin - WRAP_SLACK_EM * l.size;
  }
  return { text, table: false, openEnd: wrapped };
}

/**
 * The pages' text as one document: blocks separated by blank lines, except that a paragraph
 * running off the end of one page continues on the next.
 */
export function joinPages(pages: PageText[]): string {
  return joinPagesLocated(pages).text;
}

/**
 * `joinPages`, and where each page starts: `pageStarts[i]` is the 1-based line of the text on
 * which page i+1's first block stands (a page with nothing on it starts where the next one does;
 * a paragraph continued from the page before starts on that paragraph's line).
 */
export function joinPagesLocated(pages: PageText[]): { text: string; pageStarts: number[] } {
  let out = '';
  /** Lines in `out` (1 + its line breaks), kept as it grows rather than counted again. */
  let lines = 1;
  const pageStarts: number[] = [];
  let openEnd = false;
  const append = (text: string) => {
    out += text;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  };
  for (const page of pages) {
    for (const [i, block] of page.blocks.entries()) {
      const continues = i === 0 && openEnd && !block.table && !LINE_OPENER.test(block.text);
      if (out === '') {
        if (i === 0) pageStarts.push(1);
        append(block.text);
      } else if (continues) {
        pageStarts.push(lines);
        append(joinPieces(out, block.text).slice(out.length));
      } else {
        if (i === 0) pageStarts.push(lines + 2);
        append(`\n\n${block.text}`);
      }
    }
    if (page.blocks.length === 0) pageStarts.push(out === '' ? 1 : lines + 2);
    openEnd = page.blocks.at(-1)?.openEnd ?? false;
  }
  return { text: `${out}\n`, pageStarts };
}
