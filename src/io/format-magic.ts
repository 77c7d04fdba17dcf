/**
 * The first bytes that tell a ZIP archive and a FlatGeobuf file apart, without their readers: dataset.ts
 * detects the format from these and imports the reader only for a file that needs it (the FlatGeobuf and
 * ZIP readers load flatbuffers, flatgeobuf and fflate, which a GeoTIFF or GeoJSON run never uses).
 */

/** FlatGeobuf's magic bytes ('fgb', major version 3, 'fgb'; the eighth, the patch level, is not checked). */
const FLATGEOBUF_MAGIC = [0x66, 0x67, 0x62, 3, 0x66, 0x67, 0x62];

export function isFlatGeobuf(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && FLATGEOBUF_MAGIC.every((b, i) => bytes[i] === b);
}

/** True when `bytes` start with a ZIP local-file or empty-archive signature. */
export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6)
  );
}
