/**
 * CLUE-S (clue_s_vector) on four cells in a row, worked out by hand from the algorithm
 * (DISSMODEL-SPEC §6.5). Driver x = 0, 1, 2, 3; potentials f: 1/(1+e^x) + 0.5 where the
 * cell is f, d: 1/(1+e^−x) + 0.5 where it is d; factor_iteration 0.1.
 *
 *   x          0      1        2        3
 *   f_pot (f)  1.0    0.76894  0.61920  —        (+0.5 only where the cell is f)
 *   d_pot (d)  0.5    0.73106  0.88080  1.45257
 *
 * Start f f f d. Step 0, demand f 3, d 1: iteration 0 gives f f d d (cell 2: 0.6192 < 0.8808),
 * diff f +1, d −1 → iter f 0.1, d −0.1: still f f d d (0.7192 < 0.7808) → iter 0.2, −0.2:
 * f f f d (0.8192 > 0.6808), diff 0 → done after 2 iterations, the map unchanged.
 * Step 1, demand f 2, d 2: iteration 0 gives f f d d, diff 0 → done.
 */
import { describe, expect, it } from 'vitest';
import { MemoryIO } from '../../executor/memory-io.ts';
import type { JsonValue } from '../../executor/record.ts';
import { newRunRecord } from '../../executor/run-record.ts';
import { runExperiment } from '../../executor/run-experiment.ts';
import { readGeoJson } from '../../io/geojson.ts';
import '../index.ts';
import { ClueSVectorExecutor } from './clue-s-executor.ts';

const cells = {
  type: 'FeatureCollection',
  features: [0, 1, 2, 3].map((x) => ({
    type: 'Feature',
    properties: { x, f: x < 3 ? 1 : 0, d: x < 3 ? 0 : 1 },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [x, 0],
          [x + 1, 0],
          [x + 1, 1],
          [x, 1],
          [x, 0],
        ],
      ],
    },
  })),
};

function spec(tm: number[][], annual: number[][], allocation: Record<string, number>): Record<string, JsonValue> {
  return {
    land_use_types: ['f', 'd'],
    cell_area: 1,
    potential: [
      { const: 0, elasticity: 0.5, betas: { x: -1 } },
      { const: 0, elasticity: 0.5, betas: { x: 1 } },
    ],
    transition_matrix: { data: [tm] },
    allocation,
    annual_demand: annual,
  };
}

async function run(model: Record<string, JsonValue>, nSteps: number, startTime = 0) {
  const io = new MemoryIO();
  io.inputs.set('cells.geojson', new TextEncoder().encode(JSON.stringify(cells)));
  const record = newRunRecord({
    model_name: 'clue_s_vector',
    model_commit: 'test',
    code_version: 'dev',
    source: { uri: 'cells.geojson' },
    parameters: { n_steps: nSteps, start_time: startTime },
    resolved_spec: { model: model },
  });
  const r = await runExperiment(ClueSVectorExecutor, record, { io, output: 'out/clue_s.geojson' });
  if (r.error) throw r.error;
  const out = readGeoJson(io.written.get(r.record.output_path!)!);
  const column = (name: string) => out.features.map((f) => f.properties[name] as number);
  return { record: r.record, column };
}

describe('clue_s_vector on four cells, by hand', () => {
  it('step 0 iterates twice back to the start map, step 1 moves cell 2 to d at once', async () => {
    const r = await run(
      spec(
        [
          [1, 1],
          [1, 1],
        ],
        [
          [3, 1],
          [2, 2],
        ],
        { max_difference: 0, max_iteration: 100, factor_iteration: 0.1 },
      ),
      2,
    );
    expect(r.column('f')).toEqual([1, 1, 0, 0]);
    expect(r.column('d')).toEqual([0, 0, 1, 1]);
    expect(r.record.logs.join('\n')).toContain('iterations per step 2, 0; cells f 2, d 2');
    // the potentials of step 1, from the start-of-step map f f f d
    const fPot = [1.0, 0.5 + 1 / (1 + Math.E), 0.5 + 1 / (1 + Math.E ** 2), 1 / (1 + Math.E ** 3)];
    const dPot = [0.5, 1 / (1 + Math.E ** -1), 1 / (1 + Math.E ** -2), 0.5 + 1 / (1 + Math.E ** -3)];
    r.column('f_pot').forEach((v, i) => expect(v).toBeCloseTo(fPot[i], 14));
    r.column('d_pot').forEach((v, i) => expect(v).toBeCloseTo(dPot[i], 14));
    r.column('d_reg').forEach((v, i) => expect(v).toBeCloseTo(1 / (1 + Math.exp(-i)), 14));
  });

  it('the transition matrix keeps a d cell d: step 1 alone, demand f 4, d 0, converges within max_difference 1 after one iteration', async () => {
    // from f f f d: iteration 0 → f f d d (diff f +2, d −2) → iter 0.2/−0.2 → f f f d, diff ±1 ≤ 1; cell 3 may not become f
    const r = await run(
      spec(
        [
          [1, 1],
          [0, 1],
        ],
        [
          [3, 1],
          [4, 0],
        ],
        { max_difference: 1, max_iteration: 100, factor_iteration: 0.1 },
      ),
      1,
      1,
    );
    expect(r.column('f')).toEqual([1, 1, 1, 0]);
    expect(r.column('d')).toEqual([0, 0, 0, 1]);
    expect(r.record.logs.join('\n')).toContain('iterations per step 1;');
  });

  it('a demand the transition matrix forbids raises DisSModel’s error naming the step', async () => {
    await expect(
      run(
        spec(
          [
            [1, 1],
            [0, 1],
          ],
          [
            [3, 1],
            [4, 0],
          ],
          { max_difference: 0, max_iteration: 50, factor_iteration: 0.1 },
        ),
        2,
      ),
    ).rejects.toThrow(/^Allocation did not converge at step 1 \(error=1\.0\): after 50 iterations .* \(f 1, d -1\)/);
  });

  it('a demand shorter than the run names the missing steps', async () => {
    await expect(
      run(
        spec(
          [
            [1, 1],
            [1, 1],
          ],
          [[3, 1]],
          { max_difference: 0 },
        ),
        2,
      ),
    ).rejects.toThrow(/annual_demand has 1 row \(steps 0…0\), but the run executes steps 0…1: no demand for step 1/);
  });
});
