import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultRng, pairwiseSum } from './numpy-generator.ts';
import { glibcHypot, pythonRound } from './libm.ts';
import { generateState, PCG64, seedSequencePool, seedWords } from './pcg64.ts';

const ref = (name: string) => JSON.parse(readFileSync(new URL(`../../tests/reference/${name}`, import.meta.url), 'utf8'));
const schelling = ref('abm_schelling.json');
const barros = ref('abm_peripherisation.json');
type Stream = Record<string, unknown>;
const streams: [string, Stream][] = [
  ...Object.entries(schelling.rng.pcg64 as Record<string, Stream>),
  ...Object.entries(barros.rng.pcg64 as Record<string, Stream>),
];

describe('PCG64 seeded by SeedSequence (numpy 1.24, recorded streams)', () => {
  it('SeedSequence(0).generate_state(4, uint32) is numpy’s', () => {
    // numpy: np.random.SeedSequence(0).generate_state(4) → [2968811710, 3677149159, 745650761, 2884920346]
    expect(Array.from(generateState(seedSequencePool(seedWords(0)), 4))).toEqual([2968811710, 3677149159, 745650761, 2884920346]);
  });

  it.each(streams)('default_rng(%s): the first 64 random_raw() and random() values', (seed, s) => {
    const bg = new PCG64(Number(seed));
    expect(Array.from({ length: 64 }, () => bg.randomRaw())).toEqual(s.random_raw_uint64_first64);
    const g = defaultRng(Number(seed));
    expect(Array.from({ length: 64 }, () => g.random())).toEqual(s.random_first64);
  });

  it('default_rng(42).random(3) is the spec’s 0.7739560485559633, 0.4388784397520523, 0.8585979199113825', () => {
    expect(Array.from(defaultRng(42).randomArray(3))).toEqual([0.7739560485559633, 0.4388784397520523, 0.8585979199113825]);
  });

  it('a seed wider than 32 bits is hashed from all its words', () => {
    expect(new PCG64(2n ** 40n + 5n).randomRaw()).not.toEqual(new PCG64(5).randomRaw());
    expect(() => new PCG64(-1)).toThrow(/non-negative/);
  });
});

