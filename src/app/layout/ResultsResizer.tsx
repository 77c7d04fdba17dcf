/**
 * The handle between the map and the results strip: drag it (or focus it and
 * use the arrow keys, Home/End) to give the results more or less height.
 */
import { useEffect, useRef, useState } from 'react';
import { RESULTS_MIN, useLayout } from './layout-store.ts';

/** The results strip may take at most this share of the main area. */
const MAX_SHARE = 0.7;

export function ResultsResizer() {
  const h = useLayout((s) => s.resultsH);
  const setH = useLayout((s) => s.setResultsH);
  const ref = useRef<HTMLDivElement>(null);
  // The strip's real height, for assistive technology (a focusable separator states its value).
  const [shown, setShown] = useState(236);
  useEffect(() => {
    const strip = ref.current?.nextElementSibling;
    if (!strip || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setShown((strip as HTMLElement).offsetHeight));
    ro.observe(strip);
    return () => ro.disconnect();
  }, []);
  const bounds = () => {
    const main = ref.current?.parentElement;
    const max = Math.max(RESULTS_MIN, Math.floor((main?.clientHeight ?? 800) * MAX_SHARE));
    return { max, clamp: (v: number) => Math.max(RESULTS_MIN, Math.min(max, Math.round(v))) };
  };
  const current = () => (ref.current?.nextElementSibling as HTMLElement | null)?.offsetHeight ?? h ?? 236;
  return (
    <div
      ref={ref}
      className="results-resizer"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize the results area"
      aria-valuemin={RESULTS_MIN}
      aria-valuenow={shown}
      tabIndex={0}
      data-testid="results-resizer"
      onPointerDown={(e) => {
        const el = e.currentTarget;
        el.setPointerCapture(e.pointerId);
        const y0 = e.clientY;
        const h0 = current();
        const { clamp } = bounds();
        const move = (ev: PointerEvent) => setH(clamp(h0 + (y0 - ev.clientY)));
        const up = () => {
          el.removeEventListener('pointermove', move);
          el.removeEventListener('pointerup', up);
          el.removeEventListener('pointercancel', up);
        };
        el.addEventListener('pointermove', move);
        el.addEventListener('pointerup', up);
        el.addEventListener('pointercancel', up);
      }}
      onKeyDown={(e) => {
        const { clamp, max } = bounds();
        const step = e.shiftKey ? 64 : 16;
        if (e.key === 'ArrowUp') setH(clamp(current() + step));
        else if (e.key === 'ArrowDown') setH(clamp(current() - step));
        else if (e.key === 'Home') setH(RESULTS_MIN);
        else if (e.key === 'End') setH(max);
        else if (e.key === 'Escape') setH(null);
        else return;
        e.preventDefault();
      }}
      onDoubleClick={() => setH(null)}
    />
  );
}
