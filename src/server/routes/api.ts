import { Hono } from 'hono';
import { PLAN_SCHEMA, toPlanJson } from '../../formats/index.ts';
import type { AppEnv } from '../context.ts';
import { intParam } from '../respond.tsx';
import { publicPlanPath } from './public.tsx';

/** The open-data API: published plans only, in the public hoshin-plan/1 format. */
export const apiRoutes = new Hono<AppEnv>();

/** Page size of /api/v1/plans: the default and the most one request may ask for. */
export const PLANS_PAGE_LIMIT = 1000;

function countParam(value: string | undefined, fallback: number, min: number, max: number): number | undefined {
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

apiRoutes.get('/api/v1/plans', async (c) => {
  const limit = countParam(c.req.query('limit'), PLANS_PAGE_LIMIT, 1, PLANS_PAGE_LIMIT);
  const offset = countParam(c.req.query('offset'), 0, 0, Number.MAX_SAFE_INTEGER);
  if (limit === undefined || offset === undefined) {
    return c.json({ error: 'bad_request', message: `limit は 1〜${PLANS_PAGE_LIMIT}、offset は 0 以上の整数で指定してください` }, 400);
  }
  // One more than asked tells whether a next page exists without counting every plan.
  const rows = await c.var.config.store.listPublishedPlans({ limit: limit + 1, offset });
  const plans = rows.slice(0, limit);
  return c.json({
    plans: plans.map((p) => ({
      organization: { slug: p.organizationSlug, name: p.organizationName },
      fiscalYear: p.fiscalYear,
      documentStatus: p.publishedDocumentStatus ?? p.documentStatus,
      revision: p.publishedRevision,
      url: publicPlanPath(p.organizationSlug, p.fiscalYear),
      json: `/api/v1${publicPlanPath(p.organizationSlug, p.fiscalYear)}`,
      text: `${publicPlanPath(p.organizationSlug, p.fiscalYear)}/text`,
    })),
    limit,
    offset,
    next: rows.length > limit ? `/api/v1/plans?limit=${limit}&offset=${offset + limit}` : null,
  });
});

apiRoutes.get('/api/v1/plans/:slug/:fiscalYear', async (c) => {
  const fiscalYear = intParam(c.req.param('fiscalYear'));
  const published = fiscalYear === undefined ? undefined : await c.var.config.store.getPublishedPlan(c.req.param('slug'), fiscalYear);
  if (!published) return c.json({ error: 'not_found', message: '公開中の運営方針が見つかりません' }, 404);
  return c.json(toPlanJson(published.revision.plan));
});

/** The JSON Schema of hoshin-plan/1, published so users can validate what they exchange. */
apiRoutes.get('/api/v1/schema/hoshin-plan-1.json', (c) => {
  c.header('Content-Type', 'application/schema+json; charset=utf-8');
  return c.body(`${JSON.stringify(PLAN_SCHEMA, null, 2)}\n`);
});
