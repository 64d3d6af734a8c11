/**
 * Sign-in throttling holds under a burst: the attempt is reserved (counted and recorded)
 * before the password is checked, so 40 simultaneous guesses get at most the limit's worth
 * of password checks, per user and per address. Each check ends in a login.failed entry.
 */
import { afterEach, expect, it, describe } from 'vitest';
import { Client, createWorld, hiddenValue, PASSWORD, type World } from './harness.ts';

/** A fresh browser with the sign-in form's pre-session CSRF token. */
async function browser(world: World): Promise<Client> {
  const client = new Client(world.app);
  client.csrf = hiddenValue(await (await client.get('/signin')).text(), '_csrf');
  return client;
}

async function burst(world: World, n: number, fields: (i: number) => Record<string, string>, headers: Record<string, string> = {}): Promise<number[]> {
  const clients = await Promise.all(Array.from({ length: n }, () => browser(world)));
  const responses = await Promise.all(
    clients.map((client, i) =>
      client.request('/signin', {
        method: 'POST',
        body: new URLSearchParams({ _csrf: client.csrf, next: '/staff', ...fields(i) }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      }),
    ),
  );
  return responses.map((r) => r.status);
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

describe('sign-in throttling under a burst', () => {
  let world: World;
  afterEach(async () => {
    await world.close();
  });

  it('checks at most 5 passwords of 40 simultaneous guesses for one user, refuses the rest with 429, then the right password too', async () => {
    world = await createWorld();
    const statuses = await burst(world, 40, () => ({ username: 'approver', password: 'guess' }));
    const failed = await world.store.listAudit({ action: 'login.failed' });
    expect(failed.filter((e) => e.item === 'approver').length).toBeLessThanOrEqual(5);
    expect(failed.length).toBe(count(statuses, 401));
    expect(count(statuses, 401)).toBeGreaterThanOrEqual(1);
    expect(count(statuses, 401) + count(statuses, 429)).toBe(40);
    expect((await world.store.listAudit({ action: 'login.throttled' })).length).toBe(count(statuses, 429));
    expect((await new Client(world.app).signIn('approver', PASSWORD)).status).toBe(429);
  });

  it('checks at most 20 passwords of 40 simultaneous guesses from one address, whatever the names', async () => {
    world = await createWorld({ trustProxy: true });
    const statuses = await burst(world, 40, (i) => ({ username: `nobody${i}`, password: 'guess' }), { 'x-forwarded-for': '198.51.100.7' });
    const failed = (await world.store.listAudit({ action: 'login.failed' })).filter((e) => e.ip === '198.51.100.7');
    expect(failed.length).toBeLessThanOrEqual(20);
    expect(failed.length).toBe(count(statuses, 401));
    expect(count(statuses, 401) + count(statuses, 429)).toBe(40);
    // Another address is not held back by this one's guesses.
    const other = await browser(world);
    const res = await other.request('/signin', {
      method: 'POST',
      body: new URLSearchParams({ _csrf: other.csrf, username: 'editor', password: PASSWORD, next: '/staff' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.8' },
    });
    expect(res.status).toBe(303);
  });
});
