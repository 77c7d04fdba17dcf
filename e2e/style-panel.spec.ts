/**
 * The legend's style panel: a categorical band's class colours and labels (the map and the
 * charts follow, a reset returns to the model's colours, the edit is kept after a reload), a
 * continuous band's stretch and ramp (BR-MANGUE alt on the Ilha do Maranhão sample, the legend's
 * min/max), an axe scan of the panel, and screenshots of it at three sizes.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { decodePng, openWorkbench, pickSample, runAndWait, selectModel, setParam, type Png } from './helpers.ts';

/** The map's WebGL canvas as drawn (no DOM overlay: legend and toolbar are left out). */
async function canvasPixels(page: Page): Promise<Png> {
  await expect(page.getByTestId('map')).toHaveAttribute('data-idle', 'true');
  const url = await page.locator('[data-testid="map"] canvas').evaluate((c) => (c as HTMLCanvasElement).toDataURL('image/png'));
  return decodePng(new Uint8Array(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64')));
}

/** Pixels of the canvas within 3 of `hex` on every channel. */
async function pixelsOf(page: Page, hex: string): Promise<number> {
  const png = await canvasPixels(page);
  const n = parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  let count = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (Math.abs(png.data[i] - r) <= 3 && Math.abs(png.data[i + 1] - g) <= 3 && Math.abs(png.data[i + 2] - b) <= 3) count++;
  }
  return count;
}

async function seriousViolations(page: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .include('[data-testid="legend"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}) — ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const PINK = '#ff00aa';

test('a class colour edited in the legend repaints the map and the chart, is kept after a reload, and resets', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'forest_fire');
  await pickSample(page, 'fire_forest_50x50.tif');
  await setParam(page, 'end_time', '8');
  expect(await runAndWait(page)).toBe('completed');
  await expect(page.getByTestId('map')).toHaveAttribute('data-shown', 'output');
  expect(await pixelsOf(page, PINK), 'no pink before the edit').toBe(0);

  // Burned (2) in pink: the map's burned cells, the legend and the 'burned' series all turn pink.
  await page.getByTestId('legend-edit').click();
  await expect(page.getByTestId('style-panel')).toBeVisible();
  await page.getByTestId('class-color-2').fill(PINK);
  await expect.poll(() => pixelsOf(page, PINK), { message: 'the burned cells are painted pink' }).toBeGreaterThan(100);
  await expect(page.getByTestId('series-chart').locator('path[data-series="burned"]')).toHaveCSS('stroke', 'rgb(255, 0, 170)');
  await page.getByTestId('class-label-2').fill('ash');
  await page.getByTestId('legend-edit').click();
  await expect(page.getByTestId('legend')).toContainText('ash');
  await expect(page.getByTestId('legend-swatch-2')).toHaveCSS('background-color', 'rgb(255, 0, 170)');

  // Kept per model and band: after a reload, the same band of the same model is drawn pink.
  await page.reload();
  await expect(page.getByTestId('model-select')).toBeEnabled();
  await selectModel(page, 'forest_fire');
  await pickSample(page, 'fire_forest_50x50.tif');
  await expect(page.getByTestId('legend')).toContainText('ash');
  await expect(page.getByTestId('legend-swatch-2')).toHaveCSS('background-color', 'rgb(255, 0, 170)');

  // Reset: the model's own colours again (the input has no burned cells, so compare the swatch).
  await page.getByTestId('legend-edit').click();
  await page.getByTestId('style-reset').click();
  await expect(page.getByTestId('style-reset')).toBeDisabled();
  await page.getByTestId('legend-edit').click();
  await expect(page.getByTestId('legend-swatch-2')).not.toHaveCSS('background-color', 'rgb(255, 0, 170)');
  await expect(page.getByTestId('legend')).toContainText('burned');
});

test('a vector layer follows a class colour too (Game of Life on the 20×20 polygon grid)', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await pickSample(page, 'gol_random_20x20.geojson');
  await expect(page.getByTestId('map')).toHaveAttribute('data-shown', 'input');
  // polygons are filled at 90 % opacity over the map's background
  const bg = [0xe4, 0xe9, 0xef];
  const blended = (hex: string) => {
    const n = parseInt(hex.slice(1), 16);
    const c = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v, i) => Math.round(0.9 * v + 0.1 * bg[i]));
    return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  };
  expect(await pixelsOf(page, blended(PINK))).toBe(0);
  await page.getByTestId('legend-edit').click();
  await page.getByTestId('class-color-1').fill(PINK);
  await expect.poll(() => pixelsOf(page, blended(PINK)), { message: 'the live cells are painted pink' }).toBeGreaterThan(100);
  await page.getByTestId('style-reset').click();
  await expect.poll(() => pixelsOf(page, blended(PINK))).toBe(0);
});

