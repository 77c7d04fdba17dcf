/**
 * Hardening in the real page (production build, CSP on): every bad dataset of the
 * corpus gives its message next to the input and the page keeps working; URL
 * datasets that answer 404/500, break off mid-download or are refused by CORS;
 * the worker killed mid-run; storage quota exceeded for the run history (when the
 * page has one); the tab reloaded mid-run; user strings rendered as text, never as
 * markup; the built HTML's Content-Security-Policy; 20 runs queued back to back
 * with memory measured.
 */
import { expect, test, type Page } from '@playwright/test';
import { startFaultServer, type FaultServer } from '../tests/fault-server.ts';
import { caseBytes, DATASET_CASES, type DatasetCase, type Expected } from '../tests/corpus/cases.ts';
import { FILES } from '../tests/corpus/build.ts';
import { acceptConsent, dropFile, openWorkbench, pickSample, readSample, runAndWait, selectModel, setParam } from './helpers.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const GOL_TIF = 'gol_glider_64x64.tif';
const GOL_BIG = 'gol_random_512x512.tif';

let server: FaultServer;
test.beforeAll(async () => {
  server = await startFaultServer();
});
test.afterAll(async () => {
  await server?.close();
});

type Hook = {
  __dissmodel: {
    worker: { run(r: unknown): Promise<{ status: string; recordJson: string }>; debugCrash(m: string): Promise<void> } & Record<
      string,
      unknown
    >;
  };
};

/** Watch for script that should never run: markup evaluated from user strings, CSP violations, page errors. */
async function guard(page: Page): Promise<{ errors: string[] }> {
  const state = { errors: [] as string[] };
  page.on('pageerror', (e) => state.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /CSP violation|Refused to (execute|load|evaluate)/.test(m.text())) state.errors.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return state;
}

async function loadUrl(page: Page, url: string): Promise<void> {
  await page.getByTestId('url-input').fill(url);
  await page.getByTestId('url-load').click();
  await acceptConsent(page); // a loopback address: the page asks first (e2e/consent.spec.ts)
}

/** The dataset panel's error box, once it shows. */
async function datasetError(page: Page): Promise<string> {
  const box = page.getByTestId('dataset-panel').getByTestId('dataset-error');
  await expect(box).toBeVisible();
  return (await box.textContent()) ?? '';
}

