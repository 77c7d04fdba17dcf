/** The benchmark's markdown table. */
import type { IoResult } from './io-bench.ts';
import type { MemoryPeak, Row } from './node-bench.ts';

const f = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : '—');
const cps = (x: number): string => (Number.isFinite(x) ? `${(x / 1e6).toFixed(1)} M` : '—');

export interface Report {
  date: string;
  machine: string;
  mode: string;
  method: string;
  rows: Row[];
  io: IoResult | null;
  memory: MemoryPeak;
  browser: string;
  browserSkipped?: string;
  wallSec: number;
}

export function markdown(r: Report): string {
  const L: string[] = [];
  L.push(`# dissmodel-workbench benchmark`, '');
  L.push(`${r.date} · ${r.machine} · mode: ${r.mode} · browser: ${r.browser}`, '');
  L.push(r.method, '');
  L.push('## Models', '');
  L.push('| host | model | size | steps | repeats | ms/step min | ms/step median | cells/s | vs reference | speed-up | target |');
  L.push('|---|---|---|---:|---:|---:|---:|---:|---|---:|---|');
  for (const x of r.rows) {
    L.push(
      `| ${x.host} | ${x.model} | ${x.size}² | ${x.steps} | ${x.repeats} | ${f(x.minMs)} | ${f(x.medianMs)} | ${cps(x.cellsPerSec)} | ${x.reference} | ${x.speedup === null ? '—' : f(x.speedup, 1) + '×'} | ${x.verdict} |`,
    );
  }
  if (r.browserSkipped) L.push('', `Browser rows skipped: ${r.browserSkipped}.`);
  if (r.io) {
    L.push('', `## GeoTIFF and SHA-256 (Node, ${r.io.size}² float32 = ${f(r.io.rawMB, 1)} MB raw; files: uncompressed ${f(r.io.fileMB.none, 1)} MB, deflate ${f(r.io.fileMB.deflate, 1)} MB)`, '');
    L.push('| operation | MB | s min | s median | MB/s | note |');
    L.push('|---|---:|---:|---:|---:|---|');
    for (const x of r.io.rows) L.push(`| ${x.name} | ${f(x.mb, 1)} | ${f(x.minSec)} | ${f(x.medianSec)} | ${f(x.mbPerSec, 0)} | ${x.note} |`);
    const ok = r.io.loadHashSec < 1;
    L.push('', `Load + hash a ${r.io.size}² float32 GeoTIFF in Node (target < 1 s): uncompressed ${f(r.io.loadHashSec)} s — ${ok ? 'met' : `not met: ${f(r.io.loadHashSec)} s, limited by parse/copy of ${f(r.io.rawMB, 0)} MB`}; deflate ${f(r.io.loadHashDeflateSec)} s${r.io.loadHashDeflateSec < 1 ? ' (also < 1 s)' : ' (inflate-bound, fflate in pure JS)'}.`);
  }
  L.push('', '## Memory (Node process)', '');
  L.push(`Peak RSS ${f(r.memory.maxRssMB, 0)} MB (getrusage) · heapUsed high-water ${f(r.memory.heapUsedMB, 0)} MB · ArrayBuffers high-water ${f(r.memory.arrayBuffersMB, 0)} MB (sampled every 20 ms and between rows).`);
  L.push('', `Wall time of the whole bench: ${f(r.wallSec, 1)} s.`, '');
  return L.join('\n');
}
