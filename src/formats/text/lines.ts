import { fold } from './fold.ts';

export interface SourceLine {
  text: string;
  /** 1-based. */
  line: number;
}

/** Trim spaces (ASCII, ideographic, form feed) but keep tabs: a leading tab marks a table's second column. */
export function trimSpaces(text: string): string {
  // A loop, not /[ …]+$/: that regex is quadratic in a long run of spaces inside the line.
  const space = (c: string) => c === ' ' || c === '\u3000' || c === '\f' || c === '\v';
  let start = 0;
  let end = text.length;
  while (start < end && space(text[start]!)) start++;
  while (end > start && space(text[end - 1]!)) end--;
  return text.slice(start, end);
}

export function isBlank(text: string): boolean {
  return text.trim() === '';
}

const PAGE_NUMBER = /^-\s*\d{1,4}\s*-$/;

/** A whole line in heading brackets (【…】, 〈…〉, ≪…≫) or opening with ◆: a heading by its look. */
const HEADING_LIKE = /^(?:【[^】]*】|〈[^〉]*〉|≪[^≫]*≫|◆\S.{0,40})$/;

/** Whether a line looks like a heading (used to refuse one that fits no rule rather than file it as text). */
export function looksLikeHeading(text: string): boolean {
  const t = fold(text).trim();
  return t.length <= 80 && HEADING_LIKE.test(t);
}

/** 「- 3 -」, 「－３－」: a page number pdftotext left on a line of its own (dropped when read). */
export function isPageNumber(text: string): boolean {
  return PAGE_NUMBER.test(fold(text).trim());
}

/**
 * Paragraphs are separated by blank lines. In a PDF extraction (join '') the lines of one
 * paragraph were wrapped by the extraction and are joined with no separator (Japanese has no
 * spaces between words); in a web page (join '\n') each line is a line of the text and kept.
 */
export function paragraphs(lines: SourceLine[], join: '' | '\n' = ''): string[] {
  const out: string[] = [];
  let current: string[] = [];
  const flush = () => {
    const text = current.join(join).trim();
    if (text !== '') out.push(text);
    current = [];
  };
  for (const l of lines) {
    if (isBlank(l.text)) flush();
    else current.push(l.text.trim());
  }
  flush();
  return out;
}

/**
 * Text joined from several source lines, remembering which line each part came from
 * so a problem found at an offset can name its line.
 */
export class JoinedText {
  text = '';
  private starts: { offset: number; line: number }[] = [];
  private hasTab = false;

  constructor(first: SourceLine) {
    this.append(first);
  }

  append(part: SourceLine): void {
    let text = trimSpaces(part.text);
    // Once a row is past its column tab, a continuation's leading tab only says it is in the
    // second column: it is not part of the value.
    if (this.hasTab) text = text.replace(/^\t+/, '');
    this.starts.push({ offset: this.text.length, line: part.line });
    this.text += text;
    this.hasTab ||= text.includes('\t');
  }

  get line(): number {
    return this.starts[0]!.line;
  }

  lineAt(offset: number): number {
    // Binary search: a row joined from many lines is asked once per strategy in it.
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]!.offset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.starts[lo]!.line;
  }

  get folded(): string {
    return fold(this.text);
  }
}
