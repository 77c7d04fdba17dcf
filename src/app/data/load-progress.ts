/**
 * How far the page is with reading each input: waiting for consent, downloading (bytes so far
 * and the total when the server says it), or parsing in the worker. Kept per URI (a bundled
 * sample may load while a link's input downloads), read by the dataset panel and the reproduce
 * banner; `describeLoad` words it.
 */
import { create } from 'zustand';

export type LoadPhase = 'consent' | 'fetching' | 'parsing';

export interface LoadProgress {
  phase: LoadPhase;
  loaded: number;
  total: number | null;
}

const useLoads = create<{ byUri: Readonly<Record<string, LoadProgress>> }>()(() => ({ byUri: {} }));

export function setLoad(uri: string, phase: LoadPhase, loaded = 0, total: number | null = null): void {
  useLoads.setState((s) => ({ byUri: { ...s.byUri, [uri]: { phase, loaded, total } } }));
}

export function clearLoad(uri: string): void {
  useLoads.setState((s) => {
    if (!(uri in s.byUri)) return s;
    const byUri = { ...s.byUri };
    delete byUri[uri];
    return { byUri };
  });
}

/** The progress of reading `uri`, or null when nothing is being read from it. */
export function useLoadProgress(uri: string | null): LoadProgress | null {
  return useLoads((s) => (uri !== null && Object.prototype.hasOwnProperty.call(s.byUri, uri) ? s.byUri[uri] : null));
}

const n = (v: number) => v.toLocaleString('en-US');

/** "Downloading: 100 of 534 bytes (18 %)", "Checking the file (534 bytes)…", "Waiting for your consent to fetch it…". */
export function describeLoad(p: LoadProgress): string {
  switch (p.phase) {
    case 'consent':
      return 'Waiting for your consent to fetch it…';
    case 'fetching':
      return p.total !== null && p.total > 0
        ? `Downloading: ${n(p.loaded)} of ${n(p.total)} bytes (${Math.floor((100 * p.loaded) / p.total)} %)`
        : `Downloading: ${n(p.loaded)} bytes`;
    case 'parsing':
      return `Checking the file (${n(p.loaded)} bytes)…`;
  }
}
