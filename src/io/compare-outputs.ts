/**
 * Two output files whose bytes differ, decoded and compared value by value, so
 * `reproduce` can say what differs: "pixels match, bytes differ (GDAL's layout:
 * …)" or "3 cells differ in band 2 (alt)", and for vector layers the features
 * and columns. Rasters are compared cell by cell in every band (NaN equals NaN,
 * the dtype is part of the layout when the values agree), plus size and
 * georeferencing; vector layers feature by feature, per column and geometry;
 * CSV tables (sysdyn series) cell by cell per column.
 */
import { describeError } from '../executor/errors.ts';
import type { ValueComparison } from '../executor/reproduce.ts';
import type { Dataset, RasterDataset, VectorDataset } from '../sim/dataset.ts';
import { parseDataset } from './dataset.ts';

/** At most this many differences are listed (then "…and N more"). */
const MAX_LISTED = 6;

const isCsvName = (uri: string) => /\.csv$/i.test(uri);

/**
 * Compare the original output (`expected`, e.g. DisSModel's file) with the re-run's (`actual`).
 * `uri` names the output (its extension picks the format when the bytes do not).
 */
export async function compareOutputs(expected: Uint8Array, actual: Uint8Array, uri: string): Promise<ValueComparison> {
  if (isCsvName(uri)) return compareCsv(decodeText(expected), decodeText(actual));
  let a: Dataset;
  let b: Dataset;
  try {
    a = await parseDataset(uri, expected);
  } catch (e) {
    return { kind: 'not-compared', reason: `the original output cannot be decoded (${describeError(e)})` };
  }
  try {
    b = await parseDataset(uri, actual);
  } catch (e) {
    return { kind: 'not-compared', reason: `the re-run's output cannot be decoded (${describeError(e)})` };
  }
  if (a.kind === 'raster' && b.kind === 'raster') return compareRasters(a, b, expected, actual);
  if (a.kind === 'vector' && b.kind === 'vector') return compareLayers(a, b);
  return { kind: 'values-differ', differences: [`the original output is a ${a.kind}, the re-run's a ${b.kind}`] };
}

function decodeText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

const same = (x: number, y: number) => x === y || (Number.isNaN(x) && Number.isNaN(y));
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function listed(differences: string[]): string[] {
  if (differences.length <= MAX_LISTED) return differences;
  return [...differences.slice(0, MAX_LISTED), `…and ${differences.length - MAX_LISTED} more`];
}

export function compareRasters(a: RasterDataset, b: RasterDataset, aBytes?: Uint8Array, bBytes?: Uint8Array): ValueComparison {
  if (a.width !== b.width || a.height !== b.height) {
    return { kind: 'values-differ', differences: [`the grids differ in size (${a.width} × ${a.height} vs ${b.width} × ${b.height})`] };
  }
  const differences: string[] = [];
  if (a.bands.length !== b.bands.length) differences.push(`${a.bands.length} bands vs ${b.bands.length}`);
  const n = a.width * a.height;
  for (let k = 0; k < Math.min(a.bands.length, b.bands.length); k++) {
    const x = a.bands[k].data;
    const y = b.bands[k].data;
    let count = 0;
    let max = 0;
    for (let i = 0; i < n; i++) {
      if (!same(x[i], y[i])) {
        count++;
        const d = Math.abs(x[i] - y[i]);
        if (d > max || Number.isNaN(d)) max = d;
      }
    }
    if (count > 0) {
      const name = a.bands[k].name === b.bands[k].name ? a.bands[k].name : `${a.bands[k].name}/${b.bands[k].name}`;
      differences.push(`${plural(count, 'cell')} differ${count === 1 ? 's' : ''} in band ${k + 1} (${name}; largest difference ${max})`);
    }
  }
  if (a.epsg !== b.epsg) differences.push(`CRS EPSG:${a.epsg ?? 'none'} vs EPSG:${b.epsg ?? 'none'}`);
  const ta = JSON.stringify(a.transform ?? a.affine ?? null);
  const tb = JSON.stringify(b.transform ?? b.affine ?? null);
  if (ta !== tb) differences.push(`georeferencing ${ta} vs ${tb}`);
  if (differences.length > 0) return { kind: 'values-differ', differences: listed(differences) };
  const layout: string[] = [];
  const dtypes = (d: RasterDataset) => [...new Set(d.bands.map((band) => band.dtype))].join('+');
  if (dtypes(a) !== dtypes(b)) layout.push(`${dtypes(a)} vs ${dtypes(b)} samples`);
  const names = (d: RasterDataset) => d.bands.map((band) => band.name).join(',');
  if (names(a) !== names(b)) layout.push(`band names ${names(a)} vs ${names(b)}`);
  const nodata = (d: RasterDataset) => d.bands.map((band) => String(band.nodata)).join(',');
  if (nodata(a) !== nodata(b)) layout.push(`nodata ${nodata(a)} vs ${nodata(b)}`);
  if (aBytes && bBytes) layout.push(describeTiffLayouts(aBytes, bBytes));
  return { kind: 'same-values', what: 'pixels', layout: layout.join('; ') };
}

