/**
 * What the page draws after a run. A model written with the kit returns a
 * SimOutput (layer, frames, per-step series) from its run phase; a model
 * written straight against ModelExecutor (examples/my_model.ts) returns
 * whatever its save phase wants. For those, the output file itself is read
 * back and drawn (no frames, no series), so every model's result shows on the map.
 */
import type { ExecutorSpec } from '../executor/executor.ts';
import { parseDataset } from '../io/dataset.ts';
import { emptySeries, type SimOutput } from '../sim/output.ts';

/** Whether a run phase's result is a SimOutput the page can draw as it is. */
export function isSimOutput(v: unknown): v is SimOutput {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  const series = o.series as Record<string, unknown> | undefined;
  if (typeof series !== 'object' || series === null || !Array.isArray(series.steps)) return false;
  if (o.kind === 'table') return typeof o.table === 'object' && o.table !== null;
  return (o.kind === 'raster' || o.kind === 'vector') && typeof o.dataset === 'object' && o.dataset !== null && Array.isArray(o.frames);
}

/** The display form of a run: its SimOutput, else its raster/vector output file read back; undefined when neither. */
export async function displayOf(
  result: unknown,
  output: { path: string; bytes: Uint8Array },
  spec: ExecutorSpec,
): Promise<SimOutput | undefined> {
  if (isSimOutput(result)) return result;
  if (spec.output.kind === 'table') return undefined;
  try {
    const dataset = await parseDataset(output.path, output.bytes);
    const names = dataset.kind === 'raster' ? dataset.bands.map((b) => b.name) : dataset.columns;
    const layer = spec.displayLayer && names.includes(spec.displayLayer) ? spec.displayLayer : (names[0] ?? '');
    return dataset.kind === 'raster'
      ? { kind: 'raster', dataset, layer, frames: [], series: emptySeries() }
      : { kind: 'vector', dataset, layer, frames: [], series: emptySeries() };
  } catch {
    return undefined;
  }
}
