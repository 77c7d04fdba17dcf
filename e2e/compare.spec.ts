/**
 * Compare mode (issue #16): the swipe of a run's start against its output, moved with the
 * keyboard, with both maps drawn and each clipped to its side of the divider; the difference
 * of two runs, whose count of differing cells is the one the two output files give (and whose
 * b − a range is the files' own); the refusal of runs on different grids; an axe scan of the
 * compare UI; screenshots of it at three sizes.
 */
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { readGeoTiff } from '../src/io/geotiff-read.ts';
import { formatValue } from '../src/app/map/colors.ts';
import { decodePng, openWorkbench, pickSample, runAndWait, selectModel, setParam, type Png } from './helpers.ts';

test.describe.configure({ timeout: 480_000 });

/** Click a download link; the file's name and bytes. */
async function readDownload(page: Page, testId: string): Promise<{ name: string; bytes: Uint8Array }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: download.suggestedFilename(), bytes: new Uint8Array(readFileSync(await download.path())) };
}

/** Run the chosen model with these parameters; its output file (name carries the experiment id's 8 digits). */
async function runWith(page: Page, params: Record<string, string>): Promise<{ id8: string; bytes: Uint8Array }> {
  for (const [k, v] of Object.entries(params)) await setParam(page, k, v);
  expect(await runAndWait(page)).toBe('completed');
  await expect(page.getByTestId('map')).toHaveAttribute('data-idle', 'true');
  const out = await readDownload(page, 'download-output');
  const id8 = /_([0-9a-f]{8})\.(tif|geojson)$/.exec(out.name)?.[1];
  expect(id8, out.name).toBeTruthy();
  return { id8: id8!, bytes: out.bytes };
}

/** Choose a run in the difference panel's select by its experiment id's first 8 digits. */
async function pickRun(page: Page, select: 'diff-run-a' | 'diff-run-b', id8: string): Promise<void> {
  // The history's runs are listed once IndexedDB has answered.
  const offered = () =>
    page
      .getByTestId(select)
      .locator('option')
      .evaluateAll((os, id) => os.map((o) => (o as HTMLOptionElement).value).find((v) => v.startsWith(id)) ?? null, id8);
  await expect.poll(offered, { message: `${id8} is offered in ${select}` }).not.toBeNull();
  await page.getByTestId(select).selectOption((await offered())!);
}

async function showDiff(page: Page): Promise<void> {
  await page.getByTestId('diff-show').click();
  await expect(page.getByTestId('diff-status')).toHaveAttribute('data-busy', 'false');
}

const bandOf = async (bytes: Uint8Array, name: string) => (await readGeoTiff(bytes)).bands.find((b) => b.name === name)!.data;

/** Pixels of a column range of the middle rows (away from the toolbar, labels, legend and readout) that differ. */
function differing(p: Png, q: Png, x0: number, x1: number): number {
  let n = 0;
  for (let y = Math.round(p.height * 0.35); y < Math.round(p.height * 0.65); y++)
    for (let x = x0; x < x1; x++) {
      const i = (y * p.width + x) * 4;
      if (Math.abs(p.data[i] - q.data[i]) + Math.abs(p.data[i + 1] - q.data[i + 1]) + Math.abs(p.data[i + 2] - q.data[i + 2]) > 24) n++;
    }
  return n;
}

