import { readFileSync } from 'node:fs';
import { applySetCookies } from '../support/cookies.ts';
import type { Hono } from 'hono';
import { parseDocument } from '../../src/formats/index.ts';
import type { Plan } from '../../src/domain/plan.ts';
import { createApp, type AppOptions } from '../../src/server/app.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import { bootstrap } from '../../src/server/bootstrap.ts';
import type { AppEnv } from '../../src/server/context.ts';
import { createTestStore, type Engine, type Role, type Store } from '../../src/store/index.ts';

export const PASSWORD = 'correct horse battery staple';
/** Cheap scrypt parameters: tests sign in many times; the format is the same. */
const TEST_HASH = { N: 1024, r: 8, p: 1 };

export function seedPlan(): Plan {
  const parsed = parseDocument(readFileSync(new URL('../fixtures/text/osaka-nishi-2017.txt', import.meta.url)), 'seed.txt');
  if (!parsed.plan) throw new Error('seed fixture does not parse');
  return parsed.plan;
}

export interface World {
  store: Store;
  app: Hono<AppEnv>;
  nishiId: number;
  kitaId: number;
  /** Plan ids: the published seed (西区 2017), and a draft never published (西区 2018). */
  seedPlanId: number;
  draftPlanId: number;
  close(): Promise<void>;
}

export const USERS: Record<string, { role: Role; ward: 'nishi' | 'kita' | null }> = {
  admin: { role: 'admin', ward: null },
  editor: { role: 'editor', ward: 'nishi' },
  editor2: { role: 'editor', ward: 'nishi' },
  kitaeditor: { role: 'editor', ward: 'kita' },
  approver: { role: 'approver', ward: 'nishi' },
  kitaapprover: { role: 'approver', ward: 'kita' },
  planner: { role: 'planner', ward: null },
};

/** A fresh store, bootstrapped as `serve` does on first start, with one user per role and a draft plan. */
export async function createWorld(options: Partial<AppOptions> = {}, engine: Engine = 'sqlite'): Promise<World> {
  const store = await createTestStore(engine);
  await bootstrap(store, { HOSHIN_ADMIN_PASSWORD: PASSWORD });
  const nishi = (await store.findOrganization('nishi'))!;
  const kita = (await store.findOrganization('kita'))!;
  const hash = await hashPassword(PASSWORD, TEST_HASH);
  for (const [username, u] of Object.entries(USERS)) {
    if (username === 'admin') continue;
    const organizationId = u.ward === 'nishi' ? nishi.id : u.ward === 'kita' ? kita.id : null;
    await store.createUser({ username, displayName: `${username}さん`, passwordHash: hash, role: u.role, organizationId });
  }
  const seed = (await store.findPlan(nishi.id, 2017))!;
  const draft = await store.savePlan({
    organizationId: nishi.id, fiscalYear: 2018, plan: { ...seedPlan(), fiscalYear: 2018, goal: '非公開の下書き' },
    basedOnRevision: null, author: 'editor', message: 'test draft',
  });
  const app = createApp({ store, ...options });
  return { store, app, nishiId: nishi.id, kitaId: kita.id, seedPlanId: seed.id, draftPlanId: draft.planId, close: () => store.close() };
}

/** A browser-like client: keeps cookies, adds the CSRF token to every form it posts. */
export class Client {
  private cookies = new Map<string, string>();
  csrf = '';

  constructor(private readonly app: Hono<AppEnv>, private readonly base = 'http://localhost') {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await this.app.request(`${this.base}${path}`, { ...init, headers });
    applySetCookies(this.cookies, res.headers.getSetCookie());
    return res;
  }

  /** The same browser talking to another app process: cookies shared. */
  via(app: Hono<AppEnv>): Client {
    const other = new Client(app, this.base);
    other.cookies = this.cookies;
    other.csrf = this.csrf;
    return other;
  }

  get(path: string): Promise<Response> {
    return this.request(path);
  }

  /** Posts fields as a form; `_csrf` is added unless given. */
  post(path: string, fields: Record<string, string> = {}): Promise<Response> {
    const body = new URLSearchParams({ _csrf: this.csrf, ...fields });
    return this.request(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  async signIn(username: string, password = PASSWORD): Promise<Response> {
    const form = await (await this.get('/signin')).text();
    this.csrf = hiddenValue(form, '_csrf');
    const res = await this.post('/signin', { username, password, next: '/staff' });
    if (res.status === 303) this.csrf = hiddenValue(await (await this.get('/staff')).text(), '_csrf');
    return res;
  }
}

export function hiddenValue(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no ${name} field in page`);
  return m[1]!;
}

export async function signedIn(app: Hono<AppEnv>, username: string): Promise<Client> {
  const client = new Client(app);
  const res = await client.signIn(username);
  if (res.status !== 303) throw new Error(`sign-in as ${username} failed: ${res.status}`);
  return client;
}

function decodeHtml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The fields a browser would send for the first form with this action (inputs, textareas, selected options). */
export function formFieldsOf(html: string, action?: string): Record<string, string> {
  const start = action ? html.indexOf(`action="${action}"`) : html.indexOf('<form');
  const form = html.slice(start, html.indexOf('</form>', start));
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input(?=[^>]*type="(?:text|hidden|number|password)")[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"/g)) fields[decodeHtml(m[1]!)] = decodeHtml(m[2]!);
  for (const m of form.matchAll(/<textarea[^>]*?name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) fields[decodeHtml(m[1]!)] = decodeHtml(m[2]!);
  for (const m of form.matchAll(/<select[^>]*?name="([^"]+)"[^>]*>(.*?)<\/select>/gs)) {
    const selected = /<option value="([^"]*)" selected/.exec(m[2]!) ?? /<option value="([^"]*)"/.exec(m[2]!);
    if (selected) fields[m[1]!] = decodeHtml(selected[1]!);
  }
  return fields;
}
