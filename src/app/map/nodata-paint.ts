/** A colour for a raster image's nodata cells (pure, no DOM state: the raster worker runs it too). */

/**
 * Paint the cells a raster image left transparent (nodata, NaN) in `hex`. The image's
 * transparent pixels are exactly those cells: every other value gets alpha 255.
 */
export function paintNodata(image: ImageData, hex: string): ImageData {
  const n = parseInt(hex.slice(1), 16);
  const r = (n >> 16) & 255;
  const g = (n >> 8) & 255;
  const b = n & 255;
  const px = image.data;
  for (let o = 0; o < px.length; o += 4) {
    if (px[o + 3] === 0) {
      px[o] = r;
      px[o + 1] = g;
      px[o + 2] = b;
      px[o + 3] = 255;
    }
  }
  return image;
}
