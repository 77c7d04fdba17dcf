/** The bundled samples are exactly what scripts/samples.ts builds, and the manifest lists them all. */
import { readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSamples, SAMPLE_MANIFEST } from '../scripts/samples.ts';
import { ExecutorRegistry } from '../src/models/index.ts';
import { parseDataset } from '../src/io/dataset.ts';
import { executeLifecycle } from '../src/executor/lifecycle.ts';
import { MemoryIO } from '../src/executor/memory-io.ts';
import { createRecord } from '../src/executor/record.ts';

const dir = resolve(import.meta.dirname, '../public/samples');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('bundled samples', () => {
  it('the generated ones are byte-identical to a fresh build (deterministic writers)', () => {
    for (const [file, bytes] of Object.entries(buildSamples())) {
      expect(sha(readFileSync(join(dir, file))), file).toBe(sha(bytes));
    }
  });

  it('index.json is the manifest and every listed file exists, parses and names registered models', async () => {
    expect(JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'))).toEqual(SAMPLE_MANIFEST);
    const files = readdirSync(dir)
      .filter((f) => f !== 'index.json')
      .sort();
    const extras = SAMPLE_MANIFEST.flatMap((s) => Object.values(s.inputs ?? {}));
    expect(files).toEqual([...SAMPLE_MANIFEST.map((s) => s.file), ...extras].sort());
    for (const f of extras) expect(files, f).toContain(f);
    for (const s of SAMPLE_MANIFEST) {
      const ds = await parseDataset(s.file, new Uint8Array(readFileSync(join(dir, s.file))));
      expect(ds.kind, s.file).toBe(s.kind);
      for (const m of s.models) expect(ExecutorRegistry.has(m), `${s.file} → ${m}`).toBe(true);
    }
  });
});

describe('every model runs on every bundled sample that lists it', () => {
  const runs = SAMPLE_MANIFEST.flatMap((s) => s.models.map((model) => ({ file: s.file, model, inputs: s.inputs ?? {} })));
  it.each(runs)('$model on $file (3 ticks)', async ({ file, model, inputs }) => {
    const cls = ExecutorRegistry.get(model);
    const io = new MemoryIO();
    io.inputs.set(file, new Uint8Array(readFileSync(join(dir, file))));
    const start = cls.spec.params.start_time?.type === 'int' ? cls.spec.params.start_time.default : 0;
    const parameters: Record<string, number | string> = 'end_time' in cls.spec.params ? { end_time: start + 2 } : {};
    // The sample's second inputs (a demand CSV, a reference map), where the model declares them.
    for (const extra of cls.spec.extraInputs ?? []) {
      const name = inputs[extra.param];
      if (!name) continue;
      io.inputs.set(name, new Uint8Array(readFileSync(join(dir, name))));
      parameters[extra.param] = name;
    }
    const record = createRecord({ model_name: model, source: { uri: file }, parameters, output_path: `out/${model}` });
    const outcome = await executeLifecycle(new cls(), record, { io, drawSeed: () => 1 });
    expect(outcome.error, String(outcome.error)).toBeUndefined();
    expect(record.status).toBe('completed');
  });
});
