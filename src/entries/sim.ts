/**
 * `dissmodel-workbench/sim`: dataset shapes, run outputs, the scheduler, raster and vector primitives, agents, PRNGs
 * (numpy's default_rng and legacy np.random among them).
 * Seeds for unseeded runs come from the executor's drawSeed (`dissmodel-workbench/executor`), the one
 * seed-drawing function of every host.
 */
export * from '../sim/dataset.ts';
export * from '../sim/output.ts';
export * from '../sim/scheduler.ts';
export * from '../sim/raster.ts';
export * from '../sim/vector.ts';
export * from '../sim/bitgrid.ts';
export { PythonRandom, SeededRandom, NumpyRandomState } from '../sim/random.ts';
export { NumpyGenerator, defaultRng, pairwiseSum, type ChoiceOptions, type IntDType } from '../sim/numpy-generator.ts';
export { PCG64 } from '../sim/pcg64.ts';
export { Agents, MAX_AGENTS, type AgentColumn, type Bounds as AgentBounds } from '../sim/agents.ts';
export { CellGrid, LayerCells, type Cells } from '../sim/agent-grid.ts';
