import { describe, expect, it } from 'vitest';
import type { DrawLayer } from './layers.ts';
import { classCounts, shareText } from './legend-counts.ts';

const layer = (values: ArrayLike<number>, nodata: number | null): DrawLayer =>
  ({
    kind: 'raster',
    valueKey: 'k',
    nodata,
    values,
    scale: {
      kind: 'categorical',
      field: 'state',
      entries: [
        { value: 0, label: 'dead', color: '#fff' },
        { value: 1, label: 'alive', color: '#000' },
      ],
      otherColor: '#999',
      hasOther: true,
    },
  }) as unknown as DrawLayer;

describe('classCounts', () => {
  it('counts cells per class and other values, without nodata', () => {
    const c = classCounts(layer(new Uint8Array([0, 1, 1, 255, 7, 1]), 255))!;
    expect([...c.byValue]).toEqual([
      [0, 1],
      [1, 3],
    ]);
    expect(c.other).toBe(1);
    expect(c.total).toBe(5);
    expect(shareText(3, 5)).toBe('3 · 60%');
    expect(shareText(1, 300)).toBe('1 · 0.3%');
  });
});
