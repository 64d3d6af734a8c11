import { OSAKA_HEADING_PREFIX, OSAKA_PLAN_HEADINGS, OSAKA_SELF_EVALUATION_HEADINGS, TITLE_YEAR_FIRST, WEB_TEXT } from './common.ts';
import { osaka2013 } from './osaka-2013.ts';
import { osaka2017 } from './osaka-2017.ts';
import { BLOCKS_2023, EVALUATION_2023 } from './osaka-2023.ts';
import type { BlockRules, LayoutProfile } from './types.ts';

const blocks2013 = osaka2013.issues as BlockRules;

/**
 * 様式2 of the bureaus, every year: the shapes of the wards' families (a bureau's plan follows its
 * year's form), plus `【戦略1-1 title】` / `【戦略 1-1 title】` standing with no issue heading. Such
 * a strategy implies its issue (impliedIssues): the model needs an issue with a title, so the
 * strategy's title is also the issue's, with a warning; no text is dropped.
 */
const BLOCKS_BUREAU: BlockRules = {
  ...BLOCKS_2023,
  issue: [...BLOCKS_2023.issue, /^経営課題\s*(?<i>\d+)\s*【\s*(?<title>[^】]+?)\s*】\s*(?<rest>.*)$/],
  strategy: [/^【\s*戦略\s*(?<i>\d+)\s*-\s*(?<s>\d+)\s+(?<title>[^】]+?)\s*】\s*(?<rest>.*)$/, ...blocks2013.strategy, ...BLOCKS_2023.strategy],
  initiative: [...blocks2013.initiative, ...BLOCKS_2023.initiative],
  labels: [...BLOCKS_2023.labels, ...blocks2013.labels.filter((l) => !BLOCKS_2023.labels.some((k) => k.field === l.field))],
  impliedIssues: true,
};

/**
 * Osaka's bureaus (局・室), every year: headings with 局/室 (局の目標, 室運営の基本的な考え方(室長の方針),
 * 所属運営の基本的な考え方(区・局長の方針)), 【全体概要】 as a part marker, strategies without an issue.
 */
export const osakaBureau: LayoutProfile = {
  name: 'osaka-bureau',
  description: '大阪市 局・室の運営方針の様式(各年度)',
  signatures: [
    { pattern: /^(?:\S+年度)\s*\S*[局室]運営方針/, weight: 4 },
    { pattern: /^【?\s*[局室]の(?:目標|使命)/, weight: 2 },
    { pattern: /[局室]運営の基本的な考え方|[局室]長の方針/, weight: 2 },
    { pattern: /^【\s*戦略\s*\d+\s*-\s*\d+\s+\S[^】]*】/, weight: 2 },
    { pattern: /^【\s*全体概要\s*】$/, weight: 2 },
  ],
  titles: [TITLE_YEAR_FIRST],
  headingPrefix: OSAKA_HEADING_PREFIX,
  headings: [
    ...OSAKA_PLAN_HEADINGS,
    { kind: 'overview', pattern: /^全体概要$/ },
    ...EVALUATION_2023,
    ...OSAKA_SELF_EVALUATION_HEADINGS,
  ],
  ...WEB_TEXT,
  issues: BLOCKS_BUREAU,
  reform: osaka2017.reform,
  requireSelfEvaluation: false,
};
