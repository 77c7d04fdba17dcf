/**
 * Data the page fetches (react-query): the executor catalogue from the worker,
 * the bundled samples manifest, and datasets (bundled sample, URL or dropped
 * file) read to bytes and inspected in the worker.
 */
import { useCallback, useMemo } from 'react';
import { queryOptions, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { LimitError } from '../../executor/errors.ts';
import type { ExecutorSpec } from '../../executor/executor.ts';
import { fetchBytes } from '../../io/fetch.ts';
import { ensureConsent } from '../consent/consent.ts';
import { clearLoad, setLoad } from './load-progress.ts';
import type { Dataset } from '../../sim/dataset.ts';
import { MAX_INPUT_BYTES } from '../../io/limits.ts';
import { asWorkerError } from '../../worker/client.ts';
import type { DatasetSummary, WorkerError } from '../../worker/protocol.ts';
import { getSimWorker } from '../run/worker-instance.ts';
import { prepareVectorPlacement } from '../map/layers.ts';
import { knownGeometryKey } from '../../worker/geometry-key.ts';
import { rememberMesh } from '../map/mesh-store.ts';
import { useModelHost } from '../editor/model-host.ts';
import type { DatasetSource } from '../store.ts';

/** An error carried through react-query with the worker's code and field. */
export class AppError extends Error {
  readonly code: string;
  readonly field: string | undefined;
  constructor(e: WorkerError) {
    super(e.message);
    this.name = e.name;
    this.code = e.code;
    this.field = e.field;
  }
}

export const toAppError = (e: unknown): AppError => (e instanceof AppError ? e : new AppError(asWorkerError(e)));

export interface SampleEntry {
  file: string;
  title: string;
  description?: string;
  kind: 'raster' | 'vector';
  models: string[];
  /** Extra inputs bundled with it, by parameter (a demand CSV beside a cellular space). */
  inputs?: Record<string, string>;
}

export interface LoadedDataset {
  source: DatasetSource;
  /** The file's bytes, kept on the page: a copy goes to the worker with each run. */
  bytes: Uint8Array;
  summary: DatasetSummary;
  dataset: Dataset;
}

export const samplesBaseUrl = (): string => new URL(`${import.meta.env.BASE_URL}samples/`, globalThis.location.href).href;

/** The executor catalogue: the specs the worker lists (the page loads no model code). */
const executorsQuery = queryOptions<ExecutorSpec[], AppError>({
  queryKey: ['executors'],
  queryFn: async () => {
    try {
      return await getSimWorker().listExecutors();
    } catch (e) {
      throw toAppError(e);
    }
  },
  staleTime: Infinity,
  retry: 1,
});

/** The built-in models, then the page model's (src/app/editor), once one is registered. */
export function useExecutors(): UseQueryResult<ExecutorSpec[], AppError> {
  const q = useQuery(executorsQuery);
  const own = useModelHost((s) => s.active?.specs);
  return useMemo(() => (own && q.data ? ({ ...q, data: [...q.data, ...own] } as typeof q) : q), [q, own]);
}

/**
 * The same catalogue as a promise, for work started outside rendering (a link
 * opened on load, a dropped record.json): it resolves once the worker has
 * answered, from the same cache as useExecutors().
 */
export function useExecutorSpecs(): () => Promise<ExecutorSpec[]> {
  const client = useQueryClient();
  return useCallback(
    () => client.ensureQueryData(executorsQuery).then((list) => [...list, ...(useModelHost.getState().active?.specs ?? [])]),
    [client],
  );
}

/** A manifest entry's `inputs` (parameter → bundled file name), only well-formed names kept. */
function manifestInputs(raw: unknown): Record<string, string> | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (/^[a-z][a-z0-9_]*$/.test(k) && typeof v === 'string' && /^[\w.-]+$/.test(v)) out[k] = v;
  return Object.keys(out).length ? out : null;
}

