/**
 * The agent substrate: point agents with positions and numeric attributes in typed arrays,
 * in the vocabulary of dissmodel-abm's `Society` / `Agent` (walk, neighbours within a
 * radius, die, reproduce), with the DisSModel behaviour that decides results:
 *
 * - Agents keep their order (DisSModel's GeoDataFrame row order): removals compact the
 *   arrays in place, births are appended at the end.
 * - A new agent's id is max(ids) + 1 at the time of its birth (0 in an empty society), so
 *   the id of a dead highest-id agent is reused, as `Society.add` does.
 * - `neighborsWithin(i, r)` returns what `Society.neighbors_within` returns, in the same
 *   order: candidates from the spatial index of the current positions (geopandas 0.12's
 *   rtree order, see str-tree-order.ts) whose point lies in the 64-gon `buffer(r)` (see
 *   point-buffer.ts) and whose distance is ≤ r, the agent itself excluded. An agent
 *   closer than r but between the 64-gon and the circle is NOT a neighbour (DisSModel's
 *   quirk, kept).
 * - Walks draw from numpy's legacy `np.random.uniform(-s, s)`: `walkEach` two scalar
 *   draws per agent (Agent.walk: dx then dy), `walkAll` all dx then all dy
 *   (Society.walk_all); new positions are clipped to the bounds.
 *
 * Attributes are float64 columns; a categorical attribute (a wolf / sheep `kind`) is stored
 * as codes with its labels kept by the model (see `AgentColumn`).
 */
import { pointBufferRing, ringBox, ringCovers } from './point-buffer.ts';
import type { NumpyRandomState } from './random.ts';
import { StrTree, type Box } from './str-tree-order.ts';

/** (minx, miny, maxx, maxy). */
export type Bounds = readonly [number, number, number, number];

/** An attribute column as it is written out: numbers, or codes with labels (codes index `labels`). */
export interface AgentColumn {
  name: string;
  labels?: readonly string[];
}

/** The most agents a society holds. */
export const MAX_AGENTS = 1_000_000;

export class Agents {
  private capacity: number;
  private n = 0;
  private idArr: Float64Array;
  private xArr: Float64Array;
  private yArr: Float64Array;
  private readonly cols: Map<string, Float64Array> = new Map();
  private tree: StrTree | null = null;

  constructor(
    readonly columns: readonly string[],
    capacity = 16,
  ) {
    this.capacity = Math.max(1, capacity);
    this.idArr = new Float64Array(this.capacity);
    this.xArr = new Float64Array(this.capacity);
    this.yArr = new Float64Array(this.capacity);
    for (const c of columns) this.cols.set(c, new Float64Array(this.capacity));
  }

  get length(): number {
    return this.n;
  }

  /** Ids, in agent order (a view: valid until the next add or remove). */
  get ids(): Float64Array {
    return this.idArr.subarray(0, this.n);
  }
  get x(): Float64Array {
    return this.xArr.subarray(0, this.n);
  }
  get y(): Float64Array {
    return this.yArr.subarray(0, this.n);
  }

  /** An attribute column (a view: valid until the next add or remove). */
  column(name: string): Float64Array {
    const c = this.cols.get(name);
    if (!c) throw new RangeError(`Agents have no attribute '${name}' (they have ${this.columns.join(', ') || 'none'}).`);
    return c.subarray(0, this.n);
  }

