/**
 * The WebAssembly deflate of one encoder: its memory (zlib-wasm-layout.ts) and the module of the match
 * search (zlib-scan-wasm.ts) and the block writer (zlib-block-wasm.ts). A stream is one call: the input
 * is copied in, and the zlib stream is copied out.
 */
import type { WasmMemory } from '../sim/wasm/host.ts';
import { hostWasm, type WasmApi } from '../sim/wasm/host.ts';
import { instantiateKernel } from '../sim/wasm/runtime.ts';
import { blockFunctions } from './zlib-block-wasm.ts';
import { adlerFunction, scanFunction } from './zlib-scan-wasm.ts';
import * as M from './zlib-wasm-layout.ts';

interface DeflateExports {
  deflate(s: number, msk: number, bs1: number, bs2: number, out: number): number;
}

const PAGE = 65536;

/** The module's functions, in zlib-wasm-layout.ts's order (FN_*). */
const functions = () => [scanFunction(), adlerFunction(), ...blockFunctions()];

/** The tables the module reads, computed once by zlib-deflate.ts (fflate's). */
export interface DeflateTables {
  fleb: Uint8Array;
  fdeb: Uint8Array;
  revfl: Int32Array;
  revfd: Int32Array;
  rev: Uint16Array;
  flt: Uint8Array;
  fdt: Uint8Array;
  flm: Uint16Array;
  fdm: Uint16Array;
  clim: Uint8Array;
}

export class WasmDeflate {
  private memory: WasmMemory | null = null;
  private kernel: DeflateExports | null = null;
  private bytes: Uint8Array = new Uint8Array(0);

  constructor(private readonly tables: DeflateTables) {}

  /**
   * The zlib stream of `dat` (ZlibEncoder.encode's), with the hash parameters encode derives from its
   * length. The memory grows to fit the input, its guard (the search may read a few bytes past the end;
   * what it reads there does not change a match) and the longest stream.
   */
  deflate(dat: Uint8Array, msk: number, bs1: number, bs2: number): Uint8Array {
    const s = dat.length;
    const out = M.outputAt(s);
    const need = out + M.outputBound(s) + 16;
    if (!this.memory || this.memory.buffer.byteLength < need) this.allocate(need);
    this.bytes.set(dat, M.DAT);
    const n = (this.kernel as DeflateExports).deflate(s, msk, bs1, bs2, out);
    return this.bytes.slice(out, out + n);
  }

  private allocate(need: number): void {
    const memory = new (hostWasm() as WasmApi).Memory({ initial: Math.ceil(need / PAGE) });
    this.kernel = instantiateKernel<DeflateExports>('zlib-deflate', functions, memory, false);
    const buf = memory.buffer;
    const t = this.tables;
    const bytes = new Uint8Array(buf);
    bytes.set(t.fleb, M.FLEB);
    bytes.set(t.fdeb, M.FDEB);
    bytes.set(t.flt, M.FLT);
    bytes.set(t.fdt, M.FDT);
    bytes.set(t.clim, M.CLIM);
    new Int32Array(buf, M.REVFL, t.revfl.length).set(t.revfl);
    new Int32Array(buf, M.REVFD, t.revfd.length).set(t.revfd);
    new Uint16Array(buf, M.REV, t.rev.length).set(t.rev);
    new Uint16Array(buf, M.FLM, t.flm.length).set(t.flm);
    new Uint16Array(buf, M.FDM, t.fdm.length).set(t.fdm);
    this.memory = memory;
    this.bytes = bytes;
  }
}
