/**
 * End-to-end support: the real server in a child process on a fresh SQLite database,
 * and Debian's Chromium driven by playwright-core (no browser download).
 *
 * Without Chromium the suites are skipped with a loud message, except under CI=true,
 * where a missing browser is a failure.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startHoshin } from './hoshin-process.ts';

export const CHROMIUM = process.env.HOSHIN_CHROMIUM ?? '/usr/bin/chromium';
export const ROOT = new URL('../../', import.meta.url).pathname;

/** True when the browser suites can run; throws under CI when they cannot. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const message = `Chromium not found at ${CHROMIUM} (set HOSHIN_CHROMIUM, or apt-get install chromium fonts-noto-cjk)`;
  if (process.env.CI === 'true') throw new Error(`${message}: browser tests cannot be skipped in CI`);
  console.warn(`\n${'!'.repeat(78)}\n!! SKIPPING BROWSER TESTS: ${message}\n${'!'.repeat(78)}\n`);
  return false;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface RunningServer {
  url: string;
  adminPassword: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * `hoshin serve` on a free port against a new temporary database (SQLite, or the empty
 * PostgreSQL one named by `databaseUrl`), seeded as on a first start.
 */
export async function startServer(options: { databaseUrl?: string } = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hoshin-e2e-'));
  const adminPassword = 'e2e-admin-password-0001';
  const server = await startHoshin(options.databaseUrl ?? `sqlite:${join(dir, 'hoshin.sqlite')}`, { cwd: dir, adminPassword, timeoutMs: 30_000 });
  return {
    url: server.url,
    adminPassword,
    output: server.output,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * axe-core's violations on the page. The page's CSP forbids script, so the source is
 * evaluated through the DevTools protocol (page.evaluate), which CSP does not govern.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}

/**
 * A page in a context of its own (its own cookies: one person), which fails the test on
 * any request off the server: pages must need nothing from elsewhere.
 */
export async function newOfflinePage(browser: Browser, server: RunningServer, contexts: BrowserContext[] = []): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) throw new Error(`external request: ${r.url()}`);
  });
  return page;
}

/** Signs in through the sign-in form, as a person would, and waits for the staff page. */
export async function signInAs(page: Page, server: RunningServer, username: string, password: string): Promise<void> {
  await page.goto(`${server.url}/signin`);
  await page.getByLabel('ユーザー名').fill(username);
  await page.getByLabel('パスワード').fill(password);
  await page.getByRole('button', { name: 'サインイン' }).click();
  await page.waitForURL(/\/staff$/);
}
