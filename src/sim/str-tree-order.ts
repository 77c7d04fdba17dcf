/**
 * The order in which geopandas 0.12's rtree spatial index (`gdf.sindex`, libspatialindex
 * 1.9 through rtree 1.0) returns the candidates of a query, reproduced so that agent
 * models whose rule takes "the first neighbour found" (DisSModel's predator–prey) pick
 * the same agent.
 *
 * geopandas bulk-loads the index from the geometries in row order; libspatialindex's
 * bulk loader is Sort-Tile-Recursive (STR) with leaf and index capacity 100 and fill
 * factor 0.7 (70 entries per node). Entries are sorted by the centre of their box
 * (low + high) on x, cut into vertical slices, each slice sorted on y and cut into nodes;
 * the sort is libstdc++'s `std::sort` (introsort: median-of-three quicksort down to 16
 * elements, then insertion sort), which is NOT stable, so equal centres (agents at the
 * same position, agents clipped to the same border) come out in the order that exact
 * algorithm leaves them. A query walks the tree with a stack (children pushed in order,
 * so visited in reverse) and reports a leaf's entries in node order.
 */

/** An axis-aligned box [minx, miny, maxx, maxy]. */
export type Box = readonly [number, number, number, number];

interface Entry {
  box: Box;
  /** Row position for a leaf entry, child node for an index entry. */
  id: number;
  child: StrNode | null;
}

interface StrNode {
  level: number;
  entries: Entry[];
  box: Box;
}

const THRESHOLD = 16;

/**
 * libstdc++'s `std::sort(first, last, less)` on `a` (GCC's introsort), element for element:
 * the same comparisons and swaps, so ties end where GCC leaves them.
 */
export function gccSort<T>(a: T[], less: (x: T, y: T) => boolean): void {
  const n = a.length;
  if (n < 2) return;
  introsortLoop(a, 0, n, 2 * Math.floor(Math.log2(n)), less);
  finalInsertionSort(a, 0, n, less);
}

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

function introsortLoop<T>(a: T[], first: number, last: number, depth: number, less: (x: T, y: T) => boolean): void {
  while (last - first > THRESHOLD) {
    if (depth === 0) {
      heapSort(a, first, last, less);
      return;
    }
    depth--;
    const cut = partitionPivot(a, first, last, less);
    introsortLoop(a, cut, last, depth, less);
    last = cut;
  }
}

function partitionPivot<T>(a: T[], first: number, last: number, less: (x: T, y: T) => boolean): number {
  const mid = first + Math.floor((last - first) / 2);
  moveMedianToFirst(a, first, first + 1, mid, last - 1, less);
  return unguardedPartition(a, first + 1, last, first, less);
}

function moveMedianToFirst<T>(a: T[], result: number, x: number, y: number, z: number, less: (p: T, q: T) => boolean): void {
  if (less(a[x], a[y])) {
    if (less(a[y], a[z])) swap(a, result, y);
    else if (less(a[x], a[z])) swap(a, result, z);
    else swap(a, result, x);
  } else if (less(a[x], a[z])) swap(a, result, x);
  else if (less(a[y], a[z])) swap(a, result, z);
  else swap(a, result, y);
}

function unguardedPartition<T>(a: T[], first: number, last: number, pivot: number, less: (x: T, y: T) => boolean): number {
  for (;;) {
    while (less(a[first], a[pivot])) first++;
    last--;
    while (less(a[pivot], a[last])) last--;
    if (!(first < last)) return first;
    swap(a, first, last);
    first++;
  }
}

function insertionSort<T>(a: T[], first: number, last: number, less: (x: T, y: T) => boolean): void {
  if (first === last) return;
  for (let i = first + 1; i < last; i++) {
    if (less(a[i], a[first])) {
      const v = a[i];
      for (let k = i; k > first; k--) a[k] = a[k - 1];
      a[first] = v;
    } else unguardedLinearInsert(a, i, less);
  }
}

function unguardedLinearInsert<T>(a: T[], last: number, less: (x: T, y: T) => boolean): void {
  const v = a[last];
  let next = last - 1;
  while (less(v, a[next])) {
    a[last] = a[next];
    last = next;
    next--;
  }
  a[last] = v;
}

function finalInsertionSort<T>(a: T[], first: number, last: number, less: (x: T, y: T) => boolean): void {
  if (last - first > THRESHOLD) {
    insertionSort(a, first, first + THRESHOLD, less);
    for (let i = first + THRESHOLD; i < last; i++) unguardedLinearInsert(a, i, less);
  } else insertionSort(a, first, last, less);
}

