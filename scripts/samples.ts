/**
 * The generated bundled samples, as pure functions of this file: the GoL start
 * grids of DisSModel's reference runs, a forest for the fire models and the
 * benchmark flood grid. make-samples.ts writes them; a test checks that the
 * committed files in public/samples are exactly these bytes.
 */
import { readFileSync } from 'node:fs';
import { writeGeoJson } from '../src/io/geojson.ts';
import { writeGeoTiff } from '../src/io/geotiff-write.ts';
import type { RasterBand, RasterDataset } from '../src/sim/dataset.ts';
import { SeededRandom } from '../src/sim/random.ts';
import { rasterToGridOrder, vectorGrid } from '../src/sim/vector.ts';

const ref = (name: string) => JSON.parse(readFileSync(new URL(`../tests/reference/${name}`, import.meta.url), 'utf8'));

export interface SampleEntry {
  file: string;
  title: string;
  description: string;
  kind: 'raster' | 'vector';
  models: string[];
  /** Extra inputs bundled with this dataset, by parameter (e.g. demand_csv → the demand CSV's file here). */
  inputs?: Record<string, string>;
}

/** dissmodel-ca's catalogue (src/models/ca): each runs on both empty grids. */
const CA_MODELS = [
  'anneal',
  'growth',
  'propagation',
  'snow',
  'excitable',
  'oscillator',
  'parasit',
  'parity',
  'interspecific_competition',
  'solid_diffusion',
  'wolfram',
];

export const SAMPLE_MANIFEST: SampleEntry[] = [
  {
    file: 'gol_glider_64x64.tif',
    title: 'Glider + R-pentomino, 64×64',
    description: 'Game of Life start grid of DisSModel’s reference run (uint8 band state).',
    kind: 'raster',
    models: ['game_of_life', 'abm_schelling', 'abm_peripherisation'],
  },
  {
    file: 'gol_random_512x512.tif',
    title: 'Random soup, 512×512',
    description: '30 % live cells (seed 42): a large Game of Life grid.',
    kind: 'raster',
    models: ['game_of_life'],
  },
  {
    file: 'gol_random_20x20.geojson',
    title: 'Vector grid 20×20',
    description: 'DisSModel’s benchmark start state as 400 square polygons with a state column.',
    kind: 'vector',
    models: ['game_of_life', 'forest_fire', 'forest_fire_prob', 'abm_schelling', 'abm_peripherisation'],
  },
  {
    file: 'fire_forest_50x50.tif',
    title: 'Forest with fires, 50×50',
    description: 'Forest (0) with 2 % burning cells (1), seed 7.',
    kind: 'raster',
    models: ['forest_fire', 'forest_fire_prob'],
  },
  {
    file: 'flood_8x10.tif',
    title: 'Benchmark flood grid, 8×10',
    description: 'DisSModel’s inline flood benchmark start: uso and alt.',
    kind: 'raster',
    models: ['flood_benchmark'],
  },
  {
    file: 'coast_10x14.tif',
    title: 'Synthetic coast, 10×14',
    description: 'BR-MANGUE reference coast: uso, alt, solo (float32, EPSG:31984).',
    kind: 'raster',
    models: ['brmangue', 'flood_benchmark'],
  },
  {
    file: 'coast_10x14.geojson',
    title: 'Synthetic coast, 140 polygons',
    description: 'The same coast as square polygons with uso, alt, solo.',
    kind: 'vector',
    models: ['brmangue', 'flood_benchmark'],
  },
  {
    file: 'ilha_maranhao_epsg31983.tif',
    title: 'Ilha do Maranhão, 405×418',
    description: 'Real coastal grid (~100 m, EPSG:31983, int16 uso/alt/solo) from DisSModel’s coastal-dynamics examples (MIT).',
    kind: 'raster',
    models: ['brmangue', 'flood_benchmark'],
  },
  {
    file: 'csAC.zip',
    title: 'Acre LUCC cellular space, 6,574 cells',
    description:
      'LuccME Lab1 benchmark (zipped Shapefile): 89×165 grid of 5 km cells with row/col, land-use fractions f, d, outros and drivers; from DisSModel/disslucc-continuous 4f5771f (GPL-3.0 data). Its .prj (SAD69 Polyconic) does not match its coordinates and is never used to reproject.',
    kind: 'vector',
    models: ['lucc_raster', 'lucc_vector', 'lucc_validation'],
    inputs: { demand_csv: 'examples_demand_lab1.csv', terrame_reference: 'LUCCME_Lab1_2014.zip' },
  },
  {
    file: 'clue_s_12x10.geojson',
    title: 'CLUE-S cells, 12×10',
    description:
      'A small discrete land-use space for clue_s_vector: 0/1 columns f, d, o and the six Moju drivers (seeded uniform values in [0, 0.05)), with a 6-step demand.',
    kind: 'vector',
    models: ['clue_s_vector'],
    inputs: { demand_csv: 'clue_s_demand_12x10.csv' },
  },
  {
    file: 'ca_grid_42x27.geojson',
    title: 'Empty cellular space, 42×27 polygons',
    description:
      'A vector_grid of 1,134 square cells (100 m, EPSG:31983) with state 0: the grid for dissmodel-ca’s models (big enough for Excitable’s and Parity’s fixed seeds).',
    kind: 'vector',
    models: CA_MODELS,
  },
  {
    file: 'ca_grid_50x50.tif',
    title: 'Empty cellular space, 50×50 raster',
    description: 'DisSModel’s canonical 50×50 grid for dissmodel-ca’s models as a uint8 state band of zeros (100 m, EPSG:31983).',
    kind: 'raster',
    models: CA_MODELS,
  },
  {
    file: 'abm_flock_8x8.geojson',
    title: 'Sheep and wolves, 8×8',
    description:
      'The 20 sheep and 6 wolves (Points with kind and energy, local coordinates 0–8) of DisSModel’s predator–prey reference run; for the agent models (bounds 0 0 8 8 keep them in).',
    kind: 'vector',
    models: ['abm_predator_prey', 'abm_random_walk'],
  },
];

