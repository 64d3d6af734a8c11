/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Context, MiddlewareHandler } from 'hono';
import type { Child } from 'hono/jsx';
import type { User } from '../store/store.ts';
import { clientIp } from './auth/client-ip.ts';
import { ROLE_LABELS } from '../app/policy.ts';
import type { AppEnv } from './context.ts';
import { checkFormEntries, FormError, isFormContentType, stringFields } from './form/fields.ts';
import { Layout, renderPage, type Viewer } from './views/layout.tsx';

type Status = 200 | 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503;

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

/** The refusal of a request the server cannot read: a broken or unsafe form. */
export function badRequest(c: Context<AppEnv>, message: string): Promise<Response> {
  return page(c, '送信内容を受け付けられません', (
    <>
      <h1>送信内容を受け付けられません</h1>
      <p role="alert">{message}</p>
      <p>前のページに戻り、入力し直してから送信してください。</p>
    </>
  ), 400);
}

export function payloadTooLarge(c: Context<AppEnv>, maxBytes: number): Promise<Response> {
  return page(c, '送信内容が大きすぎます', (
    <>
      <h1>送信内容が大きすぎます</h1>
      <p role="alert">{`一度に送信できるのは${formatBytes(maxBytes)}までです。内容を減らしてから、もう一度送信してください。`}</p>
    </>
  ), 413);
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.floor(n / (1024 * 1024))}MB` : `${Math.floor(n / 1024)}KB`;
}

/**
 * The posted form, read and checked once (FormError when it cannot be parsed or carries a
 * name or value no route may take in). Hono caches the parsed FormData, so the CSRF check
 * and the route read the same one.
 */
async function checkedForm(c: Context<AppEnv>): Promise<FormData> {
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw new FormError('送信されたフォームの形式が正しくないため、読み取れませんでした。ページを開き直してから送信してください。');
  }
  checkFormEntries(form);
  return form;
}

/**
 * Before the CSRF check and every route: a form body that does not parse, or whose field
 * names could reach Object.prototype, is answered 400 here, never 500 deeper in.
 */
export function formGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || !isFormContentType(c.req.header('content-type'))) return next();
    try {
      await checkedForm(c);
    } catch (e) {
      if (e instanceof FormError) return badRequest(c, e.message);
      throw e;
    }
    return next();
  };
}

/** Form fields as strings, in an object without a prototype (files ignored; the last of repeated fields wins). */
export async function formFields(c: Context<AppEnv>): Promise<Record<string, string>> {
  if (!isFormContentType(c.req.header('content-type'))) return Object.create(null) as Record<string, string>;
  return stringFields(await checkedForm(c));
}

export function csrfInput(c: Context<AppEnv>) {
  return <input type="hidden" name="_csrf" value={c.var.auth?.session.csrfToken ?? ''} />;
}
