import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPlanDocument } from '../../src/app/documents.ts';
import { seedPlan } from '../support/document-plans.ts';
import { axeViolations, browserAvailable, launchBrowser, ROOT, startServer, type RunningServer, newOfflinePage, signInAs } from '../support/browser.ts';

/**
 * Screenshots go to the git-ignored test-results/screenshots/, so a test run leaves tracked
 * files alone (pages show today's date). The committed docs/screenshots/ are documentation:
 * refresh them on purpose with
 *   HOSHIN_UPDATE_SCREENSHOTS=1 CI=true npx vitest run test/e2e/workflow.test.ts
 * and review the new PNGs before committing them.
 */
const SCREENSHOTS = join(ROOT, process.env.HOSHIN_UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots');
const STAFF_PASSWORD = 'staff-password-0001';
const BUDGET = 'issues[0].strategies[0].initiatives[0].budgetThousandYen';
const DESCRIPTION = 'issues[0].strategies[0].initiatives[0].description';

describe.skipIf(!browserAvailable())('in a real browser', { timeout: 120_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const newPage = () => newOfflinePage(browser, server, contexts);

  async function shot(page: Page, name: string, fullPage = false) {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
  }

  async function expectAccessible(page: Page) {
    const violations = await axeViolations(page);
    expect(violations, `${page.url()}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  }

  const signIn = (page: Page, username: string, password: string) => signInAs(page, server, username, password);

  async function openSeedPlan(page: Page) {
    await page.goto(`${server.url}/staff`);
    await page.getByRole('link', { name: /西区 平成29年度/ }).click();
  }

  it('lets a new visitor find and read the seed plan, with no accessibility violations on any public page', async () => {
    expect(server.output()).toContain('/plans/nishi/2017');
    const page = await newPage();
    await page.goto(server.url);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    await expectAccessible(page);
    await shot(page, 'home');
    await page.getByRole('link', { name: /平成29年度\(2017年度\) 西区運営方針/ }).click();
    expect(await page.locator('h1').innerText()).toContain('平成29年度(2017年度) 西区運営方針(案)');
    expect(await page.getByRole('table', { name: '予算額の合計' }).innerText()).toContain('58,693千円');
    await expectAccessible(page);
    await shot(page, 'plan', true);
    // Keyboard: the first Tab reaches the skip link, which leads to the content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('本文へ移動');
    for (const path of ['/signin', '/plans/nishi/1999']) {
      await page.goto(`${server.url}${path}`);
      await expectAccessible(page);
    }
    await page.goto(`${server.url}/signin`);
    await shot(page, 'signin');
  });

  it('fits every public page into a phone screen 390 px wide: wide tables scroll in their own box, not the page', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
    contexts.push(context);
    const page = await context.newPage();
    for (const path of ['/', '/plans/nishi/2017', '/signin', '/plans/nishi/1999', '/?page=99']) {
      await page.goto(`${server.url}${path}`);
      const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
      expect(width.scroll, path).toBeLessThanOrEqual(width.inner);
    }
    await page.goto(`${server.url}/plans/nishi/2017`);
    // The 区CM table is the widest: its box scrolls, can be reached by keyboard and is named by its caption.
    const box = page.getByRole('group', { name: '経営課題2の主な具体的取組(29年度予算額)' });
    expect(await box.evaluate((e) => e.scrollWidth > e.clientWidth && e.tabIndex === 0)).toBe(true);
    await expectAccessible(page);
    await box.scrollIntoViewIfNeeded();
    await shot(page, 'plan-phone');
  });

  it('lets the administrator create staff accounts', async () => {
    const page = await newPage();
    await signIn(page, 'admin', server.adminPassword);
    await page.goto(`${server.url}/admin`);
    for (const [username, role] of [['editor', '編集者'], ['editor2', '編集者'], ['approver', '承認者']] as const) {
      await page.locator('#new-username').fill(username);
      await page.locator('#new-displayName').fill(`${username}さん`);
      await page.locator('#new-role').selectOption({ label: role });
      await page.locator('#new-org').selectOption({ label: '西区' });
      await page.locator('#new-password').fill(STAFF_PASSWORD);
      await page.getByRole('button', { name: '作成', exact: true }).first().click();
      expect(await page.locator('.flash').innerText()).toContain('ユーザーを作成しました');
    }
    await expectAccessible(page);
    await shot(page, 'admin');
  });

  it('takes an edit from the editor through approval to the public page', async () => {
    const editor = await newPage();
    await signIn(editor, 'editor', STAFF_PASSWORD);
    await expectAccessible(editor);
    await shot(editor, 'staff');
    await openSeedPlan(editor);
    await editor.getByRole('link', { name: '編集する' }).click();
    await editor.locator(`[name="${BUDGET}"]`).fill('23,500');
    await editor.locator(`[name="${DESCRIPTION}"]`).fill('中間支援組織と連携し、新たに活動報告会を開く。');
    await editor.locator('#f-message').fill('1-1-1 の予算と内容を更新');
    await editor.locator(`[name="${BUDGET}"]`).scrollIntoViewIfNeeded();
    await shot(editor, 'editor');
    await expectAccessible(editor);
    await editor.getByRole('button', { name: '保存する' }).first().click();
    expect(await editor.getByRole('status').innerText()).toContain('版 2 を保存しました');
    await editor.getByRole('button', { name: '承認依頼' }).click();
    expect(await editor.locator('main').innerText()).toContain('状態: 承認待ち');

    const approver = await newPage();
    await signIn(approver, 'approver', STAFF_PASSWORD);
    await openSeedPlan(approver);
    await shot(approver, 'staff-plan');
    await approver.getByRole('button', { name: '承認', exact: true }).click();
    // Publishing a 案 asks whether it goes out as 確定 or stays 案.
    await approver.getByLabel('案のまま公開する').check();
    await approver.getByRole('button', { name: '公開', exact: true }).click();
    expect(await approver.locator('main').innerText()).toContain('状態: 公開中');

    const visitor = await newPage();
    await visitor.goto(`${server.url}/plans/nishi/2017`);
    const text = await visitor.locator('main').innerText();
    expect(text).toContain('23,500千円');
    expect(text).toContain('新たに活動報告会を開く');
    expect(text).toContain('59,925千円');

    await openSeedPlan(editor);
    await editor.getByRole('link', { name: '変更履歴' }).click();
    await expectAccessible(editor);
    await shot(editor, 'history');
    await editor.getByRole('link', { name: '版 2' }).click();
    expect(await editor.getByRole('table', { name: '版 1 → 版 2' }).innerText()).toContain('具体的取組1-1-1 › 予算額(千円)');
    await expectAccessible(editor);
    await shot(editor, 'diff');
  });

  it('asks the second of two editors who changed the same field which version to keep', async () => {
    const [a, b] = [await newPage(), await newPage()];
    await signIn(a, 'editor', STAFF_PASSWORD);
    await signIn(b, 'editor2', STAFF_PASSWORD);
    for (const page of [a, b]) {
      await openSeedPlan(page);
      await page.getByRole('link', { name: '編集する' }).click();
    }
    await a.locator('[name="goal"]').fill('Aさんが書いた目標');
    await a.getByRole('button', { name: '保存する' }).first().click();
    expect(await a.getByRole('status').innerText()).toContain('を保存しました');
    await b.locator('[name="goal"]').fill('Bさんが書いた目標');
    await b.getByRole('button', { name: '保存する' }).first().click();
    expect(await b.locator('h1').innerText()).toBe('保存する前に選んでください');
    const text = await b.locator('main').innerText();
    expect(text).toContain('Aさんが書いた目標');
    expect(text).toContain('Bさんが書いた目標');
    await expectAccessible(b);
    const width = await b.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    expect(width.scroll).toBeLessThanOrEqual(width.inner);
    await shot(b, 'conflict');
    // B keeps their own goal, knowingly, on top of A's save.
    await b.getByLabel('あなたの変更を残す').first().check();
    await b.getByRole('button', { name: '選んだ内容で保存する' }).click();
    expect(await b.getByRole('status').innerText()).toContain('を保存しました');
    expect(await b.locator('main').innerText()).toContain('Bさんが書いた目標');
  });

  it('creates a plan from an uploaded PDF and an Excel workbook, and says why a damaged one is refused', async () => {
    const page = await newPage();
    await signIn(page, 'editor', STAFF_PASSWORD);
    const upload = async (name: string, mimeType: string, buffer: Buffer) => {
      await page.goto(`${server.url}/staff/plans/new`);
      await page.getByLabel(/文書ファイル/).check();
      await page.getByLabel('取り込むファイル').setInputFiles({ name, mimeType, buffer });
      await page.getByRole('button', { name: '作成する' }).click();
    };
    const ward = (fiscalYear: number, era: string) => ({ ...seedPlan(), fiscalYear, title: `${era} 西区運営方針` });

    // The PDF as the ward office publishes it (Hoshin's own, with its plan embedded), read in the reader's worker.
    await upload('nishi-2020.pdf', 'application/pdf', Buffer.from(await renderPlanDocument(ward(2020, '令和2年度'), 'pdf')));
    await page.waitForURL(/\/staff\/plans\/\d+\/edit$/);
    expect(await page.locator('[name="goal"]').inputValue()).toBe(seedPlan().goal);
    await upload('nishi-2021.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', Buffer.from(await renderPlanDocument(ward(2021, '令和3年度'), 'xlsx')));
    await page.waitForURL(/\/staff\/plans\/\d+\/edit$/);

    // A PDF cut short: refused with a Japanese reason, nothing created, the form still there.
    const pdf = await renderPlanDocument(ward(2022, '令和4年度'), 'pdf');
    await upload('damaged.pdf', 'application/pdf', Buffer.from(pdf.subarray(0, 4000)));
    const problems = page.getByRole('region', { name: '取り込めませんでした' });
    expect(await problems.innerText()).toMatch(/PDF/);
    expect(await page.getByRole('button', { name: '作成する' }).count()).toBe(1);
    await expectAccessible(page);
    await page.goto(`${server.url}/staff`);
    const list = await page.locator('main').innerText();
    expect(list).toMatch(/令和2年度|2020/);
    expect(list).not.toMatch(/令和4年度|2022/);
  });
});
