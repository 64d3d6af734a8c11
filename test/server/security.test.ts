import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, EDITOR_BODY_LIMIT, FORM_BODY_LIMIT, UPLOAD_BODY_LIMIT } from '../../src/server/app.ts';
import { bootstrap } from '../../src/server/bootstrap.ts';
import { createTestStore } from '../../src/store/index.ts';
import { describeEachEngine } from '../store/engines.ts';
import { planFromForm } from '../../src/server/editor/plan-form.ts';
import { Client, createWorld, formFieldsOf, hiddenValue, signedIn, type World } from './harness.ts';

/**
 * Findings of the outside security test (issue 7): every POST route, whatever is sent to it,
 * answers 4xx with a message and never harms the process or fills the disk.
 */

let world: World;
let targetUserId: number;
beforeAll(async () => {
  world = await createWorld();
  targetUserId = (await world.store.createUser({ username: 'target', displayName: '対象', passwordHash: 'x', role: 'planner' })).id;
});
afterAll(() => world.close());

function postRoutes(): string[] {
  const paths = world.app.routes.filter((r) => r.method === 'POST').map((r) => r.path);
  return [...new Set(paths)].map((p) => p.replace(':planId', String(world.draftPlanId)).replace(':userId', String(targetUserId)));
}

/** Posts fields as multipart/form-data, the way the upload form does. */
function postMultipart(client: Client, path: string, fields: Record<string, string>): Promise<Response> {
  const body = new FormData();
  for (const [k, v] of Object.entries({ _csrf: client.csrf, ...fields })) body.append(k, v);
  return client.request(path, { method: 'POST', body });
}

/** A raw body with the content type given. */
function postRaw(client: Client, path: string, contentType: string, body: string): Promise<Response> {
  return client.request(path, { method: 'POST', body, headers: { 'content-type': contentType } });
}

async function saveDraft(client: Client): Promise<Response> {
  const html = await (await client.get(`/staff/plans/${world.draftPlanId}/edit`)).text();
  const fields = formFieldsOf(html, `/staff/plans/${world.draftPlanId}/edit`);
  return client.post(`/staff/plans/${world.draftPlanId}/edit`, { ...fields, goal: `保存 ${Date.now()}`, action: 'save' });
}

const POLLUTING_NAMES = [
  'a.__proto__.z',
  '__proto__[z]',
  '__proto__.z',
  '__proto__',
  'constructor.prototype.z',
  'constructor[prototype][z]',
  'issues[0].__proto__.x',
  'issues[0].constructor.prototype.x',
  'reform.__proto__.z',
  'mission[0].__proto__.z',
];

describe('prototype pollution through form field names', () => {
  it('finds the POST routes to try', () => {
    expect(postRoutes()).toEqual(expect.arrayContaining(['/signin', '/admin/users', `/staff/plans/${world.draftPlanId}/edit`]));
  });

  it('refuses such names on every POST route, urlencoded and multipart, and the process keeps serving', async () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const admin = await signedIn(world.app, 'admin');
    const revision = String((await world.store.getRevision(world.draftPlanId))!.number);
    const refused: string[] = [];
    for (const path of postRoutes()) {
      for (const name of POLLUTING_NAMES) {
        const fields = { _baseRevision: revision, action: 'save', [name]: 'polluted' };
        for (const [how, res] of [['urlencoded', await admin.post(path, fields)], ['multipart', await postMultipart(admin, path, fields)]] as const) {
          const html = await res.text();
          if (res.status !== 400 || !html.includes('受け付けられません')) refused.push(`${how} ${path} ${name}: ${res.status}`);
        }
      }
    }
    expect(refused, 'not answered 400 with a message').toEqual([]);
    expect(({} as Record<string, unknown>)['z']).toBeUndefined();
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    // Still signed in, and every later POST works as before.
    expect((await saveDraft(admin)).status).toBe(303);
    expect((await admin.post(`/staff/plans/${world.draftPlanId}/comments`, { body: 'まだ動いています' })).status).toBe(303);
  });

  it('the editor form builds its tree without prototypes and skips such names even when given them directly', () => {
    const fields = Object.create(null) as Record<string, string>;
    for (const name of POLLUTING_NAMES) fields[name] = 'polluted';
    fields['goal'] = '目標';
    fields['issues[0].title'] = '課題';
    fields['issues.length'] = 'not a length';
    const { plan } = planFromForm(fields, { organization: '西区', fiscalYear: 2030 });
    expect(plan.goal).toBe('目標');
    expect(plan.issues.map((i) => i.title)).toEqual(['課題']);
    expect(({} as Record<string, unknown>)['z']).toBeUndefined();
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });
});

