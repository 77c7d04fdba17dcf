/**
 * Keeps the data in view when the map's box changes size (the sidebar folds,
 * the results strip is resized, the window turns): MapLibre is resized and the
 * data re-fitted — unless the user has panned or zoomed since the last fit.
 */
import { useEffect, useRef, type RefObject } from 'react';
import type { Map as MlMap } from 'maplibre-gl';
import type { Bounds } from '../../worker/placement.ts';

export function useRefitOnResize(
  mapRef: RefObject<MlMap | null>,
  container: RefObject<HTMLElement | null>,
  bounds: Bounds | null,
  ready: boolean,
  fit: (map: MlMap, b: Bounds) => void,
): void {
  const userMoved = useRef(false);
  const boundsRef = useRef(bounds);
  useEffect(() => {
    boundsRef.current = bounds;
    userMoved.current = false; // new data: fitted afresh
  }, [bounds]);
  useEffect(() => {
    const map = mapRef.current;
    const el = container.current;
    if (!map || !el || !ready || typeof ResizeObserver === 'undefined') return;
    const onMove = (e: { originalEvent?: unknown }) => {
      if (e.originalEvent) userMoved.current = true;
    };
    map.on('movestart', onMove);
    let last = `${el.clientWidth}x${el.clientHeight}`;
    let frame = 0;
    const ro = new ResizeObserver(() => {
      const size = `${el.clientWidth}x${el.clientHeight}`;
      if (size === last) return;
      last = size;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        map.resize();
        const b = boundsRef.current;
        if (b && !userMoved.current) fit(map, b);
      });
    });
    ro.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      ro.disconnect();
      map.off('movestart', onMove);
    };
  }, [mapRef, container, ready, fit]);
}
