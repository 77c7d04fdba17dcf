/**
 * Can the chosen model take the chosen dataset? The kind (raster / vector)
 * must be one the executor accepts, and every required canonical band or
 * column must be found — by the same rules the executor applies (selectBands).
 */
import { describeError, DissError } from '../../executor/errors.ts';
import type { CanonicalField, ExecutorSpec } from '../../executor/executor.ts';
import { selectBands } from '../../io/dataset.ts';
import type { RasterDataset } from '../../sim/dataset.ts';
import type { DatasetSummary } from '../../worker/protocol.ts';

export interface Compatibility {
  /** Why the dataset cannot be used at all (wrong kind, model takes no input). */
  refusal: string | null;
  /** Canonical field → problem (missing band/column). */
  fieldProblems: Record<string, string>;
  /** The canonical fields to map (bands for rasters, columns for vectors). */
  fields: readonly CanonicalField[];
  /** The dataset's own names. */
  names: string[];
  /** Whether to show the map editor open: a required canonical name is not among the dataset's names. */
  namesDiffer: boolean;
  /** What each canonical field resolves to now (dataset name), when found. */
  resolved: Record<string, string>;
}

export const takesNoInput = (spec: ExecutorSpec): boolean => spec.inputs.length > 0 && spec.inputs.every((k) => k === 'none');

export function inputsLabel(spec: ExecutorSpec): string {
  const kinds = spec.inputs.filter((k) => k !== 'none');
  const text = kinds.map((k) => (k === 'raster' ? 'raster (GeoTIFF)' : 'vector (GeoJSON)')).join(' or ');
  if (kinds.length === 0) return 'no input dataset';
  return spec.inputs.includes('none') ? `${text}, optional` : text;
}

function stubRaster(summary: DatasetSummary): RasterDataset {
  return {
    kind: 'raster',
    width: 0,
    height: 0,
    transform: null,
    epsg: null,
    bands: (summary.bands ?? []).map((b) => ({ name: b.name, dtype: b.dtype, data: new Uint8Array(0), nodata: b.nodata })),
  };
}

export function checkCompatibility(spec: ExecutorSpec, summary: DatasetSummary, fieldMap: Record<string, string>): Compatibility {
  const raster = summary.kind === 'raster';
  const fields = (raster ? spec.bands : spec.columns) ?? [];
  const names = raster ? (summary.bands ?? []).map((b) => b.name) : (summary.columns ?? []);
  const out: Compatibility = {
    refusal: null,
    fieldProblems: {},
    fields,
    names,
    namesDiffer: fields.some((f) => f.required !== false && !names.includes(f.name)) || Object.keys(fieldMap).length > 0,
    resolved: {},
  };
  if (takesNoInput(spec)) {
    out.refusal = `${spec.title} takes no input dataset; ${summary.name} would be ignored.`;
    return out;
  }
  if (!spec.inputs.includes(summary.kind)) {
    out.refusal =
      `${spec.title} takes ${inputsLabel(spec)} input, but ${summary.name} is a ${summary.kind} dataset (${summary.format}). ` +
      `Choose a ${spec.inputs.filter((k) => k !== 'none').join(' or ')} dataset or another model.`;
    return out;
  }
  if (raster) {
    const stub = stubRaster(summary);
    for (const f of fields) {
      try {
        const band = selectBands(stub, [f], fieldMap).get(f.name);
        if (band) out.resolved[f.name] = band.name;
      } catch (e) {
        out.fieldProblems[f.name] = e instanceof DissError ? e.message : describeError(e);
      }
    }
  } else {
    for (const f of fields) {
      const real = fieldMap[f.name] ?? f.name;
      if (names.includes(real)) {
        out.resolved[f.name] = real;
      } else if (f.required !== false) {
        out.fieldProblems[f.name] = fieldMap[f.name]
          ? `column_map maps '${f.name}' to '${real}', but the dataset has no such column. Columns: ${names.join(', ') || 'none'}.`
          : `The dataset has no column '${f.name}' (${f.description}). Columns: ${names.join(', ') || 'none'}. Map one below.`;
      }
    }
  }
  return out;
}
