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
 * Speed: no allocation per step, one sweep over the grid, only the cells next
 * to a flag visited. Pass 1 (packed flags — source | soil source << 4 | use
 * source << 8, four bits per field so a 3×3 sum cannot carry — and the flux of
 * each source, rate / low from a ten-entry table) runs one row ahead into
 * three-row rings, over a per-row column range known to hold every flag (exact
 * after each scan; the census (CoastalCensus) computes the first one, so no step scans the
 * whole grid). It also hands each source's flux to its three neighbours in the
 * row below, gated by the same comparison (neighbour ≤ source) that pass 2 of
 * that row would make. Pass 2 slides a 3×3 window of flag sums along row r, only
 * over the columns next to a flagged cell: "does a neighbour…" costs three
 * loads. A source (sea or flooded) only gathers flux — no uso/solo rule applies
 * to it; other cells next to a source gather it too and then take the flood and
 * mangrove rules. The gather is branch-free, in DIRS_MOORE order: the row below
 * and the row itself compared with start-of-step alt (not yet written, and the
 * cell to the west kept from before its write), the row above from pass 1's
 * gated fluxes; the rings' zero sentinels flux border columns nothing. So no
 * later row reads row r's start-of-step values and pass 2 writes uso, solo and
 * alt in place. The metrics are running counts adjusted by the cells that change.
 *
 * Both passes slide windows of start-of-step values along the row in locals
 * (pass 1: the 3×3 alt, and with a mask the 3×3 counted flags; pass 2: alt of
 * the row and the row below, and their fluxes), so a cell loads only its
 * right-hand column; positions off the grid are window values (pass 1: alt 0
 * counted with the benchmark's padding, else NaN, never ≤ a; pass 2: flux 0),
 * so there is no border code. A source's three gifts to the row below are three
 * bits of its flags (GIVE_*); pass 2 multiplies the row above's flux by them,
 * the product pass 1 would have stored. The hot
 * loops keep every value they slide a double or an int32 (a number literal
 * merged with a double would make V8 box it on every turn) and use literal
 * constants (a module constant is reloaded and type-checked every turn).
 *
 * Engines: where WebAssembly runs, the two passes (sources/scanPlain and row)
 * run as WebAssembly instead (raster-kernel-wasm.ts: the same instructions in
 * the same order, so the same bytes; the state then lives in its memory, and
 * adopted arrays are brought up to date when read). The JavaScript here is the
 * readable reference and the fallback (`engine: 'js'`, or no WebAssembly);
 * raster-kernel-wasm.test.ts holds the two equal byte for byte.
 */
import { resolveEngine, type KernelEngine } from '../../sim/wasm/runtime.ts';
import { FLOODED_LUT, INUND_LUT, WET_LUT, roundHalfEven } from './codes.ts';
import { CoastalWasm } from './raster-kernel-wasm.ts';

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
  /**
   * The kernel takes the arrays uso, alt and solo over and updates them in
   * place instead of copying them (the caller gives them up: no second copy of
   * a large grid). Default false: the caller's arrays are left as they were.
   */
  adopt?: boolean;
  /**
   * The census of exactly these arrays (and mask), made by whoever wrote them, row by row as each row was
   * written (see {@link CoastalCensus}); the constructor makes its own when it is absent or does not fit.
   * The kernel takes its row ranges over.
   */
  census?: CoastalCensus;
  /**
   * Which engine steps the passes (raster-kernel-wasm.ts: the same bytes): 'auto' (the default) is
   * WebAssembly when the host runs it and the grid fits one memory, else JavaScript.
   */
  engine?: KernelEngine;
}

// Packed per-cell flags (4 bits per field, so a 3×3 sum cannot carry): F_SOURCE = 1,
// F_SOIL = 16, F_USE = 256, and the masks of their sums M_SOURCE = 0xf, M_SOIL = 0xf0,
// M_USE = 0xf00; above them, which of its neighbours (r+1, c-1), (r+1, c), (r+1, c+1) a
// source gives its flux to: GIVE_DL = 1 << 16, GIVE_D = 1 << 17, GIVE_DR = 1 << 18
// (a 3×3 sum carries those upwards only, never into the masked fields). The hot loops
// write these as literals, named in a comment: V8 loads a module constant from the
// module context (with a type check) on every turn of a loop.

// One lookup per land-use code (index code & 0xffff): bit 0 sea/flooded, bit 1 mangrove (1, 8: a use source).
const USO_BITS = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) USO_BITS[c] = INUND_LUT[c] | ((c === 1 || c === 8 ? 1 : 0) << 1);

