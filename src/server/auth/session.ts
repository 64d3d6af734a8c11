import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { User } from '../../store/store.ts';
import type { AppEnv } from '../context.ts';

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function isSecureRequest(c: Context<AppEnv>): boolean {
  const { secureCookies, trustProxy } = c.var.config;
  if (secureCookies !== 'auto') return secureCookies;
  if (trustProxy && c.req.header('x-forwarded-proto') === 'https') return true;
  return new URL(c.req.url).protocol === 'https:';
}

/** `__Host-` binds the cookie to this exact origin, but browsers accept it only when Secure. */
function cookieName(c: Context<AppEnv>, base: string): string {
  return isSecureRequest(c) ? `__Host-${base}` : base;
}

function cookieOptions(c: Context<AppEnv>, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax' as const,
    secure: isSecureRequest(c),
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}

/** Loads the signed-in user, if any, into c.var.auth. */
export function loadSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('auth', null);
    const id = getCookie(c, cookieName(c, 'hoshin_session'));
    if (id) {
      const { store, now } = c.var.config;
      const session = await store.getSession(id, now());
      const user = session ? await store.getUser(session.userId) : undefined;
      if (session && user) c.set('auth', { session, user });
    }
    await next();
  };
}

export async function startSession(c: Context<AppEnv>, user: User): Promise<void> {
  const { store, now, sessionHours } = c.var.config;
  // A new id on every sign-in, and the old session gone: nothing learned before sign-in stays valid.
  if (c.var.auth) await store.deleteSession(c.var.auth.session.id);
  deleteCookie(c, cookieName(c, 'hoshin_presession'), cookieOptions(c));
  const session = await store.createSession({
    id: randomToken(),
    userId: user.id,
    csrfToken: randomToken(),
    expiresAt: new Date(now().getTime() + sessionHours * 3600_000),
  });
  setCookie(c, cookieName(c, 'hoshin_session'), session.id, cookieOptions(c, sessionHours * 3600));
  c.set('auth', { session, user });
}

export async function endSession(c: Context<AppEnv>): Promise<void> {
  const auth = c.var.auth;
  if (auth) await c.var.config.store.deleteSession(auth.session.id);
  deleteCookie(c, cookieName(c, 'hoshin_session'), cookieOptions(c));
  c.set('auth', null);
}

/**
 * The CSRF token a form must carry: the session's own when signed in; before that (the
 * sign-in form) a random value also set as a cookie, so a forged cross-site post cannot
 * know it.
 */
export function csrfTokenFor(c: Context<AppEnv>): string {
  const auth = c.var.auth;
  if (auth) return auth.session.csrfToken;
  const name = cookieName(c, 'hoshin_presession');
  const existing = getCookie(c, name);
  if (existing) return existing;
  const token = randomToken();
  setCookie(c, name, token, cookieOptions(c, 3600));
  return token;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** Every state-changing request must carry the form's token, and come from our own origin when the browser says where from. */
export function csrfProtection(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const origin = c.req.header('origin');
    if (origin && origin !== 'null' && originHost(origin) !== (c.req.header('host') ?? new URL(c.req.url).host)) {
      return c.text('別のサイトからの送信は受け付けません', 403);
    }
    const contentType = c.req.header('content-type') ?? '';
    const body = /^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(contentType) ? await c.req.parseBody() : {};
    const sent = typeof body['_csrf'] === 'string' ? body['_csrf'] : '';
    const expected = c.var.auth?.session.csrfToken ?? getCookie(c, cookieName(c, 'hoshin_presession')) ?? '';
    if (sent === '' || expected === '' || !sameToken(sent, expected)) {
      return c.text('フォームの有効期限が切れたか、不正な送信です。ページを開き直してからもう一度送信してください。', 403);
    }
    return next();
  };
}
