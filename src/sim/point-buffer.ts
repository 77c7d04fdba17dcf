/**
 * `Point(x, y).buffer(r)` as shapely 1.8 / GEOS 3.11 build it (quadrant segments 16: a
 * 64-gon inscribed in the circle, vertices at angles 0, −2π/64, −2·2π/64, … from
 * (x + r, y)), and GEOS's point-in-polygon test on it (a ray-crossing count, the boundary
 * included, orientation decided exactly), so that "the agents whose point intersects the
 * buffer" is the same set as DisSModel's spatial query.
 *
 * Vertex coordinates are r·cos(angle) and r·sin(angle) with the host's Math.cos/sin;
 * glibc's may differ in the last bit, which matters only for a point within about 1e-16 of
 * an edge.
 */

/** r·cos(angle), r·sin(angle) of the ring's vertices, per radius (the same products GEOS forms, computed once). */
const offsetCache = new Map<string, Float64Array>();

function ringOffsets(r: number, quadrantSegments: number): Float64Array {
  const key = `${r}/${quadrantSegments}`;
  let o = offsetCache.get(key);
  if (o) return o;
  const quantum = Math.PI / 2 / quadrantSegments;
  const total = 2 * Math.PI;
  const nSegs = Math.trunc(total / quantum + 0.5);
  const inc = total / nSegs;
  o = new Float64Array(2 * nSegs);
  o[0] = r;
  o[1] = 0;
  for (let i = 1; i < nSegs; i++) {
    const angle = 0 + -1 * i * inc;
    o[2 * i] = r * Math.cos(angle);
    o[2 * i + 1] = r * Math.sin(angle);
  }
  if (offsetCache.size > 64) offsetCache.clear();
  offsetCache.set(key, o);
  return o;
}

/** Vertices of the buffer ring (closed: the first vertex is repeated at the end). */
export function pointBufferRing(x: number, y: number, r: number, quadrantSegments = 16): Float64Array {
  const o = ringOffsets(r, quadrantSegments);
  const n = o.length / 2;
  const ring = new Float64Array(2 * (n + 1));
  ring[0] = x + r;
  ring[1] = y;
  for (let i = 1; i < n; i++) {
    ring[2 * i] = x + o[2 * i];
    ring[2 * i + 1] = y + o[2 * i + 1];
  }
  ring[2 * n] = ring[0];
  ring[2 * n + 1] = ring[1];
  return ring;
}

/** The exact sign of a·b − c·d for doubles (BigInt only when the float filter cannot decide). */
function exactSignOfDet(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  // orientation of c relative to a→b, as GEOS's CGAlgorithmsDD::orientationIndex
  const detleft = (ax - cx) * (by - cy);
  const detright = (ay - cy) * (bx - cx);
  const det = detleft - detright;
  let detsum: number;
  if (detleft > 0) {
    if (detright <= 0) return Math.sign(det);
    detsum = detleft + detright;
  } else if (detleft < 0) {
    if (detright >= 0) return Math.sign(det);
    detsum = -detleft - detright;
  } else return Math.sign(det);
  const errbound = 1e-15 * detsum;
  if (det >= errbound || -det >= errbound) return Math.sign(det);
  const [X1, Y1, X2, Y2, QX, QY] = exactScaled([ax, ay, bx, by, cx, cy]);
  const d = (X2 - X1) * (QY - Y2) - (Y2 - Y1) * (QX - X2);
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}

/** Doubles as integers on one common power-of-two scale (exact). */
function exactScaled(values: readonly number[]): bigint[] {
  const parts = values.map((v) => {
    if (v === 0) return { m: 0n, e: 0 };
    let e = Math.floor(Math.log2(Math.abs(v))) - 52;
    let m = v / 2 ** e;
    while (!Number.isInteger(m)) {
      e--;
      m = v / 2 ** e;
    }
    return { m: BigInt(m), e };
  });
  const emin = Math.min(...parts.map((p) => p.e));
  return parts.map((p) => p.m << BigInt(p.e - emin));
}

/** GEOS's RayCrossingCounter: is (px, py) inside or on the closed ring? */
export function ringCovers(ring: Float64Array, px: number, py: number): boolean {
  let crossings = 0;
  for (let k = 0; k + 3 < ring.length; k += 2) {
    const x1 = ring[k];
    const y1 = ring[k + 1];
    const x2 = ring[k + 2];
    const y2 = ring[k + 3];
    if (x1 < px && x2 < px) continue;
    if (px === x2 && py === y2) return true;
    if (y1 === py && y2 === py) {
      if (px >= Math.min(x1, x2) && px <= Math.max(x1, x2)) return true;
      continue;
    }
    if ((y1 > py && y2 <= py) || (y2 > py && y1 <= py)) {
      let orient = exactSignOfDet(x1, y1, x2, y2, px, py);
      if (orient === 0) return true;
      if (y2 < y1) orient = -orient;
      if (orient === 1) crossings++;
    }
  }
  return crossings % 2 === 1;
}

/** The bounding box of a ring [minx, miny, maxx, maxy]. */
export function ringBox(ring: Float64Array): [number, number, number, number] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let k = 0; k < ring.length; k += 2) {
    x0 = Math.min(x0, ring[k]);
    x1 = Math.max(x1, ring[k]);
    y0 = Math.min(y0, ring[k + 1]);
    y1 = Math.max(y1, ring[k + 1]);
  }
  return [x0, y0, x1, y1];
}
