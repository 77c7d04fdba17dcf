/**
 * When a re-run's output checksum differs: take the original output file (e.g. the GeoTIFF
 * DisSModel wrote), check its SHA-256 is the recorded one, decode both and say whether the
 * values agree ("pixels match, bytes differ (GDAL's layout: …)") or which cells differ.
 * The comparison code is loaded only when a file is given.
 */
import { useState } from 'react';
import { describeError } from '../../executor/errors.ts';
import { withValues } from '../../executor/reproduce.ts';
import { MAX_INPUT_BYTES } from '../../io/limits.ts';
import { sha256HexAsync } from '../../io/sha256.ts';
import { useReproduce } from './state.ts';

export function CompareOriginal() {
  const verdict = useReproduce((s) => s.verdict);
  const rerun = useReproduce((s) => s.rerunOutput);
  const set = useReproduce((s) => s.set);
  const [note, setNote] = useState<string | null>(null);
  if (verdict?.kind !== 'differs' || !rerun || (verdict.values && verdict.values.kind !== 'not-compared')) return null;
  const take = async (f: File | undefined) => {
    if (!f) return;
    if (f.size > MAX_INPUT_BYTES) {
      setNote(`${f.name} is ${f.size} bytes; the largest file accepted is ${MAX_INPUT_BYTES} bytes.`);
      return;
    }
    const bytes = new Uint8Array(await f.arrayBuffer());
    const sha = await sha256HexAsync(bytes);
    if (sha !== verdict.expected) {
      setNote(`${f.name} has SHA-256 ${sha}, not the recorded output's ${verdict.expected}; it was not compared.`);
      return;
    }
    try {
      const { compareOutputs } = await import('../../io/compare-outputs.ts');
      const values = await compareOutputs(bytes, rerun.bytes, rerun.name);
      setNote(null);
      set({ verdict: withValues(verdict, values) });
    } catch (e) {
      setNote(`The outputs could not be compared: ${describeError(e)}`);
    }
  };
  return (
    <div className="small" data-testid="compare-original">
      <label>
        Compare the values: choose the original output file{' '}
        <input
          type="file"
          aria-label="The original output file"
          data-testid="original-output"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            void take(f);
          }}
        />
      </label>
      {note && (
        <p className="field-error" role="alert" data-testid="compare-refusal">
          {note}
        </p>
      )}
    </div>
  );
}
