/**
 * Colour scales for map layers: a categorical palette for categorical fields (in the colours a
 * model declares, e.g. BR-MANGUE's USO_COLORS), a continuous ramp (viridis by default) for
 * continuous ones (`bandKind` decides which); both turn values into RGBA for raster images and
 * into CSS colours for vector fills and legends. The user's edits (class colours and labels, a
 * stretch, another ramp) are applied to these scales by `styledScale` (style-edits.ts).
 */
import type { CanonicalField } from '../../executor/executor.ts';
import type { TypedArray } from '../../sim/dataset.ts';
import { RAMPS, type RampName } from './ramps.ts';
import type { StretchMode } from './stretch.ts';

export interface CategoryEntry {
  value: number;
  label: string;
  color: string;
}

export type ColorScale =
  | { kind: 'categorical'; field: string; unit?: string; entries: CategoryEntry[]; otherColor: string; hasOther: boolean }
  | {
      kind: 'continuous';
      field: string;
      unit?: string;
      /** The values the ramp's two ends stand for. */
      min: number;
      max: number;
      stops: readonly string[];
      ramp: RampName;
      stretch: StretchMode;
      /** The percentiles of a `percentile` stretch. */
      percentiles?: readonly [number, number];
    }
  | { kind: 'empty'; field: string };

const BINARY = ['#f7f9fb', '#12355b'];

/**
 * Colours suggested by a category's label (generic words, no model names): a
 * burning cell is orange and a forest green whichever model says so. Checked in order.
 */
const LABEL_COLORS: [RegExp, string][] = [
  [/\b(burned|burnt|ash(es)?|scorched)\b/i, '#5d4037'],
  [/\b(burning|fire|on fire|ignited)\b/i, '#f4511e'],
  [/\b(dead|empty|vacant|absent|off)\b/i, '#f7f9fb'],
  [/\b(alive|live|occupied|on)\b/i, '#12355b'],
  [/\b(forest|trees?|vegetation|grass)\b/i, '#2e7d32'],
  [/\b(sea|water|ocean|river|lake)\b/i, '#1f4e9c'],
  [/\b(urban|built|anthropi[sz]ed)\b/i, '#ffd700'],
  [/\b(flooded|inundated)\b/i, '#0e7490'],
  [/\b(bare|soil|sand)\b/i, '#d7b98e'],
];

function labelColor(label: string): string | null {
  for (const [re, c] of LABEL_COLORS) if (re.test(label)) return c;
  return null;
}
const QUALITATIVE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#86bcb6',
  '#d37295',
];
const OTHER = '#9aa3ad';

/** Explicit colours a model may declare on a field (`colors: {code: '#rrggbb'}`), if any. */
function declaredColors(field: CanonicalField | undefined): Record<number, string> | null {
  return field?.colors ?? null;
}

export function rangeOf(arrays: readonly ArrayLike<number>[], nodata: number | null): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v !== v || v === nodata || !Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return min <= max ? { min, max } : null;
}

/** Codes 0 … SMALL_CODES − 1 are marked in an array when values are scanned. */
const SMALL_CODES = 1024;

/** At most this many distinct integer values make an undeclared band categorical. */
export const MAX_AUTO_CLASSES = 12;

/**
 * Whether a field is drawn as classes or as a ramp, in this order:
 * 1. the model's spec declares `categories` for it → categorical (its codes);
 * 2. the spec gives it a `unit` (a measured quantity: elevation in m) → continuous;
 * 3. else the values decide: any non-integer value (a float band's fractions) → continuous;
 *    integers only, at most MAX_AUTO_CLASSES distinct values → categorical (those values);
 *    more → continuous.
 * nodata, NaN and ±Infinity are left out. `manyValues`: the arrays are a summary (min and max) of a band
 * known to hold more distinct values than any class list (RunResponse.displayValues) → continuous.
 */
