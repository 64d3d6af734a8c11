/** Pieces the profiles share: they are data too, composed into each profile's patterns. */

/** An optional parenthesized gloss: 区の目標(何をめざすのか). An unclosed one (a typo in real pages) is allowed at the end. */
export const PAREN = String.raw`(?:\([^)]*\)|\([^)]*$)?`;
/** The kind of organization a heading names: 区の目標, 局の使命, 室の目標, 所属運営の… */
export const ORG = '(?:[区局室所市]|所属)';
/**
 * The year a heading may open with, as extractions write it: 令和元年度, 2019年度(平成31年度),
 * 平成 30 年度, and the typo 平成29度.
 */
export const HEADING_YEAR = String.raw`(?:\S+年度|(?:[^\d\s()]{2}\s*(?:\d{1,3}|元)|\d{4})\s*年?度)\s*(?:\([^)]*\))?\s*`;

const YEAR = String.raw`(?:(?<era>[^\d\s()]{2})\s*(?<eraYear>\d{1,3}|元)|(?<gregorian>\d{4}))\s*年度`;
const SECOND_YEAR = String.raw`(?:\(\s*(?:(?<era2>[^\d\s()]{2})\s*(?<eraYear2>\d{1,3}|元)|(?<gregorian2>\d{4}))\s*年度\s*\)\s*)?`;
/**
 * 「平成29年度 西区運営方針(案)」, 「2019年度(平成31年度) 西区運営方針」. One way to match each
 * run of spaces (the organization starts at a non-space), so a line of many spaces fails in
 * linear rather than cubic time.
 */
export const TITLE_YEAR_FIRST = new RegExp(String.raw`^${YEAR}\s*${SECOND_YEAR}(?<org>\S.*?)\s*度?運営方針(?<rest>.*)$`, 'd');
/** Fukuoka: the organization before the year, 「西区 令和6年度運営方針」. */
export const TITLE_ORG_FIRST = new RegExp(String.raw`^(?<org>\S[^\s年]{0,20}?)\s+${YEAR}\s*${SECOND_YEAR}運営方針(?<rest>.*)$`, 'd');
/** 2013–2016: the title is item 1 of the page: 「1 平成25年度西区運営方針 (概要)」. */
export const TITLE_NUMBERED = new RegExp(String.raw`^\d{1,2}\s+${YEAR}\s*${SECOND_YEAR}(?<org>\S.*?)\s*運営方針(?<rest>.*)$`, 'd');

/** Bullet marks of lists; `‧` and `･` are what PDF extraction yields for ・. */
export const BULLET = /^(?:-\s*・|[・•●○‧･◦▪■□◇]|-(?!\d)|\d{1,2}[.)．](?!\d)|\(\d{1,2}\))\s*/;

/** Page boilerplate of the city's web pages, dropped wherever it stands. */
export const WEB_NOISE: RegExp[] = [
  /^ページの先頭(?:です|へ戻る)$/,
  /^メニューの(?:終端|先頭)です。?$/,
  /^本文(?:ここから|ここまで)$/,
  /^ページ番号\s*:\s*\d+$/,
  /^\d{4}年\d{1,2}月\d{1,2}日$/,
  /^(?:印刷用ページを表示する|このページを印刷する|掲載日\s*:.*|更新日\s*:.*)$/,
  /^(?:探している情報が見つからない|このページの作成者・問合せ先|よりよいウェブサイトにするために.*)$/,
  /^(?:ホーム|トップページ)\s*>.*$/,
];

/** A line that is only a page number between dashes (「- 3 -」), extraction noise between pages. */
export const PAGE_NUMBER = /^-\s*\d{1,4}\s*-$/;

/** The ward's (or bureau's) name before a heading: 東淀川区の目標, 東淀川区運営の基本的な考え方. */
const OWNER = String.raw`(?:[^\s()【】]{0,10}?${ORG})`;

/** Headings every Osaka family shares (each profile may add its own). */
export const OSAKA_HEADINGS = {
  goal: new RegExp(`^(?:${OWNER}の)?目標\\s*${PAREN}$`),
  mission: new RegExp(`^(?:${OWNER}の)?使命\\s*${PAREN}$`),
  policy: new RegExp(`^(?:${HEADING_YEAR})?${OWNER}?運営の基本的な考え方\\s*${PAREN}$`),
  issues: /^(?:重点的に取り組む)?(?:主な)?経営課題\s*(?:\(様式\s*\d+(?:より)?\))?$/,
};

/** Before a heading on a web page or in a newer form: a bullet, or the page's item number (「1 重点的に取り組む経営課題」). */
export const OSAKA_HEADING_PREFIX = /^(?:[・•●○]\s*|\d{1,2}\s+(?=\S))/;

/** The ◆計画 part's headings in Osaka's order: ◆計画, 目標, 使命, 運営の基本的な考え方, 経営課題. */
export const OSAKA_PLAN_HEADINGS: import('./types.ts').HeadingRule[] = [
  { kind: 'plan', pattern: /^◆\s*計画$/ },
  { kind: 'goal', pattern: OSAKA_HEADINGS.goal },
  { kind: 'mission', pattern: OSAKA_HEADINGS.mission },
  { kind: 'policy', pattern: OSAKA_HEADINGS.policy },
  { kind: 'issues', pattern: OSAKA_HEADINGS.issues },
];

/** ◆自己評価 with its two texts, as Osaka's forms to 2022 (and Hoshin's text rendering) write it. */
export const OSAKA_SELF_EVALUATION_HEADINGS: import('./types.ts').HeadingRule[] = [
  { kind: 'selfEvaluation', pattern: /^◆\s*自己評価$/ },
  { kind: 'achievements', pattern: /^\d+\s*年間の取組成果と今後取り組みたいこと$/ },
  { kind: 'challenges', pattern: /^解決すべき課題と今後の改善方向$/ },
];

/** Lines only a copy of a web page has: such a document reads with '\n' joins and one list item a line. */
export const WEB_PAGE_SIGNS: RegExp[] = [/^ページの先頭(?:です|へ戻る)$/, /^メニューの(?:終端|先頭)です。?$/, /^ページ番号\s*:\s*\d+$/];

/** How a web-page copy reads: its lines are the page's lines, never wrapped; a mission item per line. */
const WEB_LINES = { lineJoin: '\n', mission: 'lines', textBullets: true } as const;

/** A profile as it reads a web-page copy. */
export function asWebCopy(profile: import('./types.ts').LayoutProfile): import('./types.ts').LayoutProfile {
  return { ...profile, ...WEB_LINES };
}

/**
 * What the cities' published texts have in common, spread into each profile: page numbers and
 * the site's boilerplate dropped, lines as the page has them, the cities' bullet marks. A
 * profile with more noise or other bullets sets its own after the spread.
 */
export const WEB_TEXT: Pick<import('./types.ts').LayoutProfile, 'noise' | 'lineJoin' | 'mission' | 'bullet' | 'textBullets'> = {
  noise: [PAGE_NUMBER, ...WEB_NOISE],
  ...WEB_LINES,
  bullet: BULLET,
};
