/** The verdict of a re-run (link or record), its errors, and the request for an input file a link cannot carry. */
import { useState } from 'react';
import { describeVerdict } from '../../executor/reproduce.ts';
import { sha256HexAsync } from '../../io/sha256.ts';
import { useReproduce } from './state.ts';

function InputRequest() {
  const pending = useReproduce((s) => s.pending);
  const [refusal, setRefusal] = useState<string | null>(null);
  if (!pending) return null;
  return (
    <div className="reproduce-request" data-testid="reproduce-request">
      <p>
        This experiment ran on a file that cannot travel in a link: <strong>{pending.name || 'the input'}</strong>. Choose that file; only bytes
        with SHA-256 <code className="hash">{pending.sha256 || '(not recorded)'}</code> are accepted.
      </p>
      <input
        type="file"
        aria-label="The original input file"
        data-testid="reproduce-input"
        onChange={async (e) => {
          const f = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (!f) return;
          const bytes = new Uint8Array(await f.arrayBuffer());
          const sha = await sha256HexAsync(bytes);
          if (pending.sha256 && sha !== pending.sha256) {
            setRefusal(`${f.name} has SHA-256 ${sha}, not the recorded one; it was not used.`);
            return;
          }
          setRefusal(null);
          pending.accept(bytes, f.name);
        }}
      />
      {refusal && <p className="field-error" role="alert">{refusal}</p>}
    </div>
  );
}

export function ReproduceBanner() {
  const { origin, verdict, error, busy, pending, set } = useReproduce();
  if (!origin && !error && !verdict && !pending) return null;
  const tone = error ? 'bad' : verdict?.kind === 'match' ? 'good' : verdict?.kind === 'differs' ? 'bad' : 'info';
  return (
    <div className={`verdict verdict-${tone}`} role="status" data-testid="reproduce-banner">
      <div className="verdict-text">
        {origin && <span className="muted small">Re-running the {origin}. </span>}
        {busy && <span>Checking the input and running…</span>}
        {verdict && <strong data-testid="verdict">{describeVerdict(verdict)}</strong>}
        {error && (
          <strong data-testid="link-error" className="error-text">
            {error}
          </strong>
        )}
        <InputRequest />
      </div>
      <button type="button" className="btn btn-small btn-ghost" onClick={() => set({ origin: null, verdict: null, error: null, pending: null })}>
        Dismiss
      </button>
    </div>
  );
}

