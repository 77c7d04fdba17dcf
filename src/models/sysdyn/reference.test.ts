/**
 * The rest of dissmodel-sysdyn against tests/reference/sysdyn_*.json, made by
 * running DisSModel 0.6.1's scheduler with dissmodel-sysdyn's own model
 * classes (tests/reference/scripts/make_sysdyn.py). Every case, every
 * execution: the CSV's time column is the clock of each execution and every
 * tracked column equals DisSModel's value bit for bit (the CSV's shortest
 * round-trip decimals parse back to the same doubles).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExecutorClass } from '../../executor/executor.ts';
import { runContractTests } from '../../executor/harness.ts';
import { executeLifecycle } from '../../executor/lifecycle.ts';
import { MemoryIO } from '../../executor/memory-io.ts';
import { createRecord, type JsonValue } from '../../executor/record.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import './catalogue.ts';
import { ELEVATION_FT, SURFACE_KM2 } from './mono-lake.ts';

interface RefCase {
  name: string;
  params: Record<string, JsonValue>;
  environment: { start_time: number; end_time: number };
  executions: number;
  steps: Array<Record<string, number>>;
}

const reference = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../../tests/reference/${file}`, import.meta.url), 'utf8')) as { model: string; cases: RefCase[] };

/** Each model: its executor, its reference file and the columns of its table (the reference's attributes). */
const CATALOGUE: Array<{ name: string; file: string; columns: string[] }> = [
  { name: 'population_growth', file: 'sysdyn_population_growth.json', columns: ['population', 'growth'] },
  { name: 'chaotic_growth', file: 'sysdyn_chaotic_growth.json', columns: ['pop'] },
  { name: 'limited_growth', file: 'sysdyn_limited_growth.json', columns: ['pop'] },
  { name: 'homeostasis', file: 'sysdyn_homeostasis.json', columns: ['stock'] },
  { name: 'yeast', file: 'sysdyn_yeast.json', columns: ['cells'] },
  { name: 'random_walk', file: 'sysdyn_random_walk.json', columns: ['value'] },
  { name: 'room_temperature', file: 'sysdyn_room_temperature.json', columns: ['inside', 'outside'] },
  { name: 'tub', file: 'sysdyn_tub.json', columns: ['water'] },
  { name: 'mono_lake', file: 'sysdyn_mono_lake.json', columns: ['water_in_lake', 'level'] },
  { name: 'daisyworld', file: 'sysdyn_daisyworld.json', columns: ['white_area', 'black_area', 'empty_area', 'ave_temp'] },
];

async function runCsv(cls: ExecutorClass, parameters: Record<string, JsonValue>) {
  const io = new MemoryIO();
  const record = createRecord({ model_name: cls.spec.name, parameters, output_path: `out/${cls.spec.name}.csv` });
  const outcome = await executeLifecycle(new cls(), record, { io });
  expect(outcome.error, String(outcome.error)).toBeUndefined();
  const text = new TextDecoder().decode(io.written.get(record.output_path!)!);
  const [header, ...lines] = text.trimEnd().split('\n');
  const columns = header.split(',');
  const rows = lines.map((l) => l.split(',').map(Number));
  return { record, columns, column: (name: string) => rows.map((r) => r[columns.indexOf(name)]) };
}

describe("mono_lake's splines are scipy's not-a-knot CubicSplines through Ford's tables", () => {
  const ref = JSON.parse(readFileSync(new URL('../../../tests/reference/sysdyn_mono_lake.json', import.meta.url), 'utf8')) as {
    spline_coefficients: { breakpoints: number[]; surface: { y: number[]; c: number[][] }; elevation: { y: number[]; c: number[][] } };
  };
  const sc = ref.spline_coefficients;
  for (const [name, spline, table] of [
    ['surface', SURFACE_KM2, sc.surface],
    ['elevation', ELEVATION_FT, sc.elevation],
  ] as const) {
    it(`${name}: scipy's coefficients, through every data point, not-a-knot at the second and second-to-last knots`, () => {
      expect(spline.breakpoints).toEqual(sc.breakpoints);
      expect(spline.c).toEqual(table.c);
      sc.breakpoints.forEach((x, i) => expect(spline.at(x)).toBeCloseTo(table.y[i], 9));
      // not-a-knot: the third derivative (6·c[0]) does not jump at x_1 and x_7
      expect(spline.c[0][1]).toBeCloseTo(spline.c[0][0], 20);
      expect(spline.c[0][7]).toBeCloseTo(spline.c[0][6], 20);
      // it extrapolates with the end pieces
      expect(spline.at(9000)).toBeGreaterThan(table.y[8]);
    });
  }
});

describe('dissmodel-sysdyn catalogue vs DisSModel 0.6.1 (every case, every execution, exact)', () => {
  for (const entry of CATALOGUE) {
    const ref = reference(entry.file);
    describe(`${entry.name} (${ref.model})`, () => {
      const cls = () => ExecutorRegistry.get(entry.name);

      it('is registered, takes no input, writes a table and passes the contract checks', () => {
        expect(cls().spec.inputs).toEqual(['none']);
        expect(cls().spec.output.kind).toBe('table');
        expect(runContractTests(cls()).checks.filter((c) => !c.ok)).toEqual([]);
      });

      for (const c of ref.cases) {
        it(`${c.name}: ${c.executions} executions`, async () => {
          const { columns, column } = await runCsv(cls(), { ...c.params, ...c.environment });
          expect(columns).toEqual(['time', ...entry.columns]);
          expect(column('time')).toEqual(c.steps.map((s) => s.t));
          for (const name of entry.columns) expect(column(name), name).toEqual(c.steps.map((s) => s[name]));
        });
      }
    });
  }
});
