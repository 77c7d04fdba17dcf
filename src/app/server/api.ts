/**
 * The page's client of a platform server (`dissmodel serve` or DisSModel
 * Platform): the HTTP calls "Run on server" and the server sweep make, with
 * errors worded for the person at the page — the server unreachable (or not
 * allowing this page's origin), a refused key, an unknown model, a refusal
 * with the server's reason. The wire types are the API's (JobResponse).
 */
import { NetworkError } from '../../executor/errors.ts';

/** GET /job/{id}: DisSModel's JobResponse and this server's extensions. */
export interface ServerJob {
  job_id: string;
  experiment_id: string;
  status: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
  model_name: string;
  created_at: string;
  output_path: string | null;
  output_sha256: string | null;
  input_sha256: string | null;
  logs: string[];
  progress?: { phase?: string; step?: number; total?: number } | null;
  attempts?: number;
  record_path?: string | null;
  profiling_path?: string | null;
  error?: string | null;
}

export interface SubmitRequest {
  model_name: string;
  input_dataset: string;
  input_format?: 'auto' | 'raster' | 'vector';
  parameters: Record<string, unknown>;
  column_map: Record<string, string>;
  band_map: Record<string, string>;
  priority?: 'low' | 'normal' | 'high';
  experiment_id?: string;
  input_sha256?: string;
}

export const isTerminal = (status: string): boolean => status === 'completed' || status === 'failed' || status === 'cancelled';

/** A refusal by the server, with its HTTP status (0: not reached). */
export class ServerError extends NetworkError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

export class ServerApi {
  readonly base: string;

  constructor(
    url: string,
    private readonly apiKey: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.base = url.trim().replace(/\/+$/, '');
  }

  private async request(method: string, path: string, body?: BodyInit, json = true, signal?: AbortSignal): Promise<Response> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: { 'x-api-key': this.apiKey, ...(body !== undefined && json ? { 'content-type': 'application/json' } : {}) },
        ...(body === undefined ? {} : { body }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        credentials: 'omit',
      });
    } catch (e) {
      if (signal?.aborted) throw e;
      const why = timeout.aborted ? `no answer within ${this.timeoutMs / 1000} s` : (e as Error).message;
      throw new ServerError(
        `Cannot reach the server at ${this.base} (${why}). Check the URL in Settings → Server, that the server is running, ` +
          `and that it lets this page call it (start it with DISSMODEL_CORS_ORIGINS=${globalThis.location?.origin ?? 'this page’s origin'}).`,
        0,
      );
    }
    if (res.ok) return res;
    let detail: string;
    try {
      const parsed = (await res.json()) as { detail?: unknown };
      detail = typeof parsed.detail === 'string' ? parsed.detail : JSON.stringify(parsed.detail ?? '');
    } catch {
      detail = res.statusText;
    }
    if (res.status === 401)
      throw new ServerError(`The server refused the API key (401: ${detail}). Check the API key in Settings → Server.`, 401);
    if (res.status === 404 && /^Model /.test(detail)) throw new ServerError(`The server does not offer this model (404): ${detail}`, 404);
    if (res.status === 429) throw new ServerError(`The server is busy with this key's jobs (429): ${detail}`, 429);
    throw new ServerError(`${method} ${path.split('?')[0]} was refused (${res.status}): ${detail}`, res.status);
  }

  private async json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const res = await this.request(method, path, body === undefined ? undefined : JSON.stringify(body), true, signal);
    return (await res.json()) as T;
  }

  submit(req: SubmitRequest, signal?: AbortSignal): Promise<ServerJob> {
    return this.json('POST', '/submit_job', req, signal);
  }

  job(id: string, signal?: AbortSignal): Promise<ServerJob> {
    return this.json('GET', `/job/${encodeURIComponent(id)}`, undefined, signal);
  }

  cancel(id: string): Promise<{ message: string }> {
    return this.json('DELETE', `/job/${encodeURIComponent(id)}`);
  }

  /** POST /data/upload: the bytes go to the server's input bucket; returns its s3:// URI and SHA-256. */
  async upload(name: string, bytes: Uint8Array, label = 'workbench', signal?: AbortSignal): Promise<{ uri: string; checksum: string }> {
    const form = new FormData();
    form.set('label', label);
    form.set('file', new Blob([bytes as BlobPart]), name);
    const res = await this.request('POST', '/data/upload', form, false, signal);
    return (await res.json()) as { uri: string; checksum: string };
  }

  /** The bytes behind an s3:// URI of the server's store, through the API (GET /download?proxy=true). */
  async download(uri: string, signal?: AbortSignal): Promise<Uint8Array> {
    const res = await this.request('GET', `/download?proxy=true&uri=${encodeURIComponent(uri)}`, undefined, true, signal);
    return new Uint8Array(await res.arrayBuffer());
  }
}
