/**
 * `forest_fire_prob`: the probabilistic forest fire of dissmodel-ca
 * (FireModelProb). States FOREST 0, BURNING 1, BURNED 2; per tick, synchronously:
 *   FOREST  → BURNING if any neighbour burns, else BURNING with prob_combustion;
 *   BURNING → BURNED;
 *   BURNED  → FOREST with prob_regrowth.
 *
 * Input: a GeoJSON polygon layer with a `state` column (column_map renames a
 * column to `state` first, as DisSModel's executors do;
 * Queen neighbourhood from the geometry, cells in feature order), or a GeoTIFF
 * with a `state` band (cells in row-major order, Moore neighbourhood, fixed
 * edges: the fast grid path, no neighbour lists).
 *
 * Randomness (`seed` is always recorded):
 *  - rng = python (default): CPython's global `random` after `random.seed(seed)`
 *    (MT19937, bit for bit). With initial_fire_density = d > 0 the state is first
 *    filled as DisSModel's fill(RANDOM_SAMPLE, {FOREST: 1-d, BURNING: d}, seed):
 *    random.choices([0, 1], [1-d, d], k=n) in cell order; the rule's draws
 *    (random.random() <= p, one per FOREST cell without a burning neighbour and
 *    per BURNED cell, in cell order) continue the same stream. Only this
 *    combination on a vector layer in DisSModel's feature order reproduces a
 *    DisSModel run; on a raster the same stream is consumed in row-major order,
 *    which is deterministic but has no Python counterpart.
 *  - rng = fast: the workbench's SeededRandom (xoshiro128** seeded via
 *    splitmix32; one 32-bit float next() = u32 / 2^32 per draw; the fill puts
 *    BURNING where next() >= 1 - d). Reproducible in every JS host, not Python.
 */
import type { RunContext } from '../../executor/context.ts';
import type { CanonicalField, ExecutorSpec } from '../../executor/executor.ts';
import { addLog, type ExperimentRecord } from '../../executor/record.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import { selectBands } from '../../io/dataset.ts';
import { applyColumnMap } from '../../io/geojson.ts';
import type { Dataset, RasterDataset, VectorDataset } from '../../sim/dataset.ts';
import { PythonRandom, SeededRandom } from '../../sim/random.ts';
import { Environment } from '../../sim/scheduler.ts';
import { VectorGrid } from '../../sim/vector.ts';
import { emptySeries, FrameRecorder, pushSeries, type SimOutput } from '../../sim/output.ts';
import { SimulationExecutor } from '../common/simulation-executor.ts';
import { rasterStates, vectorStates } from '../game-of-life/state-column.ts';
import { BURNING, FIRE_STATES, FOREST } from './kernel.ts';
import { ForestFireProb, type FireTopology } from './model.ts';

export interface FireParams {
  prob_combustion: number;
  prob_regrowth: number;
  initial_fire_density: number;
  rng: 'python' | 'fast';
  seed: number;
  start_time: number;
  end_time: number;
}

/** A uniform [0, 1) source and the matching initial fill for the chosen generator. */
export interface FireRandom {
  random: () => number;
  /** n cells, BURNING with probability d, else FOREST. */
  fill: (n: number, d: number) => Uint8Array;
}

export function fireRandom(kind: 'python' | 'fast', seed: number): FireRandom {
  if (kind === 'python') {
    const py = new PythonRandom(seed);
    return {
      random: () => py.random(),
      fill: (n, d) => Uint8Array.from(py.choices([FOREST, BURNING], [1 - d, d], n)),
    };
  }
  const sr = new SeededRandom(seed);
  return {
    random: () => sr.next(),
    fill: (n, d) => {
      const out = new Uint8Array(n);
      const forest = 1 - d;
      for (let i = 0; i < n; i++) out[i] = sr.next() < forest ? FOREST : BURNING;
      return out;
    },
  };
}

const STATE_FIELD: CanonicalField = {
  name: 'state',
  description: 'cell state: 0 forest, 1 burning, 2 burned',
  position: 1,
  categories: { ...FIRE_STATES },
};

export class ForestFireProbExecutor extends SimulationExecutor {
  static readonly spec: ExecutorSpec = {
    name: 'forest_fire_prob',
    title: 'Forest fire (probabilistic)',
    description:
      'The probabilistic forest fire of dissmodel-ca (FireModelProb): a forest cell catches fire from a burning neighbour, ' +
      'or spontaneously with prob_combustion; a burning cell burns out; a burned cell regrows with prob_regrowth. ' +
      "Vector input: Queen neighbourhood from the geometry, GeoJSON out; with rng=python it reproduces DisSModel's " +
      "random stream (Python's random.seed(seed)). Raster input: Moore neighbourhood in row-major order, GeoTIFF out.",
    family: 'Cellular automata',
    inputs: ['vector', 'raster'],
    sample: 'sample:gol_random_20x20.geojson',
    bands: [STATE_FIELD],
    columns: [{ name: STATE_FIELD.name, description: STATE_FIELD.description, categories: { ...FIRE_STATES } }],
    params: {
      prob_combustion: {
        type: 'float',
        default: 0.001,
        min: 0,
        max: 1,
        step: 0.001,
        description: 'Probability per tick that a forest cell with no burning neighbour catches fire (random() <= p).',
      },
      prob_regrowth: {
        type: 'float',
        default: 0.1,
        min: 0,
        max: 1,
        step: 0.01,
        description: 'Probability per tick that a burned cell becomes forest again (random() <= p).',
      },
      initial_fire_density: {
        type: 'float',
        default: 0,
        min: 0,
        max: 1,
        step: 0.01,
        description:
          "0 keeps the input's state. d > 0 first fills every cell as DisSModel's fill(RANDOM_SAMPLE, {forest: 1-d, burning: d}, seed), from the same random stream the rule then continues.",
      },
      rng: {
        type: 'enum',
        default: 'python',
        options: ['python', 'fast'],
        description:
          "python: CPython's random (MT19937) seeded with random.seed(seed), bit-for-bit DisSModel on vector layers. fast: the workbench's xoshiro128** stream (not Python's).",
      },
      seed: { type: 'seed', description: 'Seed of the random stream; drawn and recorded when not given.' },
      start_time: { type: 'int', default: 1, min: 0, max: 1_000_000, description: 'First tick (inclusive).' },
      end_time: {
        type: 'int',
        default: 10,
        min: 0,
        max: 1_000_000,
        description: 'Last tick (inclusive); the rule runs end_time − start_time + 1 times.',
      },
    },
    output: { kind: 'vector', extension: 'geojson', mediaType: 'application/geo+json' },
    stochastic: true,
    displayLayer: 'state',
  };
  static {
    ExecutorRegistry.register(this);
  }

