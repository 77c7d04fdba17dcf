/**
 * Random number generators.
 *
 * - {@link PythonRandom}: CPython's `random.Random` (MT19937) reproduced bit for bit,
 *   for the DisSModel models whose reference runs seed Python's stdlib `random`
 *   (vector fills, FireModelProb, RandomWalk, …). Semantics follow CPython 3.11
 *   (`Lib/random.py` and `Modules/_randommodule.c`).
 * - {@link NumpyRandomState}: numpy's legacy `np.random` (MT19937 seeded by `init_genrand`).
 * - {@link SeededRandom}: a small, fast, documented PRNG (xoshiro128** seeded through
 *   splitmix32) for this workbench's own stochastic models. Its streams are part of
 *   our reproducibility contract: same seed ⇒ same numbers in every JS host.
 *
 * Everything on the hot path is 32-bit integer arithmetic (Math.imul, >>> 0); BigInt
 * is used only when seeding PythonRandom from a bigint or a non-integer float.
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const TWO_POW_32 = 4294967296;

/** The number of bits of a non-negative integer below 2**53 (Python's int.bit_length). */
function bitLength(n: number): number {
  if (n < TWO_POW_32) return 32 - Math.clz32(n);
  return 32 + (32 - Math.clz32(Math.floor(n / TWO_POW_32)));
}

/** 32-bit little-endian words of a non-negative bigint; [0] for 0 (as CPython's random_seed). */
function wordsOfBigInt(n: bigint): number[] {
  const key: number[] = [];
  let v = n;
  while (v > 0n) {
    key.push(Number(v & 0xffffffffn));
    v >>= 32n;
  }
  return key.length ? key : [0];
}

/** Python's hash() of a finite float (sys.hash_info: modulus 2**61 - 1), as CPython's _Py_HashDouble. */
function pythonFloatHash(x: number): bigint {
  if (x === Infinity) return 314159n;
  if (x === -Infinity) return -314159n;
  const P = (1n << 61n) - 1n;
  const neg = x < 0;
  let m = Math.abs(x);
  // frexp: m = f * 2**e with 0.5 <= f < 1
  let e = 0;
  if (m !== 0) {
    e = Math.floor(Math.log2(m)) + 1;
    let f = m / 2 ** e;
    while (f >= 1) {
      f /= 2;
      e++;
    }
    while (f < 0.5) {
      f *= 2;
      e--;
    }
    m = f;
  }
  let h = 0n;
  while (m) {
    h = ((h << 28n) & P) | (h >> (61n - 28n));
    m *= 268435456; // 2**28
    e -= 28;
    const y = Math.floor(m);
    m -= y;
    h += BigInt(y);
    if (h >= P) h -= P;
  }
  e = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61);
  const eb = BigInt(e);
  h = ((h << eb) & P) | (h >> (61n - eb));
  if (neg) h = -h;
  if (h === -1n) h = -2n;
  return h;
}

/**
 * CPython's `random.Random`, bit for bit, for integer seeds (number or bigint; the
 * sign is dropped, as CPython does) and float seeds (through Python's hash(), as
 * CPython). A JS number that is an integer is taken as a Python int (so 2**70 seeds
 * like the int 2**70, not like the float 2.0**70). String seeds (sha512 in CPython)
 * are not supported.
 */
export class PythonRandom {
  private readonly mt = new Uint32Array(N);
  private mti = N + 1;

  constructor(seed: number | bigint = 0) {
    this.seed(seed);
  }

  /** `random.seed(a)` for an int (or a float, hashed as Python does). */
  seed(a: number | bigint): void {
    let n: bigint;
    if (typeof a === 'bigint') n = a;
    else if (Number.isInteger(a)) {
      if (Math.abs(a) < TWO_POW_32) {
        this.initByArray([Math.abs(a) >>> 0]);
        return;
      }
      n = BigInt(a);
    } else if (Number.isNaN(a)) {
      throw new RangeError('PythonRandom: a NaN seed is not reproducible (Python hashes NaN by identity).');
    } else {
      // CPython hashes non-int seeds and reinterprets the hash as size_t (mod 2**64).
      const h = pythonFloatHash(a);
      n = h < 0n ? h + (1n << 64n) : h;
    }
    this.initByArray(wordsOfBigInt(n < 0n ? -n : n));
  }

