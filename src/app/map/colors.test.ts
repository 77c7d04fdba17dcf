import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bandKind, colorizer, rasterToImage, scaleFor, type ColorScale } from './colors.ts';

const cats = { name: 'state', description: 'state', categories: { 0: 'dead', 1: 'alive' } };

describe('bandKind', () => {
  it('takes the distinct integer codes of an undeclared band as classes, small and large codes alike, nodata and NaN left out', () => {
    expect(bandKind(undefined, [new Uint8Array([1, 0, 1, 255, 3])], 255)).toEqual({ kind: 'categorical', codes: [0, 1, 3] });
    expect(bandKind(undefined, [new Float64Array([5000, -2, NaN, 7]), [7, 1024]], null)).toEqual({
      kind: 'categorical',
      codes: [-2, 7, 1024, 5000],
    });
  });

  it('is continuous with a fraction, with more than 12 distinct values (small or large), or with no valid value', () => {
    expect(bandKind(undefined, [new Float32Array([1, 2, 2.5])], null)).toEqual({ kind: 'continuous' });
    expect(bandKind(undefined, [Uint16Array.from({ length: 13 }, (_, i) => i * 100)], null)).toEqual({ kind: 'continuous' });
    expect(bandKind(undefined, [Uint16Array.from({ length: 12 }, (_, i) => i * 100)], null).kind).toBe('categorical');
    expect(bandKind(undefined, [Uint8Array.from({ length: 13 }, (_, i) => i)], null)).toEqual({ kind: 'continuous' });
    expect(bandKind(undefined, [Uint8Array.from({ length: 13 }, (_, i) => i)], 12).kind).toBe('categorical');
    expect(bandKind(undefined, [new Uint8Array([9, 9])], 9)).toEqual({ kind: 'continuous' });
  });
});

describe('scaleFor', () => {
  it('says whether values outside the declared classes occur (nodata and NaN are not such values)', () => {
    const other = (values: ArrayLike<number>, nodata: number | null) => {
      const s = scaleFor('state', cats, [values], nodata);
      return s.kind === 'categorical' && s.hasOther;
    };
    expect(other(new Uint8Array([0, 1, 1, 0]), null)).toBe(false);
    expect(other(new Uint8Array([0, 1, 255]), 255)).toBe(false);
    expect(other(new Float64Array([0, NaN, 1]), null)).toBe(false);
    expect(other(new Uint8Array([0, 1, 2]), null)).toBe(true);
    expect(other(new Float64Array([0, 1, 0.5]), null)).toBe(true);
    expect(other(new Float64Array([0, 1, 4096]), null)).toBe(true);
  });
});

describe('rasterToImage', () => {
  // Node has no ImageData: a plain one, as the page's.
  const g = globalThis as { ImageData?: unknown };
  const had = g.ImageData;
  beforeAll(() => {
    g.ImageData ??= class {
      constructor(
        readonly data: Uint8ClampedArray,
        readonly width: number,
        readonly height: number,
      ) {}
    };
  });
  afterAll(() => {
    g.ImageData = had;
  });

  /** Each pixel as the scale's colorizer paints that cell's value into a fresh (zeroed) pixel. */
  const cellByCell = (values: ArrayLike<number>, scale: ColorScale, nodata: number | null) => {
    const want = new Uint8ClampedArray(values.length * 4);
    const paint = colorizer(scale, nodata);
    for (let i = 0; i < values.length; i++) paint(values[i], want, i * 4);
    return want;
  };

  it('paints every cell as the colorizer does: classes, other values, nodata, NaN, large codes and fractions', () => {
    const classes = scaleFor('state', cats, [new Uint8Array([0, 1])], null);
    const values = new Float64Array([0, 1, 1, 255, 7, NaN, 0, 2000, -0, -3, 1.5, 1]);
    expect(rasterToImage(values, 4, 3, classes, 255).data).toEqual(cellByCell(values, classes, 255));
    const ramp = scaleFor('alt', undefined, [new Float64Array([0, 0.5, 2000])], null);
    expect(ramp.kind).toBe('continuous');
    expect(rasterToImage(values, 4, 3, ramp, 7).data).toEqual(cellByCell(values, ramp, 7));
  });
});
