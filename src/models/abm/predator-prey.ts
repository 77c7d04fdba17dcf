/**
 * dissmodel-abm's PredatorPreyModel: sheep and wolves with energy. Each tick, in agent
 * order (DisSModel's GeoDataFrame order):
 *
 * 1. every agent walks (two scalar Uniform(−step, step) draws, dx then dy, clipped);
 * 2. sheep graze (+graze_gain, when it is not 0) and every agent loses energy_loss;
 * 3. each wolf eats the FIRST not-yet-eaten sheep among its neighbours within eat_radius
 *    (+energy_gain), in the order DisSModel's spatial index lists them; the eaten sheep are
 *    removed after every wolf has looked, so a starving sheep can still be eaten;
 * 4. agents with energy ≤ 0 die;
 * 5. each agent with energy ≥ reproduce_threshold (decided before any birth) gets a child at
 *    its position with energy threshold/2 and id max(id)+1; the parent keeps its energy.
 *
 * `sheep` and `wolves` are the counts after the tick (DisSModel's tracked plots). Movement
 * is unseeded in DisSModel (numpy's legacy global generator); here it is seeded.
 */
import type { Agents, Bounds } from '../../sim/agents.ts';
import type { NumpyRandomState } from '../../sim/random.ts';
import { Model, type Environment } from '../kit/index.ts';

export const SHEEP = 0;
export const WOLF = 1;
export const KINDS = ['sheep', 'wolf'] as const;

export interface PredatorPreyRules {
  stepSize: number;
  bounds: Bounds;
  eatRadius: number;
  energyLoss: number;
  energyGain: number;
  reproduceThreshold: number;
  grazeGain: number;
}

export class PredatorPrey extends Model {
  sheep = 0;
  wolves = 0;
  /** Called with each wolf's neighbour query (ids, in the order found): lets a test compare the spatial index's order. */
  onQuery: ((wolf: number, candidates: number[]) => void) | null = null;

  constructor(
    env: Environment,
    readonly agents: Agents,
    private readonly rng: NumpyRandomState,
    readonly rules: PredatorPreyRules,
  ) {
    super(env);
  }

  override execute(): void {
    const a = this.agents;
    const r = this.rules;
    if (a.length === 0) {
      this.sheep = 0;
      this.wolves = 0;
      return;
    }
    // 1. movement
    a.walkEach(this.rng, r.stepSize, r.bounds);
    // 2. metabolism
    const kind = a.column('kind');
    const energy = a.column('energy');
    for (let i = 0; i < a.length; i++) {
      if (r.grazeGain && kind[i] === SHEEP) energy[i] += r.grazeGain;
      energy[i] -= r.energyLoss;
    }
    // 3. predation
    const eaten = new Set<number>();
    const ids = a.ids;
    for (let w = 0; w < a.length; w++) {
      if (kind[w] !== WOLF) continue;
      const near = a.neighborsWithin(w, r.eatRadius);
      this.onQuery?.(
        ids[w],
        near.map((k) => ids[k]),
      );
      const prey = near.find((k) => !eaten.has(ids[k]) && kind[k] === SHEEP);
      if (prey !== undefined) {
        eaten.add(ids[prey]);
        energy[w] += r.energyGain;
      }
    }
    a.removeIds(eaten);
    // 4. death
    const e = a.column('energy');
    a.removeWhere((i) => e[i] <= 0);
    // 5. reproduction
    const after = a.column('energy');
    const parents: number[] = [];
    for (let i = 0; i < a.length; i++) if (after[i] >= r.reproduceThreshold) parents.push(i);
    for (const i of parents) a.reproduce(i, { energy: r.reproduceThreshold / 2 });
    const k = a.column('kind');
    this.sheep = k.filter((v) => v === SHEEP).length;
    this.wolves = k.filter((v) => v === WOLF).length;
  }
}
