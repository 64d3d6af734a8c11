/** The use cases behind the admin page, called directly on each engine. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createOrganization, type OrganizationInput } from '../../src/app/organizations.ts';
import { ForbiddenError, ValidationError } from '../../src/app/errors.ts';
import { createUser, deleteUser, resetPassword, updateUser, type UserInput } from '../../src/app/users.ts';
import { hashPassword, verifyPassword } from '../../src/server/auth/password.ts';
import { createTestStore, type Organization, type SqlStore, type Store, type User } from '../../src/store/index.ts';
import { describeEachEngine } from '../store/engines.ts';

const deps = { hashPassword: (p: string) => hashPassword(p, { N: 1024, r: 8, p: 1 }) };
const PASSWORD = 'a long enough password';

/** The ValidationError a call throws, to look at its fields. */
async function refusal(p: Promise<unknown>): Promise<ValidationError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ValidationError);
  return e as ValidationError;
}

/** The store, with appendAudit failing inside transactions: a use case must then leave nothing behind. */
function failingAudit(store: Store): Store {
  const wrapTx = (tx: Store): Store => new Proxy(tx, {
    get: (t, k) => (k === 'appendAudit' ? () => Promise.reject(new Error('audit down')) : Reflect.get(t, k, t)),
  });
  return new Proxy(store, {
    get: (s, k) => (k === 'transaction'
      ? <T>(fn: (tx: Store) => Promise<T>) => s.transaction((tx) => fn(wrapTx(tx)))
      : Reflect.get(s, k, s)),
  });
}

