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
 * edges: the fast grid path, no neighbour lists). A raster output keeps the input's
 * georeferencing and the state band's type and nodata (uint8 without nodata after a
 * random fill); cells holding a nodata value other than 0/1/2 are refused.
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
import { ExecutorRegistry } from '../../executor/registry.ts';
import type { RasterDataset, VectorDataset } from '../../sim/dataset.ts';
import {
  defineSpec,
  endTime,
  rasterWhere,
  rasterOutput,
  readStateBand,
  readStates,
  RULE_RUNS,
  SimulationExecutor,
  startTime,
  VECTOR_OUTPUT,
  vectorOutput,
  vectorWhere,
  type ParamsOf,
  type Sim,
} from '../kit/index.ts';
import { FIRE_STATES, fireRandom, type FireRandom } from './kernel.ts';
import { ForestFireProb, type FireTopology } from './model.ts';

const STATE = { name: 'state', description: 'cell state: 0 forest, 1 burning, 2 burned', categories: { ...FIRE_STATES } };

const spec = defineSpec({
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
  bands: [{ ...STATE, position: 1 }],
  columns: [STATE],
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
    start_time: startTime(),
    end_time: endTime(10, RULE_RUNS),
  },
  output: VECTOR_OUTPUT,
  stochastic: true,
  displayLayer: 'state',
});
export type FireParams = ParamsOf<typeof spec.params>;

export class ForestFireProbExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override async runVector(ds: VectorDataset, p: FireParams, sim: Sim) {
    const rnd = this.random(p, sim);
    const cells = sim.cells(ds, p.initial_fire_density > 0 ? [] : undefined); // a random fill needs no state column
    const initial = this.initial(p, rnd, sim, cells.size, () =>
      readStates(cells.column('state'), 'state', FIRE_STATES, vectorWhere(cells)),
    );
    const queen = cells.neighborhood('queen');
    sim.log(`Queen neighbourhood: ${cells.size} cells, ${queen.neighbors.length / 2} neighbour pairs`);
    const run = await this.simulate({ kind: 'csr', csr: queen }, initial, p, rnd, sim);
    return vectorOutput(cells, { state: run.model.state }, run);
  }

  protected override async runRaster(ds: RasterDataset, p: FireParams, sim: Sim) {
    const rnd = this.random(p, sim);
    const input = p.initial_fire_density > 0 ? null : sim.bands(ds); // a random fill reads no band: uint8 out, no nodata
    const initial = this.initial(p, rnd, sim, ds.width * ds.height, () =>
      readStateBand(input!.get('state'), 'state', FIRE_STATES, rasterWhere(ds.width), 'The forest fire'),
    );
    const run = await this.simulate({ kind: 'grid', rows: ds.height, cols: ds.width }, initial, p, rnd, sim);
    return rasterOutput(input ?? ds, { state: run.model.state }, run);
  }

  private random(p: FireParams, sim: Sim): FireRandom {
    sim.log(`Random stream: ${p.rng === 'python' ? 'CPython random.seed' : 'SeededRandom'}(${p.seed})`);
    return fireRandom(p.rng, p.seed);
  }

  /** The input's states, or with initial_fire_density > 0 a random fill from the run's stream. */
  private initial(p: FireParams, rnd: FireRandom, sim: Sim, n: number, read: () => Uint8Array): Uint8Array {
    if (p.initial_fire_density === 0) return read();
    sim.log(`Filled 'state' at random: initial_fire_density=${p.initial_fire_density}`);
    return rnd.fill(n, p.initial_fire_density);
  }

  private simulate(topology: FireTopology, initial: Uint8Array, p: FireParams, rnd: FireRandom, sim: Sim) {
    const probabilities = { probCombustion: p.prob_combustion, probRegrowth: p.prob_regrowth };
    const show = (m: ForestFireProb) => `forest=${m.counts.forest} burning=${m.counts.burning} burned=${m.counts.burned}`;
    return sim.simulate({
      start: p.start_time,
      end: p.end_time,
      build: (env) => {
        const model = new ForestFireProb(env, topology, initial, probabilities, rnd.random);
        sim.log(`Initial: ${show(model)}`);
        return model;
      },
      layer: (m) => m.state,
      summary: (m) => ({ ...m.counts }),
      done: show,
    });
  }
}
