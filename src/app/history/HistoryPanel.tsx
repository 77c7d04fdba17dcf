/**
 * Run history: every finished run is kept in IndexedDB (record, timings,
 * verdict, output while storage allows) and listed here — re-open (restore the
 * form, show the result summary), re-run, delete, compare two side by side.
 * Survives reloads; storage errors are shown, never swallowed.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { specNamed } from '../../executor/catalogue.ts';
import { describeError } from '../../executor/errors.ts';
import { describeVerdict } from '../../executor/reproduce.ts';
import { parseRecordJson, type ExperimentRecord } from '../../executor/record.ts';
import { recordPathFor } from '../../executor/artifacts.ts';
import { useExecutorSpecs } from '../data/queries.ts';
import { formatBytes, formatSeconds } from '../format.ts';
import { replayFromRecordJson, restoreForm, startReplay } from '../share/reproduce.ts';
import { reopenModelSource, versionOfRecord } from '../editor/model-host.ts';
import { useReproduce } from '../share/state.ts';
import { useWorkbench } from '../store.ts';
import { deleteEntry, listEntries, saveEntry } from './db.ts';
import { entryDetail } from './describe.ts';
import { compareEntries, makeEntry, verdictWord, type DiffRow, type HistoryEntry } from './entry.ts';

const storageError = (what: string, e: unknown): string => `${what}: ${describeError(e)}`;

/** Save each finished run (with the verdict when it was a re-run). */
function useRecorder(refresh: () => void, report: (msg: string | null) => void): void {
  useEffect(() => {
    let lastSaved = -1;
    return useWorkbench.subscribe((s) => {
      const run = s.run;
      if (run.status === 'running' || run.status === 'idle' || run.id === lastSaved || !run.response) return;
      lastSaved = run.id;
      const r = run.response;
      const rs = useReproduce.getState();
      const verdict = rs.verdict && rs.runId === r.record.experiment_id ? describeVerdict(rs.verdict) : null;
      const output = r.output
        ? { name: r.output.name, mediaType: r.output.mediaType, sha256: r.output.sha256, bytes: r.output.bytes.slice() }
        : null;
      const v = versionOfRecord(r.record);
      const modelSource = v ? { source: v.source, fileName: v.fileName, sha256: v.sha256 } : null;
      const entry = makeEntry(r.record, r.recordJson, r.timings, output, { verdict, modelSource });
      saveEntry(entry).then(
        (note) => {
          report(note);
          refresh();
        },
        (e) => report(storageError('This run could not be kept in the history', e)),
      );
    });
  }, [refresh, report]);
}

function useObjectUrl(data: BlobPart | null | undefined, type: string): string | null {
  const url = useMemo(() => (data ? URL.createObjectURL(new Blob([data], { type })) : null), [data, type]);
  useEffect(
    () => () => {
      if (url) URL.revokeObjectURL(url);
    },
    [url],
  );
  return url;
}