export function bandKind(
  field: CanonicalField | undefined,
  arrays: readonly ArrayLike<number>[],
  nodata: number | null,
  manyValues = false,
): { kind: 'categorical'; codes: number[] } | { kind: 'continuous' } {
  const cats = field?.categories;
  if (cats && Object.keys(cats).length > 0) {
    const codes = Object.keys(cats)
      .map(Number)
      .filter((n) => Number.isFinite(n))
      .sort((a, b) => a - b);
    return { kind: 'categorical', codes };
  }
  if (field?.unit || manyValues) return { kind: 'continuous' };
  const seen = new Set<number>();
  // Small non-negative codes (the usual classes) are marked in an array: a 4000² grid is 16 M cells.
  const small = new Uint8Array(SMALL_CODES);
  let distinct = 0;
  for (const a of arrays) {
    if (a instanceof Uint8Array) {
      // The usual class band, in a loop of its own (one element kind: several times quicker on 16 M cells).
      for (let i = 0; i < a.length; i++) {
        const v = a[i];
        if (small[v] === 1 || v === nodata) continue;
        small[v] = 1;
        if (++distinct > MAX_AUTO_CLASSES) return { kind: 'continuous' };
      }
      continue;
    }
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v >= 0 && v < SMALL_CODES && (v | 0) === v) {
        if (small[v] === 1 || v === nodata) continue;
        small[v] = 1;
      } else {
        if (v === nodata || !Number.isFinite(v)) continue;
        if (!Number.isInteger(v)) return { kind: 'continuous' };
        if (seen.has(v)) continue;
        seen.add(v);
      }
      if (++distinct > MAX_AUTO_CLASSES) return { kind: 'continuous' };
    }
  }
  if (distinct === 0) return { kind: 'continuous' };
  for (let v = 0; v < SMALL_CODES; v++) if (small[v] === 1) seen.add(v);
  return { kind: 'categorical', codes: [...seen].sort((a, b) => a - b) };
}

/**
 * The scale for a field (see `bandKind`): categorical with the declared labels and colours (or the
 * values themselves), else a viridis ramp over the values' range (all frames included, so
 * animation does not flicker).
 */
export function scaleFor(
  fieldName: string,
  field: CanonicalField | undefined,
  arrays: readonly ArrayLike<number>[],
  nodata: number | null,
  manyValues = false,
): ColorScale {
  const kind = bandKind(field, arrays, nodata, manyValues);
  if (kind.kind === 'categorical') {
    const cats = field?.categories ?? {};
    const codes = kind.codes;
    const known = declaredColors(field);
    const byLabel = codes.map((c) => (c in cats ? labelColor(cats[c]) : null));
    // Label colours only when they tell every category apart.
    const useLabels = byLabel.every((c) => c !== null) && new Set(byLabel).size === codes.length;
    const entries = codes.map((value, i) => ({
      value,
      label: cats[value] ?? '',
      color: known?.[value] ?? (useLabels ? byLabel[i]! : codes.length === 2 ? BINARY[i] : QUALITATIVE[i % QUALITATIVE.length]),
    }));
    const set = new Set(codes);
    // Small non-negative codes looked up in an array (1: a class), the rest in the set.
    const isCode = new Uint8Array(SMALL_CODES);
    for (const c of codes) if (c >= 0 && c < SMALL_CODES && (c | 0) === c) isCode[c] = 1;
    let hasOther = false;
    outer: for (const a of arrays) {
      if (a instanceof Uint8Array) {
        for (let i = 0; i < a.length; i++) {
          const v = a[i];
          if (isCode[v] === 1 || v === nodata) continue;
          hasOther = true;
          break outer;
        }
        continue;
      }
      for (let i = 0; i < a.length; i++) {
        const v = a[i];
        if (v >= 0 && v < SMALL_CODES && (v | 0) === v ? isCode[v] === 1 : set.has(v)) continue;
        if (v === nodata || v !== v) continue;
        hasOther = true;
        break outer;
      }
    }
    return { kind: 'categorical', field: fieldName, ...(field?.unit ? { unit: field.unit } : {}), entries, otherColor: OTHER, hasOther };
  }
  const r = rangeOf(arrays, nodata);
  if (!r) return { kind: 'empty', field: fieldName };
  return {
    kind: 'continuous',
    field: fieldName,
    ...(field?.unit ? { unit: field.unit } : {}),
    min: r.min,
    max: r.max,
    stops: RAMPS.viridis.stops,
    ramp: 'viridis',
    stretch: 'data',
  };
}

