/**
 * `dissmodel-workbench/sim`: dataset shapes, run outputs, the scheduler, raster and vector primitives, PRNGs.
 * Seeds for unseeded runs come from the executor's drawSeed (`dissmodel-workbench/executor`), the one
 * seed-drawing function of every host.
 */
export * from '../sim/dataset.ts';
export * from '../sim/output.ts';
export * from '../sim/scheduler.ts';
export * from '../sim/raster.ts';
export * from '../sim/vector.ts';
export * from '../sim/bitgrid.ts';
export { PythonRandom, SeededRandom } from '../sim/random.ts';
