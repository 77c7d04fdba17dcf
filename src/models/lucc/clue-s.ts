/**
 * CLUE-S, the discrete allocation (DisSLUCC-Discrete; DISSMODEL-SPEC §6.5): each cell holds
 * one land use (0/1 columns). A logistic-regression potential per land use, plus the
 * land use's elasticity where the cell already has it; an allocation that gives every
 * cell its best allowed land use (the transition matrix of its region says which
 * are allowed from its current one) and shifts each land use's score by an
 * iteration term until the allocated counts meet the demand.
 */
import { DissError } from '../../executor/errors.ts';
import { Model, type Environment } from '../../sim/scheduler.ts';
import type { Demand } from './demand.ts';

export interface LogisticSpec {
  const: number;
  elasticity: number;
  betas: [string, number][];
}

export interface ClueSConfig {
  landUseTypes: string[];
  potential: LogisticSpec[];
  /** [region][from][to], 0/1. */
  transitionMatrix: number[][][];
  cellArea: number;
  maxDifference: number;
  maxIteration: number;
  factorIteration: number;
}

/** The cells: one float64 column per name (land uses, drivers, `region`, `tau_<lu>`, and the potentials written here). */
export type Columns = Map<string, Float64Array>;

const col = (c: Columns, name: string): Float64Array => {
  const a = c.get(name);
  if (!a) throw new Error(`CLUE-S: no column '${name}'`);
  return a;
};

/** PotentialDLogisticRegression: `<lu>_reg` = 1 / (1 + e^−(const + Σβx)); `<lu>_pot` = `<lu>_reg` + elasticity where the cell is `<lu>`. */
export class PotentialLogistic extends Model {
  constructor(
    env: Environment,
    readonly cells: Columns,
    readonly size: number,
    readonly cfg: ClueSConfig,
  ) {
    super(env);
    for (const lu of cfg.landUseTypes) {
      cells.set(lu + '_reg', new Float64Array(size));
      cells.set(lu + '_pot', new Float64Array(size));
    }
  }

  override execute(): void {
    this.cfg.landUseTypes.forEach((lu, i) => {
      const spec = this.cfg.potential[i];
      const reg = col(this.cells, lu + '_reg');
      const pot = col(this.cells, lu + '_pot');
      const current = col(this.cells, lu);
      const x = spec.betas.map(([name, beta]) => [col(this.cells, name), beta] as const);
      for (let k = 0; k < this.size; k++) {
        let z = spec.const;
        for (const [values, beta] of x) z += beta * values[k];
        const prob = 1 / (1 + Math.exp(-z));
        reg[k] = prob;
        pot[k] = prob + (current[k] === 1 ? spec.elasticity : 0);
      }
    });
  }
}

/** AllocationDClueSLike: runs at every step, step 0 included. */
export class AllocationClueS extends Model {
  /** Iterations the loop took, per step. */
  readonly iterations: number[] = [];
  /** The last iteration's |demand − allocated| per land use, per step. */
  readonly differences: number[][] = [];

  constructor(
    env: Environment,
    readonly cells: Columns,
    readonly size: number,
    readonly cfg: ClueSConfig,
    readonly demand: Demand,
  ) {
    super(env);
  }

  override execute(): void {
    const step = Math.trunc(this.env.now());
    const lus = this.cfg.landUseTypes;
    const L = lus.length;
    const n = this.size;
    const values = lus.map((lu) => col(this.cells, lu));
    const pots = lus.map((lu) => col(this.cells, lu + '_pot'));
    const taus = lus.map((lu) => this.cells.get('tau_' + lu) ?? null);
    const region = col(this.cells, 'region');
    const allowed = new Uint8Array(n * L);
    for (let k = 0; k < n; k++) {
      let from = 0;
      for (let l = 1; l < L; l++) if (values[l][k] > values[from][k]) from = l;
      const tm = this.cfg.transitionMatrix[region[k] - 1];
      if (!tm) {
        throw new DissError(
          'input',
          `Cell ${k} is in region ${region[k]}, but the transition matrix has ${this.cfg.transitionMatrix.length} region(s).`,
          'region',
        );
      }
      for (let l = 0; l < L; l++) allowed[k * L + l] = tm[from][l] ? 1 : 0;
    }
    const iter = new Float64Array(L);
    const diff = new Float64Array(L);
    const best = new Int32Array(n);
    for (let it = 0; ; it++) {
      const count = new Float64Array(L);
      for (let k = 0; k < n; k++) {
        let b = -1;
        let top = -Infinity;
        for (let l = 0; l < L; l++) {
          const score = allowed[k * L + l] ? (1 + (taus[l]?.[k] ?? 0)) * pots[l][k] + iter[l] : -Infinity;
          if (b < 0 || score > top) {
            b = l;
            top = score;
          }
        }
        best[k] = b;
        count[b]++;
      }
      for (let l = 0; l < L; l++) {
        for (let k = 0; k < n; k++) values[l][k] = best[k] === l ? 1 : 0;
        diff[l] = this.demand.current[l] - count[l] * this.cfg.cellArea;
      }
      let maxDiff = 0;
      for (let l = 0; l < L; l++) maxDiff = Math.max(maxDiff, Math.abs(diff[l]));
      if (maxDiff <= this.cfg.maxDifference) {
        this.iterations.push(it);
        this.differences.push(Array.from(diff));
        return;
      }
      if (it >= this.cfg.maxIteration) {
        throw new DissError(
          'model',
          `Allocation did not converge at step ${step} (error=${maxDiff.toFixed(1)}): after ${it} iterations the allocated cells still miss the demand by more than max_difference ${this.cfg.maxDifference} ` +
            `(${lus.map((lu, l) => `${lu} ${diff[l]}`).join(', ')}). Check the demand's row ${step} and the transition matrix, or raise max_difference / max_iteration.`,
        );
      }
      for (let l = 0; l < L; l++) iter[l] += diff[l] * this.cfg.factorIteration;
    }
  }
}
