/**
 * Node's zlib as the readers' inflate (src/io/inflate.ts): native, about 5× fflate, and bounded —
 * `maxOutputLength` stops a stream at the size the caller needs, so a decompression bomb costs no
 * more than that; a stream that does not fit, or is corrupt, goes back to the reader's fflate path.
 */
import type * as Zlib from 'node:zlib';
import { configureInflate, type HostInflate } from '../io/inflate.ts';

// Loaded on the first inflate, not with the CLI: `dissmodel list` and `--help` read no raster.
let nodeZlib: typeof Zlib | undefined;

export const nodeInflate: HostInflate = (raw, zlib, maxOutput) => {
  if (maxOutput <= 0) return null;
  try {
    const z = (nodeZlib ??= process.getBuiltinModule('node:zlib'));
    const out = (zlib ? z.inflateSync : z.inflateRawSync)(raw, { maxOutputLength: maxOutput });
    // Its own buffer, as the reader's fflate path returns (typed views of it need an aligned offset).
    return out.byteOffset === 0 && out.buffer.byteLength === out.byteLength ? new Uint8Array(out.buffer) : new Uint8Array(out);
  } catch {
    return null;
  }
};

/** Use Node's zlib in this process's readers. */
export function useNodeInflate(): void {
  configureInflate(nodeInflate);
}
