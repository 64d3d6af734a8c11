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

export interface Initiative extends ItemIdentity {
  /** "N-M-K": issue, strategy, initiative. */
  number: string;
  title: string;
  /** 予算額 in 千円; null when written "-" or absent. */
  budgetThousandYen: number | null;
  /** 区CM予算額 in 千円; null when absent. */
  cmBudgetThousandYen: number | null;
  description: string;
}

export interface Strategy extends ItemIdentity {
  /** "N-M" */
  number: string;
  title: string;
  description: string;
  initiatives: Initiative[];
}

export interface ManagementIssue extends ItemIdentity {
  number: number;
  title: string;
  summary: string;
  strategies: Strategy[];
}

export interface ReformItem extends ItemIdentity {
  title: string;
  content: string;
}

/** 「市政改革プラン…」に基づく取組等 (様式3). */
export interface Reform {
  planName: string;
  items: ReformItem[];
}

export interface SelfEvaluation {
  achievements: string;
  challenges: string;
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
