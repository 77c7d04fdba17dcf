import { describe, expect, it } from 'vitest';
import { PythonRandom } from '../../sim/random.ts';
import { Environment } from '../../sim/scheduler.ts';
import { CellSpace } from './space.ts';
import { ATOM1, ATOM2, SolidDiffusion, VACANCY } from './solid-diffusion.ts';

const ids = (m: SolidDiffusion, i: number) => m.neighboursOf(i).map((j) => m.space.ids[j]);

describe('solid_diffusion candidates: transposed (DisSModel) or the cell’s own Moore neighbours', () => {
  const space = CellSpace.fromRaster(9, 9);
  const make = (c: 'transposed' | 'moore') =>
    new SolidDiffusion(
      new Environment({ startTime: 0, endTime: 3 }),
      space,
      SolidDiffusion.initialize(space, 9),
      9,
      c,
      new PythonRandom(1),
    );

  it("transposed: cell '1-4' lists the Moore neighbours of '4-1', dy outer, dx inner; a diagonal cell lists itself", () => {
    const m = make('transposed');
    expect(ids(m, space.at(1, 4))).toEqual(['3-0', '3-1', '3-2', '4-0', '4-2', '5-0', '5-1', '5-2']);
    expect(ids(m, space.at(2, 3))).toContain('2-3');
  });

  it("moore: cell '1-4' lists its own neighbours; a corner has 3", () => {
    const m = make('moore');
    expect(ids(m, space.at(1, 4)).sort()).toEqual(['0-3', '0-4', '0-5', '1-3', '1-5', '2-3', '2-4', '2-5']);
    expect(ids(m, space.at(0, 0)).sort()).toEqual(['0-1', '1-0', '1-1']);
  });

  it('both conserve the atoms and the vacancies, and they move differently', async () => {
    const counts = (s: Uint8Array) => [ATOM1, ATOM2, VACANCY].map((v) => s.filter((x) => x === v).length);
    const runs = [];
    for (const c of ['transposed', 'moore'] as const) {
      const env = new Environment({ startTime: 0, endTime: 5 });
      const m = new SolidDiffusion(env, space, SolidDiffusion.initialize(space, 9), 9, c, new PythonRandom(7));
      const before = counts(m.state);
      await env.run();
      expect(counts(m.state)).toEqual(before);
      runs.push(Array.from(m.state));
    }
    expect(runs[0]).not.toEqual(runs[1]);
  });
});
