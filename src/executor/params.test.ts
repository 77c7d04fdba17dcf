import { describe, expect, it } from 'vitest';
import { ParameterError } from './errors.ts';
import { parseScalar, resolveParams, schemaProblems, splitAssignment, unknownParams, type ParamSchema } from './params.ts';

const schema: ParamSchema = {
  end_time: { type: 'int', default: 10, min: 0, max: 100, description: 'last tick' },
  rate: { type: 'float', default: 0.5, min: 0, max: 1, unit: 'm/yr', description: 'rate' },
  on: { type: 'bool', default: false, description: 'switch' },
  kind: { type: 'enum', default: 'moore', options: ['moore', 'von_neumann'], description: 'neighbourhood' },
  seed: { type: 'seed', description: 'PRNG seed' },
};

describe('parameters', () => {
  it('fills defaults in schema order, draws a missing seed and keeps unknown keys', () => {
    const out = resolveParams(schema, { extra: 'x', rate: 0.25 }, { drawSeed: () => 7 });
    expect(out).toEqual({ end_time: 10, rate: 0.25, on: false, kind: 'moore', seed: 7, extra: 'x' });
    expect(Object.keys(out)).toEqual(['end_time', 'rate', 'on', 'kind', 'seed', 'extra']);
    expect(unknownParams(schema, out)).toEqual(['extra']);
  });

  it.each([
    [{ end_time: 101 }, /'end_time' = 101 is out of range \[0, 100\]/],
    [{ end_time: 2.5 }, /whole number/],
    [{ end_time: '5' }, /finite number/],
    [{ rate: Number.NaN }, /finite number/],
    [{ rate: -0.1 }, /out of range \[0, 1\] m\/yr/],
    [{ on: 'true' }, /true or false/],
    [{ kind: 'hex' }, /one of moore, von_neumann/],
    [{ seed: -1 }, /out of range/],
  ])('refuses %j', (given, msg) => {
    expect(() => resolveParams(schema, given, { drawSeed: () => 1 })).toThrow(ParameterError);
    expect(() => resolveParams(schema, given, { drawSeed: () => 1 })).toThrow(msg);
  });

  it('parses CLI values as DisSModel does: int, float, bool, string', () => {
    expect(parseScalar('300')).toBe(300);
    expect(parseScalar('-3')).toBe(-3);
    expect(parseScalar('0.5')).toBe(0.5);
    expect(parseScalar('1e3')).toBe(1000);
    expect(parseScalar('inf')).toBe(Infinity);
    expect(parseScalar('nan')).toBeNaN();
    expect(parseScalar('TRUE')).toBe(true);
    expect(parseScalar('false')).toBe(false);
    expect(parseScalar('moore')).toBe('moore');
    expect(splitAssignment('a=b=c')).toEqual(['a', 'b=c']);
    expect(() => splitAssignment('novalue')).toThrow(/KEY=VALUE/);
  });

  it('finds problems in a bad schema', () => {
    expect(schemaProblems(schema)).toEqual([]);
    expect(
      schemaProblems({
        Bad: { type: 'int', default: 5, min: 10, max: 1, description: '' },
      }),
    ).toHaveLength(4);
  });
});
