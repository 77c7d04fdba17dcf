/**
 * System-dynamics executors (dissmodel-sysdyn): `sir`, `predator_prey`, `lorenz`.
 * No input dataset. The output is a time-series table, one row per execution of
 * the model (DisSModel's `track_plot` series: the state after each execution),
 * with a `time` column and one column per tracked variable; CSV by default.
 * DisSModel-sysdyn ships models, not executors: parameter names and defaults are
 * those of the model classes; `start_time`/`end_time` are the Environment's
 * (end inclusive, so end_time − start_time + 1 rows).
 */
import type { RunContext } from '../../executor/context.ts';
import { ParameterError } from '../../executor/errors.ts';
import type { ExecutorSpec } from '../../executor/executor.ts';
import type { FloatParam, IntParam, ParamSchema } from '../../executor/params.ts';
import { addLog, type ExperimentRecord } from '../../executor/record.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import type { Dataset } from '../../sim/dataset.ts';
import { Environment } from '../../sim/scheduler.ts';
import { emptySeries, pushSeries, type SimOutput } from '../../sim/output.ts';
import { SimulationExecutor } from '../common/simulation-executor.ts';
import {
  Lorenz,
  PredatorPrey,
  Sir,
  type LorenzParams,
  type PredatorPreyParams,
  type SirParams,
  type SystemDynamicsModel,
} from './models.ts';

const MAX_TIME = 1_000_000;
const BIG = 1e15;

