/**
 * Re-running an experiment from a share link or a record.json: decode (as
 * untrusted input), find the input bytes — embedded, a bundled sample, a URL,
 * a bundled sample with the recorded SHA-256, or a file the user provides —
 * check their SHA-256 BEFORE running, restore the form, run through the same
 * run service as the Run button, and compare output checksums. Models are
 * known by the specs the worker lists (no model code runs on the page).
 */
import { specNamed } from '../../executor/catalogue.ts';
import { describeError, RecordError } from '../../executor/errors.ts';
import type { ExecutorSpec } from '../../executor/executor.ts';
import { unknownParams } from '../../executor/params.ts';
import { describeDefaults, dissmodelDefaultsFor, inferSpec, recordedInputs, replayRecord, verdict } from '../../executor/reproduce.ts';
import { parseRecordJson, type ExperimentRecord } from '../../executor/record.ts';
import { fetchBytes } from '../../io/fetch.ts';
import { ensureConsent } from '../consent/consent.ts';
import { clearLoad, setLoad } from '../data/load-progress.ts';
import { sha256HexAsync } from '../../io/sha256.ts';
import { decodeShareLink, recordFromExperiment } from './share-link.ts';
import { resolveUri } from '../../io/uri.ts';
import { CODE_VERSION } from '../../version.ts';
import { uriDisplayName } from '../../worker/protocol.ts';
import { samplesBaseUrl, type SampleEntry } from '../data/queries.ts';
import { runExperiment } from '../run/run-service.ts';
import { workerFor } from '../editor/model-host.ts';
import { defaultFormValue, useWorkbench, type FormValue } from '../store.ts';
import { useReproduce } from './state.ts';

/** Largest record.json read from a dropped or picked file. */
export const MAX_RECORD_FILE_BYTES = 4 * 1024 * 1024;

/** What a re-run needs: the record to run and what the original produced. */
export interface Replay {
  record: ExperimentRecord;
  /** The model that re-runs it. */
  spec: ExecutorSpec;
  expectedInputSha: string;
  expectedOutputSha: string;
  originalCodeVersion: string;
  embedded: Uint8Array | null;
  /** Human name of the input (for asking the user). */
  inputName: string;
  origin: string;
  /** Parameters the original carried that the model does not know (kept in the record, not used). */
  ignored: string[];
  /** Parameters a DisSModel record leaves out, filled with DisSModel's executor defaults ("taxa_elevacao = 0.5, …"). */
  defaulted?: string;
  /** The extra inputs (a demand CSV…) with the checksums the original recorded. */
  extraInputs: { param: string; uri: string; sha256: string }[];
}

export function replayFromLink(fragment: string, specs: readonly ExecutorSpec[]): Replay {
  const exp = decodeShareLink(fragment, specs);
  const spec = specNamed(specs, exp.model);
  return {
    record: recordFromExperiment(exp),
    spec,
    expectedInputSha: exp.source?.sha256 ?? '',
    expectedOutputSha: exp.expected_output_sha256,
    originalCodeVersion: exp.code_version,
    embedded: exp.embedded,
    inputName: exp.source?.name || (exp.source ? uriDisplayName(exp.source.uri) : ''),
    origin: 'share link',
    ignored: unknownParams(spec.params, exp.parameters),
    extraInputs: exp.extra_inputs ?? [],
  };
}

export function replayFromRecord(original: ExperimentRecord, origin: string, specs: readonly ExecutorSpec[]): Replay {
  const spec = inferSpec(original, specs);
  return {
    record: replayRecord(original, spec, CODE_VERSION),
    spec,
    expectedInputSha: original.source.checksum,
    expectedOutputSha: original.artifacts.output ?? '',
    originalCodeVersion: original.code_version,
    embedded: null,
    inputName: original.source.uri ? uriDisplayName(original.source.uri) : '',
    origin,
    ignored: unknownParams(spec.params, original.parameters),
    defaulted: describeDefaults(dissmodelDefaultsFor(original, spec)),
    extraInputs: recordedInputs(original, spec).flatMap((i) =>
      i.param === null ? [] : [{ param: i.param, uri: i.uri, sha256: i.sha256 }],
    ),
  };
}

export function replayFromRecordJson(text: string, fileName: string, specs: readonly ExecutorSpec[]): Replay {
  return replayFromRecord(parseRecordJson(text), `record ${fileName}`, specs);
}

