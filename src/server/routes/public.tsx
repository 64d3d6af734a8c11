/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { measurementsByIndicator, planStatus } from '../../app/checks.ts';
import { formatFiscalYearBoth } from '../../domain/fiscal-year.ts';
import { renderDocument } from '../../formats/index.ts';
import type { Organization, PlanSummary, Store } from '../../store/store.ts';
import { digest } from '../published/cache.ts';
import type { AppEnv } from '../context.ts';
import { planPdfFormat, planXlsxFormat } from '../published/documents.ts';
import { servePublished, serveRendered, type PublishedFormat } from '../published/serve.ts';
import { intParam, notFound } from '../respond.tsx';
import { Layout, Pager, renderPage } from '../views/layout.tsx';
import { planTitle, PlanView } from '../views/plan-view.tsx';

/** What residents read: no sign-in, no script, published revisions only. */
export const publicRoutes = new Hono<AppEnv>();

export function publicPlanPath(slug: string, fiscalYear: number): string {
  return `/plans/${encodeURIComponent(slug)}/${fiscalYear}`;
}

/** Organizations per page of the public index: a national store lists thousands. */
export const ORGANIZATIONS_PER_PAGE = 50;

interface OrganizationPlans {
  organization: Organization;
  /** The city it belongs to (a ward's parent), or itself when it is a city or stands alone. */
  group: Organization;
  plans: PlanSummary[];
}

