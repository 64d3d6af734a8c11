/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { formatFiscalYearBoth } from '../../domain/fiscal-year.ts';
import { renderDocument } from '../../formats/index.ts';
import type { PlanSummary } from '../../store/store.ts';
import type { AppEnv } from '../context.ts';
import { intParam, notFound, page } from '../respond.tsx';
import { planTitle, PlanView } from '../views/plan-view.tsx';

/** What residents read: no sign-in, no script, published revisions only. */
export const publicRoutes = new Hono<AppEnv>();

export function publicPlanPath(slug: string, fiscalYear: number): string {
  return `/plans/${encodeURIComponent(slug)}/${fiscalYear}`;
}

publicRoutes.get('/', async (c) => {
  const plans = await c.var.config.store.listPublishedPlans();
  const byOrganization = new Map<string, PlanSummary[]>();
  for (const p of plans) byOrganization.set(p.organizationName, [...(byOrganization.get(p.organizationName) ?? []), p]);
  return page(c, '公開中の運営方針', (
    <>
      <h1>公開中の区運営方針</h1>
      <p>各区が毎年度定める運営方針(計画と自己評価)を、年度ごとに読むことができます。</p>
      {plans.length === 0 ? <p class="empty">公開中の運営方針はまだありません。</p> : null}
      {[...byOrganization].map(([name, list]) => (
        <section aria-labelledby={`org-${list[0]!.organizationSlug}`}>
          <h2 id={`org-${list[0]!.organizationSlug}`}>{name}</h2>
          <ul>
            {list.map((p) => (
              <li>
                <a href={publicPlanPath(p.organizationSlug, p.fiscalYear)}>{`${formatFiscalYearBoth(p.fiscalYear)} ${name}運営方針`}</a>
                {p.publishedDocumentStatus === 'draft' ? '(案)' : ''}
              </li>
            ))}
          </ul>
        </section>
      ))}
      <h2>オープンデータ</h2>
      <p>公開中の運営方針は <a href="/api/v1/plans">JSON(hoshin-plan/1 形式)</a> でも取得できます。</p>
    </>
  ));
});

async function findPublished(c: Context<AppEnv>) {
  const fiscalYear = intParam(c.req.param('fiscalYear'));
  const slug = c.req.param('slug');
  if (fiscalYear === undefined || slug === undefined) return undefined;
  return c.var.config.store.getPublishedPlan(slug, fiscalYear);
}

publicRoutes.get('/plans/:slug/:fiscalYear', async (c) => {
  const published = await findPublished(c);
  if (!published) return notFound(c);
  const { organization, revision } = published;
  const base = publicPlanPath(organization.slug, revision.plan.fiscalYear);
  return page(c, planTitle(revision.plan), (
    <>
      <nav aria-label="パンくず"><a href="/">公開中の運営方針</a> › {organization.name}</nav>
      <PlanView plan={revision.plan} />
      <h2>ダウンロード</h2>
      <ul>
        <li><a href={`${base}/text`} download>テキスト形式</a></li>
        <li><a href={`/api/v1${base}`}>JSON形式(hoshin-plan/1)</a></li>
      </ul>
      <p class="empty">{`版 ${revision.number}(${revision.createdAt.toLocaleDateString('ja-JP', { timeZone: 'Asia/Tokyo' })} 更新)`}</p>
    </>
  ));
});

publicRoutes.get('/plans/:slug/:fiscalYear/text', async (c) => {
  const published = await findPublished(c);
  if (!published) return notFound(c);
  const { organization, revision } = published;
  const fileName = `${organization.slug}-${revision.plan.fiscalYear}.txt`;
  c.header('Content-Disposition', `attachment; filename="${fileName}"`);
  c.header('Content-Type', 'text/plain; charset=utf-8');
  return c.body(renderDocument(revision.plan, 'text'));
});
