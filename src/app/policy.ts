import type { Transition } from '../domain/workflow.ts';
import type { Role, User } from '../store/store.ts';

/** Who may do what, in one place; routes ask, never decide. */

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  admin: '管理者',
  editor: '編集者',
  approver: '承認者',
  planner: '市の企画担当',
};

/** Admins and the city's planners see every organization; editors and approvers their own. */
export function canViewPlans(user: User, organizationId: number): boolean {
  switch (user.role) {
    case 'admin':
    case 'planner':
      return true;
    case 'editor':
    case 'approver':
      return user.organizationId === organizationId;
  }
}

export function canEditPlans(user: User, organizationId: number): boolean {
  return user.role === 'admin' || (user.role === 'editor' && user.organizationId === organizationId);
}

export function canComment(user: User, organizationId: number): boolean {
  return canViewPlans(user, organizationId);
}

export function canTakeTransition(user: User, organizationId: number, transition: Transition): boolean {
  if (!transition.roles.includes(user.role)) return false;
  return user.role === 'admin' || user.organizationId === organizationId;
}

export function isAdmin(user: User): boolean {
  return user.role === 'admin';
}

/** Roles tied to one organization. */
export function roleNeedsOrganization(role: Role): boolean {
  return role === 'editor' || role === 'approver';
}

/** Measurements are recorded by those who edit the organization's plans (not a plan edit: no approval). */
export function canRecordMeasurements(user: User, organizationId: number): boolean {
  return canEditPlans(user, organizationId);
}

/** A plan's check schedule (deadlines, frequency, people in charge): its editors and approvers. */
export function canSetCheckSchedule(user: User, organizationId: number): boolean {
  return user.role === 'admin' || ((user.role === 'editor' || user.role === 'approver') && user.organizationId === organizationId);
}

/** Reopening (and locking again) a review past its deadline: the organization's approvers. */
export function canReopenReviews(user: User, organizationId: number): boolean {
  return user.role === 'admin' || (user.role === 'approver' && user.organizationId === organizationId);
}
