import { Hono } from 'hono';
import { PLAN_SCHEMA, toPlanJson } from '../../formats/index.ts';
import type { AppEnv } from '../context.ts';
import { intParam } from '../respond.tsx';
import { publicPlanPath } from './public.tsx';

/** The open-data API: published plans only, in the public hoshin-plan/1 format. */
export const apiRoutes = new Hono<AppEnv>();

apiRoutes.get('/api/v1/plans', async (c) => {
  const plans = await c.var.config.store.listPublishedPlans();
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