/** Whether JSON text looks like an ExperimentRecord (rather than a GeoJSON dataset). */
export function looksLikeRecord(text: string): boolean {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) && 'experiment_id' in v && 'model_name' in v && 'parameters' in v;
  } catch {
    return false;
  }
}

/** Read a dropped or picked record.json (bounded) and re-run it with the worker's models. */
export async function replayRecordFile(file: File, specs: Promise<readonly ExecutorSpec[]>): Promise<void> {
  if (file.size > MAX_RECORD_FILE_BYTES) {
    return startReplay(() => {
      throw new RecordError(`${file.name} is ${file.size} bytes; a record.json is at most ${MAX_RECORD_FILE_BYTES} bytes.`);
    }, specs);
  }
  const text = await file.text();
  return startReplay((list) => replayFromRecordJson(text, file.name, list), specs);
}

/** The bundled samples, those listed for `model` first. */
async function sampleManifest(model: string): Promise<SampleEntry[]> {
  const raw = JSON.parse(new TextDecoder().decode(await fetchBytes(new URL('index.json', samplesBaseUrl()).href))) as unknown;
  if (!Array.isArray(raw)) return [];
  const list = raw.filter(
    (e): e is SampleEntry =>
      typeof e === 'object' && e !== null && typeof (e as SampleEntry).file === 'string' && /^[\w.-]+$/.test((e as SampleEntry).file),
  );
  const forModel = (e: SampleEntry) => (Array.isArray(e.models) && e.models.includes(model) ? 0 : 1);
  return [...list].sort((a, b) => forModel(a) - forModel(b));
}

/** A bundled sample whose bytes have this SHA-256 (samples are small: hashed on demand). */
async function bundledSampleWithSha(sha: string, model: string): Promise<{ file: string; bytes: Uint8Array } | null> {
  for (const s of await sampleManifest(model)) {
    let bytes: Uint8Array;
    try {
      bytes = await fetchBytes(new URL(encodeURIComponent(s.file), samplesBaseUrl()).href);
    } catch {
      continue;
    }
    if ((await sha256HexAsync(bytes)) === sha) return { file: s.file, bytes };
  }
  return null;
}

/** Aborts the input download of the replay in progress (the banner's Cancel). */
let inputAbort: AbortController | null = null;
export function cancelReplayInput(): void {
  inputAbort?.abort();
}

/** The input bytes for a replay, or null when the user must provide the file. Updates the record's source URI. */
async function obtainInput(r: Replay, signal: AbortSignal): Promise<Uint8Array | null> {
  const uri = r.record.source.uri;
  if (r.embedded) {
    r.record.source.uri = `file:${r.inputName || 'embedded-input'}`;
    r.record.source.type = 'file';
    return r.embedded;
  }
  const where = uri ? resolveUri(uri) : null;
  if (where?.kind === 'sample') {
    // Only a sample the manifest lists (a made-up name would fetch whatever the server answers, e.g. the page itself).
    const listed = (await sampleManifest(r.record.model_name)).some((s) => s.file === where.name);
    if (!listed)
      throw new RecordError(
        `The ${r.origin} names the bundled sample '${where.name.slice(0, 80)}', which this workbench does not have; nothing was run.`,
      );
    return fetchBytes(new URL(encodeURIComponent(where.name), samplesBaseUrl()).href, { signal });
  }
  if (where?.kind === 'http') {
    // progress is kept under the record's URI, which the banner shows
    setLoad(uri, 'consent');
    try {
      await ensureConsent(where.url, `The ${r.origin}`, signal); // nothing is requested before the person agrees
      setLoad(uri, 'fetching');
      return await fetchBytes(where.url, { signal, onProgress: (loaded, total) => setLoad(uri, 'fetching', loaded, total) });
    } finally {
      clearLoad(uri);
    }
  }
  // A dropped file or a local path (e.g. DisSModel's inputs/coast_10x14.tif): a bundled sample with the same bytes will do.
  if (r.expectedInputSha) {
    const sample = await bundledSampleWithSha(r.expectedInputSha, r.record.model_name);
    if (sample) {
      r.record.source.uri = `sample:${sample.file}`;
      r.record.source.type = 'sample';
      return sample.bytes;
    }
  }
  return null;
}

