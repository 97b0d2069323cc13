// The browser tests' world, built fresh by each test file: a real `anxin serve` on a free port with
// its own data directory (migrate + seed-demo) serving the built web app (web/dist) itself, and
// Debian's Chromium driven by playwright-core with a fresh profile. Nothing is downloaded.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import axe from 'axe-core';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const RESULTS_DIR = join(WEB_DIR, 'test-results');
export const DEMO_PASSWORD = 'Anxin-demo-2026';

const CHROMIUM = process.env.ANXIN_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export { anxinBinary, freePort, startWorld, type World } from '../scripts/world.mjs';

export interface Browser {
  context: BrowserContext;
  // Messages of refused scripts, styles or connections (the Content-Security-Policy at work).
  cspViolations: string[];
  // Uncaught errors of the pages' scripts.
  pageErrors: string[];
  close: () => Promise<void>;
}

// Chromium with a fresh profile, headless, phone-sized unless told otherwise.
export async function launchBrowser(viewport = { width: 375, height: 812 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'anxin-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    deviceScaleFactor: 2,
    isMobile: viewport.width < 600,
    hasTouch: viewport.width < 600,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to (load|execute|apply|connect)/i.test(message.text())) {
        cspViolations.push(message.text());
      }
    });
    page.on('pageerror', (error) => pageErrors.push(`${error.message}\n${error.stack ?? ''}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    context,
    cspViolations,
    pageErrors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Saves a screenshot of the page as web/test-results/<name>.png.
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

// Runs axe-core in the page and returns its violations, of every impact (a moderate one such as a
// second <main> landmark or a page without an <h1> is still a screen-reader user's problem). axe is evaluated
// through the DevTools protocol, so the page's Content-Security-Policy stays as it is.
export async function a11yViolations(page: Page, screen: string): Promise<AxeViolation[]> {
  await page.evaluate(axe.source);
  const results = await page.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    const r = await run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${screen}.axe.json`), JSON.stringify(results, null, 2));
  return results;
}

// Waits for the page's finite CSS transitions and animations to end (a button turning from
// disabled grey to red, a dialog fading in): axe reads colours as they are drawn at that moment,
// so a contrast check halfway through a transition measures a colour the page never rests at.
// Endless animations (spinners) are not waited for.
export async function settleAnimations(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const finite = document
      .getAnimations()
      .filter((a) => a.effect !== null && a.effect.getComputedTiming().endTime !== Infinity);
    await Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
  });
}

// A screen is done: no accessibility problem axe finds, no refused resource, no script
// error, and saved as web/test-results/<name>.png.
export async function checkScreen(page: Page, browser: Browser, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await settleAnimations(page);
  const violations = await a11yViolations(page, name);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
  expect(browser.cspViolations).toEqual([]);
  expect(browser.pageErrors).toEqual([]);
  await screenshot(page, name);
}

// The staff console as a member of staff uses it, on one page of `browser`: log in and out, the
// menu, antd's pickers, and checkScreen for the page.
export class ConsoleUi {
  constructor(
    readonly page: Page,
    readonly browser: Browser,
    readonly webUrl: string,
  ) {}

  // Fills the login form already shown and submits it (for refusals: nothing is awaited).
  async submitLogin(login: string, password = DEMO_PASSWORD): Promise<void> {
    await this.page.getByLabel('用户名').fill(login);
    await this.page.getByLabel('密码', { exact: true }).fill(password);
    await this.page.getByRole('button', { name: '登录' }).click();
  }

  // Opens the login page, logs in and waits for the home page's greeting.
  async logIn(login: string, password = DEMO_PASSWORD): Promise<void> {
    await this.page.goto(`${this.webUrl}/console/login`);
    await this.submitLogin(login, password);
    await this.page.getByRole('heading', { name: /^您好/ }).waitFor();
  }

  async logOut(): Promise<void> {
    await this.page.getByRole('button', { name: '退出登录' }).click();
    await this.page.waitForURL(/\/console\/login$/);
  }

  menu(): Locator {
    return this.page.getByRole('navigation', { name: '菜单' });
  }

  // Opens the menu item `name` and waits for the page of that title.
  async openMenu(name: string): Promise<void> {
    await this.menu().getByRole('menuitem', { name }).click();
    await this.page.getByRole('heading', { level: 1, name }).waitFor();
  }

  // Picks the first option containing `text` in the antd Select labelled `label`.
  async pick(label: string, text: string): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).click();
    await this.page.getByLabel(label, { exact: true }).fill(text);
    await this.page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first().click();
  }

  async check(name: string): Promise<void> {
    await checkScreen(this.page, this.browser, name);
  }
}
