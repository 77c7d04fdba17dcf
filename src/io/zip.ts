/**
 * A bounded ZIP reader for the containers datasets come in (a zipped Shapefile).
 *
 * Reads the central directory, refuses what is unsafe or unreadable before anything is
 * inflated — member names that climb out of the archive (`../`, absolute paths, drive
 * letters), encrypted members, ZIP64, methods other than stored/deflate, more members
 * than MAX_ZIP_ENTRIES, or selected members whose declared uncompressed sizes add up to
 * more than MAX_UNZIPPED_BYTES (a zip bomb) — and then inflates only the members asked
 * for, into buffers of their declared size (plus one byte, so that a member yielding more
 * than it declared — a zip bomb that lies about its size — is caught), checking each
 * member's length and CRC-32.
 * Pure: no Node built-ins, works in a Web Worker. Errors: FormatError, LimitError.
 */
import { inflateSync } from 'fflate';
import { FormatError, LimitError } from '../executor/errors.ts';
import { MAX_UNZIPPED_BYTES, MAX_ZIP_ENTRIES } from './limits.ts';

export interface ZipEntry {
  /** The member's path inside the archive, as stored ('/' separated). */
  name: string;
  method: number;
  compressedSize: number;
  /** As the central directory declares it. */
  size: number;
  crc32: number;
  /** Offset of the local file header. */
  localOffset: number;
}

export interface ZipOptions {
  /** Largest total declared (and actual) uncompressed size of the members read. Default MAX_UNZIPPED_BYTES. */
  maxUnzippedBytes?: number;
  /** Most members accepted in the central directory. Default MAX_ZIP_ENTRIES. */
  maxEntries?: number;
}

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
const fmt = (n: number) => n.toLocaleString('en-US');

export { isZip } from './format-magic.ts';

/** Why a member name is unsafe, or null when it is a plain relative path. */
export function unsafeName(name: string): string | null {
  if (name.includes('\0')) return 'contains a NUL character';
  if (name.includes('\\')) return 'uses backslashes';
  if (name.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'starts with a drive letter';
  if (name.split('/').some((seg) => seg === '..')) return "climbs out of the archive with '..'";
  return null;
}

function decodeName(raw: Uint8Array, utf8: boolean): string {
  if (utf8) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw new FormatError('The ZIP archive has a member name flagged as UTF-8 that is not UTF-8.');
    }
  }
  // CP437 for the printable ASCII range is ASCII; other bytes are kept as Latin-1 (names only matter for extensions).
  let s = '';
  for (let i = 0; i < raw.length; i++) s += String.fromCharCode(raw[i]);
  return s;
}

