/**
 * The continuous CLUE-like model (DisSLUCC-Continuous, a translation of
 * LuccME's `AllocationCClueLike.lua`; DISSMODEL-SPEC §6.4): a linear-regression
 * potential and an allocation that scales each land use's change by an
 * elasticity until the allocated areas meet the demand, corrects the cells
 * whose fractions no longer sum to 1, and derives the complementary land use.
 *
 * One implementation for both substrates: a {@link Space} holds one array per
 * name over all cells (a raster's grid in row-major order, or a vector layer's
 * features) and the list of valid cells; `R` rounds every arithmetic result as
 * the substrate's arrays do — float32 for the raster (DisSModel computes there
 * in `astype(np.float32)` arrays, weak Python scalars cast to float32 first),
 * none for the vector (float64 columns). Each statement below is one NumPy
 * statement of DisSModel's, in its order, so the results agree to the bit.
 */
import { DissError } from '../../executor/errors.ts';
import { Model, type Environment } from '../../sim/scheduler.ts';
import type { AllocationSpec, LuccConfig, RegressionSpec } from './config.ts';
import { INCREASING, type Demand } from './demand.ts';
import { npSum, type Round } from './numeric.ts';

export type Values = Float32Array | Float64Array;

export interface Space {
  /** Cells in the arrays. */
  readonly size: number;
  /** Indices of the valid cells, in order (the raster's `mask`, or every feature). */
  readonly valid: Int32Array;
  readonly arrays: Map<string, Values>;
  /** float32 or float64 arithmetic. */
  readonly R: Round;
  /** New array of the substrate's type. */
  alloc(): Values;
  /** The vector substrate's complementary rule differs in one detail (no upper clip; see applyComplementar). */
  readonly vector: boolean;
}

const get = (s: Space, name: string): Values => {
  const a = s.arrays.get(name);
  if (!a) throw new Error(`LUCC: no array '${name}'`);
  return a;
};

/** SyncRasterModel / SyncSpatialModel: `<lu>_past` = a copy of `<lu>` on the first preExecute and every postExecute. */
abstract class Synced extends Model {
  private synced = false;
  constructor(
    env: Environment,
    readonly space: Space,
    readonly lus: readonly string[],
  ) {
    super(env);
  }
  synchronize(): void {
    for (const lu of this.lus) this.space.arrays.set(lu + '_past', get(this.space, lu).slice());
  }
  override preExecute(): void {
    if (!this.synced) {
      this.synced = true;
      this.synchronize();
    }
  }
  override postExecute(): void {
    this.synchronize();
  }
}

/** PotentialLinearRegression (one region): `<lu>_pot` = clip(const' + Σβ·x, 0, 1)·(1 − no-data use) − `<lu>_past`. */
export class PotentialLinear extends Synced {
  readonly newconst: number[];

  constructor(
    env: Environment,
    space: Space,
    readonly cfg: LuccConfig,
    readonly demand: Demand,
  ) {
    super(env, space, cfg.landUseTypes);
    this.newconst = cfg.potential.map((p) => p.const);
    if (!space.arrays.has('region')) {
      const region = space.alloc();
      region.fill(1);
      space.arrays.set('region', region);
    }
    for (const lu of cfg.landUseTypes) space.arrays.set(lu + '_pot', space.alloc());
  }

  override execute(): void {
    const step = Math.trunc(this.env.now());
    this.cfg.potential.forEach((p, i) => (this.newconst[i] = p.const));
    if (step > 0) {
      this.cfg.potential.forEach((p, i) => {
        const curr = this.demand.current[i];
        const prev = this.demand.previous[i];
        if (prev === 0) return;
        const plus = (curr - prev) / prev;
        if (p.isLog) {
          if (plus > 0) this.newconst[i] -= Math.log10(plus) * 0.01;
          else if (plus < 0) this.newconst[i] += Math.log10(-plus) * 0.01;
        } else this.newconst[i] += plus * 0.01;
      });
    }
    for (let i = 0; i < this.cfg.landUseTypes.length; i++) this.compute(i);
  }

  compute(i: number): void {
    const s = this.space;
    const R = s.R;
    const lu = this.cfg.landUseTypes[i];
    const spec: RegressionSpec = this.cfg.potential[i];
    const reg = s.alloc();
    reg.fill(R(this.newconst[i]));
    for (const [col, beta] of spec.betas) {
      const x = get(s, col);
      const b = R(beta);
      for (let k = 0; k < s.size; k++) reg[k] = R(reg[k] + R(b * x[k]));
    }
    const region = get(s, 'region');
    const nd = this.cfg.landUseNoData ? get(s, this.cfg.landUseNoData) : null;
    const past = get(s, lu + '_past');
    const pot = get(s, lu + '_pot');
    for (let k = 0; k < s.size; k++) {
      let r = reg[k];
      if (spec.isLog) r = R(10 ** r);
      r = r < 0 ? 0 : r > 1 ? 1 : r;
      if (nd) r = R(r * R(1 - nd[k]));
      if (region[k] === 1) pot[k] = R(r - past[k]);
    }
  }

