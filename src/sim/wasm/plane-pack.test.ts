/**
 * The WebAssembly SIMD packer (plane-pack.ts) against the JavaScript packPlanes / unpackPlanes and the
 * bytes themselves: the same plane words (bits past the row's columns zero), counts and bytes back, and
 * the largest byte read, on widths around 16, 32 and 64 and scratch regions of one row and of several,
 * so that chunks end mid-grid.
 */
import { describe, expect, it } from 'vitest';
import { packPlanes, unpackPlanes } from '../bit-planes.ts';
import { createBitGrid } from '../bitgrid.ts';
import { allocateBitPlanes } from './bit-planes.ts';
import { WasmPlanePacker } from './plane-pack.ts';

function states(n: number, seed: number, max: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) % (max + 1);
  }
  return out;
}

const SHAPES: Array<[number, number]> = [
  [1, 1],
  [3, 5],
  [7, 16],
  [7, 31],
  [5, 32],
  [9, 33],
  [4, 63],
  [6, 64],
  [5, 65],
  [17, 100],
  [3, 1000],
  [40, 97],
];

describe('WasmPlanePacker', () => {
  for (const [rows, cols] of SHAPES) {
    for (const two of [false, true]) {
      for (const scratch of [cols + 96, 4 * cols + 200]) {
        it(`${rows} × ${cols}, ${two ? 'two planes' : 'one plane'}, ${Math.floor((scratch - 96) / cols)} row(s) a chunk: as packPlanes / unpackPlanes`, () => {
          const cells = states(rows * cols, rows * 7919 + cols + (two ? 1 : 0), two ? 2 : 1);
          const planes = allocateBitPlanes(rows, cols, 2, { scratch });
          const packer = WasmPlanePacker.of(planes)!;
          expect(packer).not.toBeNull();
          const grids = two ? planes.grids : [planes.grids[0]!];
          const values = two ? [1, 2] : [1];
          const counts = new Int32Array(2);
          expect(packer.pack(cells, grids, values, counts)).toBe(Math.max(...cells));
          const ref = grids.map(() => createBitGrid(rows, cols));
          const refCounts = new Int32Array(2);
          packPlanes(cells, ref, values, refCounts);
          grids.forEach((g, p) => expect(Array.from(g.words)).toEqual(Array.from(ref[p]!.words)));
          expect(Array.from(counts)).toEqual(Array.from(refCounts));
          const out = new Uint8Array(rows * cols).fill(99);
          packer.unpack(grids, values, out);
          expect(Array.from(out)).toEqual(Array.from(unpackPlanes(ref, values, new Uint8Array(rows * cols))));
          expect(Array.from(out)).toEqual(Array.from(cells));
        });
      }
    }
  }

  it("unpackRowsInto: bands unpacked in any order into the memory give unpack's bytes and write nothing around them", () => {
    for (const [rows, cols] of [
      [9, 33],
      [17, 100],
      [12, 64],
      [40, 97],
    ] as const) {
      for (const two of [false, true]) {
        const n = rows * cols;
        // After the planes: a one-row scratch, then the bytes with 64 sentinel bytes on each side.
        const planes = allocateBitPlanes(rows, cols, 2, { scratch: cols + 96 + n + 128 });
        const packer = WasmPlanePacker.of(planes)!;
        const grids = two ? planes.grids : [planes.grids[0]!];
        const values = two ? [1, 2] : [1];
        const cells = states(n, rows + cols, two ? 2 : 1);
        packer.pack(cells, grids, values, new Int32Array(2));
        const u8 = new Uint8Array(planes.memory.buffer);
        const dst = planes.scratch!.offset + cols + 96 + 64;
        u8.fill(99, dst - 64, dst + n + 64);
        const bands: [number, number][] = [
          [5, 8],
          [0, 1],
          [8, rows],
          [1, 5],
        ];
        for (const [r0, r1] of bands) packer.unpackRowsInto(grids, values, dst, r0, r1);
        expect(Array.from(u8.subarray(dst, dst + n))).toEqual(Array.from(cells));
        expect(u8.subarray(dst - 64, dst).every((b) => b === 99)).toBe(true);
        expect(u8.subarray(dst + n, dst + n + 64).every((b) => b === 99)).toBe(true);
      }
    }
  });

  it('reports the largest byte, wherever it is (a model refuses states out of range by it)', () => {
    const planes = allocateBitPlanes(5, 37, 1, { scratch: 37 + 96 });
    const packer = WasmPlanePacker.of(planes)!;
    for (const at of [0, 36, 37, 5 * 37 - 1]) {
      const cells = states(5 * 37, at + 3, 1);
      cells[at] = 7;
      expect(packer.pack(cells, planes.grids, [1], new Int32Array(1))).toBe(7);
    }
  });

  it('refuses planes of another memory, a shape that does not fit, and a scratch smaller than a row', () => {
    const planes = allocateBitPlanes(4, 40, 2, { scratch: 200 });
    const packer = WasmPlanePacker.of(planes)!;
    const other = allocateBitPlanes(4, 40, 1);
    expect(() => packer.pack(new Uint8Array(160), other.grids, [1], new Int32Array(1))).toThrow(/its own memory/);
    expect(() => packer.pack(new Uint8Array(159), [planes.grids[0]!], [1], new Int32Array(1))).toThrow(/159 cells/);
    expect(() => WasmPlanePacker.of(allocateBitPlanes(4, 400, 1, { scratch: 200 }))).toThrow(/smaller than a row/);
    expect(WasmPlanePacker.of(other)).toBeNull(); // no scratch region
  });
});