/** The result of a stored run: what ran, on what, what it gave, how long it took. */
function Summary({
  entry,
  record,
  note,
  onClose,
}: {
  entry: HistoryEntry;
  record: ExperimentRecord;
  note: string | null;
  onClose: () => void;
}) {
  const outUrl = useObjectUrl(entry.output?.bytes as BlobPart | null | undefined, entry.output?.mediaType ?? 'application/octet-stream');
  const recUrl = useObjectUrl(entry.recordJson, 'application/json');
  const phases = ['validate', 'load', 'run', 'save', 'total'] as const;
  return (
    <div className="card history-summary" data-testid="history-summary">
      <div className="history-summary-head">
        <h3 className="card-title">
          {record.model_name} <span className="mono small">{record.experiment_id.slice(0, 8)}</span> · {record.status}
        </h3>
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
          Close
        </button>
      </div>
      {note && <p className="small muted">{note}</p>}
      <dl className="summary">
        <dt>Saved</dt>
        <dd>{new Date(entry.savedAt).toLocaleString()}</dd>
        <dt>Parameters</dt>
        <dd className="mono small" data-testid="history-summary-params">
          {Object.entries(record.parameters)
            .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
            .join(', ') || '—'}
        </dd>
        <dt>Input</dt>
        <dd className="small">
          {record.source.uri || '(none)'}
          {record.source.checksum && (
            <>
              <br />
              <code className="hash">{record.source.checksum}</code>
            </>
          )}
        </dd>
        <dt>Output</dt>
        <dd className="small">
          {entry.output ? (
            <>
              <span className="mono">{entry.output.name}</span>
              {entry.output.bytes && <span className="muted"> · {formatBytes(entry.output.bytes.byteLength)}</span>}
              <br />
              <code className="hash" data-testid="history-summary-sha">
                {entry.output.sha256}
              </code>
            </>
          ) : (
            '—'
          )}
        </dd>
        <dt>Timings</dt>
        <dd className="small mono">
          {phases
            .filter((p) => entry.timings[`time_${p}_sec`] !== undefined)
            .map((p) => `${p} ${formatSeconds(entry.timings[`time_${p}_sec`])}`)
            .join(' · ') || '—'}
        </dd>
        {entry.verdict && (
          <>
            <dt>Verdict</dt>
            <dd className="small" data-testid="history-summary-verdict">
              {entry.verdict}
            </dd>
          </>
        )}
      </dl>
      {entry.note && <p className="small field-error">{entry.note}</p>}
      <div className="downloads">
        {entry.output && outUrl && (
          <a className="btn btn-small" href={outUrl} download={entry.output.name} data-testid="history-download-output">
            ⬇ output
          </a>
        )}
        {recUrl && (
          <a className="btn btn-small" href={recUrl} download={entry.output ? recordPathFor(entry.output.name) : 'record.json'}>
            ⬇ record.json
          </a>
        )}
      </div>
    </div>
  );
}

