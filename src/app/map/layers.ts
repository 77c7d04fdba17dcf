/**
 * What the map draws, as plain data: the input dataset and the run's output
 * turned into layers with a placement, values and a colour scale. MapView
 * turns these into MapLibre sources; hover and the legend read them too.
 */
import type { CanonicalField, ExecutorSpec } from '../../executor/executor.ts';
import type { Dataset, GeoJSONGeometry, PropertyValue, RasterDataset, VectorDataset } from '../../sim/dataset.ts';
import type { VectorMesh } from '../../worker/vector-mesh.ts';
import { meshOfDataset } from './mesh-store.ts';
import type { SimOutput } from '../../sim/output.ts';
import type { ValueSummary } from '../../worker/display.ts';
import type { Compatibility } from '../data/compat.ts';
import { scaleFor, type ColorScale } from './colors.ts';
import { geometryKey } from '../../worker/geometry-key.ts';
import {
  placeRaster,
  placeVector,
  placeVectorAsync,
  type Bounds,
  type RasterPlacement,
  type VectorPlacement,
} from '../../worker/placement.ts';

export type LayerId = 'input' | 'output';

/** A vector layer's `geoKey` is `<layer id>:v:<geometry key>`. */
const VECTOR_KEY = ':v:';

/** Both vector layers are drawn on the same features (their geometry keys agree past the layer id). */
export function onSameFeatures(a: DrawLayer, b: DrawLayer): boolean {
  if (a.kind !== 'vector' || b.kind !== 'vector') return false;
  const geometry = (l: DrawLayer) => l.geoKey.slice(l.geoKey.indexOf(VECTOR_KEY));
  return geometry(a) === geometry(b);
}

interface LayerBase {
  id: LayerId;
  /** Identity of the geometry (placement); a change re-fits the map. */
  geoKey: string;
  /** Identity of the drawn values; a change redraws. */
  valueKey: string;
  title: string;
  field: string;
  fieldChoices: string[];
  scale: ColorScale;
  bounds: Bounds;
  note: string | null;
  crs: string;
  /** Category labels for the hover readout. */
  categories: Record<number, string> | null;
}

export interface RasterLayer extends LayerBase {
  kind: 'raster';
  placement: RasterPlacement;
  /** Of `values` (the grid's, or a sampled live frame's). */
  width: number;
  height: number;
  values: ArrayLike<number>;
  nodata: number | null;
  /** A live frame of every `stride`-th row and column of the grid (drawn over the whole grid's place); absent: 1. */
  stride?: number;
}

export interface VectorLayer extends LayerBase {
  kind: 'vector';
  placement: VectorPlacement;
  dataset: VectorDataset;
  /** Numeric value per feature (strings are coded through `categories`), null = none. */
  values: (number | null)[];
}

export type DrawLayer = RasterLayer | VectorLayer;

const placementCache = new WeakMap<Dataset, RasterPlacement | VectorPlacement>();
const objIds = new WeakMap<object, number>();
let nextObjId = 1;
/** A stable id per object (for change detection keys). */
export function objId(o: object): number {
  let id = objIds.get(o);
  if (id === undefined) {
    id = nextObjId++;
    objIds.set(o, id);
  }
  return id;
}

export function rasterPlacement(ds: RasterDataset): RasterPlacement {
  let p = placementCache.get(ds) as RasterPlacement | undefined;
  if (!p) {
    p = placeRaster(ds);
    placementCache.set(ds, p);
  }
  return p;
}

/** The last few vector placements by geometry key: a run's output on its input's cells reuses the input's. */
const placementsByGeometry = new Map<string, VectorPlacement>();
const PLACEMENTS_KEPT = 4;

/**
 * The placement of a dataset the worker made a mesh of (vector-mesh.ts): its bounds, note and CRS
 * come with the mesh, and the reprojected geometries (drawn by MapLibre's GeoJSON layers only, which
 * a meshed layer does not use) are made when first asked for.
 */
function meshPlacement(ds: VectorDataset, mesh: VectorMesh): VectorPlacement {
  let geometries: (GeoJSONGeometry | null)[] | null = null;
  return {
    get geometries() {
      return (geometries ??= placeVector(ds).geometries);
    },
    bounds: mesh.bounds,
    note: mesh.note,
    crs: mesh.crs,
  };
}

function vectorPlacement(ds: VectorDataset): VectorPlacement {
  let p = placementCache.get(ds) as VectorPlacement | undefined;
  if (!p) {
    const key = geometryKey(ds);
    p = placementsByGeometry.get(key);
    const mesh = p ? undefined : meshOfDataset(ds);
    if (p) placementsByGeometry.delete(key);
    else p = mesh ? meshPlacement(ds, mesh) : placeVector(ds);
    placementsByGeometry.set(key, p);
    if (placementsByGeometry.size > PLACEMENTS_KEPT) placementsByGeometry.delete(placementsByGeometry.keys().next().value!);
    placementCache.set(ds, p);
  }
  return p;
}

