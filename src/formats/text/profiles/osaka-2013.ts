import { OSAKA_HEADING_PREFIX, OSAKA_PLAN_HEADINGS, OSAKA_SELF_EVALUATION_HEADINGS, TITLE_NUMBERED, TITLE_YEAR_FIRST, WEB_TEXT } from './common.ts';
import { osaka2017 } from './osaka-2017.ts';
import type { LayoutProfile } from './types.ts';

/**
 * Osaka's 2013–2016 form (平成25〜28年度): a title numbered as item 1 of the page
 * (「1 平成25年度西区運営方針 (概要)」), `経営課題1 title` or `経営課題1【title】`, `【戦略1-2】 title`,
 * `【具体的取組1-2-2】 title [予算額 263千円]` (`[算定見込額 …]` in a 素案, read with a warning).
 * Mission items are one a line (the pages list them without marks); texts keep their lines.
 */
export const osaka2013: LayoutProfile = {
  name: 'osaka-2013',
  description: '大阪市 区運営方針 平成25〜28年度(2013〜2016年度)の様式',
  years: [2013, 2016],
  signatures: [
    { pattern: /^【\s*戦略\s*\d+\s*-\s*\d+\s*】/, weight: 3 },
    { pattern: /^【\s*具体的取組\s*\d+\s*-\s*\d+\s*-\s*\d+\s*】/, weight: 3 },
    { pattern: /^経営課題\s*\d+\s*(?:【|\s)\S/, weight: 1 },
    { pattern: /^\d{1,2}\s+\S+年度\S*運営方針/, weight: 2 },
  ],
  titles: [TITLE_YEAR_FIRST, TITLE_NUMBERED],
  headingPrefix: OSAKA_HEADING_PREFIX,
  headings: [
    ...OSAKA_PLAN_HEADINGS,
    ...OSAKA_SELF_EVALUATION_HEADINGS,
  ],
  ...WEB_TEXT,
  issues: {
    reader: 'blocks',
    issue: [/^経営課題\s*(?<i>\d+)\s*【\s*(?<title>[^】]+?)\s*】\s*(?<rest>.*)$/, /^【?\s*経営課題\s*(?<i>\d+)\s*】?\s+(?<title>\S.*)$/],
    strategy: [/^【\s*戦略\s*(?<i>\d+)\s*-\s*(?<s>\d+)\s*】\s*(?<title>\S.*)$/],
    initiative: [
      /^【\s*具体的取組\s*(?<i>\d+)\s*-\s*(?<s>\d+)\s*-\s*(?<k>\d+)\s*】\s*(?<title>.+?)\s*\[(?<budget>[^\]]*)\]\s*(?<rest>.*)$/,
      /^【\s*具体的取組\s*(?<i>\d+)\s*-\s*(?<s>\d+)\s*-\s*(?<k>\d+)\s*】\s*(?<title>\S.*)$/,
    ],
    labels: [
      { pattern: /^(?:経営課題の)?概要$/, field: 'summary' },
      { pattern: /^めざすべき将来像(?:\(.*\))?$/, field: 'vision' },
      { pattern: /^現状(?:・データ)?$/, field: 'currentState' },
      { pattern: /^(?:要因)?分析$/, field: 'causeAnalysis' },
      { pattern: /^課題$/, field: 'challenge' },
      { pattern: /^めざす状態$/, field: 'targetState' },
      { pattern: /^アウトカム指標$/, field: 'strategyOutcomeIndicators' },
      { pattern: /^(?:業績目標|プロセス指標)$/, field: 'processIndicators' },
      { pattern: /^前年度までの実績$/, field: 'priorResults' },
      { pattern: /^撤退・再構築基準$/, field: 'exitCriterion' },
    ],
    defaults: { issue: 'summary', strategy: 'strategyDescription', initiative: 'initiativeDescription' },
  },
  reform: osaka2017.reform,
  requireSelfEvaluation: false,
};
