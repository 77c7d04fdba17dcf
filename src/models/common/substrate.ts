/**
 * Shared plumbing of the models that take a raster (GeoTIFF) or a vector
 * (GeoJSON polygon layer) and dispatch on the loaded dataset's kind.
 */
import type { RunContext } from '../../executor/context.ts';
import { InputError } from '../../executor/errors.ts';
import type { CanonicalField } from '../../executor/executor.ts';
import type { ExperimentRecord } from '../../executor/record.ts';
import { applyColumnMap } from '../../io/geojson.ts';
import type { VectorDataset } from '../../io/types.ts';
import { VectorGrid } from '../../sim/vector.ts';
import type { SimOutput } from './output.ts';
import { SimulationExecutor } from './simulation-executor.ts';

const OUTPUT_EXT: Record<'raster' | 'vector', string> = { raster: 'tif', vector: 'geojson' };
const KNOWN_EXT = /\.(tif|tiff|geojson|json)$/i;

/**
 * The output file's extension follows what was produced: a host may have
 * named the output after `spec.output.extension` (.tif) before knowing that
 * the input — and so the output — is a vector layer.
 */
export function outputPathForKind(path: string | null, kind: 'raster' | 'vector'): string | null {
  if (path === null) return null;
  const ext = OUTPUT_EXT[kind];
  const m = KNOWN_EXT.exec(path);
  if (!m) return path;
  const current = m[1].toLowerCase();
  const ok = kind === 'raster' ? current === 'tif' || current === 'tiff' : current === 'geojson' || current === 'json';
  return ok ? path : path.slice(0, m.index) + '.' + ext;
}

/** A SimulationExecutor whose output is a GeoTIFF or a GeoJSON depending on the input. */
export abstract class DualSubstrateExecutor extends SimulationExecutor {
  override async save(result: SimOutput, record: ExperimentRecord, ctx: RunContext): Promise<ExperimentRecord> {
    if (result.kind === 'raster' || result.kind === 'vector') {
      const fixed = outputPathForKind(record.output_path, result.kind);
      if (fixed !== record.output_path) {
        record.logs.push(`Output is a ${result.kind === 'raster' ? 'GeoTIFF' : 'GeoJSON'}: writing ${fixed} instead of ${record.output_path}`);
        record.output_path = fixed;
      }
    }
    return super.save(result, record, ctx);
  }
}

/**
 * A vector layer as cells after column_map, checking that the required
 * canonical columns exist and are numeric (InputError naming the missing ones
 * and listing the columns the layer has).
 */
export function vectorCells(
  ds: VectorDataset,
  fields: readonly CanonicalField[],
  columnMap: Readonly<Record<string, string>>,
): VectorGrid {
  const mapped = Object.keys(columnMap).length > 0 ? applyColumnMap(ds, columnMap) : ds;
  const grid = new VectorGrid(mapped);
  const missing = fields.filter((f) => f.required !== false && !grid.columnNames.includes(f.name));
  if (missing.length > 0) {
    const names = missing.map((f) => `'${f.name}' (${f.description})`).join(', ');
    throw new InputError(
      `The layer has no column ${names}. Columns: ${grid.columnNames.join(', ') || '(none)'}. ` +
        `Map one with column_map, e.g. ${missing[0].name}=${grid.columnNames[0] ?? 'my_column'}.`,
      missing[0].name,
    );
  }
  for (const f of fields) {
    if (grid.columnNames.includes(f.name) && !grid.hasColumn(f.name)) {
      throw new InputError(`Column '${f.name}' (${f.description}) must hold numbers.`, f.name);
    }
  }
  if (grid.size === 0) throw new InputError('The layer has no features.');
  return grid;
}

/** Where cell i of a raster is, for messages. */
export const rasterCell = (i: number, cols: number): string => `row ${Math.floor(i / cols)}, column ${i % cols}`;

/** Which feature cell i of a vector layer is, for messages. */
export const vectorCell = (grid: VectorGrid, i: number): string => `feature ${i} (id ${grid.ids[i]})`;
