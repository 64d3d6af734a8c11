import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, formFieldsOf, signedIn, type World } from './harness.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.close());

describe('/admin after a refused form', () => {
  it('gives back what was typed into the new user form, except the password', async () => {
    const admin = await signedIn(world.app, 'admin');
    const secret = 'a secret long enough 123';
    const res = await admin.post('/admin/users', { username: 'tanaka', displayName: '田中 一郎', role: 'approver', organizationId: '', password: secret });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('承認者には組織が必要です。');
    expect(formFieldsOf(html, '/admin/users')).toMatchObject({ username: 'tanaka', displayName: '田中 一郎', role: 'approver', organizationId: '' });
    expect(html).not.toContain(secret);

    // A role that needs a ward, and the ward chosen, come back too when another field is wrong.
    const short = await admin.post('/admin/users', { username: 'tanaka', displayName: '田中', role: 'editor', organizationId: String(world.kitaId), password: 'short' });
    expect(short.status).toBe(422);
    expect(formFieldsOf(await short.text(), '/admin/users')).toMatchObject({ username: 'tanaka', role: 'editor', organizationId: String(world.kitaId) });
  });

  it('gives back a user’s changed fields, with that user’s form open, and the organization form’s fields', async () => {
    const admin = await signedIn(world.app, 'admin');
    const planner = (await world.store.listUsers()).find((u) => u.username === 'planner')!;
    const res = await admin.post(`/admin/users/${planner.id}`, { action: 'update', displayName: '企画の人', role: 'editor', organizationId: '', password: '' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(new RegExp(`<details open="">\\s*<summary>planner を変更`));
    expect(html.match(/<details open/g)).toHaveLength(1);
    expect(formFieldsOf(html, `/admin/users/${planner.id}`)).toMatchObject({ displayName: '企画の人', role: 'editor', organizationId: '' });

    const org = await admin.post('/admin/organizations', { name: '堺区', kana: 'さかいく', slug: 'Sakai', code: '271411', kind: 'ward', parentId: '' });
    expect(org.status).toBe(422);
    expect(formFieldsOf(await org.text(), '/admin/organizations')).toMatchObject({ name: '堺区', kana: 'さかいく', slug: 'Sakai', code: '271411', kind: 'ward' });
  });
});

describe('/admin refuses what it cannot take, with the form refilled, never 500', () => {
  it('refuses an unknown kind or role (constructor, toString…) with 422', async () => {
    const admin = await signedIn(world.app, 'admin');
    for (const kind of ['constructor', 'toString', '__defineGetter__', 'town']) {
      const res = await admin.post('/admin/organizations', { name: '堺区', kana: '', slug: 'sakai', code: '', kind, parentId: '' });
      expect(res.status, kind).toBe(422);
      const html = await res.text();
      expect(html).toContain('「種類」を一覧から選んでください。');
      expect(formFieldsOf(html, '/admin/organizations')).toMatchObject({ name: '堺区', slug: 'sakai' });
    }
    for (const role of ['constructor', 'hasOwnProperty', 'root']) {
      const res = await admin.post('/admin/users', { username: 'suzuki', displayName: '鈴木', role, organizationId: '', password: 'a long enough password' });
      expect(res.status, role).toBe(422);
      expect(await res.text()).toContain('「役割」を一覧から選んでください。');
    }
    expect(await world.store.findOrganization('sakai')).toBeUndefined();
    expect(await world.store.getUserByUsername('suzuki')).toBeUndefined();
  });

  it('checks the 団体コード: six digits with the right check digit', async () => {
    const admin = await signedIn(world.app, 'admin');
    for (const code of ['271412', '12345', 'abcdef', '2714111', '27-141']) {
      const res = await admin.post('/admin/organizations', { name: '堺区', kana: 'さかいく', slug: 'sakai', code, kind: 'ward', parentId: '' });
      expect(res.status, code).toBe(422);
      const html = await res.text();
      expect(html).toContain('「団体コード」は検査数字を含む6桁の数字にしてください');
      expect(formFieldsOf(html, '/admin/organizations')).toMatchObject({ code });
    }
    expect((await admin.post('/admin/organizations', { name: '堺区', kana: 'さかいく', slug: 'sakai', code: '271411', kind: 'ward', parentId: '' })).status).toBe(303);
    expect((await world.store.findOrganization('sakai'))!.code).toBe('271411');
  });

  it('refuses an organization for a role that has none, instead of dropping it silently', async () => {
    const admin = await signedIn(world.app, 'admin');
    const res = await admin.post('/admin/users', { username: 'kikaku', displayName: '企画', role: 'planner', organizationId: String(world.nishiId), password: 'a long enough password' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('市の企画担当は組織に属しません。「組織」は「(なし)」を選んでください。');
    expect(formFieldsOf(html, '/admin/users')).toMatchObject({ username: 'kikaku', role: 'planner', organizationId: String(world.nishiId) });
    expect(await world.store.getUserByUsername('kikaku')).toBeUndefined();

    const planner = (await world.store.getUserByUsername('planner'))!;
    const update = await admin.post(`/admin/users/${planner.id}`, { action: 'update', displayName: planner.displayName, role: 'planner', organizationId: String(world.kitaId), password: '' });
    expect(update.status).toBe(422);
    expect((await world.store.getUser(planner.id))!.organizationId).toBeNull();
  });

  it('refuses an organization that does not exist, and control characters in names', async () => {
    const admin = await signedIn(world.app, 'admin');
    const missing = await admin.post('/admin/users', { username: 'sato', displayName: '佐藤', role: 'editor', organizationId: '99999', password: 'a long enough password' });
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('選んだ「組織」が見つかりません');
    const control = await admin.post('/admin/users', { username: 'sato', displayName: '佐藤\u001b[31m', role: 'planner', organizationId: '', password: 'a long enough password' });
    expect(control.status).toBe(422);
    expect(await control.text()).toContain('「表示名」に改行や制御文字は使えません。');
    const org = await admin.post('/admin/organizations', { name: '堺\u0007区', kana: '', slug: 'sakai-x', code: '', kind: 'ward', parentId: '' });
    expect(org.status).toBe(422);
    expect(await org.text()).toContain('「名称」に改行や制御文字は使えません。');
  });

  it('shows no message for an unknown ?done=', async () => {
    const admin = await signedIn(world.app, 'admin');
    for (const done of ['constructor', '__proto__', 'toString']) {
      const res = await admin.get(`/admin?done=${done}`);
      expect(res.status).toBe(200);
      expect(await res.text()).not.toContain('class="flash"');
    }
  });

  it('keeps creating, updating and deleting users, each audited', async () => {
    const admin = await signedIn(world.app, 'admin');
    expect((await admin.post('/admin/users', { username: 'yamada', displayName: '山田', role: 'editor', organizationId: String(world.kitaId), password: 'a long enough password' })).headers.get('location')).toBe('/admin?done=created');
    const yamada = (await world.store.getUserByUsername('yamada'))!;
    expect((await admin.post(`/admin/users/${yamada.id}`, { action: 'update', displayName: '山田 太郎', role: 'approver', organizationId: String(world.kitaId), password: '' })).headers.get('location')).toBe('/admin?done=updated');
    expect(await world.store.getUser(yamada.id)).toMatchObject({ displayName: '山田 太郎', role: 'approver', organizationId: world.kitaId });
    expect((await admin.post(`/admin/users/${yamada.id}`, { action: 'delete' })).headers.get('location')).toBe('/admin?done=deleted');
    expect(await world.store.getUser(yamada.id)).toBeUndefined();
    const audit = (await world.store.listAudit()).filter((a) => a.item === 'yamada').map((a) => a.action);
    expect(audit).toEqual(['user.create', 'user.update', 'user.delete']);
    const me = (await world.store.getUserByUsername('admin'))!;
    const self = await admin.post(`/admin/users/${me.id}`, { action: 'delete' });
    expect(self.status).toBe(422);
    expect(await self.text()).toContain('自分自身は削除できません。');
  });
});
