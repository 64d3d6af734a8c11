/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import {
  calendarFeed, issueCalendarToken, listDueChecks, saveCheckSchedule, setReviewReopened, todayInJapan, viewSchedule,
} from '../../app/checks.ts';
import { ValidationError } from '../../app/errors.ts';
import { formatFiscalYearBoth } from '../../domain/fiscal-year.ts';
import { REVIEW_KIND_LABELS, REVIEW_KINDS, type CheckSchedule } from '../../domain/pdca/check-schedule.ts';
import { type DueItem } from '../../domain/pdca/due.ts';
import { reviewLocked } from '../../domain/pdca/review-lock.ts';
import { formatSlashDate } from '../../domain/pdca/fiscal-time.ts';
import { useCaseErrorOrThrow } from '../app-errors.tsx';
import type { AppEnv } from '../context.ts';
import { badRequest, csrfInput, formFields, intParam, notFound, page, userOf } from '../respond.tsx';
import { DueTable } from '../views/calendar-view.tsx';
import { staffPlanPath } from './load-plan.ts';

/** The check calendar: what is due, each plan's schedule and the reopening of locked reviews, and the per-user .ics feed. */
export const calendarRoutes = new Hono<AppEnv>();

/** A feed URL's last segment: the token the store issued (URL-safe base64), then .ics. Anything else is not found. */
const FEED_FILE = /^([A-Za-z0-9_-]{32,128})\.ics$/;

// ---------------------------------------------------------------- /staff/checks

async function checksPage(c: Context<AppEnv>, issued?: string): Promise<Response> {
  const { store, now } = c.var.config;
  const user = userOf(c);
  const today = todayInJapan(now());
  const [items, users, hasToken] = await Promise.all([listDueChecks(store, user, today), store.listUsers(), store.hasCalendarToken(user.id)]);
  const names = new Map(users.map((u) => [u.id, u.displayName]));
  const nameOf = (id: number | null) => (id === null ? '(未定)' : names.get(id) ?? '(削除されたユーザー)');
  const open = items.filter((d) => d.state === 'due' || d.state === 'overdue');
  const byOrganization = new Map<string, DueItem[]>();
  for (const d of open) byOrganization.set(d.organization, [...(byOrganization.get(d.organization) ?? []), d]);
  const byPerson = new Map<number | null, DueItem[]>();
  for (const d of open) byPerson.set(d.responsibleUserId, [...(byPerson.get(d.responsibleUserId) ?? []), d]);
  const people = [...byPerson.entries()].sort((a, b) => (a[0] === null ? 1 : b[0] === null ? -1 : nameOf(a[0]).localeCompare(nameOf(b[0]), 'ja')));
  const overdue = open.filter((d) => d.state === 'overdue').length;
  const feedUrl = issued ? `${new URL(c.req.url).origin}/calendar/${issued}.ics` : undefined;
  return page(c, '点検の予定', (
    <>
      <nav aria-label="パンくず"><a href="/staff">職員用ページ</a> › 点検の予定</nav>
      <h1>点検の予定</h1>
      <p>{`${formatSlashDate(today)} 現在、期限切れの点検が${overdue}件、期限が近い点検が${open.length - overdue}件あります。`}</p>
      {open.length === 0 ? <p class="empty">期限切れ・期限が近い点検はありません。</p> : null}
      <h2 id="by-organization">組織ごと</h2>
      {[...byOrganization.entries()].map(([organization, list], i) => (
        <DueTable items={list} caption={`${organization}の期限切れ・期限が近い点検`} id={`org-${i}`} nameOf={nameOf} showOrganization={false} />
      ))}
      <h2 id="by-person">担当者ごと</h2>
      {people.map(([id, list], i) => (
        <DueTable items={list} caption={`担当者: ${nameOf(id)}`} id={`person-${i}`} nameOf={nameOf} />
      ))}

      <h2 id="calendar">カレンダーに登録する</h2>
      <p>自分が担当する点検の締切(編集者・承認者は、担当者が決まっていない自組織の点検も)を、カレンダーのアプリに iCalendar(.ics)のURLとして登録できます。URLを知っている人は誰でも予定を見られるため、他の人に教えないでください。</p>
      {feedUrl ? (
        <div class="flash" role="status">
          <p>カレンダーのURLを発行しました。このURLは安全のため今だけ表示します。カレンダーのアプリに登録してください。</p>
          <p class="wrap"><code>{feedUrl}</code></p>
        </div>
      ) : null}
      <form method="post" action="/staff/checks/calendar" class="tools">
        {csrfInput(c)}
        <button type="submit">{hasToken ? 'URLを再発行する(前のURLは使えなくなります)' : 'カレンダーのURLを発行する'}</button>
      </form>
    </>
  ));
}

