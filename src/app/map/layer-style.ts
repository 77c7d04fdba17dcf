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

export { paintNodata } from './nodata-paint.ts';
