/**
 * Large data on the map (issue #16), its functional side (timings live in
 * `npm run bench -- --fluidity`): a vector grid larger than one GeoJSON slice
 * is drawn whole (the slices after the first are streamed in), its run's output
 * is drawn on the same cells, and a large raster is coloured in the worker.
 */
import { expect, test, type Page } from '@playwright/test';
import { golGeoTiff, polygonGridGeoJson } from '../bench/fluidity-inputs.ts';
import { decodePng, MAP_BG, openWorkbench, paintedArea, runAndWait, selectModel, setParam, type Png } from './helpers.ts';

/** The rectangle of non-background pixels (as paintedArea scans it), in page pixels of the map's box. */
function dataBox(png: Png): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  for (let y = 50; y < png.height - 90; y++) {
    for (let x = 140; x < png.width - 260; x++) {
      const i = (y * png.width + x) * 4;
      const bg = [0, 1, 2].every((k) => Math.abs(png.data[i + k] - MAP_BG[k]) <= 12);
      if (bg) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  return { x0, y0, x1, y1 };
}

async function give(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  await page.getByTestId('file-input').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  await expect(page.getByTestId('dataset-name')).toHaveText(name);
  await expect(page.getByTestId('dataset-sha256')).toHaveText(/^[0-9a-f]{64}$/);
}

test('a 100 × 100 polygon grid is drawn whole and hovered to its last row; its run output is drawn on the same cells', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  // 10,000 cells: drawn by the WebGL layer from the worker's mesh (vector-gl-layer.ts), hovered through its index.
  await give(page, 'grid_100x100.geojson', new TextEncoder().encode(polygonGridGeoJson(100)));
  const map = page.getByTestId('map');
  await expect(map).toHaveAttribute('data-shown', 'input');
  await expect(map).toHaveAttribute('data-idle', 'true');

  const check = async (what: string) => {
    const png = decodePng(new Uint8Array(await map.screenshot()));
    // Live cells at the fill's 0.9 opacity over the background (R + G + B ≈ 216; dead ≈ 740): at ~3 px a
    // cell, no outlines darken them (outline-zoom.ts).
    const area = paintedArea(png, MAP_BG, 12, 300);
    // Square (100 × 100 cells of 100 m): all rows, not the first slice's 40 only.
    expect(area.width / area.height, `${what}: width / height of the drawn grid`).toBeGreaterThan(0.9);
    expect(area.width / area.height, `${what}: width / height of the drawn grid`).toBeLessThan(1.1);
    expect(area.dark, `${what}: live (dark) cells drawn`).toBeGreaterThan(1000);
    const b = dataBox(png);
    const box = (await map.boundingBox())!;
    const x = box.x + (b.x0 + b.x1) / 2;
    // Row 99 (the last features of the file, in the last slice) is the northern edge.
    await page.mouse.move(x, box.y + b.y0 + 2);
    await expect(page.getByTestId('hover-readout'), `${what}: the top row`).toContainText(/feature 99-\d+ · state = [01]/);
    await page.mouse.move(x, box.y + b.y0 + (b.y1 - b.y0) / 2);
    await expect(page.getByTestId('hover-readout'), `${what}: a middle row`).toContainText(/feature [4-9]\d-\d+ · state = [01]/);
  };
  await check('input');

  await setParam(page, 'end_time', '3');
  expect(await runAndWait(page)).toBe('completed');
  await expect(map).toHaveAttribute('data-shown', 'output');
  await expect(map).toHaveAttribute('data-idle', 'true');
  await check('output');
  // Steps recolour the same cells.
  await page.getByTestId('step-slider').fill('0');
  await expect(page.getByTestId('step-label')).toContainText('t = 0');
  await expect(map).toHaveAttribute('data-idle', 'true');
  await check('output at t = 0');
});

test('a 600² raster is coloured off the main thread and drawn, input and output', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await give(page, 'gol_600.tif', golGeoTiff(600));
  const map = page.getByTestId('map');
  await expect(map).toHaveAttribute('data-shown', 'input');
  await expect(map).toHaveAttribute('data-idle', 'true');
  const drawn = async (what: string) => {
    const area = paintedArea(decodePng(new Uint8Array(await map.screenshot())), MAP_BG);
    expect(area.share, `${what}: share of the map covered`).toBeGreaterThan(0.1);
    expect(area.width / area.height, `${what}: width / height of the drawn grid`).toBeGreaterThan(0.9);
    expect(area.width / area.height, `${what}: width / height of the drawn grid`).toBeLessThan(1.1);
    expect(area.dark, `${what}: live (dark) cells drawn`).toBeGreaterThan(1000);
  };
  await drawn('input');
  await setParam(page, 'end_time', '2');
  expect(await runAndWait(page)).toBe('completed');
  await expect(map).toHaveAttribute('data-shown', 'output');
  await expect(map).toHaveAttribute('data-idle', 'true');
  await drawn('output');
  const box = (await map.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
  await expect(page.getByTestId('hover-readout')).toContainText(/row \d+, col \d+ · state = [01]/);
});

test('a raster larger than the map is shown live every k-th row and column while it runs, whole when paused', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  // 1500 cells a side in a window of 1280 px: the live frames come every 2nd row and column (750²).
  await give(page, 'gol_1500.tif', golGeoTiff(1500));
  await page.getByLabel('Keep per-step frames (step slider)').uncheck();
  await setParam(page, 'end_time', '100000');
  await page.getByTestId('run-button').click();
  const map = page.getByTestId('map');
  const legend = page.getByTestId('legend');
  await expect(legend).toContainText(/Live · step [1-9]\d* \/ 100000 · 1 in 2 rows and columns/);
  await expect(map).toHaveAttribute('data-idle', 'true');
  const area = paintedArea(decodePng(new Uint8Array(await map.screenshot())), MAP_BG);
  // Drawn (before the fix in MapView, a first run's worker-coloured live frames never were).
  expect(area.share, 'the sampled frame covers the grid').toBeGreaterThan(0.1);
  expect(area.dark, 'live (dark) cells drawn').toBeGreaterThan(100);
  const box = (await map.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2);
  await expect(page.getByTestId('hover-readout')).toContainText(/row \d+, col \d+ · state = [01]/);
  await page.getByTestId('pause-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'paused');
  await expect(legend).toContainText(/Paused · step \d+ \/ 100000/);
  await expect(legend).not.toContainText('1 in 2');
  await page.getByTestId('cancel-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'cancelled');
});
