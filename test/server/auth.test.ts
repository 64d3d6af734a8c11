import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, verifyPassword } from '../../src/server/auth/password.ts';
import { describeEachEngine } from '../store/engines.ts';
import { Client, createWorld, PASSWORD, type World } from './harness.ts';

describe('passwords', () => {
  it('hashes with scrypt, a salt per hash, and parameters kept in the string', async () => {
    const a = await hashPassword('秘密のパスワード', { N: 1024, r: 8, p: 1 });
    const b = await hashPassword('秘密のパスワード', { N: 1024, r: 8, p: 1 });
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('秘密のパスワード', a)).toBe(true);
    expect(await verifyPassword('秘密のパスワート', a)).toBe(false);
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
    expect(await hashPassword('x')).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(generatePassword()).toMatch(/^[a-zA-Z2-9]{20}$/);
  });
});

// Sessions and CSRF tokens live in the database: the same behaviour on each engine.
describeEachEngine('sign-in and sessions', (engine) => {
  let world: World;
  let clock = new Date('2026-04-01T09:00:00Z');
  beforeAll(async () => {
    world = await createWorld({ now: () => clock }, engine);
  });
  afterAll(() => world.close());

  it('sets an HttpOnly, SameSite session cookie, Secure only over TLS', async () => {
    const client = new Client(world.app);
    const res = await client.signIn('editor');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('hoshin_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);

    const tls = new Client(world.app, 'https://hoshin.example');
    const secure = (await tls.signIn('editor')).headers.getSetCookie().find((c) => c.includes('hoshin_session='))!;
    expect(secure).toMatch(/^__Host-hoshin_session=.*Secure/);
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const wrong = await new Client(world.app).signIn('approver', 'wrong password');
    const unknown = await new Client(world.app).signIn('nobody', PASSWORD);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.text()).toContain('ユーザー名またはパスワードが正しくありません');
    // Both are in the audit log: by no one signed in, naming the user tried.
    const failed = await world.store.listAudit({ action: 'login.failed' });
    expect(failed).toEqual(expect.arrayContaining([
      expect.objectContaining({ actor: 'anonymous', item: 'approver' }),
      expect.objectContaining({ actor: 'anonymous', item: 'nobody' }),
    ]));
  });

  it('stops accepting sign-ins for a user after repeated failures, even with the right password, until the window passes', async () => {
    for (let i = 0; i < 5; i++) expect((await new Client(world.app).signIn('planner', 'guess')).status).toBe(401);
    const blocked = await new Client(world.app).signIn('planner', PASSWORD);
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain('一時的に受け付けを止めています');
    clock = new Date(clock.getTime() + 16 * 60_000);
    expect((await new Client(world.app).signIn('planner', PASSWORD)).status).toBe(303);
  });

  it('refuses a form posted without the CSRF token, with a wrong one, or from another origin', async () => {
    const client = new Client(world.app);
    await client.signIn('editor');
    const path = `/staff/plans/${world.seedPlanId}/comments`;
    expect((await client.post(path, { _csrf: '', body: 'x' })).status).toBe(403);
    expect((await client.post(path, { _csrf: 'forged', body: 'x' })).status).toBe(403);
    const crossSite = await client.request(path, {
      method: 'POST', body: new URLSearchParams({ _csrf: client.csrf, body: 'x' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    expect((await client.post(path, { body: 'ok' })).status).toBe(303);
    expect((await world.store.listComments(world.seedPlanId)).map((c) => c.body)).toEqual(['ok']);
  });

  it('ends the session on sign-out, server-side', async () => {
    const client = new Client(world.app);
    await client.signIn('editor');
    expect((await client.get('/staff')).status).toBe(200);
    expect((await client.post('/signout')).status).toBe(303);
    const after = await client.get('/staff');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/signin?next=%2Fstaff');
  });

  it('expires sessions', async () => {
    const client = new Client(world.app);
    await client.signIn('editor');
    clock = new Date(clock.getTime() + 13 * 3600_000);
    expect((await client.get('/staff')).status).toBe(303);
  });

  it('never redirects off-site after sign-in', async () => {
    const client = new Client(world.app);
    const form = await (await client.get('/signin')).text();
    client.csrf = /name="_csrf" value="([^"]+)"/.exec(form)![1]!;
    const res = await client.post('/signin', { username: 'editor', password: PASSWORD, next: '//evil.example/' });
    expect(res.headers.get('location')).toBe('/staff');
  });
});
