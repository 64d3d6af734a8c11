/**
 * Use cases on plans: create, save an edit, take a workflow step, comment. Each checks
 * who may do it, decides, and writes in one transaction together with its audit entries
 * (the store audits every write it makes). Routes and commands parse input, call one of
 * these, and present the outcome; they decide nothing.
 */
import { randomUUID } from 'node:crypto';
import { error, hasErrors, type Diagnostic } from '../domain/diagnostic.ts';
import { idProblems, inheritItemIds, planItems, withItemIds, withLegacyItemIds } from '../domain/item-ids.ts';
import { deepEqual, mergePlans, type MergeChoice, type MergeConflict } from '../domain/plan-merge.ts';
import { emptyPlan, type Plan } from '../domain/plan.ts';
import { validatePlan } from '../domain/validate.ts';
import { stepsFrom, TRANSITIONS, type Transition, type WorkflowAction, type WorkflowState } from '../domain/workflow.ts';
import { ConflictError, NotFoundError, WorkflowError, type PlanSummary, type Revision, type Store, type User } from '../store/store.ts';
import { defaultCheckSchedule } from '../domain/pdca/check-schedule.ts';
import { reviewLockProblems } from '../domain/pdca/review-lock.ts';
import { todayInJapan } from './checks.ts';
import { loadSummary, refuse } from './plan-access.ts';
import { ForbiddenError, InvalidRequestError } from './errors.ts';
import { canComment, canEditPlans, canTakeTransition, canViewPlans } from './policy.ts';

/** New item ids: random, so two offices' plans never share one by accident. */
export const newItemId = (): string => randomUUID();

/** How many times a use case re-reads and retries when another writer committed in between. */
const RETRIES = 3;

// ---------------------------------------------------------------- create

export type PlanSource =
  | { kind: 'empty' }
  | { kind: 'document'; plan: Plan; fileName: string }
  | { kind: 'previousYear' };

export type CreateOutcome =
  | { kind: 'created'; revision: Revision }
  | { kind: 'invalid'; message: string; field?: string }
  | { kind: 'exists'; message: string };

/**
 * A new plan of an organization for a fiscal year. From last year's plan, every item gets a
 * new id and a `carriedFrom` link to the item it continues, and this year's evaluation
 * starts empty.
 */
export async function createPlan(
  store: Store,
  actor: User,
  input: { organizationId: number; fiscalYear: number; source: PlanSource },
): Promise<CreateOutcome> {
  const organization = await store.getOrganization(input.organizationId);
  if (!organization || !canEditPlans(actor, organization.id)) throw new ForbiddenError(undefined, organization ? { organizationId: organization.id } : {});
  let { fiscalYear } = input;
  let plan: Plan;
  let message: string;
  switch (input.source.kind) {
    case 'document': {
      if (input.source.plan.organization !== organization.name) {
        return { kind: 'invalid', field: 'file', message: `文書の組織「${input.source.plan.organization}」が、選んだ組織「${organization.name}」と一致しません。` };
      }
      plan = input.source.plan;
      fiscalYear = plan.fiscalYear;
      message = `${input.source.fileName} から取り込み`;
      break;
    }
    case 'previousYear': {
      const previous = await store.findPlan(organization.id, fiscalYear - 1);
      const revision = previous ? await store.getRevision(previous.id) : undefined;
      if (!revision) return { kind: 'invalid', field: 'source', message: `${organization.name}の${fiscalYear - 1}年度の運営方針がありません。` };
      plan = carriedForward(withLegacyItemIds(revision.plan), fiscalYear);
      message = `${fiscalYear - 1}年度の版 ${revision.number} をもとに作成`;
      break;
    }
    case 'empty':
      plan = emptyPlan(organization.name, fiscalYear);
      message = '新規作成';
      break;
  }
  if (!Number.isInteger(fiscalYear) || fiscalYear < 1989 || fiscalYear > 2200) return { kind: 'invalid', field: 'fiscalYear', message: '年度を西暦で入力してください。' };
  try {
    const revision = await store.savePlan({
      organizationId: organization.id, fiscalYear, plan: withItemIds(plan, newItemId), basedOnRevision: null, author: actor.username, message,
    });
    return { kind: 'created', revision };
  } catch (e) {
    if (!(e instanceof ConflictError)) throw e;
    return { kind: 'exists', message: `${organization.name}の${fiscalYear}年度の運営方針はすでにあります(職員用ページの一覧から開いてください)。` };
  }
}

