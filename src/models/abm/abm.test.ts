/**
 * The dissmodel-abm models against DisSModel 0.6.1's own runs (tests/reference/abm_*.json,
 * made by tests/reference/scripts/make_abm.py): every recorded step, exactly.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { CellGrid } from '../../sim/agent-grid.ts';
import { Agents, type Bounds } from '../../sim/agents.ts';
import { NumpyGenerator } from '../../sim/numpy-generator.ts';
import { NumpyRandomState } from '../../sim/random.ts';
import { Environment } from '../../sim/scheduler.ts';
import { Peripherisation } from './peripherisation.ts';
import { KINDS, PredatorPrey } from './predator-prey.ts';
import { RandomWalk } from './random-walk.ts';
import { Schelling } from './schelling.ts';

const ref = (name: string) => JSON.parse(readFileSync(new URL(`../../../tests/reference/${name}`, import.meta.url), 'utf8'));

type Row = [number, number, number, ...(string | number)[]];

function agentsFrom(rows: Row[], columns: string[]): Agents {
  const a = new Agents(columns);
  for (const [id, x, y, ...rest] of rows) {
    const values: Record<string, number> = {};
    columns.forEach((c, i) => (values[c] = c === 'kind' ? KINDS.indexOf(rest[i] as 'sheep') : (rest[i] as number)));
    a.add(x, y, values, id);
  }
  return a;
}

function rowsOf(a: Agents, columns: string[]): Row[] {
  return Array.from(
    a.ids,
    (id, i) => [id, a.x[i], a.y[i], ...columns.map((c) => (c === 'kind' ? KINDS[a.column(c)[i]] : a.column(c)[i]))] as Row,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the reference vectors are JSON
type Case = any;
const casesOf = (file: { cases: Case[] }): [string, Case][] => file.cases.map((c) => [c.name as string, c]);

async function run(env: Environment, each: (t: number) => void): Promise<void> {
  await env.run(undefined, { afterTick: each });
}

describe('abm_random_walk.json: RandomWalkModel, every step', () => {
  const R = ref('abm_random_walk.json');
  it.each(casesOf(R))('%s', async (_name, c) => {
    const bounds = (c.params.bounds ?? [0, 0, 100, 100]) as Bounds;
    const agents = agentsFrom(c.initial, []);
    const env = new Environment({ startTime: c.environment.start_time, endTime: c.environment.end_time });
    new RandomWalk(env, agents, new NumpyRandomState(c.rng_seeded_by_script.S), c.params.step_size ?? 1, bounds);
    const seen: unknown[] = [];
    await run(env, (t) => seen.push({ t, agents: rowsOf(agents, []) }));
    expect(seen).toEqual(c.steps);
  });
});

describe('abm_predator_prey.json: PredatorPreyModel, every step', () => {
  const R = ref('abm_predator_prey.json');
  const columns = ['kind', 'energy'];
  it.each(casesOf(R))('%s', async (_name, c) => {
    const p = c.params;
    const agents = agentsFrom(c.initial, columns);
    const env = new Environment({ startTime: c.environment.start_time, endTime: c.environment.end_time });
    const m = new PredatorPrey(env, agents, new NumpyRandomState(c.rng_seeded_by_script.S), {
      stepSize: p.step_size ?? 1,
      bounds: (p.bounds ?? [0, 0, 100, 100]) as Bounds,
      eatRadius: p.eat_radius ?? 1,
      energyLoss: p.energy_loss ?? 1,
      energyGain: p.energy_gain ?? 5,
      reproduceThreshold: p.reproduce_threshold ?? 15,
      grazeGain: p.graze_gain ?? 0,
    });
    let queries: { wolf: number; candidates_in_sindex_order: number[] }[] = [];
    m.onQuery = (wolf, candidates) => queries.push({ wolf, candidates_in_sindex_order: candidates });
    let before = new Set(agents.ids);
    const sheep: number[] = [];
    const wolves: number[] = [];
    let k = 0;
    await run(env, (t) => {
      const want = c.steps[k++];
      const now = new Set(agents.ids);
      expect({
        t,
        sheep: m.sheep,
        wolves: m.wolves,
        neighbour_queries: queries,
        agents: rowsOf(agents, columns),
        removed: [...before].filter((id) => !now.has(id)).sort((a, b) => a - b),
      }).toEqual(want);
      sheep.push(m.sheep);
      wolves.push(m.wolves);
      queries = [];
      before = now;
    });
    expect(k).toBe(c.steps.length);
    expect({ Sheep: sheep, Wolves: wolves }).toEqual(c.series);
  });
});

describe('abm_schelling.json: SchellingModel, every step', () => {
  const R = ref('abm_schelling.json');
  it.each(casesOf(R))('%s', async (_name, c) => {
    const grid = new CellGrid(c.grid.n_cols, c.grid.n_rows);
    expect(grid.ids).toEqual(c.ids);
    // our Queen lists hold the same cells as libpysal's (order aside: Schelling only counts)
    for (let k = 0; k < grid.size; k++)
      expect(Array.from(grid.neighbours(k), (n) => grid.ids[n]).sort()).toEqual([...c.neighbours[grid.ids[k]]].sort());
    const env = new Environment({ startTime: c.environment.start_time, endTime: c.environment.end_time });
    const m = new Schelling(env, grid, c.params.preference ?? 3, c.params.free_space ?? 0.25, c.params.seed, 1000);
    expect(Array.from(m.type)).toEqual(c.setup_rng_calls[0].result);
    expect(Array.from(m.type)).toEqual(c.initial);
    const seen: unknown[] = [];
    await run(env, (t) => seen.push({ t, agent_type: Array.from(m.type), satisfaction: m.satisfaction }));
    expect(seen).toEqual(
      c.steps.map((s: { t: number; agent_type: number[]; satisfaction: number }) => ({
        t: s.t,
        agent_type: s.agent_type,
        satisfaction: s.satisfaction,
      })),
    );
    expect(seen.map((s) => (s as { satisfaction: number }).satisfaction)).toEqual(c.series.Satisfaction);
  });
});

describe('abm_peripherisation.json: PeripherisationModel (Barros), every step', () => {
  const R = ref('abm_peripherisation.json');
  it.each(casesOf(R))('%s', async (_name, c) => {
    const p = c.params;
    const grid = new CellGrid(c.grid.n_cols, c.grid.n_rows).withNeighbours(c.neighbours);
    expect(grid.ids).toEqual(c.ids);
    const env = new Environment({ startTime: c.environment.start_time, endTime: c.environment.end_time });
    const m = new Peripherisation(env, grid, {
      steps: p.steps ?? 2,
      proportions: p.proportions ?? [0.1, 0.4, 0.5],
      nAgents: p.n_agents ?? null,
      agentsPerStep: p.agents_per_step ?? 5,
      seedCells: p.seed_cells ?? null,
      seed: p.seed,
    });
    expect(m.seedCells).toEqual(c.seed_cells_used);
    expect({ group: Array.from(m.group), pending: [...m.pending] }).toEqual(c.initial);
    const seen: unknown[] = [];
    await run(env, (t) =>
      seen.push({
        t,
        group: Array.from(m.group),
        pending: [...m.pending],
        counts: { red: m.red, yellow: m.yellow, blue: m.blue, pending: m.pendingCount },
      }),
    );
    expect(seen).toEqual(c.steps.map(({ t, group, pending, counts }: Record<string, unknown>) => ({ t, group, pending, counts })));
  });
});

describe('the models’ draws are the recorded rng_calls, one for one (p vectors included)', () => {
  it.each(casesOf(ref('abm_peripherisation.json')))('Barros %s', async (_name, c) => {
    const p = c.params;
    const calls: { call: string; p?: number[]; result: number }[] = [];
    const integers = NumpyGenerator.prototype.integers;
    const choice = NumpyGenerator.prototype.choice;
    const si = vi.spyOn(NumpyGenerator.prototype, 'integers').mockImplementation(function (this: NumpyGenerator, k: number) {
      const r = integers.call(this, k);
      calls.push({ call: `integers(${k},)`, result: r });
      return r;
    });
    const sc = vi.spyOn(NumpyGenerator.prototype, 'choice').mockImplementation(function (this: NumpyGenerator, k, o) {
      const r = choice.call(this, k, o);
      calls.push({ call: `choice(${k}, p=[${k} weights])`, p: Array.from(o!.p!), result: r });
      return r;
    });
    try {
      const grid = new CellGrid(c.grid.n_cols, c.grid.n_rows).withNeighbours(c.neighbours);
      const env = new Environment({ startTime: 0, endTime: c.environment.end_time });
      new Peripherisation(env, grid, {
        steps: p.steps ?? 2,
        proportions: [0.1, 0.4, 0.5],
        nAgents: p.n_agents ?? null,
        agentsPerStep: p.agents_per_step ?? 5,
        seedCells: p.seed_cells ?? null,
        seed: p.seed,
      });
      const perStep: unknown[] = [];
      await run(env, () => perStep.push(calls.splice(0)));
      expect(perStep).toEqual(
        c.steps.map((s: { rng_calls: Record<string, unknown>[] }) =>
          s.rng_calls.map(({ call, p: probs, result }) => (probs ? { call, p: probs, result } : { call, result })),
        ),
      );
    } finally {
      si.mockRestore();
      sc.mockRestore();
    }
  });

  it.each(casesOf(ref('abm_schelling.json')))('Schelling %s', async (_name, c) => {
    const calls: { call: string; result: unknown }[] = [];
    const integers = NumpyGenerator.prototype.integers;
    const shuffle = NumpyGenerator.prototype.shuffle;
    const grid = new CellGrid(c.grid.n_cols, c.grid.n_rows);
    const si = vi.spyOn(NumpyGenerator.prototype, 'integers').mockImplementation(function (this: NumpyGenerator, k: number) {
      const r = integers.call(this, k);
      calls.push({ call: `integers(${k},)`, result: r });
      return r;
    });
    const ss = vi.spyOn(NumpyGenerator.prototype, 'shuffle').mockImplementation(function (this: NumpyGenerator, x) {
      shuffle.call(this, x);
      calls.push({ call: `shuffle(<list of ${x.length}>)`, result: Array.from(x as ArrayLike<number>, (k) => grid.ids[k]) });
    });
    try {
      const env = new Environment({ startTime: 0, endTime: c.environment.end_time });
      new Schelling(env, grid, c.params.preference ?? 3, c.params.free_space ?? 0.25, c.params.seed, 1000);
      calls.splice(0); // the setup shuffle (of types, not cells) is checked above
      const perStep: unknown[] = [];
      await run(env, () => perStep.push(calls.splice(0)));
      expect(perStep).toEqual(
        c.steps.map((s: { rng_calls: Record<string, unknown>[] }) => s.rng_calls.map(({ call, result }) => ({ call, result }))),
      );
    } finally {
      si.mockRestore();
      ss.mockRestore();
    }
  });
});