function CompareTable({ a, b }: { a: HistoryEntry; b: HistoryEntry }) {
  let rows: DiffRow[];
  try {
    rows = compareEntries(a, b);
  } catch (e) {
    return (
      <p className="field-error small" role="alert">
        These runs cannot be compared: {describeError(e)}
      </p>
    );
  }
  const differing = rows.filter((r) => r.differs).length;
  return (
    <div data-testid="history-compare-wrap">
      <p className="small muted">
        {differing === 0
          ? 'Same model, parameters, input and output.'
          : `${differing} difference${differing === 1 ? '' : 's'} highlighted.`}
      </p>
      <table className="history-compare small" data-testid="history-compare">
        <thead>
          <tr>
            <th scope="col"></th>
            <th scope="col" className="mono">
              {a.id.slice(0, 8)}
            </th>
            <th scope="col" className="mono">
              {b.id.slice(0, 8)}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} className={row.differs ? 'differs' : undefined} data-differs={row.differs}>
              <th scope="row">{row.key}</th>
              <td className="mono">{row.a}</td>
              <td className="mono">{row.b}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The run's dataset and all its parameters, wrapped at word boundaries (never cut). */
function HistoryDetail({ recordJson }: { recordJson: string }) {
  const d = entryDetail(recordJson);
  return (
    <span className="history-detail small" data-testid="history-detail">
      {d.dataset && (
        <>
          <span className="muted">on</span> <span className="mono">{d.dataset}</span>
        </>
      )}
      {d.params.length > 0 && (
        <>
          {d.dataset && ' · '}
          {d.params.map((p, i) => (
            <span key={p} className="mono history-param">
              {p}
              {i < d.params.length - 1 ? ', ' : ''}
            </span>
          ))}
        </>
      )}
    </span>
  );
}

export function HistoryPanel() {
  const [entries, setEntries] = useState<HistoryEntry[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [opened, setOpened] = useState<{ id: string; note: string | null } | null>(null);
  const running = useWorkbench((s) => s.run.status === 'running');
  const specs = useExecutorSpecs();
  const refresh = useCallback(() => {
    listEntries().then(
      (list) => {
        setEntries(list);
        setLoaded(true);
      },
      (e) => {
        setLoaded(true);
        setMessage(storageError('The run history cannot be read', e));
      },
    );
  }, []);
  useEffect(refresh, [refresh]);
  useRecorder(refresh, setMessage);

  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));
  const pair = picked.map((id) => entries.find((e) => e.id === id)).filter((e): e is HistoryEntry => !!e);
  const openedEntry = opened ? entries.find((e) => e.id === opened.id) : undefined;
  const openedRecord = useMemo(() => {
    try {
      return openedEntry ? parseRecordJson(openedEntry.recordJson) : null;
    } catch {
      return null;
    }
  }, [openedEntry]);

  const reopen = (e: HistoryEntry) => {
    // A page model's run: its source is loaded (and shown in the editor) first, then the form is restored.
    (e.modelSource ? reopenModelSource(e.modelSource) : Promise.resolve())
      .then(() => specs())
      .then((list) => {
        const record = parseRecordJson(e.recordJson);
        const note = restoreForm(record, specNamed(list, record.model_name));
        setOpened({ id: e.id, note });
        setMessage(null);
      })
      .catch((err: unknown) => setMessage(`This run cannot be re-opened: ${describeError(err)}`));
  };
  const remove = (e: HistoryEntry) => {
    deleteEntry(e.id).then(
      () => {
        setPicked((p) => p.filter((x) => x !== e.id));
        if (opened?.id === e.id) setOpened(null);
        refresh();
      },
      (err) => setMessage(storageError('The run could not be deleted', err)),
    );
  };

  return (
    <section className="panel" aria-labelledby="history-title" data-testid="history">
      <h2 id="history-title" className="panel-title">
        Run history <span className="muted small">({entries.length})</span>
      </h2>
      {message && (
        <div className="field-error history-message" role="alert">
          <span data-testid="history-message">{message}</span>{' '}
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setMessage(null)}>
            Dismiss
          </button>
        </div>
      )}
      {loaded && entries.length === 0 && <p className="muted small">Finished runs are kept here, also after a reload.</p>}
      {entries.length > 1 && <p className="muted small">Tick two runs to compare them.</p>}
      <ul className="history-list">
        {entries.map((e) => {
          const word = verdictWord(e.verdict);
          return (
            <li key={e.id} className={`history-item${opened?.id === e.id ? ' is-open' : ''}`} data-testid="history-item" data-id={e.id}>
              <label className="history-pick">
                <input
                  type="checkbox"
                  checked={picked.includes(e.id)}
                  onChange={() => toggle(e.id)}
                  data-testid="history-pick"
                  aria-label={`Compare ${e.model} ${e.id.slice(0, 8)}`}
                />
                <span>
                  <strong>{e.model}</strong> <span className="mono small">{e.id.slice(0, 8)}</span> · {e.status}
                  <br />
                  <span className="muted small">
                    {new Date(e.savedAt).toLocaleString()} · out <span className="mono">{e.output?.sha256.slice(0, 12) ?? '—'}</span>
                  </span>
                  <HistoryDetail recordJson={e.recordJson} />
                  {word && (
                    <span
                      className={`small history-verdict verdict-word-${word.replace(/\W/g, '')}`}
                      title={e.verdict ?? ''}
                      data-testid="history-verdict"
                    >
                      {' '}
                      · {word}
                    </span>
                  )}
                  {e.note && <span className="small field-error"> · {e.note}</span>}
                </span>
              </label>
              <span className="history-actions">
                <button type="button" className="btn btn-small" disabled={running} data-testid="history-open" onClick={() => reopen(e)}>
                  Open
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={running}
                  data-testid="history-rerun"
                  onClick={() =>
                    void startReplay((list) => replayFromRecordJson(e.recordJson, `history run ${e.id.slice(0, 8)}`, list), specs())
                  }
                >
                  Re-run
                </button>
                <button
                  type="button"
                  className="btn btn-small btn-ghost"
                  data-testid="history-delete"
                  aria-label={`Delete run ${e.id.slice(0, 8)}`}
                  onClick={() => remove(e)}
                >
                  Delete
                </button>
              </span>
            </li>
          );
        })}
      </ul>
      {openedEntry && openedRecord && (
        <Summary entry={openedEntry} record={openedRecord} note={opened?.note ?? null} onClose={() => setOpened(null)} />
      )}
      {pair.length === 2 && <CompareTable a={pair[0]} b={pair[1]} />}
    </section>
  );
}
