/**
 * The map: MapLibre with a background-only style (no network), an optional
 * raster basemap, the input and the output drawn in place (rasters as image
 * sources, vectors as filled polygons), a legend, hover readout, a layer
 * toggle and the step slider.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  AttributionControl,
  Map as MlMap,
  NavigationControl,
  ScaleControl,
  setWorkerUrl,
  type GeoJSONSource,
  type ImageSource,
  MercatorCoordinate,
  type MapMouseEvent,
  type StyleSpecification,
} from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { takesNoInput } from '../data/compat.ts';
import { useExecutors } from '../data/queries.ts';
import { useCompatibility, useCurrentDataset, useSelectedSpec } from '../run/useRun.ts';
import { useWorkbench } from '../store.ts';
import { formatValue } from './colors.ts';
import { closeBitmap, paintRaster } from './raster-paint.ts';
import { inputLayer, onSameFeatures, outputLayer, valueAtCell, type DrawLayer, type LayerId } from './layers.ts';
import { Legend } from './Legend.tsx';
import { agentLayer, hasAgents } from './agents.ts';
import { AgentFieldSelect } from './AgentFieldSelect.tsx';
import { liveLayer } from './live-layer.ts';
import type { Bounds } from '../../worker/placement.ts';
import { useBasemapStatus } from './useBasemapStatus.ts';
import { bandValues, coordsText } from './hover-coords.ts';
import type { Dataset } from '../../sim/dataset.ts';
import { useMapDrop } from './useMapDrop.ts';
import { useLayerStyle } from './layer-style.ts';
import { markIdle } from './idle-attr.ts';
import { outlineMinZoom } from './outline-zoom.ts';
import { FEATURE_COLOR, featureColor, featureColors, featureRgba, recolor } from './vector-colors.ts';
import { VectorGlLayer } from './vector-gl-layer.ts';
import { meshOfDataset } from './mesh-store.ts';
import { featureAt, type VectorMesh } from '../../worker/vector-mesh.ts';
import { SLICE_FEATURES, streamFeatures, type FeatureSlice } from './geojson-stream.ts';
import { LayerStyleControls } from './LayerStyleControls.tsx';
import { useRefitOnResize } from './useRefitOnResize.ts';
import { useLive } from '../run/live-store.ts';
import { getSimWorker } from '../run/worker-instance.ts';
import { StepControls } from './StepControls.tsx';
import { useCompareView } from '../compare/useCompareView.ts';
import { useCompare } from '../compare/compare-store.ts';
import { CompareBadge } from '../compare/CompareControls.tsx';
import { SwipeCompare } from '../compare/SwipeCompare.tsx';
import { DiffPanel } from '../compare/DiffPanel.tsx';
import { useBandStyles } from './band-style-store.ts';
import { styledLayer, styleKey } from './style-edits.ts';
import { stretchSource } from './stretch-source.ts';

// MapLibre runs GeoJSON tiling in its own worker: it must be told where that script is.
setWorkerUrl(workerUrl);

export const MAP_BACKGROUND = '#e4e9ef';

/** Room around the data for the toolbar (top), legend (right) and slider/readout (bottom). */
function fitPadding(el: HTMLElement | null): { top: number; right: number; bottom: number; left: number } {
  const w = el?.clientWidth ?? 800;
  const h = el?.clientHeight ?? 500;
  const right = Math.min(260, Math.max(40, w * 0.28));
  return { top: Math.min(56, h * 0.15), right, bottom: Math.min(84, h * 0.2), left: Math.min(28, w * 0.05) };
}

const STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': MAP_BACKGROUND } }],
};

/** Fit the map to data bounds at once (a resize, not a user action). */
function fitTo(map: MlMap, b: Bounds): void {
  map.fitBounds(
    [
      [b[0], b[1]],
      [b[2], b[3]],
    ],
    { padding: fitPadding(map.getContainer()), duration: 0, maxZoom: 19 },
  );
}

const DATA_LAYERS = (id: LayerId) => [`${id}-raster`, `${id}-gl`, `${id}-fill`, `${id}-line`, `${id}-circle`];

interface Applied {
  geoKey: string;
  valueKey: string;
  kind: 'raster' | 'vector';
  /** Vector: the colour drawn per feature (feature-state or the GeoJSON's own). */
  colors?: string[];
  /** Vector: drawn on the input's source (SharedSource), not its own. */
  shared?: boolean;
  /** Vector: drawn as a WebGL layer from the worker's mesh (vector-gl-layer.ts). */
  gl?: boolean;
}

