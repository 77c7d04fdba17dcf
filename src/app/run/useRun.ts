/**
 * The Run button's logic as a hook: what blocks a run, and start/cancel.
 * It checks the form, builds the record and hands it to the run service.
 */
import { useCallback, useMemo } from 'react';
import type { ExecutorSpec } from '../../executor/executor.ts';
import { checkCompatibility, takesNoInput, type Compatibility } from '../data/compat.ts';
import { useDataset, useExecutors, type LoadedDataset } from '../data/queries.ts';
import { useWorkbench } from '../store.ts';
import { buildRecord } from './build-record.ts';
import { formToParams } from './params-form.ts';
import { runExperiment } from './run-service.ts';
import { cancelServerRun, startServerRun, useServerRun } from '../server/run.ts';
import { serverUrlProblem, useServerSettings } from '../server/settings.ts';
import { stampModelCommit, workerFor } from '../editor/model-host.ts';
import { liveFrameMax, SPEEDS, useLive } from './live-store.ts';
import { createFrameBatch, RUN_REPAINT_INTERVAL_MS } from './frame-batch.ts';

export function useSelectedSpec(): ExecutorSpec | null {
  const model = useWorkbench((s) => s.model);
  const { data } = useExecutors();
  return useMemo(() => data?.find((s) => s.name === model) ?? null, [data, model]);
}

/** The loaded dataset, if the current source finished loading. */
export function useCurrentDataset(): ReturnType<typeof useDataset> {
  const source = useWorkbench((s) => s.source);
  return useDataset(source);
}

export function useCompatibility(spec: ExecutorSpec | null, ds: LoadedDataset | undefined): Compatibility | null {
  const fieldMap = useWorkbench((s) => s.fieldMap);
  return useMemo(() => (spec && ds ? checkCompatibility(spec, ds.summary, fieldMap) : null), [spec, ds, fieldMap]);
}

export interface RunController {
  /** Why Run is disabled now (empty when it can run). */
  blockers: string[];
  running: boolean;
  /** Run; `paused` = Setup: load and stop before the first step, showing the initial state. */
  start(options?: { paused?: boolean }): Promise<void>;
  cancel(): void;
}

export function useRunController(): RunController {
  const spec = useSelectedSpec();
  const dq = useCurrentDataset();
  const compat = useCompatibility(spec, dq.data);
  const running = useWorkbench((s) => s.run.status === 'running');
  const source = useWorkbench((s) => s.source);
  const onServer = useServerSettings((s) => s.target === 'server');
  const serverUrl = useServerSettings((s) => s.url);
  const extras = useWorkbench((s) => s.extras);

  const needsInput = !!spec && !takesNoInput(spec) && !spec.inputs.includes('none');
  const blockers: string[] = [];
  if (onServer && serverUrlProblem(serverUrl)) blockers.push(serverUrlProblem(serverUrl)!);
  if (!spec) blockers.push('Choose a model.');
  else if (needsInput) {
    if (!source) blockers.push('Choose a dataset: drop a file, give a URL or pick a bundled sample.');
    else if (dq.isPending) blockers.push('The dataset is still loading.');
    else if (dq.isError) blockers.push(`The dataset could not be read: ${dq.error.message}`);
    else if (compat?.refusal) blockers.push(compat.refusal);
    else if (compat && Object.keys(compat.fieldProblems).length > 0) blockers.push('Map the missing bands/columns in the dataset panel.');
  }
  for (const extra of spec?.extraInputs ?? []) {
    if ((extra.required ?? true) && !extras[extra.param]) blockers.push(`Give ${extra.title}: drop it in the dataset panel.`);
  }

  const start = useCallback(
    async (options: { paused?: boolean } = {}) => {
      const st = useWorkbench.getState();
      if (!spec || st.run.status === 'running') return;
      const check = formToParams(spec.params, st.form);
      for (const [k, v] of Object.entries(check.drawn)) st.setFormValue(k, v);
      if (Object.keys(check.errors).length > 0) {
        st.setFormErrors(check.errors);
        return;
      }
      st.setFormErrors({});
      const ds = dq.data;
      const useInput = !takesNoInput(spec) && !!ds && !!compat && !compat.refusal;
      const given = (spec.extraInputs ?? []).map((e) => ({ param: e.param, file: st.extras[e.param] })).filter((x) => !!x.file);
      for (const { param, file } of given) check.params[param] = file!.uri;
      const record = stampModelCommit(
        buildRecord({
          spec,
          params: check.params,
          modelSpec: st.modelTables ?? spec.defaultModel ?? null,
          uri: useInput ? ds.source.uri : null,
          ...(useInput ? { datasetKind: ds.summary.kind, fieldMap: st.fieldMap } : {}),
        }),
      );
      const id = st.startRun(spec.name);
      if (useServerSettings.getState().target === 'server') {
        const input = useInput ? { source: ds.source, bytes: ds.bytes, sha256: ds.summary.sha256, name: ds.summary.name } : null;
        return startServerRun(id, record, input, Object.fromEntries(given.map(({ param, file }) => [param, file!])));
      }
      const live = useLive.getState();
      live.begin(id);
      // The worker's notices reach the stores together, at most every RUN_REPAINT_INTERVAL_MS (frame-batch.ts), and
      // all before the end; a pause (or a resume) is shown at the next animation frame. The elapsed time shown
      // ticks with them: its own timer would add display updates between theirs.
      const notices = createFrameBatch({ minIntervalMs: RUN_REPAINT_INTERVAL_MS });
      const clock = setInterval(() => notices.push(() => useLive.getState().tick(id, performance.now())), RUN_REPAINT_INTERVAL_MS);
      let paused = !!options.paused;
      st.setLayer('output'); // the map follows the run (its live state, then its output)
      const outcome = await runExperiment(workerFor(spec.name), record, {
        inputs: [
          ...(useInput ? [{ uri: ds.source.uri, bytes: ds.bytes }] : []),
          ...given.map(({ file }) => ({ uri: file!.uri, bytes: file!.bytes })),
        ],
        keepFrames: st.keepFrames,
        onProgress: (p) => notices.push(() => useWorkbench.getState().progress(id, p)),
        live: { startPaused: !!options.paused, delayMs: SPEEDS[live.speed]?.delayMs ?? 0, frameMax: liveFrameMax() },
        onLive: (e) => {
          const urgent = e.paused || e.paused !== paused;
          paused = e.paused;
          notices.push(() => useLive.getState().event(id, e), urgent);
        },
        ...(useInput && ds.dataset.kind === 'vector' ? { inputCells: ds.dataset } : {}),
      });
      clearInterval(clock);
      notices.flush();
      const after = useWorkbench.getState();
      after.finishRun(id, outcome);
      useLive.getState().end(id);
      const field = outcome.error?.field;
      if (outcome.error?.code === 'parameter' && field && field in spec.params) {
        after.setFormErrors({ [field]: outcome.error.message });
      }
    },
    [spec, dq.data, compat],
  );

  const cancel = useCallback(() => {
    if (useServerRun.getState().active || useServerRun.getState().stage) void cancelServerRun();
    else workerFor(useWorkbench.getState().run.model).cancel();
  }, []);

  return { blockers, running, start, cancel };
}
