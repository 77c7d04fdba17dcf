/**
 * The model rows inside a module Web Worker in headless Chromium: Vite serves
 * bench/browser/ (root = the repo) on a free loopback port, playwright-core's
 * Chromium (from @playwright/test) opens the page and calls runBench().
 */
import { createServer as createNetServer } from 'node:net';
import { resolve } from 'node:path';
import { chromiumPath } from '../playwright.config.ts';
import type { BrowserBenchConfig } from './browser/main.ts';
import type { ModelRowResult } from './model-bench.ts';

const ROOT = resolve(import.meta.dirname, '..');

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createNetServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => done(port));
    });
  });
}

export interface BrowserBenchResult {
  rows: ModelRowResult[];
  browser: string;
  /** Set when the rows were skipped (no browser, or it failed). */
  skipped?: string;
}

export async function runBrowserBench(config: BrowserBenchConfig, log: (l: string) => void = () => {}): Promise<BrowserBenchResult> {
  const executablePath = chromiumPath();
  const { chromium } = await import('@playwright/test');
  if (!executablePath) {
    // Playwright's own Chromium, if it was downloaded.
    let own = '';
    try {
      own = chromium.executablePath();
    } catch {
      own = '';
    }
    const { existsSync } = await import('node:fs');
    if (!own || !existsSync(own)) {
      return { rows: [], browser: 'none', skipped: 'no Chromium found ($DISSMODEL_CHROMIUM, $PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, /usr/bin/chromium, Playwright’s own)' };
    }
  }
  const { createServer } = await import('vite');
  const port = await freePort();
  const server = await createServer({
    root: ROOT,
    configFile: false,
    logLevel: 'warn',
    clearScreen: false,
    worker: { format: 'es' },
    optimizeDeps: { entries: ['bench/browser/index.html'] },
    server: { host: '127.0.0.1', port, strictPort: true, fs: { allow: [ROOT] }, hmr: false },
  });
  await server.listen();
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  try {
    const version = browser.version();
    const page = await browser.newPage();
    page.on('console', (m) => {
      const t = m.text();
      if (t.startsWith('bench-row ')) {
        const r = JSON.parse(t.slice(10)) as ModelRowResult;
        log(`  chromium ${r.model} ${r.size}²: ${r.minMs.toFixed(3)} ms/step (${r.steps} steps × ${r.repeats})`);
      } else if (m.type() === 'error') log(`  chromium console: ${t}`);
    });
    page.on('pageerror', (e) => log(`  chromium page error: ${e.message}`));
    await page.goto(`http://127.0.0.1:${port}/bench/browser/index.html`);
    await page.waitForFunction(() => (window as unknown as { benchReady?: boolean }).benchReady === true, undefined, { timeout: 60_000 });
    const rows = await page.evaluate(
      (cfg) => (window as unknown as { runBench: (c: BrowserBenchConfig) => Promise<ModelRowResult[]> }).runBench(cfg),
      config,
    );
    return { rows, browser: `Chromium ${version}` };
  } finally {
    await browser.close();
    await server.close();
  }
}
