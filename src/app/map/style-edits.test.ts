import { describe, expect, it } from 'vitest';
import '../../models/index.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import { bandKind, colorizer, MAX_AUTO_CLASSES, scaleFor, type ColorScale } from './colors.ts';
import type { DrawLayer } from './layers.ts';
import { RAMPS } from './ramps.ts';
import { seriesColors } from './series-colors.ts';
import { parseStoredStyles } from './band-style-store.ts';
import { sanitizeStyle, styledLayer, styledScale, styleKey, toHex6, type StretchSource } from './style-edits.ts';

const spec = (name: string) => ExecutorRegistry.specs().find((s) => s.name === name)!;
const band = (model: string, name: string) => spec(model).bands!.find((b) => b.name === name)!;
const rgb = (scale: ColorScale, v: number) => {
  const px = new Uint8ClampedArray(4);
  colorizer(scale, null)(v, px, 0);
  return [...px];
};

describe('bandKind: classes or a ramp', () => {
  it("the spec's categories make a band categorical (BR-MANGUE uso, the Game of Life's state)", () => {
    expect(bandKind(band('brmangue', 'uso'), [new Float32Array([1, 2.5])], null)).toEqual({
      kind: 'categorical',
      codes: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    });
    expect(bandKind(band('game_of_life', 'state'), [], null)).toEqual({ kind: 'categorical', codes: [0, 1] });
  });
  it('a unit makes it continuous, even on integers (BR-MANGUE alt, int16 on the Ilha sample)', () => {
    expect(bandKind(band('brmangue', 'alt'), [new Int16Array([0, 1, 2])], null)).toEqual({ kind: 'continuous' });
  });
  it('undeclared: a fraction → continuous; a few integers → their classes; many integers → continuous', () => {
    expect(bandKind(undefined, [new Float32Array([0, 1, 0.5])], null)).toEqual({ kind: 'continuous' });
    expect(bandKind(undefined, [new Float32Array([3, 1, 3, -9999, NaN])], -9999)).toEqual({ kind: 'categorical', codes: [1, 3] });
    const many = Int16Array.from({ length: MAX_AUTO_CLASSES + 1 }, (_, i) => i);
    expect(bandKind(undefined, [many], null)).toEqual({ kind: 'continuous' });
    expect(bandKind(undefined, [many.subarray(0, MAX_AUTO_CLASSES)], null).kind).toBe('categorical');
  });
  it('an undeclared band of few codes gets a legend of classes (labelled by their values)', () => {
    const s = scaleFor('band_1', undefined, [new Uint8Array([0, 4, 4, 7])], null);
    expect(s.kind).toBe('categorical');
    if (s.kind === 'categorical')
      expect(s.entries.map((e) => [e.value, e.label])).toEqual([
        [0, ''],
        [4, ''],
        [7, ''],
      ]);
  });
});

describe('styledScale: class colours and labels', () => {
  const life = scaleFor('state', band('game_of_life', 'state'), [new Uint8Array([0, 1])], null);
  it('paints a class in the colour given and keeps the others', () => {
    const edited = styledScale(life, { classes: { '1': { color: '#ff8800', label: 'living' } } }, null);
    expect(rgb(edited, 1)).toEqual([255, 136, 0, 255]);
    expect(rgb(edited, 0)).toEqual(rgb(life, 0));
    if (edited.kind !== 'categorical') throw new Error('categorical expected');
    expect(edited.entries.map((e) => e.label)).toEqual(['dead', 'living']);
  });
  it('without an edit it is the same scale', () => {
    expect(styledScale(life, undefined, null)).toBe(life);
  });
  it("the charts follow a class's new colour, matched by the model's own label", () => {
    const fire = spec('forest_fire');
    const before = seriesColors(fire);
    const after = seriesColors(fire, undefined, { classes: { '1': { color: '#123456', label: 'on fire' } } });
    expect(after.burning).toBe('#123456');
    expect(after.burned).toBe(before.burned);
  });
});

