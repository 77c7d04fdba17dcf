/**
 * The user's colour edits per model and band (class colours and labels, stretch, ramp),
 * remembered in localStorage as the page's other settings are (`dissmodel.bandStyles`).
 */
import { create } from 'zustand';
import { sanitizeStyle, type BandStyle, type ClassEdit } from './style-edits.ts';

const KEY = 'dissmodel.bandStyles';

/** The stored edits, each checked (`sanitizeStyle`); a broken entry is dropped. */
export function parseStoredStyles(raw: string | null): Record<string, BandStyle> {
  if (!raw) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
    const out: Record<string, BandStyle> = {};
    for (const [k, s] of Object.entries(v as Record<string, unknown>)) {
      const clean = sanitizeStyle(s);
      if (clean) out[k] = clean;
    }
    return out;
  } catch {
    return {};
  }
}

function load(): Record<string, BandStyle> {
  try {
    return parseStoredStyles(globalThis.localStorage?.getItem(KEY) ?? null);
  } catch {
    return {};
  }
}

function save(styles: Record<string, BandStyle>): void {
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(styles));
  } catch {
    /* private mode: keep them in memory */
  }
}

export interface BandStyles {
  styles: Record<string, BandStyle>;
  /** Merge `patch` into the edit of `key` (a field set to undefined is removed). */
  edit(key: string, patch: Partial<BandStyle>): void;
  editClass(key: string, code: number, patch: ClassEdit): void;
  /** Back to the model's default colours for this band. */
  reset(key: string): void;
}

export const useBandStyles = create<BandStyles>()((set, get) => {
  const put = (key: string, next: BandStyle | null) => {
    const styles = { ...get().styles };
    const clean = next ? sanitizeStyle(next) : null;
    if (clean) styles[key] = clean;
    else delete styles[key];
    save(styles);
    set({ styles });
  };
  return {
    styles: load(),
    edit(key, patch) {
      put(key, { ...get().styles[key], ...patch });
    },
    editClass(key, code, patch) {
      const cur = get().styles[key] ?? {};
      const classes = { ...cur.classes, [String(code)]: { ...cur.classes?.[String(code)], ...patch } };
      put(key, { ...cur, classes });
    },
    reset(key) {
      put(key, null);
    },
  };
});
