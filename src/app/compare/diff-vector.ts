/**
 * The difference of two runs' vector layers, feature by feature: refused unless
 * both hold the same features (count, CRS and every geometry, exactly) — a
 * vector cellular space is the grid here — then one column diffed as diff.ts
 * diffs a band. Text categories are coded (sorted) and their labels returned.
 */
import type { PropertyValue, VectorDataset } from '../../sim/dataset.ts';
import { diffCategorical, diffContinuous, type BandDiff, type DiffKind } from './diff.ts';

const crsText = (d: VectorDataset): string => (d.epsg !== null ? `EPSG:${d.epsg}` : d.crsWkt ? 'a custom CRS (WKT)' : 'no CRS');

/** Why two layers are not the same features, or null when they are. */
export function layerMismatch(a: VectorDataset, b: VectorDataset): string | null {
  const refuse = (what: string, x: string, y: string) =>
    `The two runs are not on the same features: ${what} (A: ${x}; B: ${y}). A difference is only computed feature by feature on one layer.`;
  if (a.features.length !== b.features.length)
    return refuse('the feature count differs', `${a.features.length} features`, `${b.features.length} features`);
  if (a.epsg !== b.epsg || (a.crsWkt ?? null) !== (b.crsWkt ?? null)) return refuse('the CRS differs', crsText(a), crsText(b));
  for (let i = 0; i < a.features.length; i++) {
    if (JSON.stringify(a.features[i].geometry) !== JSON.stringify(b.features[i].geometry)) {
      const id = (f: VectorDataset['features'][number]) => `feature ${i}${f.id !== null ? ` (id ${f.id})` : ''}`;
      return refuse('a geometry differs', `${id(a.features[i])}`, `${id(b.features[i])} has another shape or place`);
    }
  }
  return null;
}

export interface VectorDiff {
  column: string;
  /** Columns both layers have. */
  columns: string[];
  diff: BandDiff;
  /** Code → text when the column holds text (the from → to table's labels). */
  labels: Record<number, string> | null;
}

const num = (v: PropertyValue | undefined): number => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : Number.NaN);

export function diffVectors(a: VectorDataset, b: VectorDataset, column: string | null, kind: DiffKind): VectorDiff {
  const mismatch = layerMismatch(a, b);
  if (mismatch) throw new Error(mismatch);
  const inB = new Set(b.columns);
  const columns = a.columns.filter((c) => inB.has(c));
  if (columns.length === 0) throw new Error(`The two layers share no column (A: ${a.columns.join(', ')}; B: ${b.columns.join(', ')}).`);
  const name = column ?? columns[0];
  if (!columns.includes(name)) throw new Error(`Column ${name} is not in both layers (they share ${columns.join(', ')}).`);
  const va = a.features.map((f) => f.properties[name]);
  const vb = b.features.map((f) => f.properties[name]);
  const text = [...va, ...vb].some((v) => typeof v === 'string');
  if (kind === 'continuous' || !text) {
    const [xa, xb] = [Float64Array.from(va, num), Float64Array.from(vb, num)];
    const diff = kind === 'continuous' ? diffContinuous(xa, xb, null, null) : diffCategorical(xa, xb, null, null);
    return { column: name, columns, diff, labels: null };
  }
  const names = [...new Set([...va, ...vb].filter((v) => v !== null && v !== undefined).map(String))].sort();
  const code = new Map(names.map((s, i) => [s, i]));
  const coded = (v: PropertyValue | undefined) => (v === null || v === undefined ? Number.NaN : code.get(String(v))!);
  const labels: Record<number, string> = {};
  names.forEach((s, i) => (labels[i] = s));
  return { column: name, columns, diff: diffCategorical(va.map(coded), vb.map(coded), null, null), labels };
}
