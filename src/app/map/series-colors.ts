/**
 * Chart colours that agree with the map: a per-step series named after one of
 * the display layer's categories ("burning", "burned", "forest") is drawn in
 * that category's legend colour. Colours too pale for a line on a light plot
 * are left to the chart's default cycle. The user's class colours (style-edits.ts) count: a
 * series follows the colour its class has on the map. It is matched by the model's own label
 * (the series' name), whatever label the user gave the class.
 */
import type { ExecutorSpec } from '../../executor/executor.ts';
import { scaleFor } from './colors.ts';
import type { BandStyle } from './style-edits.ts';

function luminance(hex: string): number {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) return 0;
  const n = parseInt(m[1], 16);
  const lin = (c: number) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin((n >> 16) & 255) + 0.7152 * lin((n >> 8) & 255) + 0.0722 * lin(n & 255);
}

export function seriesColors(spec: ExecutorSpec | null | undefined, layer?: string, edit?: BandStyle): Record<string, string> {
  const name = layer ?? spec?.displayLayer;
  const field = [...(spec?.bands ?? []), ...(spec?.columns ?? [])].find((f) => f.name === name);
  if (!field?.categories) return {};
  const scale = scaleFor(field.name, field, [], null);
  if (scale.kind !== 'categorical') return {};
  const out: Record<string, string> = {};
  for (const e of scale.entries) {
    const color = edit?.classes?.[String(e.value)]?.color ?? e.color;
    if (luminance(color) > 0.8) continue;
    const label = e.label.toLowerCase().trim();
    out[label] = color;
    const first = label.split(/[^a-z0-9_]+/)[0];
    if (first && !(first in out)) out[first] = color;
  }
  return out;
}
