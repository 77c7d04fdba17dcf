import { describe, expect, it } from 'vitest';
import { injectId, profilingMarkdown, profilingPathFor, recordPathFor } from './artifacts.ts';
import type { RunContext } from './context.ts';
import { CancelledError, InputError, RegistryError } from './errors.ts';
import { ModelExecutor, type ExecutorSpec } from './executor.ts';
import { runContractTests } from './harness.ts';
import { executeLifecycle } from './lifecycle.ts';
import { MemoryIO } from './memory-io.ts';
import { createRecord, type ExperimentRecord } from './record.ts';
import { ExecutorRegistry } from './registry.ts';

/** A tiny executor whose phases take fixed fake time and can be told to fail. */
class Probe extends ModelExecutor<number, number> {
  static readonly spec: ExecutorSpec = {
    name: 'probe_test',
    title: 'Probe',
    description: 'test executor',
    family: 'test',
    inputs: ['none'],
    params: { steps: { type: 'int', default: 3, min: 1, max: 10, description: 'steps' } },
    output: { kind: 'table', extension: 'csv', mediaType: 'text/csv' },
  };
  static {
    ExecutorRegistry.register(this);
  }
  failIn: string | null = null;
  load(record: ExperimentRecord): number {
    if (this.failIn === 'load') throw new InputError('no such band');
    return record.parameters.steps as number;
  }
  async run(n: number, _record: ExperimentRecord, ctx: RunContext): Promise<number> {
    for (let k = 1; k <= n; k++) await ctx.tick(k, n);
    if (this.failIn === 'run') throw new Error('boom');
    return n * 2;
  }
  async save(result: number, record: ExperimentRecord, ctx: RunContext): Promise<ExperimentRecord> {
    record.output_path = await ctx.io.write('out.csv', new TextEncoder().encode(String(result)));
    record.artifacts.output = 'f'.repeat(64);
    return record;
  }
}

function fakeClock(stepMs: number) {
  let t = 0;
  return () => (t += stepMs);
}

describe('executeLifecycle', () => {
  it('runs validate → load → run → save, times each phase in seconds with 3 decimals', async () => {
    const rec = createRecord({ model_name: 'probe_test' });
    const phases: string[] = [];
    const out = await executeLifecycle(new Probe(), rec, {
      io: new MemoryIO(),
      now: fakeClock(1234.5678),
      onProgress: (p) => phases.push(p.step ? `${p.phase}:${p.step}/${p.total}` : p.phase),
    });
    expect(out.error).toBeUndefined();
    expect(rec.status).toBe('completed');
    expect(out.result).toBe(6);
    expect(rec.parameters).toEqual({ steps: 3 });
    expect(out.timings).toEqual({
      time_validate_sec: 1.235,
      time_load_sec: 1.235,
      time_run_sec: 1.235,
      time_save_sec: 1.235,
      time_total_sec: 4.938,
    });
    expect(rec.metrics).toMatchObject(out.timings);
    expect(phases).toEqual(['validate', 'load', 'run', 'run:1/3', 'run:2/3', 'run:3/3', 'save']);
  });

  it('a failing phase leaves status failed, the error in logs and the timings of the phases that ran', async () => {
    const ex = new Probe();
    ex.failIn = 'run';
    const rec = createRecord();
    const out = await executeLifecycle(ex, rec, { io: new MemoryIO(), now: fakeClock(1000) });
    expect(rec.status).toBe('failed');
    expect(out.failedPhase).toBe('run');
    expect(rec.logs.at(-1)).toMatch(/Failed during run: Error: boom/);
    expect(Object.keys(out.timings)).toEqual(['time_validate_sec', 'time_load_sec', 'time_run_sec', 'time_total_sec']);
    expect(rec.metrics.time_save_sec).toBeUndefined();
  });

  it('typed errors keep their message; invalid parameters fail in validate', async () => {
    const rec = createRecord({ parameters: { steps: 99 } });
    const out = await executeLifecycle(new Probe(), rec, { io: new MemoryIO() });
    expect(out.failedPhase).toBe('validate');
    expect(rec.logs.at(-1)).toBe("Failed during validate: parameter 'steps' = 99 is out of range [1, 10].");
  });

  it('refuses an end_time before start_time for every executor', async () => {
    const rec = createRecord({ parameters: { start_time: 5, end_time: 2 } });
    const out = await executeLifecycle(new Probe(), rec, { io: new MemoryIO() });
    expect(out.failedPhase).toBe('validate');
    expect(rec.logs.at(-1)).toBe('Failed during validate: end_time (2) must not be before start_time (5).');
  });

  it('an abort ends the run as cancelled between steps', async () => {
    const ac = new AbortController();
    const rec = createRecord({ parameters: { steps: 10 } });
    const out = await executeLifecycle(new Probe(), rec, {
      io: new MemoryIO(),
      signal: ac.signal,
      onProgress: (p) => {
        if (p.step === 2) ac.abort();
      },
    });
    expect(rec.status).toBe('cancelled');
    expect(out.error).toBeInstanceOf(CancelledError);
    expect(out.failedPhase).toBe('run');
  });
});