export function hexToRgb(hex: string): [number, number, number] {
  const h = hex.replace('#', '');
  const n = parseInt(h.length === 3 ? h.replace(/./g, (c) => c + c) : h, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** 256 colours evenly along the stops (linear between two neighbouring stops; a 256-stop table is taken as it is). */
export function rampLut(stops: readonly string[]): Uint8Array {
  const rgb = stops.map(hexToRgb);
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * (rgb.length - 1);
    const k = Math.min(Math.floor(t), rgb.length - 2);
    const f = t - k;
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(rgb[k][c] * (1 - f) + rgb[k + 1][c] * f);
  }
  return lut;
}

/** A fast value → RGBA function for a scale (alpha 0 for nodata / NaN). */
export function colorizer(scale: ColorScale, nodata: number | null): (v: number, out: Uint8ClampedArray, o: number) => void {
  if (scale.kind === 'categorical') {
    const map = new Map<number, [number, number, number]>();
    for (const e of scale.entries) map.set(e.value, hexToRgb(e.color));
    const other = hexToRgb(scale.otherColor);
    return (v, out, o) => {
      if (v !== v || v === nodata) {
        out[o + 3] = 0;
        return;
      }
      const c = map.get(v) ?? other;
      out[o] = c[0];
      out[o + 1] = c[1];
      out[o + 2] = c[2];
      out[o + 3] = 255;
    };
  }
  if (scale.kind === 'empty') {
    return (_v, out, o) => {
      out[o + 3] = 0;
    };
  }
  const lut = rampLut(scale.stops);
  const { min, max } = scale;
  const span = max - min;
  return (v, out, o) => {
    if (v !== v || v === nodata || !Number.isFinite(v)) {
      out[o + 3] = 0;
      return;
    }
    const i = span > 0 ? Math.max(0, Math.min(255, Math.round(((v - min) / span) * 255))) : 128;
    out[o] = lut[i * 3];
    out[o + 1] = lut[i * 3 + 1];
    out[o + 2] = lut[i * 3 + 2];
    out[o + 3] = 255;
  };
}

export function cssColor(scale: ColorScale, nodata: number | null, v: number | null): string {
  if (v === null) return 'rgba(0,0,0,0)';
  const px = new Uint8ClampedArray(4);
  colorizer(scale, nodata)(v, px, 0);
  return px[3] === 0 ? 'rgba(0,0,0,0)' : `rgb(${px[0]},${px[1]},${px[2]})`;
}

/** Largest image edge drawn on the map (bigger rasters are sampled down for display only). */
export const MAX_IMAGE_EDGE = 2048;

/** A raster band as an RGBA image, sampled down (nearest) when larger than MAX_IMAGE_EDGE. */
export function rasterToImage(
  data: TypedArray | ArrayLike<number>,
  width: number,
  height: number,
  scale: ColorScale,
  nodata: number | null,
): ImageData {
  const f = Math.max(1, Math.ceil(Math.max(width, height) / MAX_IMAGE_EDGE));
  const w = Math.ceil(width / f);
  const h = Math.ceil(height / f);
  const px = new Uint8ClampedArray(w * h * 4);
  const paint = colorizer(scale, nodata);
  // Small non-negative codes (classes, mostly) are coloured once each, then copied as one 32-bit word a pixel.
  const px32 = new Uint32Array(px.buffer);
  const lut = new Uint32Array(SMALL_CODES);
  const known = new Uint8Array(SMALL_CODES);
  const one = new Uint8ClampedArray(4);
  const one32 = new Uint32Array(one.buffer);
  for (let r = 0; r < h; r++) {
    const src = Math.min(height - 1, r * f) * width;
    for (let c = 0; c < w; c++) {
      const v = data[src + Math.min(width - 1, c * f)];
      if (v >= 0 && v < SMALL_CODES && (v | 0) === v) {
        if (known[v] === 0) {
          one32[0] = 0;
          paint(v, one, 0);
          lut[v] = one32[0];
          known[v] = 1;
        }
        px32[r * w + c] = lut[v];
      } else paint(v, px, (r * w + c) * 4);
    }
  }
  return new ImageData(px, w, h);
}

export function formatValue(v: number | string | boolean | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return a >= 1000 || a < 0.001 ? v.toPrecision(6) : String(Math.round(v * 10000) / 10000);
  }
  return String(v);
}
