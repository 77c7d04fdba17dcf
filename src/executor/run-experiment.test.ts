/**
 * runExperiment — what every host does around executeLifecycle — and
 * newRunRecord, the one builder of run records, on a small real executor
 * (reverses its input's bytes) and an in-memory host.
 */
import { describe, expect, it } from 'vitest';
import type { RunContext } from './context.ts';
import { InputError } from './errors.ts';
import { ModelExecutor, type ExecutorSpec } from './executor.ts';
import { checkExecutor } from './harness.ts';
import { MemoryIO } from './memory-io.ts';
import { parseRecordJson, type ExperimentRecord } from './record.ts';
import { runExperiment } from './run-experiment.ts';
import { newRunRecord, sourceTypeOf } from './run-record.ts';
import { sha256Hex } from './sha256.ts';

class Reverse extends ModelExecutor<Uint8Array, Uint8Array> {
  static readonly spec: ExecutorSpec = {
    name: 'reverse_test',
    title: 'Reverse',
    description: 'reverses the bytes of its input',
    family: 'test',
    inputs: ['raster'],
    params: { seed: { type: 'seed', description: 'unused, drawn when missing' } },
    output: { kind: 'raster', extension: 'bin', mediaType: 'application/octet-stream' },
  };
  async load(record: ExperimentRecord, ctx: RunContext): Promise<Uint8Array> {
    const bytes = await ctx.io.read(record.source.uri);
    record.source.checksum = sha256Hex(bytes);
    return bytes;
  }
  run(data: Uint8Array, _record: ExperimentRecord): Uint8Array {
    return data.slice().reverse();
  }
  async save(result: Uint8Array, record: ExperimentRecord, ctx: RunContext): Promise<ExperimentRecord> {
    record.output_path = await ctx.io.write(record.output_path!, result);
    record.artifacts.output = sha256Hex(result);
    return record;
  }
}

const input = new Uint8Array([1, 2, 3, 4]);
const host = () => {
  const io = new MemoryIO();
  io.inputs.set('in.bin', input);
  return io;
};
const record = () =>
  newRunRecord({
    model_name: 'reverse_test',
    model_commit: 'test',
    code_version: 'dev',
    source: { uri: 'in.bin' },
    parameters: { seed: 7 },
  });

