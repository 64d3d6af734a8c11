import { OSAKA_HEADING_PREFIX, OSAKA_PLAN_HEADINGS, OSAKA_SELF_EVALUATION_HEADINGS, TITLE_YEAR_FIRST, WEB_TEXT } from './common.ts';
import { osaka2017 } from './osaka-2017.ts';
import type { BlockRules, HeadingRule, LayoutProfile } from './types.ts';

/** The three parts of the 2023– evaluation, as headings (they follow 様式2). */
export const EVALUATION_2023: HeadingRule[] = [
  { kind: 'quantitative', pattern: /^(?:アウトカム指標の達成状況\s*\(\s*定量評価\s*\)|定量評価)$/ },
  { kind: 'qualitative', pattern: /^(?:自己評価\s*\(\s*(?:運営方針全体の)?定性評価\s*\)|定性評価)$/ },
  { kind: 'outlook', pattern: /^今後の方針$/ },
];

const STRATEGY_2020: RegExp[] = [/^【\s*主な戦略\s+(?<title>[^】]+?)\s*】\s*(?<rest>.*)$/, /^【\s*(?<i>\d+)\s*-\s*(?<s>\d+)\s*】\s*(?<title>\S.*)$/];

/**
 * 様式2 of the 2023– forms: issues (and sub-issues 経営課題1-(1)) with an issue budget in 百万円,
 * 課題認識, the list of strategies under 主な戦略(課題解決の方策), the issue's アウトカム指標 and
 * 関連するSDGs after its strategies.
 */
export const BLOCKS_2023: BlockRules = {
  reader: 'blocks',
  issue: [
    /^経営課題\s*(?<i>\d+)\s*-\s*\(\s*(?<sub>\d+)\s*\)\s*(?<title>\S.*)$/,
    /^【\s*経営課題\s*(?<i>\d+)\s+(?<title>[^】]+?)\s*】\s*(?<budget>\([^()]*予算額[^()]*\))\s*$/,
    /^【\s*経営課題\s*(?<i>\d+)\s+(?<title>[^】]+?)\s*】\s*(?<rest>.*)$/,
    /^【\s*経営課題\s*(?<i>\d+)\s*】\s*(?<title>.+?)\s*(?<budget>\([^()]*予算額[^()]*\))$/,
    /^【\s*経営課題\s*(?<i>\d+)\s*】\s*(?<title>\S.*)$/,
    /^経営課題\s*(?<i>\d+)\s+(?<title>\S.*)$/,
  ],
  strategy: [
    /^(?<i>\d+)\s*-\s*(?<s>\d+)\s+(?<title>\S.*)$/,
    /^(?:戦略\s*)?[①-⑳]\s*【\s*(?<title>[^】]+?)\s*】\s*(?<rest>.*)$/,
    ...STRATEGY_2020,
  ],
  listedStrategy: [/^【\s*(?<title>[^】]+?)\s*】\s*(?<rest>.*)$/],
  initiative: [
    /^【\s*主な具体的取組\s*\([^)]*予算額\)\s*(?<title>.+)\((?<budget>[^()]*)\)\s*】\s*(?<rest>.*)$/,
    /^【\s*主な具体的取組\s*(?:\([^)]*予算額\))?\s*(?<title>[^】]+?)\s*】\s*(?<rest>.*)$/,
  ],
  labels: [
    { pattern: /^(?:経営課題の)?概要$/, field: 'summary' },
    { pattern: /^課題認識$/, field: 'currentState' },
    { pattern: /^めざすべき将来像(?:\(.*\))?$/, field: 'vision' },
    { pattern: /^【?\s*主な戦略\s*(?:\(\s*課題解決の方策\s*\))?\s*】?$/, field: 'strategies' },
    { pattern: /^(?<value>(?:令和\s*(?:\d{1,2}|元)\s*年度|\d{1,2}\s*年度)?\s*予算額\s*:?\s*\S.*)$/, field: 'issueBudget' },
    { pattern: /^アウトカム指標$/, field: 'issueOutcomeIndicators', afterStrategies: true },
    { pattern: /^関連するSDGs\s*:?\s*(?<value>.*)$/, field: 'sdgs', afterStrategies: true },
    { pattern: /^めざす状態$/, field: 'targetState' },
    { pattern: /^(?:業績目標|プロセス指標)$/, field: 'processIndicators' },
    { pattern: /^(?:取組内容|具体的取組の内容)$/, field: 'initiativeDescription' },
  ],
  defaults: { issue: 'summary', strategy: 'strategyDescription', initiative: 'initiativeDescription' },
};

/**
 * Osaka's 2023– form (令和5年度〜): headings without 区の (目標 / 使命 / 所属運営の基本的な考え方),
 * 様式2 as BLOCKS_2023, and the evaluation in three parts (定量評価 / 定性評価 / 今後の方針).
 */
export const osaka2023: LayoutProfile = {
  name: 'osaka-2023',
  description: '大阪市 区運営方針 令和5年度(2023年度)以降の様式',
  years: [2023, 2099],
  signatures: [
    { pattern: /^経営課題\s*\d+\s*-\s*\(\s*\d+\s*\)/, weight: 3 },
    { pattern: /^課題認識$/, weight: 2 },
    { pattern: /^主な戦略\s*\(\s*課題解決の方策\s*\)$/, weight: 3 },
    { pattern: /^【\s*経営課題\s*\d+[^】]*】\s*\([^)]*予算額[^)]*\)$/, weight: 3 },
    { pattern: /^(?:\S+年度\s*)?所属運営の基本的な考え方/, weight: 2 },
    { pattern: /^関連するSDGs/, weight: 2 },
    { pattern: /^アウトカム指標の達成状況\s*\(\s*定量評価\s*\)$/, weight: 2 },
  ],
  titles: [TITLE_YEAR_FIRST],
  headingPrefix: OSAKA_HEADING_PREFIX,
  headings: [
    ...OSAKA_PLAN_HEADINGS,
    ...EVALUATION_2023,
    // The older evaluation too: what Hoshin's own text rendering of a 2023– plan writes.
    ...OSAKA_SELF_EVALUATION_HEADINGS,
  ],
  ...WEB_TEXT,
  issues: BLOCKS_2023,
  reform: osaka2017.reform,
  requireSelfEvaluation: false,
};