/** Per map and layer: the WebGL layer drawing a large polygon layer. */
const glLayersOf = new WeakMap<MlMap, Partial<Record<LayerId, VectorGlLayer>>>();
const glLayersFor = (map: MlMap) => {
  let g = glLayersOf.get(map);
  if (!g) glLayersOf.set(map, (g = {}));
  return g;
};

/**
 * The input's GeoJSON source, offered to an output on the same features (a grid model's live frames
 * and output): its layers read feature-state `o` there, so a run does not hand MapLibre the 40,000
 * features again. `drawn` is the output colour of each feature there (state `o`, else the GeoJSON's own).
 */
interface SharedSource {
  source: string;
  drawn: readonly string[];
}
const SHARED_KEY = 'o';
const sharedOf = new WeakMap<MlMap, SharedSource>();

/** Features [from, to) of a vector layer as GeoJSON, with their index and colour (`colors`, featureColors). */
function featureSlice(layer: Extract<DrawLayer, { kind: 'vector' }>, colors: readonly string[]): FeatureSlice {
  const { placement } = layer;
  return (from, to) => {
    const features: GeoJSON.Feature[] = [];
    for (let i = from; i < to; i++) {
      const g = placement.geometries[i];
      if (!g) continue;
      features.push({
        type: 'Feature' as const,
        id: i,
        geometry: g as GeoJSON.Geometry,
        properties: { __i: i, __c: colors[i] },
      });
    }
    return features;
  };
}

/** Per map and layer: stops its GeoJSON stream (geojson-stream.ts) still under way; the map is not drawn (idle) before they end. */
const streamsOf = new WeakMap<MlMap, Partial<Record<LayerId, () => void>>>();
const streamsFor = (map: MlMap) => {
  let s = streamsOf.get(map);
  if (!s) streamsOf.set(map, (s = {}));
  return s;
};
/**
 * Per map and layer: raster colourings. `latest`: bumped when the layer is removed (a colouring asked
 * for before is not drawn); `running`: one is under way; `next`: the newest one asked for meanwhile;
 * `inFlight`: how many are under way or waiting.
 */
interface Paints {
  latest: Partial<Record<LayerId, number>>;
  running: Partial<Record<LayerId, boolean>>;
  next: Partial<Record<LayerId, () => void>>;
  inFlight: number;
}
const paintsOf = new WeakMap<MlMap, Paints>();
const paintsFor = (map: MlMap) => {
  let p = paintsOf.get(map);
  if (!p) paintsOf.set(map, (p = { latest: {}, running: {}, next: {}, inFlight: 0 }));
  return p;
};
/** Per map and layer: the opacity and visibility last asked for, for layers added once their GeoJSON is in. */
const looksOf = new WeakMap<MlMap, Partial<Record<LayerId, { opacity: number; visible: boolean }>>>();
const looksFor = (map: MlMap) => {
  let l = looksOf.get(map);
  if (!l) looksOf.set(map, (l = {}));
  return l;
};
/** Whether a layer is still being prepared (streamed or coloured): the map is not drawn yet. */
const preparing = (map: MlMap) =>
  Object.keys(streamsFor(map)).length > 0 ||
  paintsFor(map).inFlight > 0 ||
  Object.values(glLayersFor(map)).some((l) => l?.waiting && map.getLayoutProperty(l.id, 'visibility') !== 'none');

function removeLayer(map: MlMap, id: LayerId): void {
  streamsFor(map)[id]?.();
  if (id === 'input') sharedOf.delete(map);
  const paints = paintsFor(map);
  paints.latest[id] = (paints.latest[id] ?? 0) + 1; // a colouring under way is not drawn
  if (paints.next[id]) paints.inFlight--;
  delete paints.next[id];
  delete glLayersFor(map)[id];
  for (const l of DATA_LAYERS(id)) if (map.getLayer(l)) map.removeLayer(l);
  for (const s of [`${id}-img`, `${id}-geo`]) if (map.getSource(s)) map.removeSource(s);
}

/** Outputs draw above inputs: an input layer goes below the output's first layer. */
function beforeIdFor(map: MlMap, id: LayerId): string | undefined {
  if (id === 'output') return undefined;
  return DATA_LAYERS('output').find((l) => map.getLayer(l));
}