  async run(data: Dataset | null, record: ExperimentRecord, ctx: RunContext): Promise<SimOutput> {
    const ds = data as Dataset;
    const p = this.params(record) as unknown as FireParams;
    const rnd = fireRandom(p.rng, p.seed);
    addLog(record, `Random stream: ${p.rng === 'python' ? 'CPython random.seed' : 'SeededRandom'}(${p.seed})`);
    return ds.kind === 'vector' ? this.runVector(ds, p, rnd, record, ctx) : this.runRaster(ds, p, rnd, record, ctx);
  }

  private async runVector(
    ds: VectorDataset,
    p: FireParams,
    rnd: FireRandom,
    record: ExperimentRecord,
    ctx: RunContext,
  ): Promise<SimOutput> {
    // As DisSModel's executors: rename the mapped columns to their canonical names first.
    const grid = new VectorGrid(applyColumnMap(ds, record.column_map));
    const column = 'state';
    let initial: Uint8Array;
    if (p.initial_fire_density > 0) {
      initial = rnd.fill(grid.size, p.initial_fire_density);
      addLog(record, `Filled '${column}' at random: initial_fire_density=${p.initial_fire_density}`);
    } else {
      initial = vectorStates(grid, column, FIRE_STATES);
    }
    const neighborhood = grid.neighborhood('queen');
    addLog(record, `Queen neighbourhood: ${grid.size} cells, ${neighborhood.neighbors.length / 2} neighbour pairs`);
    const model = await this.simulate({ kind: 'csr', csr: neighborhood }, initial, p, rnd, record, ctx);
    grid.setColumn(column, model.state);
    return { kind: 'vector', layer: column, frames: model.frames, series: model.series, dataset: grid.toDataset() };
  }

  private async runRaster(
    ds: RasterDataset,
    p: FireParams,
    rnd: FireRandom,
    record: ExperimentRecord,
    ctx: RunContext,
  ): Promise<SimOutput> {
    const rows = ds.height;
    const cols = ds.width;
    let initial: Uint8Array;
    if (p.initial_fire_density > 0) {
      initial = rnd.fill(rows * cols, p.initial_fire_density);
      addLog(record, `Filled 'state' at random: initial_fire_density=${p.initial_fire_density}`);
    } else {
      const band = selectBands(ds, [STATE_FIELD], record.band_map).get('state')!;
      initial = rasterStates(band, cols, FIRE_STATES);
    }
    const model = await this.simulate({ kind: 'grid', rows, cols }, initial, p, rnd, record, ctx);
    return {
      kind: 'raster',
      layer: 'state',
      frames: model.frames,
      series: model.series,
      dataset: {
        kind: 'raster',
        width: cols,
        height: rows,
        transform: ds.transform,
        epsg: ds.epsg,
        bands: [{ name: 'state', dtype: 'uint8', data: model.state, nodata: null }],
      },
    };
  }

  private async simulate(
    topology: FireTopology,
    initial: Uint8Array,
    p: FireParams,
    rnd: FireRandom,
    record: ExperimentRecord,
    ctx: RunContext,
  ) {
    const env = new Environment({ startTime: p.start_time, endTime: p.end_time });
    const model = new ForestFireProb(
      env,
      topology,
      initial,
      { probCombustion: p.prob_combustion, probRegrowth: p.prob_regrowth },
      rnd.random,
    );
    const total = env.stepCount();
    const series = emptySeries();
    const frames = new FrameRecorder(ctx.keepFrames);
    frames.record(p.start_time - 1, model.state);
    const c0 = model.counts;
    addLog(record, `Initial: forest=${c0.forest} burning=${c0.burning} burned=${c0.burned}`);
    addLog(record, `Running steps ${p.start_time} → ${p.end_time}...`);
    let k = 0;
    await env.run(undefined, {
      afterTick: (t) => {
        k++;
        const counts = { ...model.counts };
        pushSeries(series, t, counts);
        frames.record(t, model.state);
        return ctx.tick(k, total, counts);
      },
    });
    const c = model.counts;
    addLog(record, `Simulation complete: forest=${c.forest} burning=${c.burning} burned=${c.burned}`);
    return { state: model.state, series, frames: frames.frames };
  }
}
