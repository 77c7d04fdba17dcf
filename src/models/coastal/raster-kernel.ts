/**
 * The coastal flood (+ mangrove migration) step on a raster, fused for speed,
 * shared by `flood_benchmark` (DisSModel's inline benchmark flood) and
 * `brmangue` (BR-MANGUE FloodModel then MangroveModel). The same rules in
 * readable form, as whole-array statements: rule.ts; coastal.test.ts holds
 * this kernel equal to them on every reference case, step by step.
 *
 * Semantics (DisSModel, see DISSMODEL-SPEC §6.3 and §7.1), with t = env.now():
 *   nivel = t · rate                                      global sea level
 *   source(i) = mask(i) ∧ uso(i) ∈ {3,6,7,9,10} ∧ alt(i) ≥ 0
 *   low(i)    = 1 + #{Moore neighbours n : counts(n) ∧ alt(n) ≤ alt(i)}
 *               counts(n) = n in the grid ∧ mask(n)         (brmangue)
 *               counts(n) = true, off-grid alt = 0          (benchmark: the zero padding quirk)
 *   flux(i)   = rate / low(i) for sources, else 0
 *   alt'(i)   = alt(i) + (flux(i) + Σ_{Moore n in DIRS_MOORE order, in grid} [alt(i) ≤ alt(n)] · flux(n))
 *   uso'(i)   = WET[uso(i)] when mask(i) ∧ some neighbour is a source ∧ alt(i) ≤ nivel
 * BR-MANGUE's MangroveModel then, with zi = tide + nivel and on top of the
 * post-flood uso (its conditions read only the start-of-step snapshot):
 *   solo'(i)  = 9 when mask ∧ some neighbour has solo ∈ {3,9,0} (and mask) ∧ uso ∈ {2,5} ∧ solo ≠ 9 ∧ alt ≤ zi
 *   uso''(i)  = 8 when mask ∧ some neighbour has uso ∈ {1,8} (and mask) ∧ uso ∈ {2,5} ∧ solo ∈ {3,9} ∧ alt ≤ zi
 *   accretion (optional): alt''(i) = alt'(i) + 1.693e-3 + 0.939·nivel when mask ∧ solo ∈ {3,9} ∧ uso ∉ flooded
 * Masked-out cells keep their values.
 *
 * Snapshot ownership: in DisSModel FloodModel's first pre_execute copies every
 * state array to `<name>_past`, FloodModel writes uso/alt, MangroveModel writes
 * uso/solo on top of the current (post-flood) arrays and re-snapshots in its
 * post_execute. So within a step every condition reads the start-of-step state
 * and every write is per cell; flood and mangrove are fused here into one pass
 * per cell, and no cell is written before every cell that reads its
 * start-of-step value has been computed (see Speed) — the re-snapshot costs
 * nothing. Metrics are counted as DisSModel does: flooded/newly flooded from
 * the FloodModel's result (before the mangrove overwrite), migrated counts from
 * the final arrays.
 *
 * Bit-level fidelity: the per-cell flux sum is accumulated in the order numpy
 * does (own flux, then the neighbours in DIRS_MOORE order, i.e. neighbour
 * (r+1,c+1), (r+1,c), (r+1,c-1), (r,c+1), (r,c-1), (r-1,c+1), (r-1,c), (r-1,c-1)),
 * then added to alt, so results are identical to DisSModel's float64 numpy.
 * While `alt` is still float32 (DisSModel loads it as float32; it becomes
 * float64 after the first flood step) numpy compares it with the scalar
 * thresholds nivel and zi in float32; `altFloat32` reproduces that by rounding
 * the thresholds with Math.fround for that first step.
 *
 * Speed: no allocation per step, one sweep over the grid, only changed cells
 * written. Pass 1 (packed flags — source | soil source << 4 | use source << 8,
 * four bits per field so a 3×3 sum cannot carry — and the flux of each source)
 * runs one row ahead into three-row rings. Pass 2 slides a 3×3 window of flag
 * sums along row r, only over the columns next to a flagged cell: "does a
 * neighbour…" costs three loads, and only cells next to a source walk their 8
 * neighbours (branch-free, in DIRS_MOORE order). uso and solo are written in
 * place (no later row reads them); new alt values of row r are queued and
 * written once row r+1 — the last reader of row r's start-of-step alt — is
 * done. The metrics are running counts adjusted by the cells that change.
 */
import { FLOODED_LUT, INUND_LUT, WET_LUT, roundHalfEven } from './codes.ts';

