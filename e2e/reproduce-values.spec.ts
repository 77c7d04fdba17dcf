/**
 * The reproduce banner, when the checksums differ: choose the original output file and the
 * verdict says what the decoded values do. The record is DisSModel's (tests/reference), naming
 * as its output a GDAL-written file of the same pixels (tests/reference/gdal); the input is the
 * bundled sample with the recorded SHA-256.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openWorkbench, ROOT, sha256 } from './helpers.ts';

const ref = (p: string) => new Uint8Array(readFileSync(join(ROOT, 'tests/reference', p)));
const SAME = ref('gdal/brmangue_coast_10x14_t8_taxa0.5.gdal.tif');
const OTHER = ref('gdal/brmangue_coast_10x14_t8_taxa0.011.gdal.tif');

async function dropOn(page: Page, testId: string, name: string, bytes: Uint8Array, type: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, data, type }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], name, { type }));
      return dt;
    },
    { name, data: Array.from(bytes), type },
  );
  const zone = page.getByTestId(testId);
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
  await dataTransfer.dispose();
}

test("a DisSModel record whose GDAL output has the same pixels: 'pixels match, bytes differ (GDAL's layout …)'", async ({ page }) => {
  const record = JSON.parse(new TextDecoder().decode(ref('dissmodel_cli_record.json')));
  record.artifacts.output = sha256(SAME);
  await openWorkbench(page);
  await dropOn(page, 'record-drop', 'record.json', new TextEncoder().encode(JSON.stringify(record)), 'application/json');
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toContainText(`differs (expected ${sha256(SAME)}`, { timeout: 120_000 });
  await expect(page.getByTestId('compare-original')).toBeVisible();
  // a file that is not the recorded output is not compared
  await page.getByTestId('original-output').setInputFiles({ name: 'other.tif', mimeType: 'image/tiff', buffer: Buffer.from(OTHER) });
  await expect(page.getByTestId('compare-refusal')).toHaveText(
    `other.tif has SHA-256 ${sha256(OTHER)}, not the recorded output's ${sha256(SAME)}; it was not compared.`,
  );
  // the recorded one: decoded and compared with the re-run's output
  await page.getByTestId('original-output').setInputFiles({ name: 'brmangue_out.tif', mimeType: 'image/tiff', buffer: Buffer.from(SAME) });
  await expect(verdict).toHaveText(
    new RegExp(
      `^differs: pixels match, bytes differ \\(GDAL's layout: pixel-interleaved vs band-interleaved \\(planar\\)\\) \\(expected ${sha256(SAME)}, got [0-9a-f]{64}\\)$`,
    ),
  );
  await expect(page.getByTestId('compare-original')).toHaveCount(0);
});

test('a record whose output has other pixels: the cells that differ, per band', async ({ page }) => {
  const record = JSON.parse(new TextDecoder().decode(ref('dissmodel_cli_record.json')));
  record.artifacts.output = sha256(OTHER);
  await openWorkbench(page);
  await dropOn(page, 'record-drop', 'record.json', new TextEncoder().encode(JSON.stringify(record)), 'application/json');
  await expect(page.getByTestId('compare-original')).toBeVisible({ timeout: 120_000 });
  await page.getByTestId('original-output').setInputFiles({ name: 'other.tif', mimeType: 'image/tiff', buffer: Buffer.from(OTHER) });
  await expect(page.getByTestId('verdict')).toContainText(
    'differs: 103 cells differ in band 1 (uso; largest difference 8); 140 cells differ in band 2 (alt; largest difference 4.17',
  );
});