  /** MT19937's `init_genrand(s)`; CPython seeds through `initByArray`, numpy's legacy `RandomState` directly. */
  protected initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.mti = N;
  }

  private initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    const len = key.length;
    for (let k = N > len ? N : len; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= len) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  /** One tempered 32-bit output of MT19937 (genrand_uint32). */
  nextUint32(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      let kk = 0;
      let y: number;
      for (; kk < N - M; kk++) {
        y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      this.mti = 0;
    }
    let y = mt[this.mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `random.random()`: a float in [0, 1) with 53 random bits. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `random.getrandbits(k)` for 0 ≤ k ≤ 53 (words consumed little-endian, as CPython). */
  getrandbits(k: number): number {
    if (!Number.isInteger(k) || k < 0 || k > 53) throw new RangeError(`getrandbits: k must be an integer in [0, 53], got ${k}`);
    if (k === 0) return 0;
    if (k <= 32) return this.nextUint32() >>> (32 - k);
    const lo = this.nextUint32();
    const hi = this.nextUint32() >>> (64 - k);
    return hi * TWO_POW_32 + lo;
  }

  /** `random._randbelow(n)` (3.11 `_randbelow_with_getrandbits`): uniform in [0, n), n ≥ 1. */
  randbelow(n: number): number {
    if (!(n >= 1) || !Number.isInteger(n)) throw new RangeError(`randbelow: n must be a positive integer, got ${n}`);
    if (n < TWO_POW_32) {
      // Hot path: k ≤ 32, one output per try.
      const k = bitLength(n);
      const shift = 32 - k;
      let r = this.nextUint32() >>> shift;
      while (r >= n) r = this.nextUint32() >>> shift;
      return r;
    }
    if (!Number.isSafeInteger(n)) throw new RangeError(`randbelow: n must be a safe integer, got ${n}`);
    const k = bitLength(n);
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /** `random.randrange(start, stop)` (step 1). */
  randrange(start: number, stop: number): number {
    if (!Number.isInteger(start) || !Number.isInteger(stop)) throw new RangeError('randrange: integer arguments expected');
    const width = stop - start;
    if (width <= 0) throw new RangeError(`empty range in randrange(${start}, ${stop})`);
    return start + this.randbelow(width);
  }

  /** `random.randint(a, b)`: uniform integer in [a, b], both included. */
  randint(a: number, b: number): number {
    return this.randrange(a, b + 1);
  }

  /** `random.uniform(a, b)` = a + (b - a) * random(). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.random();
  }

  /** `random.choice(seq)`. */
  choice<T>(seq: ArrayLike<T>): T {
    if (seq.length === 0) throw new RangeError('Cannot choose from an empty sequence');
    return seq[this.randbelow(seq.length)];
  }

  /**
   * `random.choices(population, weights, k=k)` as CPython 3.11: without weights,
   * population[floor(random() * n)]; with weights, the cumulative sums (added left to
   * right in float64) and bisect_right(cum, random() * total, 0, n - 1).
   */
  choices<T>(population: ArrayLike<T>, weights: ArrayLike<number> | null = null, k = 1): T[] {
    const n = population.length;
    const out: T[] = new Array(k);
    if (weights === null) {
      for (let i = 0; i < k; i++) out[i] = population[Math.floor(this.random() * n)];
      return out;
    }
    if (weights.length !== n) throw new RangeError('The number of weights does not match the population');
    const cum = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) {
      s += weights[i];
      cum[i] = s;
    }
    const total = n > 0 ? cum[n - 1] : NaN;
    if (n === 0) throw new RangeError('Cannot choose from an empty population');
    if (!(total > 0)) throw new RangeError('Total of weights must be greater than zero');
    if (!Number.isFinite(total)) throw new RangeError('Total of weights must be finite');
    const hiStart = n - 1;
    for (let i = 0; i < k; i++) {
      const x = this.random() * total;
      let lo = 0;
      let hi = hiStart;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (x < cum[mid]) hi = mid;
        else lo = mid + 1;
      }
      out[i] = population[lo];
    }
    return out;
  }

  /** `random.shuffle(x)` in place: Fisher–Yates from the end with randbelow(i + 1). */
  shuffle<T>(x: T[] | { length: number; [i: number]: T }): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
  }

  /** A snapshot of the generator state, for `setState` (not Python's getstate() tuple). */
  getState(): { mt: Uint32Array; index: number } {
    return { mt: this.mt.slice(), index: this.mti };
  }

  setState(state: { mt: ArrayLike<number>; index: number }): void {
    if (state.mt.length !== N || !(state.index >= 0 && state.index <= N)) throw new RangeError('PythonRandom.setState: bad state');
    this.mt.set(state.mt);
    this.mti = state.index;
  }
}

