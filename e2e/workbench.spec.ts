/**
 * Datasets (drag-and-drop, URL, corrupt files), cancel, worker crash recovery,
 * downloads and their SHA-256 against the page and the CLI, and the map drawing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { writeGeoTiff } from '../src/io/geotiff-write.ts';
import {
  acceptConsent,
  decodePng,
  dropFile,
  listModels,
  MAP_BG,
  openWorkbench,
  pickSample,
  readSample,
  ROOT,
  runAndWait,
  selectModel,
  setParam,
  paintedArea,
  sha256,
} from './helpers.ts';

const GOL_TIF = 'gol_glider_64x64.tif';
/** A large grid: 100 000 Game of Life steps on it take minutes, so there is time to cancel. */
const GOL_BIG = 'gol_random_512x512.tif';
const COAST_GEOJSON = 'coast_10x14.geojson';

async function readDownload(page: Page, testId: string): Promise<{ name: string; bytes: Uint8Array }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: new Uint8Array(readFileSync(path)) };
}

test.describe('datasets', () => {
  test('drag-and-drop a GeoTIFF and a GeoJSON from disk', async ({ page }) => {
    await openWorkbench(page);
    await selectModel(page, 'game_of_life');

    const tif = readSample(GOL_TIF);
    await dropFile(page, GOL_TIF, tif, 'image/tiff');
    await expect(page.getByTestId('dataset-name')).toHaveText(GOL_TIF);
    await expect(page.getByTestId('dataset-format')).toContainText('GeoTIFF');
    await expect(page.getByTestId('dataset-grid')).toContainText('64 × 64');
    await expect(page.getByTestId('dataset-sha256')).toHaveText(sha256(tif));
    await expect(page.getByTestId('dataset-refusal')).toHaveCount(0);
    await expect(page.getByTestId('legend')).toBeVisible();

    const geo = readSample(COAST_GEOJSON);
    await dropFile(page, COAST_GEOJSON, geo, 'application/geo+json');
    await expect(page.getByTestId('dataset-name')).toHaveText(COAST_GEOJSON);
    await expect(page.getByTestId('dataset-format')).toContainText('GeoJSON');
    await expect(page.getByTestId('dataset-grid')).toContainText('140');
    await expect(page.getByTestId('dataset-crs')).toContainText('31984');
    await expect(page.getByTestId('dataset-sha256')).toHaveText(sha256(geo));
    // Drawn on the map as polygons, reprojected from UTM 24S (no neutral-place note).
    await expect(page.getByTestId('map')).toHaveAttribute('data-shown', 'input');
    await expect(page.getByTestId('map-note')).toHaveCount(0);
    await expect(page.getByTestId('legend')).toBeVisible();

    // A model that takes only the other kind refuses the file with the reason.
    const models = await listModels(page);
    // (among models that need a dataset: one that can also run without input, e.g. abm_random_walk, stays runnable)
    const needsInput = models.filter((m) => !m.inputs.includes('none'));
    const rasterOnly = needsInput.find((m) => m.inputs.includes('raster') && !m.inputs.includes('vector'));
    const vectorOnly = needsInput.find((m) => m.inputs.includes('vector') && !m.inputs.includes('raster'));
    if (rasterOnly) {
      await selectModel(page, rasterOnly.name);
      await expect(page.getByTestId('dataset-name')).toHaveText(COAST_GEOJSON);
      await expect(page.getByTestId('dataset-refusal')).toContainText(/raster/i);
      await expect(page.getByTestId('run-button')).toBeDisabled();
    }
    if (vectorOnly) {
      await selectModel(page, vectorOnly.name);
      await dropFile(page, GOL_TIF, tif, 'image/tiff');
      await expect(page.getByTestId('dataset-name')).toHaveText(GOL_TIF);
      await expect(page.getByTestId('dataset-refusal')).toContainText(/vector/i);
      await expect(page.getByTestId('run-button')).toBeDisabled();
    }
    test.info().annotations.push({
      type: 'refusal checked with',
      description: [rasterOnly?.name, vectorOnly?.name].filter(Boolean).join(', ') || 'none (every model takes both kinds)',
    });
  });

  test('a raster with no CRS is drawn at a neutral place, with a note', async ({ page }) => {
    await openWorkbench(page);
    await selectModel(page, 'game_of_life');
    const data = new Uint8Array(12 * 8);
    for (let i = 0; i < data.length; i += 3) data[i] = 1;
    const bytes = writeGeoTiff({
      kind: 'raster',
      width: 12,
      height: 8,
      transform: null,
      epsg: null,
      bands: [{ name: 'state', dtype: 'uint8', data, nodata: null }],
    });
    await dropFile(page, 'local_grid.tif', bytes, 'image/tiff');
    await expect(page.getByTestId('dataset-name')).toHaveText('local_grid.tif');
    await expect(page.getByTestId('dataset-crs')).toContainText(/none/);
    await expect(page.getByTestId('map-note')).toContainText(/neutral place/);
    await setParam(page, 'end_time', '2');
    expect(await runAndWait(page)).toBe('completed');
    await expect(page.getByTestId('map-note')).toContainText(/neutral place/);
  });

  test('a file that is not GeoTIFF/GeoJSON, and a corrupt .tif, give errors; the page still works', async ({ page }) => {
    await openWorkbench(page);
    await selectModel(page, 'game_of_life');
    await dropFile(page, 'notes.txt', new TextEncoder().encode('hello'));
    await expect(page.getByTestId('dataset-error')).toContainText(/not a GeoTIFF or GeoJSON/);

    const junk = new Uint8Array(4096);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + 13) % 251;
    await dropFile(page, 'corrupt.tif', junk, 'image/tiff');
    const err = page.getByTestId('dataset-error');
    await expect(err).toBeVisible();
    await expect(err).toContainText(/corrupt\.tif/);
    expect((await err.textContent())!.length).toBeGreaterThan(30);
    await expect(page.getByTestId('run-button')).toBeDisabled();

    await pickSample(page, GOL_TIF);
    await setParam(page, 'end_time', '5');
    expect(await runAndWait(page)).toBe('completed');
  });

  test('loads a dataset from a URL; a 404 gives a readable error', async ({ page, baseURL }) => {
    await openWorkbench(page);
    await selectModel(page, 'game_of_life');
    await page.getByTestId('url-input').fill(`${baseURL}/samples/${GOL_TIF}`);
    await page.getByTestId('url-load').click();
    await acceptConsent(page); // a typed URL on this loopback host: the page asks first
    await expect(page.getByTestId('dataset-name')).toHaveText(GOL_TIF);
    await expect(page.getByTestId('dataset-sha256')).toHaveText(sha256(readSample(GOL_TIF)));
    await setParam(page, 'end_time', '3');
    expect(await runAndWait(page)).toBe('completed');
    // The record names the URL as its source.
    const rec = await readDownload(page, 'download-record');
    const record = JSON.parse(new TextDecoder().decode(rec.bytes));
    expect(record.source.type).toBe('http');
    expect(record.source.uri).toBe(`${baseURL}/samples/${GOL_TIF}`);

    await page.getByTestId('url-input').fill(`${baseURL}/samples/no-such-file.tif`);
    await page.getByTestId('url-load').click();
    await acceptConsent(page);
    const err = page.getByTestId('dataset-error');
    await expect(err).toBeVisible();
    await expect(err).toContainText(/404/);
    await expect(err.getByRole('button', { name: 'Retry' })).toBeVisible();
  });
});

