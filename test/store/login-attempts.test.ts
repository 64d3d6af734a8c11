/** Sign-in reservations: counted and recorded in one step, so a burst of guesses gets only the limit through. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestStore, LOGIN_USERNAME_MAX, type BeginLoginAttempt, type SqlStore } from '../../src/store/index.ts';
import { describeEachEngine } from './engines.ts';

describeEachEngine('login attempts', (engine) => {
  let store: SqlStore;
  beforeEach(async () => {
    store = await createTestStore(engine);
  });
  afterEach(async () => {
    await store.close();
  });

  const since = () => new Date(Date.now() - 15 * 60_000);
  const attempt = (over: Partial<BeginLoginAttempt>): BeginLoginAttempt => ({ username: 'tanaka', ip: '192.0.2.1', since: since(), maxPerUser: 5, maxPerIp: 20, ...over });

  it('lets at most the per-user limit through 40 simultaneous attempts for one user', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => store.beginLoginAttempt(attempt({ ip: `192.0.2.${i}` }))));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(await store.countFailedLogins({ username: 'tanaka', since: since() })).toBe(5);
  });

  it('lets at most the per-address limit through 40 simultaneous attempts from one address', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => store.beginLoginAttempt(attempt({ username: `user${i}` }))));
    expect(results.filter((r) => r.allowed)).toHaveLength(20);
    expect(await store.countFailedLogins({ ip: '192.0.2.1', since: since() })).toBe(20);
  });

  it('counts an attempt as failed until it is finished as a success, and forgets those before the window', async () => {
    await store.recordLoginAttempt({ username: 'tanaka', ip: '192.0.2.1', success: false, at: new Date(Date.now() - 3600_000) });
    const r = await store.beginLoginAttempt(attempt({}));
    if (!r.allowed) throw new Error('refused');
    expect(await store.countFailedLogins({ username: 'tanaka', since: since() })).toBe(1);
    await store.finishLoginAttempt(r.attemptId, true);
    expect(await store.countFailedLogins({ username: 'tanaka', since: since() })).toBe(0);
    const f = await store.beginLoginAttempt(attempt({}));
    if (!f.allowed) throw new Error('refused');
    await store.finishLoginAttempt(f.attemptId, false);
    expect(await store.countFailedLogins({ username: 'tanaka', since: since() })).toBe(1);
  });

  it('keeps only a bounded form of a long name or address, and counts attempts under it', async () => {
    const long = 'あ'.repeat(100_000);
    for (let i = 0; i < 5; i++) expect((await store.beginLoginAttempt(attempt({ username: long + String(i), ip: long }))).allowed).toBe(true);
    // Names alike in their first LOGIN_USERNAME_MAX characters are one name to the limit.
    expect((await store.beginLoginAttempt(attempt({ username: long + 'x', ip: '192.0.2.9' }))).allowed).toBe(false);
    const rows = await store.kysely.selectFrom('login_attempts').select(['username', 'ip']).execute();
    expect(Math.max(...rows.map((r) => r.username.length))).toBe(LOGIN_USERNAME_MAX);
    expect(Math.max(...rows.map((r) => r.ip.length))).toBe(100);
  });
});