describe('request size', () => {
  it('refuses five 10 MB user names at sign-in without storing anything', async () => {
    const client = new Client(world.app);
    client.csrf = hiddenValue(await (await client.get('/signin')).text(), '_csrf');
    const auditBefore = await world.store.listAudit();
    const huge = 'a'.repeat(10 * 1024 * 1024);
    for (let i = 0; i < 5; i++) {
      const res = await client.post('/signin', { username: huge, password: 'x' });
      expect(res.status).toBe(413);
      expect(await res.text()).toContain('送信内容が大きすぎます');
    }
    const auditAfter = await world.store.listAudit();
    expect(JSON.stringify(auditAfter).length - JSON.stringify(auditBefore).length).toBe(0);
    expect(await world.store.countFailedLogins({ username: huge, since: new Date(0) })).toBe(0);
  });

  it('refuses a user name longer than 100 characters at sign-in, under the body limit, without storing it', async () => {
    const client = new Client(world.app);
    client.csrf = hiddenValue(await (await client.get('/signin')).text(), '_csrf');
    const auditBefore = JSON.stringify(await world.store.listAudit()).length;
    const long = 'b'.repeat(500_000);
    for (let i = 0; i < 5; i++) {
      const res = await client.post('/signin', { username: long, password: 'x' });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('ユーザー名');
    }
    expect(JSON.stringify(await world.store.listAudit()).length - auditBefore).toBe(0);
  });

  it('bounds the password, signed in or not', async () => {
    const client = new Client(world.app);
    client.csrf = hiddenValue(await (await client.get('/signin')).text(), '_csrf');
    expect((await client.post('/signin', { username: 'editor', password: 'p'.repeat(1025) })).status).toBe(400);
  });

  it('allows an upload over the form limit up to the document limit, and no more', async () => {
    const editor = await signedIn(world.app, 'editor');
    const upload = async (bytes: number) => {
      const body = new FormData();
      body.append('_csrf', editor.csrf);
      body.append('organizationId', String(world.nishiId));
      body.append('fiscalYear', '2040');
      body.append('source', 'upload');
      body.append('file', new File([new Uint8Array(bytes).fill(0x41)], 'big.txt', { type: 'text/plain' }));
      return editor.request('/staff/plans', { method: 'POST', body });
    };
    expect(FORM_BODY_LIMIT).toBeLessThan(2 * 1024 * 1024);
    // Read and judged as a document (it is not one), not refused for its size.
    expect((await upload(2 * 1024 * 1024)).status).toBe(422);
    const tooBig = await upload(UPLOAD_BODY_LIMIT + 1);
    expect(tooBig.status).toBe(413);
    expect(await tooBig.text()).toContain('10MB');
  });

  it('takes a document-sized body only from a signed-in user', async () => {
    const client = new Client(world.app);
    client.csrf = hiddenValue(await (await client.get('/signin')).text(), '_csrf');
    const body = new FormData();
    body.append('_csrf', client.csrf);
    body.append('file', new File([new Uint8Array(2 * 1024 * 1024)], 'big.txt'));
    expect((await client.request('/staff/plans', { method: 'POST', body })).status).toBe(413);
  });

  it('lets the editor post a large plan (up to 6 MB), but only when signed in', async () => {
    const editor = await signedIn(world.app, 'editor');
    const html = await (await editor.get(`/staff/plans/${world.draftPlanId}/edit`)).text();
    const fields = formFieldsOf(html, `/staff/plans/${world.draftPlanId}/edit`);
    // 200,000 Japanese characters: 1.8 MB form-encoded.
    const big = { ...fields, policy: 'あ'.repeat(200_000), action: 'preview' };
    expect((await editor.post(`/staff/plans/${world.draftPlanId}/edit`, big)).status).not.toBe(413);
    expect((await editor.post(`/staff/plans/${world.draftPlanId}/edit`, { ...fields, policy: 'x'.repeat(EDITOR_BODY_LIMIT) })).status).toBe(413);
    const anonymous = new Client(world.app);
    anonymous.csrf = hiddenValue(await (await anonymous.get('/signin')).text(), '_csrf');
    expect((await anonymous.post(`/staff/plans/${world.draftPlanId}/edit`, big)).status).toBe(413);
  });

  it('refuses an ordinary form over the form limit', async () => {
    const admin = await signedIn(world.app, 'admin');
    const res = await admin.post(`/staff/plans/${world.draftPlanId}/comments`, { body: 'c'.repeat(FORM_BODY_LIMIT + 1) });
    expect(res.status).toBe(413);
  });
});

