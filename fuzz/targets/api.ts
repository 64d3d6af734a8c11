/**
 * The web application's write endpoints and JSON API, driven in-process through the Hono app
 * (test/server/harness.ts's world: a bootstrapped SQLite store, one user per role, the seed
 * published and a draft). Every form a signed-in user can see is found by crawling the staff
 * and admin pages once; inputs post those forms with fields dropped, duplicated, renamed to
 * prototype keys, filled with edge values, files replaced by mutated documents and CSVs, the
 * body sent as another content type or damaged as bytes, and the CSRF token, cookie and
 * headers mutated; GET requests to the API and pages get odd paths and query strings.
 * Oracle: never a 5xx, and the body is readable.
 */
import { Client, createWorld, signedIn, USERS, type World } from '../../test/server/harness.ts';
import { EDGE_CHARS, ERA_WORDS, HUGE_NUMBERS, mutateBytes, mutateJsonText, PROTOTYPE_KEYS, utf8, type MutateOptions } from '../mutate.ts';
import { Rng } from '../rng.ts';
import { pdfFromLayoutText } from '../../test/formats/pdf/make-pdf.ts';
import { renderPlanXlsx } from '../../src/formats/xlsx/render.ts';
import { csvSeedIndicators, csvSeeds, jsonSeeds, pdcaPlan, textSeeds } from '../seeds.ts';
import { expectThat, type Target } from '../target.ts';

interface FieldSpec {
  name: string;
  /** The values the page offers (an input's value, every option of a select, a button's value). */
  values: string[];
  file: boolean;
}

interface FormSpec {
  user: string;
  action: string;
  multipart: boolean;
  fields: FieldSpec[];
}

interface ApiMaterial {
  forms: FormSpec[];
  gets: { user: string; path: string }[];
  documents: MutateOptions;
  csvs: MutateOptions;
  jsonTexts: string[];
}

/** A signed-in user per role, and nobody. */
const USER_NAMES = ['anonymous', ...Object.keys(USERS)];
/** Signing out would end the session the following inputs use. */
const SKIPPED_ACTIONS = /^\/signout$/;

const decodeHtml = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decodeHtml(m[1]!) : undefined;
};

/** Every POST form of a page with its fields (inputs, textareas, selects with all their options, named buttons). */
export function formsOf(html: string, user: string): FormSpec[] {
  const out: FormSpec[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const tag = m[1]!;
    const body = m[2]!;
    if ((attr(tag, 'method') ?? 'get').toLowerCase() !== 'post') continue;
    const action = attr(tag, 'action');
    if (!action || SKIPPED_ACTIONS.test(action)) continue;
    const fields = new Map<string, FieldSpec>();
    const add = (name: string | undefined, value: string, file = false) => {
      if (!name) return;
      const f = fields.get(name) ?? { name, values: [], file };
      if (!f.values.includes(value)) f.values.push(value);
      fields.set(name, f);
    };
    for (const i of body.matchAll(/<input\b[^>]*>/g)) add(attr(i[0], 'name'), attr(i[0], 'value') ?? '', attr(i[0], 'type') === 'file');
    for (const t of body.matchAll(/<textarea\b([^>]*)>([^<]*)<\/textarea>/g)) add(attr(t[1]!, 'name'), decodeHtml(t[2]!));
    for (const s of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) for (const o of s[2]!.matchAll(/<option\b[^>]*>/g)) add(attr(s[1]!, 'name'), attr(o[0], 'value') ?? '');
    for (const b of body.matchAll(/<button\b[^>]*>/g)) if (attr(b[0], 'name')) add(attr(b[0], 'name'), attr(b[0], 'value') ?? '');
    out.push({ user, action, multipart: /multipart/.test(attr(tag, 'enctype') ?? ''), fields: [...fields.values()] });
  }
  return out;
}

/** The harness's world, plus the PDCA fixture as 西区's 2019 draft: a plan with indicators, so the measurement forms and the CSV upload exist. */
async function fuzzWorld(): Promise<World & { pdcaPlanId: number }> {
  const world = await createWorld();
  const saved = await world.store.savePlan({ organizationId: world.nishiId, fiscalYear: 2019, plan: { ...pdcaPlan(), fiscalYear: 2019 }, basedOnRevision: null, author: 'editor', message: 'fuzz: a plan with indicators' });
  return { ...world, pdcaPlanId: saved.planId };
}