/**
 * Place a vector dataset ahead of the map (after a load), in tasks (placeVectorAsync), so that
 * the render that first draws it finds its placement made rather than reprojecting 40,000
 * cells in one long task.
 */
export async function prepareVectorPlacement(ds: VectorDataset): Promise<void> {
  if (placementCache.has(ds)) return;
  await new Promise((resolve) => setTimeout(resolve, 0));
  const key = geometryKey(ds);
  let p = placementsByGeometry.get(key);
  const mesh = p ? undefined : meshOfDataset(ds);
  if (mesh) p = meshPlacement(ds, mesh);
  if (!p) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    p = await placeVectorAsync(ds);
  }
  if (placementCache.has(ds)) return; // placed meanwhile (a render did not wait)
  placementsByGeometry.delete(key);
  placementsByGeometry.set(key, p);
  if (placementsByGeometry.size > PLACEMENTS_KEPT) placementsByGeometry.delete(placementsByGeometry.keys().next().value!);
  placementCache.set(ds, p);
}

function canonicalFor(spec: ExecutorSpec | null, name: string, compat: Compatibility | null): CanonicalField | undefined {
  const fields = [...(spec?.bands ?? []), ...(spec?.columns ?? [])];
  if (compat) {
    const canon = Object.entries(compat.resolved).find(([, real]) => real === name)?.[0];
    if (canon) return fields.find((f) => f.name === canon);
  }
  return fields.find((f) => f.name === name);
}

/** Property values as numbers; strings become codes with labels. */
function codeValues(props: PropertyValue[]): { values: (number | null)[]; categories: Record<number, string> | null } {
  const strings = new Set<string>();
  for (const v of props) if (typeof v === 'string') strings.add(v);
  if (strings.size === 0) {
    return {
      values: props.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'boolean' ? Number(v) : null)),
      categories: null,
    };
  }
  const sorted = [...strings].sort();
  const code = new Map(sorted.map((s, i) => [s, i]));
  const categories: Record<number, string> = {};
  sorted.forEach((s, i) => (categories[i] = s));
  return { values: props.map((v) => (typeof v === 'string' ? code.get(v)! : null)), categories };
}

const numericish = (ds: VectorDataset, col: string) =>
  ds.features.some((f) => typeof f.properties[col] === 'number' || typeof f.properties[col] === 'boolean');

export function vectorLayer(
  id: LayerId,
  ds: VectorDataset,
  attribute: string,
  field: CanonicalField | undefined,
  frameValues: ArrayLike<number> | null,
  allFrames: ArrayLike<number>[],
  title: string,
  valueKey: string,
  /** The scale to use (a run's, computed once); else one from these values. */
  knownScale?: ColorScale,
): VectorLayer {
  const placement = vectorPlacement(ds);
  let values: (number | null)[];
  let categories: Record<number, string> | null = field?.categories ?? null;
  if (frameValues) {
    values = Array.from(frameValues, (v) => (Number.isFinite(v) ? v : null));
  } else {
    const coded = codeValues(ds.features.map((f) => f.properties[attribute] ?? null));
    values = coded.values;
    if (coded.categories) categories = coded.categories;
  }
  const fakeField: CanonicalField | undefined =
    categories && !field?.categories ? { name: attribute, description: attribute, categories } : field;
  const scale = knownScale ?? scaleFor(attribute, fakeField, [values.filter((v): v is number => v !== null), ...allFrames], null);
  return {
    id,
    kind: 'vector',
    geoKey: `${id}${VECTOR_KEY}${geometryKey(ds)}`,
    valueKey,
    title,
    field: attribute,
    fieldChoices: ds.columns,
    scale,
    bounds: placement.bounds,
    note: placement.note,
    crs: placement.crs,
    categories,
    placement,
    dataset: ds,
    values,
  };
}

