import { OSAKA_HEADING_PREFIX, OSAKA_PLAN_HEADINGS, OSAKA_SELF_EVALUATION_HEADINGS, TITLE_YEAR_FIRST, WEB_TEXT } from './common.ts';
import { osaka2017 } from './osaka-2017.ts';
import type { LayoutProfile } from './types.ts';

/**
 * Osaka's 2020–2022 form (令和2–4年度): 様式2 as blocks. `【経営課題1】title` with the title outside
 * the brackets, its summary under a `概要` label or as a `- ` bullet, `【主な戦略 title】` with no
 * number and `【主な具体的取組(4年度予算額) title(77,800千円)】`: strategies and initiatives are
 * numbered by their order, so the same document always gets the same numbers. Every line is a
 * line of the text (joined by "\n" in goal, policy and evaluations; glued in one-line fields).
 */
export const osaka2020: LayoutProfile = {
  name: 'osaka-2020',
  description: '大阪市 区運営方針 令和2〜4年度(2020〜2022年度)の様式',
  years: [2020, 2022],
  signatures: [
    { pattern: /^【\s*主な戦略\s+\S[^】]*】$/, weight: 3 },
    { pattern: /^【\s*主な具体的取組\s*\([^)]*予算額\)\s*\S.*】$/, weight: 3 },
    { pattern: /^【\s*経営課題\s*\d+\s*】\s*\S/, weight: 1 },
    { pattern: /^[・•-]\s*概要$/, weight: 1 },
  ],
  titles: [TITLE_YEAR_FIRST],
  headingPrefix: OSAKA_HEADING_PREFIX,
  headings: [
    ...OSAKA_PLAN_HEADINGS,
    ...OSAKA_SELF_EVALUATION_HEADINGS,
  ],
  ...WEB_TEXT,
  issues: {
    reader: 'blocks',
    issue: [/^【\s*経営課題\s*(?<i>\d+)\s*】\s*(?<title>\S.*)$/, /^経営課題\s*(?<i>\d+)\s+(?<title>\S.*)$/],
    strategy: [/^【\s*主な戦略\s+(?<title>[^】]+?)\s*】\s*(?<rest>.*)$/, /^【\s*(?<i>\d+)\s*-\s*(?<s>\d+)\s*】\s*(?<title>\S.*)$/],
    initiative: [
      /^【\s*主な具体的取組\s*\([^)]*予算額\)\s*(?<title>.+)\((?<budget>[^()]*)\)\s*】\s*(?<rest>.*)$/,
      /^【\s*主な具体的取組\s*(?:\([^)]*予算額\))?\s*(?<title>[^】]+?)\s*】\s*(?<rest>.*)$/,
    ],
    labels: [
      { pattern: /^(?:経営課題の)?概要$/, field: 'summary' },
      { pattern: /^主な戦略$/, field: 'ignore' },
      { pattern: /^めざす状態$/, field: 'targetState' },
      { pattern: /^アウトカム指標$/, field: 'strategyOutcomeIndicators' },
      { pattern: /^(?:業績目標|プロセス指標)$/, field: 'processIndicators' },
      { pattern: /^(?:取組内容|具体的取組の内容)$/, field: 'initiativeDescription' },
    ],
    defaults: { issue: 'summary', strategy: 'strategyDescription', initiative: 'initiativeDescription' },
  },
  reform: osaka2017.reform,
  requireSelfEvaluation: false,
};
