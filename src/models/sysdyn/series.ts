/**
 * What every system-dynamics executor shares: the Environment's time
 * parameters and the run that turns a model's tracked variables into a table
 * (one row per execution, a `time` column with the clock of that execution).
 */
import type { FloatParam, IntParam } from '../../executor/params.ts';
import type { Environment } from '../../sim/scheduler.ts';
import { seriesTable, tableOutput, type Sim } from '../kit/index.ts';
import type { SystemDynamicsModel } from './models.ts';

export const MAX_TIME = 1_000_000;
export const BIG = 1e15;

export const timeParams = (endDefault: number): Record<'start_time' | 'end_time', IntParam> => ({
  start_time: {
    type: 'int',
    default: 0,
    min: 0,
    max: MAX_TIME,
    unit: 'tick',
    description: 'First tick (Environment start_time); the first row of the table is the state after this tick.',
  },
  end_time: {
    type: 'int',
    default: endDefault,
    min: 0,
    max: MAX_TIME,
    unit: 'tick',
    description: 'Last tick, inclusive: the model executes end_time − start_time + 1 times, one table row each.',
  },
});

export const pop = (def: number, description: string): FloatParam => ({
  type: 'float',
  default: def,
  min: 0,
  max: BIG,
  unit: 'individuals',
  description,
});

/** A float parameter, any finite value in ±BIG unless bounded. */
export const real = (def: number, description: string, extra: Partial<FloatParam> = {}): FloatParam => ({
  type: 'float',
  default: def,
  min: -BIG,
  max: BIG,
  description,
  ...extra,
});

/** Run a system-dynamics model from start_time to end_time: its tracked variables after each execution, as a table. */
export async function timeSeries(sim: Sim, p: { start_time: number; end_time: number }, build: (env: Environment) => SystemDynamicsModel) {
  const run = await sim.simulate({
    start: p.start_time,
    end: p.end_time,
    build,
    summary: (m) => {
      const values = m.state();
      return Object.fromEntries(m.variables.map((name, i) => [name, values[i]]));
    },
    done: (m, steps) => `${steps} rows` + (steps ? `; final ${m.variables.map((v, i) => `${v}=${m.state()[i]}`).join(', ')}` : ''),
  });
  return tableOutput(seriesTable(run.series, run.model.variables), run);
}