/** 団体コード order (the order official lists use), those without a code after, then creation order. */
function byCode(a: Organization, b: Organization): number {
  if ((a.code === null) !== (b.code === null)) return a.code === null ? 1 : -1;
  if (a.code !== null && b.code !== null && a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.id - b.id;
}

/** Published plans by organization, ordered by city and then by organization, the city's own plan first. */
function organizationsWithPlans(plans: readonly PlanSummary[], organizations: readonly Organization[]): OrganizationPlans[] {
  const byId = new Map(organizations.map((o) => [o.id, o]));
  const out = new Map<number, OrganizationPlans>();
  for (const p of plans) {
    let entry = out.get(p.organizationId);
    if (!entry) {
      const organization = byId.get(p.organizationId);
      if (!organization) continue;
      const parent = organization.parentId === null ? undefined : byId.get(organization.parentId);
      entry = { organization, group: parent?.kind === 'city' ? parent : organization, plans: [] };
      out.set(p.organizationId, entry);
    }
    entry.plans.push(p);
  }
  return [...out.values()].sort((a, b) =>
    byCode(a.group, b.group) || Number(a.organization.id !== a.group.id) - Number(b.organization.id !== b.group.id) || byCode(a.organization, b.organization));
}

/** 「大阪市 西区」: a ward is named with its city, since several cities have a 西区. */
function organizationLabel({ organization, group }: OrganizationPlans): string {
  return organization.id === group.id ? organization.name : `${group.name} ${organization.name}`;
}

/** What the index shows, read together; `key` names it, so equal keys mean equal pages. */
interface IndexSnapshot {
  all: OrganizationPlans[];
  key: string;
  /** The newest audited change anywhere: an upper bound of the index's last change. */
  lastChange: Date;
}

async function readIndex(store: Store): Promise<IndexSnapshot> {
  // Grouping by city needs every organization's city, and a city's wards may be created at any
  // time, so the index is ordered here rather than by the store's organization ids.
  const [plans, organizations, audit] = await Promise.all([store.listPublishedPlans(), store.listOrganizations(), store.listAudit({ limit: 1 })]);
  const all = organizationsWithPlans(plans, organizations);
  const lastChange = new Date(Math.max(audit[0]?.at.getTime() ?? 0, ...plans.map((p) => p.updatedAt.getTime())));
  return { all, key: `index:${digest(all)}`, lastChange };
}

function IndexBody({ all, pageNumber, pageCount }: { all: OrganizationPlans[]; pageNumber: number; pageCount: number }) {
  const first = (pageNumber - 1) * ORGANIZATIONS_PER_PAGE;
  const shown = all.slice(first, first + ORGANIZATIONS_PER_PAGE);
  const groups: { city: Organization; entries: OrganizationPlans[] }[] = [];
  for (const entry of shown) {
    const last = groups[groups.length - 1];
    if (last?.city.id === entry.group.id) last.entries.push(entry);
    else groups.push({ city: entry.group, entries: [entry] });
  }
  return (
    <>
      <h1>公開中の区運営方針</h1>
      <p>各区が毎年度定める運営方針(計画と自己評価)を、年度ごとに読むことができます。</p>
      {all.length === 0 ? <p class="empty">公開中の運営方針はまだありません。</p> : null}
      {pageCount > 1 ? <p>{`${all.length}の組織の運営方針を公開しています。全${pageCount}ページ中${pageNumber}ページ目(${first + 1}〜${first + shown.length}番目の組織)を表示しています。`}</p> : null}
      {groups.map(({ city, entries }) => (
        <section aria-labelledby={`city-${city.slug}`}>
          <h2 id={`city-${city.slug}`}>{city.name}</h2>
          {entries.map((entry) => (
            <>
              <h3 id={`org-${entry.organization.slug}`}>{organizationLabel(entry)}</h3>
              <ul>
                {entry.plans.map((p) => (
                  <li>
                    <a href={publicPlanPath(p.organizationSlug, p.fiscalYear)}>{`${formatFiscalYearBoth(p.fiscalYear)} ${p.organizationName}運営方針`}</a>
                    {p.publishedDocumentStatus === 'draft' ? '(案)' : ''}
                  </li>
                ))}
              </ul>
            </>
          ))}
        </section>
      ))}
      <Pager page={pageNumber} pageCount={pageCount} href={(n) => (n === 1 ? '/' : `/?page=${n}`)} />
      <h2>オープンデータ</h2>
      <p>公開中の運営方針は <a href="/api/v1/plans">JSON(hoshin-plan/1 形式)</a> でも取得できます。</p>
    </>
  );
}

/** The index of published plans, a page of organizations at a time; `missing()` for a page that does not exist. */
export async function serveIndex(c: Context<AppEnv>, missing: () => Response | Promise<Response>): Promise<Response> {
  const { store, published: cache } = c.var.config;
  const requested = c.req.query('page');
  const pageNumber = requested === undefined ? 1 : intParam(requested);
  if (pageNumber === undefined) return missing();
  const index = c.var.auth ? await readIndex(store) : await cache.remember('index', () => readIndex(store));
  const pageCount = Math.max(1, Math.ceil(index.all.length / ORGANIZATIONS_PER_PAGE));
  if (pageNumber > pageCount) return missing();
  const title = pageCount > 1 ? `公開中の運営方針(${pageNumber}/${pageCount}ページ)` : '公開中の運営方針';
  return serveRendered(c, {
    key: `${index.key}|${pageNumber}`,
    mediaType: 'text/html; charset=utf-8',
    compress: true,
    perViewer: true,
    lastModified: index.lastChange,
    render: (viewer) => renderPage(<Layout title={title} viewer={viewer}><IndexBody all={index.all} pageNumber={pageNumber} pageCount={pageCount} /></Layout>),
  });
}

publicRoutes.get('/', (c) => serveIndex(c, () => notFound(c)));

/** The public plan page: the plan, its indicators' status as of today, and every download. */
export const planPageFormat: PublishedFormat = {
  name: 'page',
  mediaType: 'text/html; charset=utf-8',
  compress: true,
  perViewer: true,
  daily: true,
  async render({ published, measurements, today, viewer }) {
    const { organization, revision } = published;
    const base = publicPlanPath(organization.slug, revision.plan.fiscalYear);
    const check = { status: planStatus(revision.plan, measurements, today), measurements: measurementsByIndicator(measurements) };
    return renderPage(
      <Layout title={planTitle(revision.plan)} viewer={viewer}>
        <nav aria-label="パンくず"><a href="/">公開中の運営方針</a> › {organization.name}</nav>
        <PlanView plan={revision.plan} check={check} />
        <section class="no-print" aria-labelledby="downloads">
          <h2 id="downloads">ダウンロード</h2>
          <ul>
            <li><a href={`${base}/plan.pdf`} download>PDF形式(運営方針の様式。印刷・配布用)</a></li>
            <li><a href={`${base}/plan.xlsx`} download>Excel形式(様式ごとのシートと、集計用の一覧)</a></li>
            <li><a href={`${base}/text`} download>テキスト形式</a></li>
            <li><a href={`/api/v2${base}`}>JSON形式(hoshin-plan/2、指標・測定値・振り返りを含む)</a></li>
            <li><a href={`/api/v1${base}`}>JSON形式(hoshin-plan/1)</a></li>
            <li><a href={`${base}/initiatives.csv`} download>CSV形式(具体的取組の一覧。Excel で開けます)</a></li>
            <li><a href={`${base}/measurements.csv`} download>CSV形式(指標の測定値)</a></li>
          </ul>
        </section>
        <p class="empty">{`版 ${revision.number}(${revision.createdAt.toLocaleDateString('ja-JP', { timeZone: 'Asia/Tokyo' })} 更新)`}</p>
      </Layout>,
    );
  },
};

export const planTextFormat: PublishedFormat = {
  name: 'text',
  mediaType: 'text/plain; charset=utf-8',
  compress: true,
  fileName: ({ organization, summary }) => ({ name: `${organization.slug}-${summary.fiscalYear}.txt`, ascii: `${organization.slug}-${summary.fiscalYear}.txt` }),
  async render({ published }) {
    return renderDocument(published.revision.plan, 'text');
  },
};

publicRoutes.get('/plans/:slug/:fiscalYear', (c) => servePublished(c, planPageFormat, () => notFound(c)));
publicRoutes.get('/plans/:slug/:fiscalYear/text', (c) => servePublished(c, planTextFormat, () => notFound(c)));
publicRoutes.get('/plans/:slug/:fiscalYear/plan.pdf', (c) => servePublished(c, planPdfFormat, () => notFound(c)));
publicRoutes.get('/plans/:slug/:fiscalYear/plan.xlsx', (c) => servePublished(c, planXlsxFormat, () => notFound(c)));
