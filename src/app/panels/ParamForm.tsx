/** The parameter form, generated from the executor's schema; errors show next to their field. */
import { useId, type ReactNode } from 'react';
import type { ParamSpec } from '../../executor/params.ts';
import { useSelectedSpec } from '../run/useRun.ts';
import { SpecTables } from './SpecTables.tsx';
import { drawSeed, useWorkbench, type FormValue } from '../store.ts';

const num = (n: number): string =>
  Math.abs(n) >= 1e6 && Number.isInteger(Math.log10(Math.abs(n)))
    ? `${n < 0 ? '-' : ''}1e${Math.log10(Math.abs(n))}`
    : Math.abs(n) >= 1e7
      ? n.toExponential()
      : String(n);

/** The accepted range, compactly (1e15 rather than fifteen zeros). */
function rangeLabel(spec: ParamSpec): string {
  if (spec.type === 'int' || spec.type === 'float') {
    if (spec.min === undefined && spec.max === undefined) return '';
    return `[${spec.min !== undefined ? num(spec.min) : '−∞'}, ${spec.max !== undefined ? num(spec.max) : '∞'}]`;
  }
  if (spec.type === 'seed') return '[0, 2³² − 1]';
  return '';
}

function ParamField({ name, spec }: { name: string; spec: ParamSpec }) {
  const id = useId();
  const value = useWorkbench((s) => s.form[name]);
  const error = useWorkbench((s) => s.formErrors[name]);
  const setValue = useWorkbench((s) => s.setFormValue);
  const running = useWorkbench((s) => s.run.status === 'running');
  const label = spec.label ?? name;
  const helpId = `${id}-help`;
  const errId = `${id}-err`;
  const describedBy = error ? `${helpId} ${errId}` : helpId;
  const set = (v: FormValue) => setValue(name, v);

  let control: ReactNode;
  switch (spec.type) {
    case 'bool':
      return (
        <div className={`param param-bool${error ? ' has-error' : ''}`} data-testid={`param-${name}`}>
          <label className="check">
            <input
              id={id}
              type="checkbox"
              checked={value === true}
              disabled={running}
              aria-describedby={describedBy}
              onChange={(e) => set(e.target.checked)}
            />
            <span>
              {label} <code className="param-key">{name}</code>
            </span>
          </label>
          <p id={helpId} className="help">
            {spec.description}
          </p>
          {error && (
            <p id={errId} className="field-error" role="alert" data-testid={`param-error-${name}`}>
              {error}
            </p>
          )}
        </div>
      );
    case 'enum':
      control = (
        <select
          id={id}
          className="input"
          value={String(value ?? spec.default)}
          disabled={running}
          aria-describedby={describedBy}
          onChange={(e) => set(e.target.value)}
        >
          {spec.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
      break;
    case 'string':
      control = (
        <input
          id={id}
          className="input"
          type="text"
          value={String(value ?? '')}
          maxLength={spec.maxLength}
          disabled={running}
          aria-describedby={describedBy}
          aria-invalid={!!error}
          onChange={(e) => set(e.target.value)}
        />
      );
      break;
    case 'seed':
      control = (
        <div className="input-group">
          <input
            id={id}
            className="input mono"
            type="number"
            inputMode="numeric"
            min={0}
            max={4294967295}
            step={1}
            placeholder="drawn at run time"
            value={String(value ?? '')}
            disabled={running}
            aria-describedby={describedBy}
            aria-invalid={!!error}
            onChange={(e) => set(e.target.value)}
          />
          <button
            type="button"
            className="btn"
            disabled={running}
            data-testid={`reroll-${name}`}
            onClick={() => set(String(drawSeed()))}
            title="Draw a new random seed"
          >
            Re-roll
          </button>
        </div>
      );
      break;
    default: {
      const step = spec.type === 'int' ? 1 : (spec.step ?? 'any');
      control = (
        <div className="input-group">
          <input
            id={id}
            className="input mono"
            type="number"
            inputMode={spec.type === 'int' ? 'numeric' : 'decimal'}
            min={spec.min}
            max={spec.max}
            step={step}
            value={String(value ?? '')}
            disabled={running}
            aria-describedby={describedBy}
            aria-invalid={!!error}
            onChange={(e) => set(e.target.value)}
          />
          {spec.unit && <span className="unit">{spec.unit}</span>}
        </div>
      );
    }
  }
  return (
    <div className={`param${error ? ' has-error' : ''}`} data-testid={`param-${name}`}>
      <label className="field-label" htmlFor={id}>
        {label} <code className="param-key">{name}</code>
        <span className="range">{rangeLabel(spec)}</span>
      </label>
      {control}
      <p id={helpId} className="help">
        {spec.description}
      </p>
      {error && (
        <p id={errId} className="field-error" role="alert" data-testid={`param-error-${name}`}>
          {error}
        </p>
      )}
    </div>
  );
}

export function ParamForm() {
  const spec = useSelectedSpec();
  const formError = useWorkbench((s) => s.formErrors._form);
  const id = useId();
  if (!spec) return null;
  // An extra input's URI parameter is set from its drop zone in the dataset panel.
  const extraParams = new Set((spec.extraInputs ?? []).map((e) => e.param));
  const entries = Object.entries(spec.params).filter(([k]) => !extraParams.has(k));
  return (
    <section className="panel" aria-labelledby={`${id}-h`} data-testid="param-panel">
      <h2 id={`${id}-h`} className="panel-title">
        <span className="step-no">3</span> Parameters
      </h2>
      {entries.length === 0 && <p className="muted">This model takes no parameters.</p>}
      <form
        className="param-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
        }}
      >
        {entries.map(([k, p]) => (
          <ParamField key={`${spec.name}.${k}`} name={k} spec={p} />
        ))}
      </form>
      <SpecTables key={spec.name} spec={spec} />
      {formError && (
        <p className="field-error" role="alert">
          {formError}
        </p>
      )}
    </section>
  );
}