/**
 * What the kernel needs to know of the state before its first step: the running counts over the valid
 * cells (flooded land, uso 8, solo 9 when `mangrove`), each row's first and last column holding a flag
 * (a source, or with `mangrove` a soil or use source), and whether a valid cell holds -0. Made one row
 * at a time (`row`, rows in order), so that a reader can count each row while it is still in the cache,
 * right after writing it; the constructor counts the rows itself when not given one. Counts in locals
 * and tables as locals (a field or a module constant would be reloaded every turn), one loop per case
 * (the flood without a mask, the mangrove without a mask, the rest).
 */
export class CoastalCensus {
  flooded = 0;
  migrated = 0;
  soil = 0;
  negativeZeros = false;
  /** Rows counted so far (rows 0 … rowsCounted − 1). */
  rowsCounted = 0;
  readonly rowLo: Int32Array;
  readonly rowHi: Int32Array;

  constructor(
    rows: number,
    readonly cols: number,
    readonly mangrove: boolean,
  ) {
    this.rowLo = new Int32Array(rows);
    this.rowHi = new Int32Array(rows);
  }

  /**
   * The census of a whole state counted elsewhere (the WebAssembly reader, CoastalWasm.widenRow, which
   * counts each row as `row` does): its counts, and its row ranges, taken as they are (no copy).
   */
  static counted(
    cols: number,
    mangrove: boolean,
    ranges: { rowLo: Int32Array; rowHi: Int32Array },
    counts: { flooded: number; migrated: number; soil: number; negativeZeros: boolean },
  ): CoastalCensus {
    const census = new CoastalCensus(0, cols, mangrove);
    (census as { rowLo: Int32Array }).rowLo = ranges.rowLo;
    (census as { rowHi: Int32Array }).rowHi = ranges.rowHi;
    census.rowsCounted = ranges.rowLo.length;
    census.flooded = counts.flooded;
    census.migrated = counts.migrated;
    census.soil = counts.soil;
    census.negativeZeros = counts.negativeZeros;
    return census;
  }

  /** Counts row r (the next one) of the state. */
  row(r: number, uso: Int16Array, alt: Float64Array, solo: Int16Array | null, mask: Uint8Array | null): void {
    if (r !== this.rowsCounted) throw new RangeError(`census: row ${r} counted out of order`);
    const cols = this.cols;
    const floodedOf = FLOODED_LUT;
    const bitsOf = USO_BITS;
    let flooded = 0;
    let migrated = 0;
    let soil = 0;
    let negativeZeros = 0;
    let first = cols;
    let last = -1;
    const begin = r * cols;
    const end = begin + cols;
    if (mask === null && !this.mangrove) {
      for (let i = begin; i < end; i++) {
        const u = uso[i] & 0xffff;
        const a = alt[i];
        flooded += floodedOf[u];
        migrated += +(u === 8);
        negativeZeros |= +(a === 0) & +(1 / a < 0);
        if ((bitsOf[u] & 1) !== 0 && a >= 0) {
          if (first === cols) first = i - begin;
          last = i - begin;
        }
      }
    } else if (mask === null && solo !== null) {
      // the mangrove's flags too
      for (let i = begin; i < end; i++) {
        const u = uso[i] & 0xffff;
        const a = alt[i];
        const s = solo[i];
        flooded += floodedOf[u];
        migrated += +(u === 8);
        soil += +(s === 9);
        negativeZeros |= +(a === 0) & +(1 / a < 0);
        const bits = bitsOf[u];
        if (((bits & 1) !== 0 && a >= 0) || s === 3 || s === 9 || s === 0 || (bits & 2) !== 0) {
          if (first === cols) first = i - begin;
          last = i - begin;
        }
      }
    } else {
      const useMangrove = this.mangrove && solo !== null;
      for (let i = begin; i < end; i++) {
        if (mask !== null && mask[i] === 0) continue;
        const u = uso[i] & 0xffff;
        const a = alt[i];
        flooded += floodedOf[u];
        migrated += +(u === 8);
        negativeZeros |= +(a === 0) & +(1 / a < 0);
        const bits = bitsOf[u];
        let flagged = (bits & 1) !== 0 && a >= 0;
        if (useMangrove) {
          const s = solo[i];
          soil += +(s === 9);
          flagged ||= s === 3 || s === 9 || s === 0 || (bits & 2) !== 0;
        }
        if (flagged) {
          if (first === cols) first = i - begin;
          last = i - begin;
        }
      }
    }
    this.rowLo[r] = first;
    this.rowHi[r] = last;
    this.flooded += flooded;
    this.migrated += migrated;
    this.soil += soil;
    if (negativeZeros !== 0) this.negativeZeros = true;
    this.rowsCounted = r + 1;
  }
}

