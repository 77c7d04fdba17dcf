/** Download bytes with fetch (browser, worker and Node alike): size limit, progress, typed errors for HTTP errors, broken and incomplete downloads. */
import type { ReadOptions } from '../executor/context.ts';
import { LimitError, NetworkError } from '../executor/errors.ts';
import { MAX_INPUT_BYTES } from './limits.ts';

export async function fetchBytes(url: string, options: ReadOptions = {}): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url, { signal: options.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new NetworkError(
      `Could not fetch ${url}: ${(e as Error).message}. Check the address and your connection; ` +
        `in the browser the server must also allow cross-origin requests (CORS).`,
    );
  }
  // A refused response's body is cancelled: left unread, it keeps the connection (and a
  // CLI process) alive until the server gives up.
  const refuse = async (e: Error): Promise<never> => {
    await res.body?.cancel().catch(() => undefined);
    throw e;
  };
  if (!res.ok) return refuse(new NetworkError(`${url} answered HTTP ${res.status} ${res.statusText}.`));
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_INPUT_BYTES) {
    return refuse(new LimitError(`${url} is ${declared} bytes; the largest input accepted is ${MAX_INPUT_BYTES} bytes.`));
  }
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = res.body?.getReader();
  if (!reader) return new Uint8Array(await res.arrayBuffer());
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      loaded += value.byteLength;
      if (loaded > MAX_INPUT_BYTES) throw new LimitError(`${url} exceeds the largest input accepted (${MAX_INPUT_BYTES} bytes).`);
      chunks.push(value);
      options.onProgress?.(loaded, Number.isFinite(declared) ? declared : null);
    }
  } catch (e) {
    await reader.cancel().catch(() => undefined);
    if (e instanceof LimitError || (e as Error).name === 'AbortError') throw e;
    throw new NetworkError(`The download of ${url} broke off after ${loaded} bytes: ${(e as Error).message}.`);
  }
  if (Number.isFinite(declared) && loaded !== declared) {
    throw new NetworkError(`The download of ${url} is incomplete: ${loaded} of ${declared} bytes arrived.`);
  }
  const out = new Uint8Array(loaded);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}
