import { TITLE_ORG_FIRST, WEB_TEXT } from './common.ts';
import type { LayoutProfile } from './types.ts';

/**
 * Fukuoka's 区運営方針: the ward before the year (`西区 令和6年度運営方針`), numbered sections
 * `1 西区のまちづくりの目標` (→ goal), `2 取組みの方向性` (→ mission: its lead-in paragraph and
 * its `◆` items, one a line), `3 令和6年度の運営方針` (→ policy), then the issues with no heading
 * of their own: `目標1 title` (issue 1, opening them), `◆title` (a strategy, numbered by order)
 * and the paragraph below it (its description).
 */
export const fukuoka: LayoutProfile = {
  name: 'fukuoka',
  description: '福岡市 区運営方針の様式',
  signatures: [
    { pattern: /^\S+\s+(?:令和|平成)\s*(?:\d{1,2}|元)\s*年度運営方針$/, weight: 4 },
    { pattern: /^\d\s+\S*のまちづくりの目標$/, weight: 3 },
    { pattern: /^\d\s+取組みの方向性$/, weight: 3 },
    { pattern: /^目標\s*\d+\s+\S/, weight: 2 },
  ],
  titles: [TITLE_ORG_FIRST],
  headingPrefix: /^(?:\d{1,2}\s+(?=\S)|[・•]\s*)/,
  headings: [
    { kind: 'goal', pattern: /^\S{0,10}のまちづくりの目標$/ },
    { kind: 'mission', pattern: /^取組みの方向性$/ },
    { kind: 'policy', pattern: /^(?:\S+年度の)?運営方針$/ },
    { kind: 'issues', pattern: /^目標\s*\d+\s+\S.*$/, inclusive: true },
  ],
  ...WEB_TEXT,
  noise: [...WEB_TEXT.noise, /^現在位置\s*:.*$/, /^このページに関するお問い合わせ$/],
  bullet: /^(?:[・•●○‧･]\s*◆?|◆|-(?!\d))\s*/,
  issues: {
    reader: 'blocks',
    issue: [/^目標\s*(?<i>\d+)\s+(?<title>\S.*)$/],
    strategy: [/^◆\s*(?<title>\S.*)$/],
    initiative: [],
    labels: [],
    defaults: { issue: 'summary', strategy: 'strategyDescription', initiative: 'initiativeDescription' },
    bulletedHeadings: false,
  },
  reform: { reader: 'blocks', item: [] },
  requireSelfEvaluation: false,
};
