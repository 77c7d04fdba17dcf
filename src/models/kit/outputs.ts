/**
 * Output builders: what a run returns (SimOutput), from the model's final
 * arrays. Raster outputs keep the input's georeferencing; vector outputs are
 * the input layer with its columns updated; tables are time series.
 */
import type { DType, RasterDataset, TypedArray } from '../../sim/dataset.ts';
import { dtypeOf } from '../../sim/dataset.ts';
import type { Frame, Series, SimOutput, TableData } from '../../sim/output.ts';
import type { VectorGrid } from '../../sim/vector.ts';

/** What the loop recorded (a Trajectory fits). */
export interface Recorded {
  series: Series;
  frames: Frame[];
}

/** A band of a raster output: its data, and a dtype to convert to when it differs from the array's. */
export type OutputBand = TypedArray | { data: ArrayLike<number>; dtype: DType };

/**
 * A raster output on the grid of `like` (same size, transform and EPSG), one
 * band per entry in order; `layer` (default: the first band) is what the map shows.
 */
export function rasterOutput(
  like: RasterDataset,
  bands: Readonly<Record<string, OutputBand>>,
  run: Recorded,
  layer = Object.keys(bands)[0],
): SimOutput {
  return {
    kind: 'raster',
    layer,
    frames: run.frames,
    series: run.series,
    dataset: {
      kind: 'raster',
      width: like.width,
      height: like.height,
      transform: like.transform,
      epsg: like.epsg,
      bands: Object.entries(bands).map(([name, b]) => {
        if (ArrayBuffer.isView(b)) return { name, dtype: dtypeOf(b as TypedArray), data: b as TypedArray, nodata: null };
        const { data, dtype } = b as { data: ArrayLike<number>; dtype: DType };
        return { name, dtype, data: convert(data, dtype), nodata: null };
      }),
    },
  };
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
