/** The legend's style controls for a continuous band: the ramp, and the stretch (data min/max, percentiles, typed min/max). */
import { useId, useState } from 'react';
import type { ColorScale } from './colors.ts';
import { RAMP_NAMES, RAMPS, type RampName } from './ramps.ts';
import { useBandStyles } from './band-style-store.ts';
import { percentilesOf, validPercentiles, type BandStyle } from './style-edits.ts';
import type { StretchMode } from './stretch.ts';

type Continuous = Extract<ColorScale, { kind: 'continuous' }>;

/** A number field that keeps what is typed and hands on only a value `accept` takes (else it is marked invalid). */
function NumberField(props: {
  label: string;
  value: number;
  testId: string;
  step?: number;
  accept(v: number): boolean;
  onValue(v: number): void;
}) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const text = draft ?? String(props.value);
  const parsed = text.trim() === '' ? NaN : Number(text);
  const invalid = !(Number.isFinite(parsed) && props.accept(parsed));
  return (
    <span className="style-number">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        className="input input-small"
        step={props.step ?? 'any'}
        value={text}
        aria-invalid={invalid}
        data-testid={props.testId}
        onChange={(e) => {
          setDraft(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value.trim() !== '' && Number.isFinite(v) && props.accept(v)) props.onValue(v);
        }}
        onBlur={() => setDraft(null)}
      />
    </span>
  );
}

export function RampControls({ scale, edit, styleKey }: { scale: Continuous; edit: BandStyle | undefined; styleKey: string }) {
  const id = useId();
  const change = useBandStyles((s) => s.edit);
  const [pLow, pHigh] = percentilesOf(edit);
  const manualMin = edit?.min ?? scale.min;
  const manualMax = edit?.max ?? scale.max;
  const setStretch = (mode: StretchMode) => {
    if (mode === 'manual') change(styleKey, { stretch: mode, min: scale.min, max: scale.max > scale.min ? scale.max : scale.min + 1 });
    else change(styleKey, { stretch: mode });
  };
  return (
    <div className="style-ramp" data-testid="ramp-controls">
      <span className="style-row">
        <label htmlFor={`${id}-ramp`}>Ramp</label>
        <select
          id={`${id}-ramp`}
          className="input input-small"
          value={scale.ramp}
          data-testid="ramp-select"
          onChange={(e) => change(styleKey, { ramp: e.target.value as RampName })}
        >
          {RAMP_NAMES.map((r) => (
            <option key={r} value={r}>
              {RAMPS[r].title}
            </option>
          ))}
        </select>
      </span>
      <span className="style-row">
        <label htmlFor={`${id}-stretch`}>Stretch</label>
        <select
          id={`${id}-stretch`}
          className="input input-small"
          value={scale.stretch}
          data-testid="stretch-select"
          onChange={(e) => setStretch(e.target.value as StretchMode)}
        >
          <option value="data">data min – max</option>
          <option value="percentile">percentiles</option>
          <option value="manual">min – max typed</option>
        </select>
      </span>
      {scale.stretch === 'percentile' && (
        <span className="style-row">
          <NumberField
            label="from %"
            value={pLow}
            step={0.5}
            testId="stretch-plow"
            accept={(v) => validPercentiles(v, pHigh)}
            onValue={(v) => change(styleKey, { stretch: 'percentile', pLow: v, pHigh })}
          />
          <NumberField
            label="to %"
            value={pHigh}
            step={0.5}
            testId="stretch-phigh"
            accept={(v) => validPercentiles(pLow, v)}
            onValue={(v) => change(styleKey, { stretch: 'percentile', pLow, pHigh: v })}
          />
        </span>
      )}
      {scale.stretch === 'manual' && (
        <span className="style-row">
          <NumberField
            label="min"
            value={manualMin}
            testId="stretch-min"
            accept={(v) => v < manualMax}
            onValue={(v) => change(styleKey, { stretch: 'manual', min: v, max: manualMax })}
          />
          <NumberField
            label="max"
            value={manualMax}
            testId="stretch-max"
            accept={(v) => v > manualMin}
            onValue={(v) => change(styleKey, { stretch: 'manual', min: manualMin, max: v })}
          />
        </span>
      )}
    </div>
  );
}