const timeParams = (endDefault: number): Record<'start_time' | 'end_time', IntParam> => ({
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

const TABLE_OUTPUT = { kind: 'table', extension: 'csv', mediaType: 'text/csv' } as const;

/** Shared run/load for the non-spatial models: no input, a table out. */
export abstract class SystemDynamicsExecutor extends SimulationExecutor {
  /** Build the model on `env` from resolved parameters. */
  protected abstract createModel(env: Environment, params: Record<string, number>): SystemDynamicsModel;

  /** These models read no dataset; a source URI given anyway is ignored (and said so). */
  override async load(record: ExperimentRecord): Promise<Dataset | null> {
    if (record.source.uri) {
      addLog(record, `${this.spec.title} takes no input dataset; ignored '${record.source.uri}'.`);
    }
    return null;
  }

  async run(_data: Dataset | null, record: ExperimentRecord, ctx: RunContext): Promise<SimOutput> {
    const params = this.params(record) as Record<string, number>;
    const env = new Environment({ startTime: params.start_time, endTime: params.end_time });
    const model = this.createModel(env, params);
    const columns = ['time', ...model.variables];
    const rows: number[][] = [];
    const series = emptySeries();
    const total = env.stepCount();
    let k = 0;
    addLog(record, env.banner());
    await env.run(undefined, {
      afterTick: (t) => {
        k++;
        const values = model.state();
        rows.push([t, ...values]);
        const summary: Record<string, number> = {};
        model.variables.forEach((name, i) => (summary[name] = values[i]));
        pushSeries(series, t, summary);
        return ctx.tick(k, total, summary);
      },
    });
    const last = rows.at(-1);
    addLog(
      record,
      `Simulation complete: ${rows.length} rows` +
        (last ? `; final ${model.variables.map((v, i) => `${v}=${last[i + 1]}`).join(', ')}` : ''),
    );
    return { kind: 'table', table: { columns, rows }, series };
  }
}

const pop = (def: number, description: string): FloatParam => ({
  type: 'float',
  default: def,
  min: 0,
  max: BIG,
  unit: 'individuals',
  description,
});

export class SirExecutor extends SystemDynamicsExecutor {
  static readonly spec: ExecutorSpec = {
    name: 'sir',
    title: 'SIR epidemic',
    description:
      'Susceptible–Infected–Recovered epidemic (dissmodel-sysdyn SIR). Per tick, from the start-of-tick values: ' +
      'new infections = infected · contacts · probability · susceptible / N, new recoveries = infected / duration. ' +
      'Output: a table of the three compartments after each tick.',
    family: 'System dynamics',
    inputs: ['none'],
    params: {
      susceptible: pop(9998, 'Initial susceptible population.'),
      infected: pop(2, 'Initial infected population.'),
      recovered: pop(0, 'Initial recovered population.'),
      duration: {
        type: 'float',
        default: 2,
        min: 0.001,
        max: BIG,
        unit: 'ticks',
        description: 'Mean duration of the infection; a fraction 1/duration of the infected recover each tick.',
      },
      contacts: {
        type: 'float',
        default: 6,
        min: 0,
        max: BIG,
        unit: 'contacts per tick',
        description: 'Contacts an infected individual has per tick.',
      },
      probability: {
        type: 'float',
        default: 0.25,
        min: 0,
        max: 1,
        step: 0.01,
        description: 'Probability that a contact between an infected and a susceptible individual transmits the disease.',
      },
      ...timeParams(30),
    } satisfies ParamSchema,
    output: TABLE_OUTPUT,
    displayLayer: 'infected',
  };
  static {
    ExecutorRegistry.register(this);
  }

  override validate(record: ExperimentRecord, ctx: RunContext, drawSeed?: () => number): void {
    super.validate(record, ctx, drawSeed);
    const p = this.params(record) as unknown as SirParams;
    if (!(p.susceptible + p.infected + p.recovered > 0)) {
      throw new ParameterError(
        'The total population (susceptible + infected + recovered) must be greater than 0; the model divides by it.',
        'susceptible',
      );
    }
  }

  protected createModel(env: Environment, params: Record<string, number>): SystemDynamicsModel {
    return new Sir(env, params as unknown as SirParams);
  }
}

export class PredatorPreyExecutor extends SystemDynamicsExecutor {
  static readonly spec: ExecutorSpec = {
    name: 'predator_prey',
    title: 'Predator–prey (Lotka–Volterra)',
    description:
      'Lotka–Volterra predator–prey in difference form (dissmodel-sysdyn PredatorPrey). Per tick: ' +
      'prey += prey_growth·prey − prey_death_pred·prey·predator, then ' +
      'predator += −pred_death·predator + pred_growth_kills·prey·predator using the prey value just updated (as DisSModel does).',
    family: 'System dynamics',
    inputs: ['none'],
    params: {
      prey: pop(1000, 'Initial prey population.'),
      predator: pop(40, 'Initial predator population.'),
      prey_growth: {
        type: 'float',
        default: 0.08,
        min: 0,
        max: 10,
        step: 0.01,
        unit: '1/tick',
        description: 'Prey birth rate per tick.',
      },
      prey_death_pred: {
        type: 'float',
        default: 0.001,
        min: 0,
        max: 10,
        step: 0.0001,
        unit: '1/(predator·tick)',
        description: 'Prey deaths per prey, per predator and tick (predation rate).',
      },
      pred_death: {
        type: 'float',
        default: 0.02,
        min: 0,
        max: 10,
        step: 0.01,
        unit: '1/tick',
        description: 'Predator death rate per tick.',
      },
      pred_growth_kills: {
        type: 'float',
        default: 0.00002,
        min: 0,
        max: 10,
        step: 0.00001,
        unit: '1/(prey·tick)',
        description: 'Predator births per predator, per prey and tick (conversion of kills into offspring).',
      },
      ...timeParams(100),
    } satisfies ParamSchema,
    output: TABLE_OUTPUT,
    displayLayer: 'prey',
  };
  static {
    ExecutorRegistry.register(this);
  }

  protected createModel(env: Environment, params: Record<string, number>): SystemDynamicsModel {
    return new PredatorPrey(env, params as unknown as PredatorPreyParams);
  }
}

export class LorenzExecutor extends SystemDynamicsExecutor {
  static readonly spec: ExecutorSpec = {
    name: 'lorenz',
    title: 'Lorenz attractor',
    description:
      'The Lorenz system integrated with explicit Euler steps of size delta (dissmodel-sysdyn Lorenz): ' +
      'dx = σ(y − x), dy = x(ρ − z) − y, dz = xy − βz, all from the previous values.',
    family: 'System dynamics',
    inputs: ['none'],
    params: {
      x: { type: 'float', default: 1, min: -1e6, max: 1e6, description: 'Initial x.' },
      y: { type: 'float', default: 1, min: -1e6, max: 1e6, description: 'Initial y.' },
      z: { type: 'float', default: 1, min: -1e6, max: 1e6, description: 'Initial z.' },
      delta: {
        type: 'float',
        default: 0.01,
        min: 0,
        max: 1,
        step: 0.001,
        unit: 'time units per tick',
        description: 'Euler integration step: each tick advances the system by delta time units.',
      },
      sigma: { type: 'float', default: 10, min: 0, max: 1000, label: 'σ', description: 'Prandtl number σ.' },
      rho: { type: 'float', default: 28, min: 0, max: 1000, label: 'ρ', description: 'Rayleigh number ρ.' },
      beta: { type: 'float', default: 8 / 3, min: 0, max: 1000, label: 'β', description: 'Geometric factor β (default 8/3).' },
      ...timeParams(3000),
    } satisfies ParamSchema,
    output: TABLE_OUTPUT,
    displayLayer: 'x',
  };
  static {
    ExecutorRegistry.register(this);
  }

  protected createModel(env: Environment, params: Record<string, number>): SystemDynamicsModel {
    return new Lorenz(env, params as unknown as LorenzParams);
  }
}