test('swipe: the start on the left of the divider, the output on the right; the divider moves with the keyboard', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await pickSample(page, 'gol_random_512x512.tif');
  await setParam(page, 'end_time', '6');
  expect(await runAndWait(page)).toBe('completed');
  await page.getByTestId('compare-swipe').click();
  await expect(page.getByTestId('compare-swipe')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('map')).toHaveAttribute('data-compare', 'swipe');
  await expect(page.getByTestId('swipe-left-label')).toHaveText('◀ Start · step 0');
  await expect(page.getByTestId('swipe-right-label')).toHaveText('Output · step 6 ▶');
  // The step slider still drives the output side.
  await expect(page.getByTestId('step-slider')).toBeVisible();

  const divider = page.getByRole('slider', { name: /Swipe divider/ });
  await expect(divider).toHaveAttribute('aria-valuenow', '50');
  await divider.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(divider).toHaveAttribute('aria-valuenow', '49');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(divider).toHaveAttribute('aria-valuenow', '59');
  await page.keyboard.press('PageDown');
  await expect(divider).toHaveAttribute('aria-valuenow', '49');
  await page.keyboard.press('ArrowRight');
  await expect(divider).toHaveAttribute('aria-valuetext', '50 % Start · step 0, 50 % Output · step 6');

  const map = page.getByTestId('map-wrap');
  const shot = async (key: string, clip: string) => {
    await page.keyboard.press(key);
    await expect(page.getByTestId('swipe-map')).toHaveAttribute('data-clip', clip);
    await expect(page.getByTestId('swipe-map')).toHaveAttribute('data-idle', 'true');
    await expect(page.getByTestId('map')).toHaveAttribute('data-idle', 'true');
    return decodePng(await map.screenshot());
  };
  const start = await shot('End', '100'); // the overlay everywhere: the start
  const output = await shot('Home', '0'); // the overlay clipped away: the output
  for (let i = 0; i < 5; i++) await page.keyboard.press('PageUp');
  await expect(divider).toHaveAttribute('aria-valuenow', '50');
  await expect(page.getByTestId('swipe-map')).toHaveAttribute('style', /clip-path: inset\(0px 50% 0px 0px\)/);
  const half = decodePng(await map.screenshot());

  const w = half.width;
  // Away from the divider and its handle.
  const left: [number, number] = [Math.round(w * 0.1), Math.round(w * 0.5) - 32];
  const right: [number, number] = [Math.round(w * 0.5) + 32, Math.round(w * 0.7)];
  // Both layers are drawn: the start and the output differ on both sides…
  expect(differing(start, output, ...left)).toBeGreaterThan(200);
  expect(differing(start, output, ...right)).toBeGreaterThan(200);
  // …and each is clipped to its side: left of the divider is the start, right of it the output.
  expect(differing(half, start, ...left)).toBe(0);
  expect(differing(half, output, ...right)).toBe(0);

  // Dragged with the pointer, the divider follows it.
  const box = (await map.boundingBox())!;
  const handle = (await divider.boundingBox())!;
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.25, handle.y + handle.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(divider).toHaveAttribute('aria-valuenow', '25');

  await page.getByTestId('compare-exit').click();
  await expect(page.getByTestId('swipe')).toHaveCount(0);
  await expect(page.getByTestId('map')).toHaveAttribute('data-compare', 'off');
});

test('swipe on a vector grid kept without frames: hover left of the divider reads the input, right of it the output', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await pickSample(page, 'gol_random_20x20.geojson');
  await setParam(page, 'end_time', '6');
  await page.getByLabel(/Keep per-step frames/).uncheck();
  expect(await runAndWait(page)).toBe('completed');
  await page.getByTestId('compare-swipe').click();
  await expect(page.getByTestId('map')).toHaveAttribute('data-compare', 'swipe');
  // Without frames the start is the input layer, hidden on the main map under the overlay.
  await expect(page.getByTestId('swipe-left-label')).toHaveText('◀ Input');
  await expect(page.getByTestId('map')).toHaveAttribute('data-idle', 'true');
  const box = (await page.getByTestId('map-wrap').boundingBox())!;
  const readout = page.getByTestId('hover-readout');
  const at = async (fx: number) => {
    await page.mouse.move(box.x + box.width * fx, box.y + box.height * 0.3);
    await expect(readout).toContainText(/feature \S+ · state = [01]/);
    return (await readout.textContent())!;
  };
  const left = await at(0.3);
  const right = await at(0.54); // the grid spans about 0.19–0.56 of the map's width
  // Each side names its own feature; the divider (keyboard) brings the start to the right-hand point.
  expect(left).not.toEqual(right);
  const divider = page.getByRole('slider', { name: /Swipe divider/ });
  await divider.focus();
  await page.keyboard.press('End');
  await expect(divider).toHaveAttribute('aria-valuenow', '100');
  const startRight = await at(0.54);
  expect(startRight.replace(/ · state = [01].*/, '')).toEqual(right.replace(/ · state = [01].*/, ''));
});

