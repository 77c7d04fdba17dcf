/**
 * Download bytes with fetch (browser, worker and Node alike): size limit, progress,
 * connect and idle time-outs, and typed errors for HTTP errors, redirect loops, broken,
 * stalled and incomplete downloads.
 */
import type { ReadOptions } from '../executor/context.ts';
import { LimitError, NetworkError } from '../executor/errors.ts';
import { FETCH_CONNECT_TIMEOUT_MS, FETCH_IDLE_TIMEOUT_MS, MAX_INPUT_BYTES } from './limits.ts';

export interface FetchOptions extends ReadOptions {
  /** Longest wait for the response headers, ms (default FETCH_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
  /** Longest wait for the next bytes of the body, ms (default FETCH_IDLE_TIMEOUT_MS). */
  idleTimeoutMs?: number;
  /** Node only: the undici dispatcher for this request (a server's guarded connector); opaque here. */
  dispatcher?: object;
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** Why fetch() itself failed, in words: Node puts the reason in `cause` ("redirect count exceeded", ECONNREFUSED…). */
function reasonOf(e: unknown): string {
  const err = e as Error & { cause?: { message?: string; code?: string } };
  const cause = err.cause?.message || err.cause?.code;
  if (cause && /redirect/i.test(cause)) return 'too many redirects (the server sends the request round in a loop)';
  return cause ? `${err.message} (${cause})` : err.message;
}

export async function fetchBytes(url: string, options: FetchOptions = {}): Promise<Uint8Array> {
  const connectMs = options.connectTimeoutMs ?? FETCH_CONNECT_TIMEOUT_MS;
  const idleMs = options.idleTimeoutMs ?? FETCH_IDLE_TIMEOUT_MS;
  // One controller aborts the request: the caller's signal (Cancel), or a time-out of ours.
  const ctl = new AbortController();
  let timedOut: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (ms: number, why: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = why;
      ctl.abort();
    }, ms);
  };
  const onAbort = () => ctl.abort();
  if (options.signal?.aborted) ctl.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const cancelled = () => options.signal?.aborted && !timedOut;
  try {
    let res: Response;
    arm(connectMs, `${url} did not answer within ${seconds(connectMs)} (connect time-out)`);
    try {
      res = await fetch(url, { signal: ctl.signal, ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}) } as RequestInit);
    } catch (e) {
      if (cancelled()) throw e;
      if (timedOut) throw new NetworkError(`${timedOut}. Check the address, or try again when the server is reachable.`);
      throw new NetworkError(
        `Could not fetch ${url}: ${reasonOf(e)}. Check the address and your connection; ` +
          `in the browser the server must also allow cross-origin requests (CORS).`,
      );
    }
    // A refused response's body is cancelled: left unread, it keeps the connection (and a
    // CLI process) alive until the server gives up.
    const refuse = async (e: Error): Promise<never> => {
      await res.body?.cancel().catch(() => undefined);
      throw e;
    };
    if (!res.ok) return await refuse(new NetworkError(`${url} answered HTTP ${res.status} ${res.statusText}.`));
    // Content-Length counts the bytes on the wire: with a Content-Encoding (gzip, br, …) fetch
    // hands over the decoded bytes, so the length can only be checked on identity bodies.
    const encoding = (res.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
    const declared = Number(res.headers.get('content-length') ?? NaN);
    const exact = Number.isFinite(declared) && encoding === 'identity' ? declared : null;
    if (Number.isFinite(declared) && declared > MAX_INPUT_BYTES) {
      return await refuse(new LimitError(`${url} is ${declared} bytes; the largest input accepted is ${MAX_INPUT_BYTES} bytes.`));
    }
    const chunks: Uint8Array[] = [];
    let loaded = 0;
    const reader = res.body?.getReader();
    if (!reader) return new Uint8Array(await res.arrayBuffer());
    try {
      for (;;) {
        arm(idleMs, `The download of ${url} stalled: no data for ${seconds(idleMs)} after ${loaded} bytes (idle time-out)`);
        const { done, value } = await reader.read();
        if (done) break;
        loaded += value.byteLength;
        if (loaded > MAX_INPUT_BYTES) throw new LimitError(`${url} exceeds the largest input accepted (${MAX_INPUT_BYTES} bytes).`);
        chunks.push(value);
        options.onProgress?.(loaded, exact);
      }
    } catch (e) {
      await reader.cancel().catch(() => undefined);
      if (e instanceof LimitError || cancelled()) throw e;
      if (timedOut) throw new NetworkError(`${timedOut}.`);
      throw new NetworkError(`The download of ${url} broke off after ${loaded} bytes: ${reasonOf(e)}.`);
    }
    if (exact !== null && loaded !== exact) {
      throw new NetworkError(`The download of ${url} is incomplete: ${loaded} of ${exact} bytes arrived.`);
    }
    const out = new Uint8Array(loaded);
    let off = 0;
    for (const c of chunks) {
      out.set(c, off);
      off += c.byteLength;
    }
    return out;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
