/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { newItemId, readRevision, requireBaseRevision, saveEdit, saveNotice } from '../../app/plans.ts';
import { hasErrors, type Diagnostic } from '../../domain/diagnostic.ts';
import { formatFiscalYearBoth } from '../../domain/fiscal-year.ts';
import type { Plan } from '../../domain/plan.ts';
import { validatePlan } from '../../domain/validate.ts';
import { planItems } from '../../domain/item-ids.ts';
import type { PlanSummary, Store } from '../../store/store.ts';
import { canEditPlans } from '../auth/policy.ts';
import { useCaseErrorOrThrow } from '../app-errors.tsx';
import type { AppEnv } from '../context.ts';
import { applyEditAction, focusAfter, parseEditAction } from '../editor/edit-actions.ts';
import { withIndicatorIds, withReviewsOf } from '../editor/carry.ts';
import { planFromForm } from '../editor/plan-form.ts';
import { formFields, intParam, notFound, page } from '../respond.tsx';
import { choicesFromForm } from '../views/conflict-view.tsx';
import { EditorForm } from '../views/editor-form.tsx';
import { fieldState } from '../views/form-fields.tsx';
import { priorYearOf, type PriorYear } from '../views/prior-year.tsx';
import { loadPlan, staffPlanPath } from './load-plan.ts';
import { answerSave } from './save-outcome.tsx';

/** The editor: one form for the whole plan, saved as the user's changes onto the newest revision. */
export const editorRoutes = new Hono<AppEnv>();

function title(summary: PlanSummary): string {
  return `${summary.organizationName} ${formatFiscalYearBoth(summary.fiscalYear)} 運営方針の編集`;
}

/**
 * Last year's plan of the same organization, read once per page, when some item continues
 * one of its items: what the editor shows beside them (課題と改善策, budgets).
 */
export async function loadPriorYear(store: Store, summary: PlanSummary, plan: Plan): Promise<PriorYear | undefined> {
  if (!planItems(plan).some(({ item }) => item.carriedFrom !== undefined)) return undefined;
  const previous = await store.findPlan(summary.organizationId, summary.fiscalYear - 1);
  if (!previous) return undefined;
  const revision = await readRevision(store, previous.id).catch(() => undefined);
  return revision ? priorYearOf(previous.id, revision.plan) : undefined;
}

async function editorPage(c: Context<AppEnv>, opts: {
  summary: PlanSummary; plan: Plan; baseRevision: number; problems?: Diagnostic[]; raw?: Map<string, string>; message?: string; status?: 200 | 422;
  /** After a structural button: the field or button to focus (see focusAfter). */
  focus?: string;
  /** Validation already done (a merged plan): show these instead of validating again. */
  validated?: Diagnostic[];
}) {
  const diagnostics = opts.validated ?? [...(opts.problems ?? []), ...validatePlan(opts.plan)];
  const notice = saveNotice(opts.summary.workflowState);
  const prior = await loadPriorYear(c.var.config.store, opts.summary, opts.plan);
  return page(c, title(opts.summary), (
    <>
      <h1>{title(opts.summary)}</h1>
      <p>{`版 ${opts.baseRevision} をもとに編集しています。`} <a href={staffPlanPath(opts.summary.id)}>編集をやめて戻る</a></p>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      <EditorForm action={staffPlanPath(opts.summary.id, '/edit')} plan={opts.plan} baseRevision={opts.baseRevision}
        csrfToken={c.var.auth?.session.csrfToken ?? ''} diagnostics={diagnostics}
        state={fieldState(diagnostics, opts.raw, opts.focus)} message={opts.message ?? ''} {...(notice ? { notice } : {})} {...(prior ? { prior } : {})} />
    </>
  ), opts.status ?? 200);
}

editorRoutes.get('/staff/plans/:planId/edit', async (c) => {
  const loaded = await loadPlan(c, canEditPlans);
  if (loaded instanceof Response) return loaded;
  const revision = await readRevision(c.var.config.store, loaded.summary.id).catch(() => undefined);
  if (!revision) return notFound(c);
  return editorPage(c, { summary: loaded.summary, plan: revision.plan, baseRevision: revision.number });
});

editorRoutes.post('/staff/plans/:planId/edit', async (c) => {
  const loaded = await loadPlan(c, canEditPlans);
  if (loaded instanceof Response) return loaded;
  const { summary, user } = loaded;
  const { store } = c.var.config;
  const fields = await formFields(c);
  const baseRevision = intParam(fields['_baseRevision']);
  const message = (fields['_message'] ?? '').trim();
  const parsed = planFromForm(fields, { organization: summary.organizationName, fiscalYear: summary.fiscalYear });
  const action = fields['action'] ?? 'save';
  try {
    if (action !== 'save') {
      // Add, move, remove: nothing is stored; the form comes back with the change, from the same base.
      requireBaseRevision(baseRevision, summary.currentRevision);
      const edit = parseEditAction(action);
      const plan = edit ? applyEditAction(parsed.plan, edit) : parsed.plan;
      const focus = edit ? focusAfter(edit, plan) : undefined;
      return await editorPage(c, { summary, plan, baseRevision: baseRevision!, problems: parsed.problems, raw: parsed.raw, message, ...(focus ? { focus } : {}) });
    }
    if (hasErrors(parsed.problems) && baseRevision !== undefined) {
      return await editorPage(c, { summary, plan: parsed.plan, baseRevision, problems: parsed.problems, raw: parsed.raw, message, status: 422 });
    }
    const theirsRevision = intParam(fields['_theirsRevision']);
    // The editor does not hold reviews: they stay as the base revision has them, so the merge keeps any saved since.
    const base = await readRevision(store, summary.id, requireBaseRevision(baseRevision, summary.currentRevision));
    const mine = withIndicatorIds(withReviewsOf(parsed.plan, base.plan), newItemId);
    const outcome = await saveEdit(store, user, {
      planId: summary.id, baseRevision, plan: mine, message, now: c.var.config.now(), choices: choicesFromForm(fields), ...(theirsRevision === undefined ? {} : { theirsRevision }),
    });
    if (outcome.kind !== 'invalid') return await answerSave(c, summary.id, outcome, { action: staffPlanPath(summary.id, '/edit'), message });
    return await editorPage(c, { summary, plan: outcome.plan, baseRevision: outcome.baseRevision, validated: outcome.problems, message, status: 422 });
  } catch (e) {
    return useCaseErrorOrThrow(c, e, staffPlanPath(summary.id, '/edit'));
  }
});
