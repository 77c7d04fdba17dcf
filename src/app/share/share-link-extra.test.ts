/** Share links carry a model's extra inputs (a demand CSV): URI and SHA-256, checked against the model's declaration. */
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createRecord } from '../../executor/record.ts';
import { ExecutorRegistry } from '../../models/index.ts';
import { decodeShareLink, encodeShareLink, experimentFromRecord, recordFromExperiment } from './share-link.ts';

const DEMAND_SHA = '6dba13276497d203af75eda49382c5e00127ff38e8a62c8156a3cc88307e79c4';
const rawLink = (payload: unknown) =>
  'run=' + Buffer.from(deflateSync(new TextEncoder().encode(JSON.stringify(payload)))).toString('base64url');

describe('share links with extra inputs', () => {
  const record = createRecord({
    model_name: 'lucc_raster',
    code_version: '0.1.0',
    source: { uri: 'sample:csAC.zip', checksum: 'a'.repeat(64) },
    parameters: { demand_csv: 'sample:examples_demand_lab1.csv', start_time: 1, n_steps: 6 },
    artifacts: { input_demand_csv: DEMAND_SHA, output: 'b'.repeat(64) },
  });

  it('carry the demand CSV’s URI and SHA-256 from the record to the decoded experiment', () => {
    const exp = experimentFromRecord(record, 'csAC.zip');
    expect(exp.extra_inputs).toEqual([{ param: 'demand_csv', uri: 'sample:examples_demand_lab1.csv', sha256: DEMAND_SHA }]);
    const back = decodeShareLink(encodeShareLink(exp), ExecutorRegistry.specs());
    expect(back.extra_inputs).toEqual(exp.extra_inputs);
    expect(back.parameters.demand_csv).toBe('sample:examples_demand_lab1.csv');
  });

  it('carry the resolved_spec (edited specification tables) into the re-run record', () => {
    const edited = { ...record, resolved_spec: { model: { potential: [{ lu: 'f', const: 0.7 }] } } };
    const back = decodeShareLink(encodeShareLink(experimentFromRecord(edited, 'csAC.zip')), ExecutorRegistry.specs());
    expect(recordFromExperiment(back).resolved_spec).toEqual({ model: { potential: [{ lu: 'f', const: 0.7 }] } });
  });

  const payload = (extra: unknown) => ({
    v: 1,
    model: 'lucc_raster',
    code_version: '0.1.0',
    parameters: { demand_csv: 'sample:examples_demand_lab1.csv' },
    band_map: {},
    column_map: {},
    input_format: 'auto',
    source: { uri: 'sample:csAC.zip', sha256: 'a'.repeat(64), name: 'csAC.zip' },
    expected_output_sha256: 'b'.repeat(64),
    extra_inputs: extra,
  });

  it.each([
    [[{ param: 'reference', uri: 'x.zip', sha256: DEMAND_SHA }], /names an input 'reference' that lucc_raster does not take/],
    [[{ param: 'demand_csv', uri: 'sample:examples_demand_lab1.csv', sha256: 'zz' }], /checksum of 'demand_csv' is not a SHA-256/],
    [
      [{ param: 'demand_csv', uri: 'https://elsewhere/d.csv', sha256: DEMAND_SHA }],
      /'demand_csv' names https:\/\/elsewhere\/d.csv, but its parameters say otherwise/,
    ],
    ['nope', /'extra_inputs' must be a list/],
  ])('refuse a malformed extra input (%#)', (extra, message) => {
    expect(() => decodeShareLink(rawLink(payload(extra)), ExecutorRegistry.specs())).toThrow(message);
  });
});
