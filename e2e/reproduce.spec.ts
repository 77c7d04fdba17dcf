/**
 * Reproducible runs in the page: a share link re-runs the experiment in a
 * fresh browser and proves the bytes; a tampered link says "differs"; hostile
 * fragments are refused without running anything; a link to a dropped file
 * asks for that file and accepts only its bytes; a record written by
 * DisSModel's Python CLI is re-run from the bundled sample with the same input
 * bytes and gives DisSModel's pixel values and the CLI's output bytes; the run
 * history survives a reload, re-opens, re-runs and compares runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { deflateSync } from 'fflate';
import { ExecutorRegistry } from '../src/models/index.ts';
import { readGeoTiff } from '../src/io/geotiff-read.ts';
import { writeGeoTiff } from '../src/io/geotiff-write.ts';
import { decodeShareLink, encodeShareLink } from '../src/app/share/share-link.ts';
import { dropFile, openWorkbench, pickSample, readSample, ROOT, runAndWait, selectModel, setParam, sha256 } from './helpers.ts';

// Several runs, fresh browser contexts and a CLI run per test: more time than one run needs on a loaded machine.
test.describe.configure({ timeout: 480_000 });

const GOL = 'gol_glider_64x64.tif';
const PY_RECORD = join(ROOT, 'tests/reference/dissmodel_cli_record.json');
const SHA_RE = /^[0-9a-f]{64}$/;

async function runGlider(page: Page, end = '23'): Promise<string> {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await pickSample(page, GOL);
  await setParam(page, 'end_time', end);
  expect(await runAndWait(page)).toBe('completed');
  return (await page.getByTestId('output-sha256').textContent())!.trim();
}

async function shareLink(page: Page): Promise<string> {
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#run=[A-Za-z0-9_-]+$/);
  return link;
}

async function readDownload(page: Page, testId: string): Promise<{ name: string; bytes: Uint8Array }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: download.suggestedFilename(), bytes: new Uint8Array(readFileSync(await download.path())) };
}

/** Drop a file on any element (by test id) through a real DataTransfer 'drop' event. */
async function dropOn(page: Page, testId: string, name: string, bytes: Uint8Array, type: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, data, type }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], name, { type }));
      return dt;
    },
    { name, data: Array.from(bytes), type },
  );
  const zone = page.getByTestId(testId);
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
  await dataTransfer.dispose();
}

test('Copy link → a fresh browser re-runs it: reproduced; a tampered parameter: differs', async ({ page, browser, context, baseURL }) => {
  const sha = await runGlider(page);
  // "Copy link" puts exactly the shown link on the clipboard.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL! });
  await page.getByTestId('share-copy').click();
  await expect(page.getByTestId('share-copied')).toHaveText('Copied');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toBe(await shareLink(page));
  expect(new URL(link).pathname).toBe('/');

  // What the link carries: model, code version, parameters, source and both checksums.
  const exp = decodeShareLink(new URL(link).hash, ExecutorRegistry.specs());
  expect(exp).toMatchObject({
    model: 'game_of_life',
    parameters: { end_time: 23 },
    source: { uri: `sample:${GOL}`, sha256: sha256(readSample(GOL)) },
    expected_output_sha256: sha,
    embedded: null,
  });
  expect(exp.code_version).toMatch(/^\d+\.\d+\.\d+/);

  const fresh = await browser.newContext();
  try {
    const p2 = await fresh.newPage();
    await p2.goto(link);
    await expect(p2.getByTestId('verdict')).toHaveText(`reproduced — output SHA-256 matches (${sha})`, { timeout: 120_000 });
    await expect(p2.getByTestId('model-select')).toHaveValue('game_of_life');
    await expect(p2.getByTestId('param-end_time').locator('input').first()).toHaveValue('23');
    await expect(p2.getByTestId('dataset-name')).toHaveText(GOL);
    await expect(p2.getByTestId('output-sha256')).toHaveText(sha);
    await expect(p2.getByTestId('reproduce-banner')).toHaveClass(/verdict-good/);
    await p2.getByTestId('reproduce-banner').screenshot({ path: test.info().outputPath('verdict-matches.png') });

    const tampered = encodeShareLink({ ...exp, parameters: { ...exp.parameters, end_time: 24 } });
    const p3 = await fresh.newPage();
    await p3.goto(`${new URL(link).origin}/#${tampered}`);
    await expect(p3.getByTestId('verdict')).toHaveText(new RegExp(`^differs \\(expected ${sha}, got [0-9a-f]{64}\\)$`), {
      timeout: 120_000,
    });
    await expect(p3.getByTestId('param-end_time').locator('input').first()).toHaveValue('24');
    await expect(p3.getByTestId('reproduce-banner')).toHaveClass(/verdict-bad/);
    await p3.getByTestId('reproduce-banner').screenshot({ path: test.info().outputPath('verdict-differs.png') });
  } finally {
    await fresh.close();
  }
});