test('a continuous band (BR-MANGUE alt on the Ilha sample): percentile and typed stretches, a ramp, the legend’s min/max', async ({
  page,
}) => {
  await openWorkbench(page);
  await selectModel(page, 'brmangue');
  await pickSample(page, 'ilha_maranhao_epsg31983.tif');
  await page.getByTestId('input-field-select').selectOption('alt');
  const legend = page.getByTestId('legend');
  await expect(legend.getByTestId('legend-ramp')).toHaveAttribute('data-ramp', 'viridis');
  // The data's range (gdalinfo: minimum 0, maximum 62).
  await expect(legend.getByTestId('legend-min')).toHaveText('0');
  await expect(legend.getByTestId('legend-max')).toHaveText('62');
  const before = await canvasPixels(page);

  await page.getByTestId('legend-edit').click();
  await page.getByTestId('stretch-select').selectOption('percentile');
  // numpy: np.percentile(alt, [2, 98]) = [0, 45]; [2, 95] = [0, 39]
  await expect(legend.getByTestId('legend-max')).toHaveText('45');
  await expect(legend.getByTestId('legend-stretch')).toHaveText('viridis · 2–98 %');
  await page.getByTestId('stretch-phigh').fill('95');
  await expect(legend.getByTestId('legend-max')).toHaveText('39');
  await expect(legend.getByTestId('legend-min')).toHaveText('0');

  await page.getByTestId('ramp-select').selectOption('magma');
  await expect(legend.getByTestId('legend-ramp')).toHaveAttribute('data-ramp', 'magma');
  await expect(legend.getByTestId('legend-stretch')).toHaveText('magma · 2–95 %');
  await expect
    .poll(async () => Buffer.compare(Buffer.from((await canvasPixels(page)).data), Buffer.from(before.data)), {
      message: 'the map is repainted in magma',
    })
    .not.toBe(0);
  // magma's low end (#000004) paints the sea (alt 0)
  await expect.poll(() => pixelsOf(page, '#000004')).toBeGreaterThan(100);

  await page.getByTestId('stretch-select').selectOption('manual');
  await page.getByTestId('stretch-min').fill('10');
  await page.getByTestId('stretch-max').fill('20');
  await expect(legend.getByTestId('legend-min')).toHaveText('10');
  await expect(legend.getByTestId('legend-max')).toHaveText('20');
  // a max under the min is not taken, and marked
  await page.getByTestId('stretch-max').fill('5');
  await expect(page.getByTestId('stretch-max')).toHaveAttribute('aria-invalid', 'true');
  await expect(legend.getByTestId('legend-max')).toHaveText('20');

  await page.getByTestId('style-reset').click();
  await expect(legend.getByTestId('legend-max')).toHaveText('62');
  await expect(legend.getByTestId('legend-ramp')).toHaveAttribute('data-ramp', 'viridis');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`axe: the style panel has 0 serious/critical violations (${scheme} theme)`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const found: string[] = [];
    await openWorkbench(page);
    await selectModel(page, 'brmangue');
    await pickSample(page, 'ilha_maranhao_epsg31983.tif');
    await page.getByTestId('legend-edit').click();
    await expect(page.getByTestId('class-color-1')).toBeVisible();
    found.push(...(await seriousViolations(page, 'classes (uso)')));
    await page.getByTestId('input-field-select').selectOption('alt');
    await page.getByTestId('stretch-select').selectOption('percentile');
    await expect(page.getByTestId('stretch-plow')).toBeVisible();
    found.push(...(await seriousViolations(page, 'ramp and percentiles (alt)')));
    await page.getByTestId('stretch-select').selectOption('manual');
    await expect(page.getByTestId('stretch-min')).toBeVisible();
    found.push(...(await seriousViolations(page, 'typed min/max (alt)')));
    expect(found, found.join('\n')).toEqual([]);
  });
}

const SIZES = [
  { name: 'phone-390x844', width: 390, height: 844 },
  { name: 'laptop-1280x600', width: 1280, height: 600 },
  { name: 'fullhd-1920x1080', width: 1920, height: 1080 },
] as const;

test('screenshots of the style panel at three sizes (classes and ramp), attached', async ({ page }, info) => {
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await openWorkbench(page);
    const toggle = page.getByTestId('sidebar-toggle');
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await selectModel(page, 'brmangue');
    await pickSample(page, 'ilha_maranhao_epsg31983.tif');
    const legend = page.getByTestId('legend');
    await page.getByTestId('legend-edit').click();
    await expect(page.getByTestId('style-panel')).toBeVisible();
    for (const [band, what] of [
      ['uso', 'classes'],
      ['alt', 'ramp'],
    ] as const) {
      await page.getByTestId('input-field-select').selectOption(band);
      if (band === 'alt') await page.getByTestId('stretch-select').selectOption('percentile');
      await expect(page.getByTestId('map')).toHaveAttribute('data-idle', 'true');
      await legend.scrollIntoViewIfNeeded();
      const name = `${size.name}-style-panel-${what}.png`;
      const path = info.outputPath(name);
      await legend.screenshot({ path });
      await info.attach(name, { path, contentType: 'image/png' });
    }
    await page.getByTestId('style-reset').click();
  }
});