/** Restore every parameter of the form: the record's value, else the schema's default. */
function restoreParams(record: ExperimentRecord, spec: ExecutorSpec): void {
  const st = useWorkbench.getState();
  st.selectModel(spec);
  for (const [k, p] of Object.entries(spec.params)) {
    const v = record.parameters[k];
    const value: FormValue =
      v === undefined || v === null
        ? defaultFormValue(p)
        : typeof v === 'boolean'
          ? v
          : typeof v === 'number' || typeof v === 'string'
            ? String(v)
            : JSON.stringify(v);
    useWorkbench.getState().setFormValue(k, value);
  }
  useWorkbench.getState().setFormErrors({});
}

function restoreFieldMap(record: ExperimentRecord): void {
  const map = { ...record.band_map, ...record.column_map };
  for (const [canonical, real] of Object.entries(map)) useWorkbench.getState().setFieldMap(canonical, real);
}

/**
 * Restore the form from a record of the model `spec`: model, parameters, the
 * dataset (a bundled sample or URL is re-opened; a dropped file only when its
 * bytes are given) and the band/column map. Returns a note when the dataset
 * could not be restored.
 */
export function restoreForm(record: ExperimentRecord, spec: ExecutorSpec, bytes: Uint8Array | null = null): string | null {
  restoreParams(record, spec);
  const st = useWorkbench.getState();
  const uri = record.source.uri;
  let note: string | null = null;
  if (uri) {
    const where = resolveUri(uri);
    if (where.kind === 'sample') st.setSource({ kind: 'sample', uri, file: where.name, id: Date.now() });
    else if (where.kind === 'http') st.setSource({ kind: 'url', uri, id: Date.now() });
    else if (bytes) {
      const name = uriDisplayName(uri);
      st.setSource({ kind: 'file', uri: `file:${name}`, file: new File([bytes as BlobPart], name), id: Date.now() });
    } else note = `The input ${uriDisplayName(uri)} was a local file: drop it again to run with it.`;
  }
  restoreFieldMap(record);
  return note;
}

/**
 * The extra inputs of a replay, each checked against its recorded SHA-256: a bundled
 * sample or an http(s) URL is fetched; a local file must be the one in the dataset
 * panel's drop zone (the same bytes). They are shown in their drop zones too.
 */
async function obtainExtraInputs(r: Replay): Promise<{ uri: string; bytes: Uint8Array }[]> {
  const out: { uri: string; bytes: Uint8Array }[] = [];
  for (const e of r.extraInputs) {
    const title = r.spec.extraInputs?.find((x) => x.param === e.param)?.title ?? e.param;
    const given = useWorkbench.getState().extras[e.param];
    let bytes: Uint8Array;
    const where = resolveUri(e.uri);
    if (given && given.sha256 === e.sha256) bytes = given.bytes;
    else if (where.kind === 'sample') bytes = await fetchBytes(new URL(encodeURIComponent(where.name), samplesBaseUrl()).href);
    else if (where.kind === 'http') bytes = await fetchBytes(e.uri);
    else
      throw new Error(
        `${title[0].toUpperCase() + title.slice(1)} was a local file (${uriDisplayName(e.uri)}, sha256 ${e.sha256}): drop it in the dataset panel, then re-run.`,
      );
    const got = await sha256HexAsync(bytes);
    if (got !== e.sha256)
      throw new Error(
        `${title[0].toUpperCase() + title.slice(1)} (${e.uri}) is not the recorded one: its SHA-256 is ${got}, the ${r.origin} expects ${e.sha256}.`,
      );
    useWorkbench
      .getState()
      .setExtra(e.param, { uri: e.uri, name: uriDisplayName(e.uri), bytes, sha256: got, fromSample: where.kind === 'sample' });
    out.push({ uri: e.uri, bytes });
  }
  return out;
}

