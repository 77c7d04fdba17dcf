/**
 * Colour a raster layer off the main thread (raster-paint-worker.ts): the
 * values are copied to the worker, the image comes back transferred, as an
 * ImageBitmap (MapLibre uploads ImageData by premultiplying every pixel on the
 * main thread; a bitmap it hands to WebGL as it is). Small grids are coloured
 * here at once (a worker round trip costs more than they do); where no worker
 * can start, every grid is coloured here. With the image, the worker tallies
 * the grid's values for the legend's class counts (tally-store.ts), so the
 * values are copied once for both.
 */
import type { TypedArray } from '../../sim/dataset.ts';
import { tallyValues, type Tally } from './class-tally.ts';
import { rasterToImage, type ColorScale } from './colors.ts';
import { paintNodata } from './nodata-paint.ts';
import { keepTally, knownTally } from './tally-store.ts';

export interface PaintRequest {
  id: number;
  values: TypedArray | number[];
  width: number;
  height: number;
  scale: ColorScale;
  nodata: number | null;
  /** '#rrggbb' for nodata cells, null: transparent. */
  nodataColor: string | null;
  /** Answer with an ImageBitmap (else the pixels). */
  bitmap: boolean;
  /** Tally the values too. */
  tally: boolean;
}

export type PaintResponse =
  | ({ id: number; ok: true; tally: Tally | null } & (
      { kind: 'pixels'; pixels: Uint8ClampedArray; width: number; height: number } | { kind: 'bitmap'; bitmap: ImageBitmap }
    ))
  | { id: number; ok: false; message: string };

/** Cells below which a grid is coloured on the page (≈ a few ms). */
export const PAINT_IN_WORKER_FROM = 512 * 512;

/** A raster layer's image, as MapLibre's image source takes it. */
export type RasterImage = ImageData | ImageBitmap;

type Answer = Exclude<PaintResponse, { ok: false }>;
let worker: Worker | null | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();

function paintWorker(): Worker | null {
  if (worker !== undefined) return worker;
  if (typeof Worker === 'undefined') return (worker = null);
  try {
    worker = new Worker(new URL('./raster-paint-worker.ts', import.meta.url), { type: 'module', name: 'dissmodel-raster-paint' });
    worker.onmessage = (e: MessageEvent<PaintResponse>) => {
      const r = e.data;
      const p = pending.get(r.id);
      pending.delete(r.id);
      if (!p) return;
      if (r.ok) p.resolve(r);
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

function onPage(
  values: ArrayLike<number>,
  width: number,
  height: number,
  scale: ColorScale,
  nodata: number | null,
  nodataColor: string | null,
): ImageData {
  const drawn = rasterToImage(values, width, height, scale, nodata);
  return nodataColor ? paintNodata(drawn, nodataColor) : drawn;
}

/** Whether a grid of this many cells is coloured (and tallied) in the worker. */
export function paintsInWorker(cells: number): boolean {
  return cells >= PAINT_IN_WORKER_FROM && paintWorker() !== null;
}

/**
 * The layer's image (nodata cells in `nodataColor`, or transparent): in the worker for a large
 * grid, else at once. A grid coloured in the worker is tallied there too, unless its tally is known.
 */
export function paintRaster(
  values: ArrayLike<number>,
  width: number,
  height: number,
  scale: ColorScale,
  nodata: number | null,
  nodataColor: string | null = null,
): Promise<RasterImage> {
  const w = width * height >= PAINT_IN_WORKER_FROM ? paintWorker() : null;
  if (!w) return Promise.resolve(onPage(values, width, height, scale, nodata, nodataColor));
  const tally = !knownTally(values, nodata);
  const bitmap = typeof createImageBitmap === 'function';
  const id = nextId++;
  // A copy of the values (the page keeps its own): a memcpy, not a per-cell task.
  const copy = ArrayBuffer.isView(values) ? (values as TypedArray).slice() : Float64Array.from(values);
  return new Promise<Answer>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    const req: PaintRequest = { id, values: copy, width, height, scale, nodata, nodataColor, bitmap, tally };
    w.postMessage(req, [copy.buffer as ArrayBuffer]);
  }).then(
    (r): RasterImage => {
      if (r.tally) keepTally(values, nodata, r.tally, true);
      return r.kind === 'bitmap' ? r.bitmap : new ImageData(r.pixels as Uint8ClampedArray<ArrayBuffer>, r.width, r.height);
    },
    // The worker failed: colour (and tally) on the page.
    () => {
      if (tally) keepTally(values, nodata, tallyValues(values, nodata), true);
      return onPage(values, width, height, scale, nodata, nodataColor);
    },
  );
}

/** Free a bitmap's pixels at once (an image no map draws any more); ImageData is left to the collector. */
export function closeBitmap(image: unknown): void {
  if (typeof ImageBitmap !== 'undefined' && image instanceof ImageBitmap) image.close();
}
