/**
 * Line breaking for Japanese text in a fixed width, by the rules of 禁則処理 (JIS X 4051, simplified):
 * - a closing bracket or punctuation (、。」) never starts a line, an opening bracket (「【) never
 *   ends one: the character before (or the bracket) moves to the next line (追い出し), at most one
 *   character, so a line still reaches the margin and a text reader joins it with the next;
 * - a run of Latin letters and digits (PDCA, 22,268千円's number, 2.0) is never cut: a reader
 *   joining two such pieces would put a space between them, and a budget would no longer read.
 *
 * Pure: widths come from the caller (`measure`), so this works for any font and is testable alone.
 */

/** A piece of text in one style. */
export interface Span {
  text: string;
  bold?: boolean;
}

/** A laid-out line: spans with their widths. */
export interface LaidLine {
  spans: Span[];
  width: number;
}

export type Measure = (char: string, bold: boolean) => number;

const NO_LINE_START = new Set([...'、。，．,.)）]］｝〕〉》」』】〙〗’”・：；:;？！?!ー々ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ%％']);
const NO_LINE_END = new Set([...'(（[［｛〔〈《「『【〘〖‘“']);
/** Characters of a word that must stay whole (digits with their separators, Latin words). */
const WORD = /[A-Za-z0-9.,\-+/%&'_@#]/;

interface Glyph {
  char: string;
  bold: boolean;
  width: number;
}

/** One paragraph (no line breaks inside) broken into lines no wider than `width`. */
export function breakParagraph(spans: readonly Span[], width: number, measure: Measure): LaidLine[] {
  const glyphs: Glyph[] = [];
  for (const s of spans) for (const char of s.text) glyphs.push({ char, bold: s.bold === true, width: measure(char, s.bold === true) });
  if (glyphs.length === 0) return [{ spans: [], width: 0 }];
  const lines: LaidLine[] = [];
  let start = 0;
  while (start < glyphs.length) {
    // Leading spaces of a wrapped line are dropped, as a word processor does.
    if (lines.length > 0) while (start < glyphs.length && glyphs[start]!.char === ' ') start++;
    if (start >= glyphs.length) break;
    let end = start;
    let used = 0;
    while (end < glyphs.length && (end === start || used + glyphs[end]!.width <= width)) used += glyphs[end++]!.width;
    if (end < glyphs.length) end = adjustBreak(glyphs, start, end);
    lines.push(toLine(glyphs.slice(start, end)));
    start = end;
  }
  return lines;
}

/** Where to break before `end` (the first glyph that did not fit), honouring words and 禁則. */
function adjustBreak(glyphs: Glyph[], start: number, end: number): number {
  let at = end;
  // Keep a word whole when it began on this line (a word wider than the line is cut).
  if (WORD.test(glyphs[at]!.char) && WORD.test(glyphs[at - 1]!.char)) {
    let w = at - 1;
    while (w > start && WORD.test(glyphs[w - 1]!.char)) w--;
    if (w > start) at = w;
    return at;
  }
  if (at - 1 > start && NO_LINE_START.has(glyphs[at]!.char)) at--;
  else if (at - 1 > start && NO_LINE_END.has(glyphs[at - 1]!.char)) at--;
  return at;
}

function toLine(glyphs: Glyph[]): LaidLine {
  const spans: Span[] = [];
  let width = 0;
  for (const g of glyphs) {
    width += g.width;
    const last = spans.at(-1);
    if (last && (last.bold === true) === g.bold) last.text += g.char;
    else spans.push(g.bold ? { text: g.char, bold: true } : { text: g.char });
  }
  // Trailing spaces take no room at the end of a line.
  const last = spans.at(-1);
  if (last) last.text = last.text.replace(/ +$/, '');
  return { spans: spans.filter((s) => s.text !== ''), width };
}
