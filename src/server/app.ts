import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { MAX_DOCUMENT_BYTES } from '../formats/index.ts';
import { csrfProtection, loadSession } from './auth/session.ts';
import { resolveConfig, type AppEnv, type AppOptions } from './context.ts';
import { notFound, requireSignIn, serverError } from './respond.tsx';
import { adminRoutes } from './routes/admin.tsx';
import { apiRoutes } from './routes/api.ts';
import { authRoutes } from './routes/auth.tsx';
import { editorRoutes } from './routes/editor.tsx';
import { planRoutes } from './routes/plan.tsx';
import { publicRoutes } from './routes/public.tsx';
import { staffRoutes } from './routes/staff.tsx';
import { securityHeaders } from './security.ts';
import { STYLE_CSS } from './views/style.ts';

export type { AppOptions } from './context.ts';

/**
 * The whole web application as a Hono app, with the store passed in: `npm start` serves
 * it over node's HTTP server, tests call `app.request()` in-process.
 */
export function createApp(options: AppOptions): Hono<AppEnv> {
  const config = resolveConfig(options);
  const app = new Hono<AppEnv>();

  app.use('*', securityHeaders());
  app.use('*', async (c, next) => {
    c.set('config', config);
    await next();
  });
  // An uploaded document may be up to MAX_DOCUMENT_BYTES; the editor's form is far smaller.
  app.use('*', bodyLimit({ maxSize: MAX_DOCUMENT_BYTES + 1024 * 1024, onError: (c) => c.text('送信されたデータが大きすぎます', 413) }));
  app.use('*', loadSession());
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
  app.route('/', authRoutes);
  app.route('/', staffRoutes);
  app.route('/', planRoutes);
  app.route('/', editorRoutes);
  app.route('/', adminRoutes);

  app.notFound((c) => notFound(c));
  app.onError((err, c) => {
    console.error(err);
    return serverError(c);
  });
  return app;
}
