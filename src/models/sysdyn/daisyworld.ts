/**
 * `daisyworld`: Watson & Lovelock's Daisyworld (dissmodel_sysdyn.models.Daisyworld).
 * White daisies cool the planet, black ones warm it; their areas follow the
 * temperature they make. Per tick, in DisSModel's order:
 *   pa  = white·white_albedo + black·black_albedo + empty·soil_albedo
 *   T   = (3668 · L · (1 − pa) / (4σ))^¼                       (ave_temp; σ = 5.67e-8)
 *   Tw  = (2.06e9 · (pa − white_albedo) + T⁴)^¼;  white ← white + white · (g(Tw) · empty − decay)
 *   Tb  = (2.06e9 · (pa − black_albedo) + T⁴)^¼;  black ← black + black · (g(Tb) · empty − decay)
 *   empty ← planet_area − (white + black)
 * with g(Tk) = max(0, 1 − 0.003265 · (22.5 − (Tk − 273))²) for 5 < Tk − 273 < 40, else 0.
 * The black update uses the same pa, T and the old `empty` as the white one.
 *
 * Python computes `** 0.25` and `** 4` with glibc's pow, correctly rounded;
 * V8's `**` is one ulp off from the second tick on, so the powers here are
 * the correctly rounded ones (src/sim/correctly-rounded.ts) and every value
 * matches DisSModel bit for bit. `(·)²` is one rounded product in both.
 */
import { ExecutorRegistry } from '../../executor/registry.ts';
import { pow4, root4 } from '../../sim/correctly-rounded.ts';
import { defineSpec, Model, SimulationExecutor, TABLE_OUTPUT, type Environment, type ParamsOf, type Sim } from '../kit/index.ts';
import type { SystemDynamicsModel } from './models.ts';
import { real, timeParams, timeSeries } from './series.ts';

const SIGMA = 5.67e-8; // Stefan–Boltzmann constant, W m⁻² K⁻⁴
const SOLAR_FLUX = 3668; // W m⁻²
const Q = 2.06e9; // local heat-transfer factor, K⁴

const fraction = (def: number, description: string) => real(def, description, { min: 0, max: 1, step: 0.01 });

const spec = defineSpec({
  name: 'daisyworld',
  title: 'Daisyworld',
  description:
    'Watson & Lovelock’s Daisyworld (dissmodel-sysdyn Daisyworld): white and black daisies regulate the planet’s ' +
    'temperature through their albedo. Per tick: planetary albedo and temperature, each species’ local temperature and ' +
    'growth on the bare area, decay, and the bare area left. Table: white_area, black_area, empty_area, ave_temp (K).',
  family: 'System dynamics',
  inputs: ['none'],
  params: {
    sun_luminosity: real(0.7, 'Solar luminosity relative to Watson & Lovelock’s baseline; life persists roughly in 0.7–1.6.', {
      min: 0,
      max: 10,
      step: 0.01,
    }),
    planet_area: real(1, 'Total planetary area; white + black + empty should add up to it.', { min: 0, max: 1e6 }),
    white_area: fraction(0.4, 'Initial area of white daisies.'),
    black_area: fraction(0.273, 'Initial area of black daisies.'),
    empty_area: fraction(0.327, 'Initial bare-soil area.'),
    white_albedo: fraction(0.75, 'Albedo of white daisies.'),
    black_albedo: fraction(0.25, 'Albedo of black daisies.'),
    soil_albedo: fraction(0.5, 'Albedo of bare soil.'),
    decay_rate: fraction(0.3, 'Fraction of each daisy area that dies per tick.'),
    ...timeParams(30),
  },
  output: TABLE_OUTPUT,
  displayLayer: 'ave_temp',
});
type Params = ParamsOf<typeof spec.params>;

/** Growth rate of a daisy at local temperature `kelvin`: a parabola peaking at 22.5 °C, zero outside 5–40 °C. */
export function daisyGrowthRate(kelvin: number): number {
  const celsius = kelvin - 273;
  if (!(5 < celsius && celsius < 40)) return 0;
  const d = 22.5 - celsius;
  return Math.max(0, 1 - 0.003265 * (d * d));
}

/** Planetary temperature (K) for a luminosity and a planetary albedo. */
export const planetTemperature = (luminosity: number, albedo: number): number =>
  root4((SOLAR_FLUX * luminosity * (1 - albedo)) / (4 * SIGMA));

/** Local temperature (K) of a surface with `albedo` on a planet at `planetTemp` with planetary albedo `planetAlbedo`. */
export const localTemperature = (planetTemp: number, planetAlbedo: number, albedo: number): number =>
  root4(Q * (planetAlbedo - albedo) + pow4(planetTemp));

export class Daisyworld extends Model implements SystemDynamicsModel {
  readonly variables = ['white_area', 'black_area', 'empty_area', 'ave_temp'] as const;
  whiteArea: number;
  blackArea: number;
  emptyArea: number;
  aveTemp: number;

  constructor(
    env: Environment,
    readonly p: Params,
  ) {
    super(env);
    this.whiteArea = p.white_area;
    this.blackArea = p.black_area;
    this.emptyArea = p.empty_area;
    this.aveTemp = planetTemperature(p.sun_luminosity, this.planetAlbedo());
  }

  planetAlbedo(): number {
    const p = this.p;
    return this.whiteArea * p.white_albedo + this.blackArea * p.black_albedo + this.emptyArea * p.soil_albedo;
  }

  override execute(): void {
    const p = this.p;
    const pa = this.planetAlbedo();
    this.aveTemp = planetTemperature(p.sun_luminosity, pa);

    const whiteGrowth = daisyGrowthRate(localTemperature(this.aveTemp, pa, p.white_albedo)) * this.emptyArea;
    this.whiteArea += this.whiteArea * (whiteGrowth - p.decay_rate);

    const blackGrowth = daisyGrowthRate(localTemperature(this.aveTemp, pa, p.black_albedo)) * this.emptyArea;
    this.blackArea += this.blackArea * (blackGrowth - p.decay_rate);

    this.emptyArea = p.planet_area - (this.whiteArea + this.blackArea);
  }

  state(): number[] {
    return [this.whiteArea, this.blackArea, this.emptyArea, this.aveTemp];
  }
}

export class DaisyworldExecutor extends SimulationExecutor<typeof spec.params> {
  static readonly spec = spec;
  static {
    ExecutorRegistry.register(this);
  }

  protected override runNoInput(p: Params, sim: Sim) {
    return timeSeries(sim, p, (env) => new Daisyworld(env, p));
  }
}
