/**
 * The values a percentile stretch is computed over, per map layer: the input band itself; a
 * run's output over its final state and every kept frame (so the step slider never changes the
 * colours); a live run over its first live frame (remembered by run, as live-layer.ts remembers
 * its scale); point agents over the frame shown.
 */
import type { SimOutput } from '../../sim/output.ts';
import { hasAgents } from './agents.ts';
import { objId, type DrawLayer } from './layers.ts';
import type { StretchSource } from './style-edits.ts';

export function stretchSource(layer: DrawLayer, display: SimOutput | null | undefined, runId: number): StretchSource {
  const nodata = layer.kind === 'raster' ? layer.nodata : null;
  const own: StretchSource = { key: `${layer.id}:${layer.valueKey}`, arrays: [layer.values], nodata };
  if (layer.id === 'input') return own;
  if (layer.geoKey.startsWith('output:live:')) return { ...own, key: `live:${runId}:${layer.geoKey}` };
  if (!display || display.kind === 'table' || hasAgents(display)) return own;
  const frames = display.frames.map((f) => f.data);
  if (display.kind === 'raster') {
    const band = display.dataset.bands.find((b) => b.name === display.layer) ?? display.dataset.bands[0];
    return { key: `output:${objId(display)}`, arrays: band ? [band.data, ...frames] : frames, nodata };
  }
  return { key: `output:${objId(display)}`, arrays: frames.length > 0 ? frames : [layer.values], nodata };
}