test('a link with the input embedded re-runs without fetching it', async ({ page, browser }) => {
  const sha = await runGlider(page, '9');
  await expect(page.getByTestId('share-embed')).toBeEnabled();
  await page.getByTestId('share-embed').check();
  const link = await shareLink(page);
  const exp = decodeShareLink(new URL(link).hash, ExecutorRegistry.specs());
  expect(exp.embedded && sha256(exp.embedded)).toBe(sha256(readSample(GOL)));

  const fresh = await browser.newContext();
  try {
    const fetched: string[] = [];
    await fresh.route(`**/samples/${GOL}`, (route) => {
      fetched.push(route.request().url());
      return route.abort();
    });
    const p2 = await fresh.newPage();
    await p2.goto(link);
    await expect(p2.getByTestId('verdict')).toHaveText(`reproduced — output SHA-256 matches (${sha})`, { timeout: 120_000 });
    expect(fetched).toEqual([]);
  } finally {
    await fresh.close();
  }
});

/** A GoL grid of the user's own (bytes no bundled sample has). */
function ownGrid(): Uint8Array {
  const data = new Uint8Array(24 * 20);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 5 === 0 ? 1 : 0;
  return writeGeoTiff({
    kind: 'raster',
    width: 24,
    height: 20,
    epsg: 31983,
    transform: { originX: 580000, originY: 9720000, pixelWidth: 100, pixelHeight: 100 },
    bands: [{ name: 'state', dtype: 'uint8', data, nodata: null }],
  });
}

test('a link to a dropped file asks for that file and accepts only bytes with the recorded SHA-256', async ({ page, browser }) => {
  const own = ownGrid();
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await dropFile(page, 'my_grid.tif', own, 'image/tiff');
  await expect(page.getByTestId('dataset-name')).toHaveText('my_grid.tif');
  await setParam(page, 'end_time', '12');
  expect(await runAndWait(page)).toBe('completed');
  const sha = (await page.getByTestId('output-sha256').textContent())!.trim();
  const link = await shareLink(page);
  expect(decodeShareLink(new URL(link).hash, ExecutorRegistry.specs()).source).toMatchObject({
    uri: 'file:my_grid.tif',
    name: 'my_grid.tif',
  });

  const fresh = await browser.newContext();
  try {
    const p2 = await fresh.newPage();
    await p2.goto(link);
    const request = p2.getByTestId('reproduce-request');
    await expect(request).toContainText('my_grid.tif');
    await expect(request).toContainText(sha256(own));
    await expect(p2.getByTestId('model-select')).toHaveValue('game_of_life');
    await expect(p2.getByTestId('param-end_time').locator('input').first()).toHaveValue('12');
    // Another file (even under the same name) is refused and nothing runs.
    await p2
      .getByTestId('reproduce-input')
      .setInputFiles({ name: 'my_grid.tif', mimeType: 'image/tiff', buffer: Buffer.from(readSample(GOL)) });
    await expect(p2.getByTestId('reproduce-refusal')).toContainText('not the recorded one; it was not used');
    await expect(p2.getByTestId('run-status')).toHaveAttribute('data-status', 'idle');
    // The right bytes, dropped: checked, then run.
    await dropOn(p2, 'reproduce-request', 'whatever-name.tif', own, 'image/tiff');
    await expect(p2.getByTestId('verdict')).toHaveText(`reproduced — output SHA-256 matches (${sha})`, { timeout: 120_000 });
  } finally {
    await fresh.close();
  }
});

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const packed = (payload: unknown) => 'run=' + b64(deflateSync(new TextEncoder().encode(JSON.stringify(payload))));
const base = {
  v: 1,
  model: 'game_of_life',
  code_version: '0.1.0',
  parameters: { end_time: 5 },
  band_map: {},
  column_map: {},
  input_format: 'auto',
  source: { uri: `sample:${GOL}`, sha256: '', name: GOL },
  expected_output_sha256: '',
  embedded: null,
};
const goodLink = packed(base);

