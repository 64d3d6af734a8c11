/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { hasErrors, type Diagnostic } from '../../domain/diagnostic.ts';
import { formatFiscalYearBoth } from '../../domain/fiscal-year.ts';
import { diffPlans } from '../../domain/plan-diff.ts';
import type { Plan } from '../../domain/plan.ts';
import { validatePlan } from '../../domain/validate.ts';
import { ConflictError, type PlanSummary, type Revision } from '../../store/store.ts';
import { canEditPlans } from '../auth/policy.ts';
import type { AppEnv } from '../context.ts';
import { applyEditAction, focusAfter, parseEditAction } from '../editor/edit-actions.ts';
import { planFromForm } from '../editor/plan-form.ts';
import { formFields, intParam, notFound, page } from '../respond.tsx';
import { ChangeTable } from '../views/diff-view.tsx';
import { EditorForm } from '../views/editor-form.tsx';
import { fieldState } from '../views/form-fields.tsx';
import { PlanView } from '../views/plan-view.tsx';
import { formatDateTime } from '../views/staff-views.tsx';
import { loadPlan, staffPlanPath } from './load-plan.ts';

/** The editor: one form for the whole plan, saved as a new revision against the one it started from. */
export const editorRoutes = new Hono<AppEnv>();

function title(summary: PlanSummary): string {
  return `${summary.organizationName} ${formatFiscalYearBoth(summary.fiscalYear)} 運営方針の編集`;
}

function editorPage(c: Context<AppEnv>, opts: {
  summary: PlanSummary; plan: Plan; baseRevision: number; problems?: Diagnostic[]; raw?: Map<string, string>; message?: string; status?: 200 | 422;
  /** After a structural button: the field or button to focus (see focusAfter). */
  focus?: string;
}) {
  const diagnostics = [...(opts.problems ?? []), ...validatePlan(opts.plan)];
  return page(c, title(opts.summary), (
    <>
      <h1>{title(opts.summary)}</h1>
      <p>{`版 ${opts.baseRevision} をもとに編集しています。`} <a href={staffPlanPath(opts.summary.id)}>編集をやめて戻る</a></p>
      <EditorForm action={staffPlanPath(opts.summary.id, '/edit')} plan={opts.plan} baseRevision={opts.baseRevision}
        csrfToken={c.var.auth?.session.csrfToken ?? ''} diagnostics={diagnostics}
        state={fieldState(diagnostics, opts.raw, opts.focus)} message={opts.message ?? ''} />
    </>
  ), opts.status ?? 200);
}

function conflictPage(c: Context<AppEnv>, summary: PlanSummary, current: Revision, mine: Plan, conflict: ConflictError, message: string) {
  const diagnostics = validatePlan(mine);
  return page(c, '保存が競合しました', (
    <>
      <h1>保存が競合しました</h1>
      <p class="problems" role="alert">
        {`あなたが編集を始めた版 ${conflict.basedOnRevision ?? '-'} の後に、ほかの人が版 ${current.number} を保存しました(${current.author}、${formatDateTime(current.createdAt)})。あなたの変更はまだ保存されていませんが、失われてもいません。`}
      </p>
      <ul>
        <li>下の違いを確かめ、必要ならあなたの版を直してから「保存する」を押すと、あなたの版が版 {current.number + 1} として保存されます。</li>
        <li><a href={staffPlanPath(summary.id, '/edit')}>あなたの変更を捨てて、最新の版を編集する</a></li>
      </ul>
      <h2>ほかの人の変更</h2>
      <ChangeTable changes={conflict.changes} plans={[current.plan]} caption={`版 ${conflict.basedOnRevision ?? '-'} → 版 ${current.number}`} />
      <h2>最新の版とあなたの版の違い</h2>
      <ChangeTable changes={diffPlans(current.plan, mine)} plans={[mine, current.plan]} caption="最新の版 → あなたの版"
        beforeLabel={`最新の版(版 ${current.number})`} afterLabel="あなたの版" />
      <h2>両方の版の全文</h2>
      <div class="versions">
        <section aria-label={`最新の版(版 ${current.number})`}><p class="notice">{`最新の版(版 ${current.number}、${current.author})`}</p><PlanView plan={current.plan} headingLevel={3} idPrefix="theirs-" /></section>
        <section aria-label="あなたの版"><p class="notice">あなたの版(未保存)</p><PlanView plan={mine} headingLevel={3} idPrefix="mine-" /></section>
      </div>
      <h2>あなたの版を編集して保存する</h2>
      <EditorForm action={staffPlanPath(summary.id, '/edit')} plan={mine} baseRevision={current.number}
        csrfToken={c.var.auth?.session.csrfToken ?? ''} diagnostics={diagnostics} state={fieldState(diagnostics)} message={message} />
    </>
  ), 409);
}

editorRoutes.get('/staff/plans/:planId/edit', async (c) => {
  const loaded = await loadPlan(c, canEditPlans);
  if (loaded instanceof Response) return loaded;
  const revision = await c.var.config.store.getRevision(loaded.summary.id);
  if (!revision) return notFound(c);
  return editorPage(c, { summary: loaded.summary, plan: revision.plan, baseRevision: revision.number });
});

editorRoutes.post('/staff/plans/:planId/edit', async (c) => {
  const loaded = await loadPlan(c, canEditPlans);
  if (loaded instanceof Response) return loaded;
  const { summary, user } = loaded;
  const { store } = c.var.config;
  const fields = await formFields(c);
  const baseRevision = intParam(fields['_baseRevision']) ?? summary.currentRevision;
  const message = (fields['_message'] ?? '').trim();
  const parsed = planFromForm(fields, { organization: summary.organizationName, fiscalYear: summary.fiscalYear });
  const action = fields['action'] ?? 'save';
  if (action !== 'save') {
    const edit = parseEditAction(action);
    const plan = edit ? applyEditAction(parsed.plan, edit) : parsed.plan;
    const focus = edit ? focusAfter(edit, plan) : undefined;
    return editorPage(c, { summary, plan, baseRevision, problems: parsed.problems, raw: parsed.raw, message, ...(focus ? { focus } : {}) });
  }
  const problems = [...parsed.problems, ...validatePlan(parsed.plan)];
  if (hasErrors(problems)) {
    return editorPage(c, { summary, plan: parsed.plan, baseRevision, problems: parsed.problems, raw: parsed.raw, message, status: 422 });
  }
  try {
    const revision = await store.savePlan({
      organizationId: summary.organizationId, fiscalYear: summary.fiscalYear, plan: parsed.plan,
      basedOnRevision: baseRevision, author: user.username, message: message || '編集',
    });
    return c.redirect(`${staffPlanPath(summary.id)}?saved=${revision.number}`, 303);
  } catch (e) {
    if (!(e instanceof ConflictError)) throw e;
    const current = await store.getRevision(summary.id);
    if (!current) throw e;
    return conflictPage(c, summary, current, parsed.plan, e, message);
  }
});
