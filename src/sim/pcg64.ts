/**
 * numpy's PCG64 bit generator, seeded as `np.random.default_rng(seed)` seeds it:
 * `SeedSequence(seed).generate_state(4, uint64)` → PCG64's `set_seed(state = w0·2⁶⁴ + w1,
 * inc = w2·2⁶⁴ + w3)` → `pcg_setseq_128_srandom_r`. The generator is the 128-bit LCG
 * (multiplier 0x2360ed051fc65da44385df649fccf645) with the XSL-RR 64-bit output, stepped
 * before each output, as numpy 1.17+ (`numpy/random/src/pcg64/pcg64.h`).
 *
 * The 128-bit state is eight 16-bit limbs in plain numbers (every partial product stays
 * below 2**53), so the hot path uses no BigInt. `nextUint32` serves the low then the high
 * half of one 64-bit output and keeps the other half buffered, as numpy's `pcg64_next32`;
 * that buffer is shared by every method that draws 32 bits (integers, shuffle).
 */

const MASK32 = 0xffffffff;
const TWO32 = 4294967296;

// SeedSequence constants (numpy/random/bit_generator.pyx).
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const POOL_SIZE = 4;

/** PCG_DEFAULT_MULTIPLIER_128 as eight 16-bit limbs, least significant first. */
const MULT = [0xf645, 0x9fcc, 0xdf64, 0x4385, 0x5da4, 0x1fc6, 0xed05, 0x2360];

/** The 32-bit little-endian words of a non-negative integer seed ([0] for 0), as numpy's `_coerce_to_uint32_array`. */
export function seedWords(seed: number | bigint): number[] {
  let v = typeof seed === 'bigint' ? seed : BigInt(seed);
  if (typeof seed === 'number' && !Number.isSafeInteger(seed))
    throw new RangeError(`SeedSequence: the seed must be an integer, got ${seed}`);
  if (v < 0n) throw new RangeError(`SeedSequence: the seed must be non-negative, got ${String(seed)}`);
  const words: number[] = [];
  while (v > 0n) {
    words.push(Number(v & 0xffffffffn));
    v >>= 32n;
  }
  return words.length ? words : [0];
}

/** numpy's `SeedSequence(entropy)` (no spawn key, pool size 4): the mixed entropy pool. */
export function seedSequencePool(entropy: readonly number[]): Uint32Array {
  const pool = new Uint32Array(POOL_SIZE);
  let hashConst = INIT_A;
  const hashmix = (value: number): number => {
    let v = (value ^ hashConst) >>> 0;
    hashConst = Math.imul(hashConst, MULT_A) >>> 0;
    v = Math.imul(v, hashConst) >>> 0;
    return (v ^ (v >>> 16)) >>> 0;
  };
  const mix = (x: number, y: number): number => {
    const r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
    return (r ^ (r >>> 16)) >>> 0;
  };
  for (let i = 0; i < POOL_SIZE; i++) pool[i] = hashmix(i < entropy.length ? entropy[i] : 0);
  for (let src = 0; src < POOL_SIZE; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) if (src !== dst) pool[dst] = mix(pool[dst], hashmix(pool[src]));
  }
  for (let src = POOL_SIZE; src < entropy.length; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) pool[dst] = mix(pool[dst], hashmix(entropy[src]));
  }
  return pool;
}

/** `SeedSequence.generate_state(nWords32, uint32)`: 32-bit words (pairs of them, low first, make numpy's uint64 words). */
export function generateState(pool: Uint32Array, nWords32: number): Uint32Array {
  const out = new Uint32Array(nWords32);
  let hashConst = INIT_B;
  for (let i = 0; i < nWords32; i++) {
    let v = (pool[i % POOL_SIZE] ^ hashConst) >>> 0;
    hashConst = Math.imul(hashConst, MULT_B) >>> 0;
    v = Math.imul(v, hashConst) >>> 0;
    out[i] = (v ^ (v >>> 16)) >>> 0;
  }
  return out;
}

const scratch = new Float64Array(8);

/** a = a * MULT + inc (mod 2**128), limbs of 16 bits, least significant first. */
function stepLcg(a: number[], inc: readonly number[]): void {
  const r = scratch;
  let carry = 0;
  for (let k = 0; k < 8; k++) {
    let s = carry + inc[k];
    for (let i = 0; i <= k; i++) s += a[i] * MULT[k - i];
    r[k] = s % 65536;
    carry = Math.floor(s / 65536);
  }
  for (let k = 0; k < 8; k++) a[k] = r[k];
}

