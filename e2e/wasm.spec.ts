/**
 * The grid kernels' WebAssembly in the real page (production build, CSP on): the simulation worker runs
 * the WebAssembly kernels under the page's policy ('wasm-unsafe-eval'), and Game of Life and forest fire
 * runs there write the bytes the CLI writes (the JavaScript kernels write the same bytes:
 * tests/wasm-fallback.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openWorkbench, pickSample, ROOT, runAndWait, selectModel, setParam, sha256 } from './helpers.ts';

test('the simulation worker runs the WebAssembly kernels; Game of Life and forest fire write the CLI’s bytes', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Refused to|CSP violation/.test(m.text())) violations.push(m.text());
  });
  await openWorkbench(page);
  const why = await page.evaluate(() =>
    (
      globalThis as unknown as { __dissmodel: { worker: { wasmUnavailable(): Promise<string | null> } } }
    ).__dissmodel.worker.wasmUnavailable(),
  );
  expect(why, 'WebAssembly in the simulation worker').toBeNull();

  const out = mkdtempSync(join(tmpdir(), 'dissmodel-wasm-'));
  try {
    for (const [model, sample, params] of [
      ['game_of_life', 'gol_random_512x512.tif', ['end_time=60']],
      ['forest_fire', 'fire_forest_50x50.tif', ['end_time=12', 'neighborhood=moore']],
    ] as const) {
      await selectModel(page, model);
      await pickSample(page, sample);
      for (const p of params) {
        const [k, v] = p.split('=');
        if (k === 'end_time') await setParam(page, k, v);
        else await page.getByTestId(`param-${k}`).locator('select').selectOption(v);
      }
      expect(await runAndWait(page)).toBe('completed');
      const pageSha = await page.getByTestId('output-sha256').textContent();
      const dir = join(out, model);
      const cli = spawnSync(
        process.execPath,
        [
          join(ROOT, 'bin', 'dissmodel.js'),
          'run',
          model,
          '--input',
          join(ROOT, 'public/samples', sample),
          '--output',
          dir + '/',
          ...params.flatMap((p) => ['--param', p]),
        ],
        { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
      );
      expect(cli.status, cli.stderr).toBe(0);
      const tif = readdirSync(dir).find((f) => f.endsWith('.tif'))!;
      expect(sha256(readFileSync(join(dir, tif))), model).toBe(pageSha);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  expect(violations).toEqual([]);
});
