import { createHash } from 'node:crypto';
import { deflateSync, inflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ExecutorRegistry } from '../../models/index.ts';
import { MODEL_TEMPLATE } from '../editor/template.ts';
import { decodeShareLink, encodeShareLink, readLinkCode, recordFromExperiment, type SharedExperiment } from './share-link.ts';

const sha = (s: string) => createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex');
const code = { source: MODEL_TEMPLATE, file: 'my_life.ts', sha256: sha(MODEL_TEMPLATE) };
// A built-in model name stands in for the page model (decoding needs its spec in the catalogue).
const exp: SharedExperiment = {
  model: 'game_of_life',
  code_version: '0.1.0',
  parameters: { start_time: 1, end_time: 10 },
  band_map: {},
  column_map: {},
  input_format: 'auto',
  source: { uri: 'sample:gol_random_512x512.tif', sha256: 'a'.repeat(64), name: 'gol_random_512x512.tif' },
  expected_output_sha256: 'b'.repeat(64),
  embedded: null,
  code,
};

/** The link's JSON, changed by `edit`, packed again. */
function tamper(frag: string, edit: (payload: { code: Record<string, unknown> }) => void): string {
  const payload = JSON.parse(Buffer.from(inflateSync(Buffer.from(frag.slice('run='.length), 'base64url'))).toString('utf8'));
  edit(payload);
  return 'run=' + Buffer.from(deflateSync(Buffer.from(JSON.stringify(payload)))).toString('base64url');
}

describe('share links with a model’s code', () => {
  it('carry the source, compressed, and the record re-run names its SHA-256 as model_commit', () => {
    const frag = encodeShareLink(exp);
    expect(frag.length).toBeLessThan(MODEL_TEMPLATE.length);
    expect(readLinkCode(frag)).toEqual(code);
    const back = decodeShareLink(frag, ExecutorRegistry.specs());
    expect(back.code).toEqual(code);
    expect(recordFromExperiment(back).model_commit).toBe(`sha256:${code.sha256}`);
  });

  it('a link without code has none, and re-runs as before', () => {
    const frag = encodeShareLink({ ...exp, code: null });
    expect(readLinkCode(frag)).toBeNull();
    expect(recordFromExperiment(decodeShareLink(frag, ExecutorRegistry.specs())).model_commit).toBe('share-link');
  });

  it('code that does not hash to the recorded SHA-256 is refused', () => {
    const frag = tamper(encodeShareLink(exp), (p) => {
      p.code.source = String(p.code.source).replace('const BIRTH = [3];', 'const BIRTH = [1];');
    });
    expect(() => readLinkCode(frag)).toThrow(/model code does not match its record: it hashes to [0-9a-f]{64}, but the run recorded/);
    expect(() => decodeShareLink(frag, ExecutorRegistry.specs())).toThrow(/does not match its record/);
  });

  it('malformed code fields are refused by name', () => {
    const frag = encodeShareLink(exp);
    expect(() => readLinkCode(tamper(frag, (p) => void (p.code.file = '../x.ts')))).toThrow(/\.ts or \.js file name/);
    expect(() => readLinkCode(tamper(frag, (p) => void (p.code.sha256 = 'zz')))).toThrow(/not a SHA-256/);
    expect(() => readLinkCode(tamper(frag, (p) => void (p.code.extra = 1)))).toThrow(/unknown field 'extra'/);
    expect(() => readLinkCode(tamper(frag, (p) => void (p.code.source = 'x'.repeat(300 * 1024))))).toThrow(/too long/);
  });
});
