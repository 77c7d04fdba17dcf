/**
 * The coastal flood (+ mangrove) step on a vector layer: the same rules as
 * coastal-raster.ts (see there), over a neighbourhood in CSR form — Queen from
 * the geometry, as DisSModel's vector FloodModel/MangroveModel (libpysal
 * Queen). Differences from the raster substrate are those of DisSModel's own
 * vector models: no cells outside the layer, so no zero-padding quirk; the
 * optional `mask` column plays the raster mask's role (masked-out cells are not
 * neighbours, sources or receivers, and keep their values).
 *
 * Summation order: a receiving cell adds its own flux, then its neighbours'
 * in the order of its neighbour list. `orderNeighborsLikeMoore` sorts each list
 * as DIRS_MOORE visits a north-up grid (south row first, east to west, then
 * the cell's own row, then the north row), so on a regular grid the float64
 * sums — and the results — are bit-identical to the raster model's.
 * (DisSModel's vector FloodModel instead adds each source's flux straight onto
 * alt in set order; its results differ from the raster's in the last bits.)
 */
import type { Neighborhood } from '../../sim/vector.ts';
import type { GeoJSONGeometry, Position } from '../../io/types.ts';
import { FLOODED_LUT, INUND_LUT, WET_LUT, roundHalfEven } from './coastal-codes.ts';
import { emptyCoastalMetrics, type CoastalMetrics, type CoastalOptions } from './coastal-raster.ts';

export interface CoastalVectorInit {
  uso: Int16Array;
  alt: Float64Array;
  solo?: Int16Array | null;
  /** 1 = valid cell; null = all valid. */
  mask?: Uint8Array | null;
  /** CSR neighbourhood (neighbour lists in summation order). */
  offsets: Int32Array;
  neighbors: Int32Array;
  /** Whether alt has float32 precision before the first step (thresholds then compared in float32). */
  altFloat32?: boolean;
}

export class CoastalVector {
  readonly size: number;
  uso: Int16Array;
  alt: Float64Array;
  solo: Int16Array | null;
  readonly mask: Uint8Array | null;
  altFloat32: boolean;
  readonly options: CoastalOptions;
  readonly metrics: CoastalMetrics = emptyCoastalMetrics();
  private readonly offsets: Int32Array;
  private readonly neighbors: Int32Array;
  private uso2: Int16Array;
  private alt2: Float64Array;
  private solo2: Int16Array | null;
  private readonly flux: Float64Array;
  private readonly flags: Uint8Array;

  constructor(init: CoastalVectorInit, options: Omit<CoastalOptions, 'padLower'>) {
    const n = init.uso.length;
    if (init.alt.length !== n || (init.solo && init.solo.length !== n) || (init.mask && init.mask.length !== n)) {
      throw new RangeError('uso, alt, solo and mask must have one value per cell');
    }
    if (init.offsets.length !== n + 1) throw new RangeError('the neighbourhood does not match the layer');
    if (options.mangrove && !init.solo) throw new RangeError('the mangrove model needs a solo array');
    this.size = n;
    this.options = { ...options, padLower: false };
    this.uso = init.uso.slice();
    this.alt = init.alt.slice();
    this.solo = init.solo ? init.solo.slice() : null;
    this.mask = init.mask ?? null;
    this.altFloat32 = init.altFloat32 ?? false;
    this.offsets = init.offsets;
    this.neighbors = init.neighbors;
    this.uso2 = new Int16Array(n);
    this.alt2 = new Float64Array(n);
    this.solo2 = this.solo ? new Int16Array(n) : null;
    this.flux = new Float64Array(n);
    this.flags = new Uint8Array(n);
  }

