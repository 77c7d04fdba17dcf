/**
 * The user's edits of a band's colours, and how they change its colour scale. Pure (no DOM, no
 * store): the scale stays plain data, so whoever paints the pixels (the page or a worker) reads
 * the edited colours from it.
 *
 * - a categorical band: a colour and a label per class (by code);
 * - a continuous band: a ramp (viridis, magma, cividis, coolwarm) and a stretch (the data's
 *   min/max, percentiles — 2–98 % by default — or a typed min/max). A diverging ramp with a
 *   data or percentile stretch is centred on 0 when the values span 0.
 *
 * Edits are kept per model and band (`styleKey`).
 */
import { hexToRgb, type CategoryEntry, type ColorScale } from './colors.ts';
import type { DrawLayer } from './layers.ts';
import { isRampName, RAMPS, type RampName } from './ramps.ts';
import { centredOnZero, DEFAULT_PERCENTILES, percentiles, type StretchMode } from './stretch.ts';

export interface ClassEdit {
  /** '#rrggbb' */
  color?: string;
  label?: string;
}

export interface BandStyle {
  /** By class code. */
  classes?: Record<string, ClassEdit>;
  ramp?: RampName;
  stretch?: StretchMode;
  /** Percentiles of a `percentile` stretch, low < high, within 0..100. */
  pLow?: number;
  pHigh?: number;
  /** Ends of a `manual` stretch, min < max. */
  min?: number;
  max?: number;
}

/** The key an edit is kept under: the model and the band (or attribute) drawn. */
export const styleKey = (model: string | null | undefined, field: string): string => `${model ?? ''}/${field}`;

const HEX6 = /^#[0-9a-f]{6}$/i;
const MAX_LABEL = 80;

/** A colour as the '#rrggbb' a colour input takes ('#abc' and '#aabbcc' alike). */
export function toHex6(color: string): string {
  const [r, g, b] = hexToRgb(color);
  return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** An edit read back from storage, keeping only what is well-formed (anything else is dropped, not guessed). */
export function sanitizeStyle(v: unknown): BandStyle | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const out: BandStyle = {};
  if (typeof o.classes === 'object' && o.classes !== null) {
    const classes: Record<string, ClassEdit> = {};
    for (const [code, e] of Object.entries(o.classes as Record<string, unknown>)) {
      if (!Number.isFinite(Number(code)) || typeof e !== 'object' || e === null) continue;
      const { color, label } = e as Record<string, unknown>;
      const edit: ClassEdit = {};
      if (typeof color === 'string' && HEX6.test(color)) edit.color = color.toLowerCase();
      if (typeof label === 'string') edit.label = label.slice(0, MAX_LABEL);
      if (edit.color !== undefined || edit.label !== undefined) classes[String(Number(code))] = edit;
    }
    if (Object.keys(classes).length > 0) out.classes = classes;
  }
  if (isRampName(o.ramp)) out.ramp = o.ramp;
  if (o.stretch === 'data' || o.stretch === 'percentile' || o.stretch === 'manual') out.stretch = o.stretch;
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
  const pLow = num(o.pLow);
  const pHigh = num(o.pHigh);
  if (pLow !== undefined && pHigh !== undefined && validPercentiles(pLow, pHigh)) Object.assign(out, { pLow, pHigh });
  const min = num(o.min);
  const max = num(o.max);
  if (min !== undefined && max !== undefined && min < max) Object.assign(out, { min, max });
  return Object.keys(out).length > 0 ? out : null;
}

export const validPercentiles = (lo: number, hi: number): boolean => lo >= 0 && hi <= 100 && lo < hi;

/** The percentiles an edit asks for (2–98 % unless it says otherwise). */
export function percentilesOf(edit: BandStyle | undefined): [number, number] {
  return edit?.pLow !== undefined && edit.pHigh !== undefined ? [edit.pLow, edit.pHigh] : [DEFAULT_PERCENTILES[0], DEFAULT_PERCENTILES[1]];
}

