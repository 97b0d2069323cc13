// One build, two apps: the customer portal (index.html, served at /) and the staff console
// (console/index.html, served at /console/), into dist/ with hashed assets under dist/assets/.
// `npm run dev` and `npm run preview` proxy the API to ANXIN_API (default http://127.0.0.1:8080).
import { resolve } from 'node:path';

import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const api = process.env.ANXIN_API ?? 'http://127.0.0.1:8080';
const proxy = Object.fromEntries(
  ['/api', '/healthz', '/readyz', '/openapi.json'].map((path) => [path, { target: api, changeOrigin: false }]),
);

// The security headers of CONTRACTS.md ("Static web app"), so the preview runs the built app
// under the same Content-Security-Policy as `anxin serve`.
export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; " +
    "frame-ancestors 'none'",
};

// /console/<client route> answers console/index.html, as anxin serve does.
function consoleFallback(): Plugin {
  const rewrite = (url: string | undefined) =>
    url && url.startsWith('/console') && !/\.[a-z0-9]+(\?|$)/i.test(url) ? '/console/index.html' : url;
  return {
    name: 'anxin-console-fallback',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        req.url = rewrite(req.url);
        next();
      });
    },
    configurePreviewServer(server) {
      server.middlewares.use((req, _res, next) => {
        req.url = rewrite(req.url);
        next();
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), consoleFallback()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      input: {
        portal: resolve(import.meta.dirname, 'index.html'),
        console: resolve(import.meta.dirname, 'console/index.html'),
      },
      output: {
        // The libraries every page of both apps needs, in one long-cached chunk instead of a dozen
        // small ones: fewer requests before the first screen.
        codeSplitting: {
          groups: [
            {
              name: 'vendor',
              test: /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router|cookie|set-cookie-parser|@tanstack[\\/][^\\/]+|i18next|react-i18next|use-sync-external-store)[\\/]/,
              priority: 10,
            },
          ],
        },
      },
    },
  },
  server: { port: 5173, strictPort: false, proxy },
  preview: { port: 4173, strictPort: false, proxy, headers: SECURITY_HEADERS },
});
