/**
 * Colour a raster layer off the main thread (raster-paint-worker.ts): the
 * values are copied to the worker, the image comes back transferred. Small
 * grids are coloured here at once (a worker round trip costs more than they do);
 * where no worker can start, every grid is coloured here.
 */
import type { TypedArray } from '../../sim/dataset.ts';
import { rasterToImage, type ColorScale } from './colors.ts';

export interface PaintRequest {
  id: number;
  values: TypedArray | number[];
  width: number;
  height: number;
  scale: ColorScale;
  nodata: number | null;
}

export type PaintResponse =
  { id: number; ok: true; pixels: Uint8ClampedArray; width: number; height: number } | { id: number; ok: false; message: string };

/** Cells below which a grid is coloured on the page (≈ a few ms). */
export const PAINT_IN_WORKER_FROM = 512 * 512;

let worker: Worker | null | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (i: ImageData) => void; reject: (e: Error) => void }>();

function paintWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    worker = new Worker(new URL('./raster-paint-worker.ts', import.meta.url), { type: 'module', name: 'dissmodel-raster-paint' });
    worker.onmessage = (e: MessageEvent<PaintResponse>) => {
      const r = e.data;
      const p = pending.get(r.id);
      pending.delete(r.id);
      if (!p) return;
      if (r.ok) p.resolve(new ImageData(r.pixels as Uint8ClampedArray<ArrayBuffer>, r.width, r.height));
      else p.reject(new Error(r.message));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      for (const p of pending.values()) p.reject(new Error(`the raster colouring worker failed: ${e.message || 'it could not start'}`));
      pending.clear();
      worker?.terminate();
      worker = null; // colour on the page from now on
    };
  } catch {
    worker = null;
  }
  return worker;
}

/** The layer's image: in the worker for a large grid, else at once. */
export function paintRaster(
  values: ArrayLike<number>,
  width: number,
  height: number,
  scale: ColorScale,
  nodata: number | null,
): Promise<ImageData> {
  const w = width * height >= PAINT_IN_WORKER_FROM ? paintWorker() : null;
  if (!w) return Promise.resolve(rasterToImage(values, width, height, scale, nodata));
  const id = nextId++;
  // A copy of the values (the page keeps its own): a memcpy, not a per-cell task.
  const copy = ArrayBuffer.isView(values) ? (values as TypedArray).slice() : Float64Array.from(values);
  return new Promise<ImageData>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    const req: PaintRequest = { id, values: copy, width, height, scale, nodata };
    w.postMessage(req, [copy.buffer as ArrayBuffer]);
  });
}
