/**
 * System-dynamics models of dissmodel-sysdyn (SIR, PredatorPrey, Lorenz) as
 * scheduler Models. Each update is an explicit difference equation run once per
 * tick, with the statements in DisSModel's order and the same arithmetic
 * grouping, so the doubles match CPython's bit for bit.
 *
 * `state()` returns the tracked variables (the `@track_plot` labels, lower-cased);
 * DisSModel's series holds one value per assignment made during `run()`, i.e.
 * the state after each execution (DISSMODEL-SPEC §1.3).
 */
import { Model, type Environment, type ModelOptions } from '../../sim/scheduler.ts';
import type { LorenzParams, PredatorPreyParams, SirParams } from './executor.ts';

export interface SystemDynamicsModel extends Model {
  /** Names of the tracked variables, in column order. */
  readonly variables: readonly string[];
  /** Current values of the tracked variables, in `variables` order. */
  state(): number[];
}

/** Kermack–McKendrick SIR (dissmodel_sysdyn.models.SIR). */
export class Sir extends Model implements SystemDynamicsModel {
  readonly variables = ['susceptible', 'infected', 'recovered'] as const;
  susceptible: number;
  infected: number;
  recovered: number;
  readonly duration: number;
  readonly contacts: number;
  readonly probability: number;

  constructor(env: Environment, p: SirParams, options: ModelOptions = {}) {
    super(env, options);
    this.susceptible = p.susceptible;
    this.infected = p.infected;
    this.recovered = p.recovered;
    this.duration = p.duration;
    this.contacts = p.contacts;
    this.probability = p.probability;
  }

  override execute(): void {
    const total = this.susceptible + this.infected + this.recovered;
    const alpha = this.contacts * this.probability;
    // new infections and recoveries from the start-of-step values
    const newInfected = this.infected * alpha * (this.susceptible / total);
    const newRecovered = this.infected / this.duration;
    this.susceptible -= newInfected;
    this.infected += newInfected - newRecovered;
    this.recovered += newRecovered;
  }

  state(): number[] {
    return [this.susceptible, this.infected, this.recovered];
  }
}

/** Lotka–Volterra in difference form (dissmodel_sysdyn.models.PredatorPrey). */
export class PredatorPrey extends Model implements SystemDynamicsModel {
  readonly variables = ['prey', 'predator'] as const;
  prey: number;
  predator: number;
  readonly preyGrowth: number;
  readonly preyDeathPred: number;
  readonly predDeath: number;
  readonly predGrowthKills: number;

  constructor(env: Environment, p: PredatorPreyParams, options: ModelOptions = {}) {
    super(env, options);
    this.prey = p.prey;
    this.predator = p.predator;
    this.preyGrowth = p.prey_growth;
    this.preyDeathPred = p.prey_death_pred;
    this.predDeath = p.pred_death;
    this.predGrowthKills = p.pred_growth_kills;
  }

  override execute(): void {
    this.prey += this.preyGrowth * this.prey - this.preyDeathPred * this.prey * this.predator;
    // As in DisSModel: the predator update sees the prey value already updated above.
    this.predator += -this.predDeath * this.predator + this.predGrowthKills * this.prey * this.predator;
  }

  state(): number[] {
    return [this.prey, this.predator];
  }
}

/** The Lorenz attractor, explicit Euler (dissmodel_sysdyn.models.Lorenz). */
export class Lorenz extends Model implements SystemDynamicsModel {
  readonly variables = ['x', 'y', 'z'] as const;
  x: number;
  y: number;
  z: number;
  readonly delta: number;
  readonly sigma: number;
  readonly rho: number;
  readonly beta: number;

  constructor(env: Environment, p: LorenzParams, options: ModelOptions = {}) {
    super(env, options);
    this.x = p.x;
    this.y = p.y;
    this.z = p.z;
    this.delta = p.delta;
    this.sigma = p.sigma;
    this.rho = p.rho;
    this.beta = p.beta;
  }

  override execute(): void {
    // all three derivatives from the old values
    const dx = this.sigma * (this.y - this.x);
    const dy = this.x * (this.rho - this.z) - this.y;
    const dz = this.x * this.y - this.beta * this.z;
    this.x += this.delta * dx;
    this.y += this.delta * dy;
    this.z += this.delta * dz;
  }

  state(): number[] {
    return [this.x, this.y, this.z];
  }
}
