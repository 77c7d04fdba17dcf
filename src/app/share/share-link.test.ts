import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DissError } from '../../executor/errors.ts';
import { ExecutorRegistry } from '../../models/index.ts';
import { decodeShareLink, encodeShareLink, MAX_LINK_JSON_BYTES, recordFromExperiment, type SharedExperiment } from './share-link.ts';

const base: SharedExperiment = {
  model: 'game_of_life',
  code_version: '0.1.0',
  parameters: { start_time: 1, end_time: 50 },
  band_map: {},
  column_map: {},
  input_format: 'auto',
  source: { uri: 'sample:gol_glider_64x64.tif', sha256: 'a'.repeat(64), name: 'gol_glider_64x64.tif' },
  expected_output_sha256: 'b'.repeat(64),
  embedded: null,
};

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const rawLink = (payload: unknown) => 'run=' + b64url(deflateSync(new TextEncoder().encode(JSON.stringify(payload))));

describe('share links', () => {
  it('round-trip an experiment, with an embedded input, in a URL-safe fragment', () => {
    const embedded = new Uint8Array([1, 2, 3, 250, 251]);
    const frag = encodeShareLink({ ...base, embedded });
    expect(frag).toMatch(/^run=[A-Za-z0-9_-]+$/);
    const back = decodeShareLink('#' + frag, ExecutorRegistry.specs());
    expect(back).toEqual({ ...base, embedded });
    const rec = recordFromExperiment(back);
    expect(rec.model_name).toBe('game_of_life');
    expect(rec.parameters).toEqual({ start_time: 1, end_time: 50 });
    expect(rec.source.type).toBe('sample');
  });

  it('is deterministic', () => {
    expect(encodeShareLink(base)).toBe(encodeShareLink({ ...base }));
  });

  it.each([
    ['', /does not start with "run="/],
    ['#other=1', /does not start with "run="/],
    ['run=%%%', /characters that base64url does not use/],
    ['run=AAAA', /does not decompress|not valid JSON/],
    [() => encodeShareLink(base).slice(0, 30), /damaged|truncated|not valid JSON/],
    [() => rawLink({ ...base, v: 2 }), /version 2/],
    [() => rawLink({ ...base, v: 1, model: 'rm_rf' }), /model 'rm_rf'.*Available: .*game_of_life/],
    [() => rawLink({ ...base, v: 1, parameters: { end_time: -5 } }), /'end_time' = -5 is out of range/],
    [() => rawLink({ ...base, v: 1, parameters: { end_time: '10' } }), /finite number/],
    [() => rawLink({ ...base, v: 1, extra: 1 }), /unknown field 'extra'/],
    [
      () => 'run=' + b64url(deflateSync(new TextEncoder().encode('{"v":1,"model":"game_of_life","parameters":{"__proto__":{"x":1}}}'))),
      /forbidden key '__proto__'/,
    ],
    [() => rawLink({ ...base, v: 1, source: { uri: 'x', sha256: 'nothex', name: '' } }), /not a SHA-256/],
    [() => rawLink({ ...base, v: 1, source: { uri: 'x'.repeat(10_000), sha256: '', name: '' } }), /characters long/],
    [() => 'run=' + b64url(deflateSync(new Uint8Array(MAX_LINK_JSON_BYTES + 10).fill(32))), /inflates beyond/],
    [() => 'run=' + 'A'.repeat(2_000_000), /too long/],
  ])('refuses a hostile or broken fragment (%#)', (frag, message) => {
    const f = typeof frag === 'function' ? frag() : frag;
    expect(() => decodeShareLink(f, ExecutorRegistry.specs())).toThrow(DissError);
    expect(() => decodeShareLink(f, ExecutorRegistry.specs())).toThrow(message);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('keeps script in strings as inert text', () => {
    const frag = rawLink({ ...base, v: 1, source: { uri: '<script>alert(1)</script>', sha256: '', name: '"><img onerror=alert(1)>' } });
    const back = decodeShareLink(frag, ExecutorRegistry.specs());
    expect(back.source?.uri).toBe('<script>alert(1)</script>');
  });
});
