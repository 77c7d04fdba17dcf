/**
 * dissmodel-abm's four models as executors: `abm_random_walk`, `abm_predator_prey` (point
 * agents; a layer of Points in, or agents placed at random in the bounds; the final agents
 * out as GeoJSON Points, every step kept for the map), `abm_schelling` and
 * `abm_peripherisation` (one agent per cell: of a vector_grid-like grid, of a raster or of a
 * polygon layer; a GeoTIFF out, or the layer with the new column).
 *
 * Seeds, where DisSModel has none: the walks use numpy's legacy global generator, which
 * DisSModel never seeds — here it is `np.random.seed(seed)`'s; Schelling's moves use a new
 * unseeded `default_rng()` every tick — here the k-th is `default_rng(move_seed + k)`.
 * Random placement (no input layer) is `default_rng(placement_seed).uniform(min, max, n)`
 * for all x, then all y, as the reference script places them.
 */
import type { RunContext } from '../../executor/context.ts';
import { ParameterError } from '../../executor/errors.ts';
import type { ExperimentRecord } from '../../executor/record.ts';
import { CellGrid, LayerCells, type Cells } from '../../sim/agent-grid.ts';
import { Agents, MAX_AGENTS, type Bounds } from '../../sim/agents.ts';
import type { RasterDataset, VectorDataset } from '../../sim/dataset.ts';
import { defaultRng } from '../../sim/numpy-generator.ts';
import type { SimOutput } from '../../sim/output.ts';
import { NumpyRandomState } from '../../sim/random.ts';
import {
  defineSpec,
  endTime,
  ExecutorRegistry,
  RASTER_OUTPUT,
  rasterOutput,
  SimulationExecutor,
  startTime,
  VECTOR_OUTPUT,
  vectorOutput,
  type ParamsOf,
  type Recorded,
  type Sim,
} from '../kit/index.ts';
import { agentsOutput, gridRaster, readPointAgents, type AgentAttribute } from './agents-io.ts';
import { Peripherisation } from './peripherisation.ts';
import { KINDS, PredatorPrey, SHEEP, WOLF } from './predator-prey.ts';
import { RandomWalk } from './random-walk.ts';
import { EMPTY, Schelling } from './schelling.ts';

const FAMILY = 'Agent-based models';
const BIG = 1e9;

const coord = (def: number, description: string) => ({ type: 'float', default: def, min: -BIG, max: BIG, description }) as const;
const boundsParams = {
  min_x: coord(0, 'Bounds: smallest x an agent can reach (walks are clipped to the bounds).'),
  min_y: coord(0, 'Bounds: smallest y.'),
  max_x: coord(100, 'Bounds: largest x.'),
  max_y: coord(100, 'Bounds: largest y.'),
} as const;
const walkParams = {
  step_size: {
    type: 'float',
    default: 1,
    min: 0,
    max: BIG,
    description: 'Largest move per axis and tick: dx, dy ~ Uniform(−step_size, step_size).',
  },
  ...boundsParams,
  seed: {
    type: 'seed',
    description: 'Seed of the walks: numpy’s legacy np.random.seed(seed). (DisSModel never seeds it, so its runs are not reproducible.)',
  },
  placement_seed: {
    type: 'seed',
    description: 'Without an input layer: agents are placed by default_rng(placement_seed).uniform(min, max, n), all x then all y.',
  },
} as const;
const agentCount = (def: number, description: string) => ({ type: 'int', default: def, min: 0, max: MAX_AGENTS, description }) as const;

type Coords = { min_x: number; min_y: number; max_x: number; max_y: number };
const boundsOf = (p: Coords): Bounds => [p.min_x, p.min_y, p.max_x, p.max_y];

function checkBounds(p: Coords): void {
  if (!(p.min_x <= p.max_x)) throw new ParameterError(`min_x (${p.min_x}) must not be above max_x (${p.max_x}).`, 'min_x');
  if (!(p.min_y <= p.max_y)) throw new ParameterError(`min_y (${p.min_y}) must not be above max_y (${p.max_y}).`, 'min_y');
}

/** n agents placed by default_rng(seed).uniform over the bounds (all x, then all y). */
function placed(
  n: number,
  p: Coords & { placement_seed: number },
  columns: readonly string[],
  values: (i: number) => Record<string, number>,
): Agents {
  const rng = defaultRng(p.placement_seed);
  const xs = rng.uniformArray(p.min_x, p.max_x, n);
  const ys = rng.uniformArray(p.min_y, p.max_y, n);
  const agents = new Agents(columns, n);
  for (let i = 0; i < n; i++) agents.add(xs[i], ys[i], values(i), i);
  return agents;
}

