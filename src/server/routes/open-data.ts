import { Hono, type Context } from 'hono';
import {
  CSV_MEDIA_TYPE, initiativesCsv, initiativesCsvBody, initiativesCsvHead, measurementsCsv,
} from '../../formats/csv/open-data.ts';
import type { Store } from '../../store/store.ts';
import { organizationNamer } from '../../app/open-data.ts';
import type { AppEnv } from '../context.ts';
import { intParam, notFound } from '../respond.tsx';

/**
 * Open data as CSV (src/formats/csv/open-data.ts): a published plan's initiatives and
 * measurements, one file each, and every published plan's initiatives in one file, streamed.
 * Published revisions only; anything else is not found, as on the public page.
 */
export const openDataRoutes = new Hono<AppEnv>();

/** Plans read per store query while streaming the national file: bounded memory, few queries. */
export const OPEN_DATA_PAGE_SIZE = 100;

/** The file name a download is saved under: ASCII only, so every browser keeps it. */
function attachment(c: Context<AppEnv>, name: string): void {
  c.header('Content-Type', CSV_MEDIA_TYPE);
  c.header('Content-Disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9_.-]/g, '_')}"`);
}

async function findPublished(c: Context<AppEnv>) {
  const fiscalYear = intParam(c.req.param('fiscalYear'));
  const slug = c.req.param('slug');
  if (fiscalYear === undefined || slug === undefined) return undefined;
  return c.var.config.store.getPublishedPlan(slug, fiscalYear);
}

openDataRoutes.get('/plans/:slug/:fiscalYear/initiatives.csv', async (c) => {
  const published = await findPublished(c);
  if (!published) return notFound(c);
  const { organization, revision } = published;
  const name = await organizationNamer(c.var.config.store)(organization);
  attachment(c, `${organization.slug}-${revision.plan.fiscalYear}-initiatives.csv`);
  return c.body(initiativesCsv(revision.plan, name));
});

openDataRoutes.get('/plans/:slug/:fiscalYear/measurements.csv', async (c) => {
  const published = await findPublished(c);
  if (!published) return notFound(c);
  const { store } = c.var.config;
  const { organization, revision, summary } = published;
  const [name, measurements] = await Promise.all([organizationNamer(store)(organization), store.listMeasurements(summary.id)]);
  attachment(c, `${organization.slug}-${revision.plan.fiscalYear}-measurements.csv`);
  return c.body(measurementsCsv(revision.plan, name, measurements));
});

/**
 * Every published plan's initiatives, one plan at a time: a page of plan summaries is read
 * when the last is used up, and a plan's rows are made only when the client is ready for
 * them (pull), so memory holds one page of summaries and one plan, however many plans the
 * store has. A plan published or withdrawn while the file streams may shift the pages: the
 * file is then one plan short or has one twice, as any paged listing would.
 */
export function publishedInitiativesStream(store: Store, pageSize = OPEN_DATA_PAGE_SIZE): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const nameOf = organizationNamer(store);
  let pending: { organizationSlug: string; fiscalYear: number }[] = [];
  let offset = 0;
  let exhausted = false;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(initiativesCsvHead()));
          return;
        }
        for (;;) {
          if (pending.length === 0) {
            if (exhausted) {
              controller.close();
              return;
            }
            const page = await store.listPublishedPlans({ limit: pageSize, offset });
            offset += page.length;
            exhausted = page.length < pageSize;
            pending = page.map((p) => ({ organizationSlug: p.organizationSlug, fiscalYear: p.fiscalYear }));
            continue;
          }
          const next = pending.shift()!;
          // Withdrawn since its page was read: left out.
          const published = await store.getPublishedPlan(next.organizationSlug, next.fiscalYear);
          if (!published) continue;
          const body = initiativesCsvBody(published.revision.plan, await nameOf(published.organization));
          if (body === '') continue;
          controller.enqueue(encoder.encode(body));
          return;
        }
      } catch (err) {
        // Headers are sent by now: the client sees a cut-off download, the log says why.
        console.error(err);
        controller.error(err);
      }
    },
  }, { highWaterMark: 0 });
}

openDataRoutes.get('/api/v2/plans.csv', (c) => {
  attachment(c, 'hoshin-initiatives.csv');
  return c.body(publishedInitiativesStream(c.var.config.store));
});
