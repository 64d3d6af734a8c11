import { OSAKA_PLAN_HEADINGS, OSAKA_SELF_EVALUATION_HEADINGS, PAGE_NUMBER, TITLE_YEAR_FIRST, WEB_NOISE } from './common.ts';
import type { LayoutProfile } from './types.ts';

/**
 * Osaka's 2017–2019 form as published in PDF and extracted as text: the seed's layout.
 * 様式2 is a two-column table (経営課題の概要 <tab> 主な戦略), initiatives on rows below;
 * wrapped lines of a paragraph are joined with nothing between them.
 */
export const osaka2017: LayoutProfile = {
  name: 'osaka-2017',
  description: '大阪市 区運営方針 平成29〜令和元年度(2017〜2019年度)の様式',
  years: [2017, 2019],
  signatures: [
    { pattern: /^経営課題の概要\s*\t?\s*主な戦略$/, weight: 3 },
    { pattern: /^【\s*経営課題\s*\d+\s+\S.*】/, weight: 2 },
    { pattern: /^【\s*\d+\s*-\s*\d+\s*-\s*\d+\s+\S.*】\s*\(/, weight: 2 },
    { pattern: /^主な具体的取組\s*\(/, weight: 1 },
    { pattern: /^主な取組項目\s*\t\s*取組内容$/, weight: 1 },
  ],
  titles: [TITLE_YEAR_FIRST],
  // 「1 重点的に取り組む主な経営課題」: headings numbered as items of the page.
  headingPrefix: /^\d{1,2}\s+(?=\S)/,
  headings: [
    ...OSAKA_PLAN_HEADINGS,
    ...OSAKA_SELF_EVALUATION_HEADINGS,
  ],
  noise: [PAGE_NUMBER, ...WEB_NOISE],
  lineJoin: '',
  mission: 'bullets',
  textBullets: false,
  bullet: /^(?:-\s*・|[・•●○‧･◦]|-)\s*/,
  issues: { reader: 'table' },
  reform: { reader: 'table' },
  requireSelfEvaluation: true,
};