/**
 * Zeroed state arrays for a rows × cols grid, for a reader to write the input into and hand to
 * CoastalRaster with `adopt`: where WebAssembly runs they are views of the WebAssembly engine's memory,
 * stepped there with no copy (other arrays are copied into a memory of its own); elsewhere plain arrays.
 */
export function allocateCoastalState(
  rows: number,
  cols: number,
  has: { solo: boolean; mask: boolean },
): { uso: Int16Array; alt: Float64Array; solo: Int16Array | null; mask: Uint8Array | null } {
  const wasm = CoastalWasm.create(rows, cols, has.solo, has.mask);
  if (wasm !== null) return { uso: wasm.uso, alt: wasm.alt, solo: wasm.solo, mask: wasm.mask };
  const n = rows * cols;
  return {
    uso: new Int16Array(n),
    alt: new Float64Array(n),
    solo: has.solo ? new Int16Array(n) : null,
    mask: has.mask ? new Uint8Array(n) : null,
  };
}

export class CoastalRaster {
  readonly rows: number;
  readonly cols: number;
  // The state the passes step in place (row-major): the caller's arrays, copies, or with WebAssembly views of its memory.
  private readonly U: Int16Array;
  private readonly A: Float64Array;
  private readonly S: Int16Array | null;
  readonly mask: Uint8Array | null;
  /** The WebAssembly engine of the passes, or null for the JavaScript below. */
  private readonly wasm: CoastalWasm | null;
  // With WebAssembly and `adopt`: the caller's arrays, brought up to date from the memory when read
  // (bits of `stale`: 1 uso, 2 alt, 4 solo, set by every step).
  private readonly adopted: { uso: Int16Array; alt: Float64Array; solo: Int16Array | null } | null = null;
  private stale = 0;
  // alt given up to narrowAltToFloat32: the grid may not step or read it again
  private narrowed = false;
  /** Whether alt still has float32 precision (true until the first step when loaded as float32). */
  altFloat32: boolean;
  readonly options: CoastalOptions;
  readonly metrics: CoastalMetrics = emptyCoastalMetrics();

  /** The state, updated in place by every step (row-major). */
  get uso(): Int16Array {
    const a = this.adopted;
    if (a === null) return this.U;
    if ((this.stale & 1) !== 0) a.uso.set(this.U);
    this.stale &= ~1;
    return a.uso;
  }
  get alt(): Float64Array {
    if (this.narrowed) throw new Error('CoastalRaster: alt was narrowed to float32 for the output (narrowAltToFloat32)');
    const a = this.adopted;
    if (a === null) return this.A;
    if ((this.stale & 2) !== 0) a.alt.set(this.A);
    this.stale &= ~2;
    return a.alt;
  }
  get solo(): Int16Array | null {
    const a = this.adopted;
    if (a === null || a.solo === null) return this.S;
    if ((this.stale & 4) !== 0) a.solo.set(this.S!);
    this.stale &= ~4;
    return a.solo;
  }

  /**
   * alt rounded to float32 (as Float32Array.from rounds it) in the first half of its own bytes, for an
   * output that writes it as float32 (BR-MANGUE): no new array (at 4000² 64 MB of fresh pages). The
   * kernel's alt is given up — after this the grid is neither stepped nor its alt read. Cell i's float32
   * covers float64 cell ⌊i/2⌋ ≤ i, read already, so the cells are narrowed in ascending order.
   */
  narrowAltToFloat32(): Float32Array {
    const alt = this.alt;
    const out = new Float32Array(alt.buffer, alt.byteOffset, alt.length);
    for (let i = 0; i < alt.length; i++) out[i] = alt[i];
    this.narrowed = true;
    return out;
  }

