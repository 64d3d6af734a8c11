/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { clientIp } from '../auth/client-ip.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import { csrfTokenFor, endSession, startSession } from '../auth/session.ts';
import type { AppEnv } from '../context.ts';
import { formFields, page } from '../respond.tsx';
import { safeRedirectPath } from '../safe-redirect.ts';

export const authRoutes = new Hono<AppEnv>();

/** Only paths on this site, never "//evil.example" nor its disguises (see safe-redirect.ts). */
function safeNext(next: string | undefined): string {
  return safeRedirectPath(next);
}

// Compared against when the user name is unknown, so both cases take the same time.
const dummyHash = hashPassword('hoshin-dummy-password');

function signInPage(c: Context<AppEnv>, opts: { username?: string; next?: string; error?: string; status?: 200 | 401 | 429 }) {
  const token = csrfTokenFor(c);
  return page(c, 'サインイン', (
    <>
      <h1>職員サインイン</h1>
      <p>運営方針を作成・承認する職員の方はサインインしてください。区民の方はサインインせずに <a href="/">公開中の運営方針</a> を読むことができます。</p>
      {opts.error ? <p class="problems" role="alert">{opts.error}</p> : null}
      <form method="post" action="/signin" class="stack">
        <input type="hidden" name="_csrf" value={token} />
        <input type="hidden" name="next" value={safeNext(opts.next)} />
        <label for="username">ユーザー名</label>
        <input type="text" id="username" name="username" value={opts.username ?? ''} autocomplete="username" required />
        <label for="password">パスワード</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required />
        <div class="tools"><button type="submit" class="primary">サインイン</button></div>
      </form>
    </>
  ), opts.status ?? 200);
}

authRoutes.get('/signin', (c) => {
  if (c.var.auth) return c.redirect(safeNext(c.req.query('next')), 303);
  return signInPage(c, { next: c.req.query('next') });
});

authRoutes.post('/signin', async (c) => {
  const { store, now, loginLimit } = c.var.config;
  const form = await formFields(c);
  // The store keeps at most 200 characters of a name tried (LOGIN_USERNAME_MAX); no account has a longer one.
  const maxUsername = 200;
  const typed = (form['username'] ?? '').trim();
  const username = typed.slice(0, maxUsername);
  const password = form['password'] ?? '';
  const ip = clientIp(c);
  const since = new Date(now().getTime() - loginLimit.windowMinutes * 60_000);
  // Reserved before the (slow) password check, counted and recorded in one step: a burst of
  // simultaneous guesses gets only the limit through, not one check each.
  const attempt = await store.beginLoginAttempt({
    username, ip, since, at: now(),
    maxPerUser: loginLimit.maxFailures,
    maxPerIp: loginLimit.maxFailures * 4,
  });
  if (!attempt.allowed) {
    await store.appendAudit({ actor: 'anonymous', action: 'login.throttled', item: username, ip });
    return signInPage(c, {
      username, next: form['next'], status: 429,
      error: `サインインの失敗が続いたため、一時的に受け付けを止めています。${loginLimit.windowMinutes}分ほどおいてから、もう一度お試しください。`,
    });
  }
  const user = typed.length > maxUsername ? undefined : await store.getUserByUsername(username);
  const ok = user ? await verifyPassword(password, user.passwordHash) : (await verifyPassword(password, await dummyHash), false);
  await store.finishLoginAttempt(attempt.attemptId, ok);
  if (!user || !ok) {
    // No one is signed in: the name tried is the item, so guesses at 'admin' never read as admin's own actions.
    await store.appendAudit({ actor: 'anonymous', action: 'login.failed', item: username, ip });
    return signInPage(c, { username, next: form['next'], status: 401, error: 'ユーザー名またはパスワードが正しくありません。' });
  }
  await startSession(c, user);
  await store.appendAudit({ actor: user.username, action: 'login', ip });
  return c.redirect(safeNext(form['next']), 303);
});

authRoutes.post('/signout', async (c) => {
  await endSession(c);
  return c.redirect('/', 303);
});
