/**
 * Share and reproduce: after a run, a link that re-runs it anywhere (copy it,
 * optionally with the input embedded); and "Re-run a record.json" for a record
 * written by the CLI, the workbench or DisSModel.
 */
import { useMemo, useState } from 'react';
import { describeError } from '../../executor/errors.ts';
import { encodeShareLink, experimentFromRecord, MAX_EMBED_BYTES } from '../../io/share-link.ts';
import { uriDisplayName } from '../../worker/protocol.ts';
import { useCurrentDataset } from '../run/useRun.ts';
import { useWorkbench } from '../store.ts';
import { replayFromRecordJson, startReplay } from './reproduce.ts';

function useShareLink(embed: boolean): { link: string | null; error: string | null; canEmbed: boolean } {
  const response = useWorkbench((s) => (s.run.status === 'completed' ? s.run.response : null));
  const dq = useCurrentDataset();
  const bytes = dq.data && response && dq.data.source.uri === response.record.source.uri ? dq.data.bytes : null;
  const canEmbed = !!bytes && bytes.byteLength <= MAX_EMBED_BYTES;
  return useMemo(() => {
    if (!response) return { link: null, error: null, canEmbed };
    try {
      const name = response.record.source.uri ? uriDisplayName(response.record.source.uri) : '';
      const frag = encodeShareLink(experimentFromRecord(response.record, name, embed && canEmbed ? bytes : null));
      return { link: `${location.origin}${location.pathname}#${frag}`, error: null, canEmbed };
    } catch (e) {
      return { link: null, error: describeError(e), canEmbed };
    }
  }, [response, embed, canEmbed, bytes]);
}

export function SharePanel() {
  const [embed, setEmbed] = useState(false);
  const [copied, setCopied] = useState('');
  const { link, error, canEmbed } = useShareLink(embed);
  const fileInput = useMemo(() => `record-input-${Math.random().toString(36).slice(2)}`, []);
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
            <input id="share-link" className="input mono small" readOnly value={link} data-testid="share-link" onFocus={(e) => e.currentTarget.select()} />
            <button
              type="button"
              className="btn btn-small"
              data-testid="share-copy"
              onClick={() =>
                navigator.clipboard?.writeText(link).then(
                  () => setCopied('Copied'),
                  () => setCopied('Select the link and copy it'),
                )
              }
            >
              Copy link
            </button>
          </div>
          <label className="small share-embed">
            <input type="checkbox" checked={embed} disabled={!canEmbed} onChange={(e) => setEmbed(e.target.checked)} data-testid="share-embed" />{' '}
            Embed the input in the link {canEmbed ? '' : `(only for inputs up to ${MAX_EMBED_BYTES / 1024} KiB)`}
          </label>
          {copied && <p className="muted small" role="status">{copied}</p>}
        </>
      ) : (
        <p className="muted small">After a run, a link here re-runs it anywhere and shows whether the bytes match.</p>
      )}
      {error && <p className="field-error" role="alert">{error}</p>}
      <label className="field-label" htmlFor={fileInput}>
        Re-run a record.json (from the CLI, the workbench or DisSModel)
      </label>
      <input
        id={fileInput}
        type="file"
        accept=".json,application/json"
        data-testid="record-input"
        onChange={async (e) => {
          const f = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (!f) return;
          const text = await f.text();
          void startReplay(() => replayFromRecordJson(text, f.name));
        }}
      />
    </section>
  );
}