  private grow(): void {
    if (this.n >= MAX_AGENTS) throw new RangeError(`More than ${MAX_AGENTS} agents: the society is too large.`);
    const cap = Math.min(MAX_AGENTS, this.capacity * 2);
    const re = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a.subarray(0, this.n));
      return b;
    };
    this.idArr = re(this.idArr);
    this.xArr = re(this.xArr);
    this.yArr = re(this.yArr);
    for (const [k, v] of this.cols) this.cols.set(k, re(v));
    this.capacity = cap;
  }

  /** The id the next agent gets: max(ids) + 1, or 0 when there is none (DisSModel's `Society.add`). */
  nextId(): number {
    let max = -1;
    for (let i = 0; i < this.n; i++) if (this.idArr[i] > max) max = this.idArr[i];
    return max + 1;
  }

  /** Adds an agent at the end; `id` defaults to `nextId()`. Returns its position in the order. */
  add(x: number, y: number, values: Readonly<Record<string, number>> = {}, id = this.nextId()): number {
    if (this.n === this.capacity) this.grow();
    const i = this.n++;
    this.idArr[i] = id;
    this.xArr[i] = x;
    this.yArr[i] = y;
    for (const [k, col] of this.cols) col[i] = values[k] ?? 0;
    this.tree = null;
    return i;
  }

  /** `agent.reproduce(**overrides)`: a copy of agent i at its position, appended, with a new id. */
  reproduce(i: number, overrides: Readonly<Record<string, number>> = {}): number {
    const values: Record<string, number> = {};
    for (const [k, col] of this.cols) values[k] = col[i];
    return this.add(this.xArr[i], this.yArr[i], { ...values, ...overrides });
  }

  /** The position in the order of the agent with this id, or −1. */
  indexOf(id: number): number {
    for (let i = 0; i < this.n; i++) if (this.idArr[i] === id) return i;
    return -1;
  }

  /** Removes the agents for which `dead(i)` is true (decided on the current order first), keeping the others' order. */
  removeWhere(dead: (i: number) => boolean): number {
    const kill = new Uint8Array(this.n);
    for (let i = 0; i < this.n; i++) kill[i] = dead(i) ? 1 : 0;
    let w = 0;
    for (let r = 0; r < this.n; r++) {
      if (kill[r]) continue;
      if (w !== r) {
        this.idArr[w] = this.idArr[r];
        this.xArr[w] = this.xArr[r];
        this.yArr[w] = this.yArr[r];
        for (const col of this.cols.values()) col[w] = col[r];
      }
      w++;
    }
    const removed = this.n - w;
    this.n = w;
    if (removed) this.tree = null;
    return removed;
  }

  /** Removes the agents with these ids. */
  removeIds(ids: ReadonlySet<number>): number {
    return ids.size ? this.removeWhere((i) => ids.has(this.idArr[i])) : 0;
  }

  /** Moves agent i (clipped to `bounds` when given). */
  moveTo(i: number, x: number, y: number, bounds?: Bounds): void {
    this.xArr[i] = bounds ? Math.min(Math.max(x, bounds[0]), bounds[2]) : x;
    this.yArr[i] = bounds ? Math.min(Math.max(y, bounds[1]), bounds[3]) : y;
    this.tree = null;
  }

  /** `agent.walk(s, bounds)` for every agent in order: two scalar `np.random.uniform(-s, s)` draws each (dx, then dy). */
  walkEach(rng: NumpyRandomState, step: number, bounds?: Bounds): void {
    for (let i = 0; i < this.n; i++) {
      const dx = -step + 2 * step * rng.randomSample();
      const dy = -step + 2 * step * rng.randomSample();
      this.moveTo(i, this.xArr[i] + dx, this.yArr[i] + dy, bounds);
    }
  }

  /** `society.walk_all(s, bounds)`: n draws of dx, then n draws of dy, then all moves. */
  walkAll(rng: NumpyRandomState, step: number, bounds?: Bounds): void {
    const n = this.n;
    const dx = new Float64Array(n);
    const dy = new Float64Array(n);
    for (let i = 0; i < n; i++) dx[i] = -step + 2 * step * rng.randomSample();
    for (let i = 0; i < n; i++) dy[i] = -step + 2 * step * rng.randomSample();
    for (let i = 0; i < n; i++) this.moveTo(i, this.xArr[i] + dx[i], this.yArr[i] + dy[i], bounds);
  }

  /** Positions (in the order) of the agents within `radius` of agent i, as DisSModel's `neighbors_within` finds them. */
  neighborsWithin(i: number, radius: number): number[] {
    if (!this.tree) {
      const boxes: Box[] = new Array(this.n);
      for (let k = 0; k < this.n; k++) boxes[k] = [this.xArr[k], this.yArr[k], this.xArr[k], this.yArr[k]];
      this.tree = new StrTree(boxes);
    }
    const px = this.xArr[i];
    const py = this.yArr[i];
    const ring = pointBufferRing(px, py, radius);
    const out: number[] = [];
    for (const k of this.tree.query(ringBox(ring))) {
      if (k === i) continue;
      const x = this.xArr[k];
      const y = this.yArr[k];
      if (!ringCovers(ring, x, y)) continue;
      const dx = x - px;
      const dy = y - py;
      if (Math.sqrt(dx * dx + dy * dy) <= radius) out.push(k);
    }
    return out;
  }

  /** The agents as rows [id, x, y, ...columns] in one array (a frame of the step slider). */
  pack(): Float64Array {
    const w = 3 + this.columns.length;
    const out = new Float64Array(this.n * w);
    const cols = this.columns.map((c) => this.cols.get(c)!);
    for (let i = 0; i < this.n; i++) {
      out[i * w] = this.idArr[i];
      out[i * w + 1] = this.xArr[i];
      out[i * w + 2] = this.yArr[i];
      for (let c = 0; c < cols.length; c++) out[i * w + 3 + c] = cols[c][i];
    }
    return out;
  }
}
