/** While a dataset is read: what is happening (consent, bytes downloaded, parsing) and a Cancel that aborts the download. */
import { useQueryClient } from '@tanstack/react-query';
import { datasetQueryKey } from '../data/queries.ts';
import { describeLoad, useLoadProgress } from '../data/load-progress.ts';
import { useWorkbench, type DatasetSource } from '../store.ts';

export function DatasetLoading({ source }: { source: DatasetSource }) {
  const qc = useQueryClient();
  const progress = useLoadProgress(source.uri);
  const setSource = useWorkbench((s) => s.setSource);
  const cancel = () => {
    // aborts the query's signal: the download stops, a parse still running in the worker is ignored
    void qc.cancelQueries({ queryKey: datasetQueryKey(source) });
    qc.removeQueries({ queryKey: datasetQueryKey(source) });
    setSource(null);
  };
  return (
    <div className="load-progress" data-testid="dataset-loading">
      <p className="muted">
        <span className="spinner" aria-hidden="true" /> Reading {source.uri}…{' '}
        {progress && <span data-testid="load-progress">{describeLoad(progress)}</span>}
      </p>
      {source.kind !== 'file' && (
        <button type="button" className="btn btn-small" data-testid="load-cancel" onClick={cancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
