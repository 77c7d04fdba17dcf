/** The verdict of a re-run (link or record), its errors, and the request for an input file a link cannot carry. */
import { useState, type DragEvent } from 'react';
import { describeVerdict } from '../../executor/reproduce.ts';
import { sha256HexAsync } from '../../io/sha256.ts';
import { MAX_INPUT_BYTES } from '../../io/limits.ts';
import { CompareOriginal } from './CompareOriginal.tsx';
import { describeLoad, useLoadProgress } from '../data/load-progress.ts';
import { cancelReplayInput } from './reproduce.ts';
import { useReproduce } from './state.ts';

function InputRequest() {
  const pending = useReproduce((s) => s.pending);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  if (!pending) return null;
  const take = async (f: File | undefined) => {
    if (!f) return;
    if (f.size > MAX_INPUT_BYTES) {
      setRefusal(`${f.name} is ${f.size} bytes; the largest input accepted is ${MAX_INPUT_BYTES} bytes. It was not used.`);
      return;
    }
    const bytes = new Uint8Array(await f.arrayBuffer());
    const sha = await sha256HexAsync(bytes);
    if (pending.sha256 && sha !== pending.sha256) {
      setRefusal(`${f.name} has SHA-256 ${sha}, not the recorded one; it was not used.`);
      return;
    }
    setRefusal(null);
    pending.accept(bytes, f.name);
  };
  return (
    <div
      className={`reproduce-request${over ? ' is-over' : ''}`}
      data-testid="reproduce-request"
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
        void take(e.dataTransfer?.files?.[0]);
      }}
    >
      <p>
        This experiment ran on a file that is not available here (a dropped file cannot travel in a link):{' '}
        <strong>{pending.name || 'the input'}</strong>. Drop or choose that file; only bytes with SHA-256{' '}
        <code className="hash">{pending.sha256 || '(not recorded)'}</code> are accepted.
      </p>
      <input
        type="file"
        aria-label="The original input file"
        data-testid="reproduce-input"
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          void take(f);
        }}
      />
      {refusal && (
        <p className="field-error" role="alert" data-testid="reproduce-refusal">
          {refusal}
        </p>
      )}
    </div>
  );
}

/** The replay's input download: its progress in bytes and a Cancel that aborts it. */
function InputLoading({ uri }: { uri: string }) {
  const progress = useLoadProgress(uri);
  return (
    <span className="load-progress">
      <span data-testid="reproduce-progress">{progress ? describeLoad(progress) : 'Loading the input…'}</span>
      <button type="button" className="btn btn-small" data-testid="reproduce-cancel" onClick={cancelReplayInput}>
        Cancel
      </button>
    </span>
  );
}

export function ReproduceBanner() {
  const { origin, verdict, error, busy, pending, ignored, defaulted, loadingInput, set } = useReproduce();
  if (!origin && !error && !verdict && !pending) return null;
  const tone = error ? 'bad' : verdict?.kind === 'match' ? 'good' : verdict?.kind === 'differs' ? 'bad' : 'info';
  return (
    <div className={`verdict verdict-${tone}`} role="status" data-testid="reproduce-banner">
      <div className="verdict-text">
        {origin && <span className="muted small">Re-running the {origin}. </span>}
        {busy && loadingInput === null && <span>Checking the input and running…</span>}
        {loadingInput !== null && <InputLoading uri={loadingInput} />}
        {verdict && <strong data-testid="verdict">{describeVerdict(verdict)}</strong>}
        <CompareOriginal />
        {verdict?.kind === 'differs' && verdict.foreign && !verdict.values && (
          <p className="small" data-testid="verdict-foreign">
            Output files written by different software (e.g. DisSModel’s GDAL writer) lay out their bytes differently, so their SHA-256
            differ even when every pixel value agrees; compare the values, not the checksum.
          </p>
        )}
        {error && (
          <strong data-testid="link-error" className="error-text">
            {error}
          </strong>
        )}
        {ignored.length > 0 && (
          <p className="small" data-testid="ignored-params">
            Ignored parameters (unknown to this model): {ignored.join(', ')}
          </p>
        )}
        {defaulted && (
          <p className="small" data-testid="dissmodel-defaults">
            The record (written by DisSModel) leaves out {defaulted}: DisSModel’s executor defaults, used here.
          </p>
        )}
        <InputRequest />
      </div>
      <button
        type="button"
        className="btn btn-small btn-ghost"
        onClick={() =>
          set({ origin: null, verdict: null, error: null, pending: null, ignored: [], runId: null, rerunOutput: null, defaulted: '' })
        }
      >
        Dismiss
      </button>
    </div>
  );
}
