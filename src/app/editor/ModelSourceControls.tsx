/** In the model picker: "New model" (the template) and "Open model file…" (a .ts/.js file, dropped, chosen or by URL). */
import { useState, type DragEvent } from 'react';
import { describeError } from '../../executor/errors.ts';
import { fetchBytes } from '../../io/fetch.ts';
import { MAX_PAGE_MODEL_BYTES } from '../../worker/user-model.ts';
import { openInEditor } from './model-host.ts';
import { MODEL_TEMPLATE, TEMPLATE_FILE_NAME } from './template.ts';

const MODEL_FILE = /\.(?:ts|mts|js|mjs)$/i;

function decodeModel(bytes: Uint8Array, name: string): string {
  if (bytes.byteLength > MAX_PAGE_MODEL_BYTES)
    throw new Error(`${name} is ${bytes.byteLength} bytes; a model file is at most ${MAX_PAGE_MODEL_BYTES} bytes.`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${name} is not UTF-8 text.`);
  }
}

/** A file name for a model from a path or URL: its last segment, made safe, .ts when it has no model extension. */
export function modelFileName(pathOrUrl: string): string {
  const seg = (pathOrUrl.split(/[?#]/)[0] ?? '').split(/[\\/]/).pop() ?? '';
  const safe = seg.replace(/[^\w.-]/g, '_').slice(0, 100);
  return MODEL_FILE.test(safe) ? safe : `${safe || 'model'}.ts`;
}

export function ModelSourceControls({ disabled }: { disabled: boolean }) {
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [over, setOver] = useState(false);

  const openFile = async (f: File | undefined) => {
    if (!f) return;
    setError(null);
    try {
      if (!MODEL_FILE.test(f.name)) throw new Error(`${f.name} is not a model file: choose a .ts or .js file.`);
      if (f.size > MAX_PAGE_MODEL_BYTES)
        throw new Error(`${f.name} is ${f.size} bytes; a model file is at most ${MAX_PAGE_MODEL_BYTES} bytes.`);
      openInEditor(decodeModel(new Uint8Array(await f.arrayBuffer()), f.name), modelFileName(f.name));
    } catch (e) {
      setError(describeError(e));
    }
  };
  const openUrl = async () => {
    setError(null);
    try {
      const u = new URL(url.trim());
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('Give an http(s):// URL of a .ts or .js file.');
      const bytes = await fetchBytes(u.href);
      openInEditor(decodeModel(bytes, u.href), modelFileName(u.pathname));
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <div
      className={`model-source${over ? ' is-over' : ''}`}
      data-testid="model-source"
      onDragEnter={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragOver={(e: DragEvent) => e.preventDefault()}
      onDragLeave={() => setOver(false)}
      onDrop={(e: DragEvent) => {
        e.preventDefault();
        setOver(false);
        void openFile(e.dataTransfer?.files?.[0]);
      }}
    >
      <div className="share-row">
        <button
          type="button"
          className="btn btn-small"
          data-testid="model-new"
          disabled={disabled}
          onClick={() => openInEditor(MODEL_TEMPLATE, TEMPLATE_FILE_NAME)}
        >
          New model
        </button>
        <label className="btn btn-small">
          Open model file…
          <input
            type="file"
            hidden
            accept=".ts,.mts,.js,.mjs"
            data-testid="model-file"
            disabled={disabled}
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              void openFile(f);
            }}
          />
        </label>
      </div>
      <div className="share-row">
        <input
          className="input small"
          placeholder="or a model's URL (https://…/my_model.ts)"
          aria-label="Model file URL"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          data-testid="model-url"
        />
        <button
          type="button"
          className="btn btn-small"
          data-testid="model-url-open"
          disabled={disabled || !url.trim()}
          onClick={() => void openUrl()}
        >
          Open
        </button>
      </div>
      {error && (
        <p className="field-error" role="alert" data-testid="model-source-error">
          {error}
        </p>
      )}
    </div>
  );
}
