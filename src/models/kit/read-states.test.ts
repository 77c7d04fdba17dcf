/**
 * readStates decides every cell as its definition says — a value is kept when it is one of the codes,
 * else an InputError names the value and the first such cell — whichever path it takes (bytes checked
 * four at a time, on or off a 4-byte boundary, or any other array).
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../executor/errors.ts';
import { readStates } from './inputs.ts';

const FIRE = { 0: 'forest', 1: 'burning', 2: 'burned' } as const;
const LIFE = { 0: 'dead', 1: 'alive' } as const;
const SPARSE = { 0: 'none', 3: 'three' } as const;
const where = (i: number) => `at cell ${i}`;

/** The definition, cell by cell. */
function reference(values: ArrayLike<number>, allowed: Readonly<Record<number, string>>): Uint8Array | string {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (allowed[values[i]] === undefined) return `found ${values[i]} at cell ${i}.`;
    out[i] = values[i];
  }
  return out;
}

function outcome(values: ArrayLike<number>, allowed: Readonly<Record<number, string>>): Uint8Array | string {
  try {
    return readStates(values, 'state', allowed, where);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message.slice((e as Error).message.indexOf('found '));
  }
}

describe('readStates', () => {
  it('keeps valid codes and names the first invalid cell, on every path', () => {
    let x = 12345;
    const next = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8) % 1000;
    for (const allowed of [FIRE, LIFE, SPARSE]) {
      for (const n of [0, 1, 3, 4, 5, 17, 64, 1001]) {
        for (const bad of [-1, 0, n >> 1, n - 1]) {
          for (const offset of [0, 1, 2, 3]) {
            const buf = new Uint8Array(n + offset);
            const cells = buf.subarray(offset);
            for (let i = 0; i < n; i++) cells[i] = next() % 3;
            if (bad >= 0 && bad < n) cells[bad] = [3, 128, 255, 7][next() % 4];
            const got = outcome(cells, allowed);
            expect(got, `n ${n} bad ${bad} offset ${offset}`).toEqual(reference(cells, allowed));
            if (got instanceof Uint8Array) expect(got.buffer).not.toBe(cells.buffer); // a copy, never the input itself
          }
        }
      }
    }
  });

  it('decides other arrays (int16, float with NaN and halves) as the definition does', () => {
    const floats = Float32Array.from([0, 1, 2, 1, 0]);
    expect(outcome(floats, FIRE)).toEqual(Uint8Array.from([0, 1, 2, 1, 0]));
    expect(outcome(Float32Array.from([0, 1, 1.5]), FIRE)).toBe('found 1.5 at cell 2.');
    expect(outcome(Float64Array.from([0, NaN]), LIFE)).toBe('found an empty value at cell 1.'); // NaN, as the message has always said
    expect(outcome(Int16Array.from([0, 2, -1]), FIRE)).toBe('found -1 at cell 2.');
    expect(outcome(Int16Array.from([0, 3, 3]), SPARSE)).toEqual(Uint8Array.from([0, 3, 3]));
  });
});