for (const [what, fragment, message] of [
  ['garbage', 'run=%%%not-base64', /base64url/],
  ['not a run link', 'hello', /not a run link/],
  ['truncated', goodLink.slice(0, Math.floor(goodLink.length / 2)), /damaged or truncated/],
  ['a compression bomb', 'run=' + b64(deflateSync(new Uint8Array(3_000_000).fill(32))), /inflates beyond/],
  ['a future version', packed({ ...base, v: 99 }), /version 99/],
  ['an unknown model', packed({ ...base, model: 'rm_rf' }), /model 'rm_rf'/],
  ['an out-of-range parameter', packed({ ...base, parameters: { end_time: -3 } }), /'end_time' = -3 is out of range/],
  ['a wrong-typed parameter', packed({ ...base, parameters: { end_time: 'soon' } }), /end_time/],
  [
    'a __proto__ key',
    'run=' + b64(deflateSync(new TextEncoder().encode('{"v":1,"model":"game_of_life","parameters":{"__proto__":{"polluted":1}}}'))),
    /forbidden key '__proto__'/,
  ],
  ['a constructor key', packed({ ...base, constructor: { prototype: { polluted: 1 } } }), /forbidden key 'constructor'|unknown field/],
] as const) {
  test(`a hostile link is refused with a readable error: ${what}`, async ({ page }) => {
    await page.goto(`/#${fragment}`);
    await expect(page.getByTestId('link-error')).toHaveText(message);
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'idle');
    expect(await page.evaluate(() => ({}) as Record<string, unknown>).then((o) => o.polluted)).toBeUndefined();
    // The page still works: dismiss, pick a model, run.
    await page.getByTestId('reproduce-banner').getByRole('button', { name: 'Dismiss' }).click();
    await expect(page.getByTestId('reproduce-banner')).toHaveCount(0);
    await selectModel(page, 'game_of_life');
    await pickSample(page, GOL);
    await setParam(page, 'end_time', '2');
    expect(await runAndWait(page)).toBe('completed');
  });
}

test('script in a link stays text', async ({ page }) => {
  const frag = packed({
    ...base,
    source: { uri: 'https://127.0.0.1:1/<img src=x onerror=window.__xss=1>.tif', sha256: '', name: '<script>window.__xss=1</script>' },
  });
  await page.goto(`/#${frag}`);
  // the page asks before fetching it, showing the URL as text; declined, nothing is fetched
  await expect(page.getByTestId('consent-url')).toHaveText('https://127.0.0.1:1/<img src=x onerror=window.__xss=1>.tif');
  await page.getByTestId('consent-decline').click();
  await expect(page.getByTestId('link-error')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

  // Script as a bundled sample's name: no such sample, refused before anything runs.
  await page.goto(`/#${packed({ ...base, source: { uri: 'sample:<script>window.__xss=3</script>.tif', sha256: '', name: 'x.tif' } })}`);
  await expect(page.getByTestId('link-error')).toContainText(
    "names the bundled sample '<script>window.__xss=3</script>.tif', which this workbench does not have",
  );
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'idle');
  expect(await page.locator('script:not([src])').evaluateAll((els) => els.filter((e) => e.textContent?.includes('__xss')).length)).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

  // An unknown parameter named with markup: listed as ignored, literally.
  const evil = '<img src=x onerror=window.__xss=2>';
  await page.goto(`/#${packed({ ...base, parameters: { end_time: 3, [evil]: '<b>x</b>' } })}`);
  await expect(page.getByTestId('verdict')).toContainText('ran — the original gives no output SHA-256', { timeout: 120_000 });
  await expect(page.getByTestId('ignored-params')).toHaveText(`Ignored parameters (unknown to this model): ${evil}`);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
});

