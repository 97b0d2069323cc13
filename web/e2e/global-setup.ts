// Once per browser test run: start the screenshots and accessibility reports afresh.
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup() {
  rmSync(join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'test-results'), { recursive: true, force: true });
}
