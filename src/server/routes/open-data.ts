import { Hono, type Context } from 'hono';
import {
  CSV_MEDIA_TYPE, initiativesCsv, initiativesCsvBody, initiativesCsvHead, measurementsCsv,
} from '../../formats/csv/open-data.ts';
import type { Store } from '../../store/store.ts';
import { organizationNamer } from '../../app/open-data.ts';
import type { AppEnv } from '../context.ts';
import type { PublishedSnapshot } from '../published/cache.ts';
import { servePublished, type PublishedFormat } from '../published/serve.ts';
import { notFound } from '../respond.tsx';

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

/** Download names as before the cache: ASCII, so every browser keeps them. */
const csvName = (p: PublishedSnapshot, what: string) => {
  const name = `${p.organization.slug}-${p.summary.fiscalYear}-${what}.csv`.replace(/[^A-Za-z0-9_.-]/g, '_');
  return { name, ascii: name };
};

export const initiativesCsvFormat: PublishedFormat = {
  name: 'initiatives.csv',
  mediaType: CSV_MEDIA_TYPE,
  compress: true,
  fileName: (p) => csvName(p, 'initiatives'),
  async render({ store, published }) {
    return initiativesCsv(published.revision.plan, await organizationNamer(store)(published.organization));
  },
};

export const measurementsCsvFormat: PublishedFormat = {
  name: 'measurements.csv',
  mediaType: CSV_MEDIA_TYPE,
  compress: true,
  fileName: (p) => csvName(p, 'measurements'),
  async render({ store, published, measurements }) {
    return measurementsCsv(published.revision.plan, await organizationNamer(store)(published.organization), measurements);
  },
};

openDataRoutes.get('/plans/:slug/:fiscalYear/initiatives.csv', (c) => servePublished(c, initiativesCsvFormat, () => notFound(c)));
openDataRoutes.get('/plans/:slug/:fiscalYear/measurements.csv', (c) => servePublished(c, measurementsCsvFormat, () => notFound(c)));

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
