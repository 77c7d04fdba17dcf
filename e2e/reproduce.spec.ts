/**
 * Reproducible runs in the page: a share link re-runs the experiment in a
 * fresh browser and proves the bytes; a tampered link says "differs"; hostile
 * fragments are refused without running anything; a record written by
 * DisSModel's Python CLI is re-run from the bundled sample with the same input bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { deflateSync } from 'fflate';
import '../src/models/index.ts';
import { decodeShareLink, encodeShareLink } from '../src/io/share-link.ts';
import { openWorkbench, pickSample, ROOT, runAndWait, selectModel, setParam } from './helpers.ts';

const GOL = 'gol_glider_64x64.tif';

async function runGliderAndGetLink(page: Page): Promise<{ link: string; sha: string }> {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await pickSample(page, GOL);
  await setParam(page, 'end_time', '23');
  expect(await runAndWait(page)).toBe('completed');
  const sha = (await page.getByTestId('output-sha256').textContent())!.trim();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#run=[A-Za-z0-9_-]+$/);
  return { link, sha };
}

test('a share link re-runs the experiment in a fresh browser: reproduced; a tampered one: differs', async ({ page, browser }) => {
  const { link, sha } = await runGliderAndGetLink(page);
  const fresh = await browser.newContext();
  try {
    const p2 = await fresh.newPage();
    await p2.goto(link);
    await expect(p2.getByTestId('verdict')).toHaveText(`reproduced — output SHA-256 matches (${sha})`, { timeout: 60_000 });
    await expect(p2.getByTestId('model-select')).toHaveValue('game_of_life');
    await expect(p2.getByTestId('output-sha256')).toHaveText(sha);

    const exp = decodeShareLink(new URL(link).hash);
    const tampered = encodeShareLink({ ...exp, parameters: { ...exp.parameters, end_time: 24 } });
    const p3 = await fresh.newPage();
    await p3.goto(`${new URL(link).origin}/#${tampered}`);
    await expect(p3.getByTestId('verdict')).toHaveText(new RegExp(`^differs \\(expected ${sha}, got [0-9a-f]{64}\\)$`), { timeout: 60_000 });
  } finally {
    await fresh.close();
  }
});

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const packed = (payload: unknown) => 'run=' + b64(deflateSync(new TextEncoder().encode(JSON.stringify(payload))));
const base = { v: 1, model: 'game_of_life', code_version: '0.1.0', parameters: { end_time: 5 }, band_map: {}, column_map: {}, input_format: 'auto', source: { uri: `sample:${GOL}`, sha256: '', name: GOL }, expected_output_sha256: '', embedded: null };

for (const [what, fragment, message] of [
  ['garbage', 'run=%%%not-base64', /base64url/],
  ['not a run link', 'hello', /not a run link/],
  ['an unknown model', packed({ ...base, model: 'rm_rf' }), /model 'rm_rf'/],
  ['an out-of-range parameter', packed({ ...base, parameters: { end_time: -3 } }), /'end_time' = -3 is out of range/],
  ['a __proto__ key', 'run=' + b64(deflateSync(new TextEncoder().encode('{"v":1,"model":"game_of_life","parameters":{"__proto__":{"polluted":1}}}'))), /forbidden key '__proto__'/],
] as const) {
  test(`a hostile link is refused with a readable error: ${what}`, async ({ page }) => {
    await page.goto(`/#${fragment}`);
    await expect(page.getByTestId('link-error')).toHaveText(message);
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'idle');
    expect(await page.evaluate(() => ({}) as Record<string, unknown>).then((o) => o.polluted)).toBeUndefined();
    // The page still works.
    await expect(page.getByTestId('model-select')).toBeEnabled();
  });
}

test('script in a link stays text', async ({ page }) => {
  const frag = packed({ ...base, source: { uri: 'https://127.0.0.1:1/<img src=x onerror=window.__xss=1>.tif', sha256: '', name: '<script>window.__xss=1</script>' } });
  await page.goto(`/#${frag}`);
  await expect(page.getByTestId('link-error')).toBeVisible({ timeout: 30_000 });
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
});

test('a record written by DisSModel’s Python CLI re-runs from the bundled sample with the same input bytes', async ({ page }) => {
  await openWorkbench(page);
  const recordPath = join(ROOT, '../shared/reference/dissmodel_cli_record.json');
  await page.getByTestId('record-input').setInputFiles({ name: 'dissmodel_cli_record.json', mimeType: 'application/json', buffer: readFileSync(recordPath) });
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toContainText('differs (expected 3a3edbb1', { timeout: 60_000 });
  await expect(verdict).toContainText('another code version');
  await expect(page.getByTestId('model-select')).toHaveValue('brmangue');
  await expect(page.getByTestId('param-taxa_elevacao').locator('input').first()).toHaveValue('0.5');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'completed');
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
  await page.getByRole('button', { name: /^Delete run / }).first().click();
  await expect(page.getByTestId('history-item')).toHaveCount(1);

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
});
