/**
 * Models written in the page, on the page's side: which version is registered
 * and runnable (in its own model worker), the editor's draft, the last load
 * problem, a link's code waiting for consent, and every version loaded in this
 * session by SHA-256 (share links and history carry the source of a run).
 *
 * A new version is loaded into a fresh worker; only when it registers does it
 * replace the previous one, so a broken edit leaves the last good version
 * runnable. A worker that crashes or hangs is replaced (SimWorker) and the
 * active version is loaded again into the new one.
 */
import { create } from 'zustand';
import type { ExecutorSpec } from '../../executor/executor.ts';
import type { ExperimentRecord } from '../../executor/record.ts';
import type { SimWorker } from '../../worker/client.ts';
import { ModelWorker } from '../../worker/model-client.ts';
import { MODEL_COMMIT_PREFIX, modelSha256, type ModelLoadResult, type ModelProblem } from '../../worker/user-model.ts';
import { getSimWorker } from '../run/worker-instance.ts';
import { useWorkbench } from '../store.ts';

export interface ModelVersion {
  source: string;
  fileName: string;
  sha256: string;
}

export interface LoadedModel extends ModelVersion {
  specs: ExecutorSpec[];
}

/** A share link's model code, checked against its SHA-256, waiting for the person to allow it to run. */
export interface LinkConsent extends ModelVersion {
  fragment: string;
}

export interface ModelHostState {
  editorOpen: boolean;
  draft: string;
  fileName: string;
  active: LoadedModel | null;
  problem: ModelProblem | null;
  loading: boolean;
  consent: LinkConsent | null;
  /** The page model the editor's Run is waiting to start (once it is selected and its dataset is ready). */
  pendingRun: string | null;
  set(patch: Partial<Omit<ModelHostState, 'set'>>): void;
}

export const useModelHost = create<ModelHostState>()((set) => ({
  editorOpen: false,
  draft: '',
  fileName: 'my_model.ts',
  active: null,
  problem: null,
  loading: false,
  consent: null,
  pendingRun: null,
  set: (patch) => set(patch),
}));

const versions = new Map<string, ModelVersion>();
let worker: ModelWorker | null = null;

/** `?stall=MS` shortens the watchdog and the cancel grace (tests of a hung model). */
function stallFromUrl(): number | undefined {
  const v = Number(new URLSearchParams(globalThis.location?.search ?? '').get('stall'));
  return Number.isFinite(v) && v >= 200 ? v : undefined;
}

function newWorker(): ModelWorker {
  const stallMs = stallFromUrl();
  return new ModelWorker(stallMs ? { stallMs, cancelGraceMs: Math.max(1000, stallMs) } : {});
}

/** Record a version's source so a run's model_commit can be traced back to it. */
export function rememberVersion(v: ModelVersion): void {
  versions.set(v.sha256, v);
}

/** The source of a version loaded in this session, by SHA-256. */
export function versionBySha(sha256: string): ModelVersion | undefined {
  return versions.get(sha256);
}

/** The source behind a record's `model_commit = "sha256:<hex>"`, if it is a page model's. */
export function versionOfRecord(record: Pick<ExperimentRecord, 'model_commit'>): ModelVersion | undefined {
  return record.model_commit.startsWith(MODEL_COMMIT_PREFIX)
    ? versions.get(record.model_commit.slice(MODEL_COMMIT_PREFIX.length))
    : undefined;
}

/**
 * Load a version into a fresh model worker. On success it becomes the active
 * version (the previous worker is shut down); on failure the previous one stays.
 */
export async function applyModel(source: string, fileName: string): Promise<ModelLoadResult> {
  const host = useModelHost.getState();
  host.set({ loading: true });
  const next = newWorker();
  const result = await next.loadModel(source, fileName);
  if (!result.ok) {
    next.dispose();
    useModelHost.getState().set({ loading: false, problem: result.problem });
    return result;
  }
  const version: LoadedModel = { source, fileName, sha256: result.sha256, specs: result.specs };
  rememberVersion(version);
  worker?.dispose();
  worker = next;
  next.onRestart((reason) => {
    useWorkbench.getState().setNotice(`${reason} The model ${fileName} was loaded again into a fresh worker.`);
    void next.loadModel(source, fileName).then((r) => {
      if (!r.ok) useModelHost.getState().set({ problem: r.problem });
    });
  });
  useModelHost.getState().set({ loading: false, problem: null, active: version });
  return result;
}

/** The page model registered under `name`, if any. */
export function pageModelSpec(name: string | null | undefined): ExecutorSpec | undefined {
  return useModelHost.getState().active?.specs.find((s) => s.name === name);
}

/** The worker that runs `model`: the model worker for a page model, else the simulation worker. */
export function workerFor(model: string | null | undefined): SimWorker {
  return worker && pageModelSpec(model) ? worker : getSimWorker();
}

/** A record of a page model gets its source's SHA-256 as model_commit, as the CLI writes it for `--model FILE`. */
export function stampModelCommit(record: ExperimentRecord): ExperimentRecord {
  const active = useModelHost.getState().active;
  if (active && pageModelSpec(record.model_name)) record.model_commit = `${MODEL_COMMIT_PREFIX}${active.sha256}`;
  return record;
}

/**
 * Re-open a past run's model (the history keeps its source): shown in the editor and, unless it is the
 * active version already, loaded. Rejects with the load problem's message.
 */
export async function reopenModelSource(v: { source: string; fileName: string; sha256: string }): Promise<void> {
  openInEditor(v.source, v.fileName);
  if (useModelHost.getState().active?.sha256 === v.sha256) return;
  const r = await applyModel(v.source, v.fileName);
  if (!r.ok) throw new Error(`its model (${v.fileName}) did not load: ${r.problem.message}`);
}

/** Open the editor with a source (a template, a file, a link's code). */
export function openInEditor(source: string, fileName: string): void {
  useModelHost.getState().set({ editorOpen: true, draft: source, fileName, problem: null });
}

export { modelSha256 };