export interface CoastalOptions {
  /** Sea-level rise per step (m/step): DisSModel's `taxa_elevacao`. */
  rate: number;
  /** Benchmark quirk: off-grid positions (alt 0) count as lower neighbours. */
  padLower: boolean;
  /** Run the MangroveModel after the FloodModel (needs `solo`). */
  mangrove: boolean;
  /** Tide height (m), MangroveModel's `altura_mare`. */
  tide: number;
  /** MangroveModel's `acrecao_ativa` (Alongi 2008 accretion). */
  accretion: boolean;
}

export interface CoastalMetrics {
  flooded_cells: number;
  newly_flooded: number;
  current_sea_level: number;
  mangrove_migrated: number;
  soil_migrated: number;
}

export const emptyCoastalMetrics = (): CoastalMetrics => ({
  flooded_cells: 0,
  newly_flooded: 0,
  current_sea_level: 0,
  mangrove_migrated: 0,
  soil_migrated: 0,
});

export interface CoastalRasterInit {
  rows: number;
  cols: number;
  uso: Int16Array;
  /** Float64 values (float32 inputs widened exactly). */
  alt: Float64Array;
  /** Required when options.mangrove. */
  solo?: Int16Array | null;
  /** 1 = valid cell; null = all valid. */
  mask?: Uint8Array | null;
  /** Whether alt still has float32 precision (thresholds compared in float32 until the first step). */
  altFloat32: boolean;
}

// Packed per-cell flags (4 bits per field, so a 3×3 sum cannot carry).
const F_SOURCE = 1;
const F_SOIL = 16;
const F_USE = 256;
const M_SOURCE = 0xf;
const M_SOIL = 0xf0;
const M_USE = 0xf00;

// One lookup per land-use code (index code & 0xffff): bit 0 sea/flooded, bit 1 mangrove (1, 8: a use source).
const USO_BITS = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) USO_BITS[c] = INUND_LUT[c] | ((c === 1 || c === 8 ? 1 : 0) << 1);

export class CoastalRaster {
  readonly rows: number;
  readonly cols: number;
  /** The state, updated in place by every step (row-major). */
  readonly uso: Int16Array;
  readonly alt: Float64Array;
  readonly solo: Int16Array | null;
  readonly mask: Uint8Array | null;
  /** Whether alt still has float32 precision (true until the first step when loaded as float32). */
  altFloat32: boolean;
  readonly options: CoastalOptions;
  readonly metrics: CoastalMetrics = emptyCoastalMetrics();

  // Three-row rings (row r at slot r % 3, each slot cols + 2 wide with a zero
  // sentinel at both ends) of the start-of-step flags and flux, and per slot the
  // first and last column holding a flag.
  private readonly flags: Uint16Array;
  private readonly flux: Float64Array;
  private readonly lo = new Int32Array(3);
  private readonly hi = new Int32Array(3);
  // Per ring slot, the columns written last time (everything else in the slot is 0).
  private readonly wlo = new Int32Array(3);
  private readonly whi = new Int32Array(3);
  // Per grid row, a column range outside which no cell has a flag in the current
  // state: pass 1 scans only that range. Exact after each scan, widened by pass 2
  // where a cell changes (only changed cells can gain a flag).
  private readonly rowLo: Int32Array;
  private readonly rowHi: Int32Array;
  // New alt values of rows r-1 and r, written into `alt` only once no later
  // row needs the start-of-step values any more.
  private readonly pendIdx: Int32Array;
  private readonly pendVal: Float64Array;
  private zerosNormalised = false;
  // Running counts over the current state (valid cells): flooded land, uso 8, solo 9.
  private countFlooded = 0;
  private countMigrated = 0;
  private countSoil = 0;

  constructor(init: CoastalRasterInit, options: CoastalOptions) {
    const n = init.rows * init.cols;
    for (const [name, a] of [
      ['uso', init.uso],
      ['alt', init.alt],
      ['solo', init.solo],
      ['mask', init.mask],
    ] as const) {
      if (a && a.length !== n) throw new RangeError(`${name} has ${a.length} cells, expected ${n}`);
    }
    if (options.mangrove && !init.solo) throw new RangeError('the mangrove model needs a solo array');
    if (init.mask) {
      for (let i = 0; i < n; i++) if (init.mask[i] > 1) throw new RangeError('mask values must be 0 or 1');
    }
    this.rows = init.rows;
    this.cols = init.cols;
    this.options = { ...options };
    this.uso = init.uso.slice();
    this.alt = init.alt.slice();
    this.solo = init.solo ? init.solo.slice() : null;
    this.mask = init.mask ?? null;
    this.altFloat32 = init.altFloat32;
    this.flags = new Uint16Array(3 * (init.cols + 2));
    this.flux = new Float64Array(3 * (init.cols + 2));
    this.pendIdx = new Int32Array(2 * init.cols);
    this.pendVal = new Float64Array(2 * init.cols);
    this.rowLo = new Int32Array(init.rows); // [0, cols - 1]: scan everything first
    this.rowHi = new Int32Array(init.rows).fill(init.cols - 1);
    const { uso, solo, mask } = this;
    for (let i = 0; i < n; i++) {
      if (mask !== null && mask[i] === 0) continue;
      this.countFlooded += FLOODED_LUT[uso[i] & 0xffff];
      if (uso[i] === 8) this.countMigrated++;
      if (solo !== null && solo[i] === 9) this.countSoil++;
    }
  }

