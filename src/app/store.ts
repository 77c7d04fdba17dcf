/**
 * The workbench's UI state (zustand): the chosen model and its form, the
 * chosen dataset source and field maps, the current run, and map view
 * settings. Data fetched from the network or the worker lives in react-query.
 */
import { create } from 'zustand';
import type { ExecutorSpec } from '../executor/executor.ts';
import type { JsonValue } from '../executor/record.ts';
import type { ParamSpec } from '../executor/params.ts';
import type { StepSummary } from '../executor/context.ts';
import type { ProgressEvent, RunResponse, WorkerError } from '../worker/protocol.ts';
import { drawSeed } from '../executor/seed.ts';

/** Where the chosen dataset comes from. `id` makes every choice a distinct query. */
export type DatasetSource =
  | { kind: 'sample'; uri: string; file: string; id: number }
  | { kind: 'url'; uri: string; id: number }
  | { kind: 'file'; uri: string; file: File; id: number };

export type FormValue = string | boolean;

/** An extra input the user gave (or a bundled sample's): its URI, bytes and SHA-256, by parameter. */
export interface ExtraFile {
  uri: string;
  name: string;
  bytes: Uint8Array;
  sha256: string;
  /** Filled in from a bundled sample (replaced when another sample is picked). */
  fromSample: boolean;
}

export type RunStatus = 'idle' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface LiveSeries {
  steps: number[];
  values: Record<string, number[]>;
}

export interface RunState {
  status: RunStatus;
  /** Monotonic run counter (a new run replaces older results). */
  id: number;
  model: string | null;
  progress: ProgressEvent | null;
  live: LiveSeries;
  response: RunResponse | null;
  error: WorkerError | null;
  startedAt: number | null;
  endedAt: number | null;
}

export interface BasemapSettings {
  enabled: boolean;
  url: string;
  attribution: string;
}

export type MapLayerChoice = 'input' | 'output';

export interface WorkbenchState {
  model: string | null;
  form: Record<string, FormValue>;
  /** Field errors from the form check or from a run's ParameterError. */
  formErrors: Record<string, string>;
  source: DatasetSource | null;
  /** canonical → dataset name, for band_map or column_map (by the dataset kind). */
  fieldMap: Record<string, string>;
  keepFrames: boolean;
  run: RunState;
  notice: string | null;
  layer: MapLayerChoice;
  frame: number;
  /** Band (raster) or attribute (vector) shown for the input layer; null = automatic. */
  inputField: string | null;
  basemap: BasemapSettings;
  /** Extra inputs (spec.extraInputs) by parameter. */
  extras: Record<string, ExtraFile>;
  /** The edited `[model]` specification (resolved_spec.model) of a model with spec.defaultModel; null = its default. */
  modelTables: Record<string, JsonValue> | null;
  setModelTables(tables: Record<string, JsonValue> | null): void;

  selectModel(spec: ExecutorSpec): void;
  setExtra(param: string, file: ExtraFile | null): void;
  setFormValue(key: string, value: FormValue): void;
  setFormErrors(errors: Record<string, string>): void;
  setSource(source: DatasetSource | null): void;
  setFieldMap(canonical: string, real: string | null): void;
  setKeepFrames(v: boolean): void;
  startRun(model: string): number;
  progress(id: number, p: ProgressEvent): void;
  finishRun(id: number, outcome: { response?: RunResponse; error?: WorkerError; status: RunStatus }): void;
  setNotice(notice: string | null): void;
  setLayer(layer: MapLayerChoice): void;
  setFrame(frame: number): void;
  setInputField(field: string | null): void;
  setBasemap(b: Partial<BasemapSettings>): void;
}

export const DEFAULT_BASEMAP: BasemapSettings = {
  enabled: false,
  url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  attribution: '© OpenStreetMap contributors',
};

const BASEMAP_KEY = 'dissmodel.basemap';

function loadBasemap(): BasemapSettings {
  try {
    const raw = globalThis.localStorage?.getItem(BASEMAP_KEY);
    if (!raw) return DEFAULT_BASEMAP;
    const v = JSON.parse(raw) as Partial<BasemapSettings>;
    return {
      enabled: typeof v.enabled === 'boolean' ? v.enabled : false,
      url: typeof v.url === 'string' ? v.url : DEFAULT_BASEMAP.url,
      attribution: typeof v.attribution === 'string' ? v.attribution : DEFAULT_BASEMAP.attribution,
    };
  } catch {
    return DEFAULT_BASEMAP;
  }
}

/** A fresh seed in [0, 2^32 − 1]: the core's one seed-drawing function. */
export { drawSeed };

export function defaultFormValue(spec: ParamSpec): FormValue {
  switch (spec.type) {
    case 'bool':
      return spec.default;
    case 'seed':
      return String(drawSeed());
    default:
      return String(spec.default);
  }
}