function applyLayer(
  map: MlMap,
  id: LayerId,
  layer: DrawLayer | null,
  prev: Applied | undefined,
  nodataColor: string | null = null,
  onStreamed: () => void = () => {},
  rasterOpacity = 1,
  visible = true,
  /** The input's source, when this (vector) layer is on its features and may be drawn there. */
  share?: SharedSource,
): Applied | undefined {
  if (!layer) {
    if (prev) removeLayer(map, id);
    return undefined;
  }
  looksFor(map)[id] = { opacity: rasterOpacity, visible };
  const valueKey = layer.kind === 'raster' ? `${layer.valueKey}|${nodataColor ?? ''}` : layer.valueKey;
  let vectorColors: string[] | undefined;
  if (prev && prev.geoKey === layer.geoKey && prev.valueKey === valueKey && prev.kind === layer.kind) {
    glLayersFor(map)[id]?.setOpacity(0.9 * rasterOpacity); // a WebGL layer has no paint property to set
    return prev;
  }
  if (prev && (prev.kind !== layer.kind || prev.geoKey !== layer.geoKey)) removeLayer(map, id);
  const mesh = layer.kind === 'vector' ? meshOfDataset(layer.dataset) : undefined; // a large polygon layer: drawn by WebGL
  if (layer.kind === 'raster') {
    // Coloured in a worker for a large grid, one colouring at a time per layer: a newer request waits
    // for the one under way (a live run's frames come faster than a 4000² grid is coloured), replacing
    // any that waits already. A colouring asked for before the layer was removed is not drawn.
    const paints = paintsFor(map);
    const token = (paints.latest[id] ??= 0); // set, so that the check below compares numbers
    const { values, width, height, scale, nodata } = layer;
    const paint = () => {
      paints.running[id] = true;
      paintRaster(values, width, height, scale, nodata, nodataColor)
        .then((image) => {
          if (paints.latest[id] !== token || !map.style) return closeBitmap(image);
          const src = map.getSource(`${id}-img`) as ImageSource | undefined;
          if (src) {
            const was = src.image;
            src.updateImage({ image, coordinates: layer.placement.corners });
            if (was !== image) closeBitmap(was); // replaced: MapLibre no longer draws from it
          } else {
            map.addSource(`${id}-img`, { type: 'image', coordinates: layer.placement.corners });
            (map.getSource(`${id}-img`) as ImageSource).updateImage({ image });
            map.addLayer(
              {
                id: `${id}-raster`,
                type: 'raster',
                source: `${id}-img`,
                paint: { 'raster-resampling': 'nearest', 'raster-fade-duration': 0, 'raster-opacity': rasterOpacity },
              },
              beforeIdFor(map, id),
            );
            if (!visible) map.setLayoutProperty(`${id}-raster`, 'visibility', 'none');
          }
        })
        .catch((e: unknown) => console.warn('map:', (e as Error).message))
        .finally(() => {
          paints.running[id] = false;
          paints.inFlight--;
          const next = paints.next[id];
          delete paints.next[id];
          next?.();
          onStreamed();
        });
    };
    if (!paints.running[id]) {
      paints.inFlight++;
      paint();
    } else {
      if (!paints.next[id]) paints.inFlight++;
      paints.next[id] = paint;
    }
  } else if (mesh) {
    return applyGlLayer(map, id, layer, mesh, prev, valueKey, rasterOpacity, visible);
  } else {
    if (prev?.gl) removeLayer(map, id);
    const colors = featureColors(layer);
    vectorColors = colors;
    // A layer already drawn on its own source stays there (recoloured); one drawn on the input's moves off it when it can no longer be.
    if (prev?.shared && !share) removeLayer(map, id);
    if (share && (!prev || prev.shared || prev.geoKey !== layer.geoKey)) {
      recolor(map, share.source, colors, share.drawn, SHARED_KEY);
      share.drawn = colors;
      if (!map.getLayer(`${id}-fill`)) addVectorLayers(map, id, share.source, featureColor(SHARED_KEY), layer);
      return { geoKey: layer.geoKey, valueKey, kind: layer.kind, colors, shared: true };
    }
    const src = map.getSource(`${id}-geo`) as GeoJSONSource | undefined;
    if (src && prev?.kind === 'vector' && prev.geoKey === layer.geoKey && prev.colors) {
      // The same geometry with other values (a step of the slider, a live frame): recolour what changed.
      recolor(map, `${id}-geo`, colors, prev.colors);
      return { geoKey: layer.geoKey, valueKey, kind: layer.kind, colors };
    }
    // The first slice now, the rest streamed (one slice per task): no long task for a large grid.
    const streams = streamsFor(map);
    streams[id]?.();
    const slice = featureSlice(layer, colors);
    const count = layer.placement.geometries.length;
    const data = { type: 'FeatureCollection' as const, features: slice(0, Math.min(count, SLICE_FEATURES)) };
    if (src) {
      map.removeFeatureState({ source: `${id}-geo` });
      src.setData(data);
    } else {
      map.addSource(`${id}-geo`, { type: 'geojson', data });
    }
    if (id === 'input') sharedOf.set(map, { source: `${id}-geo`, drawn: colors });
    // A streamed source gets its layers once its stream ends (all slices in, or stopped): MapLibre then
    // tiles and uploads it once, not once per slice.
    const addLayers = () => {
      if (!map.style || !map.getSource(`${id}-geo`) || map.getLayer(`${id}-fill`)) return;
      addVectorLayers(map, id, `${id}-geo`, FEATURE_COLOR, layer);
    };
    if (count > SLICE_FEATURES) {
      const stop = streamFeatures(map, `${id}-geo`, slice, SLICE_FEATURES, count, () => {
        if (streams[id] === stop) delete streams[id];
        addLayers();
        onStreamed();
      });
      streams[id] = stop;
    } else addLayers();
  }
  return { geoKey: layer.geoKey, valueKey, kind: layer.kind, ...(vectorColors ? { colors: vectorColors } : {}) };
}