// ---------------------------------------------------------------------------- random walk

const walkSpec = defineSpec({
  name: 'abm_random_walk',
  title: 'Random walk (agents)',
  description:
    'dissmodel-abm RandomWalkModel: every tick each agent moves by Uniform(−step_size, step_size) in x and in y (all dx, then all dy), ' +
    'clipped to the bounds. Input: a layer of Points (optional; else n_agents placed at random). Output: the agents as GeoJSON Points.',
  family: FAMILY,
  inputs: ['none', 'vector'],
  params: {
    n_agents: agentCount(12, 'Agents to place when there is no input layer.'),
    ...walkParams,
    start_time: startTime(0),
    end_time: endTime(20),
  },
  output: VECTOR_OUTPUT,
  stochastic: true,
  displayLayer: 'id',
});
type WalkParams = ParamsOf<typeof walkSpec.params>;

export class RandomWalkExecutor extends SimulationExecutor<typeof walkSpec.params> {
  static readonly spec = walkSpec;
  static {
    ExecutorRegistry.register(this);
  }

  override validate(record: ExperimentRecord, ctx: RunContext, drawSeed?: () => number): void {
    super.validate(record, ctx, drawSeed);
    checkBounds(this.params(record));
  }

  protected override runNoInput(p: WalkParams, sim: Sim) {
    return this.walk(
      placed(p.n_agents, p, [], () => ({})),
      p,
      sim,
      null,
    );
  }

  protected override runVector(ds: VectorDataset, p: WalkParams, sim: Sim) {
    return this.walk(readPointAgents(ds, [], sim.record.column_map), p, sim, ds.epsg);
  }

  private async walk(agents: Agents, p: WalkParams, sim: Sim, epsg: number | null) {
    const run = await sim.simulate({
      start: p.start_time,
      end: p.end_time,
      build: (env) => new RandomWalk(env, agents, new NumpyRandomState(p.seed), p.step_size, boundsOf(p)),
      layer: (m) => m.agents.pack(),
      note: `${agents.length} agents`,
      done: (_m, steps) => `${steps} steps, ${agents.length} agents`,
    });
    return agentsOutput(agents, [], epsg, run, 'id');
  }
}

// ---------------------------------------------------------------------------- predator–prey

const KIND_COLUMN = { name: 'kind', labels: KINDS, fallback: SHEEP } as const;
const ENERGY_COLUMN = { name: 'energy', fallback: 10 } as const;
const PREY_ATTRIBUTES: readonly AgentAttribute[] = [KIND_COLUMN, ENERGY_COLUMN];

const preySpec = defineSpec({
  name: 'abm_predator_prey',
  title: 'Predator–prey (agents)',
  description:
    'dissmodel-abm PredatorPreyModel: sheep and wolves walk, lose energy (sheep graze), each wolf eats the first sheep it finds within ' +
    'eat_radius, agents with no energy die, agents with energy ≥ reproduce_threshold get a child. Input: a layer of Points with kind ' +
    '(sheep/wolf) and energy (optional; else n_sheep + n_wolves placed at random). Output: the agents as GeoJSON Points; sheep and ' +
    'wolves per tick.',
  family: FAMILY,
  inputs: ['none', 'vector'],
  columns: [
    {
      name: 'kind',
      description: "'sheep' or 'wolf' (missing: sheep)",
      required: false,
      categories: { 0: 'sheep', 1: 'wolf' },
      colors: { 0: '#8fd14f', 1: '#5b4636' },
    },
    { name: 'energy', description: 'Energy (missing: 10)', required: false },
  ],
  params: {
    n_sheep: agentCount(30, 'Sheep to place when there is no input layer.'),
    n_wolves: agentCount(5, 'Wolves to place when there is no input layer.'),
    initial_energy: { type: 'float', default: 10, min: -BIG, max: BIG, description: 'Energy of the placed agents.' },
    ...walkParams,
    eat_radius: {
      type: 'float',
      default: 1,
      min: 0,
      max: BIG,
      description: 'A wolf eats a sheep within this distance (DisSModel’s 64-gon buffer, kept).',
    },
    energy_loss: { type: 'float', default: 1, min: -BIG, max: BIG, description: 'Energy every agent loses per tick.' },
    energy_gain: { type: 'float', default: 5, min: -BIG, max: BIG, description: 'Energy a wolf gains by eating a sheep.' },
    reproduce_threshold: {
      type: 'float',
      default: 15,
      min: -BIG,
      max: BIG,
      description: 'An agent with at least this energy gets a child with half of it (the parent keeps its energy).',
    },
    graze_gain: { type: 'float', default: 0, min: -BIG, max: BIG, description: 'Energy a sheep gains per tick by grazing.' },
    start_time: startTime(0),
    end_time: endTime(20),
  },
  output: VECTOR_OUTPUT,
  stochastic: true,
  displayLayer: 'kind',
});
type PreyParams = ParamsOf<typeof preySpec.params>;

