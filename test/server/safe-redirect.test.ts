import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeRedirectPath } from '../../src/server/safe-redirect.ts';
import { Client, createWorld, hiddenValue, PASSWORD, signedIn, type World } from './harness.ts';

/** `next` values (as the server reads them, already decoded once) that must never leave the site. */
const BYPASSES: string[] = [
  '//evil.example/x',
  '///evil.example/x',
  '/\\evil.example/x',
  '/\\/evil.example/x',
  '\\\\evil.example/x',
  '/.\\evil.example',
  '/\t/evil.example/x',
  '/\n/evil.example/x',
  '/\r/x',
  '/%09/evil.example/x',
  '/%0d/x',
  '/%0D/x',
  '/%0a/x',
  '/%2F/evil.example',
  '/%2f%2fevil.example',
  '/%5Cevil.example',
  '/%252F/evil.example',
  '/%E0%A4%A',
  'https://evil.example/',
  'http:/evil.example',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'data:text/html,x',
  'evil.example',
  ' /staff',
  '/ /evil.example',
  '/staff\n',
  '/\u2028/evil.example',
  '/\u2029/evil.example',
  '/\u00a0/evil.example',
  '/\u200b/evil.example',
  '/\u3000/evil.example',
  '/\u007f/x',
  '/\u0085/x',
  `/${'a'.repeat(5000)}`,
  '',
];

const KEPT = ['/staff', '/staff/plans/1/edit', '/admin?done=created', '/plans/nishi/2017', '/staff/plans/2/revisions/3?from=1'];

describe('safeRedirectPath', () => {
  it.each(BYPASSES)('refuses %j', (next) => {
    expect(safeRedirectPath(next)).toBe('/staff');
  });

  it.each(KEPT)('keeps %j', (next) => {
    expect(safeRedirectPath(next)).toBe(next);
  });

  it('refuses what is not a string', () => {
    expect(safeRedirectPath(undefined)).toBe('/staff');
    expect(safeRedirectPath(['/admin'])).toBe('/staff');
  });
});

let world: World;
beforeAll(async () => {
  world = await createWorld({ loginLimit: { maxFailures: 1000, windowMinutes: 15 } });
});
afterAll(() => world.close());

/** A Location that a browser resolves to this site: a plain path, nothing to strip or reinterpret. */
function expectSameSite(location: string | null, expected = '/staff'): void {
  expect(location).toBe(expected);
  expect(location).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
}

describe('GET /signin?next= when already signed in', () => {
  it.each(BYPASSES)('sends %j to /staff', async (next) => {
    const client = await signedIn(world.app, 'editor');
    const res = await client.get(`/signin?next=${encodeURIComponent(next)}`);
    expect(res.status).toBe(303);
    expectSameSite(res.headers.get('location'));
  });

  it.each(['/%09/evil.example/x', '/%0D/x', '/%0d%0aSet-Cookie:%20x=1', '//evil.example', '/%5C%5Cevil.example', '/%E2%80%A8/evil.example'])(
    'sends the raw query next=%s to /staff',
    async (raw) => {
      const client = await signedIn(world.app, 'editor');
      const res = await client.get(`/signin?next=${raw}`);
      expect(res.status).toBe(303);
      expectSameSite(res.headers.get('location'));
    },
  );

  it('keeps a path on this site', async () => {
    const client = await signedIn(world.app, 'editor');
    const res = await client.get(`/signin?next=${encodeURIComponent('/staff/plans/1/edit')}`);
    expectSameSite(res.headers.get('location'), '/staff/plans/1/edit');
  });
});

describe('POST /signin with next=', () => {
  async function signInWith(next: string): Promise<Response> {
    const client = new Client(world.app);
    client.csrf = hiddenValue(await (await client.get('/signin')).text(), '_csrf');
    return client.post('/signin', { username: 'editor', password: PASSWORD, next });
  }

  it.each(BYPASSES)('sends %j to /staff', async (next) => {
    const res = await signInWith(next);
    expect(res.status).toBe(303);
    expectSameSite(res.headers.get('location'));
  });

  it('keeps a path on this site', async () => {
    expectSameSite((await signInWith('/admin?done=created')).headers.get('location'), '/admin?done=created');
  });

  it('never writes a foreign next into the sign-in form', async () => {
    const client = new Client(world.app);
    const html = await (await client.get(`/signin?next=${encodeURIComponent('/\t/evil.example/x')}`)).text();
    expect(hiddenValue(html, 'next')).toBe('/staff');
  });
});