/**
 * A large polygon layer (the worker made its mesh) as one WebGL layer: added once per geometry, then
 * recoloured (a colour texture) for each step or live frame.
 */
function applyGlLayer(
  map: MlMap,
  id: LayerId,
  layer: Extract<DrawLayer, { kind: 'vector' }>,
  mesh: VectorMesh,
  prev: Applied | undefined,
  valueKey: string,
  opacity: number,
  visible: boolean,
): Applied {
  if (prev && !prev.gl) removeLayer(map, id);
  const colors = featureRgba(layer);
  const gls = glLayersFor(map);
  const have = gls[id];
  if (have && have.mesh === mesh && map.getLayer(`${id}-gl`)) have.setColors(colors);
  else {
    if (map.getLayer(`${id}-gl`)) map.removeLayer(`${id}-gl`);
    // The dataset's own geometries give the outline zoom (their types and count; the placed ones may not be made).
    const raw = layer.dataset.features.map((f) => f.geometry ?? null);
    const gl = new VectorGlLayer(`${id}-gl`, mesh, outlineMinZoom(layer.bounds, raw), colors, 0.9 * opacity);
    gls[id] = gl;
    map.addLayer(gl, beforeIdFor(map, id));
    if (!visible) map.setLayoutProperty(`${id}-gl`, 'visibility', 'none');
  }
  return { geoKey: layer.geoKey, valueKey, kind: 'vector', gl: true };
}

/** The fill, line and circle layers of vector layer `id`, drawn from `source` in `color` (a paint expression). */
function addVectorLayers(map: MlMap, id: LayerId, source: string, color: unknown, layer: Extract<DrawLayer, { kind: 'vector' }>): void {
  const look = looksFor(map)[id] ?? { opacity: 1, visible: true };
  const before = beforeIdFor(map, id);
  map.addLayer(
    {
      id: `${id}-fill`,
      type: 'fill',
      source,
      filter: ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]],
      // No antialiasing outline of the fill: the line layer draws the outlines.
      paint: { 'fill-color': color as unknown as string, 'fill-opacity': 0.9 * look.opacity, 'fill-antialias': false },
    },
    before,
  );
  map.addLayer(
    {
      id: `${id}-line`,
      type: 'line',
      source,
      minzoom: outlineMinZoom(layer.bounds, layer.placement.geometries),
      filter: ['!=', ['geometry-type'], 'Point'],
      paint: { 'line-color': 'rgba(20, 30, 45, 0.35)', 'line-width': 0.6 },
    },
    before,
  );
  map.addLayer(
    {
      id: `${id}-circle`,
      type: 'circle',
      source,
      filter: ['in', ['geometry-type'], ['literal', ['Point', 'MultiPoint']]],
      paint: {
        'circle-color': color as unknown as string,
        'circle-radius': 4,
        'circle-stroke-color': '#1f2933',
        'circle-stroke-width': 0.5,
        'circle-opacity': look.opacity,
      },
    },
    before,
  );
  if (!look.visible) setVisible(map, id, false);
}

function setVisible(map: MlMap, id: LayerId, visible: boolean): void {
  for (const l of DATA_LAYERS(id)) if (map.getLayer(l)) map.setLayoutProperty(l, 'visibility', visible ? 'visible' : 'none');
}

