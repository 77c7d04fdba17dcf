/**
 * The browser's native inflate (DecompressionStream) as the readers' host inflate (src/io/inflate.ts),
 * bounded: reading stops, and the stream is cancelled, as soon as it gives more than the bytes asked
 * for, so a decompression bomb costs at most that plus one chunk. Anything it cannot inflate
 * completely within the bound is null, and the reader's fflate path decides.
 */
import type { HostInflate } from '../io/inflate.ts';

export const streamInflate: HostInflate = async (raw, zlib, maxOutput) => {
  if (maxOutput <= 0 || typeof DecompressionStream === 'undefined') return null;
  const out = new Uint8Array(maxOutput);
  let o = 0;
  const stream = new Blob([raw as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream(zlib ? 'deflate' : 'deflate-raw'));
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (o + value.length > maxOutput) {
        await reader.cancel().catch(() => undefined);
        return null;
      }
      out.set(value, o);
      o += value.length;
    }
  } catch {
    return null;
  }
  return o === maxOutput ? out : out.subarray(0, o);
};