  /** Shift the constant one notch in `direction` and recompute (called by the allocation when an elasticity saturates). */
  modify(i: number, direction: number): void {
    if (this.cfg.potential[i].isLog) this.newconst[i] -= Math.log10(0.1) * direction;
    else this.newconst[i] += 0.1 * direction;
    this.compute(i);
  }
}

export interface AllocationOptions {
  maxDifference: number;
  maxIteration: number;
  initialElasticity: number;
  minElasticity: number;
  maxElasticity: number;
}

/** AllocationClueLike: the elasticity loop, the cell correction and the complementary land use. */
export class AllocationClueLike extends Synced {
  /** Iterations of the last step's loop, per step (for the log). */
  readonly iterations: number[] = [];

  constructor(
    env: Environment,
    space: Space,
    readonly cfg: LuccConfig,
    readonly demand: Demand,
    readonly potential: PotentialLinear,
    readonly opts: AllocationOptions,
  ) {
    super(env, space, cfg.landUseTypes);
  }

  override execute(): void {
    const step = Math.trunc(this.env.now());
    const elasticity = this.cfg.landUseTypes.map(() => this.opts.initialElasticity);
    let nIter = 0;
    let maxAdjust = this.opts.maxDifference;
    let flex = false;
    for (;;) {
      if (step !== 0) {
        this.computeChange(elasticity);
        this.correctCellChange();
      }
      const maxDiff = this.compareToDemand(step, elasticity);
      if (maxDiff <= maxAdjust) break;
      nIter++;
      if (nIter > this.opts.maxIteration * 0.5 && !flex) {
        maxAdjust *= 2;
        flex = true;
      }
      if (nIter >= this.opts.maxIteration) {
        throw new DissError(
          'model',
          `Allocation did not converge at step ${step} (error=${maxDiff.toFixed(1)}): after ${nIter} iterations the allocated areas still miss the demand by more than ${maxAdjust} ` +
            `(max_difference ${this.opts.maxDifference}, doubled after ${this.opts.maxIteration * 0.5} iterations). Check that the demand's row ${step} fits the cellular space (cell_area ${this.cfg.cellArea}), or raise max_difference / max_iteration.`,
        );
      }
    }
    this.iterations.push(nIter);
    this.applyComplementar();
  }

  private computeChange(elasticity: readonly number[]): void {
    const s = this.space;
    const R = s.R;
    this.cfg.landUseTypes.forEach((lu, i) => {
      const dir = this.demand.direction[i];
      const pot = get(s, lu + '_pot');
      const past = get(s, lu + '_past');
      const out = get(s, lu);
      const a: AllocationSpec = this.cfg.allocation[i];
      const st = this.cfg.static[i];
      if (st === 1) {
        for (const k of s.valid) out[k] = past[k];
        return;
      }
      const e = R(elasticity[i]);
      const minCh = R(a.minChange);
      const maxCh = R(a.maxChange);
      const minV = R(a.minValue);
      const maxV = R(a.maxValue);
      for (const k of s.valid) {
        const p = pot[k];
        let ch = R(p * e);
        if (!(Math.abs(ch) >= minCh)) ch = 0;
        const sign = ch > 0 ? 1 : ch < 0 ? -1 : ch; // np.sign (0 → 0, NaN → NaN)
        ch = R(Math.min(Math.abs(ch), maxCh) * sign);
        let v: number;
        if (st === 0) v = R(past[k] + ch);
        else v = R(past[k] + ((p >= 0 && dir === 1) || (p <= 0 && dir === -1) ? ch : 0));
        v = v < 0 ? 0 : v > 1 ? 1 : v;
        if (v <= minV) v = past[k] >= minV ? minV : past[k];
        if (v > maxV) v = past[k] <= maxV ? maxV : past[k];
        out[k] = v;
      }
    });
  }