/** What the hover readout knows besides the layer: the dataset's CRS and the input dataset (for all its bands). */
interface HoverContext {
  epsg: number | null;
  input: Dataset | null;
}

/**
 * Describe `layer` under the pointer. A vector layer's features are found among the drawn ones of
 * `rendered` (the layer the main map shows): the swipe's start is read off the output's features when
 * both are on the same geometry, since the start's own layers are hidden under the overlay.
 */
function describeHover(layer: DrawLayer, map: MlMap, e: MapMouseEvent, ctx: HoverContext, rendered: DrawLayer | null): string | null {
  const where = coordsText(e.lngLat.lng, e.lngLat.lat, ctx.epsg, layer.note !== null);
  const queried = rendered && onSameFeatures(layer, rendered) ? rendered.id : layer.id;
  const text = describeValue(layer, map, e, ctx, queried);
  return text === null ? null : where ? `${text} · ${where}` : text;
}

/** The index of the feature of vector `layer` under the pointer: its mesh's index (WebGL layer), else MapLibre's drawn features. */
function featureUnder(layer: Extract<DrawLayer, { kind: 'vector' }>, map: MlMap, e: MapMouseEvent, queried: LayerId): number | null {
  const mesh = meshOfDataset(layer.dataset);
  if (mesh) {
    const m = MercatorCoordinate.fromLngLat(e.lngLat);
    const i = featureAt(mesh, m.x, m.y);
    return i < 0 ? null : i;
  }
  const hits = map.queryRenderedFeatures(e.point, {
    layers: DATA_LAYERS(queried).filter((l) => l !== `${queried}-raster` && l !== `${queried}-gl` && map.getLayer(l)),
  });
  const i = Number(hits[0]?.properties?.__i);
  return Number.isInteger(i) ? i : null;
}

function describeValue(layer: DrawLayer, map: MlMap, e: MapMouseEvent, ctx: HoverContext, queried: LayerId): string | null {
  if (layer.kind === 'raster') {
    const hit = valueAtCell(layer, e.lngLat.lng, e.lngLat.lat);
    if (!hit) return null;
    const v = hit.value;
    const nodata = layer.nodata !== null && v === layer.nodata;
    const cat = layer.categories?.[v];
    const others = layer.id === 'input' ? bandValues(ctx.input, hit.row, hit.col, layer.field) : '';
    return (
      `row ${hit.row}, col ${hit.col} · ${layer.field} = ${nodata ? `nodata (${v})` : formatValue(v)}${cat ? ` (${cat})` : ''}` +
      (others ? ` · ${others}` : '')
    );
  }
  const i = featureUnder(layer, map, e, queried);
  if (i === null) return null;
  const v = layer.values[i];
  const feature = layer.dataset.features[i];
  const cat = v !== null && layer.categories ? layer.categories[v] : undefined;
  const shown =
    cat !== undefined && typeof feature?.properties[layer.field] === 'string' ? cat : `${formatValue(v)}${cat ? ` (${cat})` : ''}`;
  const extra = Object.entries(feature?.properties ?? {})
    .filter(([k]) => k !== layer.field)
    .map(([k, val]) => `${k} ${formatValue(val)}`)
    .join(', ');
  return `feature ${feature?.id ?? i} · ${layer.field} = ${shown}${extra ? ` · ${extra}` : ''}`;
}

