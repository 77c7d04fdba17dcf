/** The map legend: categories with their colours, or the ramp with its range. */
import { useState } from 'react';
import { formatValue } from './colors.ts';
import type { DrawLayer } from './layers.ts';
import { classCounts, shareText } from './legend-counts.ts';

export function Legend({ layer }: { layer: DrawLayer }) {
  const s = layer.scale;
  const counts = classCounts(layer);
  const unit = layer.kind === 'raster' ? 'cells' : 'features';
  const [open, setOpen] = useState(true);
  return (
    <div className={`legend${open ? '' : ' is-closed'}`} data-testid="legend" aria-label={`Legend: ${layer.field}`}>
      <div className="legend-title">
        <span>
          <strong>{layer.title}</strong> · <code>{layer.field}</code>
          {'unit' in s && s.unit ? <span className="muted"> ({s.unit})</span> : null}
        </span>
        <button
          type="button"
          className="legend-fold"
          aria-expanded={open}
          aria-label={open ? 'Hide the legend' : 'Show the legend'}
          onClick={() => setOpen(!open)}
        >
          {open ? '–' : '+'}
        </button>
      </div>
      {open && (
        <>
          {s.kind === 'categorical' && (
            <ul className="legend-cats">
              {s.entries.map((e) => (
                <li key={e.value}>
                  <span className="swatch" style={{ background: e.color }} />
                  <span className="mono">{e.value}</span> {e.label}
                  {counts && (
                    <span
                      className="legend-count mono"
                      data-testid={`legend-count-${e.value}`}
                      title={`${unit} of this class, and their share`}
                    >
                      {shareText(counts.byValue.get(e.value) ?? 0, counts.total)}
                    </span>
                  )}
                </li>
              ))}
              {s.hasOther && (
                <li>
                  <span className="swatch" style={{ background: s.otherColor }} /> other values
                  {counts && <span className="legend-count mono">{shareText(counts.other, counts.total)}</span>}
                </li>
              )}
            </ul>
          )}
          {s.kind === 'continuous' && (
            <div className="legend-ramp">
              <div className="ramp" style={{ background: `linear-gradient(to right, ${s.stops.join(', ')})` }} />
              <div className="ramp-labels mono">
                <span>{formatValue(s.min)}</span>
                <span>{formatValue((s.min + s.max) / 2)}</span>
                <span>{formatValue(s.max)}</span>
              </div>
            </div>
          )}
          {s.kind === 'empty' && <p className="muted small">No valid values.</p>}
        </>
      )}
    </div>
  );
}
