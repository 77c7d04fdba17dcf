/** UI state of re-runs from a share link or a record file: the verdict, errors, and an input file the page is waiting for. */
import { create } from 'zustand';
import type { Verdict } from '../../executor/reproduce.ts';

export interface PendingInput {
  /** Name of the file the original run used. */
  name: string;
  sha256: string;
  /** Called with bytes whose SHA-256 matched. */
  accept: (bytes: Uint8Array, name: string) => void;
}

export interface ReproduceState {
  /** What is being reproduced (shown in the banner). */
  origin: string | null;
  verdict: Verdict | null;
  /** Explanation shown with a verdict (e.g. a foreign record). */
  error: string | null;
  busy: boolean;
  pending: PendingInput | null;
  /** Parameters of the original that the model does not know (shown as ignored). */
  ignored: string[];
  /** Experiment id of the re-run the verdict belongs to (the history stores it with that run). */
  runId: string | null;
  /** DisSModel's defaults used for what a DisSModel record leaves out ("taxa_elevacao = 0.5, end_time = 88"), or ''. */
  defaulted: string;
  /** The input URI the replay is loading (the banner shows its progress and offers Cancel), or null. */
  loadingInput: string | null;
  /** The re-run's output (to compare values with the original's when the checksums differ). */
  rerunOutput: { bytes: Uint8Array; name: string } | null;
  set(patch: Partial<Omit<ReproduceState, 'set'>>): void;
}

export const useReproduce = create<ReproduceState>()((set) => ({
  origin: null,
  verdict: null,
  error: null,
  busy: false,
  pending: null,
  ignored: [],
  runId: null,
  rerunOutput: null,
  defaulted: '',
  loadingInput: null,
  set: (patch) => set(patch),
}));