  /**
   * Up to 25 passes while any valid cell's fractions miss 1 by more than 0.005:
   * the free land uses of those cells absorb the excess in proportion to their
   * change (or their value when none changed). Every pass ends, as NumPy's
   * whole-array statement does, by clipping every valid cell to [0, 1] — fixed
   * values and cells that needed nothing included (the Acre data has fractions
   * of −1.3e−7 that this turns into 0).
   */
  private correctCellChange(): void {
    const s = this.space;
    const R = s.R;
    const lus = this.cfg.landUseTypes;
    const L = lus.length;
    const n = s.valid.length;
    const TOL = R(0.005);
    const amin = this.cfg.allocation.map((a) => a.minValue);
    const amax = this.cfg.allocation.map((a) => a.maxValue);
    const st = this.cfg.static;
    const arrays = lus.map((lu) => get(s, lu));
    const pasts = lus.map((lu) => get(s, lu + '_past'));
    const v = new Float64Array(n * L);
    const p = new Float64Array(n * L);
    for (let j = 0; j < n; j++) {
      const k = s.valid[j];
      for (let l = 0; l < L; l++) {
        v[j * L + l] = arrays[l][k];
        p[j * L + l] = pasts[l][k];
      }
    }
    const needs = new Uint8Array(n);
    const fixed = new Uint8Array(L);
    const d = new Float64Array(L);
    for (let pass = 0; pass < 25; pass++) {
      let any = false;
      for (let j = 0; j < n; j++) {
        let tot = 0;
        for (let l = 0; l < L; l++) tot = R(tot + v[j * L + l]);
        needs[j] = Math.abs(R(tot - 1)) > TOL ? 1 : 0;
        if (needs[j]) any = true;
      }
      if (!any) break;
      for (let j = 0; j < n; j++) {
        const o = j * L;
        if (needs[j]) {
          let staticSum = 0;
          let freeSum = 0;
          for (let l = 0; l < L; l++) {
            const x = v[o + l];
            fixed[l] = st[l] >= 1 || x <= amin[l] || x >= amax[l] ? 1 : 0;
            staticSum = R(staticSum + (fixed[l] ? x : 0));
            freeSum = R(freeSum + (fixed[l] ? 0 : x));
          }
          const target = R(1 - staticSum);
          const excess = R(freeSum - target);
          let totChange = 0;
          for (let l = 0; l < L; l++) {
            d[l] = fixed[l] ? 0 : R(v[o + l] - p[o + l]);
            totChange = R(totChange + Math.abs(d[l]));
          }
          for (let l = 0; l < L; l++) {
            if (fixed[l]) continue;
            const x = v[o + l];
            if (totChange === 0) v[o + l] = freeSum > 0 ? R(x * R(target / freeSum)) : x;
            else v[o + l] = R(x - R(R(Math.abs(d[l]) * excess) / totChange));
          }
        }
        for (let l = 0; l < L; l++) {
          const x = v[o + l];
          v[o + l] = x < 0 ? 0 : x > 1 ? 1 : x;
        }
      }
    }
    for (let j = 0; j < n; j++) for (let l = 0; l < L; l++) arrays[l][s.valid[j]] = v[j * L + l];
  }

  private compareToDemand(step: number, elasticity: number[]): number {
    const s = this.space;
    let maxDiff = 0;
    const picked = s.alloc().subarray(0, s.valid.length);
    const areas = this.cfg.landUseTypes.map((lu) => {
      const a = get(s, lu);
      s.valid.forEach((k, j) => (picked[j] = a[k]));
      return npSum(picked, s.R) * this.cfg.cellArea;
    });
    this.cfg.landUseTypes.forEach((lu, i) => {
      const area = areas[i];
      const dem = this.demand.current[i];
      let dir = this.demand.direction[i];
      void lu;
      if (area === 0) return;
      if (dir === 0 && step === 0) dir = dem >= area ? 1 : -1;
      elasticity[i] *= dir === INCREASING ? dem / area : area / dem;
      if (elasticity[i] > this.opts.maxElasticity) {
        elasticity[i] = this.opts.maxElasticity;
        this.potential.modify(i, dir);
      } else if (elasticity[i] < this.opts.minElasticity) {
        if (this.cfg.static[i] < 0) {
          elasticity[i] = this.opts.minElasticity;
          this.potential.modify(i, -dir);
        } else this.demand.changeDirection(i);
      }
      maxDiff = Math.max(maxDiff, Math.abs(area - dem));
    });
    return maxDiff;
  }

  /**
   * The complementary land use = clip(1 − Σ others, 0, 1); where the others
   * exceed 1, the deficit comes off the largest of them (first wins). As in
   * DisSModel, `land_use_no_data` is not consulted here (§10 item 7): every
   * other land use is eligible. The vector version clips only below.
   */
  private applyComplementar(): void {
    const s = this.space;
    const R = s.R;
    const lus = this.cfg.landUseTypes;
    const others = lus.filter((lu) => lu !== this.cfg.complementarLu).map((lu) => get(s, lu));
    const comp = get(s, this.cfg.complementarLu);
    for (const k of s.valid) {
      let total = 0;
      for (const o of others) total = R(total + o[k]);
      const c = R(1 - total);
      comp[k] = c < 0 ? 0 : c > 1 && !s.vector ? 1 : c;
      const deficit = s.vector ? (c < 0 ? -c : 0) : Math.max(0, R(total - 1));
      if (deficit > 0 && others.length > 0) {
        let big = 0;
        for (let j = 1; j < others.length; j++) if (others[j][k] > others[big][k]) big = j;
        others[big][k] = Math.max(0, R(others[big][k] - deficit));
      }
    }
  }
}
