/**
 * No network without consent: a share link, a record or a typed URL that names a source
 * other than a bundled sample makes the page show the URL and its host and ask; a loopback
 * address needs an explicit tick as well. A loopback server counts the requests: none
 * arrives before the person agrees, and after it the input loads and runs.
 */
import { expect, test } from '@playwright/test';
import { deflateSync } from 'fflate';
import { startFaultServer, type FaultServer } from '../tests/fault-server.ts';
import { dropFile, openWorkbench, pickSample, readSample, runAndWait, selectModel, setParam, sha256 } from './helpers.ts';

const GOL = 'gol_glider_64x64.tif';
let server: FaultServer;
test.beforeAll(async () => {
  server = await startFaultServer();
});
test.afterAll(async () => {
  await server.close();
});

const packed = (payload: unknown) =>
  'run=' + Buffer.from(deflateSync(new TextEncoder().encode(JSON.stringify(payload)))).toString('base64url');
const linkTo = (uri: string) =>
  packed({
    v: 1,
    model: 'game_of_life',
    code_version: '0.1.0',
    parameters: { end_time: 3 },
    band_map: {},
    column_map: {},
    input_format: 'auto',
    source: { uri, sha256: sha256(readSample(GOL)), name: GOL },
    expected_output_sha256: '',
    embedded: null,
  });
const hits = (url: string) => server.hits.get(new URL(url).pathname) ?? 0;

test('a share link to a loopback address fetches nothing until the person agrees, then loads and runs', async ({ page }) => {
  const url = server.url('cors', 'ok', GOL);
  await page.goto(`/#${linkTo(url)}`);
  const dialog = page.getByTestId('consent-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('data-kind', 'loopback');
  await expect(page.getByTestId('consent-url')).toHaveText(url);
  await expect(page.getByTestId('consent-host')).toHaveText(new URL(url).host);
  await expect(page.getByTestId('consent-warning')).toContainText('on your own computer or network');
  // the page is up, its worker listed the models and the link was decoded: still no request
  await expect(page.getByTestId('reproduce-banner')).toContainText('Re-running the share link');
  expect(hits(url)).toBe(0);
  // a loopback address needs the explicit tick before "Fetch it" is enabled
  await expect(page.getByTestId('consent-accept')).toBeDisabled();
  await page.getByTestId('consent-understood').check();
  expect(hits(url)).toBe(0);
  await page.getByTestId('consent-accept').click();
  await expect(page.getByTestId('verdict')).toHaveText(/^ran — the original gives no output SHA-256/, { timeout: 120_000 });
  expect(hits(url)).toBeGreaterThan(0);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId('dataset-sha256')).toHaveText(sha256(readSample(GOL)));
});

test('declined: nothing is fetched, the banner says so, and the page stays usable', async ({ page }) => {
  const url = server.url('cors', 'ok', 'flood_8x10.tif');
  await page.goto(`/#${linkTo(url)}`);
  await expect(page.getByTestId('consent-dialog')).toBeVisible();
  await page.getByTestId('consent-decline').click();
  await expect(page.getByTestId('link-error')).toContainText('Not fetched: you declined');
  await expect(page.getByTestId('consent-dialog')).toHaveCount(0);
  expect(hits(url)).toBe(0);
  await page.getByTestId('reproduce-banner').getByRole('button', { name: 'Dismiss' }).click();
  await selectModel(page, 'game_of_life');
  await pickSample(page, GOL); // a bundled sample: no question
  await expect(page.getByTestId('consent-dialog')).toHaveCount(0);
  await setParam(page, 'end_time', '2');
  expect(await runAndWait(page)).toBe('completed');
  expect(hits(url)).toBe(0);
});

test('a dropped record naming a loopback input asks first; a typed loopback URL too', async ({ page }) => {
  const url = server.url('cors', 'ok', 'gol_random_20x20.geojson');
  const record = {
    experiment_id: 'c0ffee00c0ffee00c0ffee00c0ffee00',
    created_at: '2026-12-01T00:00:00Z',
    model_name: 'game_of_life',
    model_commit: 'workbench',
    code_version: '0.1.0',
    resolved_spec: {},
    source: { type: 'http', uri: url, collection: '', version: '', checksum: '' },
    input_format: 'auto',
    column_map: {},
    band_map: {},
    parameters: { start_time: 1, end_time: 2 },
    period: null,
    output_path: '',
    artifacts: {},
    metrics: {},
    status: 'completed',
    logs: [],
  };
  await openWorkbench(page);
  await dropFile(page, 'loopback.record.json', new TextEncoder().encode(JSON.stringify(record)), 'application/json');
  await expect(page.getByTestId('consent-dialog')).toBeVisible();
  await expect(page.getByTestId('consent-dialog')).toContainText('record loopback.record.json');
  expect(hits(url)).toBe(0);
  await page.getByTestId('consent-decline').click();
  await expect(page.getByTestId('link-error')).toContainText('Not fetched');
  expect(hits(url)).toBe(0);
  // typed in the URL field: the same question; agreed, it loads
  await page.getByTestId('reproduce-banner').getByRole('button', { name: 'Dismiss' }).click();
  await selectModel(page, 'game_of_life');
  const typed = server.url('cors', 'ok', 'fire_forest_50x50.tif'); // a path no other test asks for
  await page.getByTestId('url-input').fill(typed);
  await page.getByTestId('url-load').click();
  await expect(page.getByTestId('consent-dialog')).toBeVisible();
  expect(hits(typed)).toBe(0);
  await page.getByTestId('consent-understood').check();
  await page.getByTestId('consent-accept').click();
  await expect(page.getByTestId('dataset-sha256')).toHaveText(sha256(readSample('fire_forest_50x50.tif')));
  expect(hits(typed)).toBe(1);
});
