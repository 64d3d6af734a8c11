import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { bootstrap } from '../../src/server/bootstrap.ts';
import { createTestDatabase, openStore, testEngines, type Store } from '../../src/store/index.ts';
import { Client, PASSWORD } from './harness.ts';

if (!testEngines().includes('postgres')) {
  if (process.env.CI === 'true') throw new Error('HOSHIN_TEST_PG_URL is not set: PostgreSQL tests cannot be skipped in CI');
  console.warn('\n!! shared-sessions: PostgreSQL not configured (HOSHIN_TEST_PG_URL); running on SQLite only\n');
}

const opened: Store[] = [];
afterAll(async () => {
  // The second handles first: closing the test database's own handle deletes it.
  for (const s of opened.reverse()) await s.close();
});

describe.each(testEngines())('several app processes on one %s database', (engine) => {
  it('share sessions, so any process serves a signed-in user, and sign-out ends it everywhere', async () => {
    const { store, url } = await createTestDatabase(engine);
    opened.push(store);
    const other = await openStore(url);
    opened.push(other);
    await bootstrap(store, { HOSHIN_ADMIN_PASSWORD: PASSWORD });
    const [a, b] = [createApp({ store }), createApp({ store: other })];
    const client = new Client(a);
    expect((await client.signIn('admin')).status).toBe(303);
    // The same cookie jar, sent to the other process.
    const viaB = client.via(b);
    expect((await viaB.get('/admin')).status).toBe(200);
    expect((await viaB.post('/signout')).status).toBe(303);
    const again = await client.get('/admin');
    expect(again.status).toBe(303);
  });
});
