/**
 * A vector display output on the page's input cells, sent without its geometry: a
 * grid model's output keeps its input's features in order and changes only their
 * values. The worker sends the ids and the value columns (numbers as Float64Arrays,
 * transferred), and the page puts them back on its own input's geometry objects —
 * no structured clone of 40,000 polygons, no second copy of them on the page. Only
 * what the map draws travels this way: the output file's bytes are sent as they are.
 */
import type { PropertyValue, VectorDataset, VectorFeature } from '../sim/dataset.ts';
import { geometryKey, knownGeometryKey } from './geometry-key.ts';

export interface VectorValues {
  /** geometryKey of the dataset the values belong on (the page's input). */
  geometryKey: string;
  ids: (string | number | null)[];
  /** One per dataset column, in order: a Float64Array when every value is a number, else the values. */
  columns: (Float64Array | PropertyValue[])[];
}

/**
 * The values of `ds` when its geometry is the one with `key` and every feature's
 * properties are the dataset's columns in order (so that they can be rebuilt exactly);
 * else null (the dataset is then sent whole).
 */
export function packVectorValues(ds: VectorDataset, key: string): VectorValues | null {
  if (geometryKey(ds) !== key) return null;
  const names = ds.columns;
  if (names.includes('__proto__')) return null;
  const n = ds.features.length;
  for (const f of ds.features) {
    let k = 0;
    for (const name in f.properties) if (names[k++] !== name) return null;
    if (k !== names.length) return null;
  }
  const columns = names.map((name) => {
    const numbers = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = ds.features[i].properties[name];
      if (typeof v !== 'number') return ds.features.map((f) => f.properties[name]);
      numbers[i] = v;
    }
    return numbers;
  });
  return { geometryKey: key, ids: ds.features.map((f) => f.id), columns };
}

/** The buffers a VectorValues can transfer. */
export function vectorValueArrays(v: VectorValues | undefined): Float64Array[] {
  return v ? v.columns.filter((c): c is Float64Array => c instanceof Float64Array) : [];
}

/**
 * The dataset `shell` (columns and CRS, no features) with `values` put back on the
 * geometry of `cells`, or null when `cells` is not the dataset they were packed for.
 */
export function unpackVectorValues(shell: VectorDataset, values: VectorValues, cells: VectorDataset): VectorDataset | null {
  if (geometryKey(cells) !== values.geometryKey || cells.features.length !== values.ids.length) return null;
  const names = shell.columns;
  const features: VectorFeature[] = new Array<VectorFeature>(values.ids.length);
  for (let i = 0; i < features.length; i++) {
    const properties: Record<string, PropertyValue> = {};
    for (let c = 0; c < names.length; c++) properties[names[c]] = values.columns[c][i];
    features[i] = { id: values.ids[i], geometry: cells.features[i].geometry, properties };
  }
  const ds: VectorDataset = { ...shell, features };
  knownGeometryKey(ds, values.geometryKey);
  return ds;
}
