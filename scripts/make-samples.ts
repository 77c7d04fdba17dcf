/**
 * Writes the bundled samples in public/samples/ (run: npx tsx scripts/make-samples.ts).
 * Every generated sample is a pure function of this script, so a test can check
 * that the committed files are what it produces. Copied samples come from
 * ../shared (DisSModel's reference inputs and the Ilha do Maranhão example).
 */
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSamples, SAMPLE_MANIFEST } from './samples.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'public/samples');
const shared = join(root, '../shared');

for (const [file, bytes] of Object.entries(buildSamples())) {
  writeFileSync(join(outDir, file), bytes);
  console.log(`wrote ${file} (${bytes.byteLength} bytes)`);
}
const copies: Record<string, string> = {
  'coast_10x14.tif': 'reference/inputs/coast_10x14.tif',
  'coast_10x14.geojson': 'reference/inputs/coast_10x14.geojson',
  'ilha_maranhao_epsg31983.tif': 'samples/ilha_maranhao_epsg31983.tif',
};
for (const [file, from] of Object.entries(copies)) {
  const src = join(shared, from);
  if (existsSync(src)) {
    copyFileSync(src, join(outDir, file));
    console.log(`copied ${file}`);
  } else if (!existsSync(join(outDir, file))) {
    throw new Error(`${src} is missing and public/samples/${file} does not exist`);
  }
}
writeFileSync(join(outDir, 'index.json'), JSON.stringify(SAMPLE_MANIFEST, null, 2) + '\n');
console.log('wrote index.json');
