/**
 * Every registered model, picked from the page's own catalogue, runs in the
 * real worker on a bundled sample it accepts (models with no input just run).
 * Also: the page loads with no network access beyond its own origin and no
 * CSP violations, and design screenshots before/after a BR-MANGUE run.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  listModels,
  listSamples,
  openWorkbench,
  pickSample,
  runAndWait,
  SCREENS,
  selectModel,
  setParam,
  type ModelInfo,
  type SampleInfo,
} from './helpers.ts';

/** Short runs: a model's end_time is capped so the whole catalogue runs in a minute or two. */
const END_TIME_CAP = 12;

function sampleFor(model: ModelInfo, samples: SampleInfo[]): string | null {
  const own = model.sample?.replace(/^sample:/, '');
  const listed = samples.filter((s) => s.models.includes(model.name) && model.inputs.includes(s.kind));
  if (own && listed.some((s) => s.file === own)) return own;
  return listed[0]?.file ?? own ?? null;
}

test('opens offline: no foreign requests, no CSP violations, no page errors', async ({ page }) => {
  const foreign: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['127.0.0.1', 'localhost'].includes(u.hostname) && !['data:', 'blob:'].includes(u.protocol)) foreign.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await openWorkbench(page);
  await expect(page).toHaveTitle(/DisSModel Workbench/);
  await expect(page.getByTestId('map')).toHaveAttribute('data-ready', 'true');
  const models = await listModels(page);
  expect(models.length).toBeGreaterThan(0);
  // The picker lists every registered executor.
  const options = await page
    .getByTestId('model-select')
    .locator('option')
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(options.sort()).toEqual(models.map((m) => m.name).sort());
  await page.waitForTimeout(500);
  expect(foreign, 'requests outside the page origin').toEqual([]);
  expect(errors, 'console errors / CSP violations').toEqual([]);
});

test('runs every registered model on a bundled sample it accepts', async ({ page }) => {
  await openWorkbench(page);
  const models = await listModels(page);
  const samples = await listSamples(page);
  test.setTimeout(120_000 + models.length * 120_000);
  const results: string[] = [];
  for (const model of models) {
    await test.step(model.name, async () => {
      await selectModel(page, model.name);
      const noInput = model.inputs.every((k) => k === 'none');
      if (noInput) {
        await expect(page.getByTestId('no-input-note')).toBeVisible();
      } else {
        const file = sampleFor(model, samples);
        expect(file, `${model.name} has a bundled sample it accepts`).not.toBeNull();
        await pickSample(page, file!);
        await expect(page.getByTestId('dataset-refusal')).toHaveCount(0);
      }
      const end = model.params.end_time;
      if (end && end.type === 'int' && typeof end.default === 'number' && end.default > END_TIME_CAP) {
        await setParam(page, 'end_time', String(Math.max(end.min ?? 0, END_TIME_CAP)));
      }
      const status = await runAndWait(page);
      if (status !== 'completed') {
        const err = await page
          .getByTestId('run-error')
          .textContent()
          .catch(() => '');
        throw new Error(`${model.name} ended ${status}: ${err}`);
      }
      await expect(page.getByTestId('output-sha256')).toHaveText(/^[0-9a-f]{64}$/);
      await expect(page.getByTestId('timing-total')).toContainText(/\d+\.\d{3} s/);
      const name = await page.getByTestId('output-name').textContent();
      // <model>_<id8>.<ext>: the id's first 8 hex injected into the name (the extension follows the data written).
      expect(name).toMatch(new RegExp(`^${model.name}_[0-9a-f]{8}\\.(tif|geojson|csv|json)$`));
      if (model.output.kind === 'table') {
        await expect(page.getByTestId('series-chart').locator('path.series-line').first()).toBeAttached();
      } else {
        await expect(page.getByTestId('legend')).toBeVisible();
        await expect(page.getByTestId('map')).toHaveAttribute('data-shown', 'output');
      }
      results.push(`${model.name}: ${status}`);
    });
  }
  test.info().annotations.push({ type: 'models', description: results.join('; ') });
});

test('BR-MANGUE design screenshots at 1280×800 (before and after a run)', async ({ page }) => {
  await openWorkbench(page);
  const models = await listModels(page);
  const samples = await listSamples(page);
  const model =
    models.find((m) => m.name === 'brmangue') ?? models.find((m) => (m.bands ?? []).some((b) => b.name === 'uso' && b.categories)) ?? null;
  mkdirSync(SCREENS, { recursive: true });
  await expect(page.getByTestId('map')).toHaveAttribute('data-idle', 'true');
  await page.screenshot({ path: join(SCREENS, 'workbench-initial.png') });
  test.skip(!model, 'no BR-MANGUE executor is registered yet');
  await selectModel(page, model!.name);
  const file =
    samples.find((s) => s.file.startsWith('ilha_maranhao') && s.models.includes(model!.name))?.file ?? sampleFor(model!, samples);
  await pickSample(page, file!);
  await expect(page.getByTestId('legend')).toBeVisible();
  await expect(page.getByTestId('map')).toHaveAttribute('data-idle', 'true');
  await page.screenshot({ path: join(SCREENS, 'brmangue-before.png') });
  const end = model!.params.end_time;
  if (end && typeof end.default === 'number' && end.default > 20) await setParam(page, 'end_time', '20');
  expect(await runAndWait(page, 120_000)).toBe('completed');
  await expect(page.getByTestId('map')).toHaveAttribute('data-shown', 'output');
  await expect(page.getByTestId('map')).toHaveAttribute('data-idle', 'true');
  await page.screenshot({ path: join(SCREENS, 'brmangue-after.png') });
  await page.getByTestId('map').hover({ position: { x: 400, y: 250 } });
  await page.screenshot({ path: join(SCREENS, 'brmangue-hover.png') });
});
