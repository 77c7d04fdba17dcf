import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExecutorSpec } from '../../executor/executor.ts';
import { createRecord, recordToJson } from '../../executor/record.ts';
import { ExecutorRegistry } from '../../models/index.ts';
import { encodeShareLink } from './share-link.ts';
import { looksLikeRecord, replayFromLink, replayFromRecordJson } from './reproduce.ts';

const pythonRecord = readFileSync(new URL('../../../tests/reference/dissmodel_cli_record.json', import.meta.url), 'utf8');

describe('what a re-run starts from', () => {
  it("DisSModel's Python record: brmangue, its input checksum and output SHA, its unknown parameters listed as ignored", () => {
    const r = replayFromRecordJson(pythonRecord, 'dissmodel_cli_record.json', ExecutorRegistry.specs());
    expect(r.record.model_name).toBe('brmangue');
    expect(r.record.parameters).toMatchObject({ end_time: 8, taxa_elevacao: 0.5, altura_mare: 6, acrecao_ativa: false });
    expect(r.expectedInputSha).toMatch(/^b55cd962/);
    expect(r.expectedOutputSha).toMatch(/^3a3edbb1/);
    expect(r.originalCodeVersion).toBe('dev');
    expect(r.inputName).toBe('coast_10x14.tif');
    expect(r.ignored.sort()).toEqual(['bands', 'crs', 'interactive', 'resolution']);
    expect(r.origin).toBe('record dissmodel_cli_record.json');
  });

  it('our own record: same model and parameters, nothing ignored', () => {
    const rec = createRecord({
      model_name: 'game_of_life',
      parameters: { start_time: 1, end_time: 5 },
      source: { type: 'sample', uri: 'sample:gol_glider_64x64.tif', checksum: 'a'.repeat(64) },
      artifacts: { output: 'b'.repeat(64) },
    });
    const r = replayFromRecordJson(recordToJson(rec), 'x.json', ExecutorRegistry.specs());
    expect(r.record.model_name).toBe('game_of_life');
    expect(r.record.source.uri).toBe('sample:gol_glider_64x64.tif');
    expect(r.record.experiment_id).not.toBe(rec.experiment_id);
    expect(r.ignored).toEqual([]);
  });

  it('a share link: decoded and validated, embedded input carried', () => {
    const frag = encodeShareLink({
      model: 'game_of_life',
      code_version: '0.1.0',
      parameters: { end_time: 7 },
      band_map: {},
      column_map: {},
      input_format: 'auto',
      source: { uri: 'file:grid.tif', sha256: 'c'.repeat(64), name: 'grid.tif' },
      expected_output_sha256: 'd'.repeat(64),
      embedded: new Uint8Array([1, 2, 3]),
    });
    const r = replayFromLink('#' + frag, ExecutorRegistry.specs());
    expect(r.record.parameters.end_time).toBe(7);
    expect(r.embedded).toEqual(new Uint8Array([1, 2, 3]));
    expect(r.inputName).toBe('grid.tif');
    expect(r.expectedOutputSha).toBe('d'.repeat(64));
  });

  it("uses the catalogue it is given (the worker's specs, JSON-cloned), not the registry", () => {
    const fromWorker = JSON.parse(JSON.stringify(ExecutorRegistry.specs())) as ExecutorSpec[];
    const r = replayFromRecordJson(pythonRecord, 'dissmodel_cli_record.json', fromWorker);
    expect(r.spec).toEqual(ExecutorRegistry.get('brmangue').spec);
    const withoutBrmangue = fromWorker.filter((s) => s.name !== 'brmangue');
    expect(() => replayFromRecordJson(pythonRecord, 'dissmodel_cli_record.json', withoutBrmangue)).toThrow(
      `Available: ${withoutBrmangue.map((s) => s.name).join(', ')}.`,
    );
    const link = encodeShareLink({
      model: 'brmangue',
      code_version: '0.1.0',
      parameters: {},
      band_map: {},
      column_map: {},
      input_format: 'auto',
      source: null,
      expected_output_sha256: '',
      embedded: null,
    });
    expect(() => replayFromLink(link, withoutBrmangue)).toThrow(
      `The link names the model 'brmangue', which this workbench does not have. Available: ${withoutBrmangue.map((s) => s.name).join(', ')}.`,
    );
  });

  it('a hostile link throws a readable error (the banner shows it; nothing runs)', () => {
    expect(() => replayFromLink('#run=%%%', ExecutorRegistry.specs())).toThrow(/base64url/);
    expect(() => replayFromLink('#hello', ExecutorRegistry.specs())).toThrow(/not a run link/);
  });

  it('tells a record.json from a GeoJSON file', () => {
    expect(looksLikeRecord(pythonRecord)).toBe(true);
    expect(looksLikeRecord('{"type":"FeatureCollection","features":[]}')).toBe(false);
    expect(looksLikeRecord('not json')).toBe(false);
    expect(looksLikeRecord('[1,2]')).toBe(false);
  });
});
