/**
 * Output builders: what a run returns (SimOutput), from the model's final
 * arrays. Raster outputs keep everything the input said about the grid — the
 * one place where georeferencing and nodata are inherited; vector outputs are
 * the input layer with its columns updated; tables are time series.
 */
import type { DType, RasterBand, RasterDataset, TypedArray } from '../../sim/dataset.ts';
import { dtypeOf } from '../../sim/dataset.ts';
import type { Frame, Series, SimOutput, TableData } from '../../sim/output.ts';
import type { VectorGrid } from '../../sim/vector.ts';
import type { RasterInput } from './inputs.ts';

/** What the loop recorded (a Trajectory fits). */
export interface Recorded {
  series: Series;
  frames: Frame[];
}

/**
 * A band of a raster output: an array (a state the model holds in its own
 * array, e.g. bytes: stored in the type of the input band of that name, so a
 * model that defines no type writes what it was given), or data with the dtype
 * the model defines. Either way the model hands the array over: a typed array
 * already in the band's type becomes the output band without a copy (copied
 * only when cells outside the study area get the nodata value back), so the
 * model must not change it afterwards (give arrays it no longer steps).
 */
export type OutputBand = TypedArray | { data: ArrayLike<number>; dtype: DType };

/**
 * A raster output on the grid of `like`, one band per entry in order; `layer`
 * (default: the first band) is what the map shows.
 *
 * The output inherits all of the input's georeferencing: size, north-up
 * transform or rotated affine, EPSG code, the CRS's own GeoKeys and WKT,
 * PixelIsPoint. Given the model's input bands (`sim.bands(ds)`, a
 * {@link RasterInput}), a band named like an input band also inherits that
 * band's nodata and, when given as a bare array, its dtype (the values must fit
 * it exactly); cells the reader took as outside the study area
 * (`nodataOutside`) get the nodata value back. Given only a dataset (e.g. a
 * state the model drew at random), the bands are as given, without nodata.
 */
export function rasterOutput(
  like: RasterDataset | RasterInput,
  bands: Readonly<Record<string, OutputBand>>,
  run: Recorded,
  layer = Object.keys(bands)[0],
): SimOutput {
  const input = 'ds' in like ? like : null;
  const ds = input ? input.ds : (like as RasterDataset);
  return {
    kind: 'raster',
    layer,
    frames: run.frames,
    series: run.series,
    dataset: {
      ...georeferencing(ds),
      bands: Object.entries(bands).map(([name, b]) => outputBand(name, b, input?.find(name), input?.outside ?? null)),
    },
  };
}

/** The grid and everything the input said about where it is; no optional field that the input lacks (so the bytes stay as before). */
function georeferencing(ds: RasterDataset): Omit<RasterDataset, 'bands'> {
  const out: Omit<RasterDataset, 'bands'> = { kind: 'raster', width: ds.width, height: ds.height, transform: ds.transform, epsg: ds.epsg };
  if (ds.affine) out.affine = ds.affine;
  if (ds.crsWkt) out.crsWkt = ds.crsWkt;
  if (ds.geoKeys) out.geoKeys = ds.geoKeys;
  if (ds.pixelIsPoint) out.pixelIsPoint = true;
  return out;
}

function outputBand(name: string, b: OutputBand, source: RasterBand | undefined, outside: Uint8Array | null): RasterBand {
  let data: TypedArray;
  let own: TypedArray | null = null; // the model's array, when it is the output as it stands
  if (ArrayBuffer.isView(b)) {
    const array = b as TypedArray;
    if (source && source.dtype !== dtypeOf(array)) data = exactly(array, source.dtype, name);
    else data = own = array;
  } else {
    const given = b as { data: ArrayLike<number>; dtype: DType };
    data = given.data instanceof ARRAY_OF[given.dtype] ? (own = given.data as TypedArray) : convert(given.data, given.dtype);
  }
  const nodata = source?.nodata ?? null;
  if (outside !== null && nodata !== null) {
    if (data === own) data = data.slice(); // never write into the model's own array
    for (let i = 0; i < data.length; i++) if (outside[i] !== 0) data[i] = nodata;
  }
  return { name, dtype: dtypeOf(data), data, nodata };
}

/** `array` in the input band's type; a value that type cannot hold exactly is the model's error (it must name its dtype). */
function exactly(array: TypedArray, dtype: DType, name: string): TypedArray {
  const out = convert(array, dtype);
  for (let i = 0; i < array.length; i++) {
    if (out[i] !== array[i] && !(Number.isNaN(out[i]) && Number.isNaN(array[i]))) {
      throw new Error(
        `Output band '${name}': ${array[i]} at cell ${i} does not fit the input band's ${dtype}; give the band as { data, dtype } to choose its type.`,
      );
    }
  }
  return out;
}

/** The layer with the given columns set (in feature order); `layer` (default: the first column) is what the map shows. */
export function vectorOutput(
  cells: VectorGrid,
  columns: Readonly<Record<string, ArrayLike<number>>>,
  run: Recorded,
  layer = Object.keys(columns)[0],
): SimOutput {
  for (const [name, values] of Object.entries(columns)) cells.setColumn(name, values);
  return { kind: 'vector', layer, frames: run.frames, series: run.series, dataset: cells.toDataset() };
}

/** A time-series table (CSV/JSON by the spec's output extension). */
export function tableOutput(table: TableData, run: Pick<Recorded, 'series'>): SimOutput {
  return { kind: 'table', table, series: run.series };
}

/** The recorded series as a table: a `time` column (the ticks), then the named series, one row per tick. */
export function seriesTable(series: Series, names: readonly string[]): TableData {
  return {
    columns: ['time', ...names],
    rows: series.steps.map((t, k) => [t, ...names.map((name) => series.values[name][k])]),
  };
}

/** The array type of each dtype (an array of it is a band's data as it stands). */
const ARRAY_OF: Readonly<Record<DType, abstract new (...args: never[]) => TypedArray>> = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};

function convert(data: ArrayLike<number>, dtype: DType): TypedArray {
  switch (dtype) {
    case 'uint8':
      return Uint8Array.from(data);
    case 'int8':
      return Int8Array.from(data);
    case 'uint16':
      return Uint16Array.from(data);
    case 'int16':
      return Int16Array.from(data);
    case 'uint32':
      return Uint32Array.from(data);
    case 'int32':
      return Int32Array.from(data);
    case 'float32':
      return Float32Array.from(data);
    case 'float64':
      return Float64Array.from(data);
  }
}