calendarRoutes.get('/staff/checks', (c) => checksPage(c));

calendarRoutes.post('/staff/checks/calendar', async (c) => {
  const token = await issueCalendarToken(c.var.config.store, userOf(c), true);
  // Shown once, on the answer to this POST: the store keeps only its hash.
  c.header('Cache-Control', 'no-store');
  return checksPage(c, token);
});

// ---------------------------------------------------------------- the feed

calendarRoutes.get('/calendar/:file', async (c) => {
  const match = FEED_FILE.exec(c.req.param('file'));
  if (!match) return notFound(c);
  const { store, now } = c.var.config;
  const body = await calendarFeed(store, match[1]!, now());
  if (body === undefined) return notFound(c);
  c.header('Content-Type', 'text/calendar; charset=utf-8');
  c.header('Cache-Control', 'private, no-store');
  c.header('X-Robots-Tag', 'noindex');
  return c.body(body);
});

// ---------------------------------------------------------------- a plan's schedule

interface ScheduleState {
  values?: Record<string, string>;
  problems?: Readonly<Record<string, string>>;
  status?: 200 | 422;
}

function scheduleValues(s: CheckSchedule): Record<string, string> {
  const id = (v: number | null) => (v === null ? '' : String(v));
  return {
    midYearDue: s.midYearDue, yearEndDue: s.yearEndDue, measurementFrequency: s.measurementFrequency ?? '',
    responsibleMidYear: id(s.responsible.midYear), responsibleYearEnd: id(s.responsible.yearEnd), responsibleMeasurements: id(s.responsible.measurements),
  };
}

async function schedulePage(c: Context<AppEnv>, planId: number, state: ScheduleState = {}): Promise<Response> {
  const { store, now } = c.var.config;
  const view = await viewSchedule(store, userOf(c), planId);
  const { summary, schedule, candidates } = view;
  const today = todayInJapan(now());
  const values = state.values ?? scheduleValues(schedule);
  const p = state.problems;
  const name = `${summary.organizationName} ${formatFiscalYearBoth(summary.fiscalYear)}`;
  const problem = (id: string) => (p?.[id] ? <p class="field-problem" id={`${id}-problem`}>{p[id]}</p> : null);
  const described = (id: string) => (p?.[id] ? { 'aria-describedby': `${id}-problem`, 'aria-invalid': 'true' } : {});
  const person = (id: string, label: string) => (
    <>
      <label for={id}>{label}</label>
      <select id={id} name={id} disabled={!view.canEdit} {...described(id)}>
        <option value="" selected={values[id] === ''}>(未定)</option>
        {candidates.map((u) => <option value={String(u.id)} selected={values[id] === String(u.id)}>{u.displayName}</option>)}
      </select>
      {problem(id)}
    </>
  );
  return page(c, `${name} 点検予定`, (
    <>
      <nav aria-label="パンくず"><a href="/staff">職員用ページ</a> › <a href={staffPlanPath(summary.id)}>{`${name} 運営方針`}</a> › 点検予定</nav>
      <h1>{`${name} 点検予定`}</h1>
      {c.req.query('saved') === '1' ? <p class="flash" role="status">点検予定を保存しました。</p> : null}
      {view.isDefault ? <p class="notice">まだ設定されていないため、標準の予定(中間振り返りは10月末、自己評価は翌年度の6月末)を表示しています。</p> : null}
      <ul class="tools">
        <li><a href={staffPlanPath(summary.id, '/indicators')}>指標と実績</a></li>
        <li><a href="/staff/checks">点検の予定(一覧)</a></li>
      </ul>
      <h2 id="schedule">締切と担当者</h2>
      {p && Object.keys(p).length > 0 ? <p class="problems" role="alert">{`入力に${Object.keys(p).length}件の問題があります。`}</p> : null}
      <form method="post" action={staffPlanPath(summary.id, '/schedule')} class="stack">
        {csrfInput(c)}
        <label for="midYearDue">中間振り返りの締切</label>
        <input type="date" id="midYearDue" name="midYearDue" value={values['midYearDue'] ?? ''} required disabled={!view.canEdit} {...described('midYearDue')} />
        {problem('midYearDue')}
        <label for="yearEndDue">年度末の自己評価の締切</label>
        <input type="date" id="yearEndDue" name="yearEndDue" value={values['yearEndDue'] ?? ''} required disabled={!view.canEdit} {...described('yearEndDue')} />
        {problem('yearEndDue')}
        <label for="measurementFrequency">指標の測定</label>
        <select id="measurementFrequency" name="measurementFrequency" disabled={!view.canEdit} {...described('measurementFrequency')}>
          {([['', '振り返りの時だけ'], ['quarterly', '四半期ごと(6・9・12・3月末)'], ['monthly', '毎月末']] as const).map(([v, l]) => (
            <option value={v} selected={values['measurementFrequency'] === v}>{l}</option>
          ))}
        </select>
        {problem('measurementFrequency')}
        {person('responsibleMidYear', '中間振り返りの担当者')}
        {person('responsibleYearEnd', '年度末の自己評価の担当者')}
        {person('responsibleMeasurements', '指標の測定の担当者')}
        {view.canEdit ? <div class="tools"><button type="submit" class="primary">保存する</button></div> : <p class="empty">点検予定を変更できるのは、この組織の編集者・承認者です。</p>}
      </form>

      <h2 id="lock">締切後の変更</h2>
      <p>締切を過ぎた振り返りは変更できません。変更が必要なときは、承認者が「再開する」を押します(操作は監査ログに記録されます)。</p>
      <ul>
        {REVIEW_KINDS.map((kind) => {
          const due = kind === 'midYear' ? schedule.midYearDue : schedule.yearEndDue;
          const locked = reviewLocked(schedule, kind, today);
          const text = schedule.reopened[kind] ? '再開中(変更できます)' : locked ? '締切済み(変更できません)' : '受付中(締切前)';
          return (
            <li>
              {`${REVIEW_KIND_LABELS[kind]}(締切 ${formatSlashDate(due)}): ${text}`}
              {view.canReopen && (locked || schedule.reopened[kind]) ? (
                <form method="post" action={staffPlanPath(summary.id, '/schedule/reopen')} class="tools">
                  {csrfInput(c)}
                  <input type="hidden" name="kind" value={kind} />
                  <button type="submit" name="reopened" value={schedule.reopened[kind] ? '0' : '1'} class={schedule.reopened[kind] ? 'danger' : ''}>
                    {schedule.reopened[kind] ? `${REVIEW_KIND_LABELS[kind]}を締め切る` : `${REVIEW_KIND_LABELS[kind]}を再開する`}
                  </button>
                </form>
              ) : null}
            </li>
          );
        })}
      </ul>
    </>
  ), state.status ?? 200);
}

