/**
 * Layer styling on the map: opacity, a colour for nodata cells, a legend with class counts and
 * shares, and a hover readout with lon/lat, the dataset's own CRS coordinates and every band.
 */
import { expect, test } from '@playwright/test';
import { decodePng, MAP_BG, openWorkbench, paintedArea, pickSample, selectModel } from './helpers.ts';

test('opacity, legend counts, hover with coordinates and all bands', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'brmangue');
  await pickSample(page, 'coast_10x14.tif');
  const map = page.getByTestId('map');
  await expect(map).toHaveAttribute('data-idle', 'true');

  // Legend: cells per class, summing to the grid's 140 cells.
  const counts = await page.locator('[data-testid^="legend-count-"]').allTextContents();
  expect(counts.length).toBeGreaterThan(1);
  const cells = counts.map((t) => Number(t.split('·')[0].replace(/,/g, '').trim()));
  expect(cells.reduce((a, b) => a + b, 0)).toBe(140);
  for (const t of counts) expect(t).toMatch(/^\d[\d,]* · \d+(\.\d)?%$/);

  // Hover: lon/lat, the dataset's projected coordinates, the other bands at the cell.
  const box = (await map.boundingBox())!;
  await map.hover({ position: { x: box.width / 2, y: box.height / 2 } });
  const readout = page.getByTestId('hover-readout');
  await expect(readout).toContainText(/row \d+, col \d+ · uso = /);
  await expect(readout).toContainText(/alt=[-\d.]+, solo=[-\d.]+/);
  await expect(readout).toContainText(/lon -?\d+\.\d{5}, lat -?\d+\.\d{5}/);
  await expect(readout).toContainText(/EPSG:\d+ x \d+\.\d, y \d+\.\d/);

  // Opacity: at 0 the data disappears from the canvas; back at 100 it is there again.
  const painted = async () => {
    const a = paintedArea(decodePng(new Uint8Array(await map.screenshot())), MAP_BG);
    return a.width * a.height * a.filled;
  };
  const full = await painted();
  expect(full).toBeGreaterThan(1000);
  await page.getByTestId('layer-opacity').fill('0');
  await expect(map).toHaveAttribute('data-idle', 'true');
  await expect.poll(painted).toBeLessThan(full / 10);
  await page.getByTestId('layer-opacity').fill('100');
  await expect.poll(painted).toBeGreaterThan(full * 0.9);

  // A nodata colour can be chosen (raster layers).
  await page.getByTestId('nodata-toggle').check();
  await expect(page.getByTestId('nodata-color')).toHaveValue('#ff00ff');
});

test('a vector grid is recoloured in place on a step change, drawing what a full redraw draws', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await pickSample(page, 'gol_random_20x20.geojson');
  await page.getByTestId('param-end_time').locator('input').first().fill('6');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'completed');
  const map = page.getByTestId('map');
  await expect(map).toHaveAttribute('data-shown', 'output');
  await expect(map).toHaveAttribute('data-idle', 'true');
  const last = await map.screenshot(); // drawn from a fresh GeoJSON
  const slider = page.getByTestId('step-slider');
  await slider.fill('0');
  await expect(page.getByTestId('step-label')).toContainText('1/');
  await expect(map).toHaveAttribute('data-idle', 'true');
  const first = await map.screenshot();
  expect(Buffer.compare(first, last), 'step 0 differs from the last step').not.toBe(0);
  await slider.fill(String(Number(await slider.getAttribute('max'))));
  await expect(map).toHaveAttribute('data-idle', 'true');
  await expect.poll(async () => Buffer.compare(await map.screenshot(), last), { message: 'recoloured = redrawn' }).toBe(0);
});
