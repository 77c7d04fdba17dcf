import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RecordError } from './errors.ts';
import {
  addArtifact,
  addLog,
  createRecord,
  getOutputSha256,
  parseRecord,
  parseRecordJson,
  recordToJson,
  setOutputSha256,
} from './record.ts';

const pythonRecord = readFileSync(new URL('../../tests/reference/dissmodel_cli_record.json', import.meta.url), 'utf8');

describe('ExperimentRecord', () => {
  it('has DisSModel defaults and field order', () => {
    const r = createRecord();
    expect(r.experiment_id).toMatch(/^[0-9a-f]{32}$/);
    expect(Number.isNaN(Date.parse(r.created_at))).toBe(false);
    expect(Object.keys(r)).toEqual([
      'experiment_id',
      'created_at',
      'model_name',
      'model_commit',
      'code_version',
      'resolved_spec',
      'source',
      'input_format',
      'column_map',
      'band_map',
      'parameters',
      'period',
      'output_path',
      'artifacts',
      'metrics',
      'status',
      'logs',
    ]);
    expect(r.source).toEqual({ type: 'local', uri: '', collection: '', version: '', checksum: '' });
    expect(r.status).toBe('pending');
    expect(r.input_format).toBe('auto');
    expect(r.period).toBeNull();
    expect(r.output_path).toBeNull();
  });

  it('output_sha256 is an accessor over artifacts.output; setting null is ignored', () => {
    const r = createRecord();
    expect(getOutputSha256(r)).toBeNull();
    setOutputSha256(r, 'a'.repeat(64));
    expect(r.artifacts.output).toBe('a'.repeat(64));
    setOutputSha256(r, null);
    expect(getOutputSha256(r)).toBe('a'.repeat(64));
    addArtifact(r, 'profiling', 'b'.repeat(64));
    addLog(r, 'hello');
    expect(r.artifacts).toEqual({ output: 'a'.repeat(64), profiling: 'b'.repeat(64) });
    expect(r.logs).toEqual(['hello']);
  });

  it('opens the record written by DisSModel’s Python CLI and writes it back with the same fields', () => {
    const r = parseRecordJson(pythonRecord);
    expect(r.experiment_id).toBe('5b9f439561654ea89f19c689b5a4d05a');
    expect(r.source.checksum).toBe('b55cd962fae2400286fdd5670807c55bbb96fc5e135c22a2f86f0e677cbebcff');
    expect(r.parameters.taxa_elevacao).toBe(0.5);
    expect(r.parameters.bands).toEqual(['uso']);
    expect(getOutputSha256(r)).toBe('3a3edbb1ffd20473b5c7b5689489d912f6b3e4519aeccca46dd8f7c840fcd812');
    const again = JSON.parse(recordToJson(r));
    expect(again).toEqual(JSON.parse(pythonRecord));
    expect(Object.keys(again)).toEqual(Object.keys(JSON.parse(pythonRecord)));
  });

  it('serialises canonically: same record, same bytes', () => {
    const r = createRecord({ experiment_id: '0'.repeat(32), created_at: '2026-01-01T00:00:00.000Z', parameters: { b: 1, a: 2 } });
    expect(recordToJson(r)).toBe(recordToJson(parseRecord(JSON.parse(recordToJson(r)))));
    expect(recordToJson(r).endsWith('}\n')).toBe(true);
  });

  it.each([
    [{ unknown_field: 1 }, /Unknown field 'unknown_field'/],
    [{ experiment_id: 'xyz' }, /experiment_id/],
    [{ experiment_id: 42 }, /'experiment_id' must be a string/],
    [{ created_at: 'yesterday' }, /created_at/],
    [{ status: 'done' }, /'status' must be one of/],
    [{ source: { type: 'ftp' } }, /source.type/],
    [{ source: { uri: 5 } }, /source.uri/],
    [{ source: { checksum: 'abc' } }, /source.checksum/],
    [{ artifacts: { output: 'not-a-hash' } }, /SHA-256/],
    [{ parameters: [] }, /'parameters' must be an object/],
    [{ parameters: { x: { y: {} } }, band_map: { a: 1 } }, /band_map.a/],
    [{ logs: 'x' }, /logs/],
    [{ period: ['2000'] }, /period/],
    [JSON.parse('{"__proto__": {"polluted": 1}}'), /forbidden key '__proto__'/],
    [JSON.parse('{"parameters": {"constructor": {"prototype": {"x": 1}}}}'), /forbidden key 'constructor'/],
    [{ model_name: 'x'.repeat(100_000) }, /characters long/],
    [[], /must be an object/],
    [null, /must be an object/],
  ])('refuses %j with a clear message', (raw, message) => {
    expect(() => parseRecord(raw)).toThrow(RecordError);
    expect(() => parseRecord(raw)).toThrow(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses deep nesting and non-JSON text', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { a: deep };
    expect(() => parseRecord({ parameters: deep })).toThrow(/nested too deeply/);
    expect(() => parseRecordJson('{"experiment_id":')).toThrow(/not valid JSON/);
  });
});
