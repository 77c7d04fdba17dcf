import { describe, expect, it } from 'vitest';
import { drawSeed } from './seed.ts';

describe('drawSeed', () => {
  it('gives uint32 values, not all alike', () => {
    const seeds = Array.from({ length: 20 }, drawSeed);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s <= 0xffffffff).toBe(true);
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });
});
