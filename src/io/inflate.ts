/**
 * A host's own inflate (zlib / raw deflate), when it has a faster one than fflate: Node's zlib (the CLI,
 * src/cli/node-inflate.ts) or the browser's DecompressionStream (the worker). The core imports no host
 * API; a host hands its implementation to configureInflate. Readers use it as an accelerator only: a
 * stream it inflates completely within the bound gives the bytes fflate would give; anything else
 * (a longer stream, a corrupt one, no host inflate) is decided by the reader's own fflate path, so
 * results and error messages are the same in every host.
 */

/** Inflates `raw` (a zlib stream, or raw deflate) to at most `maxOutput` bytes; null if it cannot (too long, corrupt, unsupported). */
export type HostInflate = (raw: Uint8Array, zlib: boolean, maxOutput: number) => Promise<Uint8Array | null> | Uint8Array | null;

let host: HostInflate | null = null;

/** Set (or, with null, remove) the host's inflate. */
export function configureInflate(inflate: HostInflate | null): void {
  host = inflate;
}

/** The host's inflate, if one was configured. */
export function hostInflate(): HostInflate | null {
  return host;
}
