/** A parameter sweep on a pool of workers: every run completes; equal parameters (and seed) give equal bytes. */
import { expect, test, type Page } from '@playwright/test';
import { openWorkbench, pickSample, selectModel } from './helpers.ts';

async function sweepShas(page: Page, runs: number): Promise<string[]> {
  await page.getByTestId('sweep-run').click();
  await expect(page.getByTestId('sweep-progress')).toHaveText(`${runs} / ${runs} runs`, { timeout: 120_000 });
  const rows = page.getByTestId('sweep-row');
  await expect(rows).toHaveCount(runs);
  const statuses = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')));
  expect(statuses).toEqual(Array(runs).fill('completed'));
  const shas = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-sha') ?? ''));
  for (const s of shas) expect(s).toMatch(/^[0-9a-f]{64}$/);
  await expect(page.getByTestId('sweep-copy-sha')).toHaveCount(runs);
  return shas;
}

test('a sweep of end_time 5,10,5 on the glider runs on the worker pool', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await pickSample(page, 'gol_glider_64x64.tif');
  await page.locator('.sweep-details > summary').click();
  await page.getByTestId('sweep-values-end_time').fill('5, 10, 5');
  const shas = await sweepShas(page, 3);
  expect(shas[0]).toBe(shas[2]);
  expect(shas[1]).not.toBe(shas[0]);
  const endTimes = await page.locator('[data-testid="sweep-row"] td[data-param="end_time"]').allTextContents();
  expect(endTimes).toEqual(['5', '10', '5']);
  await expect(page.getByTestId('sweep-chart')).toBeVisible();

  await page.getByTestId('sweep-values-end_time').fill('5, -1');
  await page.getByTestId('sweep-run').click();
  await expect(page.getByTestId('sweep-error')).toHaveText(/'end_time' = -1 is out of range/);
});

test('a stochastic sweep: 2 seeds × a repeated value, equal parameters and seed give equal bytes', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'forest_fire_prob');
  await pickSample(page, 'fire_forest_50x50.tif');
  await page.locator('.sweep-details > summary').click();
  await page.getByTestId('sweep-values-prob_combustion').fill('0.05, 0.05');
  await page.getByTestId('sweep-values-end_time').fill('8');
  await page.getByTestId('sweep-seeds').fill('2');
  const shas = await sweepShas(page, 4);
  const seeds = await page.locator('[data-testid="sweep-row"] td[data-param="seed"]').allTextContents();
  expect(seeds).toEqual(['1', '2', '1', '2']);
  // (0.05, seed 1) twice and (0.05, seed 2) twice: the same bytes each time; the two seeds differ.
  expect(shas[2]).toBe(shas[0]);
  expect(shas[3]).toBe(shas[1]);
  expect(shas[1]).not.toBe(shas[0]);
});