  /**
   * Pass 1 for row r into ring slot `slot` (offset of its column 0), from
   * start-of-step values (rows r-1..r+1 of alt are still untouched when this
   * runs): packed flags and the flux of each source.
   */
  private sources(r: number, slot: number, ring: number): void {
    const { rows, cols, mask, flux, flags } = this;
    const { rate, padLower } = this.options;
    const useMangrove = this.options.mangrove && this.solo !== null;
    const U = this.uso;
    const A = this.alt;
    const S = this.solo;
    const base = r * cols;
    const innerRow = r > 0 && r < rows - 1;
    let first = cols;
    let last = -1;
    if (this.whi[ring] >= this.wlo[ring]) {
      flags.fill(0, slot + this.wlo[ring], slot + this.whi[ring] + 1);
      flux.fill(0, slot + this.wlo[ring], slot + this.whi[ring] + 1);
    }
    const scanLo = this.rowLo[r];
    const scanHi = this.rowHi[r];
    this.wlo[ring] = scanLo;
    this.whi[ring] = scanHi;
    for (let c = scanLo; c <= scanHi; c++) {
      const i = base + c;
      let f = 0;
      if (mask === null || mask[i] !== 0) {
        const bits = USO_BITS[U[i] & 0xffff];
        if ((bits & 1) !== 0 && A[i] >= 0) f = F_SOURCE;
        if (useMangrove) {
          const s = S![i];
          if (s === 3 || s === 9 || s === 0) f |= F_SOIL;
          if ((bits & 2) !== 0) f |= F_USE;
        }
        if (f !== 0) {
          if (first === cols) first = c;
          last = c;
        }
        if ((f & F_SOURCE) !== 0) {
          const a = A[i];
          let low = 1;
          if (innerRow && c > 0 && c < cols - 1) {
            // branch-free: neighbour comparisons are unpredictable
            const dn = i + cols;
            const up = i - cols;
            if (mask === null) {
              low += +(A[dn + 1] <= a);
              low += +(A[dn] <= a);
              low += +(A[dn - 1] <= a);
              low += +(A[i + 1] <= a);
              low += +(A[i - 1] <= a);
              low += +(A[up + 1] <= a);
              low += +(A[up] <= a);
              low += +(A[up - 1] <= a);
            } else {
              low += mask[dn + 1] & +(A[dn + 1] <= a);
              low += mask[dn] & +(A[dn] <= a);
              low += mask[dn - 1] & +(A[dn - 1] <= a);
              low += mask[i + 1] & +(A[i + 1] <= a);
              low += mask[i - 1] & +(A[i - 1] <= a);
              low += mask[up + 1] & +(A[up + 1] <= a);
              low += mask[up] & +(A[up] <= a);
              low += mask[up - 1] & +(A[up - 1] <= a);
            }
          } else {
            for (let dr = 1; dr >= -1; dr--) {
              const rr = r + dr;
              for (let dc = 1; dc >= -1; dc--) {
                if (dr === 0 && dc === 0) continue;
                const cc = c + dc;
                if (rr < 0 || rr >= rows || cc < 0 || cc >= cols) {
                  if (padLower && 0 <= a) low++; // the benchmark's zero padding (alt 0 off the grid)
                  continue;
                }
                const j = rr * cols + cc;
                if ((mask === null || mask[j] !== 0) && A[j] <= a) low++;
              }
            }
          }
          flux[slot + c] = rate / low;
        }
      }
      flags[slot + c] = f;
    }
    this.lo[ring] = first;
    this.hi[ring] = last;
    this.rowLo[r] = first;
    this.rowHi[r] = last;
  }

  // Per-step scalars and metric deltas, shared by step() and row().
  private nivelCmp = 0;
  private ziCmp = 0;
  private taxaAc = 0;
  private dFlooded = 0; // flood result vs start of step
  private newly = 0;
  private dFinalFlooded = 0; // final state vs start of step
  private dMigrated = 0;
  private dSoil = 0;