export function MapView() {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MlMap | null>(null);
  const applied = useRef<Partial<Record<LayerId, Applied>>>({});
  const fitted = useRef<string>('');
  const attribRef = useRef<AttributionControl | null>(null);
  const [ready, setReady] = useState(false);
  const [mapError, setMapError] = useState<string | null>(null);
  const [hover, setHover] = useState<string | null>(null);
  const [loadedMap, setLoadedMap] = useState<MlMap | null>(null);

  const spec = useSelectedSpec();
  const dq = useCurrentDataset();
  const compat = useCompatibility(spec, dq.data);
  const display = useWorkbench((s) => s.run.response?.display);
  const displayValues = useWorkbench((s) => s.run.response?.displayValues);
  const runModel = useWorkbench((s) => s.run.model);
  const executors = useExecutors();
  // The output is styled by the spec of the model that produced it (the picker may have moved on).
  const runSpec = useMemo(() => executors.data?.find((x) => x.name === runModel) ?? spec, [executors.data, runModel, spec]);
  const frame = useWorkbench((s) => s.frame);
  const choice = useWorkbench((s) => s.layer);
  const setChoice = useWorkbench((s) => s.setLayer);
  const inputField = useWorkbench((s) => s.inputField);
  const setInputField = useWorkbench((s) => s.setInputField);
  const basemap = useWorkbench((s) => s.basemap);
  const style = useLayerStyle();

  // A model with no input dataset shows no (unrelated) input layer.
  const inputBase = useMemo(
    () => (dq.data && !(spec && takesNoInput(spec)) ? inputLayer(dq.data.dataset, spec, compat, inputField) : null),
    [dq.data, spec, compat, inputField],
  );
  // Point agents (a frame per step) are drawn from their own frames, coloured by the attribute chosen here.
  const [agentField, setAgentField] = useState<string | null>(null);
  // During a run: the state reached, live (the worker's throttled frames of the display layer).
  const runId = useWorkbench((s) => s.run.id);
  const liveFrame = useLive((s) => (s.runId === runId ? s.frame : null));
  const livePaused = useLive((s) => s.paused);
  const liveOut = useMemo(
    () => (liveFrame && dq.data ? liveLayer(dq.data.dataset, runSpec, runId, liveFrame, livePaused) : null),
    [liveFrame, dq.data, runSpec, runId, livePaused],
  );
  const outputBase = useMemo(
    () =>
      liveOut ??
      (hasAgents(display) ? agentLayer(display, runSpec, frame, agentField) : outputLayer(display, runSpec, frame, displayValues)),
    [liveOut, display, runSpec, frame, agentField, displayValues],
  );
  // The user's colour edits (class colours and labels, stretch, ramp), kept per model and band.
  const bandStyles = useBandStyles((s) => s.styles);
  const inputKey = inputBase ? styleKey(spec?.name, inputBase.field) : '';
  const outputKey = outputBase ? styleKey(runSpec?.name, outputBase.field) : '';
  const input = useMemo(
    () => inputBase && styledLayer(inputBase, bandStyles[inputKey], stretchSource(inputBase, null, runId)),
    [inputBase, bandStyles, inputKey, runId],
  );
  const styledOutput = useMemo(
    () => outputBase && styledLayer(outputBase, bandStyles[outputKey], stretchSource(outputBase, display, runId)),
    [outputBase, bandStyles, outputKey, display, runId],
  );
  // Compare mode: a difference drawn in the output's place, or the swipe's start on an overlay map.
  const compare = useCompareView(display, runSpec, input, agentField);
  const setCompareMode = useCompare((s) => s.setMode);
  const output = compare.diffLayer ?? styledOutput;
  const shown: LayerId = (choice === 'output' || compare.mode !== 'off') && output ? 'output' : 'input';
  const active = shown === 'output' ? output : input;
  // The layer the hover handler (registered once, with the map) describes.
  const activeRef = useRef<DrawLayer | null>(null);
  const hoverCtx = useRef<HoverContext>({ epsg: null, input: null });
  // Swiping: left of the divider, hover describes the start.
  const swipeRef = useRef<{ layer: DrawLayer; divider: number } | null>(null);
  useEffect(() => {
    swipeRef.current = compare.swipeLeft && output ? { layer: compare.swipeLeft.layer, divider: compare.divider } : null;
    activeRef.current = active;
    hoverCtx.current = { epsg: dq.data?.summary.epsg ?? null, input: dq.data?.dataset ?? null };
  }, [active, dq.data, compare.swipeLeft, compare.divider, output]);

  // Create the map once.
  useEffect(() => {
    if (!container.current) return;
    let map: MlMap;
    try {
      map = new MlMap({
        container: container.current,
        style: STYLE,
        center: [0, 0],
        zoom: 1,
        attributionControl: false,
        // No multisampling: SwiftShader (software WebGL) took about twice as long per frame of 40,000
        // polygons with it; MapLibre antialiases its own lines and circles in its shaders.
        canvasContextAttributes: { preserveDrawingBuffer: true, antialias: false },
        fadeDuration: 0,
      });
    } catch (e) {
      // eslint-disable-next-line react-hooks/set-state-in-effect -- MapLibre (an external system) failed to start; only the effect can know
      setMapError(`The map could not start: ${(e as Error).message}. It needs WebGL; the rest of the workbench still works.`);
      return;
    }
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
    map.on('load', () => {
      setReady(true);
      setLoadedMap(map);
    });
    // data-idle: true once the map has drawn what it was last given (MapLibre's 'idle'), not while a large
    // GeoJSON is still being streamed in; tests wait for it, never for time.
    markIdle(container.current, false);
    map.on('idle', () => {
      const drawn = !preparing(map);
      markIdle(map.getContainer(), drawn);
      // A live frame drawn: the run's worker spaces its next frames by what this one cost (live-control.ts).
      const ms = drawn ? useLive.getState().drawn() : null;
      if (ms !== null) getSimWorker().control({ kind: 'drawn', ms });
    });
    map.on('error', (e) => console.warn('map:', e.error?.message ?? e));
    map.on('mousemove', (e) => {
      const sw = swipeRef.current;
      const layer = sw && e.point.x < (sw.divider / 100) * map.getContainer().clientWidth ? sw.layer : activeRef.current;
      setHover(layer ? describeHover(layer, map, e, hoverCtx.current, activeRef.current) : null);
    });
    map.getCanvas().addEventListener('mouseleave', () => setHover(null));
    mapRef.current = map;
    return () => {
      for (const stop of Object.values(streamsFor(map))) stop?.();
      mapRef.current = null;
      applied.current = {};
      fitted.current = '';
      attribRef.current = null;
      setReady(false);
      setLoadedMap(null);
      markIdle(map.getContainer(), false);
      map.remove();
    };
  }, []);

  // Basemap (optional, off by default: the workbench needs no network).
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    if (map.getLayer('basemap')) map.removeLayer('basemap');
    if (map.getSource('basemap')) map.removeSource('basemap');
    if (attribRef.current) {
      map.removeControl(attribRef.current);
      attribRef.current = null;
    }
    if (basemap.enabled && basemap.url) {
      map.addSource('basemap', { type: 'raster', tiles: [basemap.url], tileSize: 256, attribution: basemap.attribution, maxzoom: 19 });
      const first = [...DATA_LAYERS('input'), ...DATA_LAYERS('output')].find((l) => map.getLayer(l));
      map.addLayer({ id: 'basemap', type: 'raster', source: 'basemap' }, first);
      const ctl = new AttributionControl({ compact: true });
      map.addControl(ctl, 'bottom-left');
      attribRef.current = ctl;
    }
  }, [ready, basemap.enabled, basemap.url, basemap.attribution]);

  // Sync the two data layers.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    markIdle(container.current, false);
    try {
      const streamed = () => map.triggerRepaint(); // MapLibre's next 'idle' then says drawn
      const args = (id: LayerId) => [style.nodataColor, streamed, style.opacity, shown === id] as const;
      // An output drawn on the input's source goes first when that source is about to be replaced.
      const prevInput = applied.current.input;
      if (applied.current.output?.shared && (!input || input.geoKey !== prevInput?.geoKey || input.kind !== prevInput.kind)) {
        removeLayer(map, 'output');
        applied.current.output = undefined;
      }
      applied.current.input = applyLayer(map, 'input', input, applied.current.input, ...args('input'));
      const share = input && output && onSameFeatures(input, output) && !streamsFor(map).input ? sharedOf.get(map) : undefined;
      applied.current.output = applyLayer(map, 'output', output, applied.current.output, ...args('output'), share);
      for (const id of ['input', 'output'] as const) {
        if (map.getLayer(`${id}-raster`)) map.setPaintProperty(`${id}-raster`, 'raster-opacity', style.opacity);
        if (map.getLayer(`${id}-fill`)) map.setPaintProperty(`${id}-fill`, 'fill-opacity', 0.9 * style.opacity);
        glLayersFor(map)[id]?.setOpacity(0.9 * style.opacity);
        if (map.getLayer(`${id}-circle`)) map.setPaintProperty(`${id}-circle`, 'circle-opacity', style.opacity);
      }
      setVisible(map, 'input', shown === 'input');
      setVisible(map, 'output', shown === 'output');
      if (active && fitted.current !== active.geoKey) {
        fitted.current = active.geoKey;
        map.fitBounds(
          [
            [active.bounds[0], active.bounds[1]],
            [active.bounds[2], active.bounds[3]],
          ],
          { padding: fitPadding(container.current), duration: 0, maxZoom: 19 },
        );
      }
      // eslint-disable-next-line react-hooks/set-state-in-effect -- whether MapLibre drew the layer is known only after the effect talked to it
      setMapError(null);
      map.triggerRepaint();
    } catch (e) {
      setMapError(`The map could not draw this layer: ${(e as Error).message}`);
    }
  }, [ready, input, output, shown, active, style.nodataColor, style.opacity]);

  useRefitOnResize(mapRef, container, active?.bounds ?? null, ready, fitTo);
  const drop = useMapDrop();
  const basemapError = useBasemapStatus(mapRef, ready, basemap.enabled, basemap.url);

  const refit = () => {
    const map = mapRef.current;
    if (!map || !active) return;
    map.fitBounds(
      [
        [active.bounds[0], active.bounds[1]],
        [active.bounds[2], active.bounds[3]],
      ],
      { padding: fitPadding(container.current), duration: 300, maxZoom: 19 },
    );
  };

  const frames = display && display.kind !== 'table' ? display.frames : [];
  const nodataColor = style.nodataColor;
  const opacity = style.opacity;
  const drawLeft = useCallback(
    (m: MlMap, layer: DrawLayer, prev: Applied | undefined) => applyLayer(m, layer.id, layer, prev, nodataColor, undefined, opacity),
    [nodataColor, opacity],
  );
  const tableOutput = display?.kind === 'table';

  return (
    <div className={`map-wrap${drop.over ? ' is-drop-over' : ''}`} data-testid="map-wrap" {...drop.props}>
      <div
        ref={container}
        className="map"
        data-testid="map"
        data-ready={ready ? 'true' : 'false'}
        data-shown={active ? shown : 'none'}
        data-agents={shown === 'output' && hasAgents(display) && output?.kind === 'vector' ? output.dataset.features.length : undefined}
        data-live-step={liveOut && liveFrame ? String(liveFrame.step) : undefined}
        data-compare={compare.mode}
        aria-label="Map of the input and output"
        role="region"
      />
      {compare.mode === 'swipe' && compare.swipeLeft && output && (
        <SwipeCompare
          key={compare.swipeLeft.layer.id}
          main={loadedMap}
          left={compare.swipeLeft.layer}
          leftTitle={compare.swipeLeft.title}
          rightTitle={output.title}
          background={MAP_BACKGROUND}
          opacity={style.opacity}
          draw={drawLeft}
        />
      )}
      <div className="map-toolbar">
        <div className="segmented" role="radiogroup" aria-label="Layer shown on the map">
          <button
            type="button"
            role="radio"
            aria-checked={shown === 'input'}
            className={shown === 'input' ? 'is-on' : ''}
            disabled={!input}
            data-testid="layer-input"
            onClick={() => {
              setChoice('input');
              setCompareMode('off');
            }}
          >
            Input
          </button>
          <button
            type="button"
            role="radio"
            aria-checked={shown === 'output'}
            className={shown === 'output' ? 'is-on' : ''}
            disabled={!output}
            data-testid="layer-output"
            onClick={() => {
              setChoice('output');
              setCompareMode('off');
            }}
          >
            Output
          </button>
        </div>
        {shown === 'input' && input && input.fieldChoices.length > 1 && (
          <label className="toolbar-field">
            <span>{input.kind === 'raster' ? 'Band' : 'Attribute'}</span>
            <select
              className="input input-small"
              value={input.field}
              data-testid="input-field-select"
              onChange={(e) => setInputField(e.target.value)}
            >
              {input.fieldChoices.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        )}
        {shown === 'output' && hasAgents(display) && output && <AgentFieldSelect layer={output} onChange={setAgentField} />}
        <CompareBadge />
        {active && <LayerStyleControls raster={active.kind === 'raster'} />}
        {active && (
          <button type="button" className="btn btn-small" onClick={refit} title="Zoom to the data">
            Fit
          </button>
        )}
      </div>
      {!active && !mapError && (
        <div className="map-empty" data-testid="map-empty">
          {tableOutput ? 'This model writes a table, not a map: see its series below.' : 'Choose a dataset or run a model to see it here.'}
        </div>
      )}
      {active?.note && (
        <div className="map-note" data-testid="map-note" role="note">
          {active.note}
        </div>
      )}
      {basemapError && (
        <div className="map-note basemap-error" data-testid="basemap-error" role="status">
          {basemapError}
        </div>
      )}
      {mapError && (
        <div className="map-error error-box" role="alert" data-testid="map-error">
          {mapError}
        </div>
      )}
      {active && <Legend layer={active} styleKey={shown === 'output' ? (compare.diffLayer ? null : outputKey) : inputKey} />}
      {compare.mode === 'diff' && <DiffPanel />}
      <div className="map-bottom">
        {shown === 'output' && frames.length > 1 && !compare.diffLayer && <StepControls frames={frames} />}
        {(hover || active) && (
          <div className="hover-readout mono" data-testid="hover-readout" aria-live="off">
            {hover ?? `${active!.title} · ${active!.crs} · hover for values`}
          </div>
        )}
      </div>
    </div>
  );
}
