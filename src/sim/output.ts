/** What a simulation's run phase produces, in a display-ready form hosts can show without parsing files. */
import type { RasterDataset, TypedArray, VectorDataset } from './dataset.ts';

/** One kept frame of the display layer (for step animation). */
export interface Frame {
  step: number;
  data: TypedArray;
}

/** Per-step summaries (population, flooded cells…), one value per executed step. */
export interface Series {
  steps: number[];
  values: Record<string, number[]>;
}

export interface TableData {
  columns: string[];
  rows: number[][];
}

export type SimOutput =
  | { kind: 'raster'; dataset: RasterDataset; layer: string; frames: Frame[]; series: Series }
  | { kind: 'vector'; dataset: VectorDataset; layer: string; frames: Frame[]; series: Series; agents?: AgentFrames }
  | { kind: 'table'; table: TableData; series: Series };

/**
 * Point agents whose number and places change from step to step (src/sim/agents.ts): each
 * frame's data holds one row per agent, [id, x, y, ...columns] (float64), and `labels`
 * decode the categorical columns (a code indexes its labels).
 */
export interface AgentFrames {
  columns: string[];
  labels: Record<string, string[]>;
}

export function emptySeries(): Series {
  return { steps: [], values: {} };
}

export function pushSeries(series: Series, step: number, summary: Record<string, number>): void {
  series.steps.push(step);
  for (const [k, v] of Object.entries(summary)) (series.values[k] ??= []).push(v);
}

/** Keeps copies of a layer per step within a memory budget, thinning evenly when it would overflow. */
export class FrameRecorder {
  readonly frames: Frame[] = [];
  private stride = 1;
  private seen = 0;
  constructor(
    private readonly enabled: boolean,
    private readonly budgetBytes = 96 * 1024 * 1024,
  ) {}

  /** `data` may be a function, so a layer that must be materialised (e.g. unpacked bits) costs nothing when frames are off. */
  record(step: number, layer: TypedArray | (() => TypedArray)): void {
    if (!this.enabled) return;
    if (this.seen++ % this.stride !== 0) return;
    const data = typeof layer === 'function' ? layer() : layer;
    if ((this.frames.length + 1) * data.byteLength > this.budgetBytes) {
      if (data.byteLength * 2 > this.budgetBytes) return;
      // Halve the kept frames and the future rate.
      for (let i = this.frames.length - 1; i >= 0; i--) if (i % 2 === 1) this.frames.splice(i, 1);
      this.stride *= 2;
      if ((this.seen - 1) % this.stride !== 0) return;
    }
    this.frames.push({ step, data: data.slice() as TypedArray });
  }
}
