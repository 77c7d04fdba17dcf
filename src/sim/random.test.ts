import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NumpyRandomState, PythonRandom, SeededRandom } from './random.ts';

const ref = (name: string) => JSON.parse(readFileSync(new URL(`../../tests/reference/${name}`, import.meta.url), 'utf8'));

describe('PythonRandom (CPython 3.11 random.Random)', () => {
  it('random() for seed 42', () => {
    const r = new PythonRandom(42);
    expect([r.random(), r.random(), r.random()]).toEqual([0.6394267984578837, 0.025010755222666936, 0.27502931836911926]);
  });

  it('randint(0, 15) for seed 42', () => {
    const r = new PythonRandom(42);
    expect(Array.from({ length: 5 }, () => r.randint(0, 15))).toEqual([3, 0, 8, 7, 7]);
  });

  it('choices with weights: fill(data={1: 0.6, 0: 0.4}, seed=42)', () => {
    const r = new PythonRandom(42);
    expect(r.choices([1, 0], [0.6, 0.4], 10)).toEqual([0, 1, 1, 1, 0, 0, 0, 1, 1, 1]);
  });

  it('gol_vector_initialize_seed42.json: choices([1, 0], [0.6, 0.4], k=64)', () => {
    const g = ref('gol_vector_initialize_seed42.json');
    const r = new PythonRandom(42);
    expect(r.choices([1, 0], [0.6, 0.4], 64)).toEqual(g.initial_state_in_index_order);
  });

  it('fire_prob_seeded.json: seed 2024, choices([0, 1], [0.9, 0.1], k=100)', () => {
    const f = ref('fire_prob_seeded.json');
    const r = new PythonRandom(f.params.seed);
    expect(r.choices([0, 1], [0.9, 0.1], 100)).toEqual(f.initial_state_in_index_order);
  });

  // Values printed by CPython 3.11.7.
  it('matches CPython for other calls and seeds', () => {
    let r = new PythonRandom(2024);
    expect([r.random(), r.getrandbits(7), r.randint(-5, 5), r.choice([10, 20, 30])]).toEqual([0.47009071843107064, 93, 4, 20]);
    const x = Array.from({ length: 20 }, (_, i) => i);
    new PythonRandom(99).shuffle(x);
    expect(x).toEqual([9, 0, 13, 16, 15, 14, 10, 11, 8, 17, 4, 1, 18, 2, 3, 7, 5, 6, 19, 12]);
    expect(new PythonRandom(5).choices(['a', 'b', 'c'], null, 6)).toEqual(['b', 'c', 'c', 'c', 'c', 'c']);
    expect(new PythonRandom(5).choices(['a', 'b', 'c'], [0, 1, 3], 6)).toEqual(['c', 'c', 'c', 'c', 'c', 'c']);
    r = new PythonRandom(123);
    const y = Array.from({ length: 10 }, (_, i) => i);
    r.shuffle(y);
    expect([y, r.choice('abcdef'), r.choices('abc', null, 4), r.uniform(1, 2)]).toEqual([
      [8, 7, 5, 9, 2, 3, 6, 1, 4, 0],
      'e',
      ['b', 'b', 'a', 'a'],
      1.5609620089366762,
    ]);
    r = new PythonRandom(7);
    expect([
      ...Array.from({ length: 8 }, () => r.randint(0, 1)),
      r.randrange(0, 2 ** 32),
      r.getrandbits(32),
      r.getrandbits(0),
      r.randint(5, 5),
    ]).toEqual([1, 0, 1, 0, 0, 0, 1, 0, 922121676, 369140570, 0, 5]);
    r = new PythonRandom(2 ** 40 + 7);
    expect([r.random(), r.getrandbits(40), r.randrange(0, 2 ** 40 + 3)]).toEqual([0.6137037779936511, 1034292189877, 551799892330]);
    expect(new PythonRandom(3).randrange(0, 3 ** 30)).toBe(166813256859645);
    r = new PythonRandom(42);
    for (let i = 0; i < 1000; i++) r.random();
    expect(r.random()).toBe(0.09935462460613032);
  });

  it('seeds like CPython: sign dropped, 0, big ints, floats through hash()', () => {
    expect(new PythonRandom(0).random()).toBe(0.8444218515250481);
    expect(new PythonRandom(-3).random()).toBe(0.23796462709189137);
    expect(new PythonRandom(2n ** 64n + 5n).random()).toBe(0.5105783769365112);
    expect(new PythonRandom(12345678901234567890n).random()).toBe(0.5120180983871961);
    expect(new PythonRandom(0.5).random()).toBe(0.2794930785867423);
    expect(new PythonRandom(-1.5).random()).toBe(0.7101153317194698);
    expect(new PythonRandom(123.456).random()).toBe(0.4511143340537135);
    expect(new PythonRandom(1e-300).random()).toBe(0.43684087591810306);
    expect(() => new PythonRandom(NaN)).toThrow(RangeError);
  });

  it('reseeding and state snapshots reproduce the stream', () => {
    const r = new PythonRandom(1);
    const a = [r.random(), r.random()];
    r.seed(1);
    expect([r.random(), r.random()]).toEqual(a);
    const st = r.getState();
    const next = [r.random(), r.randint(0, 100)];
    r.setState(st);
    expect([r.random(), r.randint(0, 100)]).toEqual(next);
  });

  it('refuses what Python refuses', () => {
    const r = new PythonRandom(1);
    expect(() => r.randint(3, 2)).toThrow(RangeError);
    expect(() => r.choice([])).toThrow(RangeError);
    expect(() => r.choices([1, 2], [0, 0], 1)).toThrow(RangeError);
    expect(() => r.choices([1, 2], [1], 1)).toThrow(RangeError);
    expect(() => r.randbelow(0)).toThrow(RangeError);
  });
});

