import { describe, expect, it } from 'vitest';
import { executeLifecycle } from '../../executor/lifecycle.ts';
import { MemoryIO } from '../../executor/memory-io.ts';
import { createRecord, getOutputSha256, type JsonValue } from '../../executor/record.ts';
import { runContractTests } from '../../executor/harness.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import type { ExecutorClass } from '../../executor/executor.ts';
import { sha256Hex } from '../../io/sha256.ts';
import type { SimOutput } from '../../sim/output.ts';
import { LorenzExecutor, PredatorPreyExecutor, SirExecutor } from './executor.ts';

interface Parsed {
  columns: string[];
  rows: number[][];
}

function parseCsv(bytes: Uint8Array): Parsed {
  const text = new TextDecoder().decode(bytes);
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.slice(0, -1).split('\n');
  return { columns: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',').map(Number)) };
}

async function runExecutor(cls: ExecutorClass, parameters: Record<string, JsonValue> = {}) {
  const io = new MemoryIO();
  const record = createRecord({ model_name: cls.spec.name, parameters, output_path: `out/${cls.spec.name}.csv` });
  const outcome = await executeLifecycle(new cls(), record, { io });
  expect(outcome.error, String(outcome.error)).toBeUndefined();
  expect(record.status).toBe('completed');
  const bytes = io.written.get(`out/${cls.spec.name}.csv`)!;
  expect(bytes).toBeDefined();
  expect(getOutputSha256(record)).toBe(sha256Hex(bytes));
  return { record, bytes, csv: parseCsv(bytes), result: outcome.result as SimOutput };
}

const col = (p: Parsed, name: string) => {
  const i = p.columns.indexOf(name);
  expect(i, `column ${name}`).toBeGreaterThanOrEqual(0);
  return p.rows.map((r) => r[i]);
};

describe('sysdyn executors (DISSMODEL-SPEC §6.1, reference values §9.1)', () => {
  it('are registered and pass the contract checks', () => {
    for (const cls of [SirExecutor, PredatorPreyExecutor, LorenzExecutor]) {
      expect(ExecutorRegistry.get(cls.spec.name)).toBe(cls);
      const report = runContractTests(cls);
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(cls.spec.inputs).toEqual(['none']);
      expect(cls.spec.output).toEqual({ kind: 'table', extension: 'csv', mediaType: 'text/csv' });
    }
  });

  it('sir: defaults, 31 rows from t=0, exact final state and first infected values', async () => {
    const { record, csv, result } = await runExecutor(SirExecutor);
    expect(record.parameters).toMatchObject({
      susceptible: 9998,
      infected: 2,
      recovered: 0,
      duration: 2,
      contacts: 6,
      probability: 0.25,
      start_time: 0,
      end_time: 30,
    });
    expect(csv.columns).toEqual(['time', 'susceptible', 'infected', 'recovered']);
    expect(csv.rows.length).toBe(31);
    expect(col(csv, 'time')).toEqual(Array.from({ length: 31 }, (_, i) => i));
    const infected = col(csv, 'infected');
    expect(infected.slice(0, 5)).toEqual([3.9994, 7.995800809945999, 15.978413944749711, 31.901759849287366, 63.57914552687353]);
    expect(Math.max(...infected)).toBe(3557.795535034126);
    const last = csv.rows[30];
    expect(last[1]).toBe(248.74189627155926);
    expect(last[2]).toBe(0.08620757653061724);
    expect(last[3]).toBe(9751.17189615191);
    // the series for the UI holds the same values
    expect(result.kind).toBe('table');
    expect(result.series.steps).toEqual(col(csv, 'time'));
    expect(result.series.values.infected).toEqual(infected);
    expect(result.series.values.susceptible.at(-1)).toBe(248.74189627155926);
  });

  it('predator_prey: exact final state and first prey values (predator uses the updated prey)', async () => {
    const { csv } = await runExecutor(PredatorPreyExecutor);
    expect(csv.columns).toEqual(['time', 'prey', 'predator']);
    expect(csv.rows.length).toBe(101);
    expect(col(csv, 'prey').slice(0, 4)).toEqual([1040.0, 1081.56672, 1124.724146324407, 1169.49117303521]);
    expect(csv.rows[100]).toEqual([100, 224.40405617139686, 90.98358898757952]);
  });

  it('lorenz: exact final state after 3001 executions and first x values', async () => {
    const { csv, result } = await runExecutor(LorenzExecutor);
    expect(csv.columns).toEqual(['time', 'x', 'y', 'z']);
    expect(csv.rows.length).toBe(3001);
    expect(col(csv, 'x').slice(0, 4)).toEqual([1.0, 1.026, 1.0751566666666668, 1.1456131764000002]);
    expect(csv.rows[3000]).toEqual([3000, -1.7712557235376039, -5.7714989975206095, 25.971398870483217]);
    expect(result.series.values.z.length).toBe(3001);
  });

  it('start_time shifts the time column; identical bytes on a re-run', async () => {
    const a = await runExecutor(SirExecutor, { start_time: 5, end_time: 10 });
    expect(col(a.csv, 'time')).toEqual([5, 6, 7, 8, 9, 10]);
    expect(a.csv.rows[0][2]).toBe(3.9994);
    const b = await runExecutor(SirExecutor, { start_time: 5, end_time: 10 });
    expect(sha256Hex(b.bytes)).toBe(sha256Hex(a.bytes));
  });

  it('refuses bad parameters with a message naming them', async () => {
    for (const [params, pattern] of [
      [{ probability: 1.5 }, /probability.*out of range \[0, 1\]/],
      [{ end_time: 3, start_time: 4 }, /end_time \(3\) must not be before start_time \(4\)/],
      [{ susceptible: 0, infected: 0, recovered: 0 }, /total population/],
    ] as const) {
      const record = createRecord({ model_name: 'sir', parameters: { ...params } });
      const out = await executeLifecycle(new SirExecutor(), record, { io: new MemoryIO() });
      expect(record.status).toBe('failed');
      expect(out.failedPhase).toBe('validate');
      expect(record.logs.at(-1)).toMatch(pattern);
    }
  });
});
