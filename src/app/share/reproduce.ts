/**
 * Re-running an experiment from a share link or a record.json: decode (as
 * untrusted input), find the input bytes — embedded, a bundled sample, a URL,
 * a bundled sample with the recorded SHA-256, or a file the user provides —
 * check their SHA-256 BEFORE running, restore the form, run through the same
 * run service as the Run button, and compare output checksums.
 */
import { describeError } from '../../executor/errors.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import { inferExecutor, replayRecord, verdict } from '../../executor/reproduce.ts';
import { parseRecordJson, type ExperimentRecord } from '../../executor/record.ts';
import { fetchBytes } from '../../io/fetch.ts';
import { sha256HexAsync } from '../../io/sha256.ts';
import { decodeShareLink, recordFromExperiment } from '../../io/share-link.ts';
import { resolveUri } from '../../io/uri.ts';
import '../../models/index.ts';
import { CODE_VERSION } from '../../version.ts';
import { samplesBaseUrl, type SampleEntry } from '../data/queries.ts';
import { runExperiment } from '../run/run-service.ts';
import { getSimWorker } from '../run/worker-instance.ts';
import { useWorkbench, type FormValue } from '../store.ts';
import { useReproduce } from './state.ts';

/** What a re-run needs: the record to run and what the original produced. */
export interface Replay {
  record: ExperimentRecord;
  expectedInputSha: string;
  expectedOutputSha: string;
  originalCodeVersion: string;
  embedded: Uint8Array | null;
  /** Human name of the input (for asking the user). */
  inputName: string;
  origin: string;
}

export function replayFromLink(fragment: string): Replay {
  const exp = decodeShareLink(fragment);
  return {
    record: recordFromExperiment(exp),
    expectedInputSha: exp.source?.sha256 ?? '',
    expectedOutputSha: exp.expected_output_sha256,
    originalCodeVersion: exp.code_version,
    embedded: exp.embedded,
    inputName: exp.source?.name || exp.source?.uri || '',
    origin: 'share link',
  };
}

export function replayFromRecordJson(text: string, fileName: string): Replay {
  const original = parseRecordJson(text);
  const cls = inferExecutor(original);
  const record = replayRecord(original, cls, CODE_VERSION);
  record.model_commit = 'workbench';
  return {
    record,
    expectedInputSha: original.source.checksum,
    expectedOutputSha: original.artifacts.output ?? '',
    originalCodeVersion: original.code_version,
    embedded: null,
    inputName: original.source.uri.split(/[\\/]/).pop() ?? '',
    origin: `record ${fileName}`,
  };
}

async function bundledSampleWithSha(sha: string): Promise<{ file: string; bytes: Uint8Array } | null> {
  const manifest = JSON.parse(new TextDecoder().decode(await fetchBytes(new URL('index.json', samplesBaseUrl()).href))) as SampleEntry[];
  for (const s of manifest) {
    const bytes = await fetchBytes(new URL(encodeURIComponent(s.file), samplesBaseUrl()).href);
    if ((await sha256HexAsync(bytes)) === sha) return { file: s.file, bytes };
  }
  return null;
}

/** The input bytes for a replay, or null when the user must provide the file. Updates the record's source URI. */
async function obtainInput(r: Replay): Promise<Uint8Array | null> {
  const uri = r.record.source.uri;
  if (r.embedded) {
    r.record.source.uri = `file:${r.inputName || 'embedded input'}`;
    r.record.source.type = 'file';
    return r.embedded;
  }
  const where = resolveUri(uri);
  if (where.kind === 'sample') return fetchBytes(new URL(encodeURIComponent(where.name), samplesBaseUrl()).href);
  if (where.kind === 'http') return fetchBytes(where.url);
  if (r.expectedInputSha) {
    const sample = await bundledSampleWithSha(r.expectedInputSha);
    if (sample) {
      r.record.source.uri = `sample:${sample.file}`;
      r.record.source.type = 'sample';
      return sample.bytes;
    }
  }
  return null;
}

/** Restore the form: model, parameters (as form text), field map, and the dataset shown on the map. */
function restoreForm(r: Replay, bytes: Uint8Array | null): void {
  const st = useWorkbench.getState();
  const spec = ExecutorRegistry.get(r.record.model_name).spec;
  st.selectModel(spec);
  for (const k of Object.keys(spec.params)) {
    const v = r.record.parameters[k];
    if (v === undefined || v === null) continue;
    st.setFormValue(k, (typeof v === 'boolean' ? v : String(v)) as FormValue);
  }
  const uri = r.record.source.uri;
  if (bytes && uri) {
    if (uri.startsWith('sample:')) st.setSource({ kind: 'sample', uri, file: uri.slice(7), id: Date.now() });
    else if (/^https?:/i.test(uri)) st.setSource({ kind: 'url', uri, id: Date.now() });
    else {
      const name = uri.replace(/^file:/, '');
      st.setSource({ kind: 'file', uri: `file:${name}`, file: new File([bytes as BlobPart], name), id: Date.now() });
      r.record.source.uri = `file:${name}`;
    }
  }
  const map = { ...r.record.band_map, ...r.record.column_map };
  for (const [canonical, real] of Object.entries(map)) useWorkbench.getState().setFieldMap(canonical, real);
}

async function runReplay(r: Replay, bytes: Uint8Array | null): Promise<void> {
  const rs = useReproduce.getState();
  if (bytes && r.expectedInputSha) {
    const got = await sha256HexAsync(bytes);
    if (got !== r.expectedInputSha) {
      rs.set({ busy: false, error: `The input is not the recorded one: its SHA-256 is ${got}, the ${r.origin} expects ${r.expectedInputSha}. Nothing was run.` });
      return;
    }
  }
  restoreForm(r, bytes);
  const st = useWorkbench.getState();
  const id = st.startRun(r.record.model_name);
  const outcome = await runExperiment(getSimWorker(), r.record, {
    inputs: bytes ? [{ uri: r.record.source.uri, bytes }] : [],
    keepFrames: st.keepFrames,
    onProgress: (p) => useWorkbench.getState().progress(id, p),
  });
  useWorkbench.getState().finishRun(id, outcome);
  if (!outcome.response?.output) {
    rs.set({ busy: false, error: `The re-run did not complete: ${outcome.error?.message ?? outcome.status}.` });
    return;
  }
  rs.set({ busy: false, verdict: verdict(r.expectedOutputSha, outcome.response.output.sha256, r.originalCodeVersion, CODE_VERSION) });
}

/** Start a replay: run now, or wait for the user to provide the input file. */
export async function startReplay(make: () => Replay): Promise<void> {
  const rs = useReproduce.getState();
  rs.set({ origin: null, verdict: null, error: null, pending: null, busy: true });
  let r: Replay;
  try {
    r = make();
  } catch (e) {
    rs.set({ busy: false, error: describeError(e) });
    return;
  }
  rs.set({ origin: r.origin });
  try {
    const needsInput = !ExecutorRegistry.get(r.record.model_name).spec.inputs.includes('none') || !!r.record.source.uri;
    const bytes = needsInput ? await obtainInput(r) : null;
    if (needsInput && !bytes) {
      restoreForm(r, null);
      rs.set({
        busy: false,
        pending: {
          name: r.inputName,
          sha256: r.expectedInputSha,
          accept: (b, name) => {
            r.record.source.uri = `file:${name}`;
            r.record.source.type = 'file';
            useReproduce.getState().set({ pending: null, busy: true });
            void runReplay(r, b);
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
