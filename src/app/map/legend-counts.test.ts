import { describe, expect, it } from 'vitest';
import type { DrawLayer } from './layers.ts';
import { countsOf, tallyValues } from './class-tally.ts';
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

describe('tallyValues and countsOf', () => {
  it('count small and large codes, and group them by a legend’s classes (unlisted values are other)', () => {
    const t = tallyValues(new Float64Array([0, 5000, 5000, -1, NaN, 2.5, 0, 9]), 9);
    expect(t.total).toBe(6);
    expect(t.small[0]).toBe(2);
    expect([...t.big].sort((a, b) => a[0] - b[0])).toEqual([
      [-1, 1],
      [2.5, 1],
      [5000, 2],
    ]);
    const c = countsOf(t, [{ value: 0 }, { value: 5000 }, { value: 7 }]);
    expect([...c.byValue]).toEqual([
      [0, 2],
      [5000, 2],
      [7, 0],
    ]);
    expect(c.other).toBe(2);
    expect(c.total).toBe(6);
  });

  it('a raster’s counts follow an edited class list, from the tally kept for its values', () => {
    const values = new Uint8Array([0, 1, 1, 2]);
    const first = layer(values, null);
    expect(classCounts(first)!.other).toBe(1);
    const s = first.scale as Extract<DrawLayer['scale'], { kind: 'categorical' }>;
    const edited = {
      ...first,
      valueKey: 'k2',
      scale: { ...s, entries: [...s.entries, { value: 2, label: 'two', color: '#f00' }] },
    } as DrawLayer;
    const c = classCounts(edited)!;
    expect(c.byValue.get(2)).toBe(1);
    expect(c.other).toBe(0);
    expect(c.total).toBe(4);
  });
});