/** Whether the edit changes anything on this scale (a reset button is offered then). */
export function isEdited(edit: BandStyle | undefined): boolean {
  return edit !== undefined && Object.keys(edit).length > 0;
}

/** Where a percentile stretch gets its values: the arrays (every frame of a run) and a cache key for them. */
export interface StretchSource {
  key: string;
  arrays: readonly ArrayLike<number | null>[];
  nodata: number | null;
}

const percentileCache = new Map<string, [number, number] | null>();

/** Percentiles of a source, remembered by its key (the last few only): a step of the slider does not recompute them. */
export function sourcePercentiles(src: StretchSource, lo: number, hi: number): [number, number] | null {
  const key = `${src.key}|${lo}|${hi}`;
  if (percentileCache.has(key)) return percentileCache.get(key)!;
  const r = percentiles(src.arrays, src.nodata, [lo, hi]);
  const v: [number, number] | null = r ? [r[0], r[1]] : null;
  percentileCache.set(key, v);
  if (percentileCache.size > 16) percentileCache.delete(percentileCache.keys().next().value!);
  return v;
}

/** The scale with the edit applied; the same object when there is nothing to apply. */
export function styledScale(scale: ColorScale, edit: BandStyle | undefined, source: StretchSource | null): ColorScale {
  if (!edit) return scale;
  if (scale.kind === 'categorical') {
    if (!edit.classes) return scale;
    const entries: CategoryEntry[] = scale.entries.map((e) => {
      const c = edit.classes?.[String(e.value)];
      return c ? { value: e.value, label: c.label ?? e.label, color: c.color ?? e.color } : e;
    });
    return { ...scale, entries };
  }
  if (scale.kind !== 'continuous') return scale;
  const ramp = RAMPS[edit.ramp ?? scale.ramp];
  const mode = edit.stretch ?? scale.stretch;
  let { min, max } = scale;
  let pcts: [number, number] | undefined;
  if (mode === 'manual' && edit.min !== undefined && edit.max !== undefined && edit.min < edit.max) {
    min = edit.min;
    max = edit.max;
  } else if (mode === 'percentile' && source) {
    pcts = percentilesOf(edit);
    const r = sourcePercentiles(source, pcts[0], pcts[1]);
    if (r) [min, max] = r;
  }
  if (ramp.diverging && mode !== 'manual') ({ min, max } = centredOnZero(min, max));
  return {
    ...scale,
    min,
    max,
    stops: ramp.stops,
    ramp: ramp.name,
    stretch: mode === 'manual' && !(edit.min !== undefined && edit.max !== undefined) ? 'data' : mode,
    ...(pcts ? { percentiles: pcts } : {}),
  };
}

/** Category labels with the edited ones (for the hover readout). */
export function styledCategories(categories: Record<number, string> | null, scale: ColorScale): Record<number, string> | null {
  if (scale.kind !== 'categorical') return categories;
  const out: Record<number, string> = { ...(categories ?? {}) };
  for (const e of scale.entries) if (e.label) out[e.value] = e.label;
  return Object.keys(out).length > 0 ? out : null;
}

/** A short, stable text of what an edit changes in the paint (part of a layer's value key: such an edit redraws; a label alone does not). */
export function styleStamp(edit: BandStyle | undefined): string {
  if (!edit) return '';
  const colors = Object.entries(edit.classes ?? {})
    .filter(([, c]) => c.color !== undefined)
    .map(([k, c]) => `${k}=${c.color}`);
  return JSON.stringify({ ...edit, classes: colors });
}

/** A map layer drawn with the edit: its scale, its hover labels, and a value key that changes with the edit. */
export function styledLayer<L extends DrawLayer>(layer: L, edit: BandStyle | undefined, source: StretchSource | null): L {
  if (!edit) return layer;
  const scale = styledScale(layer.scale, edit, source);
  if (scale === layer.scale) return layer;
  return {
    ...layer,
    scale,
    categories: styledCategories(layer.categories, scale),
    valueKey: `${layer.valueKey}|style:${styleStamp(edit)}`,
  };
}
