/**
 * dissmodel-abm's RandomWalkModel: every tick each agent moves by an independent offset
 * drawn from Uniform(−step_size, step_size) in x and in y and is clipped to the bounds
 * (`society.walk_all`: all dx first, then all dy, in agent order).
 *
 * DisSModel draws from numpy's legacy global generator, unseeded; here it is
 * `np.random.seed(seed)`'s generator, so a seed reproduces a run exactly.
 */
import type { Agents, Bounds } from '../../sim/agents.ts';
import type { NumpyRandomState } from '../../sim/random.ts';
import { Model, type Environment } from '../kit/index.ts';

export class RandomWalk extends Model {
  constructor(
    env: Environment,
    readonly agents: Agents,
    private readonly rng: NumpyRandomState,
    readonly stepSize: number,
    readonly bounds: Bounds,
  ) {
    super(env);
  }

  override execute(): void {
    this.agents.walkAll(this.rng, this.stepSize, this.bounds);
  }
}
