import { describe, expect, it } from 'vitest';
import { niceTicks, tickLabel } from './ticks.ts';

describe('niceTicks', () => {
  it('puts ticks on 1/2/5 multiples inside the range', () => {
    expect(niceTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(3, 47, 4)).toEqual([10, 20, 30, 40]);
    expect(niceTicks(-0.3, 0.3, 3)).toEqual([-0.2, 0, 0.2]);
    expect(niceTicks(990, 1010, 4)).toEqual([990, 995, 1000, 1005, 1010]);
  });
  it('degenerate ranges', () => {
    expect(niceTicks(5, 5)).toEqual([5]);
    expect(niceTicks(10, 0, 2)).toEqual([0, 5, 10]);
    expect(niceTicks(Number.NaN, 1)).toEqual([]);
  });
  it('labels compactly', () => {
    expect(tickLabel(0)).toBe('0');
    expect(tickLabel(0.2)).toBe('0.2');
    expect(tickLabel(15000)).toBe('15k');
    expect(tickLabel(2500000)).toBe('2.5M');
    expect(tickLabel(1 / 3)).toBe('0.3333');
  });
});
