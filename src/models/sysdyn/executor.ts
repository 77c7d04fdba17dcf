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
import type { ExperimentRecord } from '../../executor/record.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import { defineSpec, SimulationExecutor, TABLE_OUTPUT, type ParamsOf, type Sim } from '../kit/index.ts';
import { Lorenz, PredatorPrey, Sir } from './models.ts';
import { BIG, pop, timeParams, timeSeries } from './series.ts';

const sirSpec = defineSpec({
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
  },
  output: TABLE_OUTPUT,
  displayLayer: 'infected',
});
export type SirParams = ParamsOf<typeof sirSpec.params>;

export class SirExecutor extends SimulationExecutor<typeof sirSpec.params> {
  static readonly spec = sirSpec;
  static {
    ExecutorRegistry.register(this);
  }

  override validate(record: ExperimentRecord, ctx: RunContext, drawSeed?: () => number): void {
    super.validate(record, ctx, drawSeed);
    const p = this.params(record);
    if (!(p.susceptible + p.infected + p.recovered > 0)) {
      throw new ParameterError(
        'The total population (susceptible + infected + recovered) must be greater than 0; the model divides by it.',
        'susceptible',
      );
    }
  }

  protected override runNoInput(p: SirParams, sim: Sim) {
    return timeSeries(sim, p, (env) => new Sir(env, p));
  }
}

const predatorPreySpec = defineSpec({
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
  },
  output: TABLE_OUTPUT,
  displayLayer: 'prey',
});
export type PredatorPreyParams = ParamsOf<typeof predatorPreySpec.params>;

export class PredatorPreyExecutor extends SimulationExecutor<typeof predatorPreySpec.params> {
  static readonly spec = predatorPreySpec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override runNoInput(p: PredatorPreyParams, sim: Sim) {
    return timeSeries(sim, p, (env) => new PredatorPrey(env, p));
  }
}

const lorenzSpec = defineSpec({
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
  },
  output: TABLE_OUTPUT,
  displayLayer: 'x',
});
export type LorenzParams = ParamsOf<typeof lorenzSpec.params>;

export class LorenzExecutor extends SimulationExecutor<typeof lorenzSpec.params> {
  static readonly spec = lorenzSpec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override runNoInput(p: LorenzParams, sim: Sim) {
    return timeSeries(sim, p, (env) => new Lorenz(env, p));
  }
}
