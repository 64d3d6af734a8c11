/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { ORGANIZATION_KIND_LABELS, createOrganization } from '../../app/organizations.ts';
import { ForbiddenError, ValidationError } from '../../app/errors.ts';
import { createUser, deleteUser, MIN_PASSWORD, updateUser } from '../../app/users.ts';
import { ROLES } from '../../domain/workflow.ts';
import { NotFoundError } from '../../store/store.ts';
import { isAdmin, ROLE_LABELS } from '../../app/policy.ts';
import type { AppEnv } from '../context.ts';
import { csrfInput, forbidden, formFields, intParam, notFound, page, userOf } from '../respond.tsx';

/** Users and organizations; administrators only. */
export const adminRoutes = new Hono<AppEnv>();

adminRoutes.use('/admin', async (c, next) => (isAdmin(userOf(c)) ? next() : forbidden(c)));
adminRoutes.use('/admin/*', async (c, next) => (isAdmin(userOf(c)) ? next() : forbidden(c)));

const DONE: Record<string, string> = {
  created: 'ユーザーを作成しました。', updated: 'ユーザーを更新しました。', deleted: 'ユーザーを削除しました。', organization: '組織を作成しました。',
};
const KINDS = ORGANIZATION_KIND_LABELS;

/**
 * What was typed into the form that failed, to show it again beside the error: without it an
 * administrator retypes every field to fix one. Never holds a password (`typedIn` drops it).
 */
type Typed =
  | { form: 'newUser'; values: Record<string, string> }
  | { form: 'user'; userId: number; values: Record<string, string> }
  | { form: 'organization'; values: Record<string, string> };

function typedIn(form: Record<string, string>): Record<string, string> {
  const { password: _password, _csrf: _token, ...rest } = form;
  return rest;
}

async function adminPage(c: Context<AppEnv>, errors: readonly string[] = [], status: 200 | 409 | 422 = 200, typed?: Typed) {
  const { store } = c.var.config;
  const newUser = typed?.form === 'newUser' ? typed.values : undefined;
  const org = typed?.form === 'organization' ? typed.values : undefined;
  const userTyped = (id: number) => (typed?.form === 'user' && typed.userId === id ? typed.values : undefined);
  const orgIdOf = (v: string | undefined) => (v === undefined ? undefined : intParam(v) ?? null);
  const [users, organizations] = await Promise.all([store.listUsers(), store.listOrganizations()]);
  const orgName = new Map(organizations.map((o) => [o.id, o.name]));
  const doneKey = c.req.query('done') ?? '';
  const done = Object.hasOwn(DONE, doneKey) ? DONE[doneKey] : undefined;
  const RoleSelect = ({ id, value }: { id: string; value?: string }) => (
    <select id={id} name="role">{ROLES.map((r) => <option value={r} selected={r === value}>{ROLE_LABELS[r]}</option>)}</select>
  );
  const OrgSelect = ({ id, value }: { id: string; value?: number | null }) => (
    <select id={id} name="organizationId">
      <option value="">(なし: 管理者・市の企画担当)</option>
      {organizations.map((o) => <option value={String(o.id)} selected={o.id === value}>{o.name}</option>)}
    </select>
  );
  return page(c, '管理', (
    <>
      <h1>管理</h1>
      <p><a href="/admin/scales">評価尺度(市ごと)</a></p>
      {done ? <p class="flash" role="status">{done}</p> : null}
      {errors.length === 1 ? <p class="problems" role="alert">{errors[0]}</p> : null}
      {errors.length > 1 ? <ul class="problems" role="alert">{errors.map((e) => <li>{e}</li>)}</ul> : null}
      <h2>ユーザー</h2>
      <table>
        <caption>ユーザーの一覧</caption>
        <thead><tr><th scope="col">ユーザー名</th><th scope="col">表示名</th><th scope="col">役割</th><th scope="col">組織</th><th scope="col">変更</th></tr></thead>
        <tbody>
          {users.map((u) => {
            const t = userTyped(u.id);
            return (
            <tr>
              <th scope="row">{u.username}</th><td>{u.displayName}</td><td>{ROLE_LABELS[u.role]}</td><td>{u.organizationId === null ? '-' : orgName.get(u.organizationId)}</td>
              <td>
                <details open={t !== undefined}>
                  <summary>{`${u.username} を変更`}</summary>
                  <form method="post" action={`/admin/users/${u.id}`} class="stack">
                    {csrfInput(c)}
                    <label for={`dn-${u.id}`}>表示名</label><input type="text" id={`dn-${u.id}`} name="displayName" value={t?.['displayName'] ?? u.displayName} />
                    <label for={`role-${u.id}`}>役割</label><RoleSelect id={`role-${u.id}`} value={t?.['role'] ?? u.role} />
                    <label for={`org-${u.id}`}>組織</label><OrgSelect id={`org-${u.id}`} value={t ? orgIdOf(t['organizationId']) : u.organizationId} />
                    <label for={`pw-${u.id}`}>{`新しいパスワード(変更する場合のみ、${MIN_PASSWORD}文字以上)`}</label>
                    <input type="password" id={`pw-${u.id}`} name="password" autocomplete="new-password" />
                    <div class="tools">
                      <button type="submit" name="action" value="update" class="primary">更新</button>
                      <button type="submit" name="action" value="delete" class="danger">削除</button>
                    </div>
                  </form>
                </details>
              </td>
            </tr>
            );
          })}
        </tbody>
      </table>
      <h3>ユーザーを作成</h3>
      <form method="post" action="/admin/users" class="stack">
        {csrfInput(c)}
        <label for="new-username">ユーザー名(半角英数字と . _ -)</label><input type="text" id="new-username" name="username" autocomplete="off" value={newUser?.['username']} />
        <label for="new-displayName">表示名</label><input type="text" id="new-displayName" name="displayName" value={newUser?.['displayName']} />
        <label for="new-role">役割</label><RoleSelect id="new-role" value={newUser?.['role'] ?? 'editor'} />
        <label for="new-org">組織(編集者・承認者は必須)</label><OrgSelect id="new-org" value={orgIdOf(newUser?.['organizationId'])} />
        <label for="new-password">{`初期パスワード(${MIN_PASSWORD}文字以上)`}</label><input type="password" id="new-password" name="password" autocomplete="new-password" />
        <div class="tools"><button type="submit" class="primary">作成</button></div>
      </form>
      <h2>組織</h2>
      <table>
        <caption>組織の一覧</caption>
        <thead><tr><th scope="col">名称</th><th scope="col">種類</th><th scope="col">URL名</th><th scope="col">団体コード</th><th scope="col">所属</th></tr></thead>
        <tbody>{organizations.map((o) => <tr><th scope="row">{o.name}</th><td>{KINDS[o.kind]}</td><td>{o.slug}</td><td>{o.code ?? '-'}</td><td>{o.parentId === null ? '-' : orgName.get(o.parentId)}</td></tr>)}</tbody>
      </table>
      <h3>組織を作成</h3>
      <form method="post" action="/admin/organizations" class="stack">
        {csrfInput(c)}
        <label for="org-name">名称(例: 西区)</label><input type="text" id="org-name" name="name" value={org?.['name']} />
        <label for="org-kana">かな</label><input type="text" id="org-kana" name="kana" value={org?.['kana']} />
        <label for="org-slug">URL名(半角英小文字、例: nishi)</label><input type="text" id="org-slug" name="slug" value={org?.['slug']} />
        <label for="org-code">全国地方公共団体コード(6桁、任意)</label><input type="text" id="org-code" name="code" value={org?.['code']} />
        <label for="org-kind">種類</label>
        <select id="org-kind" name="kind">{Object.entries(KINDS).map(([k, v]) => <option value={k} selected={k === (org?.['kind'] ?? 'ward')}>{v}</option>)}</select>
        <label for="org-parent">所属する市</label>
        <select id="org-parent" name="parentId"><option value="">(なし)</option>{organizations.filter((o) => o.kind === 'city').map((o) => <option value={String(o.id)} selected={String(o.id) === org?.['parentId']}>{o.name}</option>)}</select>
        <div class="tools"><button type="submit" class="primary">作成</button></div>
      </form>
    </>
  ), status);
}

