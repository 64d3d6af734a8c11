/**
 * PDFs and workbooks are read in worker threads with a time and memory limit
 * (src/app/read-document.ts): a document that makes pdfjs work for minutes is ended and
 * answered with a message, while the process goes on; the bundled `hoshin serve` finds its
 * worker beside main.js.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPlanDocument } from '../../src/app/documents.ts';
import { DocumentReader, ReaderBusyError, readerLimitsFromEnv } from '../../src/app/read-document.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import { createTestDatabase } from '../../src/store/index.ts';
import { applySetCookies } from '../support/cookies.ts';
import { pdcaPlan, seedPlan } from '../support/document-plans.ts';
import { startHoshin } from '../support/hoshin-process.ts';
import { createWorld, hiddenValue, signedIn } from '../server/harness.ts';

/**
 * A PDF with no cross-reference table and the same object begun `duplicates` times, never
 * closed: pdfjs rebuilds the table by parsing each duplicate to the end of the file, so the time
 * grows with the square of the count (4,000: ~3 s; 12,000: ~30 s on the machine this was
 * written on). Found by the fuzzer (docs/fuzzing.md, finding 10) in a 1 MB mutated plan PDF.
 */
function slowPdf(duplicates: number): Uint8Array {
  return new TextEncoder().encode(`%PDF-1.4\n${'1 0 obj\n[\n'.repeat(duplicates)}`);
}

const readers: DocumentReader[] = [];
const reader = (limits: ConstructorParameters<typeof DocumentReader>[0] = {}) => {
  const r = new DocumentReader(limits);
  readers.push(r);
  return r;
};
afterAll(async () => {
  await Promise.all(readers.map((r) => r.close()));
});

describe('DocumentReader', () => {
  it('reads Hoshin’s own PDF and workbook in a worker to the same plan', async () => {
    const plan = pdcaPlan();
    const r = reader();
    const fromPdf = await r.read(await renderPlanDocument(plan, 'pdf'), 'plan.pdf');
    expect(fromPdf.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(fromPdf.format).toBe('pdf');
    expect(fromPdf.plan).toEqual(plan);
    const fromXlsx = await r.read(await renderPlanDocument(plan, 'xlsx'), 'plan.xlsx');
    expect(fromXlsx.format).toBe('xlsx');
    expect(fromXlsx.plan).toEqual(plan);
    // Strictly the same, prototypes too: the rating scales stay a null-prototype map (a
    // structured clone across threads would have made it an ordinary object).
    expect(Object.keys(plan.ratingScales ?? {})).not.toEqual([]);
    for (const read of [fromPdf.plan, fromXlsx.plan]) {
      expect(isDeepStrictEqual(read, plan)).toBe(true);
      expect(Object.getPrototypeOf(read!.ratingScales)).toBeNull();
    }
  });

  it('reads text in place', async () => {
    const r = reader({ maxConcurrent: 1, maxWaiting: 0 });
    const text = await renderPlanDocument(seedPlan(), 'text');
    const [a, b] = await Promise.all([r.read(text, 'a.txt'), r.read(text, 'b.txt')]);
    expect(a.plan?.organization).toBe(seedPlan().organization);
    expect(b.plan).toEqual(a.plan);
  });

  it('ends a PDF that outlasts its time, answers where, and the process goes on meanwhile', async () => {
    // The limit counts from the request, a new worker's start included (a second or two from
    // the sources on a busy machine): 5 s leaves the next read below room for both.
    const r = reader({ timeoutMs: 5000 });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 50);
    const started = performance.now();
    const result = await r.read(slowPdf(12_000), 'slow.pdf');
    const elapsed = performance.now() - started;
    clearInterval(ticker);
    expect(result.plan).toBeUndefined();
    expect(result.diagnostics).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining('PDFファイルを5秒以内に読み終えられなかった') })]);
    // It was ended near its limit, not read to the end (~30 s), and this thread's timers kept
    // running: the read was not on it.
    expect(elapsed).toBeLessThan(15_000);
    expect(ticks).toBeGreaterThan(10);
    // The next document gets a new worker.
    const next = await r.read(await renderPlanDocument(seedPlan(), 'pdf'), 'seed.pdf');
    expect(next.plan?.organization, JSON.stringify(next.diagnostics)).toBe(seedPlan().organization);
  }, 60_000);

  it('ends a worker that goes over its memory limit', async () => {
    // 8 MB of old generation is not enough to load pdfjs and read a plan's PDF.
    const r = reader({ memoryMb: 8 });
    const result = await r.read(await renderPlanDocument(pdcaPlan(), 'pdf'), 'plan.pdf');
    expect(result.plan).toBeUndefined();
    expect(result.diagnostics[0]?.message).toMatch(/メモリ\(8 MB\)を超えた/);
  }, 60_000);

  it('refuses a document beyond the waiting line instead of queueing without end', async () => {
    const r = reader({ maxConcurrent: 1, maxWaiting: 1, timeoutMs: 1000 });
    const bytes = slowPdf(12_000);
    const reads = [r.read(bytes, '1.pdf'), r.read(bytes, '2.pdf'), r.read(bytes, '3.pdf')];
    const outcomes = await Promise.allSettled(reads);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(ReaderBusyError);
    // The slots were given back: a later read is taken.
    expect((await r.read(bytes, '4.pdf')).diagnostics[0]?.message).toContain('読み終えられなかった');
  }, 60_000);

  it('takes its limits from the environment, and says which setting is wrong', () => {
    expect(readerLimitsFromEnv({ HOSHIN_READ_TIMEOUT_S: '2.5', HOSHIN_READ_MEMORY_MB: '256' })).toEqual({ timeoutMs: 2500, memoryMb: 256 });
    expect(readerLimitsFromEnv({})).toEqual({});
    expect(() => readerLimitsFromEnv({ HOSHIN_READ_TIMEOUT_S: '-1' })).toThrow(/HOSHIN_READ_TIMEOUT_S/);
    expect(() => readerLimitsFromEnv({ HOSHIN_READ_MEMORY_MB: 'lots' })).toThrow(/HOSHIN_READ_MEMORY_MB/);
  });
});

