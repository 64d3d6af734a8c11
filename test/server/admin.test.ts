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