function parseManifest(raw: unknown): SampleEntry[] {
  if (!Array.isArray(raw)) throw new AppError({ name: 'FormatError', code: 'format', message: 'samples/index.json is not a list.' });
  const out: SampleEntry[] = [];
  for (const e of raw) {
    if (typeof e !== 'object' || e === null) continue;
    const o = e as Record<string, unknown>;
    if (typeof o.file !== 'string' || !/^[\w.-]+$/.test(o.file)) continue;
    out.push({
      file: o.file,
      title: typeof o.title === 'string' ? o.title : o.file,
      ...(typeof o.description === 'string' ? { description: o.description } : {}),
      kind: o.kind === 'vector' ? 'vector' : 'raster',
      models: Array.isArray(o.models) ? o.models.filter((m): m is string => typeof m === 'string') : [],
      ...(manifestInputs(o.inputs) ? { inputs: manifestInputs(o.inputs)! } : {}),
    });
  }
  return out;
}

export function useSampleManifest(): UseQueryResult<SampleEntry[], AppError> {
  return useQuery<SampleEntry[], AppError>({
    queryKey: ['samples-manifest'],
    queryFn: async ({ signal }) => {
      try {
        const bytes = await fetchBytes(new URL('index.json', samplesBaseUrl()).href, { signal });
        return parseManifest(JSON.parse(new TextDecoder().decode(bytes)));
      } catch (e) {
        throw toAppError(e);
      }
    },
    staleTime: Infinity,
    retry: 1,
  });
}

async function readSourceBytes(source: DatasetSource, signal: AbortSignal): Promise<Uint8Array> {
  switch (source.kind) {
    case 'file': {
      if (source.file.size > MAX_INPUT_BYTES) {
        throw new LimitError(`${source.file.name} is ${source.file.size} bytes; the largest input accepted is ${MAX_INPUT_BYTES} bytes.`);
      }
      return new Uint8Array(await source.file.arrayBuffer());
    }
    case 'sample':
      return fetchBytes(new URL(encodeURIComponent(source.file), samplesBaseUrl()).href, { signal, onProgress: progressOf(source.uri) });
    case 'url':
      setLoad(source.uri, 'consent');
      await ensureConsent(source.uri, 'The dataset', signal); // nothing is requested before the person agrees
      setLoad(source.uri, 'fetching');
      return fetchBytes(source.uri, { signal, onProgress: progressOf(source.uri) });
  }
}

const progressOf = (uri: string) => (loaded: number, total: number | null) => setLoad(uri, 'fetching', loaded, total);

/** Rejects when `signal` aborts (Cancel): the worker's parse cannot be stopped, its answer is dropped. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const stop = () => reject(new DOMException('The load was cancelled.', 'AbortError'));
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}

export async function loadDataset(source: DatasetSource, signal: AbortSignal): Promise<LoadedDataset> {
  try {
    const bytes = await readSourceBytes(source, signal);
    setLoad(source.uri, 'parsing', bytes.length, bytes.length);
    // The worker gets a copy (transferred); the page keeps the original for runs.
    const r = await Promise.race([getSimWorker().inspect(source.uri, bytes.slice()), untilAborted(signal)]);
    if (!r.ok) throw new AppError(r.error);
    // A vector's cells are reprojected for the map here, in tasks, not in the render that draws them.
    if (r.dataset.kind === 'vector') {
      if (r.geometryKey) knownGeometryKey(r.dataset, r.geometryKey);
      if (r.geometryKey && r.mesh) rememberMesh(r.geometryKey, r.mesh);
      await prepareVectorPlacement(r.dataset);
    }
    return { source, bytes, summary: r.summary, dataset: r.dataset };
  } catch (e) {
    throw toAppError(e);
  } finally {
    clearLoad(source.uri);
  }
}

export function datasetQueryKey(source: DatasetSource | null): unknown[] {
  return ['dataset', source?.kind ?? 'none', source?.uri ?? '', source?.id ?? 0];
}

export function useDataset(source: DatasetSource | null): UseQueryResult<LoadedDataset, AppError> {
  return useQuery<LoadedDataset, AppError>({
    queryKey: datasetQueryKey(source),
    queryFn: ({ signal }) => loadDataset(source!, signal),
    enabled: source !== null,
    staleTime: Infinity,
    gcTime: 30_000,
    // Only a network failure is worth another try; a bad file stays bad.
    retry: (count, err) => err.code === 'network' && count < 1,
    retryDelay: 500,
  });
}
