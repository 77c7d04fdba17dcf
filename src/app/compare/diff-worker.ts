/// <reference lib="webworker" />
/**
 * The compare worker: reads two runs' output files and computes their
 * difference (diff-outputs.ts) off the page's thread, so a 4000 × 4000 grid
 * does not freeze the page. Loaded on the first difference; exposed with Comlink,
 * the difference's cells transferred, not copied. The last few datasets read are
 * kept by SHA-256, so choosing another band does not read the files again.
 */
import * as Comlink from 'comlink';
import { configureInflate } from '../../io/inflate.ts';
import type { Dataset } from '../../sim/dataset.ts';
import { streamInflate } from '../../worker/stream-inflate.ts';
import { diffOutputs, readOutput, type DiffOutcome, type DiffRequest, type RunOutputFile } from './diff-outputs.ts';

configureInflate(streamInflate);

const KEPT = 4;
const cache = new Map<string, Promise<Dataset>>();

function cachedRead(file: RunOutputFile): Promise<Dataset> {
  let hit = cache.get(file.sha256);
  if (!hit) {
    hit = readOutput(file);
    hit.catch(() => cache.delete(file.sha256));
    cache.set(file.sha256, hit);
    while (cache.size > KEPT) cache.delete(cache.keys().next().value!);
  }
  return hit;
}

const api = {
  async diff(a: RunOutputFile, b: RunOutputFile, req: DiffRequest): Promise<DiffOutcome> {
    const r = await diffOutputs(a, b, req, cachedRead);
    return r.ok ? Comlink.transfer(r, [r.diff.cells.buffer]) : r;
  },
};

export type DiffWorkerApi = typeof api;

Comlink.expose(api);
