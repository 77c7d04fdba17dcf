/** The "New model" template: a complete page model, written against the package's public entry points only. */
export const TEMPLATE_FILE_NAME = 'my_life.ts';

export const MODEL_TEMPLATE = `/**
 * A model of your own: a Life-like cellular automaton on a 0/1 raster.
 * A dead cell is born with BIRTH live neighbours, a live one survives with
 * SURVIVE (Conway's Life is B3/S23; try BIRTH = [3, 6] for HighLife).
 *
 * Edit the rule and press Run (Ctrl/Cmd-Enter). "Download model" saves this
 * file; it runs unchanged from the command line:
 *
 *   npx dissmodel run --model ./my_life.ts --input sample:gol_random_512x512.tif --output out/life.tif
 */
import {
  defineSpec,
  endTime,
  ExecutorRegistry,
  Model,
  RASTER_OUTPUT,
  rasterOutput,
  rasterWhere,
  readStateBand,
  SimulationExecutor,
  startTime,
  type Environment,
  type ParamsOf,
  type RasterDataset,
  type Sim,
} from 'dissmodel-workbench/kit';
import { focalCount, MOORE } from 'dissmodel-workbench/sim';

const BIRTH = [3];
const SURVIVE = [2, 3];

const LIFE = { 0: 'dead', 1: 'alive' };

const spec = defineSpec({
  name: 'my_life',
  title: 'My Life',
  description: 'A Life-like cellular automaton written in the page: born with BIRTH live neighbours, survives with SURVIVE.',
  family: 'My models',
  inputs: ['raster'],
  bands: [{ name: 'state', description: '0 dead / 1 alive', position: 1, categories: LIFE }],
  params: { start_time: startTime(), end_time: endTime(10) },
  output: RASTER_OUTPUT,
  sample: 'sample:gol_random_512x512.tif',
  displayLayer: 'state',
});
type Params = ParamsOf<typeof spec.params>;

/** The rule, one step: count the Moore neighbours, then birth or survival. */
class Life extends Model {
  constructor(
    env: Environment,
    readonly rows: number,
    readonly cols: number,
    public state: Uint8Array,
  ) {
    super(env);
  }

  override execute(): void {
    const n = focalCount(this.state, this.rows, this.cols, MOORE);
    this.state = this.state.map((s, i) => ((s ? SURVIVE : BIRTH).includes(n[i]) ? 1 : 0));
  }
}

export class MyLife extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override async runRaster(ds: RasterDataset, p: Params, sim: Sim) {
    const input = sim.bands(ds);
    const initial = readStateBand(input.get('state'), 'state', LIFE, rasterWhere(ds.width), 'My Life');
    const run = await sim.simulate({
      start: p.start_time,
      end: p.end_time,
      build: (env) => new Life(env, ds.height, ds.width, initial),
      layer: (m) => m.state,
      summary: (m) => ({ alive: m.state.reduce((a, s) => a + s, 0) }),
    });
    return rasterOutput(input, { state: run.model.state }, run);
  }
}
`;
