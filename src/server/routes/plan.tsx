/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { formatFiscalYearBoth } from '../../domain/fiscal-year.ts';
import { diffPlans } from '../../domain/plan-diff.ts';
import { validatePlan } from '../../domain/validate.ts';
import { isWorkflowState, TRANSITIONS, transitionsFrom, WORKFLOW_STATE_LABELS, type Transition } from '../../domain/workflow.ts';
import { ConflictError, WorkflowError } from '../../store/store.ts';
import { canComment, canEditPlans, canTakeTransition, canViewPlans } from '../auth/policy.ts';
import type { AppEnv } from '../context.ts';
import { csrfInput, forbidden, formFields, intParam, notFound, page } from '../respond.tsx';
import { AuditTable } from '../views/audit-view.tsx';
import { ChangeTable } from '../views/diff-view.tsx';
import { PlanView } from '../views/plan-view.tsx';
import { formatDateTime } from '../views/staff-views.tsx';
import { loadPlan, staffPlanPath } from './load-plan.ts';
import { publicPlanPath } from './public.tsx';

/** The steps that take a plan towards the public; each needs a plan without errors. */
const FORWARD: ReadonlySet<Transition['action']> = new Set(['submit', 'approve', 'publish']);

/** One plan for staff: its current state, workflow buttons, comments, history. */
export const planRoutes = new Hono<AppEnv>();

planRoutes.get('/staff/plans/:planId', async (c) => {
  const loaded = await loadPlan(c, canViewPlans);
  if (loaded instanceof Response) return loaded;
  const { summary, user } = loaded;
  const { store } = c.var.config;
  const [revision, comments] = await Promise.all([store.getRevision(summary.id), store.listComments(summary.id)]);
  if (!revision) return notFound(c);
  const backwards = (t: Transition) => t.action === 'sendBack' || t.action === 'unpublish' || t.action === 'withdraw';
  // The step forward first, the steps back after it.
  const transitions = transitionsFrom(summary.workflowState)
    .filter((t) => canTakeTransition(user, summary.organizationId, t))
    .sort((a, b) => Number(backwards(a)) - Number(backwards(b)));
  const saved = c.req.query('saved');
  const name = `${summary.organizationName} ${formatFiscalYearBoth(summary.fiscalYear)}`;
  return page(c, `${name}(職員用)`, (
    <>
      <h1>{`${name} 運営方針`}</h1>
      {saved ? <p class="flash" role="status">{`版 ${saved} を保存しました。`}</p> : null}
      <p>
        {`状態: ${WORKFLOW_STATE_LABELS[summary.workflowState]} / 最新の版: ${summary.currentRevision} / 公開中の版: ${summary.publishedRevision ?? 'なし'}`}
      </p>
      <ul class="tools">
        {canEditPlans(user, summary.organizationId) ? <li><a href={staffPlanPath(summary.id, '/edit')}>編集する</a></li> : null}
        <li><a href={staffPlanPath(summary.id, '/history')}>変更履歴</a></li>
        {summary.publishedRevision !== null ? <li><a href={publicPlanPath(summary.organizationSlug, summary.fiscalYear)}>公開ページ</a></li> : null}
        {summary.publishedRevision !== null && summary.publishedRevision !== summary.currentRevision ? (
          <li><a href={staffPlanPath(summary.id, `/revisions/${summary.currentRevision}?from=${summary.publishedRevision}`)}>{`公開中の版 ${summary.publishedRevision} からの変更`}</a></li>
        ) : null}
      </ul>
      {transitions.length > 0 ? (
        <form method="post" action={staffPlanPath(summary.id, '/workflow')} class="tools">
          {csrfInput(c)}
          <input type="hidden" name="_revision" value={String(summary.currentRevision)} />
          {transitions.map((t) => <button type="submit" name="to" value={t.to} class={backwards(t) ? 'danger' : 'primary'}>{t.label}</button>)}
        </form>
      ) : null}
      <section aria-labelledby="comments">
        <h2 id="comments">コメント</h2>
        {comments.length === 0 ? <p class="empty">コメントはまだありません。</p> : (
          <ul>{comments.map((m) => <li><strong>{m.author}</strong>{`(${formatDateTime(m.createdAt)}): `}<span class="pre">{m.body}</span></li>)}</ul>
        )}
        {canComment(user, summary.organizationId) ? (
          <form method="post" action={staffPlanPath(summary.id, '/comments')} class="stack">
            {csrfInput(c)}
            <label for="comment-body">コメントを書く</label>
            <textarea id="comment-body" name="body" rows={3}></textarea>
            <div class="tools"><button type="submit">コメントを送る</button></div>
          </form>
        ) : null}
      </section>
      <h2>最新の版の内容</h2>
      <PlanView plan={revision.plan} headingLevel={3} />
    </>
  ));
});

