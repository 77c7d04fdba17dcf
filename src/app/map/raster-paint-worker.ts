/**
 * The raster colouring worker: a grid's values and its colour scale in, its
 * image out — an ImageBitmap when the page asks for one (MapLibre uploads it
 * as it is; ImageData it premultiplies pixel by pixel on the main thread), else
 * the RGBA pixels (their buffer transferred) — so colouring a 4000² grid
 * (16 M cells) is no long task on the page's main thread. It also tallies the
 * grid's values for the legend's class counts, when asked.
 */
import { rasterToImage } from './colors.ts';
import { paintNodata } from './nodata-paint.ts';
import { tallyValues } from './class-tally.ts';
import type { PaintRequest, PaintResponse } from './raster-paint.ts';

const post = (reply: PaintResponse, transfer: Transferable[]) => (self as unknown as Worker).postMessage(reply, transfer);

self.onmessage = async (e: MessageEvent<PaintRequest>) => {
  const { id, values, width, height, scale, nodata, nodataColor } = e.data;
  try {
    const drawn = rasterToImage(values, width, height, scale, nodata);
    const image = nodataColor ? paintNodata(drawn, nodataColor) : drawn;
    const tally = e.data.tally ? tallyValues(values, nodata) : null;
    const moved: Transferable[] = tally ? [tally.small.buffer] : [];
    if (e.data.bitmap && typeof createImageBitmap === 'function') {
      // Not premultiplied: WebGL premultiplies it on upload (as MapLibre asks), the quickest of the bitmap kinds here.
      const bitmap = await createImageBitmap(image, { premultiplyAlpha: 'none' });
      post({ id, ok: true, tally, kind: 'bitmap', bitmap }, [...moved, bitmap]);
    } else {
      post({ id, ok: true, tally, kind: 'pixels', pixels: image.data, width: image.width, height: image.height }, [
        ...moved,
        image.data.buffer,
      ]);
    }
  } catch (err) {
    post({ id, ok: false, message: err instanceof Error ? err.message : String(err) }, []);
  }
};
