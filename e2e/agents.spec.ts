/**
 * Agents on the map: predator–prey runs in the real worker on the bundled flock, the map draws
 * the agents as points (a circle layer, coloured by the chosen attribute), and the step slider
 * moves them: other counts and other pixels at another step, the same pixels back at the first.
 */
import { expect, test, type Page } from '@playwright/test';
import { decodePng, MAP_BG, openWorkbench, paintedArea, pickSample, runAndWait, selectModel, setParam } from './helpers.ts';

/** Agents alive at the start and after t = 0, 1, 2, 3 in DisSModel's run of this flock (abm_predator_prey.json, case 2). */
const ALIVE = [26, 26, 28, 30, 37];

async function mapPixels(page: Page): Promise<Uint8Array> {
  const map = page.getByTestId('map');
  await expect(map).toHaveAttribute('data-idle', 'true');
  return new Uint8Array(await map.screenshot());
}

async function toFrame(page: Page, k: number): Promise<void> {
  await page.getByTestId('step-slider').fill(String(k));
  await expect(page.getByTestId('step-label')).toContainText(`${k + 1}/`);
}

test('predator–prey: agents drawn as points, the step slider moves them', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'abm_predator_prey');
  await pickSample(page, 'abm_flock_8x8.geojson');
  await expect(page.getByTestId('dataset-refusal')).toHaveCount(0);
  for (const [name, value] of Object.entries({
    max_x: '8',
    max_y: '8',
    eat_radius: '1.5',
    graze_gain: '1',
    energy_gain: '6',
    reproduce_threshold: '12',
    seed: '4',
    end_time: '20',
  })) {
    await setParam(page, name, value);
  }
  expect(await runAndWait(page)).toBe('completed');

  const map = page.getByTestId('map');
  await expect(map).toHaveAttribute('data-shown', 'output');
  await expect(page.getByTestId('step-controls')).toBeVisible();
  await expect(page.getByTestId('step-label')).toContainText('22/22');
  // DisSModel's run ends with 6 wolves.
  await expect(map).toHaveAttribute('data-agents', '6');

  await toFrame(page, 0);
  await expect(map).toHaveAttribute('data-agents', String(ALIVE[0]));
  await expect(page.getByTestId('legend')).toContainText('sheep');
  await expect(page.getByTestId('legend')).toContainText('wolf');
  const first = await mapPixels(page);
  const area = paintedArea(decodePng(first), MAP_BG);
  expect(area.share, 'the agents are painted').toBeGreaterThan(0);

  await toFrame(page, 4);
  await expect(map).toHaveAttribute('data-agents', String(ALIVE[4]));
  const later = await mapPixels(page);
  expect(Buffer.from(later).equals(Buffer.from(first)), 'the points moved').toBe(false);

  await toFrame(page, 0);
  expect(Buffer.from(await mapPixels(page)).equals(Buffer.from(first)), 'back at the first step, the same picture').toBe(true);

  // Colour by another attribute: energy is a ramp, not the sheep/wolf categories.
  await page.getByTestId('agent-field-select').selectOption('energy');
  await expect(page.getByTestId('legend')).toContainText('energy');
  await expect(page.getByTestId('legend')).not.toContainText('wolf');
  expect(Buffer.from(await mapPixels(page)).equals(Buffer.from(first)), 'recoloured').toBe(false);
});

test('the other agent models run in the page and draw their output: random walk (points), Schelling on a polygon layer, Barros on a raster', async ({
  page,
}) => {
  await openWorkbench(page);
  const map = page.getByTestId('map');
  await selectModel(page, 'abm_random_walk');
  await pickSample(page, 'abm_flock_8x8.geojson');
  await setParam(page, 'end_time', '5');
  expect(await runAndWait(page)).toBe('completed');
  await expect(map).toHaveAttribute('data-shown', 'output');
  await expect(map).toHaveAttribute('data-agents', '26');
  await expect(page.getByTestId('legend')).toContainText('id');

  for (const [model, sample, label, ext] of [
    ['abm_schelling', 'gol_random_20x20.geojson', 'blue', 'geojson'],
    ['abm_peripherisation', 'gol_glider_64x64.tif', 'yellow', 'tif'],
  ] as const) {
    await selectModel(page, model);
    await pickSample(page, sample);
    await expect(page.getByTestId('dataset-refusal')).toHaveCount(0);
    await setParam(page, 'end_time', '12');
    expect(await runAndWait(page)).toBe('completed');
    await expect(map).toHaveAttribute('data-shown', 'output');
    await expect(page.getByTestId('legend')).toContainText(label);
    await expect(page.getByTestId('output-name')).toHaveText(new RegExp(`^${model}_[0-9a-f]{8}\\.${ext}$`));
    await expect(page.getByTestId('step-label')).toContainText('14/14');
    const png = decodePng(await mapPixels(page));
    expect(paintedArea(png, MAP_BG).share, `${model}: the grid is painted`).toBeGreaterThan(0.1);
  }
});
