/**
 * What the map draws in compare mode: the difference layer (in place of the
 * output), or the start the swipe shows on the left — the run's first kept frame
 * (step 0, on the output's own colour scale) when frames were kept, else the
 * input dataset's layer.
 */
import { useMemo } from 'react';
import type { ExecutorSpec } from '../../executor/executor.ts';
import type { SimOutput } from '../../sim/output.ts';
import { agentLayer, hasAgents } from '../map/agents.ts';
import { outputLayer, type DrawLayer } from '../map/layers.ts';
import { useCompare, type CompareMode } from './compare-store.ts';

export interface CompareView {
  mode: CompareMode;
  /** Drawn instead of the output while the difference view shows one. */
  diffLayer: DrawLayer | null;
  /** The swipe's left side and its label (null: no swipe). */
  swipeLeft: { layer: DrawLayer; title: string } | null;
  divider: number;
}

export function useCompareView(
  display: SimOutput | null | undefined,
  runSpec: ExecutorSpec | null,
  input: DrawLayer | null,
  agentField: string | null,
): CompareView {
  const mode = useCompare((s) => s.mode);
  const diff = useCompare((s) => s.diff);
  const divider = useCompare((s) => s.divider);
  const swipeLeft = useMemo(() => {
    if (mode !== 'swipe' || !display || display.kind === 'table') return null;
    const first = display.frames[0];
    if (display.frames.length > 1 && first) {
      const layer = hasAgents(display) ? agentLayer(display, runSpec, 0, agentField) : outputLayer(display, runSpec, 0);
      return layer ? { layer, title: `Start · step ${first.step}` } : null;
    }
    return input ? { layer: input, title: 'Input' } : null;
  }, [mode, display, runSpec, input, agentField]);
  return { mode, diffLayer: mode === 'diff' ? (diff?.layer ?? null) : null, swipeLeft, divider };
}
