/**
 * Dataset panel: drop zone / file picker, URL field, bundled samples for the
 * chosen model, the loaded dataset's summary (with its SHA-256), refusal
 * reasons, and the band_map / column_map editor.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import type { ExecutorSpec } from '../../executor/executor.ts';
import { crsLabel } from '../../worker/proj.ts';
import { takesNoInput, type Compatibility } from '../data/compat.ts';
import { useSampleManifest, type LoadedDataset } from '../data/queries.ts';
import { useFileDrop } from '../components/useFileDrop.ts';
import { ACCEPTED, useTakeFiles } from '../data/use-take-files.ts';
import { DatasetLoading } from './DatasetLoading.tsx';
import { ExtraInputs } from './ExtraInputs.tsx';
import { formatBytes, formatInt } from '../format.ts';
import { useCompatibility, useCurrentDataset, useSelectedSpec } from '../run/useRun.ts';
import { useWorkbench, type DatasetSource } from '../store.ts';
import { sampleSource } from './ModelPanel.tsx';

function DropZone({ disabled, onError }: { disabled: boolean; onError: (msg: string | null) => void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const take = useTakeFiles(onError);
  const { over, dropProps } = useFileDrop(disabled, take);

  return (
    <div className={`dropzone${over ? ' is-over' : ''}${disabled ? ' is-disabled' : ''}`} data-testid="drop-zone" {...dropProps}>
      <p className="dropzone-text">
        Drop a <strong>GeoTIFF</strong> (.tif, .tiff), <strong>GeoJSON</strong> (.geojson, .json), zipped <strong>Shapefile</strong> (.zip),{' '}
        <strong>GeoPackage</strong> (.gpkg) or <strong>FlatGeobuf</strong> (.fgb) here
        <span className="muted small"> — or a record.json to re-run its experiment</span>
      </p>
      <button type="button" className="btn" disabled={disabled} onClick={() => inputRef.current?.click()}>
        Choose a file…
      </button>
      <input
        ref={inputRef}
        type="file"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        accept={ACCEPTED.map((e) => `.${e}`).join(',')}
        data-testid="file-input"
        onChange={(e) => {
          take(e.target.files);
          e.target.value = '';
        }}
      />
    </div>
  );
}

function UrlField({ disabled }: { disabled: boolean }) {
  const id = useId();
  const [url, setUrl] = useState('');
  // The address's error belongs to the dataset chosen when it was made: picking a sample or a file clears it.
  const [urlError, setUrlError] = useState<{ message: string; source: DatasetSource | null } | null>(null);
  const source = useWorkbench((s) => s.source);
  const error = urlError && urlError.source === source ? urlError.message : null;
  const setError = (message: string | null) => setUrlError(message === null ? null : { message, source });
  const setSource = useWorkbench((s) => s.setSource);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const u = url.trim();
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      setError('Enter a full http:// or https:// address.');
      return;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      setError(`Only http:// and https:// addresses can be loaded (got ${parsed.protocol}).`);
      return;
    }
    setError(null);
    setSource({ kind: 'url', uri: parsed.href, id: 0 });
  };
  return (
    <form className="url-form" onSubmit={submit} noValidate>
      <label className="field-label" htmlFor={id}>
        Or load from a URL
      </label>
      <div className="input-group">
        <input
          id={id}
          className="input"
          type="url"
          placeholder="https://example.org/grid.tif"
          value={url}
          disabled={disabled}
          data-testid="url-input"
          aria-invalid={!!error}
          onChange={(e) => setUrl(e.target.value)}
        />
        <button type="submit" className="btn" disabled={disabled || !url.trim()} data-testid="url-load">
          Load
        </button>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function SampleList({ spec, disabled }: { spec: ExecutorSpec; disabled: boolean }) {
  const manifest = useSampleManifest();
  const source = useWorkbench((s) => s.source);
  const setSource = useWorkbench((s) => s.setSource);
  if (manifest.isPending) return <p className="muted small">Loading bundled samples…</p>;
  if (manifest.isError)
    return (
      <p className="field-error small" role="alert">
        Bundled samples unavailable: {manifest.error.message}{' '}
        <button type="button" className="btn btn-small" onClick={() => void manifest.refetch()}>
          Retry
        </button>
      </p>
    );
  const list = manifest.data.filter((e) => e.models.includes(spec.name) && spec.inputs.includes(e.kind));
  if (list.length === 0) return <p className="muted small">No bundled sample for this model.</p>;
  return (
    <ul className="sample-list" data-testid="sample-list">
      {list.map((e) => {
        const active = source?.kind === 'sample' && source.file === e.file;
        return (
          <li key={e.file}>
            <button
              type="button"
              className={`sample${active ? ' is-active' : ''}`}
              aria-pressed={active}
              disabled={disabled}
              data-testid={`sample-${e.file}`}
              title={e.description}
              onClick={() => setSource(sampleSource(e.file))}
            >
              <span className="sample-title">{e.title}</span>
              <span className="sample-file">
                {e.file} · {e.kind}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function Summary({ ds }: { ds: LoadedDataset }) {
  const s = ds.summary;
  const cell = s.transform ? `${+s.transform.pixelWidth.toPrecision(6)} × ${+s.transform.pixelHeight.toPrecision(6)}` : null;
  return (
    <dl className="summary" data-testid="dataset-summary">
      <dt>Name</dt>
      <dd data-testid="dataset-name">{s.name}</dd>
      <dt>Size</dt>
      <dd>{formatBytes(s.size)}</dd>
      <dt>Format</dt>
      <dd data-testid="dataset-format">
        {s.format} ({s.kind})
      </dd>
      {s.kind === 'raster' ? (
        <>
          <dt>Grid</dt>
          <dd data-testid="dataset-grid">
            {s.width} × {s.height} cells{cell ? `, cell ${cell}` : ''}
          </dd>
          <dt>Bands</dt>
          <dd data-testid="dataset-fields">
            {(s.bands ?? []).map((b, i) => (
              <span
                key={i}
                className="chip"
                title={`${b.dtype}${b.nodata !== null ? `, nodata ${b.nodata}` : ''}${b.min !== null ? `, ${b.min} … ${b.max}` : ''}`}
              >
                {i + 1}:{b.name} <small>{b.dtype}</small>
              </span>
            ))}
          </dd>
        </>
      ) : (
        <>
          <dt>Features</dt>
          <dd data-testid="dataset-grid">
            {formatInt(s.featureCount ?? 0)} ({(s.geometryTypes ?? []).join(', ') || 'no geometry'})
          </dd>
          <dt>Columns</dt>
          <dd data-testid="dataset-fields">
            {(s.columns ?? []).map((c) => (
              <span key={c} className="chip">
                {c}
              </span>
            ))}
          </dd>
        </>
      )}
      <dt>CRS</dt>
      <dd data-testid="dataset-crs">
        {s.kind === 'vector' && s.epsg === null && s.crsName
          ? `${s.crsName} (stated as WKT, no EPSG code; coordinates read as stored)`
          : s.kind === 'vector' && s.epsg === null && !s.crsWkt
            ? 'none declared (GeoJSON: WGS 84 lon/lat)'
            : crsLabel(s.epsg, s.crsWkt)}
        {s.rotated ? ' · rotated grid (kept in outputs, drawn north-up at a neutral place)' : ''}
      </dd>
      <dt>SHA-256</dt>
      <dd className="hash" data-testid="dataset-sha256">
        {s.sha256}
      </dd>
    </dl>
  );
}

function FieldMapEditor({ compat, kind }: { compat: Compatibility; kind: 'raster' | 'vector' }) {
  const fieldMap = useWorkbench((s) => s.fieldMap);
  const setFieldMap = useWorkbench((s) => s.setFieldMap);
  const running = useWorkbench((s) => s.run.status === 'running');
  const id = useId();
  if (compat.fields.length === 0) return null;
  const which = kind === 'raster' ? 'band_map' : 'column_map';
  const rows = (
    <>
      {compat.fields.map((f) => {
        const problem = compat.fieldProblems[f.name];
        const auto = compat.resolved[f.name] && !fieldMap[f.name] ? compat.resolved[f.name] : null;
        return (
          <div key={f.name} className={`map-row${problem ? ' has-error' : ''}`}>
            <label htmlFor={`${id}-${f.name}`} className="map-label">
              <code>{f.name}</code>
              <span className="muted small">
                {f.description}
                {f.required === false && !/\(optional\)/i.test(f.description) ? ' (optional)' : ''}
              </span>
            </label>
            <select
              id={`${id}-${f.name}`}
              className="input"
              value={fieldMap[f.name] ?? ''}
              disabled={running}
              data-testid={`map-${f.name}`}
              onChange={(e) => setFieldMap(f.name, e.target.value || null)}
            >
              <option value="">{auto ? `automatic (${auto})` : 'automatic (not found)'}</option>
              {compat.names.map((n, i) => (
                <option key={`${n}-${i}`} value={n}>
                  {kind === 'raster' ? `${i + 1}: ${n}` : n}
                </option>
              ))}
            </select>
            {problem && (
              <p className="field-error small" role="alert">
                {problem}
              </p>
            )}
          </div>
        );
      })}
    </>
  );
  if (!compat.namesDiffer) {
    return (
      <details className="field-map field-map-optional" data-testid="field-map">
        <summary>
          <code>{which}</code> <span className="muted small">— names match; remap optional fields</span>
        </summary>
        {rows}
      </details>
    );
  }
  return (
    <fieldset className="field-map" data-testid="field-map">
      <legend>
        {which} <span className="muted small">— the dataset's names differ from the model's</span>
      </legend>
      {rows}
    </fieldset>
  );
}

export function DatasetPanel() {
  const spec = useSelectedSpec();
  const dq = useCurrentDataset();
  const source = useWorkbench((s) => s.source);
  const running = useWorkbench((s) => s.run.status === 'running');
  const compat = useCompatibility(spec, dq.data);
  // A refused drop, shown until another dataset is chosen.
  const [refusedDrop, setRefusedDrop] = useState<{ message: string; source: DatasetSource | null } | null>(null);
  const dropError = refusedDrop && refusedDrop.source === source ? refusedDrop.message : null;
  const id = useId();
  if (!spec) return null;
  const noInput = takesNoInput(spec);
  return (
    <section className="panel" aria-labelledby={`${id}-h`} data-testid="dataset-panel">
      <h2 id={`${id}-h`} className="panel-title">
        <span className="step-no">2</span> Dataset
      </h2>
      {noInput ? (
        <p className="muted" data-testid="no-input-note">
          {spec.title} takes no input dataset: set its parameters and run it.
        </p>
      ) : (
        <>
          <DropZone disabled={running} onError={(message) => setRefusedDrop(message === null ? null : { message, source })} />
          {dropError && (
            <p className="field-error" role="alert" data-testid="dataset-error">
              {dropError}
            </p>
          )}
          <UrlField disabled={running} />
          <h3 className="sub-title">Bundled samples</h3>
          <SampleList spec={spec} disabled={running} />
          <ExtraInputs spec={spec} disabled={running} />
          <div className="dataset-status" aria-live="polite">
            {source && dq.isPending && <DatasetLoading source={source} />}
            {source && dq.isError && (
              <div className="error-box" role="alert" data-testid="dataset-error">
                <strong>Could not use {source.uri}.</strong>
                <p>{dq.error.message}</p>
                {source.kind !== 'file' && (
                  <button type="button" className="btn btn-small" onClick={() => void dq.refetch()}>
                    Retry
                  </button>
                )}
              </div>
            )}
            {dq.data && (
              <>
                <Summary ds={dq.data} />
                {compat?.refusal && (
                  <div className="error-box" role="alert" data-testid="dataset-refusal">
                    <strong>This dataset cannot be used by {spec.title}.</strong>
                    <p>{compat.refusal}</p>
                  </div>
                )}
                {compat && !compat.refusal && <FieldMapEditor compat={compat} kind={dq.data.summary.kind} />}
                {compat && !compat.refusal && Object.keys(compat.fieldProblems).length > 0 && !compat.namesDiffer && (
                  <div className="error-box" role="alert">
                    {Object.values(compat.fieldProblems).map((p) => (
                      <p key={p}>{p}</p>
                    ))}
                  </div>
                )}
              </>
            )}
          </div>
        </>
      )}
    </section>
  );
}