/**
 * Next year's starting point: last year's content, each item linked to the one it
 * continues. What belongs to last year stays there: its reviews and evaluation, and its
 * budgets, which the editor shows beside each item as the prior year's, never as this year's.
 */
export function carriedForward(previous: Plan, fiscalYear: number): Plan {
  const plan: Plan = { ...structuredClone(previous), fiscalYear, documentStatus: 'draft', selfEvaluation: { achievements: '', challenges: '' } };
  for (const { kind, item } of planItems(plan)) {
    if (item.id !== undefined) item.carriedFrom = item.id;
    delete item.id;
    const carried = item as { reviews?: unknown; budgetThousandYen?: number | null; cmBudgetThousandYen?: number | null };
    delete carried.reviews;
    if (kind === 'initiative') {
      carried.budgetThousandYen = null;
      carried.cmBudgetThousandYen = null;
    } else if (kind === 'issue' && carried.budgetThousandYen !== undefined) {
      carried.budgetThousandYen = null;
    }
  }
  return plan;
}

// ---------------------------------------------------------------- save an edit

export interface SaveEditInput {
  planId: number;
  /** The revision the editor started from: required, so a save never silently overwrites. */
  baseRevision: number | undefined;
  plan: Plan;
  message: string;
  /** Choices on the conflict screen, valid only against the revision they were made on. */
  choices?: ReadonlyMap<string, MergeChoice>;
  theirsRevision?: number;
  /** The clock, for the period lock on reviews past their deadline. */
  now?: Date;
}

export type SaveOutcome =
  | { kind: 'saved'; revision: Revision; merged: boolean; withdrewRequest: boolean }
  | { kind: 'unchanged'; revision: Revision }
  | { kind: 'invalid'; plan: Plan; problems: Diagnostic[]; baseRevision: number }
  | { kind: 'conflict'; conflicts: MergeConflict[]; base: Revision; theirs: Revision; mine: Plan };

/**
 * Saves an edit as the user's changes relative to the revision they started from, applied
 * onto the newest one: changes to different fields merge; only the same field changed on
 * both sides comes back as a conflict for the user to settle. A save that changes nothing
 * stores nothing. Saving a plan under review withdraws the request, and says so in the log.
 */
export async function saveEdit(store: Store, actor: User, input: SaveEditInput): Promise<SaveOutcome> {
  const summary = await loadSummary(store, input.planId);
  if (!canEditPlans(actor, summary.organizationId)) throw refuse(summary);
  const baseNumber = requireBaseRevision(input.baseRevision, summary.currentRevision);
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.transaction((tx) => saveEditOnce(tx, actor, input, baseNumber));
    } catch (e) {
      // Another writer committed between our read and our write: merge again onto theirs.
      if (!(e instanceof ConflictError) || attempt >= RETRIES) throw e;
    }
  }
}

/**
 * The revision an edit started from, which every save and every re-rendered form must
 * carry: without it a save could only overwrite. Throws when it is missing or not a revision.
 */
export function requireBaseRevision(baseRevision: number | undefined, currentRevision: number): number {
  if (baseRevision === undefined || !Number.isSafeInteger(baseRevision) || baseRevision < 1) {
    throw new InvalidRequestError('編集のもとになった版の番号がない、または正しくないため保存できません。編集画面を開き直してください。', '_baseRevision');
  }
  if (baseRevision > currentRevision) {
    throw new InvalidRequestError(`版 ${baseRevision} はこの計画にありません(最新は版 ${currentRevision})。編集画面を開き直してください。`, '_baseRevision');
  }
  return baseRevision;
}

