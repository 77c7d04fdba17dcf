/**
 * `mono_lake`: the Mono Lake water balance of Ford's *Modeling the Environment*
 * (dissmodel_sysdyn.models.MonoLake). Per tick, with W the volume (KAF):
 *   S     = surface(W)                                              (km²)
 *   W     ← W + ((S · prec_rate + runoff + other_in) − (S · evap_rate + export + other_out))
 *   level = elevation(W)                                            (ft)
 *
 * surface and elevation are DisSModel's scipy `CubicSpline`s (not-a-knot,
 * extrapolating) through Ford's tables of volume 0, 1000, …, 8000 KAF against
 * surface area and lake elevation. Their coefficients are scipy's own (its
 * not-a-knot solve, as recorded in tests/reference/sysdyn_mono_lake.json) and
 * are evaluated as scipy's PPoly does — an ascending power sum
 * (res += c[k]·z; z *= dx), not Horner's form, which differs in the last ulp
 * of `level` — so every step matches DisSModel bit for bit. The initial
 * `level` is a parameter (DisSModel does not derive it from the volume).
 */
import { ExecutorRegistry } from '../../executor/registry.ts';
import { defineSpec, Model, SimulationExecutor, TABLE_OUTPUT, type Environment, type ParamsOf, type Sim } from '../kit/index.ts';
import type { SystemDynamicsModel } from './models.ts';
import { real, timeParams, timeSeries } from './series.ts';

/** A piecewise cubic as scipy's PPoly: c[0] the cubic coefficients per interval … c[3] the constants. */
export class CubicPiecewise {
  constructor(
    readonly breakpoints: readonly number[],
    readonly c: readonly (readonly number[])[],
  ) {}

  /** The interval x_i ≤ x < x_{i+1}, clamped to the first and last (extrapolation), then the power sum of scipy's evaluate_poly1. */
  at(x: number): number {
    const b = this.breakpoints;
    let i = 0;
    while (i < b.length - 2 && x >= b[i + 1]) i++;
    const dx = x - b[i];
    let res = 0;
    let z = 1;
    for (let k = 3; k >= 0; k--) {
      res += this.c[k][i] * z;
      z *= dx;
    }
    return res;
  }
}

const VOLUME_KAF = [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000];

/** Lake surface (km²) against volume; data 0, 24.7, 35.3, 48.6, 54.3, 57.2, 61.6, 66.0, 69.9. */
export const SURFACE_KM2 = new CubicPiecewise(VOLUME_KAF, [
  [
    4.18735042735044e-9, 4.187350427350429e-9, -4.136752136752145e-9, 2.0596581196581294e-9, 6.981196581196504e-10, -5.521367521367487e-10,
    1.042735042735242e-11, 1.042735042735242e-11,
  ],
  [
    -1.9612051282051303e-5, -7.050000000000001e-6, 5.512051282051294e-6, -6.898205128205143e-6, -7.192307692307564e-7,
    1.3751282051281966e-6, -2.8128205128205225e-7, -2.4999999999999676e-7,
  ],
  [
    0.040124700854700865, 0.01346264957264957, 0.011924700854700855, 0.010538547008547009, 0.0029211111111111117, 0.0035770085470085504,
    0.004670854700854698, 0.00413957264957265,
  ],
  [0.0, 24.7, 35.3, 48.6, 54.3, 57.2, 61.6, 66.0],
]);

/** Lake elevation (ft) against volume; data 6224, 6335, 6369, 6392, 6412, 6430, 6447, 6463, 6477. */
export const ELEVATION_FT = new CubicPiecewise(VOLUME_KAF, [
  [
    1.3505769230769237e-8, 1.3505769230769224e-8, -1.5288461538461516e-9, 6.096153846153821e-10, 9.038461538462412e-11,
    2.8846153846150134e-11, -2.057692307692316e-10, -2.0576923076922814e-10,
  ],
  [
    -7.90173076923077e-5, -3.8499999999999994e-5, 2.01730769230769e-6, -2.5692307692307682e-6, -7.403846153846254e-7,
    -4.6923076923076694e-7, -3.826923076923027e-7, -1.0000000000000044e-6,
  ],
  [
    0.17651153846153847, 0.05899423076923077, 0.02251153846153846, 0.021959615384615386, 0.01865, 0.017440384615384618,
    0.016588461538461535, 0.015205769230769233,
  ],
  [6224.0, 6335.0, 6369.0, 6392.0, 6412.0, 6430.0, 6447.0, 6463.0],
]);

const flow = (def: number, description: string) => real(def, description, { min: 0, max: 1e6, unit: 'KAF/year' });

const spec = defineSpec({
  name: 'mono_lake',
  title: 'Mono Lake',
  description:
    'The Mono Lake water balance (Ford; dissmodel-sysdyn MonoLake): per year the lake gains precipitation on its surface, ' +
    'runoff and other inflows, and loses evaporation, exports and other outflows; surface and elevation come from ' +
    "Ford's volume tables through DisSModel's cubic splines. Table: water_in_lake (KAF) and level (ft).",
  family: 'System dynamics',
  inputs: ['none'],
  params: {
    water_in_lake: real(2228, 'Initial lake volume.', { min: 0, max: 1e6, unit: 'KAF' }),
    level: real(6375, 'Initial lake elevation (a parameter: not derived from the volume).', { min: 0, max: 1e5, unit: 'ft' }),
    prec_rate: real(0.67, 'Precipitation on the lake surface.', { min: 0, max: 100, step: 0.01, unit: 'ft/year' }),
    runoff: flow(150, 'Runoff into the lake.'),
    other_in: flow(47.6, 'Other inflows.'),
    evap_rate: real(3.75, 'Evaporation from the lake surface.', { min: 0, max: 100, step: 0.01, unit: 'ft/year' }),
    other_out: flow(33.6, 'Other outflows.'),
    export: flow(100, 'Water exported (diverted to Los Angeles).'),
    ...timeParams(30),
  },
  output: TABLE_OUTPUT,
  displayLayer: 'level',
});
type Params = ParamsOf<typeof spec.params>;

export class MonoLake extends Model implements SystemDynamicsModel {
  readonly variables = ['water_in_lake', 'level'] as const;
  waterInLake: number;
  level: number;

  constructor(
    env: Environment,
    readonly p: Params,
  ) {
    super(env);
    this.waterInLake = p.water_in_lake;
    this.level = p.level;
  }

  override execute(): void {
    const p = this.p;
    const surface = SURFACE_KM2.at(this.waterInLake);
    const totalInput = surface * p.prec_rate + p.runoff + p.other_in;
    const totalOutput = surface * p.evap_rate + p.export + p.other_out;
    this.waterInLake += totalInput - totalOutput;
    this.level = ELEVATION_FT.at(this.waterInLake);
  }

  state(): number[] {
    return [this.waterInLake, this.level];
  }
}

export class MonoLakeExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override runNoInput(p: Params, sim: Sim) {
    return timeSeries(sim, p, (env) => new MonoLake(env, p));
  }
}