const idleRun = (id = 0): RunState => ({
  status: 'idle',
  id,
  model: null,
  progress: null,
  live: { steps: [], values: {} },
  response: null,
  error: null,
  startedAt: null,
  endedAt: null,
});

/** Most points kept in the live chart (older points are thinned). */
const LIVE_MAX = 2000;

function pushLive(live: LiveSeries, step: number, summary: StepSummary): LiveSeries {
  let steps = [...live.steps, step];
  const values: Record<string, number[]> = {};
  for (const k of new Set([...Object.keys(live.values), ...Object.keys(summary)])) {
    values[k] = [...(live.values[k] ?? new Array(live.steps.length).fill(Number.NaN)), summary[k] ?? Number.NaN];
  }
  if (steps.length > LIVE_MAX) {
    const keep = (_: unknown, i: number) => i % 2 === 0 || i === steps.length - 1;
    steps = steps.filter(keep);
    for (const k of Object.keys(values)) values[k] = values[k].filter(keep);
  }
  return { steps, values };
}

export const useWorkbench = create<WorkbenchState>()((set, get) => ({
  model: null,
  form: {},
  formErrors: {},
  source: null,
  fieldMap: {},
  keepFrames: true,
  run: idleRun(),
  notice: null,
  layer: 'input',
  frame: 0,
  inputField: null,
  basemap: loadBasemap(),
  extras: {},
  modelTables: null,

  setModelTables(tables) {
    set({ modelTables: tables });
  },
  setExtra(param, file) {
    const extras = { ...get().extras };
    if (file === null) delete extras[param];
    else extras[param] = file;
    set({ extras });
  },
  selectModel(spec) {
    if (get().model === spec.name) return;
    const form: Record<string, FormValue> = {};
    for (const [k, p] of Object.entries(spec.params)) form[k] = defaultFormValue(p);
    set({ model: spec.name, form, formErrors: {}, fieldMap: {}, inputField: null, layer: 'input', modelTables: null });
  },
  setFormValue(key, value) {
    const formErrors = { ...get().formErrors };
    delete formErrors[key];
    set({ form: { ...get().form, [key]: value }, formErrors });
  },
  setFormErrors(errors) {
    set({ formErrors: errors });
  },
  setSource(source) {
    set({ source, fieldMap: {}, inputField: null, layer: 'input' });
  },
  setFieldMap(canonical, real) {
    const fieldMap = { ...get().fieldMap };
    if (real === null || real === '') delete fieldMap[canonical];
    else fieldMap[canonical] = real;
    set({ fieldMap });
  },
  setKeepFrames(v) {
    set({ keepFrames: v });
  },
  startRun(model) {
    const id = get().run.id + 1;
    set({ run: { ...idleRun(id), status: 'running', model, startedAt: performance.now() }, frame: 0 });
    return id;
  },
  progress(id, p) {
    const run = get().run;
    if (run.id !== id || run.status !== 'running') return;
    const live = p.summary && p.step !== undefined ? pushLive(run.live, p.step, p.summary) : run.live;
    // A phase message (no step) keeps the last step count on screen.
    const progress =
      p.step === undefined && run.progress?.step !== undefined ? { ...p, step: run.progress.step, total: run.progress.total } : p;
    set({ run: { ...run, progress, live } });
  },
  finishRun(id, outcome) {
    const run = get().run;
    if (run.id !== id) return;
    const frames = outcome.response?.display && outcome.response.display.kind !== 'table' ? outcome.response.display.frames.length : 0;
    const hasMap = !!outcome.response?.display && outcome.response.display.kind !== 'table';
    const last = outcome.response?.lastStep;
    const progress =
      last && (run.progress?.step ?? -1) < last.step
        ? {
            phase: run.progress?.phase ?? 'save',
            elapsedMs: run.progress?.elapsedMs ?? 0,
            ...run.progress,
            step: last.step,
            total: last.total,
          }
        : run.progress;
    set({
      run: {
        ...run,
        progress,
        status: outcome.status,
        response: outcome.response ?? null,
        error: outcome.error ?? null,
        endedAt: performance.now(),
      },
      layer: hasMap ? 'output' : get().layer,
      frame: frames > 0 ? frames - 1 : 0,
    });
  },
  setNotice(notice) {
    set({ notice });
  },
  setLayer(layer) {
    set({ layer });
  },
  setFrame(frame) {
    set({ frame });
  },
  setInputField(field) {
    set({ inputField: field });
  },
  setBasemap(b) {
    const basemap = { ...get().basemap, ...b };
    try {
      globalThis.localStorage?.setItem(BASEMAP_KEY, JSON.stringify(basemap));
    } catch {
      /* private mode: keep it in memory */
    }
    set({ basemap });
  },
}));