/**
 * numpy's legacy global generator (`np.random.seed(n)`, then `np.random.random_sample()`,
 * `rand()`, `uniform(a, b)`): the same MT19937 and the same 53-bit doubles as CPython, but
 * `_legacy_seeding` calls `init_genrand(n)` directly for an integer 0 ≤ n < 2**32, where
 * CPython goes through `init_by_array`. Only those integer seeds are supported (numpy
 * refuses the others too).
 */
export class NumpyRandomState extends PythonRandom {
  override seed(a: number | bigint): void {
    const n = typeof a === 'bigint' ? Number(a) : a;
    if (!Number.isInteger(n) || n < 0 || n >= TWO_POW_32) throw new RangeError(`Seed must be between 0 and 2**32 - 1, got ${String(a)}`);
    this.initGenrand(n);
  }

  /** `random_sample()` / `rand()`: a float in [0, 1) with 53 random bits. */
  randomSample(): number {
    return this.random();
  }
}

/**
 * Seed expander ("splitmix32"): a golden-ratio Weyl sequence (state += 0x9e3779b9)
 * finalised by MurmurHash3's fmix32. Returns [output, nextState].
 */
function splitmix32(state: number): [number, number] {
  const s = (state + 0x9e3779b9) >>> 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z = (z ^ (z >>> 16)) >>> 0;
  return [z, s];
}

/**
 * The workbench's own seeded PRNG: xoshiro128** (Blackman & Vigna, 2018; period
 * 2**128 − 1) whose 128-bit state is filled with four successive splitmix32
 * outputs of the uint32 seed (see `splitmix32` below; an all-zero state cannot come out
 * of it in practice, and the constructor guards it anyway). Known answer: seed 42 →
 * 2837322924, 544945897, 479756282, … (checked against the reference C code).
 *
 * - `nextUint32()`: the raw 32-bit output.
 * - `next()`: a float in [0, 1) with 32 random bits: `nextUint32() / 2**32`.
 *   (Every value is a multiple of 2**-32; use `nextFloat53()` when that matters.)
 * - `nextFloat53()`: [0, 1) with 53 random bits from two outputs (CPython's recipe).
 * - `int(min, max)`: uniform integer in [min, max] (both included) by rejection,
 *   unbiased, for max − min < 2**32.
 *
 * Only 32-bit integer operations: the same seed gives the same stream in every host.
 */
export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  readonly seed: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`SeededRandom: the seed must be an integer in [0, 2^32 - 1], got ${seed}`);
    }
    this.seed = seed;
    let st = seed >>> 0;
    let o: number;
    [o, st] = splitmix32(st);
    this.s0 = o;
    [o, st] = splitmix32(st);
    this.s1 = o;
    [o, st] = splitmix32(st);
    this.s2 = o;
    [o] = splitmix32(st);
    this.s3 = o;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  nextUint32(): number {
    const s1 = this.s1;
    const t5 = Math.imul(s1, 5);
    const rot = (t5 << 7) | (t5 >>> 25);
    const result = Math.imul(rot, 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Float in [0, 1) with 32 bits of randomness. */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Float in [0, 1) with 53 bits of randomness (two outputs). */
  nextFloat53(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform integer in [min, max], both included; requires max − min < 2**32. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`SeededRandom.int: need integers min <= max, got ${min}, ${max}`);
    }
    const range = max - min + 1;
    if (range > TWO_POW_32) throw new RangeError('SeededRandom.int: the range must hold at most 2^32 values');
    if (range === TWO_POW_32) return min + this.nextUint32();
    // Reject the top partial block so every residue is equally likely.
    const limit = TWO_POW_32 - (TWO_POW_32 % range);
    let r = this.nextUint32();
    while (r >= limit) r = this.nextUint32();
    return min + (r % range);
  }

  /** Copy with the same state (the copy and the original then produce the same stream). */
  clone(): SeededRandom {
    const c = new SeededRandom(this.seed);
    c.s0 = this.s0;
    c.s1 = this.s1;
    c.s2 = this.s2;
    c.s3 = this.s3;
    return c;
  }
}
