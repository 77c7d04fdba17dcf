import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSha256, sha256Hex, sha256HexAsync, toHex } from './sha256.ts';

const COAST = new URL('../../tests/reference/inputs/coast_10x14.tif', import.meta.url);
const COAST_SHA = 'b55cd962fae2400286fdd5670807c55bbb96fc5e135c22a2f86f0e677cbebcff';
const EMPTY_SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const ABC_SHA = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const te = new TextEncoder();

describe('sha256', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('known vectors', async () => {
    expect(sha256Hex(new Uint8Array(0))).toBe(EMPTY_SHA);
    expect(sha256Hex(te.encode('abc'))).toBe(ABC_SHA);
    expect(sha256Hex(te.encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(await sha256HexAsync(new Uint8Array(0))).toBe(EMPTY_SHA);
    expect(await sha256HexAsync(te.encode('abc'))).toBe(ABC_SHA);
    const s = createSha256();
    s.update(te.encode('a'));
    s.update(new Uint8Array(0));
    s.update(te.encode('bc'));
    expect(s.digestHex()).toBe(ABC_SHA);
    expect(createSha256().digestHex()).toBe(EMPTY_SHA);
  });

  it('a million "a"s, in uneven chunks', () => {
    const s = createSha256();
    const chunk = te.encode('a'.repeat(999));
    let left = 1_000_000;
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      s.update(chunk.subarray(0, n));
      left -= n;
    }
    expect(s.digestHex()).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('chunked equals whole equals async, for any split', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat({ max: 2000 }), { maxLength: 8 }), async (data, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
        const s = createSha256();
        let prev = 0;
        for (const p of [...points, data.length]) {
          s.update(data.subarray(prev, p));
          prev = p;
        }
        const whole = sha256Hex(data);
        expect(s.digestHex()).toBe(whole);
        expect(await sha256HexAsync(data)).toBe(whole);
        expect(whole).toMatch(/^[0-9a-f]{64}$/);
      }),
      { numRuns: 100, seed: 42 },
    );
  });

  it('hashes a subarray view, not its whole buffer', async () => {
    const buf = te.encode('xxabcxx');
    const view = buf.subarray(2, 5);
    expect(sha256Hex(view)).toBe(ABC_SHA);
    expect(await sha256HexAsync(view)).toBe(ABC_SHA);
  });

  it('falls back to @noble/hashes when Web Crypto is missing', async () => {
    vi.stubGlobal('crypto', undefined);
    expect(globalThis.crypto).toBeUndefined();
    expect(await sha256HexAsync(te.encode('abc'))).toBe(ABC_SHA);
    vi.unstubAllGlobals();
    vi.stubGlobal('crypto', { subtle: { digest: () => Promise.reject(new Error('insecure context')) } });
    expect(await sha256HexAsync(te.encode('abc'))).toBe(ABC_SHA);
  });

  it('coast_10x14.tif has the published checksum', async () => {
    const bytes = new Uint8Array(readFileSync(COAST));
    expect(sha256Hex(bytes)).toBe(COAST_SHA);
    expect(await sha256HexAsync(bytes)).toBe(COAST_SHA);
  });

  it('stream misuse is reported', () => {
    const s = createSha256();
    s.digestHex();
    expect(() => s.update(new Uint8Array(1))).toThrow(/after digestHex/);
    expect(() => s.digestHex()).toThrow(/twice/);
  });

  it('toHex', () => {
    expect(toHex(new Uint8Array([0, 1, 15, 16, 255]))).toBe('00010f10ff');
    expect(toHex(new Uint8Array([0xab, 0xcd]).buffer)).toBe('abcd');
  });
});
