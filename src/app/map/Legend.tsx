/**
 * The map legend: categories with their colours, or the ramp with its range. Its style panel
 * ("Edit colours") edits a class's colour and label, or a continuous band's ramp and stretch;
 * edits are kept per model and band and a reset returns to the model's colours.
 */
import { useState } from 'react';
import { formatValue } from './colors.ts';
import type { DrawLayer } from './layers.ts';
import { classCounts, shareText, useTallies } from './legend-counts.ts';
import { useBandStyles } from './band-style-store.ts';
import { gradientStops } from './ramps.ts';
import { RampControls } from './RampControls.tsx';
import { isEdited, toHex6 } from './style-edits.ts';

function stretchText(s: Extract<DrawLayer['scale'], { kind: 'continuous' }>): string {
  if (s.stretch === 'percentile' && s.percentiles) return `${s.percentiles[0]}–${s.percentiles[1]} %`;
  return s.stretch === 'manual' ? 'typed' : 'data min–max';
}

/** `styleKey` null: the layer's colours are not the user's to edit (a difference of two runs). */
export function Legend({ layer, styleKey }: { layer: DrawLayer; styleKey: string | null }) {
  const s = layer.scale;
  useTallies((t) => t.version); // a large raster's tally arrives from the raster worker
  const counts = classCounts(layer);
  const unit = layer.kind === 'raster' ? 'cells' : 'features';
  const [open, setOpen] = useState(true);
  const [editing, setEditing] = useState(false);
  const edit = useBandStyles((st) => (styleKey === null ? undefined : st.styles[styleKey]));
  const editClass = useBandStyles((st) => st.editClass);
  const reset = useBandStyles((st) => st.reset);
  const canEdit = s.kind !== 'empty' && styleKey !== null;
  const panel = editing && canEdit && open;
  return (
    <div
      className={`legend${open ? '' : ' is-closed'}${panel ? ' is-editing' : ''}`}
      data-testid="legend"
      aria-label={`Legend: ${layer.field}`}
    >
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
                  {panel ? (
                    <input
                      type="color"
                      className="swatch-input"
                      value={toHex6(e.color)}
                      aria-label={`Colour of class ${e.value}${e.label ? ` (${e.label})` : ''}`}
                      data-testid={`class-color-${e.value}`}
                      onChange={(ev) => editClass(styleKey, e.value, { color: ev.target.value })}
                    />
                  ) : (
                    <span className="swatch" style={{ background: e.color }} data-testid={`legend-swatch-${e.value}`} />
                  )}
                  <span className="mono">{e.value}</span>{' '}
                  {panel ? (
                    <input
                      type="text"
                      className="input input-small legend-label-input"
                      value={e.label}
                      maxLength={80}
                      aria-label={`Label of class ${e.value}`}
                      data-testid={`class-label-${e.value}`}
                      onChange={(ev) => editClass(styleKey, e.value, { label: ev.target.value })}
                    />
                  ) : (
                    e.label
                  )}
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
                <li className="legend-other">
                  <span className="swatch" style={{ background: s.otherColor }} /> other values
                  {counts && <span className="legend-count mono">{shareText(counts.other, counts.total)}</span>}
                </li>
              )}
            </ul>
          )}
          {s.kind === 'continuous' && (
            <div className="legend-ramp">
              <div
                className="ramp"
                data-ramp={s.ramp}
                data-testid="legend-ramp"
                style={{ background: `linear-gradient(to right, ${gradientStops(s.stops).join(', ')})` }}
              />
              <div className="ramp-labels mono">
                <span data-testid="legend-min">{formatValue(s.min)}</span>
                <span>{formatValue((s.min + s.max) / 2)}</span>
                <span data-testid="legend-max">{formatValue(s.max)}</span>
              </div>
              <div className="muted small" data-testid="legend-stretch">
                {s.ramp} · {stretchText(s)}
              </div>
            </div>
          )}
          {s.kind === 'empty' && <p className="muted small">No valid values.</p>}
          {panel && (
            <div className="style-panel" data-testid="style-panel" role="group" aria-label={`Style of ${layer.field}`}>
              {s.kind === 'continuous' && <RampControls scale={s} edit={edit} styleKey={styleKey} />}
              <button
                type="button"
                className="btn btn-small"
                disabled={!isEdited(edit)}
                data-testid="style-reset"
                onClick={() => reset(styleKey)}
              >
                Reset to the model’s colours
              </button>
            </div>
          )}
          {canEdit && (
            <button
              type="button"
              className="legend-edit"
              aria-pressed={editing}
              title={editing ? 'Close the style panel' : 'Edit the colours of this band'}
              data-testid="legend-edit"
              onClick={() => setEditing(!editing)}
            >
              {editing ? 'Done' : '✎ Edit colours'}
            </button>
          )}
        </>
      )}
    </div>
  );
}