/** São Luís area in SIRGAS 2000 / UTM 23S — where the generated grids are placed. */
const ORIGIN = { x: 580000, y: 9720000, epsg: 31983 };

function raster(width: number, height: number, cell: number, bands: RasterBand[]): RasterDataset {
  return {
    kind: 'raster',
    width,
    height,
    bands,
    epsg: ORIGIN.epsg,
    transform: { originX: ORIGIN.x, originY: ORIGIN.y, pixelWidth: cell, pixelHeight: cell },
  };
}

function liveGrid(rows: number, cols: number, live: number[][]): Uint8Array {
  const a = new Uint8Array(rows * cols);
  for (const [r, c] of live) a[r * cols + c] = 1;
  return a;
}

/**
 * A 12 × 10 grid for CLUE-S: the six Moju drivers drawn uniform in [0, 0.05) (seed 13); the
 * 20 cells where DisSModel's Moju deforestation logit exceeds the forest one most are d,
 * two are o, the rest f; demand: 3 cells a step from f to d over 6 steps.
 */
function clueSGrid() {
  const drivers = ['media_decl', 'dist_area_', 'dist_br', 'dist_curua', 'dist_rios_', 'dist_estra'];
  const bf = [-0.0272710076327129, 4.30977432375496, 3.10319957497883, 0.445414024051873, 47.3556329553235, 38.4966894254506];
  const bd = [0.0581358851690861, -0.974998890251365, -2.51650696123426, -1.26742746441679, -40.3646901047482, -23.0841140199094];
  const grid = vectorGrid({ cols: 12, rows: 10, resolution: 100, originX: ORIGIN.x, originY: ORIGIN.y - 1000, epsg: ORIGIN.epsg });
  const rng = new SeededRandom(13);
  const n = grid.features.length;
  const x = grid.features.map(() => drivers.map(() => Math.round(rng.next() * 50000) / 1e6));
  const margin = x.map((v, k) => ({ k, m: v.reduce((a, xi, j) => a + (bd[j] - bf[j]) * xi, 0) }));
  margin.sort((a, b) => b.m - a.m || a.k - b.k);
  const use = new Array<string>(n).fill('f');
  margin.slice(0, 20).forEach(({ k }) => (use[k] = 'd'));
  margin.slice(n - 2).forEach(({ k }) => (use[k] = 'o'));
  grid.features.forEach((f, k) => {
    drivers.forEach((d, j) => (f.properties[d] = x[k][j]));
    for (const lu of ['f', 'd', 'o']) f.properties[lu] = use[k] === lu ? 1 : 0;
  });
  grid.columns.push(...drivers, 'f', 'd', 'o');
  const rows = ['f,d,o'];
  for (let t = 0; t < 6; t++) rows.push(`${n - 22 - 3 * t},${20 + 3 * t},2`);
  return { grid, demand: rows.join('\n') + '\n' };
}

