import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestStore } from '../../src/store/index.ts';
import { describeEachEngine } from '../store/engines.ts';
import { browserAvailable, launchBrowser, startServer, type RunningServer } from '../support/browser.ts';

/**
 * Script and markup typed into every text field come out as text on every page. The
 * CSP would stop inline script anyway; this checks the markup itself: no dialog, and
 * no element the payloads would create.
 */
const PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'];
const PASSWORD = 'staff-password-0001';

// On each engine: what the store gives back must come out as text whatever stored it.
describeEachEngine('markup typed into fields', (engine) => describe.skipIf(!browserAvailable())('stays inert', { timeout: 120_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let database: TestStore | undefined;
  const dialogs: string[] = [];

  beforeAll(async () => {
    database = engine === 'postgres' ? await createTestDatabase('postgres') : undefined;
    [server, browser] = await Promise.all([startServer(database ? { databaseUrl: database.url } : {}), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.store.close();
  });

  async function page(): Promise<Page> {
    const p = await (await browser.newContext()).newPage();
    p.on('dialog', (d) => {
      dialogs.push(`${p.url()}: ${d.message()}`);
      void d.dismiss();
    });
    return p;
  }

  async function signIn(p: Page, username: string, password = PASSWORD) {
    await p.goto(`${server.url}/signin`);
    await p.locator('#username').fill(username);
    await p.locator('#password').fill(password);
    await p.getByRole('button', { name: 'サインイン' }).click();
    await p.waitForURL(/\/staff$/);
  }

  /** No dialog so far, and nothing the payloads would have made. */
  async function expectInert(p: Page, path: string | null, expectText = true) {
    if (path !== null) await p.goto(`${server.url}${path}`);
    const found = await p.evaluate(() => ({
      scripts: document.querySelectorAll('script').length,
      images: document.querySelectorAll('img').length,
      handlers: Array.from(document.querySelectorAll('*')).filter((e) => Array.from(e.attributes).some((a) => a.name.startsWith('on'))).length,
      text: document.body.innerText + Array.from(document.querySelectorAll('input, textarea')).map((e) => (e as HTMLInputElement).value).join('\n'),
    }));
    expect({ path, scripts: found.scripts, images: found.images, handlers: found.handlers }).toEqual({ path, scripts: 0, images: 0, handlers: 0 });
    if (expectText) for (const payload of PAYLOADS) expect(found.text, path ?? p.url()).toContain(payload);
    expect(dialogs).toEqual([]);
  }

  it('in the plan, comments, messages and names, on every public and staff page', async () => {
    const admin = await page();
    await signIn(admin, 'admin', server.adminPassword);
    await admin.goto(`${server.url}/admin`);
    for (const [username, role, name] of [['editor', 'editor', PAYLOADS[0]!], ['approver', 'approver', PAYLOADS[1]!]] as const) {
      await admin.locator('#new-username').fill(username);
      await admin.locator('#new-displayName').fill(name);
      await admin.locator('#new-role').selectOption(role);
      await admin.locator('#new-org').selectOption({ label: '西区' });
      await admin.locator('#new-password').fill(PASSWORD);
      await admin.getByRole('button', { name: '作成', exact: true }).first().click();
    }
    await expectInert(admin, '/admin');

    const editor = await page();
    await signIn(editor, 'editor');
    const planPath = '/staff/plans/1';
    await editor.goto(`${server.url}${planPath}/edit`);
    // Fields used less often sit in closed <details>: open them all, as a person filling everything would.
    await editor.$$eval('form.editor details', (els) => els.forEach((d) => ((d as HTMLDetailsElement).open = true)));
    const names = await editor.$$eval('form.editor input[type=text], form.editor textarea', (els) =>
      els.map((e) => (e as HTMLInputElement).name).filter((n) => !/(number|budgetThousandYen|cmBudgetThousandYen|sdgs|value|fiscalYear|date)$/.test(n)));
    expect(names.length).toBeGreaterThan(30);
    for (const [i, name] of names.entries()) await editor.locator(`[name="${name}"]`).fill(`${PAYLOADS[i % 2]} ${PAYLOADS[(i + 1) % 2]}`);
    // A structural button re-renders the form from what was typed: values must survive as values.
    await editor.getByRole('button', { name: '使命1を下へ移動' }).click();
    await expectInert(editor, null);
    await editor.getByRole('button', { name: '保存する' }).first().click();
    expect(await editor.getByRole('status').innerText()).toContain('を保存しました');
    await editor.locator('#comment-body').fill(PAYLOADS.join(' '));
    await editor.getByRole('button', { name: 'コメントを送る' }).click();
    await editor.getByRole('button', { name: '承認依頼' }).click();

    const approver = await page();
    await signIn(approver, 'approver');
    await approver.goto(`${server.url}${planPath}`);
    await approver.getByRole('button', { name: '承認', exact: true }).click();
    await approver.getByLabel('案のまま公開する').check();
    await approver.getByRole('button', { name: '公開', exact: true }).click();

    for (const path of [planPath, `${planPath}/edit`, `${planPath}/history`, `${planPath}/revisions/2`, '/staff']) {
      await expectInert(editor, path, path !== '/staff');
    }
    const visitor = await page();
    await expectInert(visitor, '/plans/nishi/2017');
    await expectInert(visitor, '/', false);
    const api = await visitor.request.get(`${server.url}/api/v1/plans/nishi/2017`);
    expect(api.headers()['content-type']).toMatch(/^application\/json/);
    expect((await api.json()).goal).toContain(PAYLOADS[0]);
    const text = await visitor.request.get(`${server.url}/plans/nishi/2017/text`);
    expect(text.headers()['content-type']).toMatch(/^text\/plain/);
  });
}));