  /** One tick at time t: FloodModel (then MangroveModel). */
  step(t: number): CoastalMetrics {
    const { size: n, mask, flux, flags, offsets, neighbors } = this;
    const { rate, mangrove, tide, accretion } = this.options;
    const U = this.uso;
    const A = this.alt;
    const S = this.solo;
    const useMangrove = mangrove && S !== null;
    const nivel = t * rate;
    const zi = tide + nivel;
    const taxaAc = 1.693 / 1000.0 + 0.939 * nivel;
    const nivelCmp = this.altFloat32 ? Math.fround(nivel) : nivel;
    const ziCmp = this.altFloat32 ? Math.fround(zi) : zi;

    // pass 1: sources (bit 0), soil sources (bit 1), use sources (bit 2); flux of sources
    for (let i = 0; i < n; i++) {
      let f = 0;
      let fl = 0;
      if (mask === null || mask[i] !== 0) {
        const u = U[i];
        const a = A[i];
        if (INUND_LUT[u & 0xffff] !== 0 && a >= 0) {
          f = 1;
          let low = 1;
          for (let e = offsets[i], end = offsets[i + 1]; e < end; e++) {
            const j = neighbors[e];
            if ((mask === null || mask[j] !== 0) && A[j] <= a) low++;
          }
          fl = rate / low;
        }
        if (useMangrove) {
          const s = S![i];
          if (s === 3 || s === 9 || s === 0) f |= 2;
          if (u === 1 || u === 8) f |= 4;
        }
      }
      flags[i] = f;
      flux[i] = fl;
    }

    // pass 2
    const U2 = this.uso2;
    const A2 = this.alt2;
    const S2 = this.solo2;
    let flooded = 0;
    let newly = 0;
    let migrated = 0;
    let soilMigrated = 0;
    for (let i = 0; i < n; i++) {
      const u = U[i];
      const a = A[i];
      if (mask !== null && mask[i] === 0) {
        U2[i] = u;
        A2[i] = a;
        if (S2 !== null) S2[i] = S![i];
        continue;
      }
      let nbs = 0;
      let delta = flux[i];
      for (let e = offsets[i], end = offsets[i + 1]; e < end; e++) {
        const j = neighbors[e];
        const fj = flags[j];
        nbs |= fj;
        if ((fj & 1) !== 0 && a <= A[j]) delta += flux[j];
      }
      let aNew = a + delta;
      let uF = u;
      if ((nbs & 1) !== 0 && a <= nivelCmp) {
        const w = WET_LUT[u & 0xffff];
        if (w !== 0) uF = w;
      }
      const wasWet = INUND_LUT[u & 0xffff];
      flooded += FLOODED_LUT[uF & 0xffff];
      if (wasWet === 0 && INUND_LUT[uF & 0xffff] !== 0) newly++;
      let uNew = uF;
      if (useMangrove) {
        const s = S![i];
        let sNew = s;
        if ((u === 2 || u === 5) && a <= ziCmp) {
          if ((nbs & 2) !== 0 && s !== 9) sNew = 9;
          if ((nbs & 4) !== 0 && (s === 3 || s === 9)) uNew = 8;
        }
        if (accretion && (s === 3 || s === 9) && wasWet === 0) aNew = aNew + taxaAc;
        if (uNew === 8) migrated++;
        if (sNew === 9) soilMigrated++;
        S2![i] = sNew;
      }
      U2[i] = uNew;
      A2[i] = aNew;
    }

    this.uso2 = U;
    this.alt2 = A;
    this.uso = U2;
    this.alt = A2;
    if (S2 !== null) {
      this.solo2 = S;
      this.solo = S2;
    }
    this.altFloat32 = false;
    const m = this.metrics;
    m.flooded_cells = flooded;
    m.newly_flooded = newly;
    m.current_sea_level = roundHalfEven(nivel, 4);
    m.mangrove_migrated = useMangrove ? migrated : 0;
    m.soil_migrated = useMangrove ? soilMigrated : 0;
    return m;
  }
}

/** Centre of a geometry's bounding box. */
function bboxCentre(g: GeoJSONGeometry): [number, number] {
  let xmin = Infinity;
  let ymin = Infinity;
  let xmax = -Infinity;
  let ymax = -Infinity;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const p = c as Position;
      if (p[0] < xmin) xmin = p[0];
      if (p[0] > xmax) xmax = p[0];
      if (p[1] < ymin) ymin = p[1];
      if (p[1] > ymax) ymax = p[1];
    } else if (Array.isArray(c)) for (const x of c) visit(x);
  };
  visit(g.coordinates);
  return [(xmin + xmax) / 2, (ymin + ymax) / 2];
}

/**
 * A copy of the neighbourhood with every list in DIRS_MOORE visiting order on
 * a north-up layer: by centre y ascending (south first), then x descending
 * (east first); centres within `tolerance × extent` of each other count as
 * equal, and the feature index breaks remaining ties.
 */
export function orderNeighborsLikeMoore(
  nb: Neighborhood,
  geometries: readonly GeoJSONGeometry[],
  tolerance = 1e-9,
): { offsets: Int32Array; neighbors: Int32Array } {
  const n = nb.size;
  const cx = new Float64Array(n);
  const cy = new Float64Array(n);
  let xmin = Infinity;
  let xmax = -Infinity;
  let ymin = Infinity;
  let ymax = -Infinity;
  for (let i = 0; i < n; i++) {
    const [x, y] = bboxCentre(geometries[i]);
    cx[i] = x;
    cy[i] = y;
    if (x < xmin) xmin = x;
    if (x > xmax) xmax = x;
    if (y < ymin) ymin = y;
    if (y > ymax) ymax = y;
  }
  const eps = n > 0 ? tolerance * Math.max(xmax - xmin, ymax - ymin, 0) : 0;
  const neighbors = nb.neighbors.slice();
  const tmp: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = nb.offsets[i];
    const e = nb.offsets[i + 1];
    tmp.length = 0;
    for (let k = s; k < e; k++) tmp.push(nb.neighbors[k]);
    tmp.sort((a, b) => {
      const dy = cy[a] - cy[b];
      if (Math.abs(dy) > eps) return dy;
      const dx = cx[b] - cx[a];
      if (Math.abs(dx) > eps) return dx;
      return a - b;
    });
    for (let k = s; k < e; k++) neighbors[k] = tmp[k - s];
  }
  return { offsets: nb.offsets, neighbors };
}