test('a record written by DisSModel’s Python CLI, dropped on the page: brmangue on the bundled coast, DisSModel’s pixels, the CLI’s bytes', async ({
  page,
}) => {
  await openWorkbench(page);
  await dropOn(page, 'record-drop', 'dissmodel_cli_record.json', new Uint8Array(readFileSync(PY_RECORD)), 'application/json');
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toContainText('differs (expected 3a3edbb1', { timeout: 120_000 });
  await expect(verdict).toContainText('another code version');
  await expect(page.getByTestId('verdict-foreign')).toContainText('lay out their bytes differently');
  await expect(page.getByTestId('ignored-params')).toHaveText(
    'Ignored parameters (unknown to this model): resolution, crs, bands, interactive',
  );
  await expect(page.getByTestId('model-select')).toHaveValue('brmangue');
  await expect(page.getByTestId('param-taxa_elevacao').locator('input').first()).toHaveValue('0.5');
  await expect(page.getByTestId('param-end_time').locator('input').first()).toHaveValue('8');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'completed');
  // The input is the bundled sample with the recorded SHA-256.
  await expect(page.getByTestId('dataset-name')).toHaveText('coast_10x14.tif');
  await expect(page.getByTestId('dataset-sha256')).toHaveText(/^b55cd962/);
  const browserSha = (await page.getByTestId('output-sha256').textContent())!.trim();
  expect(browserSha).toMatch(SHA_RE);
  await expect(verdict).toContainText(`got ${browserSha}`);

  // Same pixel values as DisSModel (case taxa0.5_nomask after step 8).
  const out = await readDownload(page, 'download-output');
  expect(sha256(out.bytes)).toBe(browserSha);
  const tif = await readGeoTiff(out.bytes);
  const ref = JSON.parse(readFileSync(join(ROOT, 'tests/reference/brmangue_flood_mangrove.json'), 'utf8'));
  const after8 = ref.cases.find((c: { case: string }) => c.case === 'taxa0.5_nomask').after_step['8'];
  for (const name of ['uso', 'alt', 'solo']) {
    const band = tif.bands.find((b) => b.name === name)!;
    expect(Array.from(band.data), name).toEqual((after8[name] as number[][]).flat().map((v) => Math.fround(v)));
  }

  // Parity: `dissmodel reproduce` on the same record and input writes the same bytes.
  const dir = mkdtempSync(join(tmpdir(), 'dissmodel-e2e-repro-'));
  try {
    const cli = spawnSync(process.execPath, ['bin/dissmodel.js', 'reproduce', PY_RECORD, '--output', dir + '/'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(cli.stdout).toContain(`got ${browserSha}`);
    const cliTif = readdirSync(dir).find((f) => f.endsWith('.tif'))!;
    expect(sha256(new Uint8Array(readFileSync(join(dir, cliTif))))).toBe(browserSha);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a record.json dropped on the dataset drop zone is re-run, not read as GeoJSON; ours reproduces', async ({ page }) => {
  const sha = await runGlider(page, '7');
  const record = await readDownload(page, 'download-record');
  await page.reload();
  await expect(page.getByTestId('model-select')).toBeEnabled();
  await selectModel(page, 'brmangue');
  await dropFile(page, record.name, record.bytes, 'application/json');
  await expect(page.getByTestId('verdict')).toHaveText(`reproduced — output SHA-256 matches (${sha})`, { timeout: 120_000 });
  await expect(page.getByTestId('model-select')).toHaveValue('game_of_life');
  await expect(page.getByTestId('ignored-params')).toHaveCount(0);
  // A record file too can be picked.
  await page
    .getByTestId('record-input')
    .setInputFiles({ name: 'gol.record.json', mimeType: 'application/json', buffer: Buffer.from(record.bytes) });
  await expect(page.getByTestId('verdict')).toHaveText(`reproduced — output SHA-256 matches (${sha})`, { timeout: 120_000 });
  // A broken record: a readable error, nothing runs.
  await page
    .getByTestId('record-input')
    .setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"experiment_id": 1') });
  await expect(page.getByTestId('link-error')).toContainText('not valid JSON');
});

test('the run history survives a reload, compares two runs and reports a full storage', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await pickSample(page, GOL);
  for (const end of ['5', '6']) {
    await setParam(page, 'end_time', end);
    expect(await runAndWait(page)).toBe('completed');
  }
  await expect(page.getByTestId('history-item')).toHaveCount(2);
  await page.reload();
  await expect(page.getByTestId('history-item')).toHaveCount(2);
  const boxes = page.getByTestId('history').getByRole('checkbox');
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  const table = page.getByTestId('history-compare');
  await expect(table.locator('tr[data-differs="true"] th', { hasText: 'parameters.end_time' })).toHaveCount(1);
  await expect(table.locator('tr[data-differs="true"] th', { hasText: 'output SHA-256' })).toHaveCount(1);
  await expect(table.locator('tr[data-differs="false"] th', { hasText: 'input SHA-256' })).toHaveCount(1);
  await expect(table.locator('tr[data-differs="true"]')).toHaveCount(2);
  await page.getByTestId('history').screenshot({ path: test.info().outputPath('history-compare.png') });
  await page
    .getByRole('button', { name: /^Delete run / })
    .first()
    .click();
  await expect(page.getByTestId('history-item')).toHaveCount(1);
  await expect(page.getByTestId('history-compare')).toHaveCount(0);

  // A full storage: the run is kept without its output and the user is told.
  await page.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      const v = value as { output?: { bytes: unknown } | null };
      if (v.output?.bytes) throw new DOMException('quota', 'QuotaExceededError');
      return put.call(this, value, key);
    };
  });
  await selectModel(page, 'game_of_life');
  await pickSample(page, GOL);
  expect(await runAndWait(page)).toBe('completed');
  await expect(page.getByTestId('history-message')).toHaveText(/Storage is full: the run was kept without its output file/);
  await expect(page.getByTestId('history-item')).toHaveCount(2);
  await expect(page.getByTestId('history-item').first()).toContainText('Storage is full');

  // Any other storage failure is reported too, never silent.
  await page.evaluate(() => {
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('the disk is gone', 'UnknownError');
    };
  });
  expect(await runAndWait(page)).toBe('completed');
  await expect(page.getByTestId('history-message')).toHaveText(/This run could not be kept in the history: .*UnknownError/);
  await expect(page.getByTestId('history-item')).toHaveCount(2);
});

