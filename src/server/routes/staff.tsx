/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { describePlace, hasErrors, type Diagnostic } from '../../domain/diagnostic.ts';
import { createPlan, type PlanSource } from '../../app/plans.ts';
import { ReaderBusyError } from '../../app/read-document.ts';
import type { Organization, User } from '../../store/store.ts';
import { canEditPlans, canViewPlans } from '../auth/policy.ts';
import { useCaseErrorOrThrow } from '../app-errors.tsx';
import type { AppEnv } from '../context.ts';
import { csrfInput, forbidden, intParam, notFound, page, userOf } from '../respond.tsx';
import { Pager } from '../views/layout.tsx';
import { organizationLabels, PlanTable } from '../views/staff-views.tsx';
import { staffPlanPath } from './load-plan.ts';

/** The staff home and creating a plan: empty, from last year's, or from an uploaded document. */
export const staffRoutes = new Hono<AppEnv>();

/** Plans per page of the staff list. */
export const STAFF_PLANS_PER_PAGE = 200;

staffRoutes.get('/staff', async (c) => {
  const user = userOf(c);
  const { store } = c.var.config;
  const requested = c.req.query('page');
  const pageNumber = requested === undefined ? 1 : intParam(requested);
  if (pageNumber === undefined) return notFound(c);
  const ownOnly = user.organizationId !== null && (user.role === 'editor' || user.role === 'approver');
  // One more than a page tells whether a next page exists without counting every plan.
  const [rows, organizations] = await Promise.all([
    store.listPlans({
      ...(ownOnly ? { organizationId: user.organizationId! } : {}),
      limit: STAFF_PLANS_PER_PAGE + 1,
      offset: (pageNumber - 1) * STAFF_PLANS_PER_PAGE,
    }),
    // Wards are named with their city (大阪市 西区, 堺市 西区).
    store.listOrganizations(),
  ]);
  if (pageNumber > 1 && rows.length === 0) return notFound(c);
  const plans = rows.slice(0, STAFF_PLANS_PER_PAGE).filter((p) => canViewPlans(user, p.organizationId));
  const canCreate = user.role === 'admin' || user.role === 'editor';
  return page(c, pageNumber > 1 ? `職員用ページ(${pageNumber}ページ目)` : '職員用ページ', (
    <>
      <h1>職員用ページ</h1>
      {canCreate ? <p><a href="/staff/plans/new">新しい運営方針を作成・取り込み</a></p> : null}
      <PlanTable plans={plans} labelOf={organizationLabels(organizations)} caption={pageNumber > 1 ? `運営方針の一覧(${pageNumber}ページ目)` : '運営方針の一覧'} />
      <Pager page={pageNumber} hasNext={rows.length > STAFF_PLANS_PER_PAGE} href={(n) => (n === 1 ? '/staff' : `/staff?page=${n}`)} label="一覧のページ送り" />
    </>
  ));
});

async function creatableOrganizations(c: Context<AppEnv>, user: User): Promise<Organization[]> {
  const all = await c.var.config.store.listOrganizations();
  return all.filter((o) => canEditPlans(user, o.id));
}

async function newPlanPage(c: Context<AppEnv>, opts: { problems?: Diagnostic[]; error?: string; status?: 200 | 409 | 422 | 503 } = {}) {
  const user = userOf(c);
  const organizations = await creatableOrganizations(c, user);
  if (organizations.length === 0) return forbidden(c, '運営方針を作成できる組織がありません。');
  const nextYear = c.var.config.now().getFullYear() + 1;
  return page(c, '運営方針の作成', (
    <>
      <h1>運営方針の作成・取り込み</h1>
      {opts.error ? <p class="problems" role="alert">{opts.error}</p> : null}
      {opts.problems && opts.problems.length > 0 ? (
        <section class="problems" aria-labelledby="upload-problems">
          <h2 id="upload-problems">取り込めませんでした</h2>
          <ul>{opts.problems.map((d) => <li>{`${describePlace(d) ? `${describePlace(d)}: ` : ''}${d.severity === 'warning' ? '(注意) ' : ''}${d.message}`}</li>)}</ul>
        </section>
      ) : null}
      <form method="post" action="/staff/plans" enctype="multipart/form-data" class="stack">
        {csrfInput(c)}
        <label for="organizationId">組織</label>
        <select id="organizationId" name="organizationId">
          {organizations.map((o) => <option value={String(o.id)}>{o.name}</option>)}
        </select>
        <label for="fiscalYear">年度(西暦。アップロードの場合は文書に書かれた年度を使い、年度の書かれていない文書にだけこの年度を使います)</label>
        <input type="number" id="fiscalYear" name="fiscalYear" value={String(nextYear)} min="1989" max="2200" />
        <fieldset>
          <legend>作成のしかた</legend>
          <p><input type="radio" id="source-empty" name="source" value="empty" checked /> <label for="source-empty">白紙から作成</label></p>
          <p><input type="radio" id="source-previous" name="source" value="previous" /> <label for="source-previous">前年度の運営方針をもとに作成</label></p>
          <p><input type="radio" id="source-upload" name="source" value="upload" /> <label for="source-upload">文書ファイル(テキスト、PDF、Excel(.xlsx)または hoshin-plan JSON)を取り込む</label></p>
          <label for="file">取り込むファイル</label>
          <input type="file" id="file" name="file" accept=".txt,.json,.pdf,.xlsx,text/plain,application/json,application/pdf,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
        </fieldset>
        <div class="tools"><button type="submit" class="primary">作成する</button></div>
      </form>
    </>
  ), opts.status ?? 200);
}

staffRoutes.get('/staff/plans/new', (c) => newPlanPage(c));

staffRoutes.post('/staff/plans', async (c) => {
  const user = userOf(c);
  const body = await c.req.parseBody();
  const organizationId = intParam(typeof body['organizationId'] === 'string' ? body['organizationId'] : undefined);
  const fiscalYear = Number(body['fiscalYear']);
  let source: PlanSource;
  const sourceName = typeof body['source'] === 'string' ? body['source'] : 'empty';
  switch (sourceName) {
    case 'upload': {
      const file = body['file'];
      if (!(file instanceof File) || file.size === 0) return newPlanPage(c, { error: '取り込むファイルを選んでください。', status: 422 });
      // The form's year is used only by a layout whose title names none (堺市's 組織運営方針).
      const givenYear = Number.isInteger(fiscalYear) ? { fiscalYear } : {};
      let parsed;
      try {
        parsed = await c.var.config.documentReader.read(new Uint8Array(await file.arrayBuffer()), file.name, givenYear);
      } catch (e) {
        if (e instanceof ReaderBusyError) return newPlanPage(c, { error: e.message, status: 503 });
        throw e;
      }
      if (!parsed.plan || hasErrors(parsed.diagnostics)) return newPlanPage(c, { problems: parsed.diagnostics, status: 422 });
      source = { kind: 'document', plan: parsed.plan, fileName: file.name };
      break;
    }
    case 'previous':
      source = { kind: 'previousYear' };
      break;
    default:
      source = { kind: 'empty' };
  }
  try {
    const outcome = await createPlan(c.var.config.store, user, { organizationId: organizationId ?? 0, fiscalYear, source });
    if (outcome.kind === 'created') return c.redirect(staffPlanPath(outcome.revision.planId, '/edit'), 303);
    return await newPlanPage(c, { error: outcome.message, status: outcome.kind === 'exists' ? 409 : 422 });
  } catch (e) {
    return useCaseErrorOrThrow(c, e, '/staff/plans/new');
  }
});