/** Staff and admin pages reachable from each user's home, and their forms (bounded: a few dozen pages each). */
async function crawl(world: World & { pdcaPlanId: number }): Promise<{ forms: FormSpec[]; gets: { user: string; path: string }[] }> {
  const forms: FormSpec[] = [];
  const gets: { user: string; path: string }[] = [];
  const seenForms = new Set<string>();
  for (const user of USER_NAMES) {
    const client = user === 'anonymous' ? new Client(world.app) : await signedIn(world.app, user);
    const queue = user === 'anonymous' ? ['/', '/signin', '/api/v2/plans', '/plans'] : ['/staff', '/admin', `/staff/plans/${world.seedPlanId}`, `/staff/plans/${world.draftPlanId}`, `/staff/plans/${world.pdcaPlanId}`, `/staff/plans/${world.pdcaPlanId}/indicators`];
    const seen = new Set(queue);
    for (let n = 0; queue.length > 0 && n < 60; n++) {
      const path = queue.shift()!;
      const res = await client.get(path);
      gets.push({ user, path });
      if (!(res.headers.get('content-type') ?? '').includes('text/html')) continue;
      const html = await res.text();
      for (const f of formsOf(html, user)) {
        const key = `${user} ${f.action} ${f.fields.map((x) => x.name).join(',')}`;
        if (!seenForms.has(key)) {
          seenForms.add(key);
          forms.push(f);
        }
      }
      for (const l of html.matchAll(/href="(\/[^"#]*)"/g)) {
        const href = decodeHtml(l[1]!);
        if (!seen.has(href) && !/signout|\.ics|\/static\//.test(href)) {
          seen.add(href);
          queue.push(href);
        }
      }
    }
  }
  return { forms, gets };
}

const ODD_NAMES = [...PROTOTYPE_KEYS, '_csrf', '', ' ', 'a[__proto__][x]', 'issues[0][__proto__]', '__proto__[polluted]', 'constructor[prototype][x]', 'issues.0.title', 'issues[99999999].title', 'issues[-1].title', 'issues[1e9].title', '名前', 'x\u0000y', 'a'.repeat(5000), 'file', 'source'];

function oddValue(rng: Rng): string {
  switch (rng.int(8)) {
    case 0: return rng.pick(HUGE_NUMBERS);
    case 1: return rng.pick(ERA_WORDS);
    case 2: return rng.pick(EDGE_CHARS).repeat(1 + rng.small(30));
    case 3: return rng.pick(PROTOTYPE_KEYS);
    case 4: return '';
    case 5: return 'あ'.repeat(rng.pick([1_001, 10_001, 300_001]));
    case 6: return rng.pick(['submit', 'approve', 'publish', 'withdraw', 'reject', 'return', 'delete', 'midYear', 'yearEnd', 'admin', 'editor', 'true', 'on', 'null', 'undefined', '[object Object]']);
    default: return String(rng.int(1_000_000) - 10);
  }
}

function fileBytes(rng: Rng, material: ApiMaterial, field: string, action: string): { bytes: Uint8Array; fileName: string; type: string } {
  const csv = /csv/.test(action) || /csv/.test(field);
  if (csv) return { bytes: mutateBytes(rng, material.csvs).bytes, fileName: rng.pick(['m.csv', 'm.CSV', 'm.txt', '', '../../x.csv', '測定.csv']), type: rng.pick(['text/csv', 'application/vnd.ms-excel', 'application/octet-stream', '']) };
  if (rng.chance(0.3)) {
    return { bytes: utf8(mutateJsonText(rng, rng.pick(material.jsonTexts))), fileName: rng.pick(['plan.json', 'plan.txt', 'p']), type: 'application/json' };
  }
  return { bytes: mutateBytes(rng, material.documents).bytes, fileName: rng.pick(['plan.txt', 'plan.json', 'plan.pdf', 'plan.xlsx', '', 'a"b.txt', '計画.txt']), type: rng.pick(['text/plain', 'application/pdf', '']) };
}

/** A request as data: what is saved for a finding and replayed. */
interface RequestMeta {
  user: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  csrf: 'valid' | 'missing' | 'wrong' | 'twice';
  /** How `bytes` is the body: form fields to encode (then in `fields`), a prepared raw body, or none. */
  body: 'form' | 'multipart' | 'raw' | 'none';
  fields?: [string, string][];
  /** For multipart: the file parts' field names and file names; their bytes are `bytes`. */
  file?: { field: string; fileName: string; type: string };
}

function mutatePath(rng: Rng, path: string): string {
  const [pathname, query] = path.split('?') as [string, string | undefined];
  const parts = pathname.split('/');
  if (rng.chance(0.5) && parts.length > 1) {
    parts[1 + rng.int(parts.length - 1)] = rng.pick(['0', '-1', '99999999999', '1e3', '01', '%2e%2e', '..', '%E3%81', '%00', 'a'.repeat(3000), '__proto__', 'constructor', encodeURIComponent(rng.pick(EDGE_CHARS)), '1.5', ' 1', '２']);
  }
  let q = query ?? '';
  if (rng.chance(0.6)) {
    const name = rng.pick(['limit', 'offset', 'page', 'next', 'recorded', 'deleted', 'format', '__proto__', 'year', 'from', 'to', 'q']);
    q = `${q}${q ? '&' : ''}${name}=${encodeURIComponent(rng.chance(0.5) ? oddValue(rng).slice(0, 2000) : rng.pick(HUGE_NUMBERS))}`;
  }
  if (rng.chance(0.05)) q += '&%E3=%&&==';
  return `${parts.join('/')}${q ? `?${q}` : ''}`;
}

/** A header's bytes as the fetch API carries them: UTF-8 sent by a client arrives as Latin-1 characters. */
const raw = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

function oddHeaders(rng: Rng): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let k = rng.small(3); k > 0; k--) {
    const [name, values] = rng.pick([
      ['if-none-match', ['*', '"x"', 'W/"1"', `"${'a'.repeat(5000)}"`, ',,,', raw('"あ"')]],
      ['if-modified-since', ['Thu, 01 Jan 1970 00:00:00 GMT', 'garbage', '', 'Mon, 99 Foo 99999 99:99:99 GMT']],
      ['accept-encoding', ['br', 'gzip, deflate, br, zstd', '*;q=0', 'identity;q=0', 'br;q=1.5', ',,']],
      ['accept', ['application/json', '*/*', 'text/html;q=0', '']],
      ['range', ['bytes=0-1', 'bytes=-1', 'bytes=5-1', 'bytes=0-1,2-3,-4']],
      ['origin', ['http://evil.example', 'null', '']],
      ['referer', ['http://evil.example/', '/staff', '']],
      ['x-forwarded-for', ['1.1.1.1', '::1', '127.0.0.1, 10.0.0.1', 'garbage']],
      ['x-forwarded-proto', ['https', 'http', 'gopher']],
      ['content-language', ['ja', raw('日本語')]],
    ] as const);
    headers[name] = rng.pick(values as readonly string[]);
  }
  return headers;
}

