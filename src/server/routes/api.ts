import { Hono, type Context } from 'hono';
import { withMeasurements } from '../../domain/pdca/measurements.ts';
import { OSAKA_RATING_SCALES } from '../../domain/pdca/rating-scales.ts';
import { usedScaleNames, withUsedScales } from '../../domain/pdca/plan-rules.ts';
import type { Plan, RatingScales } from '../../domain/plan.ts';
import { PLAN_FORMAT_2, PLAN_SCHEMA, PLAN_SCHEMA_2, toPlanJson } from '../../formats/index.ts';
import type { MeasurementRecord, PublishedPlan, RatingScaleRecord, Store } from '../../store/store.ts';
import { servePublished, type PublishedFormat } from '../published/serve.ts';
import type { AppEnv } from '../context.ts';
import { publicPlanPath } from './public.tsx';

/**
 * The open-data API: published plans only. /api/v1 serves hoshin-plan/1 (the /2 keys left
 * out, so no existing consumer breaks); /api/v2 serves hoshin-plan/2 with the measurements
 * kept beside the plan filled in and the rating scales its reviews use.
 */
export const apiRoutes = new Hono<AppEnv>();

/** Page size of /api/v1/plans: the default and the most one request may ask for. */
export const PLANS_PAGE_LIMIT = 1000;

function countParam(value: string | undefined, fallback: number, min: number, max: number): number | undefined {
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

/** One page of published plans, each with its links in the API version asked for. */
async function listPlans(c: Context<AppEnv>, version: 'v1' | 'v2') {
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
      json: `/api/${version}${publicPlanPath(p.organizationSlug, p.fiscalYear)}`,
      text: `${publicPlanPath(p.organizationSlug, p.fiscalYear)}/text`,
      // Every download, each served with its own media type (docs/caching.md).
      pdf: `${publicPlanPath(p.organizationSlug, p.fiscalYear)}/plan.pdf`,
      xlsx: `${publicPlanPath(p.organizationSlug, p.fiscalYear)}/plan.xlsx`,
      initiativesCsv: `${publicPlanPath(p.organizationSlug, p.fiscalYear)}/initiatives.csv`,
      measurementsCsv: `${publicPlanPath(p.organizationSlug, p.fiscalYear)}/measurements.csv`,
    })),
    limit,
    offset,
    next: rows.length > limit ? `/api/${version}/plans?limit=${limit}&offset=${offset + limit}` : null,
  });
}

apiRoutes.get('/api/v1/plans', (c) => listPlans(c, 'v1'));
apiRoutes.get('/api/v2/plans', (c) => listPlans(c, 'v2'));

const apiNotFound = (c: Context<AppEnv>) => c.json({ error: 'not_found', message: '公開中の運営方針が見つかりません' }, 404);

/** JSON as Hono's c.json() wrote it before the cache: compact, UTF-8, application/json. */
export const planJson1Format: PublishedFormat = {
  name: 'v1.json',
  mediaType: 'application/json',
  compress: true,
  async render({ published }) {
    return JSON.stringify(toPlanJson(published.revision.plan));
  },
};

export const planJson2Format: PublishedFormat = {
  name: 'v2.json',
  mediaType: 'application/json',
  compress: true,
  async render({ published, measurements, cityScales }) {
    return JSON.stringify(toPlanJson(publishedPlan2From(published, measurements, cityScales), PLAN_FORMAT_2));
  },
};

apiRoutes.get('/api/v1/plans/:slug/:fiscalYear', (c) => servePublished(c, planJson1Format, () => apiNotFound(c)));
apiRoutes.get('/api/v2/plans/:slug/:fiscalYear', (c) => servePublished(c, planJson2Format, () => apiNotFound(c)));

/**
 * A published plan as /2 serves it: measurements filled in (they are kept beside the plan),
 * and every scale a review names defined, so the document explains itself: the plan's own,
 * else the city's (an administrator's), else Osaka's shipped ones.
 */
export async function publishedPlan2(store: Store, published: PublishedPlan): Promise<Plan> {
  const cityId = published.organization.parentId ?? published.organization.id;
  const [measurements, cityScales] = await Promise.all([store.listMeasurements(published.summary.id), store.listRatingScales(cityId)]);
  return publishedPlan2From(published, measurements, cityScales);
}

/** publishedPlan2 from what the caller has read already (the cache reads both for its key). */
export function publishedPlan2From(published: PublishedPlan, measurements: readonly MeasurementRecord[], cityScales: readonly RatingScaleRecord[]): Plan {
  const plan = withMeasurements(published.revision.plan, measurements);
  if (usedScaleNames(plan).every((name) => plan.ratingScales && Object.hasOwn(plan.ratingScales, name))) return plan;
  const city = Object.fromEntries(cityScales.map((s) => [s.name, s.options])) as RatingScales;
  return withUsedScales(plan, city, OSAKA_RATING_SCALES);
}

/** The JSON Schemas of hoshin-plan/1 and /2, published so users can validate what they exchange. */
apiRoutes.get('/api/v1/schema/hoshin-plan-1.json', (c) => {
  c.header('Content-Type', 'application/schema+json; charset=utf-8');
  return c.body(`${JSON.stringify(PLAN_SCHEMA, null, 2)}\n`);
});

apiRoutes.get('/api/v2/schema/hoshin-plan-2.json', (c) => {
  c.header('Content-Type', 'application/schema+json; charset=utf-8');
  return c.body(`${JSON.stringify(PLAN_SCHEMA_2, null, 2)}\n`);
});
