/**
 * The coastal rules in their readable form: DisSModel's numpy code as
 * whole-array statements over the raster vocabulary (src/sim/raster.ts:
 * `shift2d`, DIRS_MOORE; cells outside the grid are 0). `cells(i => …)` is one
 * elementwise numpy expression; `shift(x, d)[i]` is the value of the
 * neighbour at −d. Each statement is a line of BR-MANGUE's FloodModel and
 * MangroveModel (DISSMODEL-SPEC §6.3) or of the benchmark's inline flood.
 *
 * The models run the fused kernels (raster-kernel.ts: one pass, no
 * allocation; vector-kernel.ts); coastal.test.ts holds the raster kernel equal
 * to these rules on every reference case, step by step, bit for bit.
 *
 * dtypes as numpy's: codes are small integers (exact in float64); `alt` is
 * float32 until the first flood step makes it float64, and while it is float32
 * numpy compares it with the float64 thresholds in float32 (NEP 50), hence
 * `Math.fround` on the thresholds in that first step.
 */
import { MOORE, shift2d, type Direction } from '../../sim/raster.ts';
import { REGRAS_INUNDACAO, roundHalfEven, USOS_INUNDADOS } from './codes.ts';
import type { CoastalMetrics, CoastalOptions } from './raster-kernel.ts';

/** The state of a coastal grid (row-major, `rows × cols`). */
export interface CoastalGrid {
  rows: number;
  cols: number;
  uso: Float64Array;
  alt: Float64Array;
  /** Needed by the mangrove rule. */
  solo: Float64Array | null;
  /** Non-zero = valid cell; null = all valid. */
  mask: ArrayLike<number> | null;
  /** Whether alt is still float32 (before the first step of a float32 input). */
  altFloat32: boolean;
}

const FLOODS = Object.entries(REGRAS_INUNDACAO).map(([dry, wet]) => [Number(dry), wet] as const);
const flooded = (u: number) => USOS_INUNDADOS.includes(u);

function vocabulary(g: CoastalGrid) {
  const n = g.rows * g.cols;
  const cells = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
  const shift = (a: Float64Array, [dr, dc]: Direction) => shift2d(a, g.rows, g.cols, dr, dc);
  const mask = g.mask;
  const M = mask === null ? cells(() => 1) : cells((i) => +(mask[i] !== 0));
  return { n, cells, shift, M };
}

/** FloodModel (or the benchmark's flood with `padLower`): sea-level rise spreads from sources to lower neighbours and floods dry land. */
export function floodRule(g: CoastalGrid, t: number, o: CoastalOptions) {
  const { cells, shift, M } = vocabulary(g);
  const U = g.uso;
  const A = g.alt;
  const nivel = t * o.rate; // global sea level
  const level = g.altFloat32 ? Math.fround(nivel) : nivel;

  const fonte = cells((i) => +(flooded(U[i]) && A[i] >= 0 && M[i] === 1));
  // low = 1 + #neighbours not higher; brmangue counts in-grid, in-mask ones, the benchmark every position (alt 0 off the grid)
  let low = cells(() => 1);
  for (const d of MOORE) {
    const counted = o.padLower ? cells(() => 1) : shift(M, d);
    const An = shift(A, d);
    low = cells((i) => low[i] + +(counted[i] === 1 && An[i] <= A[i]));
  }
  const fluxo = cells((i) => (fonte[i] ? o.rate / low[i] : 0));

  let dAlt = fluxo;
  let Unew = U;
  for (const d of MOORE) {
    const fv = shift(fonte, d); // the neighbour at −d is a source…
    const An = shift(A, d);
    const Fn = shift(fluxo, d);
    dAlt = cells((i) => dAlt[i] + (fv[i] && A[i] <= An[i] ? Fn[i] : 0)); // …and not lower than this cell: receive its flux
    for (const [dry, wet] of FLOODS) Unew = cells((i) => (fv[i] && U[i] === dry && A[i] <= level && M[i] ? wet : Unew[i]));
  }
  const alt = cells((i) => (M[i] ? A[i] + dAlt[i] : A[i]));
  const uso = cells((i) => (M[i] ? Unew[i] : U[i]));

  let floodedCells = 0;
  let newlyFlooded = 0;
  uso.forEach((u, i) => {
    if (!M[i]) return;
    if (flooded(u) && u !== 3) floodedCells++;
    if (flooded(u) && !flooded(U[i])) newlyFlooded++;
  });
  return { uso, alt, flooded_cells: floodedCells, newly_flooded: newlyFlooded, current_sea_level: roundHalfEven(nivel, 4) };
}