export function inputLayer(ds: Dataset, spec: ExecutorSpec | null, compat: Compatibility | null, chosen: string | null): DrawLayer | null {
  const display = spec?.displayLayer ?? null;
  if (ds.kind === 'raster') {
    if (ds.bands.length === 0) return null;
    const names = ds.bands.map((b) => b.name);
    const auto = (display && compat?.resolved[display]) || (display && names.includes(display) ? display : null) || names[0];
    const bandName = chosen && names.includes(chosen) ? chosen : auto;
    const band = ds.bands.find((b) => b.name === bandName)!;
    const field = canonicalFor(spec, band.name, compat);
    const placement = rasterPlacement(ds);
    return {
      id: 'input',
      kind: 'raster',
      geoKey: `input:r:${objId(ds)}`,
      valueKey: `input:${objId(ds)}:${band.name}:${spec?.name ?? ''}`,
      title: 'Input',
      field: band.name,
      fieldChoices: names,
      scale: scaleFor(field?.name ?? band.name, field, [band.data], band.nodata),
      bounds: placement.bounds,
      note: placement.note,
      crs: placement.crs,
      categories: field?.categories ?? null,
      placement,
      width: ds.width,
      height: ds.height,
      values: band.data,
      nodata: band.nodata,
    };
  }
  if (ds.columns.length === 0 && ds.features.length === 0) return null;
  const cols = ds.columns;
  const auto =
    (display && compat?.resolved[display]) ||
    (display && cols.includes(display) ? display : null) ||
    cols.find((c) => numericish(ds, c)) ||
    cols[0] ||
    '';
  const attribute = chosen && cols.includes(chosen) ? chosen : auto;
  const field = canonicalFor(spec, attribute, compat);
  return vectorLayer('input', ds, attribute, field, null, [], 'Input', `input:${objId(ds)}:${attribute}:${spec?.name ?? ''}`);
}

const outputScales = new WeakMap<SimOutput, ColorScale>();

/**
 * The arrays a raster run's colour scale is made from: the worker's summary of
 * every frame's values (RunResponse.displayValues) when there is one, else the frames.
 */
function scaleArrays(summary: ValueSummary | undefined, field: CanonicalField | undefined, all: () => ArrayLike<number>[]) {
  if (!summary) return all();
  const codes = Object.keys(field?.categories ?? {}).map(Number);
  // More distinct values than a summary keeps: some are not among the (few) categories.
  const other = summary.many && codes.length > 0 ? [Math.max(...codes) + 0.5] : [];
  return [summary.values, other];
}

export function outputLayer(
  out: SimOutput | undefined | null,
  spec: ExecutorSpec | null,
  frame: number,
  summary?: ValueSummary,
): DrawLayer | null {
  if (!out || out.kind === 'table') return null;
  const cached = outputScales.get(out);
  const fields = [...(spec?.bands ?? []), ...(spec?.columns ?? [])];
  const field = fields.find((f) => f.name === out.layer);
  const frames = out.frames;
  const k = frames.length > 0 ? Math.max(0, Math.min(frames.length - 1, frame)) : -1;
  const title = k >= 0 ? `Output · step ${frames[k].step}` : 'Output';
  if (out.kind === 'raster') {
    const ds = out.dataset;
    const band = ds.bands.find((b) => b.name === out.layer) ?? ds.bands[0];
    if (!band) return null;
    const placement = rasterPlacement(ds);
    const values = k >= 0 ? frames[k].data : band.data;
    return {
      id: 'output',
      kind: 'raster',
      geoKey: `output:r:${objId(ds)}`,
      valueKey: `output:${objId(ds)}:${k}`,
      title,
      field: band.name,
      fieldChoices: [band.name],
      scale:
        cached ??
        remember(
          out,
          scaleFor(
            band.name,
            field,
            scaleArrays(summary, field, () => [band.data, ...frames.map((f) => f.data)]),
            band.nodata,
            // A summary of more distinct values than it keeps holds only their min and max.
            summary?.many === true,
          ),
        ),
      bounds: placement.bounds,
      note: placement.note,
      crs: placement.crs,
      categories: field?.categories ?? null,
      placement,
      width: ds.width,
      height: ds.height,
      values,
      nodata: band.nodata,
    };
  }
  // One scale for the whole run (final state and every frame), so the animation does not flicker.
  const scale =
    cached ??
    remember(
      out,
      vectorLayer(
        'output',
        out.dataset,
        out.layer,
        field,
        null,
        frames.map((f) => f.data),
        title,
        '',
      ).scale,
    );
  return vectorLayer(
    'output',
    out.dataset,
    out.layer,
    field,
    k >= 0 ? frames[k].data : null,
    [],
    title,
    `output:${objId(out.dataset)}:${k}`,
    scale,
  );
}

function remember(out: SimOutput, scale: ColorScale): ColorScale {
  outputScales.set(out, scale);
  return scale;
}

/** The value under a map position, as text, or null when outside the layer. */
export function valueAtCell(layer: RasterLayer, lng: number, lat: number): { row: number; col: number; value: number } | null {
  const cell = layer.placement.cellAt(lng, lat);
  if (!cell) return null;
  const s = layer.stride ?? 1; // a sampled live frame: the sampled cell drawn there
  return { ...cell, value: layer.values[Math.floor(cell.row / s) * layer.width + Math.floor(cell.col / s)] };
}
