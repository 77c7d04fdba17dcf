/**
 * The smaller fixes, each as the user meets it: BR-MANGUE's five series chips, chart
 * colours agreeing with the map legend, the sweep chart over the swept value, a basemap without
 * network, a URL's error after picking a sample, the read error beside Run, one "(optional)",
 * history entries naming dataset and parameters, and a file dropped on the map.
 */
import { expect, test, type Page } from '@playwright/test';
import { acceptConsent, openWorkbench, pickSample, readSample, runAndWait, selectModel, setParam } from './helpers.ts';

async function dropOnMap(page: Page, name: string, bytes: Uint8Array, type: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, data, type }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], name, { type }));
      return dt;
    },
    { name, data: Array.from(bytes), type },
  );
  const map = page.getByTestId('map-wrap');
  await map.dispatchEvent('dragenter', { dataTransfer });
  await map.dispatchEvent('dragover', { dataTransfer });
  await map.dispatchEvent('drop', { dataTransfer });
  await dataTransfer.dispose();
}

test("BR-MANGUE: all five series chips, one '(optional)' in the mask row", async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'brmangue');
  await pickSample(page, 'coast_10x14.tif');
  const mask = page.locator('.map-row', { has: page.getByTestId('map-mask') });
  await expect(mask).toContainText('(optional)');
  expect(((await mask.textContent()) ?? '').match(/\(optional\)/g)).toHaveLength(1);
  expect(await runAndWait(page)).toBe('completed');
  const chips = page.getByTestId('series-chart').locator('.series-legend > .legend-toggle');
  await expect(chips).toHaveCount(5);
  for (const c of await chips.all()) await expect(c).toBeVisible();
});

test('forest_fire: each series is drawn in its category colour from the map legend', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'forest_fire');
  await pickSample(page, 'fire_forest_50x50.tif');
  await setParam(page, 'end_time', '8');
  expect(await runAndWait(page)).toBe('completed');
  const legendColor = async (label: string) =>
    page
      .getByTestId('legend')
      .locator('li', { hasText: label })
      .locator('.swatch')
      .evaluate((el) => getComputedStyle(el).backgroundColor);
  const lineColor = async (key: string) =>
    page
      .getByTestId('series-chart')
      .locator(`path[data-series="${key}"]`)
      .evaluate((el) => getComputedStyle(el).stroke);
  for (const key of ['burning', 'burned']) expect(await lineColor(key), key).toBe(await legendColor(key));
});

test('the sweep chart runs along the swept value', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await pickSample(page, 'gol_glider_64x64.tif');
  await page.locator('.sweep-details > summary').click();
  await page.getByTestId('sweep-values-end_time').fill('20, 5, 10');
  await page.getByTestId('sweep-run').click();
  await expect(page.getByTestId('sweep-chart')).toBeVisible();
  await expect(page.locator('[data-testid="sweep-row"]')).toHaveCount(3);
  await expect(page.getByTestId('sweep-chart-xticks')).toContainText('end_time');
  const ticks = (await page.getByTestId('sweep-chart-xticks').locator('text').allTextContents()).slice(0, -1).map(Number);
  expect(Math.min(...ticks)).toBeGreaterThanOrEqual(5);
  expect(Math.max(...ticks)).toBeLessThanOrEqual(20);
});

test('a basemap without network says so on the map', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await pickSample(page, 'gol_glider_64x64.tif');
  await page.getByTestId('settings-button').click();
  await page.getByLabel('Raster tile URL template').fill('http://127.0.0.1:9/{z}/{x}/{y}.png');
  await page.getByTestId('basemap-toggle').check();
  await expect(page.getByTestId('basemap-error')).toContainText(/could not be loaded/);
  await page.getByTestId('basemap-toggle').uncheck();
  await expect(page.getByTestId('basemap-error')).toHaveCount(0);
});

test("a URL that cannot be read: the reason shows by Run; picking a sample clears the URL's error", async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await page.getByTestId('url-input').fill('ftp://example.org/x.tif');
  await page.getByTestId('url-load').click();
  const urlError = page.getByTestId('dataset-panel').locator('.url-form .field-error');
  await expect(urlError).toContainText('Only http:// and https://');
  await pickSample(page, 'gol_glider_64x64.tif');
  await expect(urlError).toHaveCount(0);

  await page.getByTestId('url-input').fill('http://127.0.0.1:9/grid.tif');
  await page.getByTestId('url-load').click();
  await acceptConsent(page);
  await expect(page.getByTestId('dataset-panel').getByTestId('dataset-error')).toBeVisible();
  await expect(page.getByTestId('run-blocker')).toContainText(/could not be read: .*Could not fetch http:\/\/127\.0\.0\.1:9\/grid\.tif/);
});

test('history entries name the dataset and every parameter; a file dropped on the map opens', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  const tif = readSample('gol_glider_64x64.tif');
  await dropOnMap(page, 'gol_glider_64x64.tif', tif, 'image/tiff');
  await expect(page.getByTestId('dataset-name')).toHaveText('gol_glider_64x64.tif');
  await setParam(page, 'end_time', '7');
  expect(await runAndWait(page)).toBe('completed');
  const detail = page.getByTestId('history-item').first().getByTestId('history-detail');
  await expect(detail).toContainText('on gol_glider_64x64.tif');
  await expect(detail).toContainText('end_time=7');
  await expect(detail).toContainText('start_time=');
  // Names are never cut inside a word.
  const model = page.getByTestId('history-item').first().locator('strong');
  const lines = await model.evaluate((el) => el.getClientRects().length);
  expect(lines).toBe(1);
  // A file of another kind dropped on the map is refused with the accepted formats.
  await dropOnMap(page, 'notes.txt', new TextEncoder().encode('hello'), 'text/plain');
  await expect(page.getByTestId('notice')).toContainText('Accepted:');
});
