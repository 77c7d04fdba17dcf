/**
 * The extra inputs a model declares (spec.extraInputs: a demand CSV, a reference
 * map): one drop zone each in the dataset panel, with the file's size and
 * SHA-256. Picking a bundled sample fills in the inputs bundled with it
 * (manifest `inputs`), replaced by a file the user drops.
 */
import { useEffect, useRef, useState } from 'react';
import type { ExecutorSpec, ExtraInput } from '../../executor/executor.ts';
import { extensionOf } from '../../io/dataset.ts';
import { fetchBytes } from '../../io/fetch.ts';
import { MAX_INPUT_BYTES } from '../../io/limits.ts';
import { sha256HexAsync } from '../../io/sha256.ts';
import { useFileDrop } from '../components/useFileDrop.ts';
import { samplesBaseUrl, useSampleManifest } from '../data/queries.ts';
import { formatBytes } from '../format.ts';
import { useWorkbench } from '../store.ts';

function ExtraDrop({ extra, disabled }: { extra: ExtraInput; disabled: boolean }) {
  const file = useWorkbench((s) => s.extras[extra.param]);
  const setExtra = useWorkbench((s) => s.setExtra);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const accepted = extra.extensions.map((e) => `.${e}`).join(', ');

  const take = async (files: FileList | null | undefined) => {
    const f = files?.[0];
    if (!f) return setError(`Nothing was dropped. Drop ${extra.title} (${accepted}).`);
    if (!extra.extensions.includes(extensionOf(f.name))) return setError(`${f.name} is not ${extra.title}: accepted ${accepted}.`);
    if (f.size === 0) return setError(`${f.name} is empty (0 bytes).`);
    if (f.size > MAX_INPUT_BYTES) return setError(`${f.name} is ${f.size} bytes; the largest input accepted is ${MAX_INPUT_BYTES} bytes.`);
    const bytes = new Uint8Array(await f.arrayBuffer());
    setError(null);
    setExtra(extra.param, { uri: `file:${f.name}`, name: f.name, bytes, sha256: await sha256HexAsync(bytes), fromSample: false });
  };

  const { over, dropProps } = useFileDrop(disabled, (files) => void take(files));

  return (
    <div
      className={`dropzone dropzone-extra${over ? ' is-over' : ''}${disabled ? ' is-disabled' : ''}`}
      data-testid={`extra-drop-${extra.param}`}
      {...dropProps}
    >
      <p className="dropzone-text">
        <strong>{extra.title[0].toUpperCase() + extra.title.slice(1)}</strong> ({accepted}){extra.required === false ? ' — optional' : ''}
        <span className="muted small"> — {extra.description}</span>
      </p>
      {file ? (
        <p className="small" data-testid={`extra-file-${extra.param}`}>
          {file.uri} · {formatBytes(file.bytes.length)} · <span className="mono">sha256 {file.sha256}</span>{' '}
          <button type="button" className="btn btn-small" disabled={disabled} onClick={() => setExtra(extra.param, null)}>
            Remove
          </button>
        </p>
      ) : (
        <p className="muted small">None given.</p>
      )}
      <button type="button" className="btn btn-small" disabled={disabled} onClick={() => inputRef.current?.click()}>
        Choose a file…
      </button>
      <input
        ref={inputRef}
        type="file"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        accept={extra.extensions.map((e) => `.${e}`).join(',')}
        data-testid={`extra-input-${extra.param}`}
        onChange={(e) => {
          void take(e.target.files);
          e.target.value = '';
        }}
      />
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A bundled sample's own extra inputs, fetched when it is picked (a file the user dropped is kept). */
function useSampleExtras(spec: ExecutorSpec): void {
  const source = useWorkbench((s) => s.source);
  const manifest = useSampleManifest();
  useEffect(() => {
    if (source?.kind !== 'sample' || !manifest.data) return;
    const entry = manifest.data.find((e) => e.file === source.file);
    const controller = new AbortController();
    for (const extra of spec.extraInputs ?? []) {
      const file = entry?.inputs?.[extra.param];
      const current = useWorkbench.getState().extras[extra.param];
      if (!file || (current && !current.fromSample) || current?.uri === `sample:${file}`) continue;
      void fetchBytes(new URL(encodeURIComponent(file), samplesBaseUrl()).href, { signal: controller.signal }).then(
        async (bytes) =>
          useWorkbench
            .getState()
            .setExtra(extra.param, { uri: `sample:${file}`, name: file, bytes, sha256: await sha256HexAsync(bytes), fromSample: true }),
        () => {},
      );
    }
    return () => controller.abort();
  }, [source, manifest.data, spec]);
}

export function ExtraInputs({ spec, disabled }: { spec: ExecutorSpec; disabled: boolean }) {
  useSampleExtras(spec);
  if (!spec.extraInputs?.length) return null;
  return (
    <div className="extra-inputs" data-testid="extra-inputs">
      <h3 className="sub-title">Other inputs</h3>
      {spec.extraInputs.map((e) => (
        <ExtraDrop key={e.param} extra={e} disabled={disabled} />
      ))}
    </div>
  );
}