/**
 * MangroveModel: mangrove soil and mangrove migrate onto vegetation or bare
 * soil within the tidal reach. Conditions read the start-of-step snapshot
 * `past`; writes go on top of the post-flood `current` arrays.
 */
export function mangroveRule(past: CoastalGrid, current: { uso: Float64Array; alt: Float64Array }, t: number, o: CoastalOptions) {
  const { cells, shift, M } = vocabulary(past);
  const U = past.uso;
  const A = past.alt;
  const S = past.solo!;
  const nivel = t * o.rate;
  const zi = o.tide + nivel; // the tide's reach
  const reach = past.altFloat32 ? Math.fround(zi) : zi;
  const taxaAc = 1.693 / 1000.0 + 0.939 * nivel; // Alongi 2008

  const alvo = cells((i) => +((U[i] === 2 || U[i] === 5) && A[i] <= reach && M[i] === 1)); // land mangrove can take
  const fs = cells((i) => +((S[i] === 3 || S[i] === 9 || S[i] === 0) && M[i] === 1)); // mangrove soil sources
  const fu = cells((i) => +((U[i] === 1 || U[i] === 8) && M[i] === 1)); // mangrove sources
  let Snew = S;
  let Unew = current.uso;
  for (const d of MOORE) {
    const sv = shift(fs, d);
    const uv = shift(fu, d);
    Snew = cells((i) => (sv[i] && alvo[i] && S[i] !== 9 ? 9 : Snew[i]));
    Unew = cells((i) => (uv[i] && alvo[i] && (S[i] === 3 || S[i] === 9) ? 8 : Unew[i]));
  }
  let alt = current.alt;
  if (o.accretion) {
    const c = cells((i) => +((S[i] === 3 || S[i] === 9) && !flooded(U[i]) && M[i] === 1));
    alt = cells((i) => (M[i] ? (c[i] ? current.alt[i] + taxaAc : current.alt[i]) : A[i]));
  }
  const uso = cells((i) => (M[i] ? Unew[i] : current.uso[i]));
  const solo = cells((i) => (M[i] ? Snew[i] : S[i]));
  return {
    uso,
    alt,
    solo,
    mangrove_migrated: uso.reduce((k, u, i) => k + +(M[i] === 1 && u === 8), 0),
    soil_migrated: solo.reduce((k, s, i) => k + +(M[i] === 1 && s === 9), 0),
  };
}

/** One tick: FloodModel, then (with `o.mangrove`) MangroveModel on the same snapshot. */
export function coastalRule(g: CoastalGrid, t: number, o: CoastalOptions): { next: CoastalGrid; metrics: CoastalMetrics } {
  const { uso, alt, ...floodMetrics } = floodRule(g, t, o);
  const metrics: CoastalMetrics = { ...floodMetrics, mangrove_migrated: 0, soil_migrated: 0 };
  let next: CoastalGrid = { ...g, uso, alt, altFloat32: false };
  if (o.mangrove && g.solo !== null) {
    const m = mangroveRule(g, { uso, alt }, t, o);
    next = { ...next, uso: m.uso, alt: m.alt, solo: m.solo };
    metrics.mangrove_migrated = m.mangrove_migrated;
    metrics.soil_migrated = m.soil_migrated;
  }
  return { next, metrics };
}
