/** How the data layers are drawn beyond their colour scale: opacity and a colour for nodata cells (null = transparent). */
import { create } from 'zustand';

export interface LayerStyle {
  /** 0..1 */
  opacity: number;
  /** '#rrggbb' or null (nodata cells transparent). */
  nodataColor: string | null;
  setOpacity(v: number): void;
  setNodataColor(c: string | null): void;
}

export const useLayerStyle = create<LayerStyle>()((set) => ({
  opacity: 1,
  nodataColor: null,
  setOpacity(v) {
    set({ opacity: Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : 1 });
  },
  setNodataColor(c) {
    set({ nodataColor: c && /^#[0-9a-f]{6}$/i.test(c) ? c.toLowerCase() : null });
  },
}));

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
