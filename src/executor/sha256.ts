/**
 * SHA-256 over bytes (DisSModel's ModelExecutor._sha256), as lowercase hex (the form DisSModel stores in
 * `source.checksum` and `artifacts`). Pure: runs in browsers, Web Workers and Node.
 *
 * - `createSha256()` streams over chunks (for files read piece by piece).
 * - `sha256Hex(bytes)` hashes in one call, synchronously (@noble/hashes).
 * - `sha256HexAsync(bytes)` uses the platform's Web Crypto (`crypto.subtle`,
 *   native in browsers and Node >= 20) when present and falls back to @noble/hashes.
 */
import { sha256 } from '@noble/hashes/sha2.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex of bytes (an ArrayBuffer is accepted too). */
export function toHex(bytes: Uint8Array | ArrayBuffer): string {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]];
  return s;
}

export interface Sha256Stream {
  /** Feed the next chunk; chunks may have any length. */
  update(chunk: Uint8Array): void;
  /** Finish and return the lowercase hex digest. The stream cannot be reused afterwards. */
  digestHex(): string;
}

export function createSha256(): Sha256Stream {
  const h = sha256.create();
  let done = false;
  return {
    update(chunk: Uint8Array): void {
      if (done) throw new Error('sha256: update() after digestHex()');
      h.update(chunk);
    },
    digestHex(): string {
      if (done) throw new Error('sha256: digestHex() called twice');
      done = true;
      return toHex(h.digest());
    },
  };
}

/** SHA-256 of the bytes as lowercase hex (synchronous, pure JavaScript). */
export function sha256Hex(bytes: Uint8Array): string {
  return toHex(sha256(bytes));
}

interface SubtleLike {
  digest(algorithm: string, data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
}

function subtle(): SubtleLike | null {
  const c = (globalThis as { crypto?: { subtle?: SubtleLike } }).crypto;
  return c && c.subtle && typeof c.subtle.digest === 'function' ? c.subtle : null;
}

/**
 * A host's own SHA-256 (lowercase hex) that hashes the bytes where they lie — Node's `createHash` in the
 * CLI (src/cli/node-sha256.ts). Web Crypto's digest first copies its whole input (Node and browsers run
 * it off the caller's thread), which for a 200 MB input is 200 MB more at the peak of a load.
 */
export type HostSha256 = (bytes: Uint8Array) => string;

let hostSha256: HostSha256 | null = null;

/** Set (or, with null, remove) the host's SHA-256; it must give what sha256Hex gives. */
export function configureSha256(hash: HostSha256 | null): void {
  hostSha256 = hash;
}

/**
 * SHA-256 of the bytes as lowercase hex: the host's (configureSha256) when it has one, else the native
 * Web Crypto digest when
 * the platform has it (browsers in secure contexts, Web Workers, Node >= 20),
 * else @noble/hashes. Both give identical results.
 */
export async function sha256HexAsync(bytes: Uint8Array): Promise<string> {
  if (hostSha256) return hostSha256(bytes);
  const s = subtle();
  if (s) {
    try {
      // Web Crypto wants an ArrayBuffer-backed view (not a SharedArrayBuffer one).
      const view: Uint8Array<ArrayBuffer> =
        bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
      return toHex(await s.digest('SHA-256', view));
    } catch {
      // e.g. an insecure browser context where subtle exists but refuses: fall through.
    }
  }
  return sha256Hex(bytes);
}
