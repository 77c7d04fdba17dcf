/** `dissmodel-workbench/sim`: dataset shapes, run outputs, the scheduler, raster and vector primitives, PRNGs. */
export * from '../sim/dataset.ts';
export * from '../sim/output.ts';
export * from '../sim/scheduler.ts';
export * from '../sim/raster.ts';
export * from '../sim/vector.ts';
export * from '../sim/bitgrid.ts';
export * from '../sim/random.ts';