/** `std::__partial_sort(first, last, last)`: make_heap then sort_heap, as libstdc++. */
function heapSort<T>(a: T[], first: number, last: number, less: (x: T, y: T) => boolean): void {
  const len = last - first;
  if (len < 2) return;
  for (let parent = Math.floor((len - 2) / 2); ; parent--) {
    adjustHeap(a, first, parent, len, a[first + parent], less);
    if (parent === 0) break;
  }
  for (let end = last; end - first > 1;) {
    end--;
    const v = a[end];
    a[end] = a[first];
    adjustHeap(a, first, 0, end - first, v, less);
  }
}

function adjustHeap<T>(a: T[], first: number, hole: number, len: number, value: T, less: (x: T, y: T) => boolean): void {
  const top = hole;
  let child = hole;
  while (child < Math.floor((len - 1) / 2)) {
    child = 2 * (child + 1);
    if (less(a[first + child], a[first + child - 1])) child--;
    a[first + hole] = a[first + child];
    hole = child;
  }
  if ((len & 1) === 0 && child === Math.floor((len - 2) / 2)) {
    child = 2 * (child + 1);
    a[first + hole] = a[first + child - 1];
    hole = child - 1;
  }
  // push_heap
  let parent = Math.floor((hole - 1) / 2);
  while (hole > top && less(a[first + parent], value)) {
    a[first + hole] = a[first + parent];
    hole = parent;
    parent = Math.floor((hole - 1) / 2);
  }
  a[first + hole] = value;
}

/** Entries per node: floor(capacity 100 × fill factor 0.7), libspatialindex's bulk-loading defaults. */
export const STR_NODE_ENTRIES = 70;

function unionBox(entries: readonly Entry[]): Box {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const e of entries) {
    if (e.box[0] < x0) x0 = e.box[0];
    if (e.box[1] < y0) y0 = e.box[1];
    if (e.box[2] > x1) x1 = e.box[2];
    if (e.box[3] > y1) y1 = e.box[3];
  }
  return [x0, y0, x1, y1];
}

const byCentre = (dim: 0 | 1) => (p: Entry, q: Entry) => p.box[dim + 2] + p.box[dim] < q.box[dim + 2] + q.box[dim];

/** libspatialindex's `BulkLoader::createLevel`: the nodes of one level, in creation order. */
function createLevel(sorted: Entry[], dim: 0 | 1, level: number, out: StrNode[]): void {
  const b = STR_NODE_ENTRIES;
  const total = sorted.length;
  const P = Math.ceil(total / b);
  const S = Math.ceil(Math.sqrt(P));
  if (S === 1 || dim === 1 || S * b === total) {
    for (let i = 0; i < total; i += b) {
      const entries = sorted.slice(i, i + b);
      out.push({ level, entries, box: unionBox(entries) });
    }
    return;
  }
  for (let i = 0; i < total; i += S * b) {
    const slice = sorted.slice(i, i + S * b);
    gccSort(slice, byCentre(1));
    createLevel(slice, 1, level, out);
  }
}

/** The bulk-loaded tree of geopandas 0.12's `sindex` over boxes given in row order. */
export class StrTree {
  private readonly root: StrNode | null;

  constructor(boxes: readonly Box[]) {
    if (boxes.length === 0) {
      this.root = null;
      return;
    }
    let level = 0;
    let entries: Entry[] = boxes.map((box, id) => ({ box, id, child: null }));
    gccSort(entries, byCentre(0));
    for (;;) {
      const nodes: StrNode[] = [];
      createLevel(entries, 0, level++, nodes);
      if (nodes.length === 1) {
        this.root = nodes[0];
        return;
      }
      entries = nodes.map((n) => ({ box: n.box, id: -1, child: n }));
      gccSort(entries, byCentre(0));
    }
  }

  /** Row positions of the boxes intersecting `q` (touching counts), in libspatialindex's visiting order. */
  query(q: Box): number[] {
    const out: number[] = [];
    if (!this.root || !intersects(this.root.box, q)) return out;
    const stack: StrNode[] = [this.root];
    while (stack.length) {
      const n = stack.pop()!;
      for (const e of n.entries) {
        if (!intersects(e.box, q)) continue;
        if (n.level === 0) out.push(e.id);
        else stack.push(e.child!);
      }
    }
    return out;
  }
}

function intersects(a: Box, b: Box): boolean {
  return !(a[0] > b[2] || a[2] < b[0] || a[1] > b[3] || a[3] < b[1]);
}