test('difference of two runs: the count of differing cells is what the two outputs say; other grids are refused', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await pickSample(page, 'gol_glider_64x64.tif');
  const a = await runWith(page, { end_time: '12' });
  const b = await runWith(page, { end_time: '20' });
  const [sa, sb] = [await bandOf(a.bytes, 'state'), await bandOf(b.bytes, 'state')];
  let expected = 0;
  for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) expected++;
  expect(expected).toBeGreaterThan(0);

  await page.getByTestId('compare-diff').click();
  await expect(page.getByTestId('diff-panel')).toBeVisible();
  await pickRun(page, 'diff-run-a', a.id8);
  await pickRun(page, 'diff-run-b', b.id8);
  await showDiff(page);
  await expect(page.getByTestId('diff-summary')).toHaveAttribute('data-kind', 'categorical');
  await expect(page.getByTestId('diff-changed')).toHaveText(String(expected));
  await expect(page.getByTestId('diff-unchanged')).toHaveText(String(64 * 64 - expected));
  // The from → to table's changed rows add up to the same count.
  const changedRows = await page
    .getByTestId('diff-transitions')
    .locator('tr.is-change td.num')
    .evaluateAll((tds) => tds.reduce((s, td) => s + Number(td.textContent), 0));
  expect(changedRows).toBe(expected);
  // The map draws the difference, with its legend, and the step slider is gone.
  await expect(page.getByTestId('map')).toHaveAttribute('data-compare', 'diff');
  await expect(page.getByTestId('map')).toHaveAttribute('data-idle', 'true');
  await expect(page.getByTestId('legend')).toContainText(`Changed cells · A ${a.id8} → B ${b.id8}`);
  await expect(page.getByTestId('legend-count-1')).toContainText(String(expected));
  await expect(page.getByTestId('step-slider')).toHaveCount(0);
  // Folded, the panel keeps the count and leaves the map to the difference.
  await page.getByTestId('diff-fold').click();
  await expect(page.getByTestId('diff-run-a')).toHaveCount(0);
  await expect(page.getByTestId('diff-changed')).toHaveText(String(expected));
  await page.getByTestId('diff-fold').click();

  // A run on another grid (512 × 512) is refused, saying why.
  await pickSample(page, 'gol_random_512x512.tif');
  const big = await runWith(page, { end_time: '2' });
  // A new run leaves the difference view, to show itself.
  await expect(page.getByTestId('map')).toHaveAttribute('data-compare', 'off');
  await page.getByTestId('compare-diff').click();
  await pickRun(page, 'diff-run-a', a.id8);
  await pickRun(page, 'diff-run-b', big.id8);
  await showDiff(page);
  await expect(page.getByTestId('diff-error')).toHaveText(
    /not on the same grid: the shape differs \(A: 64 × 64 cells; B: 512 × 512 cells\)/,
  );
  await expect(page.getByTestId('diff-summary')).toHaveCount(0);
});

test('difference of two runs on a vector grid: feature by feature, the count the two GeoJSON outputs give', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await pickSample(page, 'gol_random_20x20.geojson');
  const a = await runWith(page, { end_time: '2' });
  const b = await runWith(page, { end_time: '7' });
  type Fc = { features: { properties: { state: number } }[] };
  const [fa, fb] = [a, b].map((r) => JSON.parse(new TextDecoder().decode(r.bytes)) as Fc);
  const expected = fa.features.filter((f, i) => f.properties.state !== fb.features[i].properties.state).length;
  expect(expected).toBeGreaterThan(0);
  await page.getByTestId('compare-diff').click();
  await pickRun(page, 'diff-run-a', a.id8);
  await pickRun(page, 'diff-run-b', b.id8);
  await showDiff(page);
  await expect(page.getByTestId('diff-changed')).toHaveText(String(expected));
  await expect(page.getByTestId('diff-summary')).toContainText(`of 400 features differ`);
  await expect(page.getByTestId('map')).toHaveAttribute('data-idle', 'true');
  await expect(page.getByTestId('legend-count-1')).toContainText(String(expected));
});

