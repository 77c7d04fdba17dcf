/**
 * Swipe input ↔ output: a second MapLibre map laid over the main one, showing
 * the start (the input, or the run's step 0) and clipped to the left of a
 * draggable, keyboard-operable divider; the main map underneath keeps the
 * output and its step slider. The overlay follows the main map's camera and
 * takes no pointer input, so pan, zoom and hover stay the main map's.
 *
 * Two maps rather than two clipped layers: MapLibre has no per-layer clip, and
 * each map keeps one image of at most 2048 px a side however large the raster.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { Map as MlMap, type StyleSpecification } from 'maplibre-gl';
import type { DrawLayer } from '../map/layers.ts';
import { markIdle } from '../map/idle-attr.ts';
import { clampPercent, useCompare } from './compare-store.ts';
import './compare.css';

export interface SwipeCompareProps<Applied> {
  /** The main map (the output side); null until it has loaded. */
  main: MlMap | null;
  /** What the left side shows. */
  left: DrawLayer;
  leftTitle: string;
  rightTitle: string;
  background: string;
  opacity: number;
  /** Draws a layer on a map (the main map's own drawing, so both sides look the same). */
  draw: (map: MlMap, layer: DrawLayer, prev: Applied | undefined) => Applied | undefined;
}

const STEP = 1;
const PAGE = 10;

function syncCamera(from: MlMap, to: MlMap): void {
  to.jumpTo({ center: from.getCenter(), zoom: from.getZoom(), bearing: from.getBearing(), pitch: from.getPitch() });
}

export function SwipeCompare<Applied>({ main, left, leftTitle, rightTitle, background, opacity, draw }: SwipeCompareProps<Applied>) {
  const container = useRef<HTMLDivElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MlMap | null>(null);
  const applied = useRef<Applied | undefined>(undefined);
  const [ready, setReady] = useState(false);
  const divider = useCompare((s) => s.divider);
  const setDivider = useCompare((s) => s.setDivider);
  const dragging = useRef(false);

  // The overlay map, following the main map's camera.
  useEffect(() => {
    if (!container.current || !main) return;
    const style: StyleSpecification = {
      version: 8,
      sources: {},
      layers: [{ id: 'background', type: 'background', paint: { 'background-color': background } }],
    };
    const map = new MlMap({
      container: container.current,
      style,
      interactive: false,
      attributionControl: false,
      canvasContextAttributes: { preserveDrawingBuffer: true, antialias: true },
      fadeDuration: 0,
      center: main.getCenter(),
      zoom: main.getZoom(),
    });
    const follow = () => syncCamera(main, map);
    const resize = () => map.resize();
    main.on('move', follow);
    main.on('resize', resize);
    map.on('load', () => {
      follow();
      setReady(true);
    });
    markIdle(container.current, false);
    map.on('idle', () => markIdle(map.getContainer(), true));
    map.on('error', (e) => console.warn('swipe map:', e.error?.message ?? e));
    mapRef.current = map;
    return () => {
      main.off('move', follow);
      main.off('resize', resize);
      mapRef.current = null;
      applied.current = undefined;
      setReady(false);
      markIdle(map.getContainer(), false);
      map.remove();
    };
  }, [main, background]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    markIdle(container.current, false);
    applied.current = draw(map, left, applied.current);
    for (const l of map.getStyle().layers) {
      if (l.type === 'raster') map.setPaintProperty(l.id, 'raster-opacity', opacity);
      if (l.type === 'fill') map.setPaintProperty(l.id, 'fill-opacity', 0.9 * opacity);
      if (l.type === 'circle') map.setPaintProperty(l.id, 'circle-opacity', opacity);
    }
    if (main) syncCamera(main, map);
    map.triggerRepaint();
  }, [ready, left, draw, opacity, main]);

  const fromPointer = (e: PointerEvent) => {
    const box = wrap.current?.getBoundingClientRect();
    if (box && box.width > 0) setDivider(((e.clientX - box.left) / box.width) * 100);
  };
  const onKey = (e: KeyboardEvent) => {
    const big = e.shiftKey ? PAGE : STEP;
    const next: Record<string, number> = {
      ArrowLeft: divider - big,
      ArrowDown: divider - big,
      ArrowRight: divider + big,
      ArrowUp: divider + big,
      PageDown: divider - PAGE,
      PageUp: divider + PAGE,
      Home: 0,
      End: 100,
    };
    if (!(e.key in next)) return;
    e.preventDefault();
    setDivider(clampPercent(next[e.key]));
  };

  return (
    <div className="swipe" ref={wrap} data-testid="swipe">
      <div
        ref={container}
        className="swipe-map"
        data-testid="swipe-map"
        data-clip={divider}
        aria-hidden="true"
        style={{ clipPath: `inset(0 ${100 - divider}% 0 0)` }}
      />
      <div className="swipe-labels" aria-hidden="true">
        <span className="swipe-label swipe-label-left" style={{ right: `${100 - divider}%` }} data-testid="swipe-left-label">
          ◀ {leftTitle}
        </span>
        <span className="swipe-label swipe-label-right" style={{ left: `${divider}%` }} data-testid="swipe-right-label">
          {rightTitle} ▶
        </span>
      </div>
      <div
        className="swipe-divider"
        style={{ left: `${divider}%` }}
        role="slider"
        tabIndex={0}
        aria-label={`Swipe divider: ${leftTitle} on the left, ${rightTitle} on the right`}
        aria-orientation="horizontal"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={divider}
        aria-valuetext={`${divider} % ${leftTitle}, ${100 - divider} % ${rightTitle}`}
        data-testid="swipe-divider"
        onKeyDown={onKey}
        onPointerDown={(e) => {
          dragging.current = true;
          e.currentTarget.setPointerCapture(e.pointerId);
          fromPointer(e);
        }}
        onPointerMove={(e) => {
          if (dragging.current) fromPointer(e);
        }}
        onPointerUp={() => (dragging.current = false)}
        onPointerCancel={() => (dragging.current = false)}
      >
        <span className="swipe-handle" aria-hidden="true">
          ◀▶
        </span>
      </div>
    </div>
  );
}