export class PredatorPreyAgentsExecutor extends SimulationExecutor<typeof preySpec.params> {
  static readonly spec = preySpec;
  static {
    ExecutorRegistry.register(this);
  }

  override validate(record: ExperimentRecord, ctx: RunContext, drawSeed?: () => number): void {
    super.validate(record, ctx, drawSeed);
    const p = this.params(record);
    checkBounds(p);
    if (p.n_sheep + p.n_wolves > MAX_AGENTS) throw new ParameterError(`n_sheep + n_wolves is above ${MAX_AGENTS}.`, 'n_sheep');
  }

  protected override runNoInput(p: PreyParams, sim: Sim) {
    const agents = placed(p.n_sheep + p.n_wolves, p, ['kind', 'energy'], (i) => ({
      kind: i < p.n_sheep ? SHEEP : WOLF,
      energy: p.initial_energy,
    }));
    return this.live(agents, p, sim, null);
  }

  protected override runVector(ds: VectorDataset, p: PreyParams, sim: Sim) {
    return this.live(readPointAgents(ds, PREY_ATTRIBUTES, sim.record.column_map), p, sim, ds.epsg);
  }

  private async live(agents: Agents, p: PreyParams, sim: Sim, epsg: number | null) {
    const run = await sim.simulate({
      start: p.start_time,
      end: p.end_time,
      build: (env) =>
        new PredatorPrey(env, agents, new NumpyRandomState(p.seed), {
          stepSize: p.step_size,
          bounds: boundsOf(p),
          eatRadius: p.eat_radius,
          energyLoss: p.energy_loss,
          energyGain: p.energy_gain,
          reproduceThreshold: p.reproduce_threshold,
          grazeGain: p.graze_gain,
        }),
      layer: (m) => m.agents.pack(),
      summary: (m) => ({ sheep: m.sheep, wolves: m.wolves }),
      done: (m, steps) => `${steps} steps; sheep=${m.sheep}, wolves=${m.wolves}`,
    });
    sim.metrics({ sheep: run.model.sheep, wolves: run.model.wolves });
    return agentsOutput(agents, [KIND_COLUMN, ENERGY_COLUMN], epsg, run, 'kind');
  }
}

// ---------------------------------------------------------------------------- grids

/**
 * Where a one-agent-per-cell model runs: a grid of n_cols × n_rows unit cells (no input), the
 * cells of a raster (its georeferencing kept; n_cols/n_rows ignored) or the polygons of a
 * vector layer (feature order, Queen neighbours from shared edges and corners).
 */
type GridSite = {
  cells: Cells;
  note: string;
  output: (values: Int8Array, run: Recorded, band: string) => SimOutput;
  layer: (v: Int8Array) => Int8Array;
};

function unitGrid(nCols: number, nRows: number): GridSite {
  const grid = new CellGrid(nCols, nRows);
  return rasterSite(grid, gridRaster(grid), `${nCols} × ${nRows} cells, Queen`);
}

function rasterGrid(ds: RasterDataset, sim: Sim): GridSite {
  sim.log(`The grid is the raster's ${ds.width} × ${ds.height} cells (n_cols and n_rows are not used).`);
  return rasterSite(new CellGrid(ds.width, ds.height, ds), ds, `${ds.width} × ${ds.height} raster cells, Queen`);
}

function rasterSite(grid: CellGrid, like: RasterDataset, note: string): GridSite {
  return {
    cells: grid,
    note,
    layer: (v) => grid.toRaster(v),
    output: (v, run, band) => rasterOutput(like, { [band]: { data: grid.toRaster(v), dtype: 'int8' } }, run),
  };
}

function layerGrid(ds: VectorDataset, sim: Sim): GridSite {
  const layer = sim.cells(ds, []);
  const cells = new LayerCells(layer);
  sim.log(`The grid is the layer's ${layer.size} polygons (n_cols and n_rows are not used).`);
  return {
    cells,
    note: `${layer.size} polygons, Queen`,
    layer: (v) => v,
    output: (v, run, band) => vectorOutput(layer, { [band]: v }, run),
  };
}

