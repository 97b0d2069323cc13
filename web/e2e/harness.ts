// The browser tests' world, built fresh by each test file: a real `anxin serve` on a free port with
// its own data directory (migrate + seed-demo) serving the built web app (web/dist) itself, and
// Debian's Chromium driven by playwright-core with a fresh profile. Nothing is downloaded.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import axe from 'axe-core';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

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

// Runs axe-core in the page and returns its serious and critical violations. axe is evaluated
// through the DevTools protocol, so the page's Content-Security-Policy stays as it is.
export async function seriousA11yViolations(page: Page, screen: string): Promise<AxeViolation[]> {
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
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