test('history: re-open restores the form and shows the result; re-run reproduces and is kept with its verdict', async ({ page }) => {
  const sha = await runGlider(page, '11');
  await expect(page.getByTestId('history-item')).toHaveCount(1);
  // Change the form, then re-open the stored run.
  await setParam(page, 'end_time', '40');
  await selectModel(page, 'brmangue');
  await page.reload();
  await page.getByTestId('history-open').first().click();
  await expect(page.getByTestId('model-select')).toHaveValue('game_of_life');
  await expect(page.getByTestId('param-end_time').locator('input').first()).toHaveValue('11');
  await expect(page.getByTestId('dataset-name')).toHaveText(GOL);
  const summary = page.getByTestId('history-summary');
  await expect(summary.getByTestId('history-summary-sha')).toHaveText(sha);
  await expect(summary.getByTestId('history-summary-params')).toContainText('end_time=11');
  await expect(summary).toContainText('total');
  const kept = await readDownload(page, 'history-download-output');
  expect(sha256(kept.bytes)).toBe(sha);

  await page.getByTestId('history-rerun').first().click();
  await expect(page.getByTestId('verdict')).toHaveText(`reproduced — output SHA-256 matches (${sha})`, { timeout: 120_000 });
  await expect(page.getByTestId('history-item')).toHaveCount(2);
  await expect(page.getByTestId('history-item').first().getByTestId('history-verdict')).toHaveText('· reproduced');
  await page.reload();
  await expect(page.getByTestId('history-item').first().getByTestId('history-verdict')).toHaveText('· reproduced');
  await page.getByTestId('history-pick').nth(0).check();
  await page.getByTestId('history-pick').nth(1).check();
  await expect(page.getByTestId('history-compare-wrap')).toContainText('Same model, parameters, input and output.');
  await page.getByTestId('history-open').first().click();
  await page.getByTestId('history').screenshot({ path: test.info().outputPath('history-reopen.png') });
  await page.getByTestId('history-rerun').first().click();
  await expect(page.getByTestId('verdict')).toHaveText(`reproduced — output SHA-256 matches (${sha})`, { timeout: 120_000 });
  await page.getByTestId('history-compare').scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('page-verdict-history.png') });
});
