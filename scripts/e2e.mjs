#!/usr/bin/env node
/**
 * `npm run test:e2e`: runs the Playwright suite and exits with its code.
 * Picks the browser ($DISSMODEL_CHROMIUM, $PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH,
 * /usr/bin/chromium, else Playwright's own) and says which one it uses.
 * Extra arguments go to `playwright test` (e.g. a file or `-g pattern`).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const candidates = [
  ['DISSMODEL_CHROMIUM', process.env.DISSMODEL_CHROMIUM],
  ['PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH', process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH],
  ['system', '/usr/bin/chromium'],
];
const env = { ...process.env };
let chosen = null;
for (const [from, path] of candidates) {
  if (path && existsSync(path)) {
    chosen = { from, path };
    break;
  }
  if (path && from !== 'system') console.warn(`e2e: ${from}=${path} does not exist; ignoring it.`);
}
if (chosen) {
  env.DISSMODEL_CHROMIUM = chosen.path;
  console.log(`e2e: browser ${chosen.path} (from ${chosen.from})`);
} else {
  delete env.DISSMODEL_CHROMIUM;
  console.log(
    "e2e: no system Chromium found; using Playwright's own Chromium (install it with `npx playwright install chromium` if missing).",
  );
}
console.log(`e2e: server ${env.E2E_DEV === '1' ? 'vite dev' : 'vite build + preview'} on http://127.0.0.1:${env.E2E_PORT ?? 4311}`);

const child = spawn('npx', ['playwright', 'test', ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
child.on('error', (e) => {
  console.error(`e2e: could not start Playwright: ${e.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) {
    console.error(`e2e: Playwright was killed by ${signal}`);
    process.exit(1);
  }
  process.exit(code ?? 1);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
