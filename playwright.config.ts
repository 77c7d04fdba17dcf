/**
 * End-to-end tests of the workbench in a real Chromium with the real worker.
 *
 * Browser: $DISSMODEL_CHROMIUM, else $PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, else
 * /usr/bin/chromium (Debian), else Playwright's own Chromium. WebGL runs on
 * SwiftShader, so no GPU is needed.
 *
 * Server: a production build served by `vite preview` on 127.0.0.1:4311 (what
 * users get, CSP included); E2E_DEV=1 uses the Vite dev server instead.
 */
import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

export const E2E_PORT = Number(process.env.E2E_PORT ?? 4311);
const baseURL = `http://127.0.0.1:${E2E_PORT}`;

export function chromiumPath(): string | undefined {
  const candidates = [process.env.DISSMODEL_CHROMIUM, process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, '/usr/bin/chromium'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  return undefined;
}

const dev = process.env.E2E_DEV === '1';
// Per port: checkouts (git worktrees) that share one node_modules must not build into each other's folder.
const outDir = `node_modules/.cache/dissmodel-e2e-dist-${E2E_PORT}`;
const config = 'e2e/vite.config.ts';
const command = dev
  ? `npx vite --config ${config} --port ${E2E_PORT} --strictPort --host 127.0.0.1`
  : `npx vite build --config ${config} --outDir ${outDir} --emptyOutDir --logLevel warn && npx vite preview --config ${config} --outDir ${outDir} --port ${E2E_PORT} --strictPort --host 127.0.0.1`;

const executablePath = chromiumPath();

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: 0,
  // Generous limits, because the suite must pass on a busy 2-core machine (load 8 and more):
  // every test waits for states (run-status, data-idle, …), so a passing test never waits them out.
  timeout: 240_000,
  expect: { timeout: 60_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  outputDir: 'test-results',
  use: {
    ...devices['Desktop Chrome'],
    baseURL,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    acceptDownloads: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
        '--enable-unsafe-swiftshader',
        '--use-angle=swiftshader',
        '--ignore-gpu-blocklist',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: {
    command,
    url: baseURL,
    reuseExistingServer: !process.env.CI && process.env.E2E_REUSE === '1',
    timeout: 600_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
