/**
 * The operation policy (運営方針) of one organization for one fiscal year.
 * Field names follow the public `hoshin-plan/1` format (docs/plan-format.md); the
 * store keeps workflow state and revisions beside it, not inside it.
 */

/** "draft" when the title ends in 案 (素案, (案)), else "final" (確定). */
export type DocumentStatus = 'draft' | 'final';

export const DOCUMENT_STATUSES: readonly DocumentStatus[] = ['draft', 'final'];

/**
 * What every item of a plan's lists (issue, strategy, initiative, reform item) carries
 * beside its content: a stable id that survives renumbering, moves and new revisions
 * (measurements, reviews, merges and cross-year links hang on it), and the id of the
 * item it continues in the previous fiscal year's plan. Both are absent on a document
 * freshly read from text; the application assigns ids before anything is stored.
 */
export interface ItemIdentity {
  id?: string;
  carriedFrom?: string;
}

// ---------------------------------------------------------------- the Check of PDCA (hoshin-plan/2)

/** One code of a rating scale: ①「目標達成」. `best` marks the code that needs no 課題と改善策. */
export interface RatingOption {
  code: string;
  label: string;
  best?: boolean;
}

/** Rating scales by name ("osaka-midyear-achievement"): data, so a city can define its own. */
export type RatingScales = Record<string, RatingOption[]>;

/** A rating given on a named scale. */
export interface Rating {
  scale: string;
  code: string;
}

/** 中間振り返り (late Sep–Oct). */
export interface MidYearReview {
  /** 取組内容の実施見込み: (ⅰ)/(ⅱ) */
  implementation?: Rating | null;
  /** 目標の達成見込み: ①/② */
  achievement?: Rating | null;
  /** 取組の進捗状況 */
  comment?: string;
  /** 課題と改善策: required when a rating is not the best. */
  problemsAndMeasures?: string;
}

/** 自己評価 after the year's end (~June). */
export interface YearEndReview {
  /** 目標の達成状況: ①/② (some years' forms have a third code). */
  achievement?: Rating | null;
  /** 取組実績 / 成果 */
  result?: string;
  problemsAndMeasures?: string;
}

export interface Reviews {
  midYear?: MidYearReview | null;
  yearEnd?: YearEndReview | null;
}

export type IndicatorDirection = 'higher' | 'lower';

/** A value at a date, or by the end of a fiscal year. Values are numbers; the unit says what they count. */
export interface IndicatorPoint {
  value: number;
  /** ISO YYYY-MM-DD */
  date?: string;
  fiscalYear?: number;
}

export interface Measurement {
  /** ISO YYYY-MM-DD, within or after the plan's fiscal year's start. */
  date: string;
  value: number;
  note?: string;
  source?: string;
}

/** アウトカム指標 / 業績目標 (プロセス指標): a statement with a baseline, a target and what was measured. */
export interface Indicator {
  id?: string;
  statement: string;
  /** As written: %, 人, 件, 回… */
  unit: string;
  direction: IndicatorDirection;
  baseline?: IndicatorPoint | null;
  target?: IndicatorPoint | null;
  source?: string;
  /**
   * Kept beside the plan in the store, not in its revisions (recording one is not an edit
   * of the plan); filled in when the plan is exported or served.
   */
  measurements?: Measurement[];
}

export interface Initiative extends ItemIdentity {
  /** "N-M-K": issue, strategy, initiative. */
  number: string;
  title: string;
  /** 予算額 in 千円; null when written "-" or absent. */
  budgetThousandYen: number | null;
  /** 区CM予算額 in 千円; null when absent. */
  cmBudgetThousandYen: number | null;
  description: string;
  /** 業績目標 / プロセス指標 */
  processIndicators?: Indicator[];
  /** 前年度までの実績 */
  priorResults?: string;
  /** 撤退・再構築基準 */
  exitCriterion?: string;
  reviews?: Reviews;
}

export interface Strategy extends ItemIdentity {
  /** "N-M" */
  number: string;
  title: string;
  description: string;
  initiatives: Initiative[];
  /** めざす状態 */
  targetState?: string;
  /** アウトカム指標 */
  outcomeIndicators?: Indicator[];
  reviews?: Reviews;
}

export interface ManagementIssue extends ItemIdentity {
  number: number;
  title: string;
  summary: string;
  strategies: Strategy[];
  /** めざすべき将来像 */
  vision?: string;
  /** 現状 (課題認識 in the 2023– forms) */
  currentState?: string;
  /** 要因分析 */
  causeAnalysis?: string;
  /** 課題 */
  challenge?: string;
  /** An issue-level budget where the form gives one (5千4百万円 → 54000). */
  budgetThousandYen?: number | null;
  /** 関連するSDGs goal numbers. */
  sdgs?: number[];
  /** アウトカム指標 given at issue level (2023– forms). */
  outcomeIndicators?: Indicator[];
}

export interface ReformItem extends ItemIdentity {
  title: string;
  content: string;
  indicators?: Indicator[];
  reviews?: Reviews;
}

/** 「市政改革プラン…」に基づく取組等 (様式3). */
export interface Reform {
  planName: string;
  items: ReformItem[];
}

export interface SelfEvaluation {
  achievements: string;
  challenges: string;
  /** アウトカム指標の達成状況(定量評価), 2023– forms. */
  quantitative?: string;
  /** 自己評価(運営方針全体の定性評価) */
  qualitative?: string;
  /** 今後の方針 */
  outlook?: string;
}

export interface Plan {
  organization: string;
  fiscalYear: number;
  documentStatus: DocumentStatus;
  head: string | null;
  goal: string;
  mission: string[];
  policy: string;
  issues: ManagementIssue[];
  /** null when the document has no 様式3 section. */
  reform: Reform | null;
  selfEvaluation: SelfEvaluation;
  /** Every scale a review in the plan uses, so a file explains itself (hoshin-plan/2). */
  ratingScales?: RatingScales;
}

/** A plan with every part present and empty: what the editor starts from. */
export function emptyPlan(organization: string, fiscalYear: number): Plan {
  return {
    organization,
    fiscalYear,
    documentStatus: 'draft',
    head: null,
    goal: '',
    mission: [],
    policy: '',
    issues: [],
    reform: null,
    selfEvaluation: { achievements: '', challenges: '' },
  };
}

export function allInitiatives(plan: Plan): Initiative[] {
  return plan.issues.flatMap((issue) => issue.strategies.flatMap((s) => s.initiatives));
}