describe('Generator methods against the recorded streams', () => {
  it.each(Object.entries(schelling.rng.pcg64 as Record<string, Stream>))('default_rng(%s): shuffle(arange(120))', (seed, s) => {
    const a = Array.from({ length: 120 }, (_, i) => i);
    defaultRng(Number(seed)).shuffle(a);
    expect(a).toEqual(s.shuffle_of_arange_120);
  });

  it.each(Object.entries(schelling.rng.pcg64 as Record<string, Stream>))('default_rng(%s): integers(30) scalar and size=64', (seed, s) => {
    const g = defaultRng(Number(seed));
    expect(Array.from({ length: 64 }, () => g.integers(30))).toEqual(s['integers(30)_scalar_x64']);
    expect(defaultRng(Number(seed)).integersArray(0, 30, 64)).toEqual(s['integers(30,size=64)_vector']);
  });

  it.each(Object.entries(barros.rng.pcg64 as Record<string, Stream>))(
    'default_rng(%s): integers(8) and choice(8, p=uniform)',
    (seed, s) => {
      const g = defaultRng(Number(seed));
      expect(Array.from({ length: 64 }, () => g.integers(8))).toEqual(s['integers(8)_scalar_x64']);
      const h = defaultRng(Number(seed));
      const p = new Float64Array(8).fill(0.125);
      expect(Array.from({ length: 64 }, () => h.choice(8, { p }))).toEqual(s['choice(8,p=uniform)_scalar_x64']);
    },
  );

  it('integers(k) is unbiased over its range and stays in it', () => {
    const g = defaultRng(1);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70000; i++) counts[g.integers(7)]++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
    expect(g.integers(5, 6)).toBe(5);
    expect(() => g.integers(3, 3)).toThrow(/low >= high/);
  });

  it('choice without replacement gives distinct indices; permutation is a permutation', () => {
    const g = defaultRng(3);
    const picks = g.choiceArray(20, 20, { replace: false });
    expect([...picks].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const withP = g.choiceArray(5, 3, { replace: false, p: [0.1, 0.2, 0.3, 0.4, 0] });
    expect(new Set(withP).size).toBe(3);
    expect(withP).not.toContain(4);
    expect([...g.permutation(10)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => g.choice(3, { p: [0.5, 0.6, 0] })).toThrow(/sum to 1/);
    expect(() => g.choiceArray(3, 4, { replace: false })).toThrow(/larger sample/);
  });

  it('uniform(low, high) = low + (high - low) * random()', () => {
    const a = defaultRng(2024);
    const b = defaultRng(2024);
    expect(a.uniform(-1, 3)).toBe(-1 + 4 * b.random());
  });

  it('8- and 16-bit integers share one next_uint32 per call', () => {
    // int8 in [0, 256) takes whole bytes: four values from one 32-bit word, low byte first
    const g = defaultRng(42);
    const bytes = g.integersOfType(0, 256, 4, 'uint8');
    const word = new PCG64(42).nextUint32();
    expect(bytes).toEqual([word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, word >>> 24]);
  });
});

describe('pairwiseSum (np.add.reduce)', () => {
  it('blocks eight accumulators as numpy does (numpy 2.4.6: 58.48550132844835; a left-to-right sum gives …834)', () => {
    const a = [
      0.0009332239002254336, 8.582579108682998, 8.4492680147361, 0.36788073891151674, 0.09510229811957994, 39.94252615788064,
      0.00936442061842003, 0.055615977553389706, 0.24013532830277584, 0.7414216700278128, 0.0006743897148867628,
    ];
    expect(pairwiseSum(a)).toBe(58.48550132844835);
    expect(a.reduce((s, v) => s + v, 0)).toBe(58.48550132844834);
  });
});

describe('known answers checked against numpy 2.4.6', () => {
  it('integers of 8- and 16-bit dtypes, choice without replacement, permutation', () => {
    expect(defaultRng(42).integersOfType(0, 256, 4, 'uint8')).toEqual([136, 38, 217, 22]);
    expect(defaultRng(7).integersOfType(-5, 100, 9, 'int8')).toEqual([25, 88, 93, 64, 21, -3, 60, 38, 10]);
    expect(defaultRng(7).integersOfType(0, 1000, 9, 'int16')).toEqual([291, 944, 256, 625, 416, 684, 803, 897, 974]);
    expect(defaultRng(3).choiceArray(20, 5, { replace: false })).toEqual([3, 12, 1, 4, 19]);
    expect(defaultRng(3).choiceArray(5, 3, { replace: false, p: [0.1, 0.2, 0.3, 0.4, 0] })).toEqual([0, 1, 3]);
    expect(defaultRng(3).permutation(10)).toEqual([9, 6, 0, 2, 1, 4, 7, 5, 3, 8]);
    // a large population takes the tail-shuffle path
    expect(defaultRng(3).choiceArray(20000, 500, { replace: false }).slice(0, 5)).toEqual([12716, 15203, 6886, 19009, 13047]);
  });
});

describe('libm: glibc’s hypot (np.hypot) and Python’s round', () => {
  it('gives glibc 2.36’s last bit where Math.hypot and sqrt(x² + y²) do not (values from glibc itself)', () => {
    const cases: [number, number, number][] = [
      [1.4484377106030781, 4.259287575880687, 4.49883345496904],
      [3.7656210462252298, -2.112386087576548, 4.317647142456335],
      [0.12537775437037152, 4.1384673317273455, 4.140366099400561],
      [-3.312500218550364, -0.5952553947766622, 3.3655588960686647],
    ];
    for (const [x, y, h] of cases) {
      expect(glibcHypot(x, y)).toBe(h);
      expect(Math.sqrt(x * x + y * y)).not.toBe(h);
    }
    expect(glibcHypot(3, 4)).toBe(5);
    expect(glibcHypot(-Infinity, NaN)).toBe(Infinity);
  });

  it('pythonRound rounds halves to even', () => {
    expect([0.5, 1.5, 2.5, 3.49, 7.5, 120 * 0.25].map(pythonRound)).toEqual([0, 2, 2, 3, 8, 30]);
  });
});
