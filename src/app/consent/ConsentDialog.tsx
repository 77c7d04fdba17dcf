/** The question asked before the page fetches a URL (consent.ts): the URL, its host, what asks, and a stronger warning for local addresses. */
import { useId, useState } from 'react';
import { needsExplicitConsent } from '../../io/address-class.ts';
import { useConsent, type ConsentRequest } from './consent.ts';

export function ConsentDialog() {
  const req = useConsent((s) => s.pending);
  // keyed by the URL: a new question starts with the box unticked
  return req ? <Question key={req.url} req={req} /> : null;
}

function Question({ req }: { req: ConsentRequest }) {
  const id = useId();
  const [understood, setUnderstood] = useState(false);
  const local = needsExplicitConsent(req.address);
  return (
    <div
      className={`consent ${local ? 'consent-local' : ''}`}
      role="alertdialog"
      aria-labelledby={`${id}-t`}
      data-testid="consent-dialog"
      data-kind={req.address.kind}
    >
      <p id={`${id}-t`}>
        <strong>Download from another site?</strong> {req.origin} asks the page to fetch:
      </p>
      <p>
        <code className="mono" data-testid="consent-url">
          {req.url}
        </code>
      </p>
      <p>
        Host: <strong data-testid="consent-host">{req.address.host}</strong>
        {req.address.reason ? ` — ${req.address.reason}` : ''}. Nothing has been requested yet.
      </p>
      {local && (
        <p className="field-error" data-testid="consent-warning">
          This address is on your own computer or network, not on the public internet. A link or record should rarely need it: fetching it
          lets this page reach services that are not meant to be public.{' '}
          <label>
            <input
              type="checkbox"
              data-testid="consent-understood"
              checked={understood}
              onChange={(e) => setUnderstood(e.currentTarget.checked)}
            />{' '}
            I know this address and want the page to fetch it
          </label>
        </p>
      )}
      <div className="consent-actions">
        <button
          type="button"
          className="btn btn-small"
          data-testid="consent-accept"
          disabled={local && !understood}
          onClick={() => req.answer(true)}
        >
          Fetch it
        </button>
        <button type="button" className="btn btn-small btn-ghost" data-testid="consent-decline" onClick={() => req.answer(false)}>
          Don’t fetch
        </button>
      </div>
    </div>
  );
}