describe('the upload page with the reader busy', () => {
  it('answers 503 with a Japanese message beyond the waiting line, and stores nothing', async () => {
    const busy = reader({ maxConcurrent: 1, maxWaiting: 0, timeoutMs: 3000 });
    const world = await createWorld({ documentReader: busy });
    try {
      const editor = await signedIn(world.app, 'editor');
      const upload = (fiscalYear: number) => {
        const body = new FormData();
        body.set('_csrf', editor.csrf);
        body.set('organizationId', String(world.nishiId));
        body.set('fiscalYear', String(fiscalYear));
        body.set('source', 'upload');
        body.set('file', new File([Buffer.from(slowPdf(12_000))], 'slow.pdf', { type: 'application/pdf' }));
        return editor.request('/staff/plans', { method: 'POST', body });
      };
      const [first, second] = await Promise.all([upload(2030), upload(2031)]);
      const statuses = [first.status, second.status].sort();
      expect(statuses).toEqual([422, 503]);
      const refused = first.status === 503 ? first : second;
      expect(await refused.text()).toContain('ほかのファイルの読み込みが混み合っています');
      expect(await world.store.findPlan(world.nishiId, 2030)).toBeUndefined();
      expect(await world.store.findPlan(world.nishiId, 2031)).toBeUndefined();
    } finally {
      await world.close();
    }
  }, 60_000);
});

describe('the bundled server reads uploads in its worker', () => {
  const password = 'read-document-test-password';
  let dir: string;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: Awaited<ReturnType<typeof startHoshin>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hoshin-read-'));
    db = await createTestDatabase('sqlite');
    process.env.HOSHIN_READ_TIMEOUT_S = '5';
    try {
      server = await startHoshin(db.url, { cwd: dir, adminPassword: password });
    } finally {
      delete process.env.HOSHIN_READ_TIMEOUT_S;
    }
    const nishi = (await db.store.findOrganization('nishi'))!;
    await db.store.createUser({ username: 'uploader', displayName: '取込 担当', passwordHash: await hashPassword(password, { N: 1024, r: 8, p: 1 }), role: 'editor', organizationId: nishi.id });
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await db?.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signedInEditor() {
    const cookies = new Map<string, string>();
    const go = async (path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
      headers.set('origin', server.url);
      const res = await fetch(`${server.url}${path}`, { ...init, headers, redirect: 'manual' });
      applySetCookies(cookies, res.headers.getSetCookie());
      return res;
    };
    const signin = await (await go('/signin')).text();
    const answer = await go('/signin', { method: 'POST', body: new URLSearchParams({ _csrf: hiddenValue(signin, '_csrf'), username: 'uploader', password, next: '/staff' }) });
    expect(answer.status).toBe(303);
    const form = await (await go('/staff/plans/new')).text();
    const nishiId = (await db.store.findOrganization('nishi'))!.id;
    const upload = (bytes: Uint8Array, name: string, fiscalYear: number) => {
      const body = new FormData();
      body.set('_csrf', hiddenValue(form, '_csrf'));
      body.set('organizationId', String(nishiId));
      body.set('fiscalYear', String(fiscalYear));
      body.set('source', 'upload');
      body.set('file', new File([Buffer.from(bytes)], name, { type: 'application/pdf' }));
      return go('/staff/plans', { method: 'POST', body });
    };
    return { upload, nishiId };
  }

  it('creates a plan from an uploaded PDF, and ends a slow one with a message while answering others', async () => {
    const editor = await signedInEditor();
    const plan = { ...seedPlan(), fiscalYear: 2019, title: '令和元年度 西区運営方針' };
    const created = await editor.upload(await renderPlanDocument(plan, 'pdf'), 'nishi-2019.pdf', 2019);
    expect(created.status).toBe(303);
    expect(await db.store.findPlan(editor.nishiId, 2019)).toBeDefined();

    const slow = editor.upload(slowPdf(12_000), 'slow.pdf', 2020);
    // While the worker reads, the server's own thread answers the public.
    await new Promise((r) => setTimeout(r, 300));
    const during = performance.now();
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    const publicMs = performance.now() - during;
    const refused = await slow;
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('PDFファイルを5秒以内に読み終えられなかった');
    expect(publicMs).toBeLessThan(1500);
    expect(await db.store.findPlan(editor.nishiId, 2020)).toBeUndefined();
    expect(server.output()).not.toMatch(/処理されなかったエラー/);
    // It ran the bundle (the worker beside main.js), not the sources through tsx.
    expect(server.output()).not.toContain('TypeScript のまま起動');
  }, 120_000);
});