describeEachEngine('admin use cases', (engine) => {
  let store: SqlStore;
  let admin: User;
  let editor: User;
  let nishi: Organization;
  let osaka: Organization;
  const userInput = (over: Partial<UserInput & { username: string }> = {}) => ({
    username: 'tanaka', displayName: '田中', role: 'editor', organizationId: nishi.id, password: PASSWORD, ...over,
  });
  const orgInput = (over: Partial<OrganizationInput> = {}): OrganizationInput => ({
    name: '堺区', kana: 'さかいく', slug: 'sakai-sakai', code: '271411', kind: 'ward', parentId: null, ...over,
  });
  const snapshot = async () => ({
    users: (await store.listUsers()).map((u) => `${u.username} ${u.role} ${u.organizationId} ${u.displayName}`),
    organizations: (await store.listOrganizations()).length,
    audit: (await store.listAudit()).length,
  });

  beforeEach(async () => {
    store = await createTestStore(engine);
    nishi = (await store.findOrganization('nishi'))!;
    osaka = (await store.listOrganizations({ kind: 'city' }))[0]!;
    admin = await store.createUser({ username: 'admin', displayName: '管理者', passwordHash: 'x', role: 'admin' });
    editor = await store.createUser({ username: 'editor', displayName: '編集者', passwordHash: 'x', role: 'editor', organizationId: nishi.id });
  });
  afterEach(async () => {
    await store.close();
  });

  it('creates a user with its audit entry', async () => {
    const user = await createUser(store, admin, userInput(), deps);
    expect(user).toMatchObject({ username: 'tanaka', displayName: '田中', role: 'editor', organizationId: nishi.id });
    expect(await verifyPassword(PASSWORD, user.passwordHash)).toBe(true);
    expect(await store.listAudit({ action: 'user.create' })).toMatchObject([{ actor: 'admin', item: 'tanaka', detail: { role: 'editor' } }]);
  });

  it('refuses bad input field by field, writing nothing', async () => {
    const before = await snapshot();
    const cases: [Partial<UserInput & { username: string }>, string, RegExp][] = [
      [{ username: 'a' }, 'username', /ユーザー名/],
      [{ username: 'x'.repeat(10_000) }, 'username', /ユーザー名/],
      [{ displayName: '田\u0000中' }, 'displayName', /表示名/],
      [{ displayName: '田\n中' }, 'displayName', /表示名/],
      [{ displayName: '田'.repeat(101) }, 'displayName', /表示名/],
      [{ password: 'short' }, 'password', /パスワード/],
      [{ password: 'p'.repeat(1025) }, 'password', /パスワード/],
      [{ role: 'constructor' }, 'role', /役割/],
      [{ role: '__proto__' }, 'role', /役割/],
      [{ role: 'approver', organizationId: null }, 'organizationId', /承認者には組織が必要です/],
      [{ role: 'planner', organizationId: nishi.id }, 'organizationId', /市の企画担当は組織に属しません/],
      [{ role: 'admin', organizationId: nishi.id }, 'organizationId', /管理者は組織に属しません/],
      [{ organizationId: Number.NaN }, 'organizationId', /組織/],
      [{ organizationId: 999_999 }, 'organizationId', /組織.*見つかりません/],
    ];
    for (const [over, field, message] of cases) {
      const e = await refusal(createUser(store, admin, userInput(over), deps));
      expect(Object.keys(e.problems), JSON.stringify(over).slice(0, 80)).toEqual([field]);
      expect(e.problems[field]).toMatch(message);
      expect(e.taken).toBe(false);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('reports every problem of one form at once', async () => {
    const e = await refusal(createUser(store, admin, userInput({ username: '!', password: '', role: 'nobody' }), deps));
    expect(Object.keys(e.problems).sort()).toEqual(['password', 'role', 'username']);
  });

  it('refuses a taken user name as taken, writing nothing', async () => {
    const before = await snapshot();
    const e = await refusal(createUser(store, admin, userInput({ username: 'editor' }), deps));
    expect(e.taken).toBe(true);
    expect(e.problems['username']).toContain('すでに使われています');
    expect(await snapshot()).toEqual(before);
  });

  it('lets only administrators manage users and organizations', async () => {
    const before = await snapshot();
    await expect(createUser(store, editor, userInput(), deps)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(updateUser(store, editor, editor.id, { role: 'admin', organizationId: null })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(resetPassword(store, editor, admin.id, PASSWORD, deps)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(deleteUser(store, editor, admin.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createOrganization(store, editor, orgInput())).rejects.toBeInstanceOf(ForbiddenError);
    expect(await snapshot()).toEqual(before);
  });

  it('writes the change and its audit entry in one transaction', async () => {
    const broken = failingAudit(store);
    const before = await snapshot();
    await expect(createUser(broken, admin, userInput(), deps)).rejects.toThrow('audit down');
    await expect(updateUser(broken, admin, editor.id, { displayName: '新しい名前' })).rejects.toThrow('audit down');
    await expect(deleteUser(broken, admin, editor.id)).rejects.toThrow('audit down');
    await expect(createOrganization(broken, admin, orgInput())).rejects.toThrow('audit down');
    expect(await snapshot()).toEqual(before);
  });

  it('updates a user: a new role ends the sessions; an empty password keeps the old one', async () => {
    await store.createSession({ id: 'sess-1', userId: editor.id, csrfToken: 't', expiresAt: new Date(Date.now() + 3600_000) });
    const renamed = await updateUser(store, admin, editor.id, { displayName: ' 新しい名前 ', password: '' }, deps);
    expect(renamed).toMatchObject({ displayName: '新しい名前', role: 'editor', passwordHash: 'x' });
    expect(await store.getSession('sess-1')).toBeDefined();
    const promoted = await updateUser(store, admin, editor.id, { role: 'planner', organizationId: null }, deps);
    expect(promoted).toMatchObject({ role: 'planner', organizationId: null });
    expect(await store.getSession('sess-1')).toBeUndefined();
    expect((await store.listAudit({ action: 'user.update' })).map((a) => a.detail)).toEqual([
      { role: 'editor', passwordChanged: false }, { role: 'planner', passwordChanged: false },
    ]);
  });

  it('refuses to keep a ward for a planner, and an administrator demoting themself', async () => {
    const e = await refusal(updateUser(store, admin, editor.id, { role: 'planner', organizationId: nishi.id }));
    expect(e.problems['organizationId']).toContain('市の企画担当は組織に属しません');
    const self = await refusal(updateUser(store, admin, admin.id, { role: 'editor', organizationId: nishi.id }));
    expect(self.problems['role']).toContain('自分自身の管理者の役割は外せません');
    expect((await store.getUser(editor.id))!.role).toBe('editor');
  });

  it('resets a password and ends the sessions', async () => {
    await store.createSession({ id: 'sess-2', userId: editor.id, csrfToken: 't', expiresAt: new Date(Date.now() + 3600_000) });
    const user = await resetPassword(store, admin, editor.id, 'another long password', deps);
    expect(await verifyPassword('another long password', user.passwordHash)).toBe(true);
    expect(await store.getSession('sess-2')).toBeUndefined();
    expect((await refusal(resetPassword(store, admin, editor.id, '', deps))).problems['password']).toBeDefined();
  });

  it('deletes a user with its sessions, but never the acting administrator', async () => {
    await store.createSession({ id: 'sess-3', userId: editor.id, csrfToken: 't', expiresAt: new Date(Date.now() + 3600_000) });
    await deleteUser(store, admin, editor.id);
    expect(await store.getUser(editor.id)).toBeUndefined();
    expect(await store.getSession('sess-3')).toBeUndefined();
    expect(await store.listAudit({ action: 'user.delete' })).toMatchObject([{ actor: 'admin', item: 'editor' }]);
    await refusal(deleteUser(store, admin, admin.id));
    expect(await store.getUser(admin.id)).toBeDefined();
  });

  it('creates an organization with its audit entry; a code typed in full-width digits is stored as digits', async () => {
    const org = await createOrganization(store, admin, orgInput({ code: '２７１４１１', parentId: osaka.id }));
    expect(org).toMatchObject({ name: '堺区', slug: 'sakai-sakai', code: '271411', kind: 'ward', parentId: osaka.id });
    expect(await store.listAudit({ action: 'organization.create' })).toMatchObject([{ actor: 'admin', item: 'sakai-sakai', organizationId: org.id }]);
  });

  it('refuses a bad organization field by field, writing nothing', async () => {
    const before = await snapshot();
    const cases: [Partial<OrganizationInput>, string, RegExp][] = [
      [{ name: '' }, 'name', /名称/],
      [{ name: '堺\u0000区' }, 'name', /名称/],
      [{ name: '区'.repeat(101) }, 'name', /名称/],
      [{ kana: 'さ\u0007' }, 'kana', /かな/],
      [{ slug: 'Sakai' }, 'slug', /URL名/],
      [{ slug: 's' }, 'slug', /URL名/],
      [{ code: '271412' }, 'code', /団体コード/],
      [{ code: '27141' }, 'code', /団体コード/],
      [{ code: 'abcdef' }, 'code', /団体コード/],
      [{ code: '2714111' }, 'code', /団体コード/],
      [{ kind: 'constructor' }, 'kind', /種類/],
      [{ kind: 'toString' }, 'kind', /種類/],
      [{ kind: '__proto__' }, 'kind', /種類/],
      [{ kind: 'town' }, 'kind', /種類/],
      [{ parentId: Number.NaN }, 'parentId', /所属する市/],
      [{ parentId: 999_999 }, 'parentId', /所属する市/],
      [{ parentId: nishi.id }, 'parentId', /所属する市/],
    ];
    for (const [over, field, message] of cases) {
      const e = await refusal(createOrganization(store, admin, orgInput(over)));
      expect(Object.keys(e.problems), JSON.stringify(over)).toEqual([field]);
      expect(e.problems[field]).toMatch(message);
    }
    const taken = await refusal(createOrganization(store, admin, orgInput({ slug: 'nishi' })));
    expect(taken.taken).toBe(true);
    expect(await snapshot()).toEqual(before);
  });
});
