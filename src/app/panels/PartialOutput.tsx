/** A cancelled run's state reached: a partial result, marked as such, with its download and SHA-256. */
import { useEffect, useMemo } from 'react';
import type { PartialOutput as Partial } from '../../worker/protocol.ts';
import { formatBytes } from '../format.ts';

export function PartialOutput({ partial }: { partial: Partial }) {
  const url = useMemo(() => URL.createObjectURL(new Blob([partial.bytes as BlobPart], { type: partial.mediaType })), [partial]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return (
    <div className="partial-output" data-testid="partial-output" data-status={partial.status}>
      <p className="partial-badge" role="note">
        <strong>Partial result</strong> · status <code>{partial.status}</code> · state after step {partial.step} of {partial.total}, not a
        completed output
      </p>
      <p className="out-name">
        <span className="mono" data-testid="partial-name">
          {partial.name}
        </span>{' '}
        <span className="muted small">{formatBytes(partial.bytes.byteLength)}</span>
      </p>
      <div className="sha-row">
        <span className="sha-label">SHA-256</span>
        <code className="hash" data-testid="partial-sha256">
          {partial.sha256}
        </code>
      </div>
      <a className="btn btn-small" href={url} download={partial.name} data-testid="download-partial">
        ⬇ partial {partial.name.split('.').pop()?.toUpperCase()} (step {partial.step})
      </a>
    </div>
  );
}
