/**
 * Shared plumbing of the models that take a raster (GeoTIFF) or a vector
 * (GeoJSON polygon layer) and dispatch on the loaded dataset's kind.
 */
import { InputError } from '../../executor/errors.ts';
import type { CanonicalField } from '../../executor/executor.ts';
import { applyColumnMap } from '../../io/geojson.ts';
import type { VectorDataset } from '../../sim/dataset.ts';
import { VectorGrid } from '../../sim/vector.ts';
import { SimulationExecutor } from './simulation-executor.ts';

/** A SimulationExecutor that takes a raster or a vector layer and returns the same kind (SimulationExecutor.save names the file after what was produced). */
export abstract class DualSubstrateExecutor extends SimulationExecutor {}

/**
 * A vector layer as cells after column_map, checking that the required
 * canonical columns exist and are numeric (InputError naming the missing ones
 * and listing the columns the layer has).
 */
export function vectorCells(ds: VectorDataset, fields: readonly CanonicalField[], columnMap: Readonly<Record<string, string>>): VectorGrid {
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
