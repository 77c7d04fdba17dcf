/**
 * A large FeatureCollection handed to MapLibre in slices: MapLibre copies the
 * GeoJSON it is given to its own worker (a structured clone on the page's main
 * thread), so 40,000 polygons at once are one long task of half a second or
 * more. The first slice goes with addSource/setData, the rest with
 * `updateData({ add })`, one slice per task, so the page stays responsive
 * while the layer fills in.
 */
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';

/** Features per slice (≈ 50 ms of cloning on a busy 2-core machine). */
export const SLICE_FEATURES = 4000;

export type FeatureSlice = (from: number, to: number) => GeoJSON.Feature[];

/**
 * Send features [from, count) of `slice` to `source` in slices, each in its own task.
 * `done` runs once the last slice is queued (or at once when there is nothing left);
 * the returned function stops the stream (the source was removed or given other data).
 */
export function streamFeatures(map: MlMap, source: string, slice: FeatureSlice, from: number, count: number, done: () => void): () => void {
  let next = from;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const step = () => {
    timer = null;
    if (stopped) return;
    let src: GeoJSONSource | undefined;
    try {
      src = map.getSource(source);
    } catch {
      src = undefined; // the map was removed
    }
    if (!src) return finish();
    const to = Math.min(count, next + SLICE_FEATURES);
    src.updateData({ add: slice(next, to) }).catch(() => undefined); // a later setData may abandon it
    next = to;
    if (next < count) timer = setTimeout(step, 0);
    else finish();
  };
  const finish = () => {
    if (stopped) return;
    stopped = true;
    done();
  };
  if (next >= count) finish();
  else timer = setTimeout(step, 0);
  return () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    finish();
  };
}
