/**
 * Seeded synthetic inputs for the benchmark: the same bytes every run.
 * Pure (no Node, no DOM): imported by the Node bench and the browser worker.
 */
import type { RasterDataset } from '../src/sim/dataset.ts';
import { SeededRandom } from '../src/sim/random.ts';

export type BenchModel = 'game_of_life' | 'forest_fire' | 'flood_benchmark' | 'brmangue';
export const BENCH_MODELS: readonly BenchModel[] = ['game_of_life', 'forest_fire', 'flood_benchmark', 'brmangue'];

const TRANSFORM = { originX: 500000, originY: 9700000, pixelWidth: 30, pixelHeight: 30 };
const EPSG = 31983;

/** A random 0/1 field (30 % alive) for Game of Life. */
export function golInput(size: number, seed = 1): RasterDataset {
  const rng = new SeededRandom(seed);
  const state = new Uint8Array(size * size);
  for (let i = 0; i < state.length; i++) state[i] = rng.next() < 0.3 ? 1 : 0;
  return {
    kind: 'raster',
    width: size,
    height: size,
    transform: TRANSFORM,
    epsg: EPSG,
    bands: [{ name: 'state', dtype: 'uint8', data: state, nodata: null }],
  };
}

/** Forest (0) with 0.1 % burning cells (1) and 5 % burned (2, firebreaks). */
export function fireInput(size: number, seed = 2): RasterDataset {
  const rng = new SeededRandom(seed);
  const state = new Uint8Array(size * size);
  for (let i = 0; i < state.length; i++) {
    const u = rng.next();
    state[i] = u < 0.001 ? 1 : u < 0.051 ? 2 : 0;
  }
  return {
    kind: 'raster',
    width: size,
    height: size,
    transform: TRANSFORM,
    epsg: EPSG,
    bands: [{ name: 'state', dtype: 'uint8', data: state, nodata: null }],
  };
}

/**
 * A coast: sea columns on the left (uso 3, alt 0, solo 0), then elevation
 * rising inland with seeded noise; mangrove (uso 1, solo 3) in the strip next
 * to the sea, vegetation (uso 2, solo 4) elsewhere. `withSolo` adds the solo
 * band (BR-MANGUE); the flood benchmark reads uso and alt only.
 */
export function coastInput(size: number, withSolo: boolean, steps: number, seed = 3): RasterDataset {
  const rng = new SeededRandom(seed);
  const n = size * size;
  const uso = new Int16Array(n);
  const alt = new Float32Array(n);
  const solo = new Int16Array(n);
  const sea = Math.max(2, Math.floor(size * 0.1));
  const mangrove = Math.max(2, Math.floor(size * 0.05));
  // The same regime at every size and step count: by the last step the sea level
  // (steps × 0.011 m) reaches the elevation of the middle of the land, so the
  // flood front crosses about half the land during the run (the coastal models'
  // work per step grows with the wet area, see bench/README.md).
  const land = size - sea;
  const slope = (steps * 0.011) / Math.max(1, land / 2);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const i = r * size + c;
      if (c < sea) {
        uso[i] = 3;
        alt[i] = 0;
        solo[i] = 0;
      } else {
        alt[i] = Math.fround(0.01 + (c - sea) * slope + rng.next() * 0.02);
        if (c < sea + mangrove) {
          uso[i] = 1;
          solo[i] = 3;
        } else {
          uso[i] = 2;
          solo[i] = 4;
        }
      }
    }
  }
  const bands: RasterDataset['bands'] = [
    { name: 'uso', dtype: 'int16', data: uso, nodata: null },
    { name: 'alt', dtype: 'float32', data: alt, nodata: null },
  ];
  if (withSolo) bands.push({ name: 'solo', dtype: 'int16', data: solo, nodata: null });
  return { kind: 'raster', width: size, height: size, transform: TRANSFORM, epsg: EPSG, bands };
}

export function benchInput(model: BenchModel, size: number, steps: number): RasterDataset {
  switch (model) {
    case 'game_of_life':
      return golInput(size);
    case 'forest_fire':
      return fireInput(size);
    case 'flood_benchmark':
      return coastInput(size, false, steps);
    case 'brmangue':
      return coastInput(size, true, steps);
  }
}

/** A 4096² float32 terrain-like field (smooth + seeded noise) for the I/O figures. */
export function terrainFloat32(size: number, seed = 4): RasterDataset {
  const rng = new SeededRandom(seed);
  const data = new Float32Array(size * size);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      data[r * size + c] = 50 + 30 * Math.sin(r / 97) * Math.cos(c / 131) + rng.next() * 2;
    }
  }
  return {
    kind: 'raster',
    width: size,
    height: size,
    transform: TRANSFORM,
    epsg: EPSG,
    bands: [{ name: 'alt', dtype: 'float32', data, nodata: null }],
  };
}