planRoutes.post('/staff/plans/:planId/workflow', async (c) => {
  const loaded = await loadPlan(c, canViewPlans);
  if (loaded instanceof Response) return loaded;
  const { summary, user } = loaded;
  const form = await formFields(c);
  const to = form['to'];
  const basedOnRevision = intParam(form['_revision']);
  // Someone who may take no step of the workflow at all is refused before anything else.
  if (!TRANSITIONS.some((t) => canTakeTransition(user, summary.organizationId, t))) return forbidden(c, undefined, { planId: summary.id, organizationId: summary.organizationId });
  // Two steps may share a target (submitted → editing is the editor's 依頼取り下げ and the
  // approver's 差し戻し): take the one this user may take.
  const candidates = isWorkflowState(to) ? TRANSITIONS.filter((t) => t.from === summary.workflowState && t.to === to) : [];
  const transition = candidates.find((t) => canTakeTransition(user, summary.organizationId, t)) ?? candidates[0];
  if (!transition || basedOnRevision === undefined) return page(c, '操作できません', <><h1>操作できません</h1><p>{`現在の状態(${WORKFLOW_STATE_LABELS[summary.workflowState]})からはこの操作はできません。`}</p><p><a href={staffPlanPath(summary.id)}>運営方針へ戻る</a></p></>, 409);
  if (!canTakeTransition(user, summary.organizationId, transition)) return forbidden(c, undefined, { planId: summary.id, organizationId: summary.organizationId });
  // Only a plan without errors goes forward to review and to the public (a new empty plan has no goal yet).
  if (FORWARD.has(transition.action) && basedOnRevision === summary.currentRevision) {
    const revision = await c.var.config.store.getRevision(summary.id);
    const errors = revision ? validatePlan(revision.plan).filter((d) => d.severity === 'error') : [];
    if (errors.length > 0) {
      return page(c, '操作できません', (
        <>
          <h1>操作できません</h1>
          <p class="problems" role="alert">{`この運営方針には${errors.length}件のエラーがあるため、「${transition.label}」はできません。編集して直してください。`}</p>
          <ul>{errors.map((d) => <li>{d.message}</li>)}</ul>
          <p>{canEditPlans(user, summary.organizationId) ? <><a href={staffPlanPath(summary.id, '/edit')}>編集する</a> / </> : null}<a href={staffPlanPath(summary.id)}>運営方針へ戻る</a></p>
        </>
      ), 422);
    }
  }
  try {
    await c.var.config.store.setWorkflowState({ planId: summary.id, basedOnRevision, to: transition.to, action: transition.action, actor: user.username });
  } catch (e) {
    if (!(e instanceof ConflictError) && !(e instanceof WorkflowError)) throw e;
    return page(c, '操作できません', (
      <>
        <h1>操作できません</h1>
        <p>{e instanceof ConflictError ? `この操作の後に別の人が保存しました(最新の版: ${e.currentRevision})。内容を確かめてから、もう一度操作してください。` : e.message}</p>
        <p><a href={staffPlanPath(summary.id)}>運営方針へ戻る</a></p>
      </>
    ), 409);
  }
  return c.redirect(staffPlanPath(summary.id), 303);
});

planRoutes.post('/staff/plans/:planId/comments', async (c) => {
  const loaded = await loadPlan(c, canComment);
  if (loaded instanceof Response) return loaded;
  const body = ((await formFields(c))['body'] ?? '').trim();
  if (body !== '') await c.var.config.store.addComment({ planId: loaded.summary.id, author: loaded.user.username, body: body.slice(0, 5000) });
  return c.redirect(`${staffPlanPath(loaded.summary.id)}#comments`, 303);
});

planRoutes.get('/staff/plans/:planId/history', async (c) => {
  const loaded = await loadPlan(c, canViewPlans);
  if (loaded instanceof Response) return loaded;
  const { summary } = loaded;
  const { store } = c.var.config;
  const [revisions, audit] = await Promise.all([store.listRevisions(summary.id), store.listAudit({ planId: summary.id, limit: 200 })]);
  const name = `${summary.organizationName} ${formatFiscalYearBoth(summary.fiscalYear)}`;
  return page(c, `${name} 変更履歴`, (
    <>
      <h1>{`${name} 運営方針の変更履歴`}</h1>
      <p><a href={staffPlanPath(summary.id)}>運営方針へ戻る</a></p>
      <table>
        <caption>版の一覧(新しい順)</caption>
        <thead><tr><th scope="col">版</th><th scope="col">日時</th><th scope="col">変更した人</th><th scope="col">説明</th><th scope="col">文書</th></tr></thead>
        <tbody>
          {[...revisions].reverse().map((r) => (
            <tr>
              <th scope="row"><a href={staffPlanPath(summary.id, `/revisions/${r.number}`)}>{`版 ${r.number}`}</a></th>
              <td>{formatDateTime(r.createdAt)}</td><td>{r.author}</td><td>{r.message}</td><td>{r.documentStatus === 'draft' ? '案' : '確定'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <AuditTable entries={audit} />
    </>
  ));
});

planRoutes.get('/staff/plans/:planId/revisions/:number', async (c) => {
  const loaded = await loadPlan(c, canViewPlans);
  if (loaded instanceof Response) return loaded;
  const { summary } = loaded;
  const { store } = c.var.config;
  const number = intParam(c.req.param('number'));
  const revision = number === undefined ? undefined : await store.getRevision(summary.id, number);
  if (!revision) return notFound(c);
  // ?from=N compares with any earlier revision, e.g. the published one before approving.
  const from = intParam(c.req.query('from')) ?? revision.number - 1;
  const previous = from >= 1 && from !== revision.number ? await store.getRevision(summary.id, from) : undefined;
  // Both plans are at hand: diff them here rather than have the store read and parse them again.
  const changes = previous ? diffPlans(previous.plan, revision.plan) : [];
  const name = `${summary.organizationName} ${formatFiscalYearBoth(summary.fiscalYear)}`;
  return page(c, `${name} 版 ${revision.number}`, (
    <>
      <h1>{`${name} 運営方針 版 ${revision.number}`}</h1>
      <p>{`${formatDateTime(revision.createdAt)} ${revision.author}: ${revision.message}`}</p>
      <p><a href={staffPlanPath(summary.id, '/history')}>変更履歴へ戻る</a></p>
      <h2>{previous ? `版 ${previous.number} からの変更` : '最初の版'}</h2>
      {previous ? <ChangeTable changes={changes} plans={[revision.plan, previous.plan]} caption={`版 ${previous.number} → 版 ${revision.number}`} /> : null}
      <h2>この版の内容</h2>
      <PlanView plan={revision.plan} headingLevel={3} />
    </>
  ));
});