const gridParams = (cols: number, rows: number) =>
  ({
    n_cols: { type: 'int', default: cols, min: 1, max: 2048, description: 'Columns of the grid (vector_grid dimension[0]; unit cells).' },
    n_rows: { type: 'int', default: rows, min: 1, max: 2048, description: 'Rows of the grid (dimension[1]).' },
  }) as const;

const schellingSpec = defineSpec({
  name: 'abm_schelling',
  title: 'Schelling segregation (agents)',
  description:
    'dissmodel-abm SchellingModel: red and blue agents, one per cell of a grid with free cells; an agent with fewer than `preference` ' +
    'same-type Queen neighbours moves to a random free cell (moves seen at once by later agents, as in DisSModel). ' +
    'Grid: n_cols × n_rows unit cells, or a raster’s cells, or a layer of polygons. Output: agent_type per cell (−1 free, 0 red, 1 blue), a GeoTIFF (the layer on vector input); satisfaction per tick.',
  family: FAMILY,
  inputs: ['none', 'raster', 'vector'],
  bands: [
    {
      name: 'agent_type',
      description: '−1 free, 0 red, 1 blue',
      required: false,
      categories: { [-1]: 'free', 0: 'red', 1: 'blue' },
      colors: { [-1]: '#f4f1ea', 0: '#d1495b', 1: '#2e86ab' },
    },
  ],
  params: {
    ...gridParams(25, 25),
    free_space: {
      type: 'float',
      default: 0.25,
      min: 0,
      max: 1,
      step: 0.05,
      description: 'Share of free cells: round(cells × free_space).',
    },
    preference: { type: 'int', default: 3, min: 0, max: 8, description: 'Same-type neighbours an agent needs to stay.' },
    seed: { type: 'seed', description: 'Seed of the initial placement: default_rng(seed).shuffle.' },
    move_seed: {
      type: 'seed',
      description:
        'DisSModel draws each tick’s move order and targets from a new UNSEEDED default_rng(); here the k-th is default_rng(move_seed + k). 1000 is the reference script’s.',
    },
    start_time: startTime(0),
    end_time: endTime(50),
  },
  output: RASTER_OUTPUT,
  stochastic: true,
  displayLayer: 'agent_type',
});
type SchellingParams = ParamsOf<typeof schellingSpec.params>;

export class SchellingExecutor extends SimulationExecutor<typeof schellingSpec.params> {
  static readonly spec = schellingSpec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override runNoInput(p: SchellingParams, sim: Sim) {
    return this.segregate(unitGrid(p.n_cols, p.n_rows), p, sim);
  }

  protected override runRaster(ds: RasterDataset, p: SchellingParams, sim: Sim) {
    return this.segregate(rasterGrid(ds, sim), p, sim);
  }

  protected override runVector(ds: VectorDataset, p: SchellingParams, sim: Sim) {
    return this.segregate(layerGrid(ds, sim), p, sim);
  }

  private async segregate(site: GridSite, p: SchellingParams, sim: Sim) {
    const run = await sim.simulate({
      start: p.start_time,
      end: p.end_time,
      build: (env) => new Schelling(env, site.cells, p.preference, p.free_space, p.seed, p.move_seed),
      layer: (m) => site.layer(m.type),
      summary: (m) => ({ satisfaction: m.satisfaction }),
      note: site.note,
      done: (m, steps) => `${steps} steps; satisfaction=${m.satisfaction}, free=${m.type.filter((t) => t === EMPTY).length}`,
    });
    sim.metrics({ satisfaction: run.model.satisfaction });
    return site.output(run.model.type, run, 'agent_type');
  }
}

