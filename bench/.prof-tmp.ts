// temporary profiling script (not committed)
import { resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { polygonGridGeoJson, golGeoTiff } from './fluidity-inputs.ts';
const ROOT = resolve(import.meta.dirname, '..');
const vite = await import('vite');
const server = await vite.createServer({ root: ROOT, configFile: resolve(ROOT, 'e2e/vite.config.ts'), logLevel: 'warn', server: { host: '127.0.0.1', port: 4326, strictPort: true, hmr: false } });
await server.listen();
const n = Number(process.env.N ?? 200);
const geojson = Buffer.from(polygonGridGeoJson(n));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--ignore-gpu-blocklist'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
page.on('console', (m) => { if (m.text().startsWith('[t]')) console.log(m.text()); });
await page.goto('http://127.0.0.1:4326/?e2e=1');
await page.waitForSelector('[data-testid="model-select"] option', { state: 'attached', timeout: 300000 });
await page.getByTestId('model-select').selectOption('game_of_life');
await page.waitForSelector('[data-testid="map"][data-ready="true"]');
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
async function prof(name: string, fn: () => Promise<void>) {
  await cdp.send('Profiler.start');
  const t = Date.now();
  await fn();
  const { profile } = await cdp.send('Profiler.stop');
  writeFileSync(`/tmp/fluidprof/${name}.cpuprofile`, JSON.stringify(profile));
  console.log(name, Date.now() - t, 'ms');
}
await prof('load', async () => {
  await page.getByTestId('file-input').setInputFiles({ name: 'g.geojson', mimeType: 'application/octet-stream', buffer: geojson });
  await page.waitForSelector('[data-testid="map"][data-idle="true"][data-shown="input"]', { timeout: 300000 });
  await page.waitForFunction(() => /^[0-9a-f]{64}$/.test(document.querySelector('[data-testid="dataset-sha256"]')?.textContent ?? ''));
  await page.waitForSelector('[data-testid="map"][data-idle="true"][data-shown="input"]', { timeout: 300000 });
});
await page.getByTestId('param-end_time').locator('input').first().fill('20');
await prof('run', async () => {
  await page.getByTestId('run-button').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.getAttribute('data-status') === 'completed', undefined, { timeout: 600000 });
  await page.waitForSelector('[data-testid="map"][data-idle="true"][data-shown="output"]', { timeout: 300000 });
});
await prof('steps', async () => {
  for (let k = 0; k < 6; k++) {
    await page.getByTestId('step-slider').focus();
    await page.keyboard.press('ArrowLeft');
    await page.waitForTimeout(50);
    await page.waitForSelector('[data-testid="map"][data-idle="true"]');
  }
});
await prof('hover', async () => {
  for (let i = 0; i < 8; i++) { await page.mouse.move(400 + i * 20, 300 + i * 15); await page.waitForTimeout(100); }
});
if (process.env.RASTER) {
  const tiff = Buffer.from(golGeoTiff(Number(process.env.RASTER)));
  await prof('rload', async () => {
    await page.getByTestId('file-input').setInputFiles({ name: 'g.tif', mimeType: 'application/octet-stream', buffer: tiff });
    await page.waitForFunction(() => document.querySelector('[data-testid="dataset-name"]')?.textContent === 'g.tif' && /^[0-9a-f]{64}$/.test(document.querySelector('[data-testid="dataset-sha256"]')?.textContent ?? ''), undefined, { timeout: 300000 });
    await page.getByTestId('layer-input').click();
    await page.waitForSelector('[data-testid="map"][data-idle="true"][data-shown="input"]', { timeout: 300000 });
  });
  await page.getByTestId('param-end_time').locator('input').first().fill('10');
  await prof('rrun', async () => {
    await page.getByTestId('run-button').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.getAttribute('data-status') === 'completed', undefined, { timeout: 600000 });
    await page.waitForSelector('[data-testid="map"][data-idle="true"][data-shown="output"]', { timeout: 300000 });
  });
  await prof('rsteps', async () => {
    for (let k = 0; k < 4; k++) {
      await page.getByTestId('step-slider').focus();
      await page.keyboard.press('ArrowLeft');
      await page.waitForTimeout(50);
      await page.waitForSelector('[data-testid="map"][data-idle="true"]');
    }
  });
}
await browser.close();
await server.close();
process.exit(0);
