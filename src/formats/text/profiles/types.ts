/**
 * A layout profile: everything that differs between the families of Osaka's published plans
 * (and other cities' forms), as data. The readers in ../ interpret it; adding a city is a new
 * profile plus fixtures. Patterns are matched against a line after width folding (../fold.ts),
 * trimming, and removal of the brackets and bullets the profile allows around headings.
 */

/** Sections of a plan document, in the order the forms have them. */
export type SectionKind =
  | 'plan' // ◆計画: a part marker with no content of its own
  | 'overview' // 【全体概要】 (bureaus): a part marker before 様式2; text under it is an error
  | 'goal'
  | 'mission'
  | 'policy'
  | 'issues'
  | 'reform'
  | 'selfEvaluation' // ◆自己評価
  | 'achievements'
  | 'challenges'
  | 'quantitative'
  | 'qualitative'
  | 'outlook';

export interface HeadingRule {
  kind: SectionKind;
  /** May capture `planName` (for a reform section: the name of the plan it follows). */
  pattern: RegExp;
  /**
   * A section that holds two fields (Yokohama's 基本目標: a slogan, then its explanation): its
   * first line, and the lines after it that match `keep` (a `~…~` subtitle), stay in `kind`;
   * the rest goes to `rest`. With `atSentence`, a section of a single line (PDF text with no
   * line breaks) is cut at the last space before its first 。, with a warning (a guess).
   */
  split?: { rest: SectionKind; keep?: RegExp; atSentence?: boolean };
  /**
   * The line is the section's first item as well as its start (Fukuoka has no issues heading:
   * `目標1 title` opens them and is issue 1). Only the first such line opens the section; later
   * ones are its content.
   */
  inclusive?: boolean;
}

/** Fields a label line of 様式2 opens (課題認識, アウトカム指標 …), by the item they belong to. */
export type BlockField =
  | 'summary'
  | 'vision'
  | 'currentState'
  | 'causeAnalysis'
  | 'challenge'
  | 'issueBudget'
  | 'sdgs'
  | 'issueOutcomeIndicators'
  | 'strategyDescription'
  | 'targetState'
  | 'strategyOutcomeIndicators'
  | 'initiativeDescription'
  | 'processIndicators'
  | 'priorResults'
  | 'exitCriterion'
  | 'strategies' // a label that opens the list of an issue's strategies (主な戦略): `listedStrategy` patterns apply after it
  | 'ignore';

export interface LabelRule {
  /** May capture `value`: text on the label's own line (関連するSDGs 3, 11). */
  pattern: RegExp;
  field: BlockField;
  /**
   * An issue's part the form places after its strategies (アウトカム指標 and 関連するSDGs of the
   * 2023– forms): read as the issue's without a warning. Without it, an issue's part found inside
   * a strategy's block is read as the issue's with a warning (a guess).
   */
  afterStrategies?: boolean;
}

/**
 * 様式2 written as blocks: a heading line per issue, strategy and initiative, label lines for
 * their parts. Heading patterns capture `title`, and may capture `i`/`s`/`k` (the numbers; an
 * item without one is numbered by its order), `budget` (the amount's text, 予算額 label
 * included or not) and `rest` (text after the heading on the same line: the first line of its
 * summary or description). An issue pattern may capture `sub` (経営課題1-(2): a sub-issue): such
 * issues are numbered by their order, since the model has no sub-issues, with a warning naming
 * the number given; strategy numbers under it are checked against the number written.
 */
