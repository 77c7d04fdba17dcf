/**
 * Run controls in the page: Setup stops before the first step with the initial state on the
 * map, Step advances one step, Pause / Go, a speed; the map shows the state reached live during
 * a run; a cancelled run keeps that state as a partial result, marked and downloadable.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openWorkbench, pickSample, selectModel, setParam, sha256 } from './helpers.ts';

const GOL_SMALL = 'gol_glider_64x64.tif';
const GOL_BIG = 'gol_random_512x512.tif';

const liveStep = async (page: Page): Promise<number> => Number((await page.getByTestId('map').getAttribute('data-live-step')) ?? -1);

async function readDownload(page: Page, testId: string): Promise<{ name: string; bytes: Uint8Array }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: download.suggestedFilename(), bytes: new Uint8Array(readFileSync(await download.path())) };
}

test('Setup, Step, Pause, Go and speed: the tick counter and the map follow each step', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await pickSample(page, GOL_SMALL);
  await setParam(page, 'end_time', '400');

  await page.getByTestId('setup-button').click();
  const status = page.getByTestId('run-status');
  await expect(status).toHaveAttribute('data-status', 'paused');
  await expect(status).toHaveText('Paused');
  await expect(page.getByTestId('tick-counter')).toHaveText('tick 0');
  await expect(page.getByTestId('map')).toHaveAttribute('data-live-step', '0');
  await expect(page.getByTestId('map')).toHaveAttribute('data-shown', 'output');
  await expect(page.getByTestId('legend')).toContainText('Paused · step 0 / 400');
  await expect(page.getByTestId('map')).toHaveAttribute('data-idle', 'true');
  const at0 = await page.getByTestId('map').screenshot();

  await page.getByTestId('step-button').click();
  await expect(page.getByTestId('tick-counter')).toHaveText('tick 1');
  await expect(page.getByTestId('map')).toHaveAttribute('data-live-step', '1');
  await page.getByTestId('step-button').click();
  await expect(page.getByTestId('tick-counter')).toHaveText('tick 2');
  await expect(page.getByTestId('map')).toHaveAttribute('data-live-step', '2');
  await expect(page.getByTestId('map')).toHaveAttribute('data-idle', 'true');
  const at2 = await page.getByTestId('map').screenshot();
  expect(Buffer.compare(at0, at2), 'the map drew the new state').not.toBe(0);
  await expect(status).toHaveAttribute('data-status', 'paused');

  // Slowest speed, Go, then Pause: it stops at a later step and stays there.
  const speed = page.getByTestId('speed-slider');
  await speed.fill('0');
  await expect(speed).toHaveAttribute('aria-valuetext', /slowest/);
  await page.getByTestId('resume-button').click();
  await expect(status).toHaveAttribute('data-status', 'running');
  await expect.poll(() => liveStep(page)).toBeGreaterThan(2);
  await page.getByTestId('pause-button').click();
  await expect(status).toHaveAttribute('data-status', 'paused');
  const pausedAt = await liveStep(page);
  await expect(page.getByTestId('tick-counter')).toHaveText(`tick ${pausedAt}`);

  // Fastest again, Go: the run completes with all 400 steps.
  await speed.fill('4');
  await page.getByTestId('resume-button').click();
  await expect(status).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId('step-counter')).toHaveText('step 400 / 400');
  await expect(page.getByTestId('output-name')).toHaveText(/^game_of_life_[0-9a-f]{8}\.tif$/);
  await expect(page.getByTestId('partial-output')).toHaveCount(0);
});

test('the map shows the state reached live during a run', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await pickSample(page, GOL_BIG);
  await page.getByLabel('Keep per-step frames (step slider)').uncheck();
  await setParam(page, 'end_time', '1000000'); // longer than the test: the run cannot end before its second frame
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'running');
  const map = page.getByTestId('map');
  await expect(map).toHaveAttribute('data-shown', 'output');
  await expect.poll(() => liveStep(page)).toBeGreaterThan(0);
  const first = await liveStep(page);
  await expect.poll(() => liveStep(page), { message: 'a later live frame is drawn' }).toBeGreaterThan(first);
  await expect(page.getByTestId('legend')).toContainText(/Live · step \d+ \/ 1000000/);
  await page.getByTestId('cancel-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'cancelled');
});

test('cancel keeps the state reached as a partial result, marked and downloadable; the record says cancelled', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await pickSample(page, GOL_BIG);
  await setParam(page, 'end_time', '100000');
  await page.getByTestId('setup-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'paused');
  for (let k = 1; k <= 3; k++) {
    await page.getByTestId('step-button').click();
    await expect(page.getByTestId('tick-counter')).toHaveText(`tick ${k}`);
  }
  await page.getByTestId('cancel-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByTestId('run-cancelled')).toContainText('Cancelled after step 3 of 100000');
  const partial = page.getByTestId('partial-output');
  await expect(partial).toHaveAttribute('data-status', 'cancelled');
  await expect(partial).toContainText('Partial result');
  await expect(partial).toContainText('not a completed output');
  await expect(page.getByTestId('output-name')).toHaveCount(0);
  await expect(page.getByTestId('download-output')).toHaveCount(0);
  // Viewable: the map shows the partial state.
  await expect(page.getByTestId('map')).toHaveAttribute('data-shown', 'output');

  const file = await readDownload(page, 'download-partial');
  expect(file.name).toMatch(/^game_of_life_[0-9a-f]{8}_partial_step3\.tif$/);
  await expect(page.getByTestId('partial-sha256')).toHaveText(sha256(file.bytes));
  const rec = await readDownload(page, 'download-record');
  const record = JSON.parse(new TextDecoder().decode(rec.bytes)) as { status: string; logs: string[]; artifacts: Record<string, string> };
  expect(record.status).toBe('cancelled');
  expect(record.artifacts.output).toBeUndefined();
  expect(record.logs.join('\n')).toContain(`Partial result (cancelled, not a completed output): ${file.name}`);
  expect(record.logs.join('\n')).toContain(sha256(file.bytes));
});
