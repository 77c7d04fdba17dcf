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

/** A free loopback port (the bench's preview servers). */
export function freePort(): Promise<number> {
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

/** Peak memory seen in Chromium during the model rows (null: not available). */
export interface BrowserMemory {
  /** High-water of the bench worker's V8 heap (CDP Runtime.getHeapUsage usedSize), MB. */
  workerHeapMB: number | null;
  /** High-water of the worker's ArrayBuffer backing stores (typed arrays; getHeapUsage backingStorageSize), MB. */
  workerArrayBuffersMB: number | null;
  /** High-water of the page's performance.memory.usedJSHeapSize (main thread only: Chromium has no performance.memory in workers), MB. */
  pageHeapMB: number | null;
  /** Peak RSS (VmHWM) of the largest renderer process, the one running the page and its worker (Linux /proc), MB. */
  rendererPeakRssMB: number | null;
  /** Sampling period, ms. */
  sampleMs: number;
}

export interface BrowserBenchResult {
  rows: ModelRowResult[];
  browser: string;
  memory?: BrowserMemory;
  /** Set when the rows were skipped (no browser, or it failed). */
  skipped?: string;
}

const MB = 1048576;

/** Peak RSS of the renderer processes, from /proc/<pid>/status VmHWM (Linux only). */
async function rendererPeakRssMB(pids: number[]): Promise<number | null> {
  const { readFile } = await import('node:fs/promises');
  let best: number | null = null;
  for (const pid of pids) {
    try {
      const m = /VmHWM:\s+(\d+)\s+kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
      if (m) best = Math.max(best ?? 0, Number(m[1]) / 1024);
    } catch {
      // not Linux, or the process is gone
    }
  }
  return best;
}

export async function runBrowserBench(config: BrowserBenchConfig, log: (l: string) => void = () => {}): Promise<BrowserBenchResult> {
  const executablePath = chromiumPath();
  const { chromium } = await import('@playwright/test');
  if (!executablePath) {
    // Playwright's own Chromium, if it was downloaded.
    let own: string;
    try {
      own = chromium.executablePath();
    } catch {
      own = '';
    }
    const { existsSync } = await import('node:fs');
    if (!own || !existsSync(own)) {
      return {
        rows: [],
        browser: 'none',
        skipped: 'no Chromium found ($DISSMODEL_CHROMIUM, $PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, /usr/bin/chromium, Playwright’s own)',
      };
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
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      // performance.memory without the 20 ms / quantised coarsening.
      '--enable-precise-memory-info',
    ],
  });
  let sampler: ReturnType<typeof setInterval> | undefined;
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

    // Memory of the worker, sampled over CDP (a dedicated worker has no
    // performance.memory): attach to the worker target (non-flat session) and
    // poll Runtime.getHeapUsage.
    const SAMPLE_MS = 100;
    const mem: BrowserMemory = {
      workerHeapMB: null,
      workerArrayBuffersMB: null,
      pageHeapMB: null,
      rendererPeakRssMB: null,
      sampleMs: SAMPLE_MS,
    };
    const cdp = await browser.newBrowserCDPSession();
    let workerSession: string | null = null;
    let msgId = 0;
    const pending = new Map<number, (m: { result?: Record<string, number> }) => void>();
    cdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
      const m = JSON.parse(e.message) as { id?: number; result?: Record<string, number> };
      if (m.id !== undefined) pending.get(m.id)?.(m);
      if (m.id !== undefined) pending.delete(m.id);
    });
    const heapUsage = (sessionId: string) =>
      new Promise<Record<string, number> | null>((done) => {
        const id = ++msgId;
        const timer = setTimeout(() => (pending.delete(id), done(null)), 2000);
        pending.set(id, (m) => (clearTimeout(timer), done(m.result ?? null)));
        cdp
          .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) })
          .catch(() => done(null));
      });
    let busy = false;
    const sample = async () => {
      if (busy) return;
      busy = true;
      try {
        if (!workerSession) {
          const { targetInfos } = await cdp.send('Target.getTargets');
          const w = targetInfos.find((t) => t.type === 'worker' && t.url.includes('/bench/browser/'));
          if (w) workerSession = (await cdp.send('Target.attachToTarget', { targetId: w.targetId, flatten: false })).sessionId;
        }
        if (workerSession) {
          const u = await heapUsage(workerSession);
          if (u && typeof u.usedSize === 'number') mem.workerHeapMB = Math.max(mem.workerHeapMB ?? 0, u.usedSize / MB);
          if (u && typeof u.backingStorageSize === 'number')
            mem.workerArrayBuffersMB = Math.max(mem.workerArrayBuffersMB ?? 0, u.backingStorageSize / MB);
        }
      } catch {
        // the worker went away between two samples
      } finally {
        busy = false;
      }
    };
    sampler = setInterval(() => void sample(), SAMPLE_MS);

    const rows = await page.evaluate(
      (cfg) => (window as unknown as { runBench: (c: BrowserBenchConfig) => Promise<ModelRowResult[]> }).runBench(cfg),
      config,
    );
    clearInterval(sampler);
    sampler = undefined;
    mem.pageHeapMB = await page.evaluate(() => {
      const peak = (window as unknown as { benchPageHeapPeak?: number }).benchPageHeapPeak;
      return typeof peak === 'number' && peak > 0 ? peak / 1048576 : null;
    });
    try {
      const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
      mem.rendererPeakRssMB = await rendererPeakRssMB(info.processInfo.filter((p) => p.type === 'renderer').map((p) => p.id));
    } catch {
      mem.rendererPeakRssMB = null;
    }
    return { rows, browser: `Chromium ${version}`, memory: mem };
  } finally {
    if (sampler) clearInterval(sampler);
    await browser.close();
    await server.close();
  }
}
