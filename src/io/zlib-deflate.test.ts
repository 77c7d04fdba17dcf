/**
 * ZlibEncoder gives fflate's zlibSync(data, { level: 6 }) byte for byte — the canonical GeoTIFF's codec —
 * on data of every kind the encoder's paths tell apart (stored, fixed and dynamic blocks, long and
 * short matches, several blocks per stream, empty and tiny inputs), with one encoder reused across
 * calls of growing and shrinking sizes (its buffers are cleared, never carried over) — with the whole
 * stream in JavaScript and in WebAssembly (zlib-deflate-wasm.ts) — and the two engines give each other's
 * bytes on the same inputs, one encoder each for a mixed sequence of them (the WebAssembly one does not
 * clear its hash chains between streams, nor its output).
 */
import { readFileSync } from 'node:fs';
import { unzlibSync, zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { wasmUnavailable } from '../sim/wasm/runtime.ts';
import { readGeoTiff } from './geotiff-read.ts';
import { ZlibEncoder, type DeflateEngine } from './zlib-deflate.ts';

function xorshift(seed: number): () => number {
  let x = seed | 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

function bytes(n: number, seed: number, f: (next: () => number, i: number) => number): Uint8Array {
  const next = xorshift(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = f(next, i);
  return out;
}

const KINDS: Record<string, (n: number, seed: number) => Uint8Array> = {
  random: (n, s) => bytes(n, s, (r) => r() & 255),
  zeros: (n) => new Uint8Array(n),
  'cells 0/1 at 30 %': (n, s) => bytes(n, s, (r) => (r() % 100 < 30 ? 1 : 0)),
  'states 0/1/2, mostly 0': (n, s) => bytes(n, s, (r) => (r() % 1000 < 1 ? 1 : r() % 100 < 5 ? 2 : 0)),
  'float32 terrain': (n, s) => {
    const next = xorshift(s);
    const f = new Float32Array(Math.ceil(n / 4));
    for (let i = 0; i < f.length; i++) f[i] = 50 + 30 * Math.sin(i / 97) + (next() % 1000) / 500;
    return new Uint8Array(f.buffer, 0, n);
  },
  'repeated phrase': (n) => bytes(n, 1, (_, i) => 'the quick brown fox jumps over the lazy dog. '.charCodeAt(i % 45)),
  'runs of random length': (n, s) => {
    const next = xorshift(s);
    const out = new Uint8Array(n);
    for (let i = 0; i < n;) {
      const v = next() & 255;
      const len = 1 + (next() % 300);
      out.fill(v, i, Math.min(n, i + len));
      i += len;
    }
    return out;
  },
};

const SIZES = [0, 1, 2, 3, 4, 10, 257, 423, 424, 4000, 7001, 24577, 65535, 65536, 70000, 200_000];

const ENGINES: DeflateEngine[] = ['js', 'wasm'];

describe.each(ENGINES)('ZlibEncoder, %s search', (engine) => {
  if (engine === 'wasm' && wasmUnavailable()) throw new Error(`no WebAssembly here: ${wasmUnavailable()}`);
  const encoder = new ZlibEncoder(engine); // one for the whole file: buffers reused across every call below
  for (const [kind, make] of Object.entries(KINDS)) {
    it(`${kind}: the bytes of fflate's zlibSync level 6, at sizes ${SIZES[0]}…${SIZES[SIZES.length - 1]}`, () => {
      for (const [k, n] of [...SIZES, ...SIZES.slice().reverse()].entries()) {
        const data = make(n, 11 + k);
        const ours = encoder.encode(data);
        expect(Buffer.from(ours).equals(Buffer.from(zlibSync(data, { level: 6 }))), `${kind}, ${n} bytes`).toBe(true);
        expect(Buffer.from(unzlibSync(ours)).equals(Buffer.from(data))).toBe(true);
      }
    });
  }

  it("a real file's bytes, in strips of 64 KiB: the bytes of fflate's zlibSync level 6", () => {
    const file = readFileSync(new URL('../../public/samples/ilha_maranhao_epsg31983.tif', import.meta.url));
    for (let at = 0; at < file.length; at += 65536) {
      const strip = file.subarray(at, at + 65536);
      expect(Buffer.from(encoder.encode(strip)).equals(Buffer.from(zlibSync(strip, { level: 6 }))), `strip at ${at}`).toBe(true);
    }
  });
});

describe('ZlibEncoder: the WebAssembly and the JavaScript deflate give the same bytes', () => {
  if (wasmUnavailable()) throw new Error(`no WebAssembly here: ${wasmUnavailable()}`);

  /** Each input through one encoder per engine, in this order; the bytes must be equal (and inflate back). */
  function sameBytes(inputs: readonly [string, Uint8Array][]): void {
    const wasm = new ZlibEncoder('wasm');
    const js = new ZlibEncoder('js');
    for (const [what, data] of inputs) {
      const a = wasm.encode(data);
      const b = js.encode(data);
      expect(Buffer.from(a).equals(Buffer.from(b)), what).toBe(true);
      expect(Buffer.from(unzlibSync(a)).equals(Buffer.from(data)), what).toBe(true);
    }
  }

  it('random, runs, all-zero, tiny and multi-block inputs, mixed', () => {
    const inputs: [string, Uint8Array][] = [];
    const next = xorshift(7);
    for (let k = 0; k < 60; k++) {
      const kinds = Object.keys(KINDS);
      const kind = kinds[next() % kinds.length];
      // tiny (0–9 bytes), strip-sized, and multi-block (over 7000 matches or 24576 symbols)
      const n = [next() % 10, next() % 70_000, 100_000 + (next() % 150_000)][k % 3];
      inputs.push([`${kind}, ${n} bytes (#${k})`, KINDS[kind](n, 100 + k)]);
    }
    sameBytes(inputs);
  });

  it("the real sample's bands, in strips of 64 KiB, as the GeoTIFF writer deflates them", async () => {
    const file = readFileSync(new URL('../../public/samples/ilha_maranhao_epsg31983.tif', import.meta.url));
    const ds = await readGeoTiff(new Uint8Array(file));
    const inputs: [string, Uint8Array][] = [];
    for (const band of ds.bands) {
      const bytes = new Uint8Array(band.data.buffer, band.data.byteOffset, band.data.byteLength);
      // the band as stored, and as float32 (the type models write it in)
      const f32 = new Uint8Array(Float32Array.from(band.data as ArrayLike<number>).buffer);
      for (const [as, b] of [
        [band.dtype, bytes],
        ['float32', f32],
      ] as const) {
        for (let at = 0; at < b.length; at += 65536) inputs.push([`${band.name} as ${as}, strip at ${at}`, b.subarray(at, at + 65536)]);
      }
    }
    expect(inputs.length).toBeGreaterThan(20);
    sameBytes(inputs);
  });
});
