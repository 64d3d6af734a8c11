import { gregorianFromEra, knownEras } from '../../domain/fiscal-year.ts';
import type { DocumentStatus } from '../../domain/plan.ts';
import { fold } from './fold.ts';

/** The sections of the seed's layout, in the order the official form has them. */
export type SectionKind =
  | 'plan' // ◆計画: a part marker with no content of its own
  | 'goal'
  | 'mission'
  | 'policy'
  | 'issues'
  | 'reform'
  | 'selfEvaluation' // ◆自己評価
  | 'achievements'
  | 'challenges';

export interface Heading {
  kind: SectionKind;
  /** For reform: the plan name inside 「」. */
  planName?: string;
}

/** Heading text may be wrapped in 【】 and followed by an empty table cell (a tab). */
function unwrap(folded: string): string {
  let t = folded.trim();
  if (t.startsWith('【') && t.endsWith('】')) t = t.slice(1, -1).trim();
  return t;
}

/** The same trimming on the original line, so indices found in the folded one apply to it. */
function unwrapOriginal(line: string): string {
  let t = line.trim();
  if (t.startsWith('【') && t.endsWith('】')) t = t.slice(1, -1).trim();
  return t;
}

const PAREN = String.raw`(?:\([^)]*\))?`;
const ORG = '[区局室所市]';
/** The year a heading may open with, as extractions write it: 令和元年度, 2019年度(平成31年度), 平成 30 年度. */
const HEADING_YEAR = String.raw`(?:\S+年度|(?:[^\d\s()]{2}\s*(?:\d{1,3}|元)|\d{4})\s*年度)\s*${PAREN}\s*`;
const HEADINGS: { kind: SectionKind; pattern: RegExp }[] = [
  { kind: 'plan', pattern: /^◆\s*計画$/ },
  { kind: 'goal', pattern: new RegExp(`^${ORG}の目標\\s*${PAREN}$`) },
  { kind: 'mission', pattern: new RegExp(`^${ORG}の使命\\s*${PAREN}$`) },
  { kind: 'policy', pattern: new RegExp(`^(?:${HEADING_YEAR})?${ORG}?運営の基本的な考え方\\s*${PAREN}$`) },
  { kind: 'issues', pattern: /^(?:重点的に取り組む)?主な経営課題\s*(?:\(様式\s*\d+\))?$/ },
  { kind: 'selfEvaluation', pattern: /^◆\s*自己評価$/ },
  { kind: 'achievements', pattern: /^\d+\s*年間の取組成果と今後取り組みたいこと$/ },
  { kind: 'challenges', pattern: /^解決すべき課題と今後の改善方向$/ },
];
const REFORM = /^(?:「(?<quoted>[^」]+)」|(?<bare>[^「」]+?))\s*に基づく取組等\s*(?:\(様式\s*\d+\))?$/d;

/** The heading a line is, or undefined for content. `line` has its Kangxi radicals unified already. */
export function classifyHeading(line: string): Heading | undefined {
  const folded = unwrap(fold(line));
  if (folded === '' || folded.length > 80) return undefined;
  for (const h of HEADINGS) if (h.pattern.test(folded)) return { kind: h.kind };
  const reform = REFORM.exec(folded);
  if (reform) {
    // Slice the name from the original line so its widths are kept.
    const [start, end] = reform.indices?.groups?.quoted ?? reform.indices?.groups?.bare ?? [0, 0];
    return { kind: 'reform', planName: unwrapOriginal(line).slice(start, end).trim() };
  }
  return undefined;
}

export interface Title {
  organization: string;
  fiscalYear: number;
  documentStatus: DocumentStatus;
}

export type TitleResult = { ok: true; title: Title } | { ok: false; message: string } | undefined;

const YEAR = String.raw`(?:(?<era>[^\d\s()]{2})\s*(?<eraYear>\d{1,3}|元)|(?<gregorian>\d{4}))\s*年度`;
// One way to match each run of spaces (the organization starts at a non-space), so a line of
// many spaces fails in linear rather than cubic time.
const TITLE = new RegExp(
  String.raw`^${YEAR}\s*(?:\(\s*(?:(?<era2>[^\d\s()]{2})\s*(?<eraYear2>\d{1,3}|元)|(?<gregorian2>\d{4}))\s*年度\s*\)\s*)?(?<org>\S.*?)\s*運営方針(?<rest>.*)$`,
  'd',
);
/** Longer lines are not titles or head lines (real ones are under 60 characters). */
const MAX_TITLE_LENGTH = 200;

/**
 * 「平成29年度 西区運営方針(案)」, 「2019年度(平成31年度) 西区運営方針」, 「令和元年度大正区運営方針（素案）」.
 * undefined when the line is not a title at all; an error when it is one that cannot be read.
 */
export function parseTitle(line: string): TitleResult {
  const folded = fold(line).trim();
  if (folded.length > MAX_TITLE_LENGTH || !folded.includes('運営方針')) return undefined;
  const m = TITLE.exec(folded);
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
  return { ok: true, title: { organization, fiscalYear, documentStatus: rest.endsWith('案') ? 'draft' : 'final' } };
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
