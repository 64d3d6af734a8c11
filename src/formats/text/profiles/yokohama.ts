import { TITLE_YEAR_FIRST, WEB_TEXT } from './common.ts';
import type { LayoutProfile } from './types.ts';

/** Ⅰ Ⅱ Ⅲ as PDF text extraction gives them (T U V), or as written. */
const ROMAN = '[TUVⅠⅡⅢ]';
const SECTIONS = '基本目標|目標達成に向けた施策|目標達成に向けた組織運営';

/**
 * Yokohama's 区運営方針: 基本目標 (a slogan → goal, then its explanation → policy), 目標達成に向けた
 * 施策 (pillars → issues: `1 title` or an unnumbered title line, each followed by its paragraph →
 * summary), and 目標達成に向けた組織運営 (→ mission, one item a line: the office's role in reaching
 * the goal). The 施策 section's introduction and notes before its first pillar are mission items
 * too (before 組織運営's), with a warning: the policy is 基本目標's explanation only.
 * The section numbers Ⅰ Ⅱ Ⅲ come out of PDFs as T U V, and a PDF's text can be one line.
 */
export const yokohama: LayoutProfile = {
  name: 'yokohama',
  description: '横浜市 区運営方針の様式',
  signatures: [
    { pattern: new RegExp(`^(?:${ROMAN}\\s*)?基本目標$`), weight: 3 },
    { pattern: new RegExp(`^(?:${ROMAN}\\s*)?目標達成に向けた施策$`), weight: 3 },
    { pattern: new RegExp(`^(?:${ROMAN}\\s*)?目標達成に向けた組織運営$`), weight: 2 },
    { pattern: new RegExp(`\\s${ROMAN}\\s+基本目標\\s`), weight: 6 },
  ],
  titles: [TITLE_YEAR_FIRST],
  inlineHeadings: new RegExp(`\\s(?<heading>${ROMAN}\\s+(?:${SECTIONS}))(?=\\s|$)`),
  headingPrefix: new RegExp(`^(?:${ROMAN}\\s*|[IVX]{1,3}[.\\s]\\s*|\\d\\s+|[・•]\\s*)`),
  headings: [
    { kind: 'goal', pattern: /^基本目標$/, split: { rest: 'policy', keep: /^[~〜～].*[~〜～]$/, atSentence: true } },
    { kind: 'issues', pattern: /^目標達成に向けた施策$/ },
    { kind: 'mission', pattern: /^目標達成に向けた組織運営$/ },
  ],
  ...WEB_TEXT,
  noise: [...WEB_TEXT.noise, /^最終更新日\s*:?\s*\d{4}年\d{1,2}月\d{1,2}日$/, /^(?:ここから本文です。?|このページの先頭です)$/],
  issues: {
    reader: 'blocks',
    // A pillar is `1 title`, or a line of its own that is no sentence (no 。) and no bracketed heading.
    issue: [/^(?<i>\d{1,2})\s+(?<title>[^。]+)$/, /^(?<title>[^。・•\-\d\s【〈≪◆<[][^。]{0,58}[^。、])$/],
    strategy: [],
    initiative: [],
    labels: [],
    defaults: { issue: 'summary', strategy: 'strategyDescription', initiative: 'initiativeDescription' },
    bulletedHeadings: false,
    leadTo: 'mission',
  },
  reform: { reader: 'blocks', item: [] },
  requireSelfEvaluation: false,
};
