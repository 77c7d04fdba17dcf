/**
 * Vector colours as MapLibre feature-state: the GeoJSON (geometry) is handed
 * to MapLibre once per layer, and a step change only sets the state of the
 * features whose colour changed — no rebuild of the whole FeatureCollection.
 */
import type { Map as MlMap } from 'maplibre-gl';
import { colorizer, cssColor } from './colors.ts';
import type { VectorLayer } from './layers.ts';

/** The colour of each feature (memoised by value: a scale has few distinct colours). */
export function featureColors(layer: VectorLayer): string[] {
  const memo = new Map<number | null, string>();
  const out = new Array<string>(layer.values.length);
  for (let i = 0; i < layer.values.length; i++) {
    const v = layer.values[i] ?? null;
    let c = memo.get(v);
    if (c === undefined) {
      c = cssColor(layer.scale, null, v);
      memo.set(v, c);
    }
    out[i] = c;
  }
  return out;
}

/**
 * The colour of each feature as RGBA bytes (the WebGL layer's texture, vector-gl-layer.ts): the
 * colours of featureColors — no value or a transparent one: transparent; else opaque.
 */
export function featureRgba(layer: VectorLayer): Uint8Array {
  const paint = colorizer(layer.scale, null);
  const memo = new Map<number, number>();
  const px = new Uint8ClampedArray(4);
  const px32 = new Uint32Array(px.buffer);
  const out = new Uint8Array(layer.values.length * 4);
  const out32 = new Uint32Array(out.buffer);
  for (let i = 0; i < layer.values.length; i++) {
    const v = layer.values[i];
    if (v === null || v === undefined) continue;
    let c = memo.get(v);
    if (c === undefined) {
      px32[0] = 0;
      paint(v, px, 0);
      if (px[3] !== 0) px[3] = 255;
      c = px32[0];
      memo.set(v, c);
    }
    out32[i] = c;
  }
  return out;
}

/** Set feature-state `key` (default `c`) where the colour differs from `prev`; returns how many changed. */
export function recolor(map: MlMap, source: string, colors: readonly string[], prev: readonly string[], key = 'c'): number {
  let changed = 0;
  for (let i = 0; i < colors.length; i++) {
    if (colors[i] !== prev[i]) {
      map.setFeatureState({ source, id: i }, { [key]: colors[i] });
      changed++;
    }
  }
  return changed;
}

/** Paint expression: the feature-state colour when set, else the colour baked into the GeoJSON. */
export const FEATURE_COLOR = ['coalesce', ['feature-state', 'c'], ['get', '__c']] as const;

/** The same for a layer drawn on another layer's source under its own state key (MapView: the output on the input's features). */
export const featureColor = (key: string) => ['coalesce', ['feature-state', key], ['get', '__c']] as const;