function generateRequest(material: ApiMaterial, rng: Rng): { bytes: Uint8Array; meta: RequestMeta } {
  if (rng.chance(0.25)) {
    // GET: the API, pages and downloads with odd paths, queries and headers.
    const g = rng.chance(0.3) ? { user: rng.pick(USER_NAMES), path: rng.pick(['/api/v1/plans', '/api/v2/plans', '/api/v2/plans.csv', '/api/v1/plans/nishi/2017', '/api/v2/plans/nishi/2017', '/plans/nishi/2017', '/plans/nishi/2017/text', '/api/v2/schema/hoshin-plan-2.json']) } : rng.pick(material.gets);
    return { bytes: new Uint8Array(0), meta: { user: rng.chance(0.8) ? g.user : rng.pick(USER_NAMES), method: rng.chance(0.9) ? 'GET' : rng.pick(['HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH']), path: rng.chance(0.7) ? mutatePath(rng, g.path) : g.path, headers: oddHeaders(rng), csrf: 'valid', body: 'none' } };
  }
  // Uniform over the actions (an edit form is found once per user who may see it; a CSV upload once).
  const action = rng.pick([...new Set(material.forms.map((f) => f.action))]);
  const form = rng.pick(material.forms.filter((f) => f.action === action));
  const fields: [string, string][] = [];
  let file: RequestMeta['file'];
  let bytes: Uint8Array = new Uint8Array(0);
  for (const f of form.fields) {
    if (f.name === '_csrf' || rng.chance(0.06)) continue;
    if (f.file) {
      if (!form.multipart) continue;
      const made = fileBytes(rng, material, f.name, form.action);
      bytes = made.bytes;
      file = { field: f.name, fileName: made.fileName, type: made.type };
      continue;
    }
    fields.push([f.name, rng.chance(0.8) ? rng.pick(f.values) : oddValue(rng)]);
  }
  // A file form asks for a document upload most of the time, so the importer behind it runs.
  const source = fields.find(([n]) => n === 'source');
  if (source && file && rng.chance(0.7)) source[1] = 'upload';
  for (let k = rng.small(4); k > 0; k--) {
    switch (rng.int(4)) {
      case 0: fields.push([rng.pick(ODD_NAMES), oddValue(rng)]); break;
      case 1: if (fields.length > 0) fields.push([rng.pick(fields)[0], oddValue(rng)]); break;
      case 2: if (fields.length > 0) rng.pick(fields)[0] = rng.pick(ODD_NAMES); break;
      default: if (fields.length > 0) fields.splice(rng.int(fields.length), 1);
    }
  }
  const headers = oddHeaders(rng);
  let body: RequestMeta['body'] = form.multipart ? 'multipart' : 'form';
  const how = rng.weighted([[85, 'as is'], [5, 'json'], [4, 'wrong type'], [6, 'damaged']] as const);
  if (how === 'json') {
    // A JSON body where a form is expected, its keys the form's and odd ones.
    const object: Record<string, unknown> = {};
    for (const [k, v] of fields) Object.defineProperty(object, k, { value: rng.chance(0.2) ? { nested: v } : v, enumerable: true, configurable: true, writable: true });
    bytes = utf8(JSON.stringify(object));
    headers['content-type'] = rng.pick(['application/json', 'application/json; charset=utf-8', 'text/json']);
    body = 'raw';
  } else if (how === 'wrong type') {
    headers['content-type'] = rng.pick(['text/plain', 'multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded; charset=shift_jis', 'application/octet-stream', '']);
  }
  return { bytes, meta: { user: rng.chance(0.9) ? form.user : rng.pick(USER_NAMES), method: 'POST', path: rng.chance(0.1) ? mutatePath(rng, form.action) : form.action, headers, csrf: rng.weighted([[88, 'valid'], [4, 'missing'], [4, 'wrong'], [4, 'twice']] as const), body, fields, ...(file ? { file } : {}), ...(how === 'damaged' ? { damaged: rng.int(2 ** 31) } : {}) } };
}

