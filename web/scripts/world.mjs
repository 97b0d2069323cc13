// A real Anxin to test and measure the web app against, built fresh each time: `anxin serve` on a
// free port with its own data directory (migrate + seed-demo), serving the built web app (web/dist,
// ANXIN_WEB_ROOT) next to the API, as in production. Used by the browser tests (e2e/harness.ts) and
// the benchmark (web-bench.mjs).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO_DIR = resolve(WEB_DIR, '..');

/** The anxin binary: ANXIN_BIN, or the repository's build. */
export function anxinBinary() {
  return process.env.ANXIN_BIN ?? join(REPO_DIR, 'build/src/app/anxin');
}

/** A TCP port nobody listens on right now. */
export function freePort() {
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

function run(binary, args, env) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stdout.resume();
    child.stderr.on('data', (d) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolveRun() : reject(new Error(`${binary} ${args.join(' ')}: exit ${code}\n${err}`)),
    );
  });
}

async function waitFor(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer in ${timeoutMs} ms: ${String(last)}`);
}

/**
 * Starts anxin on a fresh database and the web app in front of it; `options.env` adds to (or
 * overrides) the server's environment, e.g. ANXIN_SMS_WEBHOOK_URL for a configured SMS gateway.
 * @param {import('./world.d.mts').WorldOptions} [options]
 * @returns {Promise<import('./world.d.mts').World>}
 */
export async function startWorld(options = {}) {
  const binary = anxinBinary();
  if (!existsSync(binary)) throw new Error(`no anxin binary at ${binary}: build it or set ANXIN_BIN`);
  if (!existsSync(join(WEB_DIR, 'dist/index.html'))) throw new Error('web/dist is missing: run `npm run build` first');

  const dataDir = mkdtempSync(join(tmpdir(), 'anxin-web-'));
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    ANXIN_DATA_DIR: dataDir,
    ANXIN_LISTEN: `127.0.0.1:${port}`,
    ANXIN_PRODUCTS_DIR: join(REPO_DIR, 'products'),
    ANXIN_WEB_ROOT: join(WEB_DIR, 'dist'),
    ANXIN_LOG_LEVEL: 'warn',
  };
  delete env.ANXIN_DATABASE_URL;
  delete env.ANXIN_KEY_FILE;
  delete env.ANXIN_CONFIG;
  delete env.ANXIN_SMS_WEBHOOK_URL;
  delete env.ANXIN_SMS_WEBHOOK_SECRET;
  Object.assign(env, options.env ?? {});
  await run(binary, ['migrate'], env);
  await run(binary, ['seed-demo'], env);
  const server = spawn(binary, ['serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let serverLog = '';
  server.stderr.on('data', (d) => (serverLog = (serverLog + d.toString()).slice(-20_000)));
  try {
    await waitFor(`${apiUrl}/readyz`, 20_000);
  } catch (error) {
    server.kill('SIGKILL');
    throw new Error(`${String(error)}\n${serverLog}`);
  }

  const home = await fetch(`${apiUrl}/console/`).catch(() => null);
  if (!home || !home.ok || !(home.headers.get('Content-Type') ?? '').includes('text/html')) {
    server.kill('SIGKILL');
    throw new Error(`${binary} serve does not serve the web app from ${env.ANXIN_WEB_ROOT} (GET /console/: ${home?.status ?? 'no answer'})`);
  }

  return {
    webUrl: apiUrl,
    apiUrl,
    stop: async () => {
      await new Promise((r) => {
        if (server.exitCode !== null) return r();
        server.once('exit', () => r());
        server.kill('SIGTERM');
        setTimeout(() => server.kill('SIGKILL'), 5_000).unref();
      });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
