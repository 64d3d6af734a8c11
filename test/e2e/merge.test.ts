import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, browserAvailable, launchBrowser, ROOT, startServer, type RunningServer, newOfflinePage, signInAs } from '../support/browser.ts';

/**
 * Two editors of 西区 on the same plan, each in a browser context of their own: a save is
 * the editor's changes merged onto the newest revision, the same field changed on both
 * sides is asked about field by field, Enter in a text field only saves, and saving a plan
 * under review withdraws the request and says so.
 *
 * Every check reads the saved result back through the staff pages (the editor opened anew
 * shows the latest revision, field by field), never through what the form just posted.
 * Screenshots go to the git-ignored test-results/screenshots/.
 */
const SCREENSHOTS = join(ROOT, 'test-results/screenshots');
const STAFF_PASSWORD = 'staff-password-0001';
/** 具体的取組 1-1-1 and the first initiative of the second strategy of 経営課題2 (2-4-1 in the seed plan). */
const BUDGET_111 = 'issues[0].strategies[0].initiatives[0].budgetThousandYen';
const BUDGET_2X1 = 'issues[1].strategies[1].initiatives[0].budgetThousandYen';
const DESCRIPTION_111 = 'issues[0].strategies[0].initiatives[0].description';
const TITLE_2X1 = 'issues[1].strategies[1].initiatives[0].title';