/** The archive's members, from its central directory (nothing is inflated). */
export function zipEntries(bytes: Uint8Array, opts: ZipOptions = {}): ZipEntry[] {
  const maxEntries = opts.maxEntries ?? MAX_ZIP_ENTRIES;
  // End of central directory: 22 bytes + a comment of at most 65,535 bytes.
  let e = -1;
  for (let i = bytes.length - 22; i >= 0 && i >= bytes.length - 22 - 65535; i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 5 && bytes[i + 3] === 6) {
      e = i;
      break;
    }
  }
  if (e < 0)
    throw new FormatError(
      `The ZIP archive is truncated or corrupt: it has no end-of-central-directory record (${fmt(bytes.length)} bytes).`,
    );
  const count = u16(bytes, e + 10);
  const cdSize = u32(bytes, e + 12);
  const cdOffset = u32(bytes, e + 16);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
    throw new FormatError('The ZIP archive uses ZIP64, which is not supported. Re-create it with a standard ZIP tool (files under 4 GB).');
  }
  if (count > maxEntries) throw new LimitError(`The ZIP archive has ${fmt(count)} members; the most accepted is ${fmt(maxEntries)}.`);
  if (cdOffset + cdSize > e) {
    throw new FormatError(
      `The ZIP archive is truncated or corrupt: its central directory is said to lie at bytes ${fmt(cdOffset)}–${fmt(cdOffset + cdSize)}, past its end record at byte ${fmt(e)}.`,
    );
  }
  const out: ZipEntry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > e || u32(bytes, p) !== 0x02014b50) {
      throw new FormatError(`The ZIP archive is corrupt: central directory entry ${k + 1} of ${count} is missing or damaged.`);
    }
    const flags = u16(bytes, p + 8);
    const method = u16(bytes, p + 10);
    const crc32 = u32(bytes, p + 16);
    const compressedSize = u32(bytes, p + 20);
    const size = u32(bytes, p + 24);
    const nameLen = u16(bytes, p + 28);
    const extraLen = u16(bytes, p + 30);
    const commentLen = u16(bytes, p + 32);
    const localOffset = u32(bytes, p + 42);
    if (p + 46 + nameLen > e)
      throw new FormatError(`The ZIP archive is corrupt: central directory entry ${k + 1} runs past the directory.`);
    const name = decodeName(bytes.subarray(p + 46, p + 46 + nameLen), (flags & 0x800) !== 0);
    const why = unsafeName(name);
    if (why) {
      throw new FormatError(`The ZIP archive is refused: its member ${JSON.stringify(name.slice(0, 120))} ${why}.`);
    }
    if (flags & 1) throw new FormatError(`The ZIP member '${name}' is encrypted; encrypted archives are not supported.`);
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) {
      throw new FormatError(
        'The ZIP archive uses ZIP64, which is not supported. Re-create it with a standard ZIP tool (files under 4 GB).',
      );
    }
    out.push({ name, method, compressedSize, size, crc32, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

let CRC_TABLE: Uint32Array | null = null;
function crc32(data: Uint8Array): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  const t = CRC_TABLE;
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function inflateBounded(entry: ZipEntry, data: Uint8Array): Uint8Array {
  // One byte more than declared: fflate stops writing at the end of a given buffer, so a
  // member that fills it inflates to more than it declares. The work stays bounded by the
  // compressed size, and nothing larger than the declaration is ever allocated.
  let out: Uint8Array;
  try {
    out = inflateSync(data, { out: new Uint8Array(entry.size + 1) });
  } catch (err) {
    throw new FormatError(
      `The ZIP member '${entry.name}' is corrupt: its deflate data cannot be decompressed (${(err as Error).message}).`,
    );
  }
  if (out.length > entry.size) {
    throw new LimitError(
      `The ZIP member '${entry.name}' inflates to more than the ${fmt(entry.size)} bytes it declares: ` +
        'the archive is a zip bomb or corrupt, and was refused.',
    );
  }
  if (out.length !== entry.size) {
    throw new FormatError(
      `The ZIP member '${entry.name}' is truncated or corrupt: it inflates to ${fmt(out.length)} bytes, not the ${fmt(entry.size)} it declares.`,
    );
  }
  return out;
}

/**
 * Inflate the given members (from zipEntries of the same bytes). Their declared sizes are
 * checked against the limit first; each is then bounded by its own declaration.
 */
export function readZipEntries(bytes: Uint8Array, entries: readonly ZipEntry[], opts: ZipOptions = {}): Map<string, Uint8Array> {
  const max = opts.maxUnzippedBytes ?? MAX_UNZIPPED_BYTES;
  const total = entries.reduce((s, x) => s + x.size, 0);
  if (total > max) {
    const big = entries.reduce((a, b) => (b.size > a.size ? b : a));
    throw new LimitError(
      `The ZIP archive's members to read declare ${fmt(total)} bytes uncompressed ('${big.name}': ${fmt(big.size)}); ` +
        `the most accepted is ${fmt(max)} bytes (${Math.round(max / 1048576)} MiB). A zip bomb, or a dataset too large for the workbench.`,
    );
  }
  const files = new Map<string, Uint8Array>();
  for (const entry of entries) {
    const h = entry.localOffset;
    if (h + 30 > bytes.length || u32(bytes, h) !== 0x04034b50) {
      throw new FormatError(`The ZIP archive is truncated or corrupt: the local header of '${entry.name}' (byte ${fmt(h)}) is missing.`);
    }
    const start = h + 30 + u16(bytes, h + 26) + u16(bytes, h + 28);
    const end = start + entry.compressedSize;
    if (end > bytes.length) {
      throw new FormatError(
        `The ZIP archive is truncated: member '${entry.name}' lies at bytes ${fmt(start)}–${fmt(end)}, but the file has only ${fmt(bytes.length)} bytes.`,
      );
    }
    const raw = bytes.subarray(start, end);
    let data: Uint8Array;
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.size) {
        throw new FormatError(
          `The ZIP member '${entry.name}' is corrupt: stored with ${fmt(entry.compressedSize)} bytes but declares ${fmt(entry.size)}.`,
        );
      }
      data = raw.slice();
    } else if (entry.method === 8) {
      data = inflateBounded(entry, raw);
    } else {
      throw new FormatError(
        `The ZIP member '${entry.name}' uses compression method ${entry.method}; only stored (0) and deflate (8) are supported.`,
      );
    }
    if (crc32(data) !== entry.crc32) throw new FormatError(`The ZIP member '${entry.name}' is corrupt: its CRC-32 does not match.`);
    files.set(entry.name, data);
  }
  return files;
}
