import { describe, expect, it } from 'vitest';
import '../../models/index.ts';
import { ExecutorRegistry } from '../../executor/registry.ts';
import { scaleFor } from './colors.ts';
import { seriesColors } from './series-colors.ts';

const spec = (name: string) => ExecutorRegistry.specs().find((s) => s.name === name)!;

describe('seriesColors', () => {
  it("gives the fire models' series the map legend's colours (burning orange, burned brown, forest green)", () => {
    for (const name of ['forest_fire', 'forest_fire_prob']) {
      const s = spec(name);
      const field = s.bands?.find((b) => b.name === s.displayLayer) ?? s.columns!.find((c) => c.name === s.displayLayer)!;
      const legend = scaleFor(field.name, field, [], null);
      if (legend.kind !== 'categorical') throw new Error('categorical legend expected');
      const byLabel = Object.fromEntries(legend.entries.map((e) => [e.label, e.color]));
      const colors = seriesColors(s);
      expect(colors.burning).toBe(byLabel.burning);
      expect(colors.burned).toBe(byLabel.burned);
      expect(colors.forest).toBe(byLabel.forest);
      expect(colors.burning).not.toBe(colors.forest);
    }
  });
  it('no categories, no colours (the chart keeps its own)', () => {
    expect(seriesColors(spec('sir'))).toEqual({});
    expect(seriesColors(null)).toEqual({});
  });
});
