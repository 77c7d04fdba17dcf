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

/**
 * The distinct values of a raster display layer over its final state and every
 * frame (nodata and NaN left out), or only its finite range when there are more
 * than `limit` of them: all the page needs for the run's colour scale, worked out
 * here so that the page does not scan every frame (16 M cells × frames at 4000²)
 * on its main thread.
 */
export interface ValueSummary {
  /** Sorted distinct values; with `many`, the finite minimum and maximum only. */
  values: number[];
  many: boolean;
}

export function summarizeValues(arrays: readonly ArrayLike<number>[], nodata: number | null, limit = 4096): ValueSummary {
  const seen = new Set<number>();
  let min = Infinity;
  let max = -Infinity;
  let many = false;
  const note = (v: number) => {
    if (Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (!many) {
      seen.add(v);
      if (seen.size > limit) many = true;
    }
  };
  for (const a of arrays) {
    const bins =
      a instanceof Uint8Array ? 256 : a instanceof Int8Array ? 256 : a instanceof Uint16Array || a instanceof Int16Array ? 65536 : 0;
    if (bins > 0) {
      // Integer bands: a histogram pass, no Set per cell.
      const offset = a instanceof Int8Array ? 128 : a instanceof Int16Array ? 32768 : 0;
      const hit = new Uint8Array(bins);
      for (let i = 0; i < a.length; i++) hit[a[i] + offset] = 1;
      for (let b = 0; b < bins; b++) if (hit[b] && b - offset !== nodata) note(b - offset);
      continue;
    }
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v !== v || v === nodata) continue;
      if (many) {
        if (v < min) min = v;
        if (v > max) max = v;
      } else note(v);
    }
  }
  if (many) return { values: min <= max ? [min, max] : [], many };
  return { values: [...seen].sort((x, y) => x - y), many };
}

/** The value summary of a raster run's display layer (undefined for other outputs). */
export function displayValues(out: SimOutput | undefined): ValueSummary | undefined {
  if (!out || out.kind !== 'raster') return undefined;
  const band = out.dataset.bands.find((b) => b.name === out.layer) ?? out.dataset.bands[0];
  if (!band) return undefined;
  return summarizeValues([band.data, ...out.frames.map((f) => f.data)], band.nodata);
}