calendarRoutes.get('/staff/plans/:planId/schedule', async (c) => {
  const planId = intParam(c.req.param('planId'));
  if (planId === undefined) return notFound(c);
  try {
    return await schedulePage(c, planId);
  } catch (e) {
    return useCaseErrorOrThrow(c, e, '/staff');
  }
});

calendarRoutes.post('/staff/plans/:planId/schedule', async (c) => {
  const planId = intParam(c.req.param('planId'));
  if (planId === undefined) return notFound(c);
  const form = await formFields(c);
  const values = {
    midYearDue: form['midYearDue'] ?? '', yearEndDue: form['yearEndDue'] ?? '', measurementFrequency: form['measurementFrequency'] ?? '',
    responsibleMidYear: form['responsibleMidYear'] ?? '', responsibleYearEnd: form['responsibleYearEnd'] ?? '', responsibleMeasurements: form['responsibleMeasurements'] ?? '',
  };
  try {
    await saveCheckSchedule(c.var.config.store, userOf(c), { planId, ...values });
    return c.redirect(`${staffPlanPath(planId, '/schedule')}?saved=1`, 303);
  } catch (e) {
    if (e instanceof ValidationError) return schedulePage(c, planId, { values, problems: e.problems, status: 422 });
    return useCaseErrorOrThrow(c, e, staffPlanPath(planId, '/schedule'));
  }
});

calendarRoutes.post('/staff/plans/:planId/schedule/reopen', async (c) => {
  const planId = intParam(c.req.param('planId'));
  if (planId === undefined) return notFound(c);
  const form = await formFields(c);
  const kind = form['kind'] === 'midYear' || form['kind'] === 'yearEnd' ? form['kind'] : undefined;
  if (!kind) return badRequest(c, '再開する振り返りの種類が正しくありません。');
  try {
    await setReviewReopened(c.var.config.store, userOf(c), { planId, kind, reopened: form['reopened'] === '1' });
    return c.redirect(staffPlanPath(planId, '/schedule'), 303);
  } catch (e) {
    return useCaseErrorOrThrow(c, e, staffPlanPath(planId, '/schedule'));
  }
});