async function saveEditOnce(tx: Store, actor: User, input: SaveEditInput, baseNumber: number): Promise<SaveOutcome> {
  const summary = await loadSummary(tx, input.planId);
  requireBaseRevision(baseNumber, summary.currentRevision);
  const theirs = await readRevision(tx, summary.id);
  const base = baseNumber === theirs.number ? theirs : await readRevision(tx, summary.id, baseNumber);

  // A document without ids (an upload) keeps the ids its items had; new items get new ones.
  const mine = withItemIds(inheritItemIds(base.plan, { ...input.plan, organization: base.plan.organization, fiscalYear: base.plan.fiscalYear }), newItemId);
  let plan = mine;
  if (base.number !== theirs.number) {
    const choices = input.theirsRevision === theirs.number ? input.choices : undefined;
    const merge = mergePlans(base.plan, theirs.plan, mine, choices);
    if (merge.conflicts.length > 0) return { kind: 'conflict', conflicts: merge.conflicts, base, theirs, mine };
    plan = merge.plan;
  }
  // The period lock: a review past its deadline changes only after an approver reopened it.
  const schedule = (await tx.getCheckSchedule(summary.id)) ?? defaultCheckSchedule(summary.fiscalYear);
  const locked = reviewLockProblems(theirs.plan, plan, schedule, todayInJapan(input.now ?? new Date()));
  const problems = [
    ...validatePlan(plan),
    ...idProblems(plan).map((p) => error(p.message, { field: p.path })),
    ...locked.map((p) => error(p.message, { field: p.field })),
  ];
  if (hasErrors(problems)) return { kind: 'invalid', plan, problems, baseRevision: theirs.number };
  if (deepEqual(plan, theirs.plan)) return { kind: 'unchanged', revision: theirs };

  const withdrewRequest = summary.workflowState === 'submitted';
  if (withdrewRequest) {
    await tx.setWorkflowState({
      planId: summary.id, basedOnRevision: theirs.number, to: 'editing', action: 'withdraw', actor: actor.username,
      message: '承認待ちの間に編集が保存されたため、承認依頼を取り下げました',
    });
  }
  const revision = await tx.savePlan({
    organizationId: summary.organizationId, fiscalYear: summary.fiscalYear, plan, basedOnRevision: theirs.number,
    author: actor.username, message: input.message || (base.number !== theirs.number ? `編集(版 ${theirs.number} と統合)` : '編集'),
  });
  return { kind: 'saved', revision, merged: base.number !== theirs.number, withdrewRequest };
}

/** What the editor must say before a save, given the plan's state: saving moves a plan under review back to editing. */
export function saveNotice(state: WorkflowState): string | undefined {
  switch (state) {
    case 'submitted':
      return 'この計画は承認待ちです。保存すると承認依頼は取り下げられ、もう一度承認依頼が必要になります(取り下げは履歴に記録されます)。';
    case 'approved':
      return 'この計画は承認済みです。保存すると編集中に戻り、もう一度承認が必要になります。';
    case 'published':
    case 'editing':
      return undefined;
  }
}

// ---------------------------------------------------------------- workflow

/** The steps this user may take now, the step forward first. */
export function availableSteps(actor: User, summary: PlanSummary): Transition[] {
  const backwards = (t: Transition) => t.action === 'sendBack' || t.action === 'unpublish' || t.action === 'withdraw';
  return stepsFrom(summary.workflowState, summary.publishedRevision !== null)
    .filter((t) => canTakeTransition(actor, summary.organizationId, t))
    .sort((a, b) => Number(backwards(a)) - Number(backwards(b)));
}

/** The steps that take a plan towards the public; each needs a plan without errors. */
const FORWARD: ReadonlySet<WorkflowAction> = new Set(['submit', 'approve', 'publish']);

export interface StepInput {
  planId: number;
  /** The step by name; or, from older forms, by the state it leads to. */
  action?: WorkflowAction;
  to?: WorkflowState;
  /** The revision the user saw when choosing the step. */
  basedOnRevision: number | undefined;
  /** On 公開 of a 案: publish it as 確定 (a new revision with the (案) mark taken off). */
  finalize?: boolean;
}

export type StepOutcome =
  | { kind: 'done'; summary: PlanSummary; transition: Transition }
  | { kind: 'invalid'; transition: Transition; errors: Diagnostic[] };

