/**
 * Point agents on the map: a run whose output carries `agents` (src/sim/output.ts) keeps one
 * frame per step with every agent's [id, x, y, ...attributes]; the map draws the frame the
 * step slider points at as circles coloured by a chosen attribute. The placement is the same
 * for every frame (fitted to the extent of all of them), so the step slider moves the points
 * and never the map.
 */
import type { CanonicalField, ExecutorSpec } from '../../executor/executor.ts';
import type { VectorDataset, VectorFeature } from '../../sim/dataset.ts';
import type { AgentFrames, SimOutput } from '../../sim/output.ts';
import { scaleFor, type ColorScale } from './colors.ts';
import { objId, type VectorLayer } from './layers.ts';
import { placeVector } from '../../worker/placement.ts';

type AgentOutput = Extract<SimOutput, { kind: 'vector' }> & { agents: AgentFrames };

export function hasAgents(out: SimOutput | null | undefined): out is AgentOutput {
  return !!out && out.kind === 'vector' && !!out.agents;
}

/** The attributes an agent layer can be coloured by: id, then the model's columns. */
export function agentFields(out: AgentOutput): string[] {
  return ['id', ...out.agents.columns];
}

/** The agents' rows of frame k (or of the final state when no frame was kept). */
function rowsAt(out: AgentOutput, k: number): Float64Array {
  if (k >= 0) return out.frames[k].data as Float64Array;
  const cols = out.agents.columns;
  const w = 3 + cols.length;
  const rows = new Float64Array(out.dataset.features.length * w);
  out.dataset.features.forEach((f, i) => {
    const [x, y] = (f.geometry as { coordinates: number[] }).coordinates;
    rows[i * w] = Number(f.properties.id ?? i);
    rows[i * w + 1] = x;
    rows[i * w + 2] = y;
    cols.forEach((c, j) => {
      const v = f.properties[c];
      const labels = out.agents.labels[c];
      rows[i * w + 3 + j] = labels && typeof v === 'string' ? labels.indexOf(v) : Number(v);
    });
  });
  return rows;
}

interface Extent {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
const extents = new WeakMap<AgentOutput, Extent>();
const scales = new WeakMap<AgentOutput, Map<string, ColorScale>>();

/** The extent of every kept frame and the final state: one placement for the whole run. */
function extentOf(out: AgentOutput): Extent {
  let e = extents.get(out);
  if (e) return e;
  e = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  const w = 3 + out.agents.columns.length;
  for (const rows of [...out.frames.map((f) => f.data), rowsAt(out, -1)]) {
    for (let i = 0; i + w <= rows.length; i += w) {
      e.x0 = Math.min(e.x0, rows[i + 1]);
      e.x1 = Math.max(e.x1, rows[i + 1]);
      e.y0 = Math.min(e.y0, rows[i + 2]);
      e.y1 = Math.max(e.y1, rows[i + 2]);
    }
  }
  if (!(e.x0 <= e.x1)) e = { x0: 0, y0: 0, x1: 1, y1: 1 };
  extents.set(out, e);
  return e;
}

/** Values of one attribute over all frames (for one colour scale per run). */
function scaleOf(out: AgentOutput, field: string, column: number, canonical: CanonicalField | undefined): ColorScale {
  let byField = scales.get(out);
  if (!byField) scales.set(out, (byField = new Map()));
  const cached = byField.get(field);
  if (cached) return cached;
  const w = 3 + out.agents.columns.length;
  const values: number[] = [];
  for (const rows of [...out.frames.map((f) => f.data), rowsAt(out, -1)])
    for (let i = column; i < rows.length; i += w) values.push(rows[i]);
  const labels = out.agents.labels[field];
  const categorical: CanonicalField | undefined =
    canonical?.categories || !labels
      ? canonical
      : { name: field, description: field, categories: Object.fromEntries(labels.map((l, i) => [i, l])) };
  const scale = scaleFor(field, categorical, [values], null);
  byField.set(field, scale);
  return scale;
}

/** The agents of frame `frame` as a map layer coloured by `chosen` (default: the output's layer). */
export function agentLayer(out: AgentOutput, spec: ExecutorSpec | null, frame: number, chosen: string | null): VectorLayer {
  const fields = agentFields(out);
  const field = chosen && fields.includes(chosen) ? chosen : fields.includes(out.layer) ? out.layer : 'id';
  const column = field === 'id' ? 0 : 3 + out.agents.columns.indexOf(field);
  const frames = out.frames;
  const k = frames.length > 0 ? Math.max(0, Math.min(frames.length - 1, frame)) : -1;
  const rows = rowsAt(out, k);
  const w = 3 + out.agents.columns.length;
  const features: VectorFeature[] = [];
  const values: (number | null)[] = [];
  for (let i = 0; i + w <= rows.length; i += w) {
    const properties: VectorFeature['properties'] = { id: rows[i] };
    out.agents.columns.forEach((c, j) => {
      const v = rows[i + 3 + j];
      properties[c] = out.agents.labels[c]?.[v] ?? v;
    });
    features.push({ id: rows[i], geometry: { type: 'Point', coordinates: [rows[i + 1], rows[i + 2]] }, properties });
    values.push(Number.isFinite(rows[i + column]) ? rows[i + column] : null);
  }
  // Two invisible corners of the whole run's extent fix the placement (a neutral place is centred on them).
  const e = extentOf(out);
  const corners: VectorFeature[] = [
    { id: null, geometry: { type: 'Point', coordinates: [e.x0, e.y0] }, properties: {} },
    { id: null, geometry: { type: 'Point', coordinates: [e.x1, e.y1] }, properties: {} },
  ];
  const dataset: VectorDataset = { kind: 'vector', features, columns: fields, epsg: out.dataset.epsg, crsWkt: out.dataset.crsWkt ?? null };
  const placed = placeVector({ ...dataset, features: [...features, ...corners] });
  const canonical = spec?.columns?.find((c) => c.name === field);
  const scale = scaleOf(out, field, column, canonical);
  const categories = scale.kind === 'categorical' ? Object.fromEntries(scale.entries.map((c) => [c.value, c.label])) : null;
  return {
    id: 'output',
    kind: 'vector',
    geoKey: `output:agents:${objId(out)}`,
    valueKey: `output:agents:${objId(out)}:${k}:${field}`,
    title: k >= 0 ? `Agents · step ${frames[k].step}` : 'Agents',
    field,
    fieldChoices: fields,
    scale,
    bounds: placed.bounds,
    note: placed.note,
    crs: placed.crs,
    categories,
    placement: { ...placed, geometries: placed.geometries.slice(0, features.length) },
    dataset,
    values,
  };
}
