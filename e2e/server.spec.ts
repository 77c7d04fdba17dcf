/**
 * "Run on server" in a real Chromium against the real platform stack on
 * loopback — redis-server, s3rver, `dissmodel serve` (CORS allowing this
 * page's origin) and one `dissmodel worker` process — set up by the platform
 * tests' own module (tests/platform/stack.ts): a dropped dataset is uploaded,
 * the job's progress and completion are shown, the map draws the output, the
 * record shown and kept is the server's record.json, and the output's SHA-256
 * equals a local run of the same record. Then a sweep fanned out as jobs.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import {
  API_KEY,
  stackEnv,
  startRedis,
  startS3,
  startServe,
  startWorkerProcess,
  type RedisHandle,
  type S3Handle,
  type ServeHandle,
  type WorkerHandle,
} from '../tests/platform/stack.ts';
import { dropFile, openWorkbench, readSample, runAndWait, selectModel, setParam, sha256 } from './helpers.ts';
import { E2E_PORT } from '../playwright.config.ts';

const INPUT = 'ilha_maranhao_epsg31983.tif';

let redis: RedisHandle;
let s3: S3Handle;
let serve: ServeHandle;
let worker: WorkerHandle;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  redis = await startRedis();
  s3 = await startS3();
  const env = stackEnv(redis, s3, { DISSMODEL_CORS_ORIGINS: `http://127.0.0.1:${E2E_PORT}` });
  serve = await startServe(env);
  worker = await startWorkerProcess(env);
});

test.afterAll(async () => {
  await worker?.stop('SIGTERM');
  await serve?.server.close();
  await s3?.stop();
  await redis?.stop();
});

async function useServer(page: Page, url: string, key: string): Promise<void> {
  await page.getByTestId('settings-button').click();
  await page.getByTestId('server-url').fill(url);
  await page.getByTestId('server-key').fill(key);
  await page.getByTestId('server-save').click();
  await expect(page.getByTestId('server-settings-message')).toHaveText(/Saved in this browser only/);
  await page.keyboard.press('Escape');
  await page.getByTestId('run-target-server').check();
}

async function dropInput(page: Page): Promise<void> {
  await dropFile(page, INPUT, readSample(INPUT), 'image/tiff');
  await expect(page.getByTestId('dataset-name')).toHaveText(INPUT);
  await expect(page.getByTestId('dataset-sha256')).toHaveText(sha256(readSample(INPUT)));
}

test('Run on server: upload, live progress, completion; the map shows the output; the SHA-256 equals a local run', async ({ page }) => {
  await openWorkbench(page);
  await useServer(page, serve.url, API_KEY);
  await selectModel(page, 'brmangue');
  await dropInput(page);
  await setParam(page, 'end_time', '120');

  await page.getByTestId('run-button').click();
  // Live progress from the job, polled: running, step k of 120.
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-status', 'running');
  await expect(page.getByTestId('step-counter')).toHaveText(/^step ([1-9]\d*) \/ 120$/);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'completed', { timeout: 120_000 });
  await expect(page.getByTestId('server-status')).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId('step-counter')).toHaveText('step 120 / 120');

  const shown = (await page.getByTestId('output-sha256').textContent()) ?? '';
  expect(shown).toMatch(/^[0-9a-f]{64}$/);
  const job = await (await fetch(`${serve.url}/jobs?limit=1`, { headers: { 'x-api-key': API_KEY } })).json();
  const server = job.experiments[0];
  expect(server.status).toBe('completed');
  expect(server.output_sha256).toBe(shown);
  expect(server.input_sha256).toBe(sha256(readSample(INPUT)));

  // The map draws the output.
  const map = page.getByTestId('map');
  await expect(map).toHaveAttribute('data-shown', 'output');
  await expect(map).toHaveAttribute('data-idle', 'true');
  await expect(page.getByTestId('legend')).toBeVisible();

  // The record shown (and downloadable) is the server's record.json, byte for byte.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-record').click()]);
  const recordText = readFileSync((await download.path())!, 'utf8');
  const fromServer = await (
    await fetch(`${serve.url}/download?proxy=true&uri=${encodeURIComponent(server.record_path)}`, { headers: { 'x-api-key': API_KEY } })
  ).text();
  expect(recordText).toBe(fromServer);
  const record = JSON.parse(recordText);
  expect(record.experiment_id).toBe(server.experiment_id);
  expect(record.source.uri).toMatch(/^s3:\/\/dissmodel-inputs\/inputs\/workbench\//);
  expect(record.metrics.attempts).toBe(1);

  // Kept in the history like a local run, without the key anywhere.
  const item = page.locator(`[data-testid="history-item"][data-id="${server.experiment_id}"]`);
  await expect(item).toHaveCount(1);
  expect(recordText).not.toContain(API_KEY);

  // The same record run in the page gives the same bytes.
  await page.getByTestId('run-target-local').check();
  expect(await runAndWait(page)).toBe('completed');
  await expect(page.getByTestId('output-sha256')).toHaveText(shown);
});

test('Run on server: a wrong key, an unreachable server and a cancel each say what happened', async ({ page }) => {
  await openWorkbench(page);
  await useServer(page, serve.url, 'not-the-key');
  await selectModel(page, 'brmangue');
  await dropInput(page);
  await setParam(page, 'end_time', '2000');
  expect(await runAndWait(page)).toBe('failed');
  await expect(page.getByTestId('run-error')).toContainText('The server refused the API key (401');

  await useServer(page, 'http://127.0.0.1:9', API_KEY);
  expect(await runAndWait(page)).toBe('failed');
  await expect(page.getByTestId('run-error')).toContainText('Cannot reach the server at http://127.0.0.1:9');
  await expect(page.getByTestId('run-error')).toContainText(`DISSMODEL_CORS_ORIGINS=http://127.0.0.1:${E2E_PORT}`);

  await useServer(page, serve.url, API_KEY);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('step-counter')).toHaveText(/^step ([1-9]\d*) \/ 2000$/);
  await page.getByTestId('cancel-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByTestId('run-cancelled')).toContainText('cancelled on the server');
});

test('a sweep on the server: every run a job, one table; equal parameters give equal bytes', async ({ page }) => {
  await openWorkbench(page);
  await useServer(page, serve.url, API_KEY);
  await selectModel(page, 'game_of_life');
  await dropFile(page, 'gol_glider_64x64.tif', readSample('gol_glider_64x64.tif'), 'image/tiff');
  await expect(page.getByTestId('dataset-sha256')).toHaveText(/^[0-9a-f]{64}$/);
  await page.locator('.sweep-details > summary').click();
  await expect(page.getByTestId('sweep-panel')).toContainText('on the server');
  await page.getByTestId('sweep-values-end_time').fill('5, 10, 5');
  await page.getByTestId('sweep-run').click();
  await expect(page.getByTestId('sweep-progress')).toHaveText('3 / 3 runs', { timeout: 120_000 });
  const rows = page.getByTestId('sweep-row');
  expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')))).toEqual(['completed', 'completed', 'completed']);
  const shas = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-sha') ?? ''));
  expect(shas[0]).toMatch(/^[0-9a-f]{64}$/);
  expect(shas[2]).toBe(shas[0]);
  expect(shas[1]).not.toBe(shas[0]);
  const list = await (await fetch(`${serve.url}/jobs?limit=100`, { headers: { 'x-api-key': API_KEY } })).json();
  const done = list.experiments.filter((e: { model_name: string; status: string }) => e.model_name === 'game_of_life');
  expect(done.map((e: { output_sha256: string }) => e.output_sha256).sort()).toEqual([...shas].sort());

  // The same sweep in the page gives the same table of checksums.
  await page.getByTestId('run-target-local').check();
  await page.getByTestId('sweep-run').click();
  await expect(page.getByTestId('sweep-run')).toBeEnabled({ timeout: 120_000 });
  await expect(page.getByTestId('sweep-panel')).not.toContainText('on the server');
  await expect
    .poll(() => rows.evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-status')} ${tr.getAttribute('data-sha')}`)), {
      timeout: 120_000,
    })
    .toEqual(shas.map((s) => `completed ${s}`));
});
