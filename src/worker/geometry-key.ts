/**
 * A key for a vector dataset's geometry (feature count, geometry types and
 * every coordinate's bits, hashed): two datasets with the same cells — a run's
 * input and its output — get the same key, so the map places them once and
 * keeps one GeoJSON source, recolouring it from one to the other.
 */
import { coordEach } from '@turf/meta';
import type { VectorDataset } from '../sim/dataset.ts';

const keys = new WeakMap<VectorDataset, string>();
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

export function geometryKey(ds: VectorDataset): string {
  let key = keys.get(ds);
  if (key !== undefined) return key;
  // Two independent 32-bit FNV-1a-style hashes over the coordinates' IEEE bits.
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ ds.features.length;
  let n = 0;
  const mix = (x: number) => {
    f64[0] = x;
    a = Math.imul(a ^ u32[0], 0x01000193);
    a = Math.imul(a ^ u32[1], 0x01000193);
    b = Math.imul(b ^ u32[1], 0x5bd1e995) ^ (b >>> 15);
    b = Math.imul(b ^ u32[0], 0x5bd1e995) ^ (b >>> 13);
  };
  for (const f of ds.features) {
    const g = f.geometry ?? null;
    mix(g ? g.type.length * 31 + g.type.charCodeAt(g.type.length - 1) : -1);
    if (!g) continue;
    coordEach(g, (p) => {
      for (const x of p) mix(x);
      n++;
    });
  }
  // The CRS decides the placement too.
  const crs = `${ds.epsg ?? ''}|${ds.crsWkt ?? ''}`;
  for (let i = 0; i < crs.length; i++) a = Math.imul(a ^ crs.charCodeAt(i), 0x01000193);
  key = `${ds.features.length}.${n}.${(a >>> 0).toString(16)}${(b >>> 0).toString(16)}`;
  keys.set(ds, key);
  return key;
}

/** Record `key` as the geometry key of `ds` (a dataset built on another's geometry objects, e.g. vector-values.ts). */
export function knownGeometryKey(ds: VectorDataset, key: string): void {
  keys.set(ds, key);
}
