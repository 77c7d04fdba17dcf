/**
 * The page at three screen sizes: a phone (390×844: folded sidebar, the map at least half the
 * height), a short laptop (1280×600: the results strip's buttons all visible) and full HD;
 * a resizable results strip; table models charted in the main area with ticks, a step cursor
 * and a CSV of what is charted. Screenshots of every panel at each size are attached.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { openWorkbench, pickSample, runAndWait, selectModel, setParam } from './helpers.ts';

const SIZES = [
  { name: 'phone-390x844', width: 390, height: 844 },
  { name: 'laptop-1280x600', width: 1280, height: 600 },
  { name: 'fullhd-1920x1080', width: 1920, height: 1080 },
] as const;

const PANELS = ['model-panel', 'dataset-panel', 'param-panel', 'run-panel', 'map-wrap', 'results', 'share-panel', 'history'] as const;

/** Screenshots kept as the test's artefacts (in its output folder, attached to the report). */
async function attachPanels(page: Page, info: TestInfo, size: string, panels: readonly string[]): Promise<void> {
  const shot = async (name: string, take: (path: string) => Promise<unknown>) => {
    const path = info.outputPath(name);
    await take(path);
    await info.attach(name, { path, contentType: 'image/png' });
  };
  await shot(`${size}-page.png`, (path) => page.screenshot({ path, fullPage: true }));
  for (const p of panels) {
    const loc = page.getByTestId(p);
    if ((await loc.count()) === 0 || !(await loc.isVisible())) continue;
    await loc.scrollIntoViewIfNeeded();
    await shot(`${size}-${p}.png`, (path) => loc.screenshot({ path }));
  }
}

async function box(loc: Locator) {
  const b = await loc.boundingBox();
  expect(b, 'element is laid out').not.toBeNull();
  return b!;
}

async function ensureSidebar(page: Page): Promise<void> {
  const toggle = page.getByTestId('sidebar-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await expect(page.getByTestId('model-select')).toBeVisible();
}

for (const size of SIZES) {
  test(`layout at ${size.width}×${size.height}: every panel usable, screenshots attached`, async ({ page }, info) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto('/?e2e=1');
    const phone = size.width < 760;
    // A phone starts with the sidebar folded: the map gets the screen.
    await expect(page.getByTestId('sidebar-toggle')).toHaveAttribute('aria-expanded', phone ? 'false' : 'true');
    await ensureSidebar(page);
    await expect(page.getByTestId('model-select')).toBeEnabled();
    await selectModel(page, 'game_of_life');
    await pickSample(page, 'gol_glider_64x64.tif');
    await setParam(page, 'end_time', '20');
    expect(await runAndWait(page)).toBe('completed');
    await expect(page.getByTestId('map')).toHaveAttribute('data-idle', 'true');

    const map = await box(page.getByTestId('map-wrap'));
    expect(map.height, 'the map is at least half the screen high').toBeGreaterThanOrEqual(size.height / 2);
    if (!phone) expect(map.width).toBeGreaterThan(size.width / 2);

    // The results strip never clips its buttons: each is wholly inside its card and the strip.
    const results = await box(page.getByTestId('results'));
    for (const id of ['download-output', 'download-record', 'download-profiling', 'copy-sha']) {
      const b = page.getByTestId(id);
      await b.scrollIntoViewIfNeeded();
      const bb = await box(b);
      const card = await box(page.getByTestId('output-card'));
      expect(bb.x, `${id} inside the card`).toBeGreaterThanOrEqual(card.x - 0.5);
      expect(bb.x + bb.width, `${id} inside the card`).toBeLessThanOrEqual(card.x + card.width + 0.5);
      if (!phone) expect(bb.x + bb.width, `${id} inside the strip`).toBeLessThanOrEqual(results.x + results.width + 0.5);
      await expect(b).toBeInViewport();
    }
    await attachPanels(page, info, size.name, PANELS);

    if (!phone) {
      // The sidebar folds away; the map takes the width and is re-drawn at its new size.
      await page.getByTestId('sidebar-toggle').click();
      await expect(page.getByTestId('model-panel')).toBeHidden();
      await expect.poll(async () => (await box(page.locator('.maplibregl-canvas'))).width).toBeGreaterThan(size.width - 20);
      await page.getByTestId('sidebar-toggle').click();
      await expect(page.getByTestId('model-panel')).toBeVisible();
      // The results strip is resizable from the keyboard (and by dragging).
      const handle = page.getByTestId('results-resizer');
      const before = (await box(page.getByTestId('results'))).height;
      await handle.focus();
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      await expect.poll(async () => (await box(page.getByTestId('results'))).height).toBeGreaterThan(before + 20);
      await handle.press('Escape');
    }
  });
}

test('table models chart in the main area: ticks, a step cursor on the slider, CSV of what is charted', async ({ page }, info) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openWorkbench(page);
  await selectModel(page, 'sir');
  await expect(page.getByTestId('table-view')).toBeVisible();
  await expect(page.getByTestId('map')).toHaveCount(0);
  expect(await runAndWait(page)).toBe('completed');
  const chart = page.getByTestId('table-chart');
  const view = await box(page.getByTestId('table-view'));
  expect(view.height).toBeGreaterThan(300);
  const yTicks = await page.getByTestId('table-chart-yticks').locator('text').allTextContents();
  expect(yTicks.length).toBeGreaterThanOrEqual(3);
  for (const t of yTicks) expect(t).toMatch(/^-?[\d.]+[kM]?%?$|^\d\.\de[+-]\d+$/);
  const xTicks = await page.getByTestId('table-chart-xticks').locator('text').allTextContents();
  expect(xTicks.length).toBeGreaterThanOrEqual(3);
  await expect(chart.locator('path.series-line')).toHaveCount(3);

  // The slider moves the cursor and the readout.
  const slider = page.getByTestId('table-step-slider');
  const cursor = page.getByTestId('table-chart-cursor');
  const x1 = Number(await cursor.getAttribute('x1'));
  await slider.fill('3');
  await expect(page.getByTestId('table-readout')).toContainText(/time = \d+/);
  await expect.poll(async () => Number(await cursor.getAttribute('x1'))).toBeLessThan(x1);

  // Hide one series: the CSV holds only what is charted.
  const chips = page.getByTestId('table-chart').locator('.legend-toggle');
  const hiddenName = ((await chips.first().textContent()) ?? '').trim().split(/\s+/)[0];
  await chips.first().click();
  await expect(chart.locator('path.series-line')).toHaveCount(2);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-chart-csv').click()]);
  const csv = readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\n');
  const header = csv[0].split(',');
  expect(header[0]).toBe('time');
  expect(header).toHaveLength(3);
  expect(header).not.toContain(hiddenName);
  expect(csv.length).toBeGreaterThan(10);
  await attachPanels(page, info, 'table-1280x800', ['table-view', 'results']);
});
