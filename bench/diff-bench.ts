/**
 * The compare view's difference (src/app/compare/diff.ts) at 4000 × 4000: the cell loops
 * alone, and the whole of what the compare worker does for two GeoTIFF outputs (read both,
 * check the grid, diff). Prints best-of-3 figures; no threshold.
 *
 *   npx tsx bench/diff-bench.ts [size]
 */
import { performance } from 'node:perf_hooks';
import { diffCategorical, diffContinuous } from '../src/app/compare/diff.ts';
import { diffOutputs } from '../src/app/compare/diff-outputs.ts';
import { writeGeoTiff } from '../src/io/geotiff-write.ts';
import { golInput, terrainFloat32 } from './synthetic.ts';

const size = Number(process.argv[2] ?? 4000);

async function best(label: string, f: () => unknown | Promise<unknown>): Promise<void> {
  let ms = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await f();
    ms = Math.min(ms, performance.now() - t);
  }
  console.log(`${label.padEnd(52)} ${ms.toFixed(1).padStart(8)} ms`);
}

const a = golInput(size, 1);
const b = golInput(size, 2);
const ta = terrainFloat32(size, 4);
const tb = terrainFloat32(size, 5);
console.log(`difference of two ${size} × ${size} grids (${((size * size) / 1e6).toFixed(1)} M cells), Node ${process.version}`);
// The floor: one pass comparing the two bands, nothing stored (how loaded the machine is).
await best('baseline: count a[i] !== b[i] (uint8)', () => {
  const x = a.bands[0].data;
  const y = b.bands[0].data;
  let n = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) n++;
  return n;
});
await best('categorical (uint8, changed + from → to table)', () => diffCategorical(a.bands[0].data, b.bands[0].data, null, null));
await best('continuous (float32, b − a and range)', () => diffContinuous(ta.bands[0].data, tb.bands[0].data, null, null));
const file = (ds: typeof a, name: string) => {
  const bytes = writeGeoTiff(ds);
  return { model: 'm', name, sha256: name, bytes };
};
const [fa, fb] = [file(a, 'a.tif'), file(b, 'b.tif')];
await best('worker job: read two deflated GeoTIFFs + grid check + diff', () =>
  diffOutputs(fa, fb, { band: 'state', categoricalBands: ['state'] }),
);