describe('bodies that do not parse', () => {
  it('answers 400 with a message to multipart without a boundary or with a broken body, on every POST route', async () => {
    const admin = await signedIn(world.app, 'admin');
    const failures: string[] = [];
    for (const path of postRoutes()) {
      for (const [contentType, body] of [
        ['multipart/form-data', 'xx'],
        ['multipart/form-data; boundary=', '--\r\n'],
        ['multipart/form-data; boundary=XYZ', '--XYZ\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nabc'],
        ['Multipart/Form-Data; boundary=XYZ', 'garbage'],
      ] as const) {
        const res = await postRaw(admin, path, contentType, body);
        const html = await res.text();
        if (res.status !== 400 || !html.includes('読み取れませんでした')) failures.push(`${path} ${contentType}: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers 400 to an anonymous broken multipart post to /signin', async () => {
    const res = await postRaw(new Client(world.app), '/signin', 'multipart/form-data', 'xx');
    expect(res.status).toBe(400);
  });

  it('answers 422 with a message to an uploaded JSON document nested deeper than any plan', async () => {
    const editor = await signedIn(world.app, 'editor');
    for (const json of [`${'['.repeat(100_000)}${']'.repeat(100_000)}`, `{"format":"hoshin-plan/1","plan":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`]) {
      const body = new FormData();
      body.append('_csrf', editor.csrf);
      body.append('organizationId', String(world.nishiId));
      body.append('fiscalYear', '2041');
      body.append('source', 'upload');
      body.append('file', new File([json], 'deep.json', { type: 'application/json' }));
      const res = await editor.request('/staff/plans', { method: 'POST', body });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain('取り込めませんでした');
    }
  });

  it('answers 4xx, never 500, to JSON sent to any POST route', async () => {
    const admin = await signedIn(world.app, 'admin');
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    for (const path of postRoutes()) {
      const res = await postRaw(admin, path, 'application/json', deep);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });
});

describe('control characters in form fields', () => {
  const FIELDS = ['username', 'password', 'displayName', 'name', 'kana', 'slug', 'code', 'body', '_message', 'goal', 'issues[0].title', 'to', 'next', 'source', 'kind', 'role'];

  it('refuses NUL in any field of any POST route, naming the field, never 500', async () => {
    const admin = await signedIn(world.app, 'admin');
    const failures: string[] = [];
    for (const path of postRoutes()) {
      for (const field of FIELDS) {
        for (const res of [await admin.post(path, { [field]: 'a\u0000b' }), await postMultipart(admin, path, { [field]: 'a\u0000b' })]) {
          const html = await res.text();
          if (res.status !== 400 || !html.includes(field)) failures.push(`${path} ${field}: ${res.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses control characters in a user name at sign-in before it is stored', async () => {
    const client = new Client(world.app);
    client.csrf = hiddenValue(await (await client.get('/signin')).text(), '_csrf');
    const before = (await world.store.listAudit()).length;
    for (const c of ['\u0001', '\u001b', '\u007f', '\u0085', '\r\n', '\t']) {
      const res = await client.post('/signin', { username: `adm${c}in`, password: 'x' });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('ユーザー名');
    }
    expect((await world.store.listAudit()).length).toBe(before);
  });

  it('refuses control characters in field names', async () => {
    const admin = await signedIn(world.app, 'admin');
    expect((await admin.post('/admin/users', { 'user\u0001name': 'x' })).status).toBe(400);
  });
});

describeEachEngine('control characters in URLs', (engine) => {
  it('answers 404 to a path with NUL or another control character, never 500', async () => {
    const store = await createTestStore(engine);
    try {
      await bootstrap(store, { HOSHIN_ADMIN_PASSWORD: 'correct horse battery staple' });
      const app = createApp({ store });
      for (const path of ['/plans/nishi%00/2017', '/plans/%00/2017/text', '/api/v1/plans/nishi%00/2017', '/api/v1/plans/%01/2017', '/plans/nishi%7F/2017']) {
        const res = await app.request(path);
        expect(res.status, path).toBe(404);
      }
      expect((await app.request('/plans/nishi/2017')).status).toBe(200);
    } finally {
      await store.close();
    }
  });
});
