/**
 * numpy's `Generator` (`np.random.default_rng(seed)`, numpy 1.17–2.x) on its PCG64, for the
 * methods DisSModel's models call, each with numpy's own algorithm so that seeded runs give
 * the same numbers:
 *
 * - `random()`: `next_double`.
 * - `integers(low, high)` (int64, high exclusive): `random_bounded_uint64` — a range that
 *   fits in 32 bits uses Lemire's method on `next_uint32` (reject while the low word is below
 *   (2³² − k) mod k), a wider one Lemire on `next_uint64`. `integersOfType` gives the
 *   int8/int16/uint8/uint16 paths, where one `next_uint32` is served as four bytes or two
 *   halves (numpy's buffered_uint8/16, the buffer living for one call). Generator never uses
 *   the masked method (only the legacy RandomState does).
 * - `uniform(low, high)`: low + (high − low)·next_double.
 * - `choice(n)`, `choice(n, {p})`, `choice(n, {size, replace: false, p?})`: with p, one
 *   `random()` per draw and `searchsorted(cumsum(p)/cumsum(p)[-1], u, 'right')`; without p
 *   and with replacement, `integers(0, n)`; without replacement, Floyd's algorithm then a
 *   shuffle of the result (`_shuffle_int`), or the repeated cumsum-and-unique rounds with p.
 * - `shuffle(x)`: Fisher–Yates from the end with `random_interval(i)` (masked rejection on
 *   `next_uint32`), the same for lists and 1-d arrays; `permutation(n)`.
 */
import { PCG64 } from './pcg64.ts';

const TWO32 = 4294967296;

export interface ChoiceOptions {
  /** Probabilities, one per element; they must be ≥ 0 and sum to 1 (within √ε, as numpy). */
  p?: ArrayLike<number> | null;
  /** Draws without replacement (the result then has `size` distinct indices). */
  replace?: boolean;
}

export type IntDType = 'int64' | 'int32' | 'int16' | 'int8' | 'uint64' | 'uint32' | 'uint16' | 'uint8';

/** numpy's `random_interval(max)`: uniform in [0, max] by masked rejection. */
function randomInterval(bg: PCG64, max: number): number {
  if (max === 0) return 0;
  if (max <= 0xffffffff) {
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let v: number;
    while ((v = (bg.nextUint32() & mask) >>> 0) > max);
    return v;
  }
  const big = BigInt(max);
  let mask = big;
  for (const s of [1n, 2n, 4n, 8n, 16n, 32n]) mask |= mask >> s;
  let v: bigint;
  while ((v = bg.nextUint64() & mask) > big);
  return Number(v);
}

/** Lemire's bounded draw on `next_uint32` for a closed range [0, rng], rng < 2³² − 1. */
function lemire32(bg: PCG64, rng: number): number {
  const excl = rng + 1;
  let x = bg.nextUint32();
  // m = x * excl as a 64-bit product: high word and low word, exactly.
  let lo = lowWord(x, excl);
  if (lo < excl) {
    const threshold = (TWO32 - excl) % excl; // (UINT32_MAX - rng) % rng_excl
    while (lo < threshold) {
      x = bg.nextUint32();
      lo = lowWord(x, excl);
    }
  }
  return highWord(x, excl);
}

/** The low 32 bits of x·y (x, y < 2³²). */
function lowWord(x: number, y: number): number {
  return Math.imul(x, y) >>> 0;
}

/** The high 32 bits of x·y (x, y < 2³²), exactly: 16-bit halves keep every partial product below 2⁵³. */
function highWord(x: number, y: number): number {
  const xh = Math.floor(x / 65536);
  const xl = x % 65536;
  const yh = Math.floor(y / 65536);
  const yl = y % 65536;
  const mid = xh * yl + xl * yh + Math.floor((xl * yl) / 65536); // < 2³³ + 2¹⁶
  return xh * yh + Math.floor(mid / 65536);
}

/** Lemire's bounded draw on `next_uint64` for a closed range [0, rng] (BigInt: wide ranges only). */
function lemire64(bg: PCG64, rng: bigint): bigint {
  const excl = rng + 1n;
  const M = 1n << 64n;
  let m = bg.nextUint64() * excl;
  let lo = m % M;
  if (lo < excl) {
    const t = (M - excl) % excl;
    while (lo < t) {
      m = bg.nextUint64() * excl;
      lo = m % M;
    }
  }
  return m / M;
}

