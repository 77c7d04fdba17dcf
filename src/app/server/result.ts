/**
 * A completed server job as the page shows a local run: the output downloaded
 * and its SHA-256 checked against the server's output_sha256 (and the record's)
 * before anything is shown; the record is the server's record.json, byte for
 * byte; the output is decoded for the map by the same worker that reads
 * datasets (a GeoTIFF or vector output) or read as the model's CSV table.
 * A server run has no per-step frames or live series: the map shows the final state.
 */
import type { ExecutorSpec } from '../../executor/executor.ts';
import type { Timings } from '../../executor/lifecycle.ts';
import { getOutputSha256, parseRecordJson } from '../../executor/record.ts';
import { sha256HexAsync } from '../../io/sha256.ts';
import { emptySeries, type SimOutput, type TableData } from '../../sim/output.ts';
import type { SimWorker } from '../../worker/client.ts';
import { uriDisplayName, type RunResponse } from '../../worker/protocol.ts';
import { ServerError, type ServerApi, type ServerJob } from './api.ts';

const MEDIA: Record<string, string> = {
  tif: 'image/tiff',
  tiff: 'image/tiff',
  geojson: 'application/geo+json',
  json: 'application/json',
  csv: 'text/csv',
};
const extOf = (name: string) => name.slice(name.lastIndexOf('.') + 1).toLowerCase();

/** The model's CSV table (header, then numbers; nan / inf / -inf as pandas writes them). */
export function parseTableCsv(text: string): TableData {
  const lines = text.split('\n').filter((l) => l !== '');
  if (lines.length === 0) throw new ServerError('The output table is empty.', 0);
  const columns = lines[0].split(',');
  const value = (s: string): number => (s === 'nan' ? Number.NaN : s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s));
  const rows = lines.slice(1).map((l) => l.split(',').map(value));
  return { columns, rows };
}

/** The output as the map and results panel draw it (no frames: the final state); a map layer needs the worker. */
export async function decodeOutput(
  name: string,
  bytes: Uint8Array,
  spec: ExecutorSpec | null,
  worker: SimWorker | null,
): Promise<SimOutput | undefined> {
  if (extOf(name) === 'csv') {
    const table = parseTableCsv(new TextDecoder().decode(bytes));
    return { kind: 'table', table, series: emptySeries() };
  }
  if (!worker || (extOf(name) !== 'tif' && extOf(name) !== 'tiff' && extOf(name) !== 'geojson')) return undefined;
  const r = await worker.inspect(name, bytes.slice());
  if (!r.ok) throw new ServerError(`The server's output ${name} could not be read for the map: ${r.error.message}`, 0);
  const ds = r.dataset;
  if (ds.kind === 'raster') {
    const layer = ds.bands.find((b) => b.name === spec?.displayLayer)?.name ?? ds.bands[0]?.name ?? '';
    return { kind: 'raster', dataset: ds, layer, frames: [], series: emptySeries() };
  }
  const wanted = [spec?.displayLayer, ...(spec?.columns ?? []).map((c) => c.name)].find((c) => c && ds.columns.includes(c));
  return { kind: 'vector', dataset: ds, layer: wanted ?? ds.columns[0] ?? '', frames: [], series: emptySeries() };
}

function timingsOf(metrics: Record<string, unknown>): Timings {
  const t: Record<string, number> = {};
  for (const [k, v] of Object.entries(metrics)) if (/^time_\w+_sec$/.test(k) && typeof v === 'number') t[k] = v;
  return t as Timings;
}

/**
 * Download a completed job's artefacts and check them: the output's SHA-256
 * must be the job's output_sha256 and the record's; otherwise nothing is shown.
 */
export async function fetchServerResult(
  api: ServerApi,
  job: ServerJob,
  spec: ExecutorSpec | null,
  worker: SimWorker | null,
  signal?: AbortSignal,
): Promise<RunResponse> {
  if (!job.output_path || !job.output_sha256 || !job.record_path)
    throw new ServerError(`The server reports experiment ${job.experiment_id} completed but lists no output or record.`, 0);
  const bytes = await api.download(job.output_path, signal);
  const sha = await sha256HexAsync(bytes);
  if (sha !== job.output_sha256)
    throw new ServerError(
      `The output downloaded from the server has SHA-256 ${sha}, the server says ${job.output_sha256}: it is not shown.`,
      0,
    );
  const recordJson = new TextDecoder().decode(await api.download(job.record_path, signal));
  const record = parseRecordJson(recordJson);
  if (getOutputSha256(record) !== sha)
    throw new ServerError(`The server's record.json names output SHA-256 ${getOutputSha256(record)}, the output has ${sha}.`, 0);
  const name = uriDisplayName(job.output_path);
  let profiling: RunResponse['profiling'];
  if (job.profiling_path) {
    const md = await api.download(job.profiling_path, signal);
    profiling = { markdown: new TextDecoder().decode(md), name: uriDisplayName(job.profiling_path), sha256: await sha256HexAsync(md) };
  }
  // Without a worker (a sweep), only a table is decoded (its last row gives the sweep's metrics).
  const display = await decodeOutput(name, bytes, spec, worker);
  return {
    record,
    recordJson,
    status: record.status,
    timings: timingsOf(record.metrics),
    output: { bytes, name, mediaType: MEDIA[extOf(name)] ?? 'application/octet-stream', sha256: sha },
    ...(profiling ? { profiling } : {}),
    ...(display ? { display } : {}),
  };
}