test.describe('the built page', () => {
  test('is served with security headers: the CSP with frame-ancestors, no framing, no sniffing, no referrer', async ({ page }) => {
    const res = await page.request.get('/');
    const h = res.headers();
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(await res.text())![1];
    expect(h['content-security-policy']).toBe(`${meta}; frame-ancestors 'none'`);
    expect(h['x-frame-options']).toBe('DENY');
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toBe('no-referrer');
    // a framed copy of the page is refused by the browser: setContent returns after the
    // document's load event, which waits for the frame, so the frame has had its answer
    await page.goto('/');
    const target = new URL('/', page.url()).href;
    await page.setContent(`<iframe id="f" src="${target}"></iframe>`);
    const framed = page.frames().find((f) => f !== page.mainFrame());
    expect(framed, 'the iframe exists').toBeTruthy();
    expect(await framed!.locator('#root').count(), 'the workbench did not load inside the frame').toBe(0);
  });

  test('serves a Content-Security-Policy without unsafe-eval or inline script, and no inline <script>', async ({ page }) => {
    const res = await page.request.get('/');
    expect(res.ok()).toBe(true);
    const html = await res.text();
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
    expect(meta, 'the built index.html keeps the CSP meta').not.toBeNull();
    const csp = new Map(
      meta![1]
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([k, ...v]) => [k, v] as const),
    );
    // 'wasm-unsafe-eval' compiles the grid kernels' WebAssembly (src/sim/wasm); string evaluation stays blocked (below).
    expect(csp.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(meta![1].replaceAll("'wasm-unsafe-eval'", '')).not.toMatch(/unsafe-eval/);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs, 'every script is an external file').toMatch(/\bsrc="\/[^"]+\.js"/);
      expect(body.trim(), 'no inline script').toBe('');
    }
    expect(html).not.toMatch(/\son(load|error|click|mouseover)\s*=/i);
    // the page it serves is that one: the policy is in force
    await openWorkbench(page);
    const live = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(live).toBe(meta![1]);
    // and it blocks what it should: inline script and string evaluation in the page
    // (page.evaluate itself runs through the debugger, which CSP does not govern, so the page is made to do it)
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Refused to|CSP violation/.test(m.text())) violations.push(m.text());
    });
    await page.evaluate(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective}`));
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.appendChild(s);
      (setTimeout as unknown as (code: string, ms: number) => void)('window.__evaluated = 1', 0);
    });
    await page.waitForTimeout(300);
    expect(
      await page.evaluate(() => [
        (window as unknown as Record<string, unknown>).__inline,
        (window as unknown as Record<string, unknown>).__evaluated,
      ]),
    ).toEqual([undefined, undefined]);
    expect(violations.join('\n')).toMatch(/script-src/);
  });
});

test.describe('user strings are text, never markup', () => {
  test('a file named like an <img onerror> tag, and columns named like <script>, are shown as text', async ({ page }) => {
    const g = await guard(page);
    await openWorkbench(page);
    await selectModel(page, 'game_of_life');
    const evil = '<img src=x onerror=window.__xss=1>.tif';
    await dropFile(page, evil, readSample(GOL_TIF), 'image/tiff');
    await expect(page.getByTestId('dataset-name')).toHaveText(evil);
    const geo = new Uint8Array(readFileSync(join(FILES, 'script-column.geojson')));
    await dropFile(page, '<svg onload=window.__xss=3>.geojson', geo, 'application/geo+json');
    await expect(page.getByTestId('dataset-name')).toHaveText('<svg onload=window.__xss=3>.geojson');
    await expect(page.getByTestId('dataset-fields')).toContainText('<img src=x onerror=window.__xss=1>');
    await expect(page.getByTestId('dataset-fields')).toContainText('<script>window.__xss=2</script>');
    // the model's missing-column message names them, as text
    await expect(page.getByTestId('dataset-panel')).toContainText(/state/);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('#root script').count()).toBe(0);
    expect(g.errors).toEqual([]);
  });
});

/** dropFile, with the bytes sent as base64 (the corpus has files of a megabyte). */
async function dropBytes(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, b64 }) => {
      const bin = atob(b64);
      const data = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([data], name, { type: 'application/octet-stream' }));
      return dt;
    },
    { name, b64: Buffer.from(bytes).toString('base64') },
  );
  const zone = page.getByTestId('drop-zone');
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
  await dataTransfer.dispose();
}

/** What the page says for a corpus case: the loader's message (the drop zone refuses empty files itself). */
function pageMessage(c: DatasetCase): RegExp | null {
  if (c.id === 'tif-empty') return /is empty \(0 bytes\)/;
  return 'valid' in c.expect ? null : (c.expect as Expected).message;
}

test.describe('the corpus in the page', () => {
  test('every bad dataset gives its message next to the input; the page keeps working', async ({ page }) => {
    const g = await guard(page);
    await openWorkbench(page);
    await selectModel(page, 'game_of_life');
    const seen: string[] = [];
    for (const c of DATASET_CASES) {
      const message = pageMessage(c);
      const bytes = caseBytes(c);
      if (bytes.length > 2_000_000) continue;
      await dropBytes(page, c.name, bytes);
      if (message) {
        // (a file the drop zone refuses leaves the previous dataset, and its own message, in place)
        const box = page.getByTestId('dataset-panel').getByTestId('dataset-error').filter({ hasText: message });
        await expect(box, c.id).toBeVisible();
        await expect(page.getByTestId('run-button'), c.id).toBeDisabled();
      } else {
        // loads: the summary shows it (the model's objection comes with the field map or the run)
        await expect(page.getByTestId('dataset-name'), c.id).toHaveText(c.name);
      }
      seen.push(c.id);
    }
    test.info().annotations.push({ type: 'corpus cases dropped', description: String(seen.length) });
    expect(seen.length).toBeGreaterThan(60);
    // a valid but unusable layer: the run (or the field map) says what is missing
    await dropFile(page, 'missing-state.geojson', new Uint8Array(readFileSync(join(FILES, 'missing-state.geojson'))));
    await expect(page.getByTestId('dataset-panel')).toContainText(/state/);
    // and the page still works
    await pickSample(page, GOL_TIF);
    await setParam(page, 'end_time', '3');
    expect(await runAndWait(page)).toBe('completed');
    expect(g.errors).toEqual([]);
  });
});

test.describe('URL datasets that fail', () => {
  test('404 and 500 from another origin: the status next to the URL field, with Retry', async ({ page }) => {
    await openWorkbench(page);
    await selectModel(page, 'game_of_life');
    const missing = server.url('cors', 'missing');
    await loadUrl(page, missing);
    expect(await datasetError(page)).toMatch(/answered HTTP 404 Not Found/);
    await expect(page.getByTestId('url-input')).toHaveValue(missing); // the input is untouched
    const broken = server.url('cors', 'error');
    await loadUrl(page, broken);
    expect(await datasetError(page)).toMatch(/answered HTTP 500 Internal Server Error/);
    await expect(page.getByTestId('dataset-error').getByRole('button', { name: 'Retry' })).toBeVisible();
    await expect(page.getByTestId('run-button')).toBeDisabled();
  });

  test('a download cut mid-way (connection dropped; Content-Length larger than the body)', async ({ page }) => {
    await openWorkbench(page);
    await selectModel(page, 'game_of_life');
    await loadUrl(page, server.url('cors', 'partial'));
    expect(await datasetError(page)).toMatch(/broke off after \d+ bytes|is incomplete: \d+ of 534 bytes|Could not fetch/);
    // the same, emulated by the browser's router: a truncated body with a Content-Length mismatch
    const url = `${server.origin}/cors/routed/${GOL_TIF}`;
    const whole = readSample(GOL_TIF);
    await page.route(url, (route) =>
      route.fulfill({
        status: 200,
        headers: { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'image/tiff', 'Content-Length': String(whole.length) },
        body: Buffer.from(whole.subarray(0, 200)),
      }),
    );
    await loadUrl(page, url);
    expect(await datasetError(page)).toMatch(/broke off after|is incomplete: 200 of 534 bytes|Could not fetch|truncated/);
    // and a request aborted by the network
    const aborted = `${server.origin}/cors/aborted/${GOL_TIF}`;
    await page.route(aborted, (route) => route.abort('connectionreset'));
    await loadUrl(page, aborted);
    expect(await datasetError(page)).toMatch(/Could not fetch .*Check the address and your connection/);
    // a good URL still loads
    await loadUrl(page, server.url('cors', 'ok'));
    await expect(page.getByTestId('dataset-sha256')).toHaveText(/^[0-9a-f]{64}$/);
  });

  test('a server that refuses cross-origin access (no CORS headers): the message says so', async ({ page }) => {
    await openWorkbench(page);
    await selectModel(page, 'game_of_life');
    await loadUrl(page, server.url('nocors', 'ok'));
    expect(await datasetError(page)).toMatch(
      /Could not fetch http:\/\/127\.0\.0\.1:\d+\/nocors\/ok\/gol_glider_64x64\.tif.*must also allow cross-origin requests \(CORS\)/,
    );
    expect(server.hits.get('/nocors/ok/gol_glider_64x64.tif') ?? 0).toBeGreaterThan(0); // it was asked, and refused by the browser
    await pickSample(page, GOL_TIF);
    await setParam(page, 'end_time', '2');
    expect(await runAndWait(page)).toBe('completed');
  });
});

test.describe('faults during a run', () => {
  async function startLongRun(page: Page): Promise<void> {
    await selectModel(page, 'game_of_life');
    await pickSample(page, GOL_BIG);
    await page.getByLabel('Keep per-step frames (step slider)').uncheck();
    await setParam(page, 'end_time', '100000');
    await page.getByTestId('run-button').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'running');
    await expect(page.getByTestId('step-counter')).toContainText(/step \d+ \/ 100000/);
  }

  test('the worker killed mid-run (terminated under the page): the run fails with the reason, the next run works', async ({ page }) => {
    await openWorkbench(page, 'stall=4000');
    const historyBefore = await page.getByTestId('history-item').count();
    await startLongRun(page);
    const input = await page.getByTestId('dataset-sha256').textContent();
    // what the browser does to a worker it kills (out of memory, crash): it just stops — no error event
    await page.evaluate(() => ((globalThis as unknown as Hook).__dissmodel.worker.worker as Worker).terminate());
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'failed');
    await expect(page.getByTestId('run-error')).toContainText(/stopped responding|crash/i);
    await expect(page.getByTestId('notice')).toContainText(/fresh worker/);
    await expect(page.getByTestId('run-button')).toBeEnabled();
    // the input is untouched and the history unchanged (a run that never finished is not an entry)
    await expect(page.getByTestId('dataset-sha256')).toHaveText(input!);
    await expect(page.getByTestId('history-item')).toHaveCount(historyBefore);
    await setParam(page, 'end_time', '3');
    expect(await runAndWait(page)).toBe('completed');
  });

  test('the tab reloaded mid-run: a clean state after the reload, nothing stuck "running", runs work', async ({ page }) => {
    await openWorkbench(page);
    await selectModel(page, 'game_of_life');
    await pickSample(page, GOL_TIF);
    await setParam(page, 'end_time', '2');
    expect(await runAndWait(page)).toBe('completed');
    // The history stores a finished run asynchronously (IndexedDB, then a re-read): wait for it before counting.
    if ((await page.getByTestId('history').count()) > 0) {
      await expect(page.getByTestId('history-item'), 'the finished run is in the history').not.toHaveCount(0);
    }
    const historyBefore = await page.getByTestId('history-item').count();
    await startLongRun(page);
    await page.reload();
    await expect(page.getByTestId('model-select')).toBeEnabled();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'idle');
    await expect(page.locator('[data-status="running"]')).toHaveCount(0);
    await page.waitForTimeout(500);
    await expect(page.locator('[data-status="running"]')).toHaveCount(0);
    await expect(page.getByTestId('history-item'), 'run history kept across the reload').toHaveCount(historyBefore);
    await selectModel(page, 'game_of_life');
    await pickSample(page, GOL_TIF);
    await setParam(page, 'end_time', '2');
    expect(await runAndWait(page)).toBe('completed');
  });

  test('storage quota exceeded for the run history: reported, not silent; the run itself completes', async ({ page }) => {
    await page.addInitScript(() => {
      const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      for (const m of ['put', 'add'] as const) {
        IDBObjectStore.prototype[m] = function () {
          throw quota();
        };
      }
      Storage.prototype.setItem = function () {
        throw quota();
      };
      if (navigator.storage) navigator.storage.persist = () => Promise.resolve(false);
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openWorkbench(page);
    const hasHistory = (await page.getByTestId('history').count()) > 0;
    await selectModel(page, 'game_of_life');
    await pickSample(page, GOL_TIF);
    await setParam(page, 'end_time', '2');
    expect(await runAndWait(page)).toBe('completed');
    await expect(page.getByTestId('output-sha256')).toHaveText(/^[0-9a-f]{64}$/);
    expect(errors, 'no uncaught error from a failed storage write').toEqual([]);
    test.skip(!hasHistory, 'the page keeps no run history yet: nothing to store (the run completed with storage writes throwing)');
    // every write fails (not only the output bytes, which reproduce.spec.ts covers): the history says so
    await expect(page.getByTestId('history-message')).toContainText(/(could not be saved|could not be kept in the history).*quota/i);
    await expect(page.getByTestId('history-item')).toHaveCount(0);
  });
});

/** The heap of the page's simulation worker, through CDP (dedicated workers have no performance.memory). */
async function workerHeapProbe(page: Page): Promise<() => Promise<number>> {
  const cdp = await page.context().newCDPSession(page);
  const attached = new Promise<string>((resolve) => {
    cdp.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string; url: string } }) => {
      // the simulation worker, not MapLibre's
      if (e.targetInfo.type === 'worker' && !/maplibre|^blob:/.test(e.targetInfo.url)) resolve(e.sessionId);
    });
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const sessionId = await Promise.race([attached, new Promise<string>((r) => setTimeout(() => r(''), 30_000))]);
  if (!sessionId) return async () => Number.NaN;
  let next = 1;
  const waiting = new Map<number, (r: unknown) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
    const m = JSON.parse(e.message) as { id?: number; result?: unknown };
    if (m.id !== undefined) waiting.get(m.id)?.(m.result);
  });
  const send = (method: string) =>
    new Promise<unknown>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params: {} }) });
    });
  return async () => {
    await send('HeapProfiler.collectGarbage');
    return ((await send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize / 1e6;
  };
}

test.describe('load', () => {
  test('20 runs queued back to back through the worker API: all complete, every record kept, memory bounded', async ({ page }) => {
    await openWorkbench(page);
    await selectModel(page, 'game_of_life');
    const cdp = await page.context().newCDPSession(page);
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize / 1e6;
    };
    const workerHeap = await workerHeapProbe(page);
    const runQueue = (n: number, offset: number) =>
      page.evaluate(
        async ({ n, offset }) => {
          const worker = (globalThis as unknown as Hook).__dissmodel.worker;
          const bytes = new Uint8Array(await (await fetch('/samples/gol_random_512x512.tif')).arrayBuffer());
          const uri = 'sample:gol_random_512x512.tif';
          const kept: string[] = [];
          const t0 = performance.now();
          // queued: all asked for at once, each started when the one before ends; frames kept
          // (each response carries ~3 MB of frames, dropped once its record is kept)
          let chain: Promise<unknown> = Promise.resolve();
          const all: Promise<void>[] = [];
          for (let i = 0; i < n; i++) {
            const record = {
              model_name: 'game_of_life',
              source: { type: 'sample', uri },
              parameters: { end_time: 5 + ((i + offset) % 10) },
            };
            const p = chain
              .then(() => worker.run({ record, inputs: [{ uri, bytes: bytes.slice() }], keepFrames: true }))
              .then((r) => {
                kept.push(r.recordJson);
              });
            chain = p.catch(() => undefined);
            all.push(p);
          }
          await Promise.all(all);
          return { kept, ms: performance.now() - t0 };
        },
        { n, offset },
      );
    await runQueue(3, 100); // warm-up
    const [h0, w0] = [await heap(), await workerHeap()];
    const { kept, ms } = await runQueue(20, 0);
    const [h1, w1] = [await heap(), await workerHeap()];
    const records = kept.map((j) => JSON.parse(j) as { experiment_id: string; status: string; artifacts: { output?: string } });
    const figures =
      `20 queued runs (512 × 512, 5–14 steps, frames kept) in ${(ms / 1000).toFixed(1)} s; page heap ${h0.toFixed(1)} → ${h1.toFixed(1)} MB, ` +
      `worker heap ${w0.toFixed(1)} → ${w1.toFixed(1)} MB`;
    console.log(figures);
    test.info().annotations.push({ type: 'memory', description: figures });
    expect(records).toHaveLength(20);
    expect(records.every((r) => r.status === 'completed' && /^[0-9a-f]{64}$/.test(r.artifacts.output ?? ''))).toBe(true);
    expect(new Set(records.map((r) => r.experiment_id)).size).toBe(20);
    expect(h1 - h0).toBeLessThan(30);
    if (Number.isFinite(w0) && Number.isFinite(w1)) expect(w1 - w0).toBeLessThan(30);
    // the page is still responsive and its own Run button works
    await pickSample(page, GOL_TIF);
    await setParam(page, 'end_time', '2');
    expect(await runAndWait(page)).toBe('completed');
  });
});