function compareLayers(a: VectorDataset, b: VectorDataset): ValueComparison {
  const differences: string[] = [];
  if (a.features.length !== b.features.length) {
    return { kind: 'values-differ', differences: [`${a.features.length} features vs ${b.features.length}`] };
  }
  const onlyA = a.columns.filter((c) => !b.columns.includes(c));
  const onlyB = b.columns.filter((c) => !a.columns.includes(c));
  if (onlyA.length) differences.push(`column${onlyA.length > 1 ? 's' : ''} ${onlyA.join(', ')} only in the original`);
  if (onlyB.length) differences.push(`column${onlyB.length > 1 ? 's' : ''} ${onlyB.join(', ')} only in the re-run`);
  let geometries = 0;
  for (let i = 0; i < a.features.length; i++) {
    if (JSON.stringify(a.features[i].geometry) !== JSON.stringify(b.features[i].geometry)) geometries++;
  }
  if (geometries > 0) differences.push(`${plural(geometries, 'feature')} differ${geometries === 1 ? 's' : ''} in geometry`);
  for (const c of a.columns.filter((col) => b.columns.includes(col))) {
    let count = 0;
    for (let i = 0; i < a.features.length; i++) {
      const x = a.features[i].properties[c];
      const y = b.features[i].properties[c];
      if (!(typeof x === 'number' && typeof y === 'number' ? same(x, y) : JSON.stringify(x) === JSON.stringify(y))) count++;
    }
    if (count > 0) differences.push(`${plural(count, 'feature')} differ${count === 1 ? 's' : ''} in column ${c}`);
  }
  if (differences.length > 0) return { kind: 'values-differ', differences: listed(differences) };
  const order = a.columns.join(',') === b.columns.join(',') ? '' : `column order ${a.columns.join(',')} vs ${b.columns.join(',')}; `;
  return {
    kind: 'same-values',
    what: 'features and columns',
    layout: `${order}the encoder's layout: number formatting, key order or whitespace`,
  };
}

/** A CSV cell as a number when it is one (pandas writes inf, -inf and nan; an empty cell is NaN too). */
function csvValue(s: string): number | string {
  const t = s.trim();
  if (t === '' || /^nan$/i.test(t)) return NaN;
  if (/^[+]?inf(inity)?$/i.test(t)) return Infinity;
  if (/^-inf(inity)?$/i.test(t)) return -Infinity;
  const v = Number(t);
  return Number.isNaN(v) ? t : v;
}

export function compareCsv(expected: string, actual: string): ValueComparison {
  const rows = (text: string) =>
    text
      .replace(/\r\n/g, '\n')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => line.split(','));
  const a = rows(expected);
  const b = rows(actual);
  if (a.length === 0 || b.length === 0) return { kind: 'not-compared', reason: 'a table is empty' };
  const differences: string[] = [];
  const ha = a[0].map((h) => h.trim());
  const hb = b[0].map((h) => h.trim());
  if (ha.join(',') !== hb.join(',')) differences.push(`columns ${ha.join(',')} vs ${hb.join(',')}`);
  if (a.length !== b.length) differences.push(`${a.length - 1} rows vs ${b.length - 1}`);
  for (let c = 0; c < Math.min(ha.length, hb.length); c++) {
    let count = 0;
    for (let r = 1; r < Math.min(a.length, b.length); r++) {
      const x = csvValue(a[r][c] ?? '');
      const y = csvValue(b[r][c] ?? '');
      if (!(typeof x === 'number' && typeof y === 'number' ? same(x, y) : x === y)) count++;
    }
    if (count > 0) differences.push(`${plural(count, 'row')} differ${count === 1 ? 's' : ''} in column ${ha[c]}`);
  }
  if (differences.length > 0) return { kind: 'values-differ', differences: listed(differences) };
  return { kind: 'same-values', what: 'rows and columns', layout: 'number formatting' };
}