/** 128-bit a + b (mod 2**128) into a. */
function add128(a: number[], b: readonly number[]): void {
  let carry = 0;
  for (let k = 0; k < 8; k++) {
    const s = a[k] + b[k] + carry;
    a[k] = s & 0xffff;
    carry = s >>> 16;
  }
}

/** Limbs of a 128-bit value given as four 32-bit words, most significant first. */
function limbsOf(w3: number, w2: number, w1: number, w0: number): number[] {
  return [w0 & 0xffff, w0 >>> 16, w1 & 0xffff, w1 >>> 16, w2 & 0xffff, w2 >>> 16, w3 & 0xffff, w3 >>> 16];
}

/** numpy's PCG64 (XSL-RR), `np.random.PCG64(seed)`. */
export class PCG64 {
  private readonly state: number[];
  private readonly inc: number[];
  private hasUint32 = false;
  private uinteger = 0;
  /** The two 32-bit halves of the last 64-bit output (hi, lo). */
  hi = 0;
  lo = 0;

  constructor(seed: number | bigint) {
    const words = generateState(seedSequencePool(seedWords(seed)), 8);
    // uint64 words: v[k] = words[2k] (low) | words[2k+1] (high); state = v0·2⁶⁴ + v1, inc = v2·2⁶⁴ + v3.
    const initState = limbsOf(words[1], words[0], words[3], words[2]);
    const initSeq = limbsOf(words[5], words[4], words[7], words[6]);
    // inc = (initseq << 1) | 1
    const inc = [0, 0, 0, 0, 0, 0, 0, 0];
    let carry = 1;
    for (let k = 0; k < 8; k++) {
      const v = initSeq[k] * 2 + carry;
      inc[k] = v & 0xffff;
      carry = v >>> 16;
    }
    this.inc = inc;
    this.state = [0, 0, 0, 0, 0, 0, 0, 0];
    stepLcg(this.state, this.inc);
    add128(this.state, initState);
    stepLcg(this.state, this.inc);
  }

  /** One 64-bit output, left in `this.hi` / `this.lo` (unsigned 32-bit halves). */
  next64(): void {
    const s = this.state;
    stepLcg(s, this.inc);
    // XSL-RR: rotr64(hi64 ^ lo64, state >> 122)
    const xHi = ((s[7] * 65536 + s[6]) ^ (s[3] * 65536 + s[2])) >>> 0;
    const xLo = ((s[5] * 65536 + s[4]) ^ (s[1] * 65536 + s[0])) >>> 0;
    const rot = s[7] >>> 10;
    if (rot === 0) {
      this.hi = xHi;
      this.lo = xLo;
    } else if (rot < 32) {
      this.lo = ((xLo >>> rot) | (xHi << (32 - rot))) >>> 0;
      this.hi = ((xHi >>> rot) | (xLo << (32 - rot))) >>> 0;
    } else if (rot === 32) {
      this.hi = xLo;
      this.lo = xHi;
    } else {
      const r = rot - 32;
      this.lo = ((xHi >>> r) | (xLo << (32 - r))) >>> 0;
      this.hi = ((xLo >>> r) | (xHi << (32 - r))) >>> 0;
    }
  }

  /** `next_uint64` as a bigint (tests and the rare 64-bit paths). */
  nextUint64(): bigint {
    this.next64();
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** `next_uint32`: the low half of a fresh 64-bit output, then its high half on the next call. */
  nextUint32(): number {
    if (this.hasUint32) {
      this.hasUint32 = false;
      return this.uinteger;
    }
    this.next64();
    this.hasUint32 = true;
    this.uinteger = this.hi;
    return this.lo;
  }

  /** `next_double`: (next_uint64 >> 11) · 2⁻⁵³. */
  nextDouble(): number {
    this.next64();
    return (this.hi * 2097152 + (this.lo >>> 11)) / 9007199254740992;
  }

  /** `random_raw()`: one 64-bit output as a decimal string (numpy prints uint64 that way). */
  randomRaw(): string {
    return this.nextUint64().toString();
  }
}

export const UINT32_MAX = MASK32;
export const TWO_POW_32 = TWO32;
