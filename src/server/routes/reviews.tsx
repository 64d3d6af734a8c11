/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { readRevision, requireBaseRevision, saveEdit, saveNotice } from '../../app/plans.ts';
import { cityRatingScales } from '../../app/rating-scales.ts';
import type { Diagnostic } from '../../domain/diagnostic.ts';
import { formatFiscalYearBoth } from '../../domain/fiscal-year.ts';
import type { Measurement, Plan, RatingScales } from '../../domain/plan.ts';
import type { PlanSummary } from '../../store/store.ts';
import { canEditPlans } from '../auth/policy.ts';
import { useCaseErrorOrThrow } from '../app-errors.tsx';
import type { AppEnv } from '../context.ts';
import { isReviewPeriod, withReviewPeriodOf, type ReviewPeriod } from '../editor/carry.ts';
import { planFromForm } from '../editor/plan-form.ts';
import { availableScales, scalesUsed } from '../editor/review-scales.ts';
import { formFields, intParam, notFound, page } from '../respond.tsx';
import { choicesFromForm } from '../views/conflict-view.tsx';
import { fieldState } from '../views/form-fields.tsx';
import { PERIOD_LABELS, ReviewForm } from '../views/review-form.tsx';
import { loadPlan, staffPlanPath } from './load-plan.ts';
import { answerSave } from './save-outcome.tsx';

/**
 * The mid-year review and the year-end evaluation: one form per period over every strategy,
 * initiative and reform item. A save is an edit of the plan like the editor's (a revision,
 * merged with concurrent edits, through the plan's workflow), touching only that period's reviews.
 */
export const reviewRoutes = new Hono<AppEnv>();

export function reviewPath(planId: number, period: ReviewPeriod): string {
  return staffPlanPath(planId, `/reviews/${period}`);
}

function title(summary: PlanSummary, period: ReviewPeriod): string {
  return `${summary.organizationName} ${formatFiscalYearBoth(summary.fiscalYear)} 運営方針の${PERIOD_LABELS[period]}`;
}

/** The latest measurement of each indicator: measurements are kept beside the plan, oldest first. */
async function latestMeasurements(c: Context<AppEnv>, planId: number): Promise<Map<string, Measurement>> {
  const out = new Map<string, Measurement>();
  const list = await c.var.config.store.listMeasurements(planId).catch(() => []);
  for (const m of list) out.set(m.indicatorId, m);
  return out;
}

async function reviewPage(c: Context<AppEnv>, opts: {
  summary: PlanSummary; period: ReviewPeriod; plan: Plan; cityScales: RatingScales; baseRevision: number; diagnostics: Diagnostic[]; raw?: Map<string, string>; message?: string; status?: 200 | 422;
}) {
  const { summary, period } = opts;
  const notice = saveNotice(summary.workflowState);
  const other: ReviewPeriod = period === 'midYear' ? 'yearEnd' : 'midYear';
  return page(c, title(summary, period), (
    <>
      <h1>{title(summary, period)}</h1>
      <p>
        {`版 ${opts.baseRevision} をもとに入力しています。保存すると計画の新しい版になり、承認を経て公開されます。`}
        {' '}<a href={staffPlanPath(summary.id)}>入力をやめて戻る</a>{' / '}<a href={reviewPath(summary.id, other)}>{PERIOD_LABELS[other]}へ</a>
      </p>
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      <ReviewForm action={reviewPath(summary.id, period)} plan={opts.plan} period={period} baseRevision={opts.baseRevision}
        csrfToken={c.var.auth?.session.csrfToken ?? ''} diagnostics={opts.diagnostics} state={fieldState(opts.diagnostics, opts.raw)}
        scales={availableScales(opts.plan, opts.cityScales)} message={opts.message ?? ''} latest={await latestMeasurements(c, summary.id)} {...(notice ? { notice } : {})} />
    </>
  ), opts.status ?? 200);
}

reviewRoutes.get('/staff/plans/:planId/reviews/:period', async (c) => {
  const period = c.req.param('period');
  if (!isReviewPeriod(period)) return notFound(c);
  const loaded = await loadPlan(c, canEditPlans);
  if (loaded instanceof Response) return loaded;
  const revision = await readRevision(c.var.config.store, loaded.summary.id).catch(() => undefined);
  if (!revision) return notFound(c);
  const cityScales = await cityRatingScales(c.var.config.store, loaded.summary.organizationId);
  return reviewPage(c, { summary: loaded.summary, period, plan: revision.plan, cityScales, baseRevision: revision.number, diagnostics: [] });
});

reviewRoutes.post('/staff/plans/:planId/reviews/:period', async (c) => {
  const period = c.req.param('period');
  if (!isReviewPeriod(period)) return notFound(c);
  const loaded = await loadPlan(c, canEditPlans);
  if (loaded instanceof Response) return loaded;
  const { summary, user } = loaded;
  const { store } = c.var.config;
  const path = reviewPath(summary.id, period);
  const fields = await formFields(c);
  const message = (fields['_message'] ?? '').trim();
  try {
    const baseRevision = requireBaseRevision(intParam(fields['_baseRevision']), summary.currentRevision);
    const base = await readRevision(store, summary.id, baseRevision);
    // "Mine" is the revision the form started from with only this period's reviews replaced.
    const given = planFromForm(fields, { organization: summary.organizationName, fiscalYear: summary.fiscalYear }).plan;
    const cityScales = await cityRatingScales(store, summary.organizationId);
    const scales = availableScales(base.plan, cityScales);
    let mine = withReviewPeriodOf(base.plan, given, period);
    // The saved plan names every scale its reviews use, so the file explains itself (a scale
    // or code it does not offer is left for validation to refuse at its field).
    const used = scalesUsed(mine, scales);
    mine = Object.keys(used).length > 0 ? { ...mine, ratingScales: used } : mine;
    const theirsRevision = intParam(fields['_theirsRevision']);
    const outcome = await saveEdit(store, user, {
      planId: summary.id, baseRevision, plan: mine, message: message || `${PERIOD_LABELS[period]}の入力`, now: c.var.config.now(),
      choices: choicesFromForm(fields), ...(theirsRevision === undefined ? {} : { theirsRevision }),
    });
    if (outcome.kind !== 'invalid') return await answerSave(c, summary.id, outcome, { action: path, message });
    return await reviewPage(c, { summary, period, plan: outcome.plan, cityScales, baseRevision: outcome.baseRevision, diagnostics: outcome.problems, message, status: 422 });
  } catch (e) {
    return useCaseErrorOrThrow(c, e, path);
  }
});
