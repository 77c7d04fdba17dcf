/** A share link's model code, shown before anything runs, with the choice to run it or not. */
import { useExecutorSpecs } from '../data/queries.ts';
import { acceptLinkCode, declineLinkCode } from './link-code.ts';
import { useModelHost } from './model-host.ts';

export function LinkCodeConsent() {
  const consent = useModelHost((s) => s.consent);
  const specs = useExecutorSpecs();
  if (!consent) return null;
  return (
    <div className="verdict verdict-info" role="dialog" aria-label="Run the link's model code?" data-testid="link-code-consent">
      <div className="verdict-text">
        <strong>This link carries a model’s code ({consent.fileName}). It has not run.</strong>
        <p className="small">
          Its SHA-256 <code className="hash">{consent.sha256}</code> is the one the run recorded. Read it, then run it only if you trust it:
          it runs in a worker with no access to this page, its storage or the network.
        </p>
        <pre className="link-code mono small" data-testid="link-code-source">
          {consent.source}
        </pre>
        <button type="button" className="btn" data-testid="link-code-run" onClick={() => void acceptLinkCode(specs)}>
          Run this code and reproduce
        </button>{' '}
        <button type="button" className="btn btn-ghost" data-testid="link-code-decline" onClick={declineLinkCode}>
          Don’t run it
        </button>
      </div>
    </div>
  );
}