/** numpy's `random_bounded_uint64(off=0, rng, use_masked=false)`: uniform in [0, rng]. */
function boundedUint64(bg: PCG64, rng: number): number {
  if (rng === 0) return 0;
  if (rng <= 0xffffffff) return rng === 0xffffffff ? bg.nextUint32() : lemire32(bg, rng);
  if (!Number.isSafeInteger(rng)) throw new RangeError(`integers: a range of ${rng} values is beyond 2**53`);
  return Number(lemire64(bg, BigInt(rng)));
}

/**
 * numpy's pairwise summation (`pairwise_sum` of `np.add.reduce` on a contiguous float64
 * array): sequential below 8 values, eight accumulators up to 128, halves above.
 */
export function pairwiseSum(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let j = 0; j < 8; j++) r[j] = a[start + j];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[start + i + j];
    let res = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/** The cumulative sums of `p`, left to right (np.cumsum), divided by the last one. */
function normalisedCdf(p: ArrayLike<number>): Float64Array {
  const cdf = new Float64Array(p.length);
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    s += p[i];
    cdf[i] = s;
  }
  const last = cdf[cdf.length - 1];
  for (let i = 0; i < cdf.length; i++) cdf[i] /= last;
  return cdf;
}

/** searchsorted(cdf, u, side='right'): the first index whose value is > u. */
function searchRight(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u < cdf[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Kahan summation, as numpy's choice checks that p sums to 1. */
function kahanSum(p: ArrayLike<number>): number {
  let sum = 0;
  let c = 0;
  for (let i = 0; i < p.length; i++) {
    const y = p[i] - c;
    const t = sum + y;
    c = t - sum - y;
    sum = t;
  }
  return sum;
}

function checkProbabilities(n: number, p: ArrayLike<number>): void {
  if (p.length !== n) throw new RangeError('choice: a and p must have same size');
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0)) throw new RangeError('choice: probabilities are not non-negative');
  }
  if (Math.abs(kahanSum(p) - 1) > Math.sqrt(Number.EPSILON)) throw new RangeError('choice: probabilities do not sum to 1');
}

const DTYPE_BITS: Record<IntDType, { bits: number; signed: boolean }> = {
  int64: { bits: 64, signed: true },
  int32: { bits: 32, signed: true },
  int16: { bits: 16, signed: true },
  int8: { bits: 8, signed: true },
  uint64: { bits: 64, signed: false },
  uint32: { bits: 32, signed: false },
  uint16: { bits: 16, signed: false },
  uint8: { bits: 8, signed: false },
};

/** numpy's `Generator(PCG64(seed))`: `np.random.default_rng(seed)`. */
export class NumpyGenerator {
  readonly bitGenerator: PCG64;

  constructor(seed: number | bigint) {
    this.bitGenerator = new PCG64(seed);
  }

  /** `random()`: a float64 in [0, 1). */
  random(): number {
    return this.bitGenerator.nextDouble();
  }

  /** `random(size)`. */
  randomArray(size: number): Float64Array {
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = this.bitGenerator.nextDouble();
    return out;
  }

  /** `uniform(low, high)` = low + (high − low)·random(). */
  uniform(low: number, high: number): number {
    const range = high - low;
    if (!Number.isFinite(range)) throw new RangeError('uniform: high - low range exceeds valid bounds');
    return low + range * this.bitGenerator.nextDouble();
  }

  /** `uniform(low, high, size)`. */
  uniformArray(low: number, high: number, size: number): Float64Array {
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = this.uniform(low, high);
    return out;
  }

