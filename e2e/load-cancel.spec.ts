/**
 * A slow download can be watched and cancelled: the page shows the bytes that arrived (of the
 * Content-Length), Cancel is enabled while fetching and aborts it, and the page stays usable.
 * The loopback server sends 100 bytes of the file and then nothing.
 */
import { expect, test } from '@playwright/test';
import { deflateSync } from 'fflate';
import { startFaultServer, type FaultServer } from '../tests/fault-server.ts';
import { acceptConsent, openWorkbench, pickSample, readSample, runAndWait, selectModel, setParam, sha256 } from './helpers.ts';

const GOL = 'gol_glider_64x64.tif';
const SIZE = readSample(GOL).length;
let server: FaultServer;
test.beforeAll(async () => {
  server = await startFaultServer();
});
test.afterAll(async () => {
  await server.close();
});

async function stillUsable(page: import('@playwright/test').Page): Promise<void> {
  await selectModel(page, 'game_of_life');
  await pickSample(page, GOL);
  await setParam(page, 'end_time', '2');
  expect(await runAndWait(page)).toBe('completed');
}

test('the URL field: progress in bytes while downloading, Cancel aborts it, the page stays usable', async ({ page }) => {
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  const url = server.url('cors', 'slow', GOL);
  await page.getByTestId('url-input').fill(url);
  await page.getByTestId('url-load').click();
  await expect(page.getByTestId('load-progress')).toHaveText('Waiting for your consent to fetch it…');
  await acceptConsent(page);
  await expect(page.getByTestId('load-progress')).toHaveText(`Downloading: 100 of ${SIZE} bytes (${Math.floor((100 * 100) / SIZE)} %)`);
  await expect(page.getByTestId('load-cancel')).toBeEnabled();
  await page.getByTestId('load-cancel').click();
  await expect(page.getByTestId('dataset-loading')).toHaveCount(0);
  await expect(page.getByTestId('dataset-error')).toHaveCount(0);
  expect(server.hits.get(new URL(url).pathname)).toBe(1);
  await stillUsable(page);
});

test('a share link: the banner shows the download and its Cancel stops it; nothing runs', async ({ page }) => {
  const url = server.url('cors', 'slow', 'flood_8x10.tif');
  const link =
    'run=' +
    Buffer.from(
      deflateSync(
        new TextEncoder().encode(
          JSON.stringify({
            v: 1,
            model: 'game_of_life',
            code_version: '0.1.0',
            parameters: { end_time: 3 },
            band_map: {},
            column_map: {},
            input_format: 'auto',
            source: { uri: url, sha256: sha256(readSample('flood_8x10.tif')), name: 'flood_8x10.tif' },
            expected_output_sha256: '',
            embedded: null,
          }),
        ),
      ),
    ).toString('base64url');
  await page.goto(`/#${link}`);
  await expect(page.getByTestId('reproduce-progress')).toHaveText('Waiting for your consent to fetch it…');
  await expect(page.getByTestId('reproduce-cancel')).toBeEnabled();
  await acceptConsent(page);
  const size = readSample('flood_8x10.tif').length;
  await expect(page.getByTestId('reproduce-progress')).toHaveText(
    `Downloading: 100 of ${size} bytes (${Math.floor((100 * 100) / size)} %)`,
  );
  await page.getByTestId('reproduce-cancel').click();
  await expect(page.getByTestId('link-error')).toHaveText('Cancelled: the input of the share link was not loaded; nothing was run.');
  await expect(page.getByTestId('reproduce-cancel')).toHaveCount(0);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'idle');
  await page.getByTestId('reproduce-banner').getByRole('button', { name: 'Dismiss' }).click();
  await stillUsable(page);
});