async function runReplay(r: Replay, bytes: Uint8Array | null): Promise<void> {
  const rs = useReproduce.getState();
  if (bytes && r.expectedInputSha) {
    const got = await sha256HexAsync(bytes);
    if (got !== r.expectedInputSha) {
      rs.set({
        busy: false,
        error: `The input is not the recorded one: its SHA-256 is ${got}, the ${r.origin} expects ${r.expectedInputSha}. Nothing was run.`,
      });
      return;
    }
  }
  let extras: { uri: string; bytes: Uint8Array }[];
  try {
    extras = await obtainExtraInputs(r);
  } catch (e) {
    rs.set({ busy: false, error: `${describeError(e)} Nothing was run.` });
    return;
  }
  restoreForm(r.record, r.spec, bytes);
  const st = useWorkbench.getState();
  if (st.run.status === 'running') {
    rs.set({ busy: false, error: 'A run is in progress: cancel it or wait for it to end, then re-run.' });
    return;
  }
  const id = st.startRun(r.record.model_name);
  const outcome = await runExperiment(workerFor(r.record.model_name), r.record, {
    inputs: [...(bytes ? [{ uri: r.record.source.uri, bytes }] : []), ...extras],
    keepFrames: st.keepFrames,
    onProgress: (p) => useWorkbench.getState().progress(id, p),
  });
  // The verdict goes first, so whoever records the finished run (the history) sees it.
  const v = outcome.response?.output
    ? verdict(r.expectedOutputSha, outcome.response.output.sha256, r.originalCodeVersion, CODE_VERSION)
    : null;
  if (v) {
    const out = outcome.response!.output!;
    rs.set({
      busy: false,
      verdict: v,
      runId: outcome.response?.record.experiment_id ?? null,
      rerunOutput: v.kind === 'differs' ? { bytes: out.bytes, name: out.name } : null,
    });
  }
  useWorkbench.getState().finishRun(id, outcome);
  if (!v) rs.set({ busy: false, error: `The re-run did not complete: ${outcome.error?.message ?? outcome.status}.` });
}

/**
 * Start a replay: run now, or wait for the user to provide the input file.
 * `make` builds it from the worker's specs (`specs`, e.g. useExecutorSpecs()()).
 */
export async function startReplay(
  make: (specs: readonly ExecutorSpec[]) => Replay,
  specs: Promise<readonly ExecutorSpec[]>,
): Promise<void> {
  const rs = useReproduce.getState();
  rs.set({
    origin: null,
    verdict: null,
    error: null,
    pending: null,
    busy: true,
    ignored: [],
    runId: null,
    rerunOutput: null,
    defaulted: '',
    loadingInput: null,
  });
  let list: readonly ExecutorSpec[];
  try {
    list = await specs;
  } catch (e) {
    rs.set({ busy: false, error: `The models could not be listed by the simulation worker: ${describeError(e)}` });
    return;
  }
  let r: Replay;
  try {
    r = make(list);
  } catch (e) {
    rs.set({ busy: false, error: describeError(e) });
    return;
  }
  rs.set({ origin: r.origin, ignored: r.ignored, defaulted: r.defaulted ?? '' });
  if (useWorkbench.getState().run.status === 'running') {
    rs.set({ busy: false, error: 'A run is in progress: cancel it or wait for it to end, then re-run.' });
    return;
  }
  try {
    const needsInput = !!r.record.source.uri || !!r.embedded || !r.spec.inputs.includes('none');
    const abort = new AbortController();
    inputAbort = abort;
    rs.set({ loadingInput: r.embedded ? null : r.record.source.uri || null });
    let bytes: Uint8Array | null;
    try {
      bytes = needsInput ? await obtainInput(r, abort.signal) : null;
    } catch (e) {
      if (abort.signal.aborted) {
        rs.set({ busy: false, error: `Cancelled: the input of the ${r.origin} was not loaded; nothing was run.` });
        return;
      }
      throw e;
    } finally {
      if (inputAbort === abort) inputAbort = null;
      rs.set({ loadingInput: null });
    }
    if (needsInput && !bytes) {
      restoreForm(r.record, r.spec, null);
      rs.set({
        busy: false,
        pending: {
          name: r.inputName,
          sha256: r.expectedInputSha,
          accept: (b, name) => {
            r.record.source.uri = `file:${name}`;
            r.record.source.type = 'file';
            useReproduce.getState().set({ pending: null, busy: true });
            void runReplay(r, b).catch((e: unknown) =>
              useReproduce.getState().set({ busy: false, error: `Could not re-run the ${r.origin}: ${describeError(e)}` }),
            );
          },
        },
      });
      return;
    }
    await runReplay(r, bytes);
  } catch (e) {
    rs.set({ busy: false, error: `Could not re-run the ${r.origin}: ${describeError(e)}` });
  }
}