describe.skipIf(!browserAvailable())('two editors saving the same plan, in a real browser', { timeout: 120_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** Editor A (editor-a) and editor B (editor-b), both 編集者 of 西区, each signed in in a context of their own. */
  let a: Page;
  let b: Page;
  let planPath: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const admin = await newPage();
    await signIn(admin, 'admin', server.adminPassword);
    await admin.goto(`${server.url}/admin`);
    for (const username of ['editor-a', 'editor-b']) {
      await admin.locator('#new-username').fill(username);
      await admin.locator('#new-displayName').fill(`${username}さん`);
      await admin.locator('#new-role').selectOption({ label: '編集者' });
      await admin.locator('#new-org').selectOption({ label: '西区' });
      await admin.locator('#new-password').fill(STAFF_PASSWORD);
      await admin.getByRole('button', { name: '作成', exact: true }).first().click();
      expect(await admin.locator('.flash').innerText()).toContain('ユーザーを作成しました');
    }
    [a, b] = [await newPage(), await newPage()];
    await signIn(a, 'editor-a', STAFF_PASSWORD);
    await signIn(b, 'editor-b', STAFF_PASSWORD);
    await a.getByRole('link', { name: /西区 平成29年度/ }).click();
    planPath = new URL(a.url()).pathname;
    expect(planPath).toMatch(/^\/staff\/plans\/\d+$/);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const newPage = () => newOfflinePage(browser, server, contexts);

  const signIn = (page: Page, username: string, password: string) => signInAs(page, server, username, password);

  async function expectAccessible(page: Page) {
    const violations = await axeViolations(page);
    expect(violations, `${page.url()}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  }

  async function openEditor(page: Page) {
    await page.goto(`${server.url}${planPath}/edit`);
    expect(await page.locator('h1').innerText()).toContain('運営方針の編集');
  }

  /** Every field of the editor's form: name → value, in document order. */
  function formValues(page: Page): Promise<[string, string][]> {
    return page.locator('form.editor').evaluate((form) =>
      Array.from((form as HTMLFormElement).elements)
        .filter((e): e is HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement =>
          'name' in e && typeof e.name === 'string' && e.name !== '' && !(e instanceof HTMLButtonElement) && !e.name.startsWith('_'))
        .map((e) => [e.name, e.value] as [string, string]));
  }

  /** The newest revision as the editor shows it when opened anew: its number and its fields. */
  async function latest(page: Page): Promise<{ revision: number; fields: Map<string, string> }> {
    await openEditor(page);
    const m = /版 (\d+) をもとに編集しています/.exec(await page.locator('main').innerText());
    expect(m, 'the editor names the revision it starts from').not.toBeNull();
    return { revision: Number(m![1]), fields: new Map(await formValues(page)) };
  }

  async function save(page: Page) {
    await page.getByRole('button', { name: '保存する', exact: true }).first().click();
    await page.waitForLoadState();
  }

  it('keeps both editors\' changes when they changed different fields, and tells the second that it merged', async () => {
    const before = await latest(a);
    expect(before.fields.has(BUDGET_2X1), `${BUDGET_2X1} exists in the seed plan`).toBe(true);
    // Both open the editor on the same revision.
    await openEditor(a);
    await openEditor(b);
    await a.locator(`[name="${BUDGET_111}"]`).fill('12345');
    await a.locator('#f-message').fill('Aさん: 1-1-1 の予算');
    await save(a);
    expect(new URL(a.url()).pathname).toBe(planPath);
    const aStatus = await a.getByRole('status').innerText();
    expect(aStatus).toContain(`版 ${before.revision + 1} を保存しました`);
    expect(aStatus).not.toContain('ほかの人が先に保存した変更と合わせて');

    // B still has the page opened before A's save, on the old revision.
    expect(await b.locator(`[name="${BUDGET_111}"]`).inputValue()).toBe(before.fields.get(BUDGET_111));
    await b.locator(`[name="${BUDGET_2X1}"]`).fill('67890');
    await b.locator('#f-message').fill('Bさん: 2番目の戦略の取組の予算');
    await save(b);
    expect(new URL(b.url()).pathname, 'no conflict screen: B lands on the plan page').toBe(planPath);
    expect(await b.locator('h1').innerText()).not.toBe('保存する前に選んでください');
    const bStatus = await b.getByRole('status').innerText();
    expect(bStatus).toContain(`版 ${before.revision + 2} を保存しました`);
    expect(bStatus).toContain('ほかの人が先に保存した変更と合わせて保存しました');

    const after = await latest(a);
    expect(after.revision).toBe(before.revision + 2);
    expect(after.fields.get(BUDGET_111)).toBe('12345');
    expect(after.fields.get(BUDGET_2X1)).toBe('67890');
    // Nothing else moved: the only differences from the start are the two budgets.
    const changed = [...after.fields].filter(([name, value]) => before.fields.get(name) !== value).map(([name]) => name);
    expect(changed.sort()).toEqual([BUDGET_111, BUDGET_2X1].sort());
    expect([...after.fields.keys()]).toEqual([...before.fields.keys()]);
  });

  it('asks about the one field both changed, with the three versions, and saves the choice on top of the other\'s changes', async () => {
    const before = await latest(a);
    await openEditor(a);
    await openEditor(b);
    await a.locator('[name="goal"]').fill('Aさんが書いた目標');
    await a.locator(`[name="${DESCRIPTION_111}"]`).fill('Aさんが書いた取組の内容。');
    await save(a);
    expect(await a.getByRole('status').innerText()).toContain(`版 ${before.revision + 1} を保存しました`);

    await b.locator('[name="goal"]').fill('Bさんが書いた目標');
    // B's change A did not touch travels through the conflict screen without being asked about.
    await b.locator('[name="head"]').fill('Bさんが直した区長名');
    await save(b);
    expect(await b.locator('h1').innerText()).toBe('保存する前に選んでください');
    const conflicts = b.locator('fieldset.conflict');
    expect(await conflicts.count(), 'only the field both changed is asked about').toBe(1);
    const conflict = await conflicts.innerText();
    expect(await conflicts.locator('legend').innerText()).toContain('目標');
    expect(conflict).toContain(before.fields.get('goal')!.trim().slice(0, 20));
    expect(conflict).toContain('Aさんが書いた目標');
    expect(conflict).toContain('Bさんが書いた目標');
    expect(await conflicts.locator('tbody tr').count()).toBe(3);
    // A's other change is not asked about: it is not on the screen at all.
    expect(await b.locator('main').innerText()).not.toContain('Aさんが書いた取組の内容');
    expect(await b.locator('main').innerText()).not.toContain('Bさんが直した区長名');
    await expectAccessible(b);
    const width = await b.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    expect(width.scroll).toBeLessThanOrEqual(width.inner);
    await b.screenshot({ path: join(SCREENSHOTS, 'merge-conflict.png'), fullPage: true });

    await b.getByLabel('あなたの変更を残す').check();
    await b.getByRole('button', { name: '選んだ内容で保存する' }).click();
    await b.waitForLoadState();
    expect(new URL(b.url()).pathname).toBe(planPath);
    const status = await b.getByRole('status').innerText();
    expect(status).toContain(`版 ${before.revision + 2} を保存しました`);
    expect(status).toContain('ほかの人が先に保存した変更と合わせて保存しました');

    const after = await latest(a);
    expect(after.revision).toBe(before.revision + 2);
    // The whole plan travelled through the conflict screen: every item (様式3 too) is still there, ids unchanged.
    expect([...after.fields.keys()]).toEqual([...before.fields.keys()]);
    expect(after.fields.get('goal')).toBe('Bさんが書いた目標');
    expect(after.fields.get(DESCRIPTION_111)).toBe('Aさんが書いた取組の内容。');
    expect(after.fields.get('head')).toBe('Bさんが直した区長名');
    const changed = [...after.fields].filter(([name, value]) => before.fields.get(name) !== value).map(([name]) => name);
    expect(changed.sort()).toEqual(['goal', 'head', DESCRIPTION_111].sort());
  });

  it('saves, and does nothing else, when Enter is pressed in a single-line field deep in the form', async () => {
    const cases = [
      { field: TITLE_2X1, change: (p: Page) => p.locator(`[name="${TITLE_2X1}"]`).fill('Enterで保存した題名') },
      {
        field: '_message',
        change: async (p: Page) => {
          await p.locator(`[name="${BUDGET_2X1}"]`).fill('11111');
          await p.locator('#f-message').fill('Enterで保存');
        },
      },
    ];
    for (const { field, change } of cases) {
      const before = await latest(a);
      await change(a);
      await a.locator(`[name="${field}"]`).focus();
      await a.keyboard.press('End');
      await a.keyboard.press('Enter');
      await a.waitForURL((u) => u.pathname === planPath && u.searchParams.has('saved'));
      expect(new URL(a.url()).searchParams.get('saved'), field).toBe(String(before.revision + 1));

      const after = await latest(a);
      expect(after.revision, field).toBe(before.revision + 1);
      // No add, remove or move: the same fields, in the same order, and the same number of items.
      expect([...after.fields.keys()], field).toEqual([...before.fields.keys()]);
      const count = (fields: Map<string, string>, re: RegExp) => [...fields.keys()].filter((n) => re.test(n)).length;
      for (const re of [/^issues\[\d+\]\.title$/, /^issues\[\d+\]\.strategies\[\d+\]\.title$/, /\.initiatives\[\d+\]\.title$/, /^mission\[\d+\]$/]) {
        expect(count(after.fields, re), `${field}: ${re}`).toBe(count(before.fields, re));
      }
    }
    const saved = await latest(a);
    expect(saved.fields.get(TITLE_2X1)).toBe('Enterで保存した題名');
    expect(saved.fields.get(BUDGET_2X1)).toBe('11111');
  });

  it('says before saving that a save withdraws the request for approval, and afterwards that it did', async () => {
    await b.goto(`${server.url}${planPath}`);
    await b.getByRole('button', { name: '承認依頼', exact: true }).click();
    expect(await b.locator('main').innerText()).toContain('状態: 承認待ち');

    const before = await latest(a);
    expect(await a.locator('main').innerText()).toContain('保存すると承認依頼は取り下げられ');
    await a.locator(`[name="${BUDGET_111}"]`).fill('22222');
    await save(a);
    expect(new URL(a.url()).pathname).toBe(planPath);
    const status = await a.getByRole('status').innerText();
    expect(status).toContain(`版 ${before.revision + 1} を保存しました`);
    expect(status).toContain('承認依頼は取り下げました');
    expect(await a.locator('main').innerText()).toContain('状態: 編集中');
    // The request can be made again, on the new revision.
    expect(await a.getByRole('button', { name: '承認依頼', exact: true }).count()).toBe(1);

    const after = await latest(a);
    expect(after.fields.get(BUDGET_111)).toBe('22222');
    expect(await a.locator('main').innerText()).not.toContain('保存すると承認依頼は取り下げられ');
  });
});
