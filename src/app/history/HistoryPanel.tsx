/**
 * Run history: every finished run is kept in IndexedDB (record, timings,
 * verdict, output while storage allows) and listed here — re-run, delete,
 * compare two side by side. Survives reloads; storage errors are shown.
 */
import { useCallback, useEffect, useState } from 'react';
import { describeVerdict } from '../../executor/reproduce.ts';
import { parseRecordJson } from '../../executor/record.ts';
import { useWorkbench } from '../store.ts';
import { replayFromRecordJson, startReplay } from '../share/reproduce.ts';
import { useReproduce } from '../share/state.ts';
import { deleteEntry, listEntries, saveEntry, setVerdict } from './db.ts';
import { compareRecords, makeEntry, type HistoryEntry } from './entry.ts';

function describeStorageError(e: unknown): string {
  return `The run history could not be saved: ${e instanceof Error ? e.message : String(e)}`;
}

/** Save each finished run, and the verdict of a re-run when it arrives. */
function useRecorder(refresh: () => void, report: (msg: string | null) => void): void {
  useEffect(() => {
    let lastSaved = -1;
    let lastId = '';
    const unsubRun = useWorkbench.subscribe((s) => {
      const run = s.run;
      if (run.status === 'running' || run.status === 'idle' || run.id === lastSaved || !run.response) return;
      lastSaved = run.id;
      const r = run.response;
      lastId = r.record.experiment_id;
      const entry = makeEntry(r.record, r.recordJson, r.timings, r.output ? { name: r.output.name, mediaType: r.output.mediaType, sha256: r.output.sha256, bytes: r.output.bytes.slice() } : null);
      saveEntry(entry).then(
        (note) => {
          report(note);
          refresh();
        },
        (e) => report(describeStorageError(e)),
      );
    });
    const unsubVerdict = useReproduce.subscribe((s, prev) => {
      if (s.verdict && s.verdict !== prev.verdict && lastId) {
        setVerdict(lastId, describeVerdict(s.verdict)).then(refresh, (e) => report(describeStorageError(e)));
      }
    });
    return () => {
      unsubRun();
      unsubVerdict();
    };
  }, [refresh, report]);
}

export function HistoryPanel() {
  const [entries, setEntries] = useState<HistoryEntry[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const refresh = useCallback(() => {
    listEntries().then(setEntries, (e) => setMessage(`The run history cannot be read: ${e instanceof Error ? e.message : String(e)}`));
  }, []);
  useEffect(refresh, [refresh]);
  useRecorder(refresh, setMessage);

  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));
  const pair = picked.map((id) => entries.find((e) => e.id === id)).filter((e): e is HistoryEntry => !!e);
  return (
    <section className="panel" aria-labelledby="history-title" data-testid="history">
      <h2 id="history-title" className="panel-title">
        Run history <span className="muted small">({entries.length})</span>
      </h2>
      {message && (
        <p className="field-error" role="alert" data-testid="history-message">
          {message}
        </p>
      )}
      {entries.length === 0 && <p className="muted small">Finished runs are kept here, also after a reload.</p>}
      <ul className="history-list">
        {entries.map((e) => (
          <li key={e.id} className="history-item" data-testid="history-item">
            <label className="history-pick">
              <input type="checkbox" checked={picked.includes(e.id)} onChange={() => toggle(e.id)} aria-label={`Compare ${e.model} ${e.id.slice(0, 8)}`} />
              <span>
                <strong>{e.model}</strong> <span className="mono small">{e.id.slice(0, 8)}</span> · {e.status}
                <br />
                <span className="muted small">
                  {new Date(e.savedAt).toLocaleString()} · out <span className="mono">{e.output?.sha256.slice(0, 12) ?? '—'}</span>
                </span>
                {e.verdict && <span className="small history-verdict"> · {e.verdict.split(' (')[0]}</span>}
                {e.note && <span className="small field-error"> · {e.note}</span>}
              </span>
            </label>
            <span className="history-actions">
              <button type="button" className="btn btn-small" onClick={() => void startReplay(() => replayFromRecordJson(e.recordJson, e.id.slice(0, 8)))}>
                Re-run
              </button>
              <button
                type="button"
                className="btn btn-small btn-ghost"
                aria-label={`Delete run ${e.id.slice(0, 8)}`}
                onClick={() => deleteEntry(e.id).then(refresh, (err) => setMessage(describeStorageError(err)))}
              >
                Delete
              </button>
            </span>
          </li>
        ))}
      </ul>
      {pair.length === 2 && (
        <table className="history-compare small" data-testid="history-compare">
          <thead>
            <tr>
              <th scope="col"></th>
              <th scope="col" className="mono">{pair[0].id.slice(0, 8)}</th>
              <th scope="col" className="mono">{pair[1].id.slice(0, 8)}</th>
            </tr>
          </thead>
          <tbody>
            {compareRecords(parseRecordJson(pair[0].recordJson), parseRecordJson(pair[1].recordJson)).map((row) => (
              <tr key={row.key} className={row.differs ? 'differs' : undefined} data-differs={row.differs}>
                <th scope="row">{row.key}</th>
                <td className="mono">{row.a}</td>
                <td className="mono">{row.b}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