test('difference of a continuous band: b − a with its min and max from the two outputs', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'flood_benchmark');
  await pickSample(page, 'flood_8x10.tif');
  const a = await runWith(page, { taxa: '0.5', end_time: '4' });
  const b = await runWith(page, { taxa: '1.5', end_time: '4' });
  const [xa, xb] = [await bandOf(a.bytes, 'alt'), await bandOf(b.bytes, 'alt')];
  const d = Array.from(xa, (v, i) => xb[i] - v);
  await page.getByTestId('compare-diff').click();
  await pickRun(page, 'diff-run-a', a.id8);
  await pickRun(page, 'diff-run-b', b.id8);
  await showDiff(page);
  await page.getByTestId('diff-band').selectOption('alt');
  await expect(page.getByTestId('diff-summary')).toHaveAttribute('data-band', 'alt');
  await expect(page.getByTestId('diff-summary')).toHaveAttribute('data-kind', 'continuous');
  await expect(page.getByTestId('diff-changed')).toHaveText(String(d.filter((v) => v !== 0).length));
  await expect(page.getByTestId('diff-min')).toHaveText(formatValue(Math.min(...d)));
  await expect(page.getByTestId('diff-max')).toHaveText(formatValue(Math.max(...d)));
  await expect(page.getByTestId('legend')).toContainText('alt (B − A)');
});

async function seriousViolations(page: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}) — ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const SIZES = [
  { name: 'phone-390x844', width: 390, height: 844 },
  { name: 'laptop-1280x600', width: 1280, height: 600 },
  { name: 'fullhd-1920x1080', width: 1920, height: 1080 },
] as const;

async function attach(page: Page, info: TestInfo, name: string): Promise<void> {
  const path = info.outputPath(name);
  await page.screenshot({ path, fullPage: true });
  await info.attach(name, { path, contentType: 'image/png' });
}

test('the compare UI: axe finds no serious or critical violation (light and dark); screenshots at three sizes', async ({ page }, info) => {
  const found: string[] = [];
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  await pickSample(page, 'gol_glider_64x64.tif');
  await runWith(page, { end_time: '8' });
  await runWith(page, { end_time: '16' });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.getByTestId('compare-swipe').click();
    await expect(page.getByTestId('swipe-map')).toHaveAttribute('data-idle', 'true');
    found.push(...(await seriousViolations(page, `swipe (${scheme})`)));
    await page.getByTestId('compare-diff').click();
    await showDiff(page);
    await expect(page.getByTestId('diff-summary')).toBeVisible();
    found.push(...(await seriousViolations(page, `difference (${scheme})`)));
    await page.getByTestId('compare-diff').click();
  }
  expect(found, found.join('\n')).toEqual([]);

  await page.emulateMedia({ colorScheme: 'light' });
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.getByTestId('compare-swipe').scrollIntoViewIfNeeded();
    await page.getByTestId('compare-swipe').click();
    await expect(page.getByTestId('swipe-map')).toHaveAttribute('data-idle', 'true');
    await expect(page.getByTestId('map')).toHaveAttribute('data-idle', 'true');
    await attach(page, info, `${size.name}-compare-swipe.png`);
    await page.getByTestId('compare-diff').click();
    await showDiff(page);
    await expect(page.getByTestId('diff-summary')).toBeVisible();
    await expect(page.getByTestId('map')).toHaveAttribute('data-idle', 'true');
    // The panel fits the map at every size.
    const panel = (await page.getByTestId('diff-panel').boundingBox())!;
    const mapBox = (await page.getByTestId('map-wrap').boundingBox())!;
    expect(panel.x + panel.width).toBeLessThanOrEqual(mapBox.x + mapBox.width + 0.5);
    await attach(page, info, `${size.name}-compare-diff.png`);
    await page.getByTestId('diff-close').click();
    await expect(page.getByTestId('map')).toHaveAttribute('data-compare', 'off');
  }
});
