/** A parameter sweep on a pool of workers: every run completes; equal parameters give equal bytes. */
import { expect, test } from '@playwright/test';
import { openWorkbench, pickSample, selectModel } from './helpers.ts';

test('a sweep of end_time 5,10,5 on the glider runs on the worker pool', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await pickSample(page, 'gol_glider_64x64.tif');
  await page.locator('.sweep-details > summary').click();
  await page.getByTestId('sweep-values-end_time').fill('5, 10, 5');
  await page.getByTestId('sweep-run').click();
  await expect(page.getByTestId('sweep-progress')).toHaveText('3 / 3 runs', { timeout: 60_000 });
  const rows = page.getByTestId('sweep-row');
  await expect(rows).toHaveCount(3);
  const shas = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-sha')));
  for (const s of shas) expect(s).toMatch(/^[0-9a-f]{64}$/);
  expect(shas[0]).toBe(shas[2]);
  expect(shas[1]).not.toBe(shas[0]);
  await expect(rows.first()).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId('sweep-chart')).toBeVisible();

  await page.getByTestId('sweep-values-end_time').fill('5, -1');
  await page.getByTestId('sweep-run').click();
  await expect(page.getByTestId('sweep-error')).toHaveText(/'end_time' = -1 is out of range/);
});
