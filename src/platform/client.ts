/**
 * A client of the platform API (this server or DisSModel Platform): what
 * `dissmodel submit/status/fetch` and `sweep --server` use. Requests are bounded
 * in time; errors carry the server's `detail`.
 */
import { NetworkError } from '../executor/errors.ts';
import { fetchBytes } from '../io/fetch.ts';
import type { JobResponse } from './jobs.ts';
import type { JobRequest } from './schemas.ts';

export const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

export class PlatformClient {
  private readonly base: string;

  constructor(
    url: string,
    private readonly apiKey: string,
    private readonly timeoutMs = 30_000,
  ) {
    if (!/^https?:\/\//i.test(url)) throw new NetworkError(`--server must be an http(s):// URL, not '${url}'.`);
    this.base = url.replace(/\/+$/, '');
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: { 'x-api-key': this.apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      throw new NetworkError(`${method} ${this.base}${path} failed: ${err.cause?.code ?? err.message}`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = { detail: text.slice(0, 500) };
    }
    if (!res.ok) {
      const detail = (json as { detail?: unknown }).detail;
      throw new NetworkError(`${method} ${path}: ${res.status} ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`);
    }
    return json as T;
  }

  submit(req: Partial<JobRequest> & { model_name: string; input_dataset: string }): Promise<JobResponse> {
    return this.call('POST', '/submit_job', req);
  }

  job(id: string): Promise<JobResponse> {
    return this.call('GET', `/job/${encodeURIComponent(id)}`);
  }

  cancel(id: string): Promise<{ message: string }> {
    return this.call('DELETE', `/job/${encodeURIComponent(id)}`);
  }

  /** Poll until the job is completed, failed or cancelled. */
  async wait(
    id: string,
    options: { intervalMs?: number; onUpdate?: (j: JobResponse) => void; signal?: AbortSignal } = {},
  ): Promise<JobResponse> {
    for (;;) {
      const j = await this.job(id);
      options.onUpdate?.(j);
      if (TERMINAL.has(j.status)) return j;
      if (options.signal?.aborted) throw new NetworkError('stopped waiting');
      await new Promise((r) => setTimeout(r, options.intervalMs ?? 500));
    }
  }

  /** The bytes behind an s3:// URI the server stores (through its presigned link). */
  async download(uri: string): Promise<Uint8Array> {
    const { url } = await this.call<{ url: string }>('GET', `/download?uri=${encodeURIComponent(uri)}`);
    return fetchBytes(url, { connectTimeoutMs: this.timeoutMs });
  }
}