describe('ExecutorRegistry', () => {
  it('gets registered executors and lists the available ones on a miss', () => {
    expect(ExecutorRegistry.get('probe_test')).toBe(Probe);
    expect(ExecutorRegistry.list()).toContain('probe_test');
    expect(() => ExecutorRegistry.get('nope')).toThrow(RegistryError);
    expect(() => ExecutorRegistry.get('nope')).toThrow(/Available: .*probe_test/);
  });

  it('refuses a second executor under a taken name', () => {
    expect(() => {
      class Twin extends Probe {
        static override readonly spec = Probe.spec;
        static {
          ExecutorRegistry.register(this);
        }
      }
      void Twin;
    }).toThrow(/already registered/);
  });

  it('the contract harness passes a sound executor and names what a broken one lacks', () => {
    expect(runContractTests(Probe).passed).toBe(true);
    class Broken extends Probe {
      static override readonly spec = {
        ...Probe.spec,
        name: 'has space',
        params: { x: { type: 'int' as const, default: 50, max: 5, description: 'x' } },
      };
    }
    const report = runContractTests(Broken);
    expect(report.passed).toBe(false);
    const failed = report.checks.filter((c) => !c.ok).map((c) => c.name);
    expect(failed).toEqual(['name has no whitespace', 'name is snake_case', 'parameter schema is sane']);
  });
});

describe('artefact names', () => {
  it('injects the id prefix as DisSModel does', () => {
    expect(injectId('out/gol.tif', '1a2b3c4d', 'tif')).toBe('out/gol_1a2b3c4d.tif');
    expect(injectId('out/gol_1a2b3c4d.tif', '1a2b3c4d', 'tif')).toBe('out/gol_1a2b3c4d.tif');
    expect(injectId('out/', '1a2b3c4d', 'tif')).toBe('out/simulacao_1a2b3c4d.tif');
    expect(injectId('out', '1a2b3c4d', 'tif', true)).toBe('out/simulacao_1a2b3c4d.tif');
    expect(recordPathFor('out/gol_1a2b3c4d.tif')).toBe('out/gol_1a2b3c4d.record.json');
    expect(profilingPathFor('out/gol_1a2b3c4d.tif', '1a2b3c4d')).toBe('out/profiling_1a2b3c4d.md');
    expect(profilingPathFor(null, '1a2b3c4d')).toBe('profiling_1a2b3c4d.md');
  });

  it('writes the profiling table, even for a zero total', () => {
    const rec = createRecord({
      experiment_id: 'ab'.repeat(16),
      metrics: { time_validate_sec: 0, time_load_sec: 0, time_run_sec: 0, time_save_sec: 0, time_total_sec: 0 },
    });
    const md = profilingMarkdown(rec, 'game_of_life');
    expect(md).toContain('# Profiling Report: game_of_life');
    expect(md).toContain('| **Total**    | **0.000** | **100%** |');
  });
});
