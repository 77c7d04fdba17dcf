/**
 * Agents in and out: a layer of Points read into the agent substrate, the agents written
 * back as a layer of Points (id, then the attributes, categorical ones by label), and the
 * one-agent-per-cell grids written as rasters.
 */
import { InputError } from '../../executor/errors.ts';
import { applyColumnMap } from '../../io/geojson.ts';
import type { CellGrid } from '../../sim/agent-grid.ts';
import { Agents, MAX_AGENTS, type AgentColumn } from '../../sim/agents.ts';
import type { RasterDataset, VectorDataset, VectorFeature } from '../../sim/dataset.ts';
import type { SimOutput } from '../../sim/output.ts';
import type { Recorded } from '../kit/index.ts';

/** What an input attribute must hold and what it is when the layer lacks it (DisSModel's setup defaults). */
export interface AgentAttribute extends AgentColumn {
  fallback: number;
}

/**
 * Agents from a layer of Points, in feature order, ids 0…n−1 (geopandas' index of a file it
 * reads); attributes through the record's column_map, the fallback where a column is missing.
 */
export function readPointAgents(
  ds: VectorDataset,
  attributes: readonly AgentAttribute[],
  columnMap: Readonly<Record<string, string>>,
): Agents {
  const layer = Object.keys(columnMap).length > 0 ? applyColumnMap(ds, columnMap) : ds;
  if (layer.features.length > MAX_AGENTS)
    throw new InputError(`The layer has ${layer.features.length} agents; at most ${MAX_AGENTS} are simulated.`);
  const agents = new Agents(
    attributes.map((a) => a.name),
    layer.features.length,
  );
  layer.features.forEach((f, i) => {
    if (f.geometry?.type !== 'Point' || f.geometry.coordinates.length < 2) {
      throw new InputError(`Feature ${i} is a ${f.geometry?.type ?? 'feature without geometry'}, not a Point: agents are points (x, y).`);
    }
    const [x, y] = f.geometry.coordinates;
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new InputError(`Feature ${i} has no finite coordinates.`);
    const values: Record<string, number> = {};
    for (const a of attributes) values[a.name] = readValue(f.properties[a.name], a, i);
    agents.add(x, y, values, i);
  });
  return agents;
}

function readValue(v: unknown, a: AgentAttribute, i: number): number {
  if (v === undefined || v === null) return a.fallback;
  if (a.labels) {
    const k = typeof v === 'string' ? a.labels.indexOf(v) : -1;
    if (k < 0)
      throw new InputError(
        `Feature ${i}: '${a.name}' is ${JSON.stringify(v)}; it must be one of ${a.labels.map((l) => `'${l}'`).join(', ')}.`,
        a.name,
      );
    return k;
  }
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new InputError(`Feature ${i}: '${a.name}' is ${JSON.stringify(v)}, not a finite number.`, a.name);
  return v;
}

/** The agents as a layer of Points: properties id, then each column (labels for categorical ones); feature id = agent id. */
export function agentsDataset(agents: Agents, columns: readonly AgentColumn[], epsg: number | null): VectorDataset {
  const features: VectorFeature[] = [];
  const cols = columns.map((c) => agents.column(c.name));
  for (let i = 0; i < agents.length; i++) {
    const id = agents.ids[i];
    const properties: VectorFeature['properties'] = { id };
    columns.forEach((c, k) => (properties[c.name] = c.labels ? (c.labels[cols[k][i]] ?? null) : cols[k][i]));
    features.push({ id, geometry: { type: 'Point', coordinates: [agents.x[i], agents.y[i]] }, properties });
  }
  return { kind: 'vector', features, columns: ['id', ...columns.map((c) => c.name)], epsg };
}

/** A run of point agents: the final agents as Points, frames as packed rows (`Agents.pack`). */
export function agentsOutput(
  agents: Agents,
  columns: readonly AgentColumn[],
  epsg: number | null,
  run: Recorded,
  layer: string,
): SimOutput {
  const labels: Record<string, string[]> = {};
  for (const c of columns) if (c.labels) labels[c.name] = [...c.labels];
  return {
    kind: 'vector',
    dataset: agentsDataset(agents, columns, epsg),
    layer,
    frames: run.frames,
    series: run.series,
    agents: { columns: columns.map((c) => c.name), labels },
  };
}

/** The raster a grid of cells is drawn on: unit cells from the origin, north up, no CRS (vector_grid(dimension, resolution=1)). */
export function gridRaster(grid: CellGrid): RasterDataset {
  return {
    kind: 'raster',
    width: grid.nCols,
    height: grid.nRows,
    bands: [],
    transform: { originX: 0, originY: grid.nRows, pixelWidth: 1, pixelHeight: 1 },
    epsg: null,
  };
}
