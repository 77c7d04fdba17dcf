/**
 * Vector colours as MapLibre feature-state: the GeoJSON (geometry) is handed
 * to MapLibre once per layer, and a step change only sets the state of the
 * features whose colour changed — no rebuild of the whole FeatureCollection.
 */
import type { Map as MlMap } from 'maplibre-gl';
import { cssColor } from './colors.ts';
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
