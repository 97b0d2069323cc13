// The web app's figures, as `bench: <name> <value> <unit>` lines (bench/web_bench.sh runs it):
//   portal_js_gzip_kb, console_js_gzip_kb: the initial JavaScript of each app (its entry chunk and
//     every chunk it imports statically, i.e. the module preloads of its built HTML), gzip level 9;
//   portal_activation_page_ms: first contentful paint of the activation page (/activate) in
//     headless Chromium against a local anxin, cold cache each time, median of 10 (also min, max);
//   portal_activation_form_ms: until the card login form is on screen, median of the same runs.
// Needs web/dist (npm run build) and the anxin binary (ANXIN_BIN or ../build/src/app/anxin).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { chromium } from 'playwright-core';

import { startWorld } from './world.mjs';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(webDir, 'dist');
const RUNS = Number(process.env.WEB_BENCH_RUNS ?? 10);

// The JavaScript an HTML page of the build loads before anything else.
function initialScripts(html) {
  const text = readFileSync(join(dist, html), 'utf8');
  const files = [...text.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)];
  return [...new Set(files.map((m) => m[1]))];
}

function gzipKb(html) {
  let bytes = 0;
  for (const file of initialScripts(html)) {
    bytes += gzipSync(readFileSync(join(dist, file.replace(/^\//, ''))), { level: 9 }).length;
  }
  return bytes / 1024;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

console.log(`bench: portal_js_gzip_kb ${gzipKb('index.html').toFixed(1)} KB`);
console.log(`bench: console_js_gzip_kb ${gzipKb('console/index.html').toFixed(1)} KB`);

const world = await startWorld();
const browser = await chromium.launch({
  executablePath: process.env.ANXIN_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
try {
  const paints = [];
  const forms = [];
  for (let i = 0; i < RUNS + 1; i++) {
    // A new context has an empty cache: every load fetches everything.
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${world.webUrl}/activate`, { waitUntil: 'load' });
    await page.getByLabel('卡号', { exact: true }).waitFor();
    const timing = await page.evaluate(async () => {
      const fcp = () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
      for (let n = 0; n < 50 && fcp() === undefined; n++) await new Promise((r) => setTimeout(r, 20));
      return { fcp: fcp() ?? -1, form: performance.now() };
    });
    await context.close();
    if (i === 0) continue; // the first run warms the server and the disk cache
    paints.push(timing.fcp);
    forms.push(timing.form);
  }
  console.log(
    `bench: portal_activation_page_ms ${median(paints).toFixed(0)} ms (first contentful paint, median of ${RUNS}; ` +
      `min ${Math.min(...paints).toFixed(0)}, max ${Math.max(...paints).toFixed(0)}; served by anxin)`,
  );
  console.log(`bench: portal_activation_form_ms ${median(forms).toFixed(0)} ms (card login form on screen, median)`);
} finally {
  await browser.close();
  await world.stop();
}
