/**
 * The coastal flood (+ mangrove) step on a vector layer: the same rules as
 * raster-kernel.ts (see there), and rule.ts, over a neighbourhood in CSR form — Queen from
 * the geometry, as DisSModel's vector FloodModel/MangroveModel (libpysal
 * Queen). Differences from the raster substrate are those of DisSModel's own
 * vector models: no cells outside the layer, so no zero-padding quirk; the
 * optional `mask` column plays the raster mask's role (masked-out cells are not
 * neighbours, sources or receivers, and keep their values).
 *
 * Summation order matters: sea cells often have equal elevations, so a
 * last-bit difference in one step can flip a later `<=` tie and change the
 * flux split. Two orders are offered:
 * - 'moore' (default): a receiving cell adds its own flux, then its
 *   neighbours' in the order of its neighbour list, and adds the sum to alt.
 *   `orderNeighborsLikeMoore` sorts each list as DIRS_MOORE visits a north-up
 *   grid (south row first, east to west, then the cell's own row, then the
 *   north row), so on a regular grid the results are bit-identical to the
 *   raster model's (without the benchmark's zero-padding quirk).
 * - 'python': DisSModel's vector models — `alt_nova = alt_past.copy()`, then
 *   for each source in the iteration order of the Python `set` of source
 *   indices (CPython's hash table, emulated by `pythonSetOrder`; feature index
 *   = the GeoDataFrame's RangeIndex) `alt_nova[src] += flux` and
 *   `alt_nova[n] += flux` for each neighbour not higher than it. Bit-identical
 *   to DisSModel's vector run on a layer in the same feature order.
 */
import type { Neighborhood } from '../../sim/vector.ts';
import type { GeoJSONGeometry, Position } from '../../sim/dataset.ts';
import { FLOODED_LUT, INUND_LUT, WET_LUT, roundHalfEven } from './codes.ts';
import { emptyCoastalMetrics, type CoastalMetrics, type CoastalOptions } from './raster-kernel.ts';

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
  /** Flux summation order (see the module comment). Default 'moore'. */
  order?: 'moore' | 'python';
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
  private readonly order: 'moore' | 'python';
  private readonly sourceList: Int32Array;
  /** Order 'python': the sources of the last step in the order their fluxes were added (Python set order). */
  sourceOrder: Int32Array = new Int32Array(0);

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
    this.order = init.order ?? 'moore';
    this.sourceList = new Int32Array(this.order === 'python' ? n : 0);
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
    const python = this.order === 'python';
    if (python) {
      // DisSModel's vector FloodModel: alt_nova = alt_past; then per source, in Python set order,
      // alt_nova[src] += flux and alt_nova[n] += flux for each neighbour not higher than it
      A2.set(A);
      let ns = 0;
      for (let i = 0; i < n; i++) if ((flags[i] & 1) !== 0) this.sourceList[ns++] = i;
      const srcs = pythonSetOrder(this.sourceList.subarray(0, ns));
      this.sourceOrder = srcs;
      for (let k = 0; k < srcs.length; k++) {
        const s = srcs[k];
        const fl = flux[s];
        const as = A[s];
        A2[s] += fl;
        for (let e = offsets[s], end = offsets[s + 1]; e < end; e++) {
          const j = neighbors[e];
          if ((mask === null || mask[j] !== 0) && A[j] <= as) A2[j] += fl;
        }
      }
    }
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
      let aNew: number;
      if (python) {
        for (let e = offsets[i], end = offsets[i + 1]; e < end; e++) nbs |= flags[neighbors[e]];
        aNew = A2[i]; // alt with the fluxes already pushed onto it
      } else {
        let delta = flux[i];
        for (let e = offsets[i], end = offsets[i + 1]; e < end; e++) {
          const j = neighbors[e];
          const fj = flags[j];
          nbs |= fj;
          if ((fj & 1) !== 0 && a <= A[j]) delta += flux[j];
        }
        aNew = a + delta;
      }
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

/**
 * The iteration order of CPython's `set(keys)` for non-negative int keys below
 * 2^61 (hash(k) = k) added in the given order: CPython 3.7–3.13's open
 * addressing (LINEAR_PROBES = 9, PERTURB_SHIFT = 5, table grown ×4 when more
 * than 3/5 full), iterated in slot order.
 */
export function pythonSetOrder(keys: ArrayLike<number>): Int32Array {
  const LINEAR_PROBES = 9;
  let mask = 7;
  let table = new Int32Array(8).fill(-1);
  let fill = 0;
  const insertClean = (t: Int32Array, m: number, key: number) => {
    let perturb = key;
    let i = key & m;
    for (;;) {
      if (t[i] < 0) {
        t[i] = key;
        return;
      }
      if (i + LINEAR_PROBES <= m) {
        for (let j = 1; j <= LINEAR_PROBES; j++) {
          if (t[i + j] < 0) {
            t[i + j] = key;
            return;
          }
        }
      }
      perturb = Math.floor(perturb / 32);
      i = (i * 5 + 1 + perturb) % (m + 1);
    }
  };
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    let perturb = key;
    let i = key & mask;
    let placed = -1;
    search: for (;;) {
      const probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
      for (let j = i; j <= i + probes; j++) {
        if (table[j] < 0) {
          placed = j;
          break search;
        }
        if (table[j] === key) break search; // already present
      }
      perturb = Math.floor(perturb / 32);
      i = (i * 5 + 1 + perturb) % (mask + 1);
    }
    if (placed < 0) continue;
    table[placed] = key;
    fill++;
    if (fill * 5 >= mask * 3) {
      const used = fill; // no deletions, so used == fill
      let size = 8;
      while (size <= (used > 50000 ? used * 2 : used * 4)) size *= 2;
      const next = new Int32Array(size).fill(-1);
      for (let s = 0; s <= mask; s++) if (table[s] >= 0) insertClean(next, size - 1, table[s]);
      table = next;
      mask = size - 1;
    }
  }
  const out = new Int32Array(fill);
  let o = 0;
  for (let s = 0; s <= mask; s++) if (table[s] >= 0) out[o++] = table[s];
  return out;
}