describe('runExperiment', () => {
  it('injects the id, runs the lifecycle, then writes profiling and the record, which holds the profiling checksum', async () => {
    const io = host();
    const rec = record();
    const id8 = rec.experiment_id.slice(0, 8);
    const r = await runExperiment(Reverse, rec, { io, output: 'out/rev.bin' });
    expect(r.error).toBeUndefined();
    expect(rec.status).toBe('completed');
    expect(rec.output_path).toBe(`out/rev_${id8}.bin`);
    expect([...io.written.keys()]).toEqual([`out/rev_${id8}.bin`, `out/profiling_${id8}.md`, `out/rev_${id8}.record.json`]);
    expect(io.written.get(`out/rev_${id8}.bin`)).toEqual(new Uint8Array([4, 3, 2, 1]));
    const md = io.written.get(`out/profiling_${id8}.md`)!;
    expect(new TextDecoder().decode(md)).toMatch(/^# Profiling Report: reverse_test\n/);
    expect(rec.artifacts.profiling).toBe(sha256Hex(md));
    expect(rec.logs).toContain(`Profiling saved to out/profiling_${id8}.md`);
    const json = new TextDecoder().decode(io.written.get(`out/rev_${id8}.record.json`));
    expect(json).toBe(r.artifacts!.recordJson);
    expect(parseRecordJson(json)).toEqual(rec);
  });

  it('a directory gets simulacao_<id8>.<ext>; without an output the default is outputs/<id>/output.<ext>', async () => {
    const a = record();
    await runExperiment(Reverse, a, { io: host(), output: 'runs', outputIsDir: true });
    expect(a.output_path).toBe(`runs/simulacao_${a.experiment_id.slice(0, 8)}.bin`);
    const b = record();
    await runExperiment(Reverse, b, { io: host() });
    expect(b.output_path).toBe(`outputs/${b.experiment_id}/output.bin`);
  });

  it('draws a missing seed with the core drawSeed and records it', async () => {
    const rec = newRunRecord({ model_name: 'reverse_test', model_commit: 'test', code_version: 'dev', source: { uri: 'in.bin' } });
    await runExperiment(Reverse, rec, { io: host(), output: 'x.bin' });
    expect(Number.isInteger(rec.parameters.seed)).toBe(true);
  });

  it('returns a failed phase with its error and writes no artefact', async () => {
    const io = new MemoryIO();
    const rec = record();
    const r = await runExperiment(Reverse, rec, { io, output: 'x.bin' });
    expect(r.failedStep).toBe('load');
    expect(r.error).toBeInstanceOf(InputError);
    expect(rec.status).toBe('failed');
    expect(r.artifacts).toBeUndefined();
    expect(io.written.size).toBe(0);
  });

  it('reports a failed artefact write as the step "artifacts"', async () => {
    const io = host();
    const write = io.write.bind(io);
    io.write = async (path, bytes) => (path.endsWith('.md') ? Promise.reject(new Error('disk full')) : write(path, bytes));
    const r = await runExperiment(Reverse, record(), { io, output: 'x.bin' });
    expect(r.failedStep).toBe('artifacts');
    expect(String(r.error)).toContain('disk full');
  });
});

describe('newRunRecord', () => {
  it('starts pending and empty, derives the source type, and copies what it is given', () => {
    const params = { k: 1 };
    const bandMap = { state: 'band_1' };
    const rec = newRunRecord({
      model_name: 'm',
      model_commit: 'c',
      code_version: 'v',
      source: { uri: 'https://example.org/x.tif' },
      parameters: params,
      band_map: bandMap,
    });
    expect(rec).toMatchObject({ status: 'pending', artifacts: {}, metrics: {}, logs: [], output_path: null });
    expect(rec.source).toEqual({ type: 'http', uri: 'https://example.org/x.tif', collection: '', version: '', checksum: '' });
    params.k = 2;
    bandMap.state = 'other';
    expect(rec.parameters).toEqual({ k: 1 });
    expect(rec.band_map).toEqual({ state: 'band_1' });
    expect(rec.experiment_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('source types as DisSModel names them', () => {
    expect(['s3://b/k', 'HTTP://x', 'sample:a.tif', 'file:a.tif', 'file:///a.tif', 'a/b.tif'].map(sourceTypeOf)).toEqual([
      's3',
      'http',
      'sample',
      'file',
      'local',
      'local',
    ]);
  });
});

describe('checkExecutor (dissmodel check)', () => {
  const io = { read: async (uri: string) => (uri === 'in.bin' ? input : Promise.reject(new InputError(`no ${uri}`))) };
  const failing = async (cls: typeof Reverse) => (await checkExecutor(cls, { io, input: 'in.bin' })).checks.filter((c) => !c.ok);

  it('passes a sound executor: validate without I/O, a full cycle, two runs alike', async () => {
    const report = await checkExecutor(Reverse, { io, input: 'in.bin' });
    expect(report.passed).toBe(true);
    expect(report.checks.slice(-3).map((c) => c.name)).toEqual([
      'validate does no I/O',
      'full cycle on in.bin',
      'two runs give the same output bytes',
    ]);
  });

  it('names validate reading its input', async () => {
    class Peeks extends Reverse {
      override async validate(record: ExperimentRecord, ctx: RunContext): Promise<void> {
        await ctx.io.read(record.source.uri);
      }
    }
    expect(await failing(Peeks)).toEqual([{ name: 'validate does no I/O', ok: false, message: 'validate did read in.bin' }]);
  });

  it('names a load that sets no checksum, and a run that differs between two runs', async () => {
    class NoChecksum extends Reverse {
      override async load(record: ExperimentRecord, ctx: RunContext): Promise<Uint8Array> {
        return ctx.io.read(record.source.uri);
      }
    }
    expect((await failing(NoChecksum)).map((c) => [c.name, c.message])).toEqual([
      ['full cycle on in.bin', 'load did not set source.checksum'],
    ]);
    let calls = 0;
    class Drifts extends Reverse {
      override run(data: Uint8Array, _record: ExperimentRecord): Uint8Array {
        return data.map((v) => v + calls++);
      }
    }
    expect((await failing(Drifts)).map((c) => c.name)).toEqual(['two runs give the same output bytes']);
  });
});
