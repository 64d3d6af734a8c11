import { gregorianFromEra, knownEras } from '../../domain/fiscal-year.ts';
import type { DocumentStatus } from '../../domain/plan.ts';
import { fold } from './fold.ts';

import { osaka2017 } from './profiles/osaka-2017.ts';
import type { LayoutProfile, SectionKind } from './profiles/types.ts';

export type { SectionKind } from './profiles/types.ts';

export interface Heading {
  kind: SectionKind;
  /** For reform: the plan name inside 「」. */
  planName?: string;
}

const BRACKETS: [string, string][] = [
  ['【', '】'],
  ['〈', '〉'],
  ['≪', '≫'],
  ['<', '>'],
  ['[', ']'],
];

/**
 * Heading text may be wrapped in 【】 (or 〈〉, ≪≫) and followed by an empty table cell (a tab).
 * Returns the [start, end) of what is inside, in `folded` (and so in the original line: folding
 * keeps every index).
 */
function unwrap(folded: string, from = 0, to = folded.length): [number, number] {
  // A loop, not recursion: a line of 10,000 nested brackets would overflow the stack.
  for (;;) {
    while (from < to && /\s/.test(folded[from]!)) from++;
    while (to > from && /\s/.test(folded[to - 1]!)) to--;
    const pair = BRACKETS.find(([open, close]) => to - from >= 2 && folded.startsWith(open, from) && folded.endsWith(close, to));
    if (!pair) return [from, to];
    from += pair[0].length;
    to -= pair[1].length;
  }
}

const REFORM = /^(?:「(?<quoted>[^」]+)」|(?<bare>[^「」]+?))\s*に基づく取組等\s*(?:\(様式\s*\d+\))?$/d;

/** The heading a line is in `profile`, or undefined for content. `line` has its Kangxi radicals unified already. */
export function classifyHeading(line: string, profile: LayoutProfile = osaka2017): Heading | undefined {
  const folded = fold(line);
  const [start, end] = unwrap(folded);
  if (end - start === 0 || end - start > 80) return undefined;
  const prefix = profile.headingPrefix.exec(folded.slice(start, end));
  const starts = prefix && prefix[0] !== '' ? [start, start + prefix[0].length] : [start];
  for (const at of starts) {
    // The prefix may stand outside the brackets: 「1 【区の目標】」.
    const [from, to] = at === start ? [start, end] : unwrap(folded, at, end);
    const text = folded.slice(from, to);
    for (const h of profile.headings) {
      const m = h.pattern.exec(text);
      if (!m) continue;
      // A heading may name the reform plan (Sakai: このように「行財政改革」に取り組みます).
      const planName = m.groups?.planName;
      if (planName === undefined) return { kind: h.kind };
      const offset = m.index + m[0].indexOf(planName);
      return { kind: h.kind, planName: line.slice(from + offset, from + offset + planName.length).trim() };
    }
    const reform = REFORM.exec(text);
    if (reform) {
      // Slice the name from the original line so its widths are kept.
      const [s, e] = reform.indices?.groups?.quoted ?? reform.indices?.groups?.bare ?? [0, 0];
      return { kind: 'reform', planName: line.slice(from + s, from + e).trim() };
    }
  }
  return undefined;
}

export interface Title {
  organization: string;
  fiscalYear: number;
  documentStatus: DocumentStatus;
}

export type TitleResult = { ok: true; title: Title } | { ok: false; message: string } | undefined;

/** Longer lines are not titles or head lines (real ones are under 60 characters). */
const MAX_TITLE_LENGTH = 200;

/**
 * 「平成29年度 西区運営方針(案)」, 「2019年度(平成31年度) 西区運営方針」, 「令和元年度大正区運営方針（素案）」.
 * undefined when the line is not a title at all; an error when it is one that cannot be read.
 */
export function parseTitle(line: string, shapes: readonly RegExp[] = osaka2017.titles): TitleResult {
  const folded = fold(line).trim();
  if (folded.length > MAX_TITLE_LENGTH || !folded.includes('運営方針')) return undefined;
  let m: RegExpExecArray | null = null;
  for (const shape of shapes) {
    m = shape.exec(folded);
    if (m?.groups) break;
  }
  if (!m?.groups) return undefined;
  const g = m.groups;
  const years: number[] = [];
  for (const [era, eraYear, gregorian] of [
    [g.era, g.eraYear, g.gregorian],
    [g.era2, g.eraYear2, g.gregorian2],
  ]) {
    if (gregorian) years.push(Number(gregorian));
    else if (era && eraYear) {
      const y = gregorianFromEra(era, eraYear === '元' ? 1 : Number(eraYear));
      if (y === undefined) {
        return { ok: false, message: `表題の年号「${era}」を読めません(使える年号: ${knownEras().slice(-4).join('、')})` };
      }
      years.push(y);
    }
  }
  const [fiscalYear, other] = years;
  if (fiscalYear === undefined) return undefined;
  if (other !== undefined && other !== fiscalYear) {
    return { ok: false, message: `表題の年度が食い違っています(${fiscalYear}年度と${other}年度)` };
  }
  const [start, end] = m.indices!.groups!.org!;
  const organization = line.trim().slice(start, end).trim();
  const rest = (g.rest ?? '').replace(/[()\s【】[\]]/g, '');
  return { ok: true, title: { organization, fiscalYear, documentStatus: rest.replace(/概要/g, '').endsWith('案') ? 'draft' : 'final' } };
}

const HEAD = /^\(\s*(?:区長|局長|室長|所長|区CM|区シティ・マネージャー)\s*:\s*(?<name>.+?)\s*\)$/d;

/** 「(区長:高野 賢)」 → "高野 賢". */
export function parseHead(line: string): string | undefined {
  const folded = fold(line).trim();
  if (folded.length > MAX_TITLE_LENGTH) return undefined;
  const m = HEAD.exec(folded);
  if (!m?.groups?.name) return undefined;
  const [start, end] = m.indices!.groups!.name!;
  return line.trim().slice(start, end);
}

/**
 * A short fiscal year label as budgets repeat it: "29", "元", "令和元", "2019".
 * Returns the number written (era year or Gregorian), or undefined when unreadable.
 */
export function parseShortYear(label: string): number | undefined {
  const folded = fold(label).trim();
  const m = /^(?:[^\d\s]{2})?\s*(\d{1,4}|元)$/.exec(folded);
  if (!m) return undefined;
  return m[1] === '元' ? 1 : Number(m[1]);
}

/** 様式3's header row (主な取組項目 <tab> 取組内容): it carries no data, in 様式3 or stray inside 様式2. */
export const REFORM_HEADER_ROW = /^主な取組項目\s*取組内容$/;