  /** `integers(low, high)` (int64, high exclusive); `integers(k)` is `integers(0, k)`. */
  integers(low: number, high?: number): number {
    const [lo, hi] = high === undefined ? [0, low] : [low, high];
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) throw new RangeError(`integers: bounds must be integers, got ${lo}, ${hi}`);
    if (hi <= lo) throw new RangeError(`integers: low >= high (${lo} >= ${hi})`);
    return lo + boundedUint64(this.bitGenerator, hi - 1 - lo);
  }

  /** `integers(low, high, size)` (int64): the same stream as `size` scalar calls. */
  integersArray(low: number, high: number, size: number): number[] {
    const out: number[] = new Array(size);
    for (let i = 0; i < size; i++) out[i] = this.integers(low, high);
    return out;
  }

  /**
   * `integers(low, high, size, dtype)` for a numpy integer dtype: 32- and 64-bit types as
   * above, 8- and 16-bit ones Lemire on bytes / halves of one `next_uint32` buffered for the
   * call (so `size` values of int8 consume ⌈size/4⌉ words when nothing is rejected).
   */
  integersOfType(low: number, high: number, size: number, dtype: IntDType): number[] {
    const { bits, signed } = DTYPE_BITS[dtype];
    const min = signed ? -(2 ** (bits - 1)) : 0;
    const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
    if (!Number.isInteger(low) || !Number.isInteger(high) || low < min || high - 1 > max || high <= low) {
      throw new RangeError(`integers: [${low}, ${high}) is not a non-empty range of ${dtype}`);
    }
    const rng = high - 1 - low;
    const out: number[] = new Array(size);
    if (bits >= 32) {
      for (let i = 0; i < size; i++) out[i] = low + boundedUint64(this.bitGenerator, rng);
      return out;
    }
    const word = bits === 16 ? 0xffff : 0xff;
    const perWord = 32 / bits;
    let buf = 0;
    let bcnt = 0;
    const next = (): number => {
      if (bcnt === 0) {
        buf = this.bitGenerator.nextUint32();
        bcnt = perWord - 1;
      } else {
        buf >>>= bits;
        bcnt--;
      }
      return buf & word;
    };
    for (let i = 0; i < size; i++) {
      if (rng === 0) out[i] = low;
      else if (rng === word) out[i] = low + next();
      else {
        const excl = rng + 1;
        let m = next() * excl;
        let leftover = m & word;
        if (leftover < excl) {
          const threshold = (word - rng) % excl;
          while (leftover < threshold) {
            m = next() * excl;
            leftover = m & word;
          }
        }
        out[i] = low + Math.floor(m / (word + 1));
      }
    }
    return out;
  }

  /** `shuffle(x)` in place (a list or a 1-d array). */
  shuffle<T>(x: { length: number; [i: number]: T }): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = randomInterval(this.bitGenerator, i);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
  }

  /** `permutation(n)`: a shuffled arange(n). */
  permutation(n: number): number[] {
    const a = Array.from({ length: n }, (_, i) => i);
    this.shuffle(a);
    return a;
  }

  /** `choice(n)` / `choice(n, p=p)`: one index in [0, n). */
  choice(n: number, options: ChoiceOptions = {}): number {
    return this.choiceArray(n, 1, options)[0];
  }

  /** `choice(n, size, replace, p)`: `size` indices in [0, n). */
  choiceArray(n: number, size: number, options: ChoiceOptions = {}): number[] {
    const replace = options.replace ?? true;
    const p = options.p ?? null;
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`choice: a must be a non-negative integer, got ${n}`);
    if (n === 0 && size > 0) throw new RangeError('choice: a cannot be empty unless no samples are taken');
    if (p) checkProbabilities(n, p);
    if (replace) {
      if (p) {
        const cdf = normalisedCdf(p);
        return Array.from(this.randomArray(size), (u) => searchRight(cdf, u));
      }
      return this.integersArray(0, n, size);
    }
    if (size > n) throw new RangeError('choice: cannot take a larger sample than population when replace is false');
    if (p) {
      let nonzero = 0;
      for (let i = 0; i < n; i++) if (p[i] > 0) nonzero++;
      if (nonzero < size) throw new RangeError('choice: fewer non-zero entries in p than size');
      const q = Float64Array.from(p);
      const found: number[] = [];
      while (found.length < size) {
        const x = this.randomArray(size - found.length);
        for (const f of found) q[f] = 0;
        const cdf = normalisedCdf(q);
        // np.unique(new, return_index=True) then the first occurrences in draw order
        const seen = new Set<number>();
        for (const u of x) {
          const k = searchRight(cdf, u);
          if (!seen.has(k)) {
            seen.add(k);
            found.push(k);
          }
        }
      }
      return found;
    }
    if (n > 10000 && size > Math.floor(n / 50)) {
      // tail shuffle of arange(n): the last `size` positions
      const idx = Array.from({ length: n }, (_, i) => i);
      const first = Math.max(n - size, 1);
      for (let i = n - 1; i >= first; i--) {
        const j = boundedUint64(this.bitGenerator, i);
        const t = idx[j];
        idx[j] = idx[i];
        idx[i] = t;
      }
      return idx.slice(n - size);
    }
    // Floyd's algorithm, then _shuffle_int(size, 1)
    const idx: number[] = new Array(size);
    const set = new Set<number>();
    for (let j = n - size; j < n; j++) {
      const val = boundedUint64(this.bitGenerator, j);
      const pick = set.has(val) ? j : val;
      set.add(pick);
      idx[j - n + size] = pick;
    }
    for (let i = size - 1; i >= 1; i--) {
      const j = boundedUint64(this.bitGenerator, i);
      const t = idx[j];
      idx[j] = idx[i];
      idx[i] = t;
    }
    return idx;
  }
}

/** `np.random.default_rng(seed)`. */
export function defaultRng(seed: number | bigint): NumpyGenerator {
  return new NumpyGenerator(seed);
}