describe('styledScale: ramp and stretch of a continuous band', () => {
  const alt = new Int16Array([0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 62]);
  const base = scaleFor('alt', band('brmangue', 'alt'), [alt], null);
  const source: StretchSource = { key: 'test-alt', arrays: [alt], nodata: null };
  it('by default: viridis over the data min and max', () => {
    expect(base).toMatchObject({ kind: 'continuous', min: 0, max: 62, ramp: 'viridis', stretch: 'data' });
  });
  it('percentiles (2–98 % unless given), over the valid values', () => {
    // numpy 2.4: np.percentile([0, 0, 1, ..., 10, 62], [2, 98]) = [0.0, 49.51999999999999]
    const p = styledScale(base, { stretch: 'percentile' }, source);
    expect(p).toMatchObject({ stretch: 'percentile', percentiles: [2, 98], min: 0, max: 49.51999999999999 });
    expect(styledScale(base, { stretch: 'percentile', pLow: 25, pHigh: 75 }, source)).toMatchObject({ min: 2, max: 8 });
  });
  it('a typed min and max, and another ramp: the ends take the ramp’s end colours', () => {
    const m = styledScale(base, { stretch: 'manual', min: 5, max: 10, ramp: 'magma' }, source);
    expect(m).toMatchObject({ min: 5, max: 10, ramp: 'magma', stretch: 'manual' });
    expect(rgb(m, 2)).toEqual([0, 0, 4, 255]);
    expect(rgb(m, 10)).toEqual([252, 253, 191, 255]);
    expect(rgb(m, 62)).toEqual([252, 253, 191, 255]);
  });
  it('the diverging ramp is centred on 0 when the values span it', () => {
    const diff = scaleFor('d', undefined, [new Float64Array([-0.5, 0.25, 2.5])], null);
    const d = styledScale(diff, { ramp: 'coolwarm' }, null);
    expect(d).toMatchObject({ min: -2.5, max: 2.5, ramp: 'coolwarm' });
    // 0 sits in the middle: Moreland's neutral grey (#dddddd, give or take the 256-step rounding)
    for (const c of rgb(d, 0).slice(0, 3)) expect(Math.abs(c - 221)).toBeLessThanOrEqual(1);
    expect(d.kind === 'continuous' && d.stops).toBe(RAMPS.coolwarm.stops);
  });
});

describe('styledLayer', () => {
  const layer = {
    id: 'input',
    kind: 'raster',
    valueKey: 'k',
    categories: { 0: 'dead', 1: 'alive' },
    scale: scaleFor('state', band('game_of_life', 'state'), [], null),
  } as unknown as DrawLayer;
  it('a colour edit changes the value key (the map redraws); a label edit only the hover labels', () => {
    const recoloured = styledLayer(layer, { classes: { '1': { color: '#00ff00' } } }, null);
    const relabelled = styledLayer(layer, { classes: { '1': { label: 'living' } } }, null);
    expect(recoloured.valueKey).not.toBe(layer.valueKey);
    expect(relabelled.valueKey).toBe(styledLayer(layer, { classes: { '1': { label: 'other' } } }, null).valueKey);
    expect(relabelled.categories).toEqual({ 0: 'dead', 1: 'living' });
  });
});

describe('stored edits', () => {
  it('are kept per model and band, and a malformed one is dropped rather than guessed', () => {
    expect(styleKey('brmangue', 'alt')).toBe('brmangue/alt');
    const raw = JSON.stringify({
      'game_of_life/state': { classes: { '1': { color: '#FF0000', label: 'on' }, x: { color: '#000000' }, '0': { color: 'red' } } },
      'brmangue/alt': { ramp: 'magma', stretch: 'percentile', pLow: 5, pHigh: 95, min: 3, max: 1 },
      'bad/one': { ramp: 'rainbow', stretch: 'log' },
    });
    expect(parseStoredStyles(raw)).toEqual({
      'game_of_life/state': { classes: { '1': { color: '#ff0000', label: 'on' } } },
      'brmangue/alt': { ramp: 'magma', stretch: 'percentile', pLow: 5, pHigh: 95 },
    });
    expect(parseStoredStyles('not json')).toEqual({});
    expect(sanitizeStyle({ pLow: 98, pHigh: 2 })).toBeNull();
  });
  it('colours are handed to a colour input as #rrggbb', () => {
    expect(toHex6('#abc')).toBe('#aabbcc');
    expect(toHex6('#12355B')).toBe('#12355b');
  });
});