test.describe('runs', () => {
  test('parameter errors show next to the field: out of range on the page, cross-field from the worker', async ({ page }) => {
    await openWorkbench(page);
    await selectModel(page, 'game_of_life');
    await pickSample(page, GOL_TIF);
    await setParam(page, 'end_time', '-5');
    await page.getByTestId('run-button').click();
    await expect(page.getByTestId('param-error-end_time')).toContainText(/out of range/);
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'idle');
    // Editing the field clears its error.
    await setParam(page, 'end_time', '4');
    await expect(page.getByTestId('param-error-end_time')).toHaveCount(0);
    await setParam(page, 'start_time', '9');
    await setParam(page, 'end_time', '3');
    await page.getByTestId('run-button').click();
    // The executor's own validate phase refuses it; the error lands by the field and by the Run button.
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'failed');
    await expect(page.getByTestId('param-error-end_time')).toContainText(/must not be before start_time/);
    await expect(page.getByTestId('run-error')).toContainText(/validate/);
    await setParam(page, 'start_time', '1');
    await setParam(page, 'end_time', '3');
    expect(await runAndWait(page)).toBe('completed');
  });

  test('cancel a long run; the page still works', async ({ page }) => {
    await openWorkbench(page);
    await selectModel(page, 'game_of_life');
    await pickSample(page, GOL_BIG);
    await page.getByLabel('Keep per-step frames (step slider)').uncheck();
    await setParam(page, 'end_time', '100000');
    await page.getByTestId('run-button').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'running');
    await expect(page.getByTestId('step-counter')).toContainText(/step \d+ \/ 100000/);
    await page.getByTestId('cancel-button').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'cancelled');
    await expect(page.getByTestId('run-cancelled')).toBeVisible();
    // The same worker runs again.
    await setParam(page, 'end_time', '4');
    expect(await runAndWait(page)).toBe('completed');
    await expect(page.getByTestId('step-counter')).toHaveText('step 4 / 4');
  });

  test('a crashed or hung worker is replaced, the run fails with the reason', async ({ page }) => {
    await openWorkbench(page, 'stall=4000');
    await selectModel(page, 'game_of_life');
    await pickSample(page, GOL_BIG);
    await setParam(page, 'end_time', '100000');
    await page.getByLabel('Keep per-step frames (step slider)').uncheck();

    // A worker that throws an uncaught error.
    await page.getByTestId('run-button').click();
    await expect(page.getByTestId('step-counter')).toContainText(/step \d+/);
    await page.evaluate(() =>
      (globalThis as unknown as { __dissmodel: { worker: { debugCrash(m: string): Promise<void> } } }).__dissmodel.worker.debugCrash(
        'throw',
      ),
    );
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'failed');
    await expect(page.getByTestId('run-error')).toContainText(/crash/i);
    await expect(page.getByTestId('notice')).toBeVisible();

    // A worker that stops answering (as one dying of memory exhaustion).
    await page.getByTestId('run-button').click();
    await expect(page.getByTestId('step-counter')).toContainText(/step \d+/);
    void page.evaluate(() =>
      (globalThis as unknown as { __dissmodel: { worker: { debugCrash(m: string): Promise<void> } } }).__dissmodel.worker.debugCrash(
        'hang',
      ),
    );
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'failed');
    await expect(page.getByTestId('run-error')).toContainText(/stopped responding/);

    // The replacement worker runs normally.
    await setParam(page, 'end_time', '3');
    expect(await runAndWait(page)).toBe('completed');
  });

  test('the download hashes to the SHA-256 on the page and to the CLI output for the same record', async ({ page }) => {
    const END = '17';
    await openWorkbench(page);
    await selectModel(page, 'game_of_life');
    await pickSample(page, GOL_TIF);
    await setParam(page, 'end_time', END);
    expect(await runAndWait(page)).toBe('completed');
    const shown = (await page.getByTestId('output-sha256').textContent())!.trim();
    expect(shown).toMatch(/^[0-9a-f]{64}$/);

    const out = await readDownload(page, 'download-output');
    expect(out.name).toMatch(/^game_of_life_[0-9a-f]{8}\.tif$/);
    expect(sha256(out.bytes)).toBe(shown);

    const rec = await readDownload(page, 'download-record');
    const record = JSON.parse(new TextDecoder().decode(rec.bytes));
    expect(rec.name).toBe(out.name.replace(/\.tif$/, '.record.json'));
    expect(record.artifacts.output).toBe(shown);
    expect(record.status).toBe('completed');
    expect(record.parameters.end_time).toBe(Number(END));
    expect(record.source).toMatchObject({ type: 'sample', uri: `sample:${GOL_TIF}`, checksum: sha256(readSample(GOL_TIF)) });
    for (const k of ['time_validate_sec', 'time_load_sec', 'time_run_sec', 'time_save_sec', 'time_total_sec'])
      expect(typeof record.metrics[k]).toBe('number');

    const md = await readDownload(page, 'download-profiling');
    const mdText = new TextDecoder().decode(md.bytes);
    expect(mdText).toContain('# Profiling Report: game_of_life');
    expect(record.artifacts.profiling).toBe(sha256(md.bytes));

    // The CLI, same record (model, parameters) and input bytes: same output bytes.
    const dir = mkdtempSync(join(tmpdir(), 'dissmodel-e2e-'));
    try {
      execFileSync(
        process.execPath,
        [
          'bin/dissmodel.js',
          'run',
          'game_of_life',
          '--input',
          join('public', 'samples', GOL_TIF),
          '--output',
          join(dir, 'gol.tif'),
          '--param',
          `end_time=${END}`,
        ],
        { cwd: ROOT, stdio: 'pipe', timeout: 120_000 },
      );
      const recFile = readdirSync(dir).find((f) => f.endsWith('.record.json'));
      expect(recFile, 'the CLI wrote a record').toBeTruthy();
      const cliRecord = JSON.parse(readFileSync(join(dir, recFile!), 'utf8'));
      expect(cliRecord.artifacts.output).toBe(shown);
      const cliOut = readdirSync(dir).find((f) => f.endsWith('.tif'));
      expect(sha256(new Uint8Array(readFileSync(join(dir, cliOut!))))).toBe(shown);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the map canvas shows the output where the data is; frames animate; hover reads cells', async ({ page }) => {
    await openWorkbench(page);
    await selectModel(page, 'game_of_life');
    await pickSample(page, GOL_TIF);
    await setParam(page, 'end_time', '8');
    expect(await runAndWait(page)).toBe('completed');
    const map = page.getByTestId('map');
    await expect(map).toHaveAttribute('data-shown', 'output');
    await expect(page.getByTestId('legend')).toContainText('alive');
    await expect(map).toHaveAttribute('data-idle', 'true');

    const png = decodePng(new Uint8Array(await map.screenshot()));
    const area = paintedArea(png, MAP_BG);
    // The 64×64 grid is fitted into the map: a large painted rectangle, fully painted inside…
    expect(area.share, 'share of the map covered by the drawn grid').toBeGreaterThan(0.25);
    expect(area.filled, 'share of the grid rectangle that is painted').toBeGreaterThan(0.97);
    // …and square (64 × 64 cells of 100 m), as the UTM placement makes it.
    expect(area.width / area.height).toBeGreaterThan(0.9);
    expect(area.width / area.height).toBeLessThan(1.1);
    // Live cells (dark) are drawn inside it.
    expect(area.dark).toBeGreaterThan(10);

    // The same check on the WebGL canvas' own pixels (preserveDrawingBuffer).
    const painted = await page.evaluate(() => {
      const canvas = document.querySelector('[data-testid="map"] canvas') as HTMLCanvasElement;
      const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext;
      const px = new Uint8Array(4);
      gl.readPixels(Math.floor(canvas.width / 2), Math.floor(canvas.height / 2), 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
      return Array.from(px);
    });
    expect(painted.slice(0, 3)).not.toEqual([0xe4, 0xe9, 0xef]);

    // Step slider: frames were kept (start + 8 steps).
    await expect(page.getByTestId('step-label')).toContainText('9/9');
    await page.getByTestId('step-slider').fill('0');
    await expect(page.getByTestId('step-label')).toContainText('t = 0');
    await page.getByTestId('layer-input').click();
    await expect(map).toHaveAttribute('data-shown', 'input');
    await page.getByTestId('layer-output').click();

    const box = (await map.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect(page.getByTestId('hover-readout')).toContainText(/row \d+, col \d+ · state = [01]/);
  });
});
