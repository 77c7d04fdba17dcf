/**
 * LUCC on the page: lucc_raster on the bundled Acre cellular space, whose demand CSV
 * (its extra input) comes with the sample; the run completes and the map shows the
 * deforestation fractions as a continuous band with its legend.
 */
import { expect, test } from '@playwright/test';
import { openWorkbench, pickSample, readSample, runAndWait, selectModel, sha256 } from './helpers.ts';

test('lucc_raster on the Acre sample with its demand CSV shows the map', async ({ page }) => {
  test.setTimeout(180_000);
  await openWorkbench(page);
  await selectModel(page, 'lucc_raster');
  await pickSample(page, 'csAC.zip');
  await expect(page.getByTestId('dataset-name')).toHaveText('csAC.zip', { timeout: 60_000 });
  // The demand CSV is a second input with its own drop zone, filled in from the sample.
  const demand = page.getByTestId('extra-file-demand_csv');
  await expect(demand).toContainText('sample:examples_demand_lab1.csv');
  await expect(demand).toContainText(sha256(readSample('examples_demand_lab1.csv')));
  // DisSModel's [[model.potential]] and [[model.allocation]] in a table editor, with the Lab1 coefficients.
  await expect(page.getByTestId('spec-table-potential').locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('spec-potential-1-const')).toHaveValue('0.267');
  await expect(page.getByTestId('spec-potential-0-betas.assentamen')).toHaveValue('-0.2193');
  await expect(page.getByTestId('spec-table-allocation').locator('tbody tr')).toHaveCount(3);
  expect(await runAndWait(page, 150_000)).toBe('completed');
  await expect(page.getByTestId('map')).toHaveAttribute('data-shown', 'output');
  await expect(page.getByTestId('legend')).toBeVisible();
  await expect(page.getByTestId('legend')).toContainText('d');
  // a continuous ramp from 0: the cells outside the study area (−1) are left out
  await expect(page.getByTestId('legend').locator('.ramp')).toBeVisible();
  await expect(page.getByTestId('legend').locator('.ramp-labels span').first()).toHaveText('0');
});

test('without its demand CSV, lucc_raster cannot run and says why', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'lucc_raster');
  await pickSample(page, 'csAC.zip');
  await expect(page.getByTestId('extra-file-demand_csv')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('extra-drop-demand_csv').getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('run-button')).toBeDisabled();
  await expect(page.getByTestId('run-panel')).toContainText('Give the demand CSV: drop it in the dataset panel.');
});
