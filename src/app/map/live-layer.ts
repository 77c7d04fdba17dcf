/**
 * The state of a run in progress, as a map layer: the worker's live frame of
 * the display layer drawn on the input's geometry (a grid model keeps its
 * cells in the input's order), in the colours the output will have.
 */
import type { ExecutorSpec } from '../../executor/executor.ts';
import type { Dataset, TypedArray } from '../../sim/dataset.ts';
import { sampledSize } from '../../sim/plane-sample.ts';
import type { LiveFrame } from '../run/live-store.ts';
import { scaleFor, type ColorScale } from './colors.ts';
import { objId, rasterPlacement, vectorLayer, type DrawLayer } from './layers.ts';

/** One scale per run and dataset, from the first frame on, so live frames do not flicker. */
let cached: { key: string; scale: ColorScale } | null = null;

export function liveLayer(ds: Dataset, spec: ExecutorSpec | null, runId: number, frame: LiveFrame, paused: boolean): DrawLayer | null {
  const name = spec?.displayLayer ?? null;
  if (!name) return null;
  const field = [...(spec?.bands ?? []), ...(spec?.columns ?? [])].find((f) => f.name === name);
  const values = frame.data as unknown as TypedArray;
  const sampled = ds.kind === 'raster' ? frame.sampled : undefined;
  const title =
    `${paused ? 'Paused' : 'Live'} · step ${frame.step} / ${frame.total}` + (sampled ? ` · 1 in ${sampled.stride} rows and columns` : '');
  const key = `${runId}:${objId(ds)}`;
  if (ds.kind === 'raster') {
    const width = sampled?.width ?? ds.width;
    const height = sampled?.height ?? ds.height;
    if (values.length !== width * height) return null;
    if (sampled) {
      const size = sampledSize(ds.height, ds.width, sampled.stride); // as the worker's sampler makes it
      if (sampled.width !== size.cols || sampled.height !== size.rows) return null;
    }
    const placement = rasterPlacement(ds);
    const nodata = ds.bands.find((b) => b.name === name)?.nodata ?? null;
    if (cached?.key !== key) cached = { key, scale: scaleFor(name, field, [values], nodata) };
    return {
      id: 'output',
      kind: 'raster',
      geoKey: `output:live:${objId(ds)}`,
      valueKey: `live:${runId}:${frame.step}:${objId(frame.data)}`,
      title,
      field: name,
      fieldChoices: [name],
      scale: cached.scale,
      bounds: placement.bounds,
      note: placement.note,
      crs: placement.crs,
      categories: field?.categories ?? null,
      placement,
      width,
      height,
      values,
      nodata,
      ...(sampled ? { stride: sampled.stride } : {}),
    };
  }
  if (values.length !== ds.features.length) return null;
  // The layer's geoKey names the input's cells: the output that follows (same cells) is drawn by recolouring.
  const layer = vectorLayer(
    'output',
    ds,
    name,
    field,
    values,
    [],
    title,
    `live:${runId}:${frame.step}:${objId(frame.data)}`,
    cached?.key === key ? cached.scale : undefined,
  );
  if (cached?.key !== key) cached = { key, scale: layer.scale };
  return layer;
}