describe('SeededRandom (xoshiro128** seeded by splitmix32)', () => {
  it('has a fixed stream (known answers from the reference C code)', () => {
    const r = new SeededRandom(42);
    expect(Array.from({ length: 5 }, () => r.nextUint32())).toEqual([2837322924, 544945897, 479756282, 3500138142, 339756180]);
    const z = new SeededRandom(0);
    expect(Array.from({ length: 5 }, () => z.nextUint32())).toEqual([3809008728, 1133695204, 53579671, 2891528803, 139681546]);
  });

  it('next() is in [0, 1) with 32 bits; int() is inclusive and unbiased enough', () => {
    const r = new SeededRandom(7);
    const counts = new Array(6).fill(0);
    let inRange = true;
    for (let i = 0; i < 60000; i++) {
      const x = r.next();
      if (!(x >= 0 && x < 1)) inRange = false;
      counts[r.int(1, 6) - 1]++;
    }
    expect(inRange).toBe(true);
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(400);
    const f = r.nextFloat53();
    expect(f >= 0 && f < 1).toBe(true);
    expect(r.int(5, 5)).toBe(5);
    expect(() => r.int(2, 1)).toThrow(RangeError);
    expect(() => new SeededRandom(-1)).toThrow(RangeError);
    expect(() => new SeededRandom(2 ** 32)).toThrow(RangeError);
  });

  it('clone() continues the same stream', () => {
    const r = new SeededRandom(3);
    r.next();
    const c = r.clone();
    expect([r.nextUint32(), r.nextUint32()]).toEqual([c.nextUint32(), c.nextUint32()]);
  });
});

describe("NumpyRandomState (numpy's legacy np.random)", () => {
  const walk = ref('abm_random_walk.json') as { rng: { np_legacy_random_sample_first64: Record<string, number[]> } };
  for (const [seed, draws] of Object.entries(walk.rng.np_legacy_random_sample_first64)) {
    it(`np.random.seed(${seed}); random_sample() × 64 as numpy 1.24`, () => {
      const r = new NumpyRandomState(Number(seed));
      expect(draws.map(() => r.randomSample())).toEqual(draws);
    });
  }
  it('refuses seeds numpy refuses', () => {
    expect(() => new NumpyRandomState(-1)).toThrow(/between 0 and 2\*\*32 - 1/);
    expect(() => new NumpyRandomState(0.5)).toThrow(/between 0 and 2\*\*32 - 1/);
  });
});