export function buildSamples(): Record<string, Uint8Array> {
  const gol = ref('gol.json').cases as Array<{ rows: number; cols: number; initial_live: number[][] }>;
  const glider = gol[0];
  const soup = new SeededRandom(42);
  const big = new Uint8Array(512 * 512);
  for (let i = 0; i < big.length; i++) big[i] = soup.next() < 0.3 ? 1 : 0;
  const fire = new SeededRandom(7);
  const forest = new Uint8Array(50 * 50);
  for (let i = 0; i < forest.length; i++) forest[i] = fire.next() < 0.02 ? 1 : 0;
  const flood = ref('flood_benchmark_inline.json');
  const bench = gol[2];
  const benchState = liveGrid(bench.rows, bench.cols, bench.initial_live);
  const grid = vectorGrid({
    cols: bench.cols,
    rows: bench.rows,
    resolution: 100,
    originX: ORIGIN.x,
    originY: ORIGIN.y - bench.rows * 100,
    epsg: ORIGIN.epsg,
  });
  // vector_grid is column-major with row 0 at the bottom; the reference grid is row-major from the top.
  const state = rasterToGridOrder(benchState, bench.rows, bench.cols);
  grid.features.forEach((f, k) => (f.properties.state = state[k]));
  grid.columns.push('state');
  const caGrid = vectorGrid({
    cols: 42,
    rows: 27,
    resolution: 100,
    originX: ORIGIN.x,
    originY: ORIGIN.y - 27 * 100,
    epsg: ORIGIN.epsg,
    attrs: { state: 0 },
  });
  const clueS = clueSGrid();
  return {
    'ca_grid_42x27.geojson': writeGeoJson(caGrid),
    'ca_grid_50x50.tif': writeGeoTiff(raster(50, 50, 100, [{ name: 'state', dtype: 'uint8', data: new Uint8Array(2500), nodata: null }])),
    'clue_s_12x10.geojson': writeGeoJson(clueS.grid),
    'clue_s_demand_12x10.csv': new TextEncoder().encode(clueS.demand),
    'gol_glider_64x64.tif': writeGeoTiff(
      raster(glider.cols, glider.rows, 100, [
        { name: 'state', dtype: 'uint8', data: liveGrid(glider.rows, glider.cols, glider.initial_live), nodata: null },
      ]),
    ),
    'gol_random_512x512.tif': writeGeoTiff(raster(512, 512, 30, [{ name: 'state', dtype: 'uint8', data: big, nodata: null }])),
    'gol_random_20x20.geojson': writeGeoJson(grid),
    'fire_forest_50x50.tif': writeGeoTiff(raster(50, 50, 100, [{ name: 'state', dtype: 'uint8', data: forest, nodata: null }])),
    'flood_8x10.tif': writeGeoTiff(
      raster(flood.cols, flood.rows, 100, [
        { name: 'uso', dtype: 'int16', data: Int16Array.from((flood.initial.uso as number[][]).flat()), nodata: null },
        { name: 'alt', dtype: 'float32', data: Float32Array.from((flood.initial.alt as number[][]).flat()), nodata: null },
      ]),
    ),
    'abm_flock_8x8.geojson': flock(),
  };
}

/** The initial agents of abm_predator_prey.json's second case as a layer of Points (kind, energy), ids in feature order. */
function flock(): Uint8Array {
  const rows = ref('abm_predator_prey.json').cases[1].initial as [number, number, number, string, number][];
  return writeGeoJson({
    kind: 'vector',
    epsg: null,
    columns: ['kind', 'energy'],
    features: rows.map(([, x, y, kind, energy]) => ({
      id: null,
      geometry: { type: 'Point', coordinates: [x, y] },
      properties: { kind, energy },
    })),
  });
}