  // Three-row rings (row r at slot r % 3, each slot cols + 2 wide with a zero
  // sentinel at both ends) of the start-of-step flags and flux, and per slot the
  // first and last column holding a flag.
  private readonly flags: Uint32Array;
  private readonly flux: Float64Array;
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  // Per ring slot, the columns written last time (everything else in the slot is 0).
  private readonly wlo: Int32Array;
  private readonly whi: Int32Array;
  // Per grid row, a column range outside which no cell has a flag in the current
  // state: pass 1 scans only that range. Exact after each scan (and after the
  // constructor), widened by pass 2 to the columns it visited (only those can change).
  private readonly rowLo: Int32Array;
  private readonly rowHi: Int32Array;
  // Each source's flags say which of its three neighbours in the row below
  // ((r+1, c-1), (r+1, c), (r+1, c+1); GIVE_*) take its flux: those counted and
  // not higher than it — the comparison pass 2 of the row below needs, made by
  // pass 1 from start-of-step values. So pass 2 never reads the row above's alt,
  // and writes each row's new alt in place at once.
  // Pass 1's alt off the grid (scanPlain): 0 with the benchmark's padding, else NaN.
  private readonly offGrid = new Float64Array(1);
  // rate / low for low = 1..9: the same double as the division, without dividing.
  private readonly fluxOfLow = new Float64Array(10);
  // numpy's alt_past + delta turns every -0 of a valid cell into +0 in the first step.
  private negativeZeros: boolean;
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
    const { rows, cols } = init;
    this.rows = rows;
    this.cols = cols;
    this.options = { ...options };
    for (let low = 1; low <= 9; low++) this.fluxOfLow[low] = options.rate / low;
    const engine = resolveEngine(init.engine ?? 'auto');
    const copy = init.adopt !== true;
    // Arrays made by allocateCoastalState and given up (adopt) are stepped where they are; else a fresh memory.
    const made = CoastalWasm.of(init.alt);
    const inPlace =
      engine === 'wasm' &&
      !copy &&
      made !== undefined &&
      made.uso === init.uso &&
      made.solo === (init.solo ?? null) &&
      made.mask === (init.mask ?? null);
    let wasm = engine === 'wasm' ? (inPlace ? made : CoastalWasm.create(rows, cols, !!init.solo, !!init.mask)) : null;
    const bound = { mangrove: options.mangrove, accretion: options.accretion, padLower: options.padLower, usoBits: USO_BITS };
    if (wasm !== null && !wasm.claim({ ...bound, fluxOfLow: this.fluxOfLow })) {
      wasm = CoastalWasm.create(rows, cols, !!init.solo, !!init.mask); // another kernel steps those arrays: copies
      if (wasm !== null) wasm.claim({ ...bound, fluxOfLow: this.fluxOfLow });
    }
    if (wasm === null && init.engine === 'wasm') throw new RangeError(`a ${rows} × ${cols} grid does not fit a WebAssembly memory here`);
    this.wasm = wasm;
    if (wasm !== null && wasm.alt !== init.alt) {
      // the state moves into the engine's memory (one copy; adopted arrays are kept and updated when read)
      wasm.uso.set(init.uso);
      wasm.alt.set(init.alt);
      if (init.solo) wasm.solo!.set(init.solo);
      if (init.mask) wasm.mask!.set(init.mask);
      if (!copy) this.adopted = { uso: init.uso, alt: init.alt, solo: init.solo ?? null };
    }
    this.U = wasm ? wasm.uso : copy ? init.uso.slice() : init.uso;
    this.A = wasm ? wasm.alt : copy ? init.alt.slice() : init.alt;
    this.S = init.solo ? (wasm ? wasm.solo : copy ? init.solo.slice() : init.solo) : null;
    this.mask = init.mask ? (wasm ? wasm.mask : init.mask) : null;
    this.altFloat32 = init.altFloat32;
    this.flags = wasm ? wasm.flags : new Uint32Array(3 * (cols + 2));
    this.flux = wasm ? wasm.flux : new Float64Array(3 * (cols + 2));
    this.lo = wasm ? wasm.lo : new Int32Array(3);
    this.hi = wasm ? wasm.hi : new Int32Array(3);
    this.wlo = wasm ? wasm.wlo : new Int32Array(3);
    this.whi = wasm ? wasm.whi : new Int32Array(3);
    this.offGrid[0] = options.padLower ? 0 : NaN;
    // The running counts, each row's flag range, and whether a valid cell holds -0 (normalised in the first
    // step): the reader's census, made row by row as it wrote these very arrays, else one pass here.
    const useMangrove = options.mangrove && this.S !== null;
    let census = init.census;
    if (!(census instanceof CoastalCensus && census.rowsCounted === rows && census.cols === cols && census.mangrove === useMangrove)) {
      census = new CoastalCensus(rows, cols, useMangrove);
      for (let r = 0; r < rows; r++) census.row(r, this.U, this.A, this.S, this.mask);
    }
    if (wasm !== null) {
      wasm.rowLo.set(census.rowLo);
      wasm.rowHi.set(census.rowHi);
    }
    this.rowLo = wasm ? wasm.rowLo : census === init.census ? census.rowLo.slice() : census.rowLo; // stepped in place: never a caller's
    this.rowHi = wasm ? wasm.rowHi : census === init.census ? census.rowHi.slice() : census.rowHi;
    this.countFlooded = census.flooded;
    this.countMigrated = census.migrated;
    this.countSoil = useMangrove ? census.soil : 0;
    this.negativeZeros = census.negativeZeros;
  }

  /**
   * Pass 1 for row r into ring slot `ring`, from start-of-step values (rows
   * r-1..r+1 of alt are still untouched when this runs): packed flags and the
   * flux of each source. A 3×3 window of (counted, alt) slides along the row,
   * so each cell loads only its right-hand column; positions off the grid are
   * alt 0, counted only with the benchmark's padding quirk.
   */
  private sources(r: number, ring: number): void {
    // module constants as locals (a hot loop would load each from the module context every turn)
    const bitsOf = USO_BITS;
    const { rows, cols, mask, flux, flags, fluxOfLow, wlo, whi } = this;
    const useMangrove = this.options.mangrove === true && this.S !== null;
    const pad = this.options.padLower ? 1 : 0; // counted off the grid (the benchmark's zero padding)
    const U = this.U;
    const A = this.A;
    const S = this.S;
    const slot = ring * (cols + 2) + 1;
    const base = r * cols;
    const scanLo = this.rowLo[r];
    const scanHi = this.rowHi[r];
    // Zero what the slot held outside the new range (inside it every cell is written below).
    if (scanLo > scanHi) {
      this.clear(slot + wlo[ring], slot + whi[ring]);
    } else {
      this.clear(slot + wlo[ring], slot + Math.min(whi[ring], scanLo - 1));
      this.clear(slot + Math.max(wlo[ring], scanHi + 1), slot + whi[ring]);
    }
    wlo[ring] = scanLo;
    whi[ring] = scanHi;
    if (this.wasm !== null && scanLo <= scanHi) {
      this.wasm.scan(r, ring, scanLo, scanHi, rows, cols);
      this.rowLo[r] = this.lo[ring];
      this.rowHi[r] = this.hi[ring];
      return;
    }
    if (mask === null) {
      if (scanLo <= scanHi) this.scanPlain(r, ring, scanLo, scanHi);
      else {
        this.lo[ring] = cols;
        this.hi[ring] = -1;
      }
      this.rowLo[r] = this.lo[ring];
      this.rowHi[r] = this.hi[ring];
      return;
    }
    let first = cols;
    let last = -1;
    if (scanLo <= scanHi) {
      const hasUp = r > 0;
      const hasDn = r + 1 < rows;
      const up = base - cols;
      const dn = base + cols;
      // counted for an in-grid column, without a mask: 1 in the row, 1 or pad above and below
      const kUp = hasUp ? 1 : pad;
      const kDn = hasDn ? 1 : pad;
      // the window's left column (c-1) and centre column (c): counted k, alt v, for rows r-1 (U), r, r+1 (D)
      let c = scanLo;
      let kUL = pad;
      let kL = pad;
      let kDL = pad;
      let vUL = 0;
      let vL = 0;
      let vDL = 0;
      if (c > 0) {
        const j = base + c - 1;
        vL = A[j];
        if (hasUp) vUL = A[j - cols];
        if (hasDn) vDL = A[j + cols];
        if (mask === null) {
          kUL = kUp;
          kL = 1;
          kDL = kDn;
        } else {
          kL = mask[j];
          kUL = hasUp ? mask[j - cols] : pad;
          kDL = hasDn ? mask[j + cols] : pad;
        }
      }
      let vU = hasUp ? A[up + c] : 0;
      let vC = A[base + c];
      let vD = hasDn ? A[dn + c] : 0;
      let kU = mask === null ? kUp : hasUp ? mask[up + c] : pad;
      let kC = mask === null ? 1 : mask[base + c];
      let kD = mask === null ? kDn : hasDn ? mask[dn + c] : pad;
      for (; c <= scanHi; c++) {
        // the right column (c+1)
        let vUR = 0;
        let vR = 0;
        let vDR = 0;
        let kUR = pad;
        let kR = pad;
        let kDR = pad;
        if (c + 1 < cols) {
          const j = base + c + 1;
          vR = A[j];
          if (hasUp) vUR = A[j - cols];
          if (hasDn) vDR = A[j + cols];
          if (mask === null) {
            kUR = kUp;
            kR = 1;
            kDR = kDn;
          } else {
            kR = mask[j];
            kUR = hasUp ? mask[j - cols] : pad;
            kDR = hasDn ? mask[j + cols] : pad;
          }
        }
        const i = base + c;
        const a = vC;
        let f = 0;
        let fx = 0;
        if (kC !== 0) {
          const bits = bitsOf[U[i] & 0xffff];
          if ((bits & 1) !== 0 && a >= 0) {
            f = 1; /* F_SOURCE */
            // branch-free: neighbour comparisons are unpredictable
            const bDR = kDR & +(vDR <= a);
            const bD = kD & +(vD <= a);
            const bDL = kDL & +(vDL <= a);
            const low =
              1 + bDR + bD + bDL + (kR & +(vR <= a)) + (kL & +(vL <= a)) + (kUR & +(vUR <= a)) + (kU & +(vU <= a)) + (kUL & +(vUL <= a));
            fx = fluxOfLow[low];
            f |= (bDL << 16) | (bD << 17) | (bDR << 18); // GIVE_DL, GIVE_D, GIVE_DR
          }
          if (useMangrove) {
            const s = S![i];
            if (s === 3 || s === 9 || s === 0) f |= 16; /* F_SOIL */
            if ((bits & 2) !== 0) f |= 256; /* F_USE */
          }
          if (f !== 0) {
            if (first === cols) first = c;
            last = c;
          }
        }
        flags[slot + c] = f;
        flux[slot + c] = fx;
        vUL = vU;
        vU = vUR;
        vL = vC;
        vC = vR;
        vDL = vD;
        vD = vDR;
        kUL = kU;
        kU = kUR;
        kL = kC;
        kC = kR;
        kDL = kD;
        kD = kDR;
      }
    }
    this.lo[ring] = first;
    this.hi[ring] = last;
    this.rowLo[r] = first;
    this.rowHi[r] = last;
  }

  /**
   * Pass 1's scan of columns scanLo..scanHi of row r without a mask (every
   * in-grid cell counted), into ring slot `ring`: the window holds alt only, and
   * a position off the grid holds 0 with the benchmark's padding (counted when
   * 0 ≤ a, as every source has a ≥ 0) or NaN (never ≤ a: not counted).
   */
  private scanPlain(r: number, ring: number, scanLo: number, scanHi: number): void {
    // module constants as locals (a hot loop would load each from the module context every turn)
    const bitsOf = USO_BITS;
    const { rows, cols, flux, flags, fluxOfLow } = this;
    const useMangrove = this.options.mangrove === true && this.S !== null;
    const off = this.offGrid[0]; // a double (a number literal here would make the window's values tagged)
    const U = this.U;
    const A = this.A;
    const S = this.S;
    const slot = ring * (cols + 2) + 1;
    const base = r * cols;
    const hasUp = r > 0;
    const hasDn = r + 1 < rows;
    let c = scanLo;
    let vUL = off;
    let vL = off;
    let vDL = off;
    if (c > 0) {
      const j = base + c - 1;
      vL = A[j];
      if (hasUp) vUL = A[j - cols];
      if (hasDn) vDL = A[j + cols];
    }
    let vU = hasUp ? A[base - cols + c] : off;
    let vC = A[base + c];
    let vD = hasDn ? A[base + cols + c] : off;
    let first = cols;
    let last = -1;
    for (; c <= scanHi; c++) {
      let vUR = off;
      let vR = off;
      let vDR = off;
      if (c + 1 < cols) {
        const j = base + c + 1;
        vR = A[j];
        if (hasUp) vUR = A[j - cols];
        if (hasDn) vDR = A[j + cols];
      }
      const i = base + c;
      const a = vC;
      let f = 0;
      let fx = 0;
      const bits = bitsOf[U[i] & 0xffff];
      if ((bits & 1) !== 0 && a >= 0) {
        f = 1; /* F_SOURCE */
        // branch-free: neighbour comparisons are unpredictable
        const bDR = +(vDR <= a);
        const bD = +(vD <= a);
        const bDL = +(vDL <= a);
        fx = fluxOfLow[1 + bDR + bD + bDL + +(vR <= a) + +(vL <= a) + +(vUR <= a) + +(vU <= a) + +(vUL <= a)];
        f |= (bDL << 16) | (bD << 17) | (bDR << 18); // GIVE_DL, GIVE_D, GIVE_DR
      }
      if (useMangrove) {
        const s = S![i];
        if (s === 3 || s === 9 || s === 0) f |= 16; /* F_SOIL */
        if ((bits & 2) !== 0) f |= 256; /* F_USE */
      }
      if (f !== 0) {
        if (first === cols) first = c;
        last = c;
      }
      flags[slot + c] = f;
      flux[slot + c] = fx;
      vUL = vU;
      vU = vUR;
      vL = vC;
      vC = vR;
      vDL = vD;
      vD = vDR;
    }
    this.lo[ring] = first;
    this.hi[ring] = last;
  }

  /** Zeroes the rings over positions from..to (inclusive; nothing when empty). */
  private clear(from: number, to: number): void {
    if (from > to) return;
    this.flags.fill(0, from, to + 1);
    this.flux.fill(0, from, to + 1);
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
    if (this.narrowed) throw new Error('CoastalRaster: alt was narrowed to float32 for the output (narrowAltToFloat32)');
    const { rows, cols, mask, flags, lo, hi, wlo, whi } = this;
    const A = this.A;
    const nivel = t * this.options.rate;
    const zi = this.options.tide + nivel;
    this.taxaAc = 1.693 / 1000.0 + 0.939 * nivel;
    this.nivelCmp = this.altFloat32 ? Math.fround(nivel) : nivel;
    this.ziCmp = this.altFloat32 ? Math.fround(zi) : zi;
    this.dFlooded = this.newly = this.dFinalFlooded = this.dMigrated = this.dSoil = 0;
    const wasm = this.wasm;
    if (wasm !== null) wasm.deltas.fill(0);
    if (this.adopted !== null) this.stale = 7;

    if (this.negativeZeros) {
      for (let i = 0; i < A.length; i++) if (A[i] === 0 && (mask === null || mask[i] !== 0)) A[i] = 0;
      this.negativeZeros = false; // alt + delta never yields -0 (delta ≥ +0)
    }
    flags.fill(0); // sentinels, and the slot of the (absent) row above row 0
    this.flux.fill(0);
    wlo.fill(cols);
    whi.fill(-1);
    lo[2] = cols;
    hi[2] = -1;
    this.sources(0, 0);
    for (let r = 0; r < rows; r++) {
      const rN = (r + 1) % 3;
      if (r + 1 < rows) this.sources(r + 1, rN);
      else {
        // no row below the last one
        const sN = rN * (cols + 2) + 1;
        this.clear(sN + wlo[rN], sN + whi[rN]);
        lo[rN] = wlo[rN] = cols;
        hi[rN] = whi[rN] = -1;
      }
      this.row(r);
    }
    if (wasm !== null) [this.dFlooded, this.newly, this.dFinalFlooded, this.dMigrated, this.dSoil] = wasm.deltas;

    this.altFloat32 = false; // alt_past + delta is float64 from now on
    const useMangrove = this.options.mangrove === true && this.S !== null;
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
   * cell, everything written in place: no later row reads this row's
   * start-of-step values (the row below gets them through the GIVE_* flags, taken by
   * pass 1 before this runs).
   */
  private row(r: number): void {
    if (this.wasm !== null) {
      this.wasm.row(r, this.rows, this.cols, this.nivelCmp, this.ziCmp, this.taxaAc);
      return;
    }
    // module constants as locals (a hot loop would load each from the module context every turn)
    const wetOf = WET_LUT;
    const floodedOf = FLOODED_LUT;
    const inundOf = INUND_LUT;
    const { rows, cols, mask, flux, flags, lo, hi, nivelCmp, ziCmp, taxaAc } = this;
    const accretion = this.options.accretion === true;
    const U = this.U;
    const A = this.A;
    const S = this.S;
    const useMangrove = this.options.mangrove === true && S !== null;
    const width = cols + 2;
    const rC = r % 3;
    const rP = (r + 2) % 3;
    const rN = (r + 1) % 3;
    const sC = rC * width + 1;
    const sP = rP * width + 1;
    const sN = rN * width + 1;
    const mid = r * cols;
    const below = r + 1 < rows;
    const dn = mid + cols;
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
      if (c0 > c1) return;
    }
    // a cell that changes may gain a flag: keep the columns visited inside the row's next scan range
    if (c0 < this.rowLo[r]) this.rowLo[r] = c0;
    if (c1 > this.rowHi[r]) this.rowHi[r] = c1;
    let left = flags[sP + c0 - 1] + flags[sC + c0 - 1] + flags[sN + c0 - 1];
    let center = flags[sP + c0] + flags[sC + c0] + flags[sN + c0];
    // Sliding windows of start-of-step values, columns c-1 (W), c and c+1 (E): alt of
    // this row (W is kept from before its write) and of the row below, and the flux
    // of both. Off the grid the flux is 0 (the rings' sentinels), so the alt there is any
    // double — the cell's own (a literal 0 merged with a double would be boxed every turn).
    let aC = A[mid + c0];
    let aW = c0 > 0 ? A[mid + c0 - 1] : aC;
    let dC = below ? A[dn + c0] : aC;
    let dW = below && c0 > 0 ? A[dn + c0 - 1] : aC;
    let fW = flux[sC + c0 - 1];
    let fC = flux[sC + c0];
    let nW = flux[sN + c0 - 1];
    let nC = flux[sN + c0];
    // the row above: its flux and flags (whose bits 16-18 say which cells below take the flux)
    let pW = flux[sP + c0 - 1];
    let pC = flux[sP + c0];
    let pfW = flags[sP + c0 - 1];
    let pfC = flags[sP + c0];
    for (let c = c0; c <= c1; c++) {
      const pfE = flags[sP + c + 1];
      const right = pfE + flags[sC + c + 1] + flags[sN + c + 1];
      const self = flags[sC + c];
      const nbs = left + center + right - self;
      left = center;
      center = right;
      const i = mid + c;
      const inE = c + 1 < cols;
      const a = aC;
      const west = aW; // (r, c-1) at the start of the step
      const east = inE ? A[i + 1] : a; // not written yet
      aW = a;
      aC = east;
      const dw = dW;
      const dc = dC;
      const de = below && inE ? A[dn + c + 1] : a;
      dW = dc;
      dC = de;
      const fw = fW;
      const fc = fC;
      const fe = flux[sC + c + 1];
      fW = fc;
      fC = fe;
      const nw = nW;
      const nc = nC;
      const ne = flux[sN + c + 1];
      nW = nc;
      nC = ne;
      const pw = pW;
      const pc = pC;
      const pe = flux[sP + c + 1];
      pW = pc;
      pC = pe;
      const pfw = pfW;
      const pfc = pfC;
      pfW = pfc;
      pfC = pfE;
      // A source (sea or flooded, in the study area): no rule changes its uso or solo, and
      // accretion skips flooded uses, so only its alt moves: its own flux plus its neighbours'.
      const source = (self & 1) /* F_SOURCE */ !== 0;
      if (!source && ((nbs === 0 && !accretion) || (mask !== null && mask[i] === 0))) continue; // nothing around (and no flux of its own), or outside the study area: unchanged
      // FloodModel: alt gains its own flux and that of every source neighbour not lower than it,
      // summed as numpy does: own flux, then the neighbours in DIRS_MOORE order
      let delta = fc;
      if ((nbs & 0xf) /* M_SOURCE */ !== 0) {
        // (r+1,c+1) (r+1,c) (r+1,c-1) (r,c+1) (r,c-1) (r-1,c+1) (r-1,c) (r-1,c-1); branch-free:
        // adding flux · 0 = +0 leaves the sum unchanged (flux is finite and ≥ 0; non-sources and the rings' sentinels have 0)
        delta += ne * +(a <= de);
        delta += nc * +(a <= dc);
        delta += nw * +(a <= dw);
        delta += fe * +(a <= east);
        delta += fw * +(a <= west);
        // the row above: each source there compared itself with this cell in pass 1
        delta += pe * ((pfE >>> 16) & 1); // GIVE_DL of (r-1, c+1)
        delta += pc * ((pfc >>> 17) & 1); // GIVE_D of (r-1, c)
        delta += pw * ((pfw >>> 18) & 1); // GIVE_DR of (r-1, c-1)
      }
      if (source) {
        A[i] = a + delta;
        continue;
      }
      const u = U[i];
      let aNew = a + delta;
      // FloodModel: a dry use next to a source and not above the sea level floods
      let uF = u;
      const wet = wetOf[u & 0xffff];
      if (wet !== 0 && (nbs & 0xf) /* M_SOURCE */ !== 0 && a <= nivelCmp) {
        uF = wet;
        dFlooded += floodedOf[wet] - floodedOf[u & 0xffff];
        if (inundOf[u & 0xffff] === 0) newly++;
      }
      let uNew = uF;
      if (useMangrove) {
        // MangroveModel: conditions on the snapshot, written over the post-flood state
        const s = S![i];
        if ((u === 2 || u === 5) && a <= ziCmp) {
          if ((nbs & 0xf0) /* M_SOIL */ !== 0 && s !== 9) {
            S![i] = 9;
            dSoil++;
          }
          if ((nbs & 0xf00) /* M_USE */ !== 0 && (s === 3 || s === 9)) uNew = 8;
        }
        if (accretion && (s === 3 || s === 9) && inundOf[u & 0xffff] === 0) aNew = aNew + taxaAc;
      }
      if (uNew !== u) {
        U[i] = uNew;
        dFinalFlooded += floodedOf[uNew & 0xffff] - floodedOf[u & 0xffff];
        dMigrated += +(uNew === 8) - +(u === 8);
      }
      A[i] = aNew;
    }
    this.dFlooded += dFlooded;
    this.newly += newly;
    this.dFinalFlooded += dFinalFlooded;
    this.dMigrated += dMigrated;
    this.dSoil += dSoil;
  }
}
