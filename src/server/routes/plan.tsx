/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { formatFiscalYearBoth } from '../../domain/fiscal-year.ts';
import { diffPlans } from '../../domain/plan-diff.ts';
import { isWorkflowAction, isWorkflowState, WORKFLOW_STATE_LABELS, type Transition } from '../../domain/workflow.ts';
import { addComment, availableSteps, takeStep } from '../../app/plans.ts';
import { ConflictError, WorkflowError } from '../../store/store.ts';
import { canComment, canEditPlans, canViewPlans } from '../auth/policy.ts';
import { useCaseErrorOrThrow } from '../app-errors.tsx';
import { displayNames } from '../user-names.ts';
import type { AppEnv } from '../context.ts';
import { csrfInput, formFields, intParam, notFound, page } from '../respond.tsx';
import { AuditTable } from '../views/audit-view.tsx';
import { ChangeTable } from '../views/diff-view.tsx';
import { PlanView } from '../views/plan-view.tsx';
import { NextYearAction } from '../views/prior-year.tsx';
import { formatDateTime } from '../views/staff-views.tsx';
import { loadPlan, staffPlanPath } from './load-plan.ts';
import { publicPlanPath } from './public.tsx';

/** What the last save did, said once on the page it led to. */
function SaveFlash({ saved, merged, withdrawn, unchanged }: { saved?: string | undefined; merged: boolean; withdrawn: boolean; unchanged?: string | undefined }) {
  if (unchanged) return <p class="flash" role="status">{`変更がなかったため、保存しませんでした(最新の版は版 ${unchanged} のままです)。`}</p>;
  if (!saved) return null;
  return (
    <p class="flash" role="status">
      {`版 ${saved} を保存しました。`}
      {merged ? 'ほかの人が先に保存した変更と合わせて保存しました。' : ''}
      {withdrawn ? '承認依頼は取り下げました。もう一度「承認依頼」を押してください。' : ''}
    </p>
  );
}

/** 公開 of a 案: say plainly that it stays 案 unless published as 確定. */
function FinalizeChoice() {
  return (
    <fieldset class="finalize">
      <legend>公開する文書の状態(題名の「(案)」)</legend>
      <div><input type="radio" id="finalize-yes" name="finalize" value="1" required /><label for="finalize-yes">確定版として公開する(題名から「(案)」を外します)</label></div>
      <div><input type="radio" id="finalize-no" name="finalize" value="0" required /><label for="finalize-no">案のまま公開する</label></div>
    </fieldset>
  );
}

/** One plan for staff: its current state, workflow buttons, comments, history. */
export const planRoutes = new Hono<AppEnv>();

