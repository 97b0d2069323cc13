// Checks the licence of every installed package against package-lock.json. Everything that ships
// in dist/ (the production dependencies) must be under a permissive licence; build and test tools
// too, except the few listed below with the reason they are acceptable.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PERMISSIVE = new Set([
  'MIT',
  'ISC',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'Apache-2.0',
  '0BSD',
  'BlueOak-1.0.0',
  'CC0-1.0',
  'Unlicense',
  'Python-2.0',
]);
// Development tools only, never in dist/, used unmodified.
const TOOL_EXCEPTIONS = {
  'axe-core': 'MPL-2.0, file-level copyleft; the accessibility checker of the browser tests',
  lightningcss: "MPL-2.0, file-level copyleft; Vite's CSS minifier",
  'caniuse-lite': 'CC-BY-4.0, browser support data read by the build',
};

function permissive(expression) {
  // "(MIT OR CC0-1.0)": any one permissive choice is enough.
  const choices = expression.replace(/[()]/g, '').split(/\s+OR\s+/);
  return choices.some((c) => PERMISSIVE.has(c.trim()));
}

const lock = JSON.parse(readFileSync(join(webDir, 'package-lock.json'), 'utf8'));
const problems = [];
const counts = new Map();
for (const [path, entry] of Object.entries(lock.packages ?? {})) {
  if (!path) continue;
  const name = path.replace(/^.*node_modules\//, '');
  let license = entry.license;
  if (!license) {
    try {
      license = JSON.parse(readFileSync(join(webDir, path, 'package.json'), 'utf8')).license;
    } catch {
      license = undefined;
    }
  }
  const text = typeof license === 'string' ? license : JSON.stringify(license ?? 'UNKNOWN');
  const kind = entry.dev ? 'dev' : 'prod';
  counts.set(`${kind} ${text}`, (counts.get(`${kind} ${text}`) ?? 0) + 1);
  if (permissive(text)) continue;
  const base = name.replace(/-(android|darwin|freebsd|linux|win32)-.*$/, '');
  if (entry.dev && TOOL_EXCEPTIONS[base]) continue;
  problems.push(`${name} (${kind}): ${text}`);
}
for (const [key, n] of [...counts].sort()) console.log(`licences: ${key}: ${n}`);
for (const [name, why] of Object.entries(TOOL_EXCEPTIONS)) console.log(`licences: accepted tool ${name}: ${why}`);
if (problems.length > 0) {
  console.error(`licences: not permissive:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('licences: every package that ships is permissively licensed');
