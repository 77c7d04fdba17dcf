/**
 * The vector formats in the real page (production build, CSP on): a zipped Shapefile, a
 * GeoPackage and a FlatGeobuf dropped on the drop zone load in the worker (sql.js's wasm
 * bundled, no network) and show their format, features, columns and CRS; the bundled
 * csAC.zip sample opens by URL; a hostile zip is refused next to the input.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeGeoPackage } from '../src/io/geopackage-write.ts';
import { readShapefileZip } from '../src/io/shapefile.ts';
import { generators } from '../tests/corpus/build.ts';
import { acceptConsent, dropFile, openWorkbench, ROOT, selectModel } from './helpers.ts';

const fixture = (p: string) => new Uint8Array(readFileSync(join(ROOT, 'tests/fixtures', p)));

test('a zipped Shapefile, a GeoPackage and a FlatGeobuf load in the page; a zip bomb is refused', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await openWorkbench(page);
  await selectModel(page, 'game_of_life');
  const panel = page.getByTestId('dataset-panel');

  const zip = fixture('formats/acre_row0-9.zip');
  await dropFile(page, 'acre_row0-9.zip', zip);
  await expect(panel.getByTestId('dataset-name')).toHaveText('acre_row0-9.zip');
  await expect(panel.getByTestId('dataset-format')).toHaveText('Shapefile (zipped) (vector)');
  await expect(panel.getByTestId('dataset-grid')).toHaveText('121 (Polygon)');
  await expect(panel.getByTestId('dataset-fields')).toContainText('dist_riobr');
  await expect(panel.getByTestId('dataset-crs')).toContainText('SAD_1969_Brazil_Polyconic (stated as WKT, no EPSG code');

  const gpkg = await writeGeoPackage(readShapefileZip(zip));
  await dropFile(page, 'acre.gpkg', gpkg);
  await expect(panel.getByTestId('dataset-name')).toHaveText('acre.gpkg');
  await expect(panel.getByTestId('dataset-format')).toHaveText('GeoPackage (vector)');
  await expect(panel.getByTestId('dataset-grid')).toHaveText('121 (Polygon)');

  await dropFile(page, 'acre.fgb', fixture('formats/acre_row0-9.fgb'));
  await expect(panel.getByTestId('dataset-name')).toHaveText('acre.fgb');
  await expect(panel.getByTestId('dataset-format')).toHaveText('FlatGeobuf (vector)');
  await expect(panel.getByTestId('dataset-crs')).toContainText('29101');

  await dropFile(page, 'bomb.zip', generators['shp-zip-bomb']());
  await expect(panel.getByTestId('dataset-error')).toContainText(/declare 4,294,967,476 bytes uncompressed/);

  await page.getByTestId('url-input').fill(new URL('samples/csAC.zip', page.url()).href);
  await page.getByTestId('url-load').click();
  await acceptConsent(page); // typed as a URL (on this loopback host), not picked as a sample: the page asks first
  await expect(panel.getByTestId('dataset-name')).toHaveText('csAC.zip');
  await expect(panel.getByTestId('dataset-grid')).toHaveText('6,574 (Polygon)');
  expect(errors).toEqual([]);
});