const barrosSpec = defineSpec({
  name: 'abm_peripherisation',
  title: 'Peripherisation, Barros (agents)',
  description:
    'dissmodel-abm PeripherisationModel (Barros & Alves Jr. 2003): high-, middle- and low-income agents walk towards the high-income ' +
    'cells and settle by their power to evict (red anywhere, yellow not on red, blue on free cells only). ' +
    'Grid: n_cols × n_rows unit cells, or a raster’s cells, or a layer of polygons. Output: group per cell (−1 free, 0 red, 1 yellow, 2 blue), a GeoTIFF (the layer on vector input); counts per tick.',
  family: FAMILY,
  inputs: ['none', 'raster', 'vector'],
  bands: [
    {
      name: 'group',
      description: '−1 free, 0 red (high income), 1 yellow (middle), 2 blue (low)',
      required: false,
      categories: { [-1]: 'free', 0: 'red', 1: 'yellow', 2: 'blue' },
      colors: { [-1]: '#f4f1ea', 0: '#d1495b', 1: '#edae49', 2: '#2e86ab' },
    },
  ],
  params: {
    ...gridParams(31, 31),
    steps: { type: 'int', default: 2, min: 0, max: 10000, description: 'Steps of each agent’s biased walk before it tries to settle.' },
    p_red: { type: 'float', default: 0.1, min: 0, max: 1, step: 0.05, description: 'Share of high-income (red) agents.' },
    p_yellow: { type: 'float', default: 0.4, min: 0, max: 1, step: 0.05, description: 'Share of middle-income (yellow) agents.' },
    p_blue: {
      type: 'float',
      default: 0.5,
      min: 0,
      max: 1,
      step: 0.05,
      description: 'Share of low-income (blue) agents; the three must sum to 1.',
    },
    n_agents: agentCount(0, 'Agents to place; 0 = one per cell that is not a seed (DisSModel’s default).'),
    agents_per_step: { type: 'int', default: 5, min: 1, max: MAX_AGENTS, description: 'Agents that walk and try to settle per tick.' },
    seed_cells: {
      type: 'string',
      default: '',
      maxLength: 4096,
      description: 'Initial red cells as "row-col" ids (row 0 at the bottom), comma-separated; empty = the central cell.',
    },
    seed: { type: 'seed', description: 'Seed of every draw: default_rng(seed).' },
    start_time: startTime(0),
    end_time: endTime(200),
  },
  output: RASTER_OUTPUT,
  stochastic: true,
  displayLayer: 'group',
});
type BarrosParams = ParamsOf<typeof barrosSpec.params>;

const seedCellsOf = (s: string): string[] | null => {
  const ids = s
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  return ids.length ? ids : null;
};

export class PeripherisationExecutor extends SimulationExecutor<typeof barrosSpec.params> {
  static readonly spec = barrosSpec;
  static {
    ExecutorRegistry.register(this);
  }

  override validate(record: ExperimentRecord, ctx: RunContext, drawSeed?: () => number): void {
    super.validate(record, ctx, drawSeed);
    const p = this.params(record);
    if (Math.abs(p.p_red + p.p_yellow + p.p_blue - 1) > 1e-6) {
      throw new ParameterError(`p_red + p_yellow + p_blue must be 1, got ${p.p_red + p.p_yellow + p.p_blue}.`, 'p_red');
    }
  }

  protected override runNoInput(p: BarrosParams, sim: Sim) {
    return this.settle(unitGrid(p.n_cols, p.n_rows), p, sim);
  }

  protected override runRaster(ds: RasterDataset, p: BarrosParams, sim: Sim) {
    return this.settle(rasterGrid(ds, sim), p, sim);
  }

  protected override runVector(ds: VectorDataset, p: BarrosParams, sim: Sim) {
    return this.settle(layerGrid(ds, sim), p, sim);
  }

  private async settle(site: GridSite, p: BarrosParams, sim: Sim) {
    const seedCells = seedCellsOf(p.seed_cells);
    for (const id of seedCells ?? []) {
      try {
        site.cells.cellOf(id);
      } catch (e) {
        throw new ParameterError(`seed_cells: ${(e as Error).message}`, 'seed_cells');
      }
    }
    const run = await sim.simulate({
      start: p.start_time,
      end: p.end_time,
      build: (env) =>
        new Peripherisation(env, site.cells, {
          steps: p.steps,
          proportions: [p.p_red, p.p_yellow, p.p_blue],
          nAgents: p.n_agents === 0 ? null : p.n_agents,
          agentsPerStep: p.agents_per_step,
          seedCells,
          seed: p.seed,
        }),
      layer: (m) => site.layer(m.group),
      summary: (m) => ({ red: m.red, yellow: m.yellow, blue: m.blue, pending: m.pendingCount }),
      note: site.note,
      done: (m, steps) => `${steps} steps; red=${m.red}, yellow=${m.yellow}, blue=${m.blue}, pending=${m.pendingCount}`,
    });
    const m = run.model;
    sim.metrics({ red: m.red, yellow: m.yellow, blue: m.blue, pending: m.pendingCount });
    return site.output(m.group, run, 'group');
  }
}
