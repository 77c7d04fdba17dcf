/**
 * The raster colouring worker: a grid's values and its colour scale in, its
 * RGBA image out (the pixels' buffer transferred), so colouring a 4000² grid
 * (16 M cells) is no long task on the page's main thread.
 */
import { rasterToImage } from './colors.ts';
import type { PaintRequest, PaintResponse } from './raster-paint.ts';

self.onmessage = (e: MessageEvent<PaintRequest>) => {
  const { id, values, width, height, scale, nodata } = e.data;
  let reply: PaintResponse;
  try {
    const image = rasterToImage(values, width, height, scale, nodata);
    reply = { id, ok: true, pixels: image.data, width: image.width, height: image.height };
  } catch (err) {
    reply = { id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  (self as unknown as Worker).postMessage(reply, reply.ok ? [reply.pixels.buffer as ArrayBuffer] : []);
};
