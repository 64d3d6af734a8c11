/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Context, MiddlewareHandler } from 'hono';
import type { Child } from 'hono/jsx';
import type { User } from '../store/store.ts';
import { clientIp } from './auth/client-ip.ts';
import { ROLE_LABELS } from './auth/policy.ts';
import type { AppEnv } from './context.ts';
import { Layout, renderPage, type Viewer } from './views/layout.tsx';

type Status = 200 | 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500;

export function viewerOf(c: Context<AppEnv>): Viewer | null {
  const auth = c.var.auth;
  if (!auth) return null;
  return {
    displayName: auth.user.displayName,
    roleLabel: ROLE_LABELS[auth.user.role],
    isAdmin: auth.user.role === 'admin',
    csrfToken: auth.session.csrfToken,
  };
}

export async function page(c: Context<AppEnv>, title: string, body: Child, status: Status = 200): Promise<Response> {
  return c.html(await renderPage(<Layout title={title} viewer={viewerOf(c)}>{body}</Layout>), status);
}

export function notFound(c: Context<AppEnv>): Promise<Response> {
  return page(c, 'ページが見つかりません', (
    <>
      <h1>ページが見つかりません</h1>
      <p>お探しのページは存在しないか、公開されていません。</p>
      <p><a href="/">公開中の運営方針の一覧へ</a></p>
    </>
  ), 404);
}

/**
 * The 403 page. Every refusal is audited first: who tried what (method and path), on which
 * plan when there is one, and from where.
 */
export async function forbidden(
  c: Context<AppEnv>,
  reason = 'このページを見る、またはこの操作をする権限がありません。',
  on: { planId?: number; organizationId?: number } = {},
): Promise<Response> {
  await c.var.config.store.appendAudit({
    actor: c.var.auth?.user.username ?? 'anonymous',
    action: 'permission.denied',
    ...on,
    item: `${c.req.method} ${new URL(c.req.url).pathname}`,
    ip: clientIp(c),
  });
  return page(c, '権限がありません', (
    <>
      <h1>権限がありません</h1>
      <p>{reason}</p>
      <p><a href="/staff">職員用ページへ</a></p>
    </>
  ), 403);
}

export function serverError(c: Context<AppEnv>): Promise<Response> {
  return page(c, 'エラー', (
    <>
      <h1>エラーが発生しました</h1>
      <p>申し訳ありません。処理中に問題が起きました。しばらくしてからもう一度お試しください。</p>
    </>
  ), 500);
}

/** Staff pages: signed-out visitors go to the sign-in page and come back afterwards. */
export function requireSignIn(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.var.auth) return next();
    if (c.req.method !== 'GET') return c.text('サインインが必要です', 401);
    const url = new URL(c.req.url);
    return c.redirect(`/signin?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
  };
}

/** The signed-in user; only for routes behind requireSignIn. */
export function userOf(c: Context<AppEnv>): User {
  const auth = c.var.auth;
  if (!auth) throw new Error('userOf() outside requireSignIn()');
  return auth.user;
}

/** A positive integer from a path parameter, or undefined. */
export function intParam(value: string | undefined): number | undefined {
  return value !== undefined && /^[1-9]\d{0,8}$/.test(value) ? Number(value) : undefined;
}

/** Form fields as strings (files and repeated fields ignored). */
export async function formFields(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function csrfInput(c: Context<AppEnv>) {
  return <input type="hidden" name="_csrf" value={c.var.auth?.session.csrfToken ?? ''} />;
}
