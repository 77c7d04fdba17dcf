/**
 * Share and reproduce: after a run, a link that re-runs it anywhere (copy it,
 * optionally with the input embedded); and "Re-run a record.json" for a record
 * written by the CLI, the workbench or DisSModel.
 */
import { useId, useMemo, useState, type DragEvent } from 'react';
import { describeError } from '../../executor/errors.ts';
import { encodeShareLink, experimentFromRecord, MAX_EMBED_BYTES } from './share-link.ts';
import { uriDisplayName } from '../../worker/protocol.ts';
import { useExecutorSpecs } from '../data/queries.ts';
import { useCurrentDataset } from '../run/useRun.ts';
import { useWorkbench } from '../store.ts';
import { replayRecordFile } from './reproduce.ts';
import { versionOfRecord } from '../editor/model-host.ts';

function useShareLink(embed: boolean): { link: string | null; error: string | null; canEmbed: boolean; hasInput: boolean } {
  const response = useWorkbench((s) => (s.run.status === 'completed' ? s.run.response : null));
  const dq = useCurrentDataset();
  // Only the very bytes the run read may be embedded (same SHA-256 as the record's input).
  const bytes =
    dq.data && response && response.record.source.checksum && dq.data.summary.sha256 === response.record.source.checksum
      ? dq.data.bytes
      : null;
  const canEmbed = !!bytes && bytes.byteLength <= MAX_EMBED_BYTES;
  const hasInput = !!response?.record.source.uri;
  return useMemo(() => {
    if (!response) return { link: null, error: null, canEmbed, hasInput };
    try {
      const name = response.record.source.uri ? uriDisplayName(response.record.source.uri) : '';
      // A page model's run carries its source (a link to it would be useless without).
      const v = versionOfRecord(response.record);
      const code = v ? { source: v.source, file: v.fileName, sha256: v.sha256 } : null;
      const frag = encodeShareLink(experimentFromRecord(response.record, name, embed && canEmbed ? bytes : null, code));
      return { link: `${location.origin}${location.pathname}#${frag}`, error: null, canEmbed, hasInput };
    } catch (e) {
      return { link: null, error: describeError(e), canEmbed, hasInput };
    }
  }, [response, embed, canEmbed, bytes, hasInput]);
}

/** Drop or pick a record.json (this workbench's, the CLI's or DisSModel's) to restore and re-run it. */
function RecordDrop({ inputId }: { inputId: string }) {
  const [over, setOver] = useState(false);
  const specs = useExecutorSpecs();
  const take = (f: File | undefined) => {
    if (f) void replayRecordFile(f, specs());
  };
  return (
    <div
      className={`record-drop${over ? ' is-over' : ''}`}
      data-testid="record-drop"
      onDragEnter={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragOver={(e: DragEvent) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e: DragEvent) => {
        e.preventDefault();
        setOver(false);
        take(e.dataTransfer?.files?.[0]);
      }}
    >
      <label className="field-label" htmlFor={inputId}>
        Re-run a record.json (from the CLI, the workbench or DisSModel): drop it here or choose it
      </label>
      <input
        id={inputId}
        type="file"
        accept=".json,application/json"
        data-testid="record-input"
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          take(f);
        }}
      />
    </div>
  );
}

export function SharePanel() {
  const [embed, setEmbed] = useState(false);
  const [copied, setCopied] = useState('');
  const { link, error, canEmbed, hasInput } = useShareLink(embed);
  const fileInput = useId();
  return (
    <section className="panel" aria-labelledby="share-title" data-testid="share-panel">
      <h2 id="share-title" className="panel-title">
        Share & reproduce
      </h2>
      {link ? (
        <>
          <label className="field-label" htmlFor="share-link">
            Link that re-runs this experiment and checks its output SHA-256
          </label>
          <div className="share-row">
            <input
              id="share-link"
              className="input mono small"
              readOnly
              value={link}
              data-testid="share-link"
              onFocus={(e) => e.currentTarget.select()}
            />
            <button
              type="button"
              className="btn btn-small"
              data-testid="share-copy"
              onClick={() => {
                if (!navigator.clipboard) {
                  setCopied('The clipboard is not available here: select the link and copy it.');
                  return;
                }
                navigator.clipboard.writeText(link).then(
                  () => setCopied('Copied'),
                  () => setCopied('The clipboard refused: select the link and copy it.'),
                );
              }}
            >
              Copy link
            </button>
          </div>
          <label className="small share-embed">
            <input
              type="checkbox"
              checked={embed}
              disabled={!canEmbed}
              onChange={(e) => setEmbed(e.target.checked)}
              data-testid="share-embed"
            />{' '}
            Embed the input in the link{' '}
            {canEmbed ? '' : hasInput ? `(only for inputs up to ${MAX_EMBED_BYTES / 1024} KiB)` : '(this run has no input)'}
          </label>
          {copied && (
            <p className="muted small" role="status" data-testid="share-copied">
              {copied}
            </p>
          )}
        </>
      ) : (
        <p className="muted small">After a run, a link here re-runs it anywhere and shows whether the bytes match.</p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <RecordDrop inputId={fileInput} />
    </section>
  );
}
