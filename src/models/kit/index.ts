/**
 * The model kit: what a model is written with, so that its executor is spec
 * and wiring and its rule reads as the science. The built-in models
 * (src/models/*) are written with it and are the examples to copy.
 *
 *   const spec = defineSpec({ name: 'my_model', …, params: { rate: {…}, end_time: endTime(10) } });
 *   type Params = ParamsOf<typeof spec.params>;
 *   class MyModel extends SimulationExecutor<typeof spec.params> {
 *     static readonly spec = spec;
 *     static { ExecutorRegistry.register(this); }
 *     protected override async runRaster(ds: RasterDataset, p: Params, sim: Sim) {
 *       const input = sim.bands(ds);
 *       const run = await sim.simulate({ start: p.start_time, end: p.end_time, build: (env) => …, summary: … });
 *       return rasterOutput(input, { state: run.model.state }, run); // the input's georeferencing, nodata, band type
 *     }
 *   }
 */
export { SimulationExecutor, Sim, outputPathForKind } from './executor.ts';
export { simulate, EveryTick, everyTick, type Schedule, type Trajectory } from './loop.ts';
export { rasterOutput, vectorOutput, tableOutput, seriesTable, type OutputBand, type Recorded } from './outputs.ts';
export {
  rasterBands,
  vectorCells,
  readStates,
  readStateBand,
  viewStates,
  viewStateBand,
  deferStateBand,
  type DeferredStates,
  readCodes,
  readMask,
  rasterWhere,
  vectorWhere,
  refuseNodata,
  nodataOutside,
  maskOutside,
  nodataCells,
  isNodata,
  type RasterInput,
  type Where,
} from './inputs.ts';
export {
  defineSpec,
  defineParams,
  startTime,
  endTime,
  RULE_RUNS,
  MAX_TICK,
  RASTER_OUTPUT,
  VECTOR_OUTPUT,
  TABLE_OUTPUT,
  type ExecutorSpec,
  type CanonicalField,
  type ParamsOf,
  type ParamSchema,
} from './spec.ts';
export { encodeTable } from './table.ts';
export { ExecutorRegistry } from '../../executor/registry.ts';
export type { RasterDataset, VectorDataset, TypedArray } from '../../sim/dataset.ts';
export type { Environment } from '../../sim/scheduler.ts';
export { Model } from '../../sim/scheduler.ts';