const BOUNDARY = '----hoshinfuzz7MA4YWxkTrZu0gW';

function multipart(fields: readonly [string, string][], file: RequestMeta['file'], bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  const quote = (s: string) => s.replace(/"/g, '%22').replace(/\r?\n/g, ' ');
  for (const [name, value] of fields) parts.push(utf8(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`));
  if (file) {
    parts.push(utf8(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${quote(file.field)}"; filename="${quote(file.fileName)}"\r\n${file.type ? `Content-Type: ${file.type}\r\n` : ''}\r\n`), bytes, utf8('\r\n'));
  }
  parts.push(utf8(`--${BOUNDARY}--\r\n`));
  return new Uint8Array(Buffer.concat(parts));
}

/** The HTTP request a RequestMeta describes, for a session's CSRF token. */
export function buildRequest(input: { bytes: Uint8Array; meta: Record<string, unknown> }, csrfToken: string, documents: MutateOptions, rngFor: (n: number) => Rng): { method: string; path: string; headers: Record<string, string>; body?: Uint8Array } {
  const meta = input.meta as unknown as RequestMeta & { damaged?: number };
  const headers: Record<string, string> = { ...meta.headers };
  if (meta.body === 'none') return { method: meta.method, path: meta.path, headers };
  const fields: [string, string][] = [...(meta.fields ?? [])];
  if (meta.csrf !== 'missing') fields.unshift(['_csrf', meta.csrf === 'wrong' ? 'x'.repeat(csrfToken.length) : csrfToken]);
  if (meta.csrf === 'twice') fields.push(['_csrf', 'another']);
  let body: Uint8Array;
  if (meta.body === 'raw') body = input.bytes;
  else if (meta.body === 'multipart') {
    body = multipart(fields, meta.file, input.bytes);
    headers['content-type'] ??= `multipart/form-data; boundary=${BOUNDARY}`;
  } else {
    body = utf8(new URLSearchParams(fields).toString());
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  // Damaged: the encoded body mutated as bytes (cut boundaries, broken percent-escapes), after the token went in.
  if (meta.damaged !== undefined) body = mutateBytes(rngFor(meta.damaged), { ...documents, seeds: [body], maxBytes: 2 * 1024 * 1024 }, body).bytes;
  return { method: meta.method, path: meta.path, headers, body };
}

/** A fresh world every this many requests: bounded database growth, and sessions an admin's fuzzed edits disabled come back. */
const WORLD_REQUESTS = 1500;

export const apiTarget: Target<ApiMaterial> = {
  name: 'api',
  hangMs: 30_000,
  async load() {
    // The upload page's reader (src/app/read-document.ts) ends a document after 60 s by default;
    // here, before this target's hang limit, so a PDF pdfjs would read for minutes is answered.
    process.env.HOSHIN_READ_TIMEOUT_S ??= '15';
    const world = await fuzzWorld();
    try {
      const { forms, gets } = await crawl(world);
      const indicators = csvSeedIndicators();
      const texts = textSeeds().filter((s) => /osaka-nishi-2017|yokohama|bad\//.test(s.name)).map((s) => s.bytes);
      const json = jsonSeeds().filter((s) => /pdca|osaka-nishi-2017\.json/.test(s.name));
      // A PDF and a workbook too: the upload reads both, and what breaks a reader in-process breaks the server.
      const seedText = new TextDecoder().decode(texts[0]).split('\n').slice(0, 20).join('\n');
      const binaries = [await pdfFromLayoutText(seedText), await renderPlanXlsx(pdcaPlan(), { creationDate: new Date(Date.UTC(2017, 3, 1)) })];
      return {
        forms, gets,
        documents: { seeds: [...texts, ...json.map((s) => s.bytes), ...binaries], dictionary: [...PROTOTYPE_KEYS, ...EDGE_CHARS.slice(0, 30), '【経営課題', '年度', '%PDF-1.4\n', 'PK\u0003\u0004'], maxBytes: 512 * 1024 },
        csvs: { seeds: csvSeeds(indicators).map((s) => s.bytes), dictionary: ['"', ',', '\r\n', '指標ID', '日付', '値', ...indicators.map((i) => i.id), ...HUGE_NUMBERS], maxBytes: 256 * 1024 },
        jsonTexts: json.map((s) => new TextDecoder().decode(s.bytes)),
      };
    } finally {
      await world.close();
    }
  },
  generate(material, rng) {
    const { bytes, meta } = generateRequest(material, rng);
    return { bytes, meta: meta as unknown as Record<string, unknown> };
  },
  async open(material) {
    let world: World | undefined;
    let clients = new Map<string, Client>();
    let served = 0;
    const logged: string[] = [];
    // The app logs an error before answering 500: keep it for the finding instead of printing it.
    const consoleError = console.error;
    console.error = (...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' ').slice(0, 4000));
    };
    const fresh = async () => {
      await world?.close();
      world = await fuzzWorld();
      clients = new Map();
      for (const user of USER_NAMES) clients.set(user, user === 'anonymous' ? new Client(world.app) : await signedIn(world.app, user));
    };
    return {
      async check(input) {
        if (!world || served++ % WORLD_REQUESTS === 0) await fresh();
        const meta = input.meta as unknown as RequestMeta;
        const client = clients.get(meta.user) ?? clients.get('anonymous')!;
        const request = buildRequest(input, client.csrf || 'no-session', material.documents, (n) => new Rng(n));
        logged.length = 0;
        const res = await client.request(request.path.startsWith('/') ? request.path : `/${request.path}`, {
          method: request.method,
          headers: request.headers,
          ...(request.body && !['GET', 'HEAD'].includes(request.method) ? { body: new Uint8Array(request.body) } : {}),
        });
        const body = await res.arrayBuffer();
        expectThat(res.status < 500, `${request.method} ${request.path.slice(0, 200)} as ${meta.user} answered ${res.status}${logged.length > 0 ? `: ${logged.join('\n').slice(0, 1500)}` : ''}`);
        expectThat(body.byteLength >= 0, 'unreadable body');
      },
      async close() {
        console.error = consoleError;
        await world?.close();
      },
    };
  },
};
