/**
 * A difference as a map layer (the DrawLayer the map, legend and hover read):
 * changed / unchanged cells in two colours, or b − a on a diverging ramp drawn
 * over its own min … max with its neutral middle at zero. A raster difference is drawn on its
 * grid, a vector one on run A's features.
 */
import type { ColorScale } from '../map/colors.ts';
import { objId, rasterPlacement, vectorLayer, type DrawLayer, type RasterLayer } from '../map/layers.ts';
import type { Dataset, RasterDataset } from '../../sim/dataset.ts';
import { DIFF_NODATA, type BandDiff } from './diff.ts';
import { divergingStops } from './diverging.ts';

export const UNCHANGED_COLOR = '#ffffff';
export const CHANGED_COLOR = '#c2185b';

export function diffScale(band: string, diff: BandDiff): ColorScale {
  const field = `${band} (B − A)`;
  if (diff.kind === 'categorical')
    return {
      kind: 'categorical',
      field,
      entries: [
        { value: 0, label: 'unchanged', color: UNCHANGED_COLOR },
        { value: 1, label: 'changed', color: CHANGED_COLOR },
      ],
      otherColor: '#9aa3ad',
      hasOther: false,
    };
  if (diff.min === null || diff.max === null) return { kind: 'empty', field };
  return {
    kind: 'continuous',
    field,
    min: diff.min,
    max: diff.max,
    stops: divergingStops(diff.min, diff.max),
    ramp: 'coolwarm',
    stretch: 'data',
  };
}

/** The map layer of a difference: on a raster grid (its one band holds the cells), or on a vector layer's features. */
export function diffLayer(on: Dataset, band: string, diff: BandDiff, title: string): DrawLayer {
  if (on.kind === 'raster') return rasterDiffLayer(on, band, diff, title);
  const values = Float64Array.from(diff.cells, (v) => (diff.kind === 'categorical' && v === DIFF_NODATA ? Number.NaN : v));
  const layer = vectorLayer('output', on, `${band} (B − A)`, undefined, values, [], title, `diff:${objId(diff.cells)}`);
  layer.geoKey = `diff:v:${objId(on)}`;
  layer.scale = diffScale(band, diff);
  layer.categories = diff.kind === 'categorical' ? { 0: 'unchanged', 1: 'changed' } : null;
  return layer;
}

function rasterDiffLayer(grid: RasterDataset, band: string, diff: BandDiff, title: string): RasterLayer {
  const placement = rasterPlacement(grid);
  const data = grid.bands[0];
  return {
    id: 'output',
    kind: 'raster',
    geoKey: `diff:r:${objId(grid)}`,
    valueKey: `diff:${objId(grid)}`,
    title,
    field: `${band} (B − A)`,
    fieldChoices: [band],
    scale: diffScale(band, diff),
    bounds: placement.bounds,
    note: placement.note,
    crs: placement.crs,
    categories: diff.kind === 'categorical' ? { 0: 'unchanged', 1: 'changed' } : null,
    placement,
    width: grid.width,
    height: grid.height,
    values: data.data,
    nodata: data.nodata,
  };
}
