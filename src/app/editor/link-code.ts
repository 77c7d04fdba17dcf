/**
 * Share links that carry a model's code. The code is checked against the
 * SHA-256 the run recorded before it is even shown; then it waits for the
 * person's consent (code from a link never runs on its own); on consent it is
 * loaded into a model worker, opened in the editor, and the experiment is
 * re-run and verified like any other link.
 */
import type { ExecutorSpec } from '../../executor/executor.ts';
import { describeError } from '../../executor/errors.ts';
import { readLinkCode } from '../share/share-link.ts';
import { replayFromLink, startReplay } from '../share/reproduce.ts';
import { useReproduce } from '../share/state.ts';
import { applyModel, openInEditor, useModelHost } from './model-host.ts';

/** Act on a `#run=…` fragment: a link with code asks first; one without re-runs at once, as before. */
export function handleLink(fragment: string, specs: () => Promise<readonly ExecutorSpec[]>): void {
  let code;
  try {
    code = readLinkCode(fragment);
  } catch (e) {
    useReproduce.getState().set({ origin: 'share link', verdict: null, busy: false, pending: null, ignored: [], error: describeError(e) });
    return;
  }
  if (!code) {
    void startReplay((list) => replayFromLink(fragment, list), specs());
    return;
  }
  useModelHost.getState().set({ consent: { fragment, source: code.source, fileName: code.file, sha256: code.sha256 } });
}

/** The person allowed the link's code to run: load it, show it, re-run the experiment. */
export async function acceptLinkCode(specs: () => Promise<readonly ExecutorSpec[]>): Promise<void> {
  const consent = useModelHost.getState().consent;
  if (!consent) return;
  useModelHost.getState().set({ consent: null });
  openInEditor(consent.source, consent.fileName);
  const loaded = await applyModel(consent.source, consent.fileName);
  if (!loaded.ok) {
    useReproduce.getState().set({ origin: 'share link', busy: false, error: `The link's model did not load: ${loaded.problem.message}` });
    return;
  }
  await startReplay((list) => replayFromLink(consent.fragment, list), specs());
}

export function declineLinkCode(): void {
  useModelHost.getState().set({ consent: null });
  useReproduce.getState().set({ origin: 'share link', busy: false, error: 'The link’s model code was not run (you declined).' });
}
