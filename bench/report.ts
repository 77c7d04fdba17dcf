/** The benchmark's markdown table. */
import type { BrowserMemory } from './browser-bench.ts';
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
  browserMemory?: BrowserMemory;
  /** 1-minute load average at the start and its highest sample during the bench, and the core count. */
  load?: { start: number; max: number; cores: number };
  /** Where cost is not linear in cells × steps (printed under the tables). */
  nonLinear?: string[];
  wallSec: number;
}

/** True when other processes competed for the CPUs during the bench. */
export function loaded(load: Report['load']): boolean {
  return !!load && load.max > load.cores * 1.25;
}

export function markdown(r: Report): string {
  const L: string[] = [];
  L.push(`# dissmodel-workbench benchmark`, '');
  L.push(`${r.date} · ${r.machine} · mode: ${r.mode} · browser: ${r.browser}`, '');
  L.push(r.method, '');
  if (r.load) {
    L.push(
      `Load average (1 min): ${f(r.load.start, 2)} at the start, up to ${f(r.load.max, 2)} during the bench, on ${r.load.cores} cores` +
        (loaded(r.load)
          ? ' — **the machine was shared: other processes competed for the CPUs and the figures below are pessimistic.**'
          : '.'),
      '',
    );
  }
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
    L.push(
      '',
      `## GeoTIFF and SHA-256 (Node, ${r.io.size}² float32 = ${f(r.io.rawMB, 1)} MB raw; files: uncompressed ${f(r.io.fileMB.none, 1)} MB, deflate ${f(r.io.fileMB.deflate, 1)} MB)`,
      '',
    );
    L.push('| operation | MB | s min | s median | MB/s | note |');
    L.push('|---|---:|---:|---:|---:|---|');
    for (const x of r.io.rows)
      L.push(`| ${x.name} | ${f(x.mb, 1)} | ${f(x.minSec)} | ${f(x.medianSec)} | ${f(x.mbPerSec, 0)} | ${x.note} |`);
    const ok = r.io.loadHashSec < 1;
    L.push(
      '',
      `Load + hash a ${r.io.size}² float32 GeoTIFF in Node (target < 1 s): uncompressed ${f(r.io.loadHashSec)} s — ${ok ? 'met' : `not met: ${f(r.io.loadHashSec)} s, limited by readFile + SHA-256 + parse/copy of ${f(r.io.rawMB, 0)} MB${loaded(r.load) ? ' on a shared machine' : ''}`}; deflate ${f(r.io.loadHashDeflateSec)} s${r.io.loadHashDeflateSec < 1 ? ' (also < 1 s)' : ' (inflate-bound, fflate in pure JS)'}.`,
    );
  }
  L.push('', '## Memory (Node process)', '');
  L.push(
    `Peak RSS ${f(r.memory.maxRssMB, 0)} MB (getrusage) · heapUsed high-water ${f(r.memory.heapUsedMB, 0)} MB · ArrayBuffers high-water ${f(r.memory.arrayBuffersMB, 0)} MB (sampled every 20 ms and between rows).`,
  );
  if (r.browserMemory) {
    const m = r.browserMemory;
    const mb = (x: number | null, what: string) => (x === null ? `${what} n/a` : `${what} ${f(x, 0)} MB`);
    L.push('', '## Memory (Chromium)', '');
    L.push(
      [
        mb(m.workerHeapMB, 'worker V8 heap high-water'),
        mb(m.workerArrayBuffersMB, 'worker ArrayBuffers high-water'),
        mb(m.pageHeapMB, 'page performance.memory.usedJSHeapSize high-water'),
        mb(m.rendererPeakRssMB, 'renderer process peak RSS (VmHWM)'),
      ].join(' · ') +
        ` (worker figures from CDP Runtime.getHeapUsage every ${m.sampleMs} ms: a dedicated worker has no performance.memory; the page's covers the main thread only).`,
    );
  }
  if (r.nonLinear?.length) {
    L.push('', '## Where cost is not linear in cells × steps', '');
    for (const x of r.nonLinear) L.push(`- ${x}`);
  }
  L.push('', `Wall time of the whole bench: ${f(r.wallSec, 1)} s.`, '');
  return L.join('\n');
}
