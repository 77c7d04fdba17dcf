import { describe, expect, it } from 'vitest';
import { seriesToCsv } from './series-csv.ts';

describe('seriesToCsv', () => {
  it('writes the x column and the charted series only, in the order given', () => {
    const s = { steps: [0, 1, 2], values: { S: [990, 985.5, 970], I: [10, 14, Number.NaN], 'R,x': [0, 0.5, Infinity] } };
    expect(seriesToCsv(s, ['I', 'R,x'], 'time')).toBe('time,I,"R,x"\n0,10,0\n1,14,0.5\n2,,inf\n');
  });
});