export interface BlockRules {
  reader: 'blocks';
  issue: RegExp[];
  strategy: RegExp[];
  /**
   * Strategy shapes read only after a label with field 'strategies' (主な戦略) and before the next
   * issue: a bare `【title】` is a strategy there, and a heading that fits no rule anywhere else.
   */
  listedStrategy?: RegExp[];
  initiative: RegExp[];
  labels: LabelRule[];
  /** Which field text right after a heading goes to, before any label. */
  defaults: { issue: BlockField; strategy: BlockField; initiative: BlockField };
  /**
   * Strategies may stand with no issue heading (bureaus: 【戦略1-1 title】 right under
   * 重点的に取り組む主な経営課題): each issue number a strategy names (1 by default) becomes an
   * issue titled by its first strategy's title, with a warning naming the line and the choice.
   * Without it, a strategy before any issue is an error.
   */
  impliedIssues?: boolean;
  /** Whether heading patterns are also tried without a list mark in front (default true). */
  bulletedHeadings?: boolean;
  /**
   * Where text before the first issue goes (Yokohama's 施策: an introduction and notes), each line
   * a line (or a mission item), before that section's own text, with a warning naming its first
   * line. Without it, such text is an error.
   */
  leadTo?: 'mission' | 'policy';
}

/** 様式2 as the seed's two-column table (./issues-table.ts). */
export interface TableRules {
  reader: 'table';
}

/**
 * 様式3 as rows: `table` is the seed's (主な取組項目 <tab> 取組内容); `blocks` a heading line per
 * item (capturing `title`, and `rest` for content on the same line) and its content below.
 */
export type ReformRules =
  | { reader: 'table' }
  | {
      reader: 'blocks';
      item: RegExp[];
      /**
       * Text before the first item heading (Sakai: paragraphs with no sub-heading) is an item
       * titled by the plan name (the heading's `planName`), with a warning. Without it, an error.
       */
      untitledItem?: boolean;
    };

export interface LayoutProfile {
  /** The name `--layout` takes and diagnostics report: osaka-2017, yokohama … */
  name: string;
  /** Japanese, for the user. */
  description: string;
  /**
   * Detection: each pattern that some line matches (folded and trimmed) adds its weight once.
   * The profile with the highest score wins; the first listed wins a tie.
   */
  signatures: { pattern: RegExp; weight: number }[];
  /** The fiscal years the family was published for: a title's year in this range adds YEAR_WEIGHT. */
  years?: [number, number];
  /** Title shapes, each capturing era/eraYear or gregorian, `org`, and `rest` (what follows 運営方針). */
  titles: RegExp[];
  /**
   * Headings run into the text (PDF text with no line breaks, Yokohama's ` T 基本目標 `): a global
   * pattern whose `heading` group, matched in a line, is cut out as a line of its own, the text
   * before and after it becoming lines too (with the same line number).
   */
  inlineHeadings?: RegExp;
  /**
   * Where the title has no year (Sakai's `堺区役所`): title shapes capturing only `org`; the fiscal
   * year must then be given by the caller (TextParseOptions.fiscalYear), or it is an error.
   */
  yearlessTitles?: RegExp[];
  /** What may stand before a heading and is not part of it: bullets, numbers (「1 」), the ward's name. */
  headingPrefix: RegExp;
  headings: HeadingRule[];
  /**
   * Lines naming the head, besides `(区長:…)`, each capturing `name` (Sakai: `堺区長 東屋 好晴`,
   * with the photo's alt text glued on: `区長の写真堺区長 西本 秀司`). Read before the first heading.
   */
  heads?: RegExp[];
  /** Lines dropped wherever they stand: web-page boilerplate, page numbers. */
  noise: RegExp[];
  /**
   * How the lines of one paragraph of a multi-line text (goal, policy, evaluations) are joined:
   * '' where an extraction wrapped them (PDF), '\n' where each line is a line of the page.
   */
  lineJoin: '' | '\n';
  /** Mission items: 'bullets' (a line with no mark continues the item before) or 'lines' (one item a line). */
  mission: 'bullets' | 'lines';
  /** The marks removed from the start of a list item. */
  bullet: RegExp;
  /**
   * Whether the lines of goal, policy and other texts are list items whose marks are removed
   * (the line kept). A web-page copy always reads so: its lines are the page's lines.
   */
  textBullets: boolean;
  issues: TableRules | BlockRules;
  reform: ReformRules;
  /** Whether a missing ◆自己評価 is the sign of a cut document (an error). */
  requireSelfEvaluation: boolean;
}
