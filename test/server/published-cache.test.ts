/**
 * The cache of published responses (src/server/published/), through the real app in-process,
 * on both engines. "Served from the cache" is proved by the cache's render counter, not by
 * timing; "another process" is a second app on its own connection to the same database.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { bootstrap } from '../../src/server/bootstrap.ts';
import { PublishedCache } from '../../src/server/published/cache.ts';
import { createTestDatabase, openStore, type Engine, type Store } from '../../src/store/index.ts';
import { describeEachEngine } from '../store/engines.ts';
import { Client, createWorld, PASSWORD, seedPlan, signedIn, type World } from './harness.ts';

const PAGE = '/plans/nishi/2017';
const PUBLIC_PATHS = [PAGE, `${PAGE}/text`, `${PAGE}/initiatives.csv`, `${PAGE}/measurements.csv`, '/api/v1/plans/nishi/2017', '/api/v2/plans/nishi/2017'];

/** A clock the test moves: the cache's revalidation interval passes only when the test says so. */
function manualClock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

async function bytes(res: Response): Promise<Uint8Array> {
  return new Uint8Array(await res.arrayBuffer());
}

/** A new revision of the seed with another goal, taken through the workflow by the web routes. */
async function publishNewGoal(world: { store: Store; seedPlanId: number; nishiId: number }, via: Client, goal: string) {
  const { store, seedPlanId, nishiId } = world;
  const current = (await store.getPlan(seedPlanId))!;
  await store.savePlan({ organizationId: nishiId, fiscalYear: 2017, plan: { ...seedPlan(), goal }, basedOnRevision: current.currentRevision, author: 'editor', message: 'goal' });
  for (const to of ['submitted', 'approved', 'published']) {
    const summary = (await store.getPlan(seedPlanId))!;
    const res = await via.post(`/staff/plans/${seedPlanId}/workflow`, { to, _revision: String(summary.currentRevision), finalize: '0' });
    expect(res.status, `workflow → ${to}`).toBe(303);
  }
}