// ---------------------------------------------------------------------------
// TIFF layout: what differs in how two files store the same pixels

interface TiffLayout {
  byteOrder: string;
  compression: string;
  predictor: number;
  blocks: string;
  planar: string;
  software: string | null;
  gdalMetadata: boolean;
}

const COMPRESSION: Record<number, string> = {
  1: 'uncompressed',
  5: 'LZW',
  7: 'JPEG',
  8: 'deflate',
  32773: 'PackBits',
  32946: 'deflate',
  50000: 'ZSTD',
};

/** IFD 0 of a classic TIFF, only the tags that describe the layout; null when it is not one. */
export function readTiffLayout(bytes: Uint8Array): TiffLayout | null {
  if (bytes.length < 8) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes[0] === 0x49 && bytes[1] === 0x49;
  if (!le && !(bytes[0] === 0x4d && bytes[1] === 0x4d)) return null;
  if (dv.getUint16(2, le) !== 42) return null;
  const ifd = dv.getUint32(4, le);
  if (ifd + 2 > bytes.length) return null;
  const count = dv.getUint16(ifd, le);
  const tags = new Map<number, { type: number; n: number; at: number }>();
  for (let k = 0; k < count; k++) {
    const e = ifd + 2 + k * 12;
    if (e + 12 > bytes.length) return null;
    const tag = dv.getUint16(e, le);
    const type = dv.getUint16(e + 2, le);
    const n = dv.getUint32(e + 4, le);
    const size = ({ 1: 1, 2: 1, 3: 2, 4: 4, 16: 8 } as Record<number, number>)[type] ?? 4;
    const at = size * n <= 4 ? e + 8 : dv.getUint32(e + 8, le);
    tags.set(tag, { type, n, at });
  }
  const num = (tag: number, fallback: number): number => {
    const t = tags.get(tag);
    if (!t || t.at + 4 > bytes.length) return fallback;
    return t.type === 3 ? dv.getUint16(t.at, le) : dv.getUint32(t.at, le);
  };
  const text = (tag: number): string | null => {
    const t = tags.get(tag);
    if (!t || t.type !== 2 || t.at + t.n > bytes.length) return null;
    return decodeText(bytes.subarray(t.at, t.at + t.n)).replace(/\0+$/, '');
  };
  const c = num(259, 1);
  const blocks = tags.has(322) ? `${num(322, 0)}×${num(323, 0)} tiles` : `strips of ${Math.min(num(278, 2 ** 32 - 1), num(257, 0))} rows`;
  return {
    byteOrder: le ? 'little-endian' : 'big-endian',
    compression: COMPRESSION[c] ?? `compression ${c}`,
    predictor: num(317, 1),
    blocks,
    planar: num(284, 1) === 2 ? 'band-interleaved (planar)' : 'pixel-interleaved',
    software: text(305),
    gdalMetadata: tags.has(42112),
  };
}

/** Whose layout the original is and how it differs from the re-run's: "GDAL's layout: LZW vs deflate; …". */
export function describeTiffLayouts(expected: Uint8Array, actual: Uint8Array): string {
  const a = readTiffLayout(expected);
  const b = readTiffLayout(actual);
  if (!a || !b) return 'another encoder’s layout';
  const who = a.software ? `${a.software}'s layout` : a.gdalMetadata ? "GDAL's layout" : 'another encoder’s layout';
  const parts: string[] = [];
  const cmp = (what: string, x: string, y: string) => {
    if (x !== y) parts.push(`${what}${x} vs ${y}`);
  };
  cmp('', a.compression, b.compression);
  cmp('predictor ', String(a.predictor), String(b.predictor));
  cmp('', a.blocks, b.blocks);
  cmp('', a.planar, b.planar);
  cmp('', a.byteOrder, b.byteOrder);
  if (a.gdalMetadata !== b.gdalMetadata)
    parts.push(a.gdalMetadata ? 'GDAL metadata only in the original' : 'GDAL metadata only in the re-run');
  if (parts.length === 0) parts.push(`same compression (${a.compression}) and ${a.blocks}; tags or metadata differ`);
  return `${who}: ${parts.join(', ')}`;
}