adminRoutes.get('/admin', (c) => adminPage(c));

/** The form's organization: '' is none; anything else not an id reaches the use case as NaN and is refused there. */
function organizationIdOf(value: string | undefined): number | null {
  return value === undefined || value === '' ? null : intParam(value) ?? Number.NaN;
}

/** The page for a use case's refusal, or undefined when the error is not one (it propagates). */
function refusal(c: Context<AppEnv>, e: unknown, typed?: Typed): Promise<Response> | undefined {
  if (e instanceof ValidationError) return adminPage(c, Object.values(e.problems), e.taken ? 409 : 422, typed);
  if (e instanceof ForbiddenError) return forbidden(c, e.message);
  if (e instanceof NotFoundError) return notFound(c);
  return undefined;
}

adminRoutes.post('/admin/users', async (c) => {
  const form = await formFields(c);
  const typed: Typed = { form: 'newUser', values: typedIn(form) };
  try {
    await createUser(c.var.config.store, userOf(c), {
      username: form['username'] ?? '', displayName: form['displayName'] ?? '', role: form['role'] ?? '',
      organizationId: organizationIdOf(form['organizationId']), password: form['password'] ?? '',
    });
  } catch (e) {
    const page = refusal(c, e, typed);
    if (page) return page;
    throw e;
  }
  return c.redirect('/admin?done=created', 303);
});

adminRoutes.post('/admin/users/:userId', async (c) => {
  const { store } = c.var.config;
  const id = intParam(c.req.param('userId'));
  const target = id === undefined ? undefined : await store.getUser(id);
  if (!target) return notFound(c);
  const form = await formFields(c);
  const me = userOf(c);
  if (form['action'] === 'delete') {
    try {
      await deleteUser(store, me, target.id);
    } catch (e) {
      const page = refusal(c, e);
      if (page) return page;
      throw e;
    }
    return c.redirect('/admin?done=deleted', 303);
  }
  const typed: Typed = { form: 'user', userId: target.id, values: typedIn(form) };
  try {
    await updateUser(store, me, target.id, {
      displayName: form['displayName'] ?? '', role: form['role'] ?? '',
      organizationId: organizationIdOf(form['organizationId']), password: form['password'] ?? '',
    });
  } catch (e) {
    const page = refusal(c, e, typed);
    if (page) return page;
    throw e;
  }
  return c.redirect('/admin?done=updated', 303);
});

adminRoutes.post('/admin/organizations', async (c) => {
  const form = await formFields(c);
  const typed: Typed = { form: 'organization', values: typedIn(form) };
  try {
    await createOrganization(c.var.config.store, userOf(c), {
      name: form['name'] ?? '', kana: form['kana'] ?? '', slug: form['slug'] ?? '', code: form['code'] ?? '',
      kind: form['kind'] ?? '', parentId: organizationIdOf(form['parentId']),
    });
  } catch (e) {
    const page = refusal(c, e, typed);
    if (page) return page;
    throw e;
  }
  return c.redirect('/admin?done=organization', 303);
});
