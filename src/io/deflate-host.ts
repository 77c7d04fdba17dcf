/**
 * A host's own way to deflate a GeoTIFF's strips, when it has a faster one than one thread: the CLI
 * compresses them on worker threads as well (src/cli/node-deflate.ts). The core imports no host API; a
 * host hands its implementation to configureDeflate, and writeGeoTiffAsync (geotiff-write.ts) uses it.
 *
 * The contract is the bytes: strip i of the answer must be exactly `new ZlibEncoder().encode(strips[i])`
 * (zlib-deflate.ts, fflate's level 6), which a host meets by running that same encoder on each strip.
 * Strips are independent zlib streams, so how a host divides them among its threads cannot change the file.
 */

/** The zlib stream of each strip (ZlibEncoder's bytes), or null to let the caller compress them itself. */
export type HostDeflate = (strips: readonly Uint8Array[]) => Promise<Uint8Array[]> | null;

let host: HostDeflate | null = null;

/** Set (or, with null, remove) the host's strip deflate. */
export function configureDeflate(deflate: HostDeflate | null): void {
  host = deflate;
}

/** The host's strip deflate, if one was configured. */
export function hostDeflate(): HostDeflate | null {
  return host;
}
