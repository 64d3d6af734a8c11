/**
 * The review workflow of a plan, as data: editing → submitted → approved → published.
 * Separate from the document status (案/確定) written in the plan itself. The store
 * enforces this table; the web shows the actions it allows.
 */

export type WorkflowState = 'editing' | 'submitted' | 'approved' | 'published';

export const WORKFLOW_STATES: readonly WorkflowState[] = ['editing', 'submitted', 'approved', 'published'];

/** Who a user is to the system. `planner`: the city's planning staff, who read and comment. */
export type Role = 'admin' | 'editor' | 'approver' | 'planner';

export const ROLES: readonly Role[] = ['admin', 'editor', 'approver', 'planner'];

export type WorkflowAction = 'submit' | 'withdraw' | 'sendBack' | 'approve' | 'publish' | 'unpublish';

export interface Transition {
  action: WorkflowAction;
  from: WorkflowState;
  to: WorkflowState;
  /** Japanese label for buttons and the audit log. */
  label: string;
  roles: readonly Role[];
}

export const TRANSITIONS: readonly Transition[] = [
  { action: 'submit', from: 'editing', to: 'submitted', label: '承認依頼', roles: ['editor', 'admin'] },
  { action: 'withdraw', from: 'submitted', to: 'editing', label: '依頼取り下げ', roles: ['editor', 'admin'] },
  { action: 'sendBack', from: 'submitted', to: 'editing', label: '差し戻し', roles: ['approver', 'admin'] },
  { action: 'sendBack', from: 'approved', to: 'editing', label: '差し戻し', roles: ['approver', 'admin'] },
  { action: 'approve', from: 'submitted', to: 'approved', label: '承認', roles: ['approver', 'admin'] },
  { action: 'publish', from: 'approved', to: 'published', label: '公開', roles: ['approver', 'admin'] },
  // Takes the plan off the public site; it must be approved again to return.
  { action: 'unpublish', from: 'published', to: 'approved', label: '公開停止', roles: ['approver', 'admin'] },
];

export const WORKFLOW_STATE_LABELS: Readonly<Record<WorkflowState, string>> = {
  editing: '編集中',
  submitted: '承認待ち',
  approved: '承認済み',
  published: '公開中',
};

export function findTransition(from: WorkflowState, to: WorkflowState): Transition | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.to === to);
}

export function transitionsFrom(from: WorkflowState, role?: Role): Transition[] {
  return TRANSITIONS.filter((t) => t.from === from && (role === undefined || t.roles.includes(role)));
}

/**
 * The steps open from a state. Withdrawing a publication (公開停止) is open whenever
 * something is published, even while a newer draft is being edited or reviewed: the old
 * version must be able to leave the public site at once. It then leaves the state as it is
 * (only 公開中 falls back to 承認済み).
 */
export function stepsFrom(from: WorkflowState, hasPublished: boolean, role?: Role): Transition[] {
  const steps = transitionsFrom(from);
  if (hasPublished && from !== 'published') {
    const unpublish = TRANSITIONS.find((t) => t.action === 'unpublish')!;
    steps.push({ ...unpublish, from, to: from });
  }
  return steps.filter((t) => role === undefined || t.roles.includes(role));
}

export function isWorkflowAction(value: unknown): value is WorkflowAction {
  return typeof value === 'string' && TRANSITIONS.some((t) => t.action === value);
}

export function canTransition(from: WorkflowState, to: WorkflowState, role?: Role): boolean {
  const t = findTransition(from, to);
  return t !== undefined && (role === undefined || t.roles.includes(role));
}

/** Saving new content sends a plan under review back to editing: what was approved is no longer what is there. */
export function stateAfterSave(_current: WorkflowState): WorkflowState {
  return 'editing';
}

export function isWorkflowState(value: unknown): value is WorkflowState {
  return typeof value === 'string' && (WORKFLOW_STATES as readonly string[]).includes(value);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
