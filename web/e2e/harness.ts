// The browser tests' world, built fresh by each test file: a real `anxin serve` on a free port with
// its own data directory (migrate + seed-demo), the built web app (web/dist) in front of it, and
// Debian's Chromium driven by playwright-core with a fresh profile. Nothing is downloaded.
//
// The web app is served by anxin itself when it serves static files (ANXIN_WEB_ROOT); until then
// by `vite preview`, which proxies the API to the server and sends the same security headers.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import axe from 'axe-core';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { PreviewServer } from 'vite';

export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = resolve(WEB_DIR, '..');
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

export function anxinBinary(): string {
  return process.env.ANXIN_BIN ?? join(REPO_DIR, 'build/src/app/anxin');
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function run(binary: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolveRun(out) : reject(new Error(`${binary} ${args.join(' ')}: exit ${code}\n${err}`))));
  });
}

async function waitFor(url: string, timeoutMs: number, accept: (r: Response) => boolean = (r) => r.ok): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (accept(response)) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer in ${timeoutMs} ms: ${String(last)}`);
}

export interface World {
  // Where the browser goes: the web app (and, through it, the API).
  webUrl: string;
  // The anxin server itself, for the tests' API set-up calls.
  apiUrl: string;
  // True when anxin serves the web app itself; false when vite preview does.
  servedByAnxin: boolean;
  stop: () => Promise<void>;
}

// Starts anxin on a fresh database and the web app in front of it.
export async function startWorld(): Promise<World> {
  const binary = anxinBinary();
  if (!existsSync(binary)) throw new Error(`no anxin binary at ${binary}: build it or set ANXIN_BIN`);
  const distIndex = join(WEB_DIR, 'dist/index.html');
  if (!existsSync(distIndex)) throw new Error('web/dist is missing: run `npm run build` first');

  const dataDir = mkdtempSync(join(tmpdir(), 'anxin-e2e-'));
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ANXIN_DATA_DIR: dataDir,
    ANXIN_LISTEN: `127.0.0.1:${port}`,
    ANXIN_PRODUCTS_DIR: join(REPO_DIR, 'products'),
    ANXIN_WEB_ROOT: join(WEB_DIR, 'dist'),
    ANXIN_LOG_LEVEL: 'warn',
  };
  delete env.ANXIN_DATABASE_URL;
  delete env.ANXIN_KEY_FILE;
  await run(binary, ['migrate'], env);
  await run(binary, ['seed-demo'], env);
  const server: ChildProcess = spawn(binary, ['serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let serverLog = '';
  server.stderr?.on('data', (d: Buffer) => (serverLog = (serverLog + d.toString()).slice(-20_000)));
  await waitFor(`${apiUrl}/readyz`, 20_000).catch((error: unknown) => {
    server.kill('SIGKILL');
    throw new Error(`${String(error)}\n${serverLog}`);
  });

  // Does anxin serve the web app itself?
  const home = await fetch(`${apiUrl}/`).catch(() => null);
  const servedByAnxin = home !== null && home.ok && (home.headers.get('Content-Type') ?? '').includes('text/html');

  let preview: PreviewServer | null = null;
  let webUrl = apiUrl;
  if (!servedByAnxin) {
    const { preview: startPreview } = await import('vite');
    process.env.ANXIN_API = apiUrl;
    const previewPort = await freePort();
    preview = await startPreview({
      root: WEB_DIR,
      configFile: join(WEB_DIR, 'vite.config.ts'),
      logLevel: 'warn',
      preview: { port: previewPort, strictPort: true, host: '127.0.0.1' },
    });
    webUrl = `http://127.0.0.1:${previewPort}`;
    await waitFor(`${webUrl}/`, 10_000);
  }

  return {
    webUrl,
    apiUrl,
    servedByAnxin,
    stop: async () => {
      if (preview) await new Promise<void>((r) => preview.httpServer.close(() => r()));
      await new Promise<void>((r) => {
        if (server.exitCode !== null) return r();
        server.once('exit', () => r());
        server.kill('SIGTERM');
        setTimeout(() => server.kill('SIGKILL'), 5_000).unref();
      });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

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
