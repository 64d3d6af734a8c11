import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { MAX_DOCUMENT_BYTES } from '../formats/index.ts';
import { csrfProtection, loadSession } from './auth/session.ts';
import { resolveConfig, type AppEnv, type AppOptions } from './context.ts';
import { FormError } from './form/fields.ts';
import { badRequest, formGuard, notFound, payloadTooLarge, requireSignIn, serverError } from './respond.tsx';
import { adminRoutes } from './routes/admin.tsx';
import { apiRoutes } from './routes/api.ts';
import { authRoutes } from './routes/auth.tsx';
import { editorRoutes } from './routes/editor.tsx';
import { indicatorRoutes } from './routes/indicators.tsx';
import { calendarRoutes } from './routes/calendar.tsx';
import { openDataRoutes } from './routes/open-data.ts';
import { reviewRoutes } from './routes/reviews.tsx';
import { scaleRoutes } from './routes/scales.tsx';
import { planRoutes } from './routes/plan.tsx';
import { publicRoutes } from './routes/public.tsx';
import { staffRoutes } from './routes/staff.tsx';
import { securityHeaders } from './security.ts';
import { planPdfFormat, planXlsxFormat } from './published/documents.ts';
import { fastPublished, fastRoute, type PublishedFormat } from './published/serve.ts';
import { planJson1Format, planJson2Format } from './routes/api.ts';
import { initiativesCsvFormat, measurementsCsvFormat } from './routes/open-data.ts';
import { planPageFormat, planTextFormat, serveIndex } from './routes/public.tsx';
import { STYLE_CSS } from './views/style.ts';

export type { AppOptions } from './context.ts';

/** Every request body but the two below, and every body of a visitor not signed in. */
export const FORM_BODY_LIMIT = 1024 * 1024;
/** Where plan documents are uploaded (multipart), and its limit: the document's own plus the form around it. */
export const UPLOAD_PATH = '/staff/plans';
export const UPLOAD_BODY_LIMIT = MAX_DOCUMENT_BYTES + 64 * 1024;
/**
 * The editor's form (POST /staff/plans/:id/edit) carries the whole plan, form-encoded (and so
 * may a review form's conflict screen, which carries the user's version of the plan): a
 * Japanese character is 9 bytes, so a plan at the limits of docs/limits.md (300,000
 * characters and its field names) posts about 4 MB.
 */
export const EDITOR_PATH = /^\/staff\/plans\/\d+\/(?:edit|reviews\/(?:midYear|yearEnd))$/;
export const EDITOR_BODY_LIMIT = 6 * 1024 * 1024;

/** Every cached public response by its path; each also has its ordinary route, which serves what the fast path declines. */
const PUBLISHED_ROUTES: readonly [string, PublishedFormat][] = [
  ['/plans/:slug/:fiscalYear', planPageFormat],
  ['/plans/:slug/:fiscalYear/text', planTextFormat],
  ['/plans/:slug/:fiscalYear/plan.pdf', planPdfFormat],
  ['/plans/:slug/:fiscalYear/plan.xlsx', planXlsxFormat],
  ['/plans/:slug/:fiscalYear/initiatives.csv', initiativesCsvFormat],
  ['/plans/:slug/:fiscalYear/measurements.csv', measurementsCsvFormat],
  ['/api/v1/plans/:slug/:fiscalYear', planJson1Format],
  ['/api/v2/plans/:slug/:fiscalYear', planJson2Format],
];

/** A control character in a path, raw or percent-encoded (C0 and DEL). */
const CONTROL_IN_PATH = /%(?:[01][0-9a-f]|7f)|\p{Cc}/iu;

/**
 * The whole web application as a Hono app, with the store passed in: `npm start` serves
 * it over node's HTTP server, tests call `app.request()` in-process.
 */
export function createApp(options: AppOptions): Hono<AppEnv> {
  const config = resolveConfig(options);
  const app = new Hono<AppEnv>();

  // A visitor reading a published plan is answered from the cache before any middleware runs
  // (docs/caching.md); everything else, and whatever the fast path declines, goes on below.
  app.get('/', fastRoute(config, true, serveIndex));
  for (const [path, format] of PUBLISHED_ROUTES) app.get(path, fastPublished(config, format));
  app.use('*', securityHeaders());
  app.use('*', async (c, next) => {
    c.set('config', config);
    await next();
  });
  // No page has a control character in its path, and PostgreSQL refuses NUL in a query:
  // a path like /plans/nishi%00/2017 is simply not found, before any route looks it up.
  app.use('*', async (c, next) => (CONTROL_IN_PATH.test(new URL(c.req.url).pathname) ? notFound(c) : next()));
  app.use('*', loadSession());
  // Bounded before anything reads or stores the body; only a signed-in user may send a plan's worth.
  const formLimit = bodyLimit({ maxSize: FORM_BODY_LIMIT, onError: (c) => payloadTooLarge(c, FORM_BODY_LIMIT) });
  const uploadLimit = bodyLimit({ maxSize: UPLOAD_BODY_LIMIT, onError: (c) => payloadTooLarge(c, MAX_DOCUMENT_BYTES) });
  const editorLimit = bodyLimit({ maxSize: EDITOR_BODY_LIMIT, onError: (c) => payloadTooLarge(c, EDITOR_BODY_LIMIT) });
  app.use('*', (c, next) => {
    const plan = c.var.auth && c.req.method === 'POST';
    const limit = plan && c.req.path === UPLOAD_PATH ? uploadLimit : plan && EDITOR_PATH.test(c.req.path) ? editorLimit : formLimit;
    return limit(c, next);
  });
  // Any write through this process may change what is published (a publish, a withdrawal, a
  // measurement, a city's scale): re-read publication state on the next public request rather
  // than wait out the cache's revalidation interval. Cached bytes stay valid (their key names
  // their inputs); only what is current is asked again.
  app.use('*', async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.var.auth) config.published.changed();
  });
  app.use('*', formGuard());
  app.use('*', csrfProtection());
  app.use('/staff', requireSignIn());
  app.use('/staff/*', requireSignIn());
  app.use('/admin', requireSignIn());
  app.use('/admin/*', requireSignIn());

  app.get('/static/style.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(STYLE_CSS);
  });
  app.route('/', publicRoutes);
  app.route('/', apiRoutes);
  app.route('/', openDataRoutes);
  app.route('/', authRoutes);
  app.route('/', staffRoutes);
  app.route('/', planRoutes);
  app.route('/', editorRoutes);
  app.route('/', reviewRoutes);
  app.route('/', indicatorRoutes);
  app.route('/', calendarRoutes);
  app.route('/', adminRoutes);
  app.route('/', scaleRoutes);

  app.notFound((c) => notFound(c));
  app.onError((err, c) => {
    if (err instanceof FormError) return badRequest(c, err.message);
    console.error(err);
    return serverError(c);
  });
  return app;
}