planRoutes.get('/staff/plans/:planId', async (c) => {
  const loaded = await loadPlan(c, canViewPlans);
  if (loaded instanceof Response) return loaded;
  const { summary, user } = loaded;
  const { store } = c.var.config;
  const [revision, comments, nameOf] = await Promise.all([store.getRevision(summary.id), store.listComments(summary.id), displayNames(store)]);
  if (!revision) return notFound(c);
  const transitions = availableSteps(user, summary);
  const backwards = (t: Transition) => t.action === 'sendBack' || t.action === 'unpublish' || t.action === 'withdraw';
  const saved = c.req.query('saved');
  const name = `${summary.organizationName} ${formatFiscalYearBoth(summary.fiscalYear)}`;
  return page(c, `${name}(職員用)`, (
    <>
      <h1>{`${name} 運営方針`}</h1>
      <SaveFlash saved={saved} merged={c.req.query('merged') === '1'} withdrawn={c.req.query('withdrawn') === '1'} unchanged={c.req.query('unchanged')} />
      <p>
        {`状態: ${WORKFLOW_STATE_LABELS[summary.workflowState]} / 最新の版: ${summary.currentRevision} / 公開中の版: ${summary.publishedRevision ?? 'なし'}`}
      </p>
      <ul class="tools">
        {canEditPlans(user, summary.organizationId) ? <li><a href={staffPlanPath(summary.id, '/edit')}>編集する</a></li> : null}
        {canEditPlans(user, summary.organizationId) ? <li><a href={staffPlanPath(summary.id, '/reviews/midYear')}>中間振り返りを入力</a></li> : null}
        {canEditPlans(user, summary.organizationId) ? <li><a href={staffPlanPath(summary.id, '/reviews/yearEnd')}>年度末の自己評価を入力</a></li> : null}
        <li><a href={staffPlanPath(summary.id, '/indicators')}>指標と実績</a></li>
        <li><a href={staffPlanPath(summary.id, '/schedule')}>点検予定の設定</a></li>
        <li><a href={staffPlanPath(summary.id, '/history')}>変更履歴</a></li>
        {summary.publishedRevision !== null ? <li><a href={publicPlanPath(summary.organizationSlug, summary.fiscalYear)}>公開ページ</a></li> : null}
        {summary.publishedRevision !== null && summary.publishedRevision !== summary.currentRevision ? (
          <li><a href={staffPlanPath(summary.id, `/revisions/${summary.currentRevision}?from=${summary.publishedRevision}`)}>{`公開中の版 ${summary.publishedRevision} からの変更`}</a></li>
        ) : null}
      </ul>
      {canEditPlans(user, summary.organizationId) ? (
        <NextYearAction organizationId={summary.organizationId} fiscalYear={summary.fiscalYear} csrfToken={c.var.auth?.session.csrfToken ?? ''}
          nextPlanId={(await store.findPlan(summary.organizationId, summary.fiscalYear + 1))?.id} />
      ) : null}
      {transitions.map((t) => (
        // One form per step: the 公開 step asks whether to publish as 確定, and that choice must not hold up the others.
        <form method="post" action={staffPlanPath(summary.id, '/workflow')} class="tools">
          {csrfInput(c)}
          <input type="hidden" name="_revision" value={String(summary.currentRevision)} />
          <input type="hidden" name="action" value={t.action} />
          {t.action === 'publish' && revision.plan.documentStatus === 'draft' ? <FinalizeChoice /> : null}
          <button type="submit" name="to" value={t.to} class={backwards(t) ? 'danger' : 'primary'}>
            {t.action === 'unpublish' && summary.workflowState !== 'published' ? `${t.label}(公開中の版 ${summary.publishedRevision})` : t.label}
          </button>
        </form>
      ))}
      <section aria-labelledby="comments">
        <h2 id="comments">コメント</h2>
        {comments.length === 0 ? <p class="empty">コメントはまだありません。</p> : (
          <ul>{comments.map((m) => <li><strong>{nameOf(m.author)}</strong>{`(${formatDateTime(m.createdAt)}): `}<span class="pre">{m.body}</span></li>)}</ul>
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
  const back = <p><a href={staffPlanPath(summary.id)}>運営方針へ戻る</a></p>;
  try {
    const outcome = await takeStep(c.var.config.store, user, {
      planId: summary.id,
      basedOnRevision: intParam(form['_revision']),
      ...(isWorkflowAction(form['action']) ? { action: form['action'] } : {}),
      ...(isWorkflowState(form['to']) ? { to: form['to'] } : {}),
      finalize: form['finalize'] === '1',
    });
    if (outcome.kind === 'invalid') {
      return await page(c, '操作できません', (
        <>
          <h1>操作できません</h1>
          <p class="problems" role="alert">{`この運営方針には${outcome.errors.length}件のエラーがあるため、「${outcome.transition.label}」はできません。編集して直してください。`}</p>
          <ul>{outcome.errors.map((d) => <li>{d.message}</li>)}</ul>
          <p>{canEditPlans(user, summary.organizationId) ? <><a href={staffPlanPath(summary.id, '/edit')}>編集する</a> / </> : null}<a href={staffPlanPath(summary.id)}>運営方針へ戻る</a></p>
        </>
      ), 422);
    }
    // Published or withdrawn: the old revision's cached responses go now, not when evicted.
    c.var.config.published.forget(summary.id);
    return c.redirect(staffPlanPath(summary.id), 303);
  } catch (e) {
    if (e instanceof ConflictError || e instanceof WorkflowError) {
      return page(c, '操作できません', (
        <>
          <h1>操作できません</h1>
          <p>{e instanceof ConflictError
            ? `この操作の後に別の人が保存しました(最新の版: ${e.currentRevision})。内容を確かめてから、もう一度操作してください。`
            : `現在の状態(${WORKFLOW_STATE_LABELS[summary.workflowState]})からはこの操作はできません。`}</p>
          {back}
        </>
      ), 409);
    }
    return useCaseErrorOrThrow(c, e, staffPlanPath(summary.id));
  }
});

planRoutes.post('/staff/plans/:planId/comments', async (c) => {
  const loaded = await loadPlan(c, canComment);
  if (loaded instanceof Response) return loaded;
  try {
    await addComment(c.var.config.store, loaded.user, { planId: loaded.summary.id, body: (await formFields(c))['body'] ?? '' });
  } catch (e) {
    return useCaseErrorOrThrow(c, e, `${staffPlanPath(loaded.summary.id)}#comments`);
  }
  return c.redirect(`${staffPlanPath(loaded.summary.id)}#comments`, 303);
});

planRoutes.get('/staff/plans/:planId/history', async (c) => {
  const loaded = await loadPlan(c, canViewPlans);
  if (loaded instanceof Response) return loaded;
  const { summary } = loaded;
  const { store } = c.var.config;
  const [revisions, audit, nameOf] = await Promise.all([store.listRevisions(summary.id), store.listAudit({ planId: summary.id, limit: 200 }), displayNames(store)]);
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
              <td>{formatDateTime(r.createdAt)}</td><td>{nameOf(r.author)}</td><td>{r.message}</td><td>{r.documentStatus === 'draft' ? '案' : '確定'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <AuditTable entries={audit} nameOf={nameOf} />
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
      <p>{`${formatDateTime(revision.createdAt)} ${(await displayNames(store))(revision.author)}: ${revision.message}`}</p>
      <p><a href={staffPlanPath(summary.id, '/history')}>変更履歴へ戻る</a></p>
      <h2>{previous ? `版 ${previous.number} からの変更` : '最初の版'}</h2>
      {previous ? <ChangeTable changes={changes} plans={[revision.plan, previous.plan]} caption={`版 ${previous.number} → 版 ${revision.number}`} /> : null}
      <h2>この版の内容</h2>
      <PlanView plan={revision.plan} headingLevel={3} />
    </>
  ));
});