describeEachEngine('published responses from the cache', (engine: Engine) => {
  let world: World;
  let cache: PublishedCache;
  let clock: ReturnType<typeof manualClock>;
  beforeEach(async () => {
    clock = manualClock();
    cache = new PublishedCache({ clock: clock.now });
    world = await createWorld({ publishedCache: cache }, engine);
  });
  afterEach(() => world.close());

  it('renders each format once and serves the same bytes after, whoever asks', async () => {
    for (const path of PUBLIC_PATHS) {
      const before = cache.stats.renders;
      const first = await world.app.request(path);
      expect(first.status, path).toBe(200);
      const second = await world.app.request(path);
      expect(cache.stats.renders - before, path).toBe(1);
      expect(await bytes(second)).toEqual(await bytes(first));
      expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(second.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
      expect(second.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=30');
      expect(second.headers.get('last-modified')).toMatch(/GMT$/);
      // The security headers come with the cached entry, though the middleware never ran.
      expect(second.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(second.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect((await world.app.request(PAGE)).headers.get('vary')).toBe('Accept-Encoding, Cookie');
    expect((await world.app.request('/api/v2/plans/nishi/2017')).headers.get('vary')).toBe('Accept-Encoding');
    // Still the same after the revalidation interval: the database says nothing changed.
    clock.advance(5000);
    const renders = cache.stats.renders;
    expect((await world.app.request(PAGE)).status).toBe(200);
    expect(cache.stats.renders).toBe(renders);
  });

  it('keeps serving the published bytes while staff save and comment on the next draft', async () => {
    const first = await world.app.request(PAGE);
    const renders = cache.stats.renders;
    const current = (await world.store.getPlan(world.seedPlanId))!;
    await world.store.savePlan({ organizationId: world.nishiId, fiscalYear: 2017, plan: { ...seedPlan(), goal: '次の版の目標(下書き)' }, basedOnRevision: current.currentRevision, author: 'editor', message: 'draft' });
    clock.advance(5000);
    const after = await world.app.request(PAGE);
    expect(cache.stats.renders).toBe(renders);
    expect(after.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(after.headers.get('last-modified')).toBe(first.headers.get('last-modified'));
    expect(await after.text()).not.toContain('次の版の目標');
  });

  it('serves a new revision at once when it is published here, and 404 once it is withdrawn', async () => {
    const old = await world.app.request(PAGE);
    const oldTag = old.headers.get('etag');
    const approver = await signedIn(world.app, 'approver');
    const editor = await signedIn(world.app, 'editor');
    // The editor submits, the approver approves and publishes: both through this app.
    const { store, seedPlanId, nishiId } = world;
    await store.savePlan({ organizationId: nishiId, fiscalYear: 2017, plan: { ...seedPlan(), goal: '新しい区の目標' }, basedOnRevision: 1, author: 'editor', message: 'goal' });
    const post = (client: Client, to: string, extra: Record<string, string> = {}) => store.getPlan(seedPlanId)
      .then((s) => client.post(`/staff/plans/${seedPlanId}/workflow`, { to, _revision: String(s!.currentRevision), ...extra }));
    expect((await post(editor, 'submitted')).status).toBe(303);
    expect((await post(approver, 'approved')).status).toBe(303);
    expect((await post(approver, 'published', { finalize: '0' })).status).toBe(303);
    const now = await world.app.request(PAGE);
    const html = await now.text();
    expect(html).toContain('新しい区の目標');
    expect(now.headers.get('etag')).not.toBe(oldTag);
    // Withdrawn: the page and every format are gone at once, with the app's own 404s.
    expect((await post(approver, 'approved', { action: 'unpublish' })).status).toBe(303);
    for (const path of PUBLIC_PATHS) expect((await world.app.request(path)).status, path).toBe(404);
    expect((await (await world.app.request('/api/v2/plans/nishi/2017')).json()).error).toBe('not_found');
  });

  it('answers 304 to If-None-Match and If-Modified-Since, with no body, and HEAD with the length and no body', async () => {
    for (const path of [PAGE, '/api/v2/plans/nishi/2017', `${PAGE}/initiatives.csv`]) {
      const full = await world.app.request(path);
      const etag = full.headers.get('etag')!;
      const lastModified = full.headers.get('last-modified')!;
      const byTag = await world.app.request(path, { headers: { 'if-none-match': `"other", W/${etag}` } });
      expect(byTag.status).toBe(304);
      expect(await byTag.text()).toBe('');
      expect(byTag.headers.get('etag')).toBe(etag);
      expect(byTag.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=30');
      expect((await world.app.request(path, { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
      const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
      expect((await world.app.request(path, { headers: { 'if-modified-since': earlier } })).status).toBe(200);
      // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
      expect((await world.app.request(path, { headers: { 'if-none-match': '"other"', 'if-modified-since': lastModified } })).status).toBe(200);
      const head = await world.app.request(path, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(full.headers.get('content-length'));
      expect(Number(head.headers.get('content-length'))).toBe((await bytes(full)).byteLength);
      expect(await head.text()).toBe('');
    }
  });

  it('sends brotli or gzip as the client asks, each decoding to the same bytes with its own length and tag', async () => {
    for (const path of [PAGE, `${PAGE}/text`, '/api/v2/plans/nishi/2017', `${PAGE}/initiatives.csv`]) {
      const plain = await world.app.request(path);
      expect(plain.headers.get('content-encoding')).toBeNull();
      const identity = await bytes(plain);
      const br = await world.app.request(path, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(br.headers.get('content-encoding')).toBe('br');
      const brBytes = await bytes(br);
      expect(Number(br.headers.get('content-length'))).toBe(brBytes.byteLength);
      expect(brBytes.byteLength).toBeLessThan(identity.byteLength);
      expect(new Uint8Array(brotliDecompressSync(brBytes))).toEqual(identity);
      const gz = await world.app.request(path, { headers: { 'accept-encoding': 'br;q=0.5, gzip' } });
      expect(gz.headers.get('content-encoding')).toBe('gzip');
      const gzBytes = await bytes(gz);
      expect(Number(gz.headers.get('content-length'))).toBe(gzBytes.byteLength);
      expect(new Uint8Array(gunzipSync(gzBytes))).toEqual(identity);
      expect(new Set([plain.headers.get('etag'), br.headers.get('etag'), gz.headers.get('etag')]).size).toBe(3);
      // A 304 is per representation: the brotli tag revalidates the brotli body.
      expect((await world.app.request(path, { headers: { 'accept-encoding': 'br', 'if-none-match': br.headers.get('etag')! } })).status).toBe(304);
      expect((await world.app.request(path, { headers: { 'accept-encoding': 'br;q=0, gzip;q=0' } })).headers.get('content-encoding')).toBeNull();
      expect((await world.app.request(path, { headers: { 'accept-encoding': 'identity;q=0' } })).status).toBe(406);
    }
  });

  it('never caches a signed-in user’s page for others, and keeps staff pages no-store', async () => {
    const editor = await signedIn(world.app, 'editor');
    const own = await editor.get(PAGE);
    expect(own.status).toBe(200);
    expect(own.headers.get('cache-control')).toBe('no-store');
    expect(own.headers.get('etag')).toBeNull();
    const ownHtml = await own.text();
    expect(ownHtml).toContain('editorさん');
    const visitor = await world.app.request(PAGE);
    expect(visitor.headers.get('cache-control')).toMatch(/^public/);
    const visitorHtml = await visitor.text();
    expect(visitorHtml).not.toContain('editorさん');
    expect(visitorHtml).not.toContain('サインアウト');
    for (const path of ['/staff', `/staff/plans/${world.seedPlanId}`, `/staff/plans/${world.seedPlanId}/history`, '/admin']) {
      const client = path === '/admin' ? await signedIn(world.app, 'admin') : editor;
      const res = await client.get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    // The downloads are the same for everyone: a signed-in user gets the shared entry.
    const renders = cache.stats.renders;
    await world.app.request('/api/v2/plans/nishi/2017');
    const signedInJson = await editor.get('/api/v2/plans/nishi/2017');
    expect(signedInJson.headers.get('cache-control')).toMatch(/^public/);
    expect(cache.stats.renders).toBe(renders + 1);
  });

  it('shows measurements recorded without a new revision, once the revalidation interval has passed', async () => {
    const { store, seedPlanId, nishiId } = world;
    const plan = structuredClone(seedPlan());
    plan.issues[0]!.strategies[0]!.outcomeIndicators = [{ id: 'ind-outcome', statement: '参加している区民の割合', unit: '%', direction: 'higher', target: { value: 40, fiscalYear: 2017 } }];
    await store.savePlan({ organizationId: nishiId, fiscalYear: 2017, plan, basedOnRevision: 1, author: 'editor', message: '指標' });
    await store.publishRevision({ planId: seedPlanId, revision: 2, actor: 'approver' });
    clock.advance(1000);
    const before = await (await world.app.request(`${PAGE}/measurements.csv`)).text();
    // Written by "another process" (the store directly): this app learns it on its next read.
    await store.addMeasurements({ planId: seedPlanId, author: 'editor', measurements: [{ indicatorId: 'ind-outcome', date: '2017-06-30', value: 31.5 }] });
    expect(await (await world.app.request(`${PAGE}/measurements.csv`)).text()).toBe(before);
    clock.advance(1000);
    const after = await (await world.app.request(`${PAGE}/measurements.csv`)).text();
    expect(after).toContain('31.5');
    expect((await (await world.app.request('/api/v2/plans/nishi/2017')).text())).toContain('31.5');
  });

  it('caches the index for visitors, pages included, and drops a withdrawn plan from it', async () => {
    const before = cache.stats.renders;
    const first = await world.app.request('/');
    expect(await first.text()).toContain('href="/plans/nishi/2017"');
    expect(first.headers.get('cache-control')).toMatch(/^public/);
    expect((await world.app.request('/', { headers: { 'if-none-match': first.headers.get('etag')! } })).status).toBe(304);
    expect(cache.stats.renders - before).toBe(1);
    expect((await world.app.request('/?page=2')).status).toBe(404);
    expect((await world.app.request('/?page=x')).status).toBe(404);
    const admin = await signedIn(world.app, 'admin');
    const own = await admin.get('/');
    expect(own.headers.get('cache-control')).toBe('no-store');
    expect(await own.text()).toContain('サインアウト');
    const summary = (await world.store.getPlan(world.seedPlanId))!;
    expect((await admin.post(`/staff/plans/${world.seedPlanId}/workflow`, { to: 'approved', action: 'unpublish', _revision: String(summary.currentRevision) })).status).toBe(303);
    const after = await (await world.app.request('/')).text();
    expect(after).not.toContain('href="/plans/nishi/2017"');
    expect(after).not.toContain('サインアウト');
  });

  it('keeps within its byte bound, evicting the least recently used', async () => {
    // Room for about two pages' worth, all codings counted.
    const small = new PublishedCache({ maxBytes: 40_000, clock: clock.now });
    const app = createApp({ store: world.store, publishedCache: small });
    for (const path of PUBLIC_PATHS) expect((await app.request(path)).status).toBe(200);
    expect(small.entries.bytes).toBeLessThanOrEqual(40_000);
    expect(small.entries.evictions).toBeGreaterThan(0);
    expect(small.stats.renders).toBe(PUBLIC_PATHS.length);
    // The first one was evicted: asked again, it is rendered again, to the same bytes.
    const again = small.stats.renders;
    expect((await app.request(PUBLIC_PATHS[0]!)).status).toBe(200);
    expect(small.stats.renders).toBe(again + 1);
    // An entry larger than the whole bound is served, never stored.
    const tiny = new PublishedCache({ maxBytes: 1000, clock: clock.now });
    const res = await createApp({ store: world.store, publishedCache: tiny }).request(PAGE);
    expect(res.status).toBe(200);
    expect(tiny.entries.size).toBe(0);
  });
});

describeEachEngine('two app processes on one database', (engine: Engine) => {
  const opened: Store[] = [];
  afterEach(async () => {
    for (const s of opened.reverse()) await s.close();
    opened.length = 0;
  });

  it('a revision published through one is served by the other once it revalidates; a withdrawal too', async () => {
    const { store, url } = await createTestDatabase(engine);
    opened.push(store);
    const other = await openStore(url);
    opened.push(other);
    await bootstrap(store, { HOSHIN_ADMIN_PASSWORD: PASSWORD });
    const clock = manualClock();
    const a = createApp({ store, publishedCache: new PublishedCache({ clock: clock.now }) });
    const b = createApp({ store: other, publishedCache: new PublishedCache({ clock: clock.now }) });
    const oldB = await b.request(PAGE);
    expect(oldB.status).toBe(200);
    const oldTag = oldB.headers.get('etag');
    expect((await a.request(PAGE)).headers.get('etag')).toBe(oldTag);

    const admin = new Client(a);
    expect((await admin.signIn('admin')).status).toBe(303);
    const nishi = (await store.findOrganization('nishi'))!;
    const seedPlanId = (await store.findPlan(nishi.id, 2017))!.id;
    await publishNewGoal({ store, seedPlanId, nishiId: nishi.id }, admin, '別プロセスで公開した目標');
    expect(await (await a.request(PAGE)).text()).toContain('別プロセスで公開した目標');
    clock.advance(1000);
    const newB = await b.request(PAGE);
    expect(await newB.text()).toContain('別プロセスで公開した目標');
    expect(newB.headers.get('etag')).not.toBe(oldTag);
    // Both processes made the same bytes for the same state.
    expect(newB.headers.get('etag')).toBe((await a.request(PAGE)).headers.get('etag'));

    const summary = (await store.getPlan(seedPlanId))!;
    expect((await admin.post(`/staff/plans/${seedPlanId}/workflow`, { to: 'approved', action: 'unpublish', _revision: String(summary.currentRevision) })).status).toBe(303);
    expect((await a.request(PAGE)).status).toBe(404);
    clock.advance(1000);
    expect((await b.request(PAGE)).status).toBe(404);
    expect((await b.request('/api/v1/plans/nishi/2017')).status).toBe(404);
  });
});
