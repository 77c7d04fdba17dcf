/** Page layout state: the sidebar folded or open, the results strip's height (remembered in localStorage). */
import { create } from 'zustand';

const KEY = 'dissmodel.layout';
export const RESULTS_MIN = 120;

interface Saved {
  resultsH: number | null;
}

function load(): Saved {
  try {
    const v = JSON.parse(globalThis.localStorage?.getItem(KEY) ?? '{}') as Partial<Saved>;
    return { resultsH: typeof v.resultsH === 'number' && v.resultsH >= RESULTS_MIN ? v.resultsH : null };
  } catch {
    return { resultsH: null };
  }
}

/** A narrow screen (a phone) starts with the sidebar folded, so the map gets the screen. */
const narrow = () => typeof matchMedia === 'function' && matchMedia('(max-width: 760px)').matches;

export interface LayoutState {
  sidebarOpen: boolean;
  /** Pixels; null = the stylesheet's default. */
  resultsH: number | null;
  toggleSidebar(): void;
  setResultsH(h: number | null): void;
}

export const useLayout = create<LayoutState>()((set, get) => ({
  sidebarOpen: !narrow(),
  resultsH: load().resultsH,
  toggleSidebar() {
    set({ sidebarOpen: !get().sidebarOpen });
  },
  setResultsH(h) {
    set({ resultsH: h });
    try {
      globalThis.localStorage?.setItem(KEY, JSON.stringify({ resultsH: h }));
    } catch {
      /* private mode */
    }
  },
}));