  /** One tick at time t: FloodModel (then MangroveModel) with DisSModel's semantics. */
  step(t: number): CoastalMetrics {
    const { rows, cols, mask, flags, flux, pendIdx, pendVal, lo, hi } = this;
    const A = this.alt;
    const nivel = t * this.options.rate;
    const zi = this.options.tide + nivel;
    this.taxaAc = 1.693 / 1000.0 + 0.939 * nivel;
    this.nivelCmp = this.altFloat32 ? Math.fround(nivel) : nivel;
    this.ziCmp = this.altFloat32 ? Math.fround(zi) : zi;
    this.dFlooded = this.newly = this.dFinalFlooded = this.dMigrated = this.dSoil = 0;
    const width = cols + 2;

    if (!this.zerosNormalised) {
      // numpy's alt_past + delta turns every -0 into +0 in the first step; do it
      // once here so that steps need not test for it
      for (let i = 0; i < A.length; i++) if (A[i] === 0 && (mask === null || mask[i] !== 0)) A[i] = 0;
      this.zerosNormalised = true;
    }
    flags.fill(0); // sentinels, and the slot of the (absent) row above row 0
    flux.fill(0);
    this.wlo.fill(0);
    this.whi.fill(-1);
    lo[2] = cols;
    hi[2] = -1;
    this.sources(0, 1, 0);
    let pendOld = 0; // pending new alt of row r-1: pendIdx/pendVal[pendOld .. pendOld + nOld)
    let nOld = 0;
    for (let r = 0; r < rows; r++) {
      const rN = (r + 1) % 3;
      const sN = rN * width + 1;
      if (r + 1 < rows) this.sources(r + 1, sN, rN);
      else {
        flags.fill(0, sN, sN + cols); // no row below the last one
        lo[rN] = cols;
        hi[rN] = -1;
        this.wlo[rN] = 0;
        this.whi[rN] = -1;
      }
      const pend = cols - pendOld; // this row's pending slot (the other half)
      const nPend = this.row(r, pend);
      // row r-1's start-of-step alt is no longer needed
      for (let k = pendOld; k < pendOld + nOld; k++) A[pendIdx[k]] = pendVal[k];
      pendOld = pend;
      nOld = nPend;
    }
    for (let k = pendOld; k < pendOld + nOld; k++) A[pendIdx[k]] = pendVal[k];

    this.altFloat32 = false; // alt_past + delta is float64 from now on
    const useMangrove = this.options.mangrove && this.solo !== null;
    const m = this.metrics;
    m.flooded_cells = this.countFlooded + this.dFlooded;
    m.newly_flooded = this.newly;
    m.current_sea_level = roundHalfEven(nivel, 4);
    this.countFlooded += this.dFinalFlooded;
    this.countMigrated += this.dMigrated;
    this.countSoil += this.dSoil;
    m.mangrove_migrated = useMangrove ? this.countMigrated : 0;
    m.soil_migrated = useMangrove ? this.countSoil : 0;
    return m;
  }