export async function takeStep(store: Store, actor: User, input: StepInput): Promise<StepOutcome> {
  const summary = await loadSummary(store, input.planId);
  // Someone who may take no step of the workflow at all is refused before anything else.
  if (!TRANSITIONS.some((t) => canTakeTransition(actor, summary.organizationId, t))) throw refuse(summary);
  const open = stepsFrom(summary.workflowState, summary.publishedRevision !== null);
  // Two steps may share a target (submitted → editing is the editor's 依頼取り下げ and the
  // approver's 差し戻し): take the one this user may take.
  const candidates = open.filter((t) => (input.action !== undefined ? t.action === input.action : t.to === input.to));
  const transition = candidates.find((t) => canTakeTransition(actor, summary.organizationId, t)) ?? candidates[0];
  if (!transition) throw new WorkflowError(summary.workflowState, input.to ?? summary.workflowState);
  if (!canTakeTransition(actor, summary.organizationId, transition)) throw refuse(summary);
  const basedOnRevision = input.basedOnRevision;
  if (basedOnRevision === undefined) throw new InvalidRequestError('操作のもとになった版の番号がありません。ページを開き直してください。', '_revision');

  if (transition.action === 'unpublish') {
    // Withdrawing what the public sees is never held up by a newer draft.
    const done = await store.setWorkflowState({ planId: summary.id, basedOnRevision: summary.currentRevision, to: transition.to, action: 'unpublish', actor: actor.username });
    return { kind: 'done', summary: done, transition };
  }
  if (basedOnRevision !== summary.currentRevision) throw await conflictFor(store, summary, basedOnRevision);
  const revision = await store.getRevision(summary.id);
  if (!revision) throw new NotFoundError(`計画 ${summary.id} の版が見つかりません`);
  // Only a plan without errors goes forward to review and to the public (a new empty plan has no goal yet).
  if (FORWARD.has(transition.action)) {
    const errors = validatePlan(revision.plan).filter((d) => d.severity === 'error');
    if (errors.length > 0) return { kind: 'invalid', transition, errors };
  }
  if (transition.action === 'publish' && input.finalize && revision.plan.documentStatus === 'draft') {
    const done = await store.transaction(async (tx) => {
      const final = await tx.savePlan({
        organizationId: summary.organizationId, fiscalYear: summary.fiscalYear, plan: { ...revision.plan, documentStatus: 'final' },
        basedOnRevision: revision.number, author: actor.username, message: '確定版として公開',
      });
      return tx.publishRevision({ planId: summary.id, revision: final.number, actor: actor.username });
    });
    return { kind: 'done', summary: done, transition };
  }
  const done = await store.setWorkflowState({ planId: summary.id, basedOnRevision, to: transition.to, action: transition.action, actor: actor.username });
  return { kind: 'done', summary: done, transition };
}

/** A revision with every item's id, made from its numbers where it was stored before ids existed. */
export async function readRevision(store: Store, planId: number, number?: number): Promise<Revision> {
  const revision = await store.getRevision(planId, number);
  if (!revision) throw new NotFoundError(`計画 ${planId} に版 ${number ?? '(最新)'} はありません`);
  return { ...revision, plan: withLegacyItemIds(revision.plan) };
}

async function conflictFor(store: Store, summary: PlanSummary, basedOn: number): Promise<ConflictError> {
  return new ConflictError(summary.id, basedOn, summary.currentRevision, (await store.listRevisions(summary.id)).filter((r) => r.number > basedOn), []);
}

// ---------------------------------------------------------------- comments

export async function addComment(store: Store, actor: User, input: { planId: number; body: string }): Promise<void> {
  const summary = await loadSummary(store, input.planId);
  if (!canComment(actor, summary.organizationId)) throw refuse(summary);
  const body = input.body.trim();
  if (body === '') return;
  if (body.length > 5000) throw new InvalidRequestError('コメントは5,000文字以内にしてください。', 'body');
  await store.addComment({ planId: summary.id, author: actor.username, body });
}

/** Reading a plan as staff: who may see it. */
export async function viewPlan(store: Store, actor: User, planId: number): Promise<PlanSummary> {
  const summary = await loadSummary(store, planId);
  if (!canViewPlans(actor, summary.organizationId)) throw refuse(summary);
  return summary;
}