  /**
   * Pass 2 for row r (rings hold rows r-1, r, r+1): flood then mangrove per
   * cell; uso/solo written in place, new alt values queued at pendIdx/pendVal
   * from `pend` on. Returns how many were queued.
   */
  private row(r: number, pend: number): number {
    const { rows, cols, mask, flux, flags, pendIdx, pendVal, lo, hi, rowLo, rowHi, nivelCmp, ziCmp, taxaAc } = this;
    const { accretion } = this.options;
    const U = this.uso;
    const A = this.alt;
    const S = this.solo;
    const useMangrove = this.options.mangrove && S !== null;
    const width = cols + 2;
    const rC = r % 3;
    const rP = (r + 2) % 3;
    const rN = (r + 1) % 3;
    const sC = rC * width + 1;
    const sP = rP * width + 1;
    const sN = rN * width + 1;
    const innerRow = r > 0 && r + 1 < rows;
    const mid = r * cols;
    const up = mid - cols;
    const dn = mid + cols;
    let nPend = 0;
    let dFlooded = 0;
    let newly = 0;
    let dFinalFlooded = 0;
    let dMigrated = 0;
    let dSoil = 0;
    // Only columns next to a flag can change (all of them with accretion on).
    let c0 = 0;
    let c1 = cols - 1;
    if (!accretion) {
      c0 = Math.max(0, Math.min(lo[rP], lo[rC], lo[rN]) - 1);
      c1 = Math.min(cols - 1, Math.max(hi[rP], hi[rC], hi[rN]) + 1);
    }
    let left = flags[sP + c0 - 1] + flags[sC + c0 - 1] + flags[sN + c0 - 1];
    let center = flags[sP + c0] + flags[sC + c0] + flags[sN + c0];
    for (let c = c0; c <= c1; c++) {
      const right = flags[sP + c + 1] + flags[sC + c + 1] + flags[sN + c + 1];
      const self = flags[sC + c];
      const nbs = left + center + right - self;
      left = center;
      center = right;
      if (nbs === 0 && !accretion) {
        // nothing around: at most the cell's own flux, if it is a source
        if ((self & F_SOURCE) !== 0) {
          pendIdx[pend + nPend] = mid + c;
          pendVal[pend + nPend++] = A[mid + c] + flux[sC + c];
        }
        continue;
      }
      const i = mid + c;
      if (mask !== null && mask[i] === 0) continue; // masked-out cells keep their values
      const u = U[i];
      const a = A[i];
      // FloodModel: alt gains its own flux and that of every source neighbour not lower than it
      let delta = flux[sC + c];
      if ((nbs & M_SOURCE) !== 0) {
        if (innerRow && c > 0 && c < cols - 1) {
          // DIRS_MOORE order: (r+1,c+1) (r+1,c) (r+1,c-1) (r,c+1) (r,c-1) (r-1,c+1) (r-1,c) (r-1,c-1).
          // Branch-free: adding flux · 0 = +0 leaves the sum unchanged (flux is finite and ≥ 0).
          delta += flux[sN + c + 1] * +(a <= A[dn + c + 1]);
          delta += flux[sN + c] * +(a <= A[dn + c]);
          delta += flux[sN + c - 1] * +(a <= A[dn + c - 1]);
          delta += flux[sC + c + 1] * +(a <= A[i + 1]);
          delta += flux[sC + c - 1] * +(a <= A[i - 1]);
          delta += flux[sP + c + 1] * +(a <= A[up + c + 1]);
          delta += flux[sP + c] * +(a <= A[up + c]);
          delta += flux[sP + c - 1] * +(a <= A[up + c - 1]);
        } else {
          for (let dr = 1; dr >= -1; dr--) {
            const rr = r + dr;
            if (rr < 0 || rr >= rows) continue;
            const fluxOff = dr === 1 ? sN : dr === 0 ? sC : sP;
            for (let dc = 1; dc >= -1; dc--) {
              const cc = c + dc;
              if ((dr === 0 && dc === 0) || cc < 0 || cc >= cols) continue;
              if (a <= A[rr * cols + cc]) delta += flux[fluxOff + cc];
            }
          }
        }
      }
      let aNew = a + delta;
      // FloodModel: a dry use next to a source and not above the sea level floods
      let uF = u;
      if ((nbs & M_SOURCE) !== 0 && a <= nivelCmp) {
        const w = WET_LUT[u & 0xffff];
        if (w !== 0) {
          uF = w;
          dFlooded += FLOODED_LUT[w] - FLOODED_LUT[u & 0xffff];
          if (INUND_LUT[u & 0xffff] === 0) newly++;
        }
      }
      let uNew = uF;
      let sPast = 0;
      if (useMangrove) {
        // MangroveModel: conditions on the snapshot, written over the post-flood state
        const s = S![i];
        sPast = s;
        if ((u === 2 || u === 5) && a <= ziCmp) {
          if ((nbs & M_SOIL) !== 0 && s !== 9) {
            S![i] = 9;
            dSoil++;
          }
          if ((nbs & M_USE) !== 0 && (s === 3 || s === 9)) uNew = 8;
        }
        if (accretion && (s === 3 || s === 9) && INUND_LUT[u & 0xffff] === 0) aNew = aNew + taxaAc;
      }
      if (uNew !== u || (useMangrove && S![i] !== sPast) || (a < 0 && aNew >= 0)) {
        // the cell may gain a flag: keep it inside its row's scan range
        if (c < rowLo[r]) rowLo[r] = c;
        if (c > rowHi[r]) rowHi[r] = c;
      }
      if (uNew !== u) {
        U[i] = uNew;
        dFinalFlooded += FLOODED_LUT[uNew & 0xffff] - FLOODED_LUT[u & 0xffff];
        dMigrated += +(uNew === 8) - +(u === 8);
      }
      if (aNew !== a) {
        pendIdx[pend + nPend] = i;
        pendVal[pend + nPend++] = aNew;
      }
    }
    this.dFlooded += dFlooded;
    this.newly += newly;
    this.dFinalFlooded += dFinalFlooded;
    this.dMigrated += dMigrated;
    this.dSoil += dSoil;
    return nPend;
  }
}
