/**
 * Compiling the kernels' modules, once per module and memory kind, synchronously (the modules are
 * a few KB, under every host's limit for synchronous compilation), and the choice between a
 * WebAssembly kernel and its JavaScript twin.
 *
 * WebAssembly may be missing (a host without it) or blocked (a Content-Security-Policy without
 * 'wasm-unsafe-eval', e.g. the page-model worker's): `wasmUnavailable()` then says why, and
 * `engine: 'auto'` runs the JavaScript kernel, which computes the same bytes.
 */
import { encodeModule, type FunctionDef } from './encoder.ts';
import { hostWasm, type WasmApi, type WasmMemory, type WasmModule } from './host.ts';

/** Which kernel a model steps with: 'auto' = WebAssembly when the host allows it, else JavaScript. */
export type KernelEngine = 'auto' | 'wasm' | 'js';
export const KERNEL_ENGINES: readonly KernelEngine[] = ['auto', 'wasm', 'js'];

const compiled = new Map<string, WasmModule>();
let unavailable: string | null | undefined;

/** Why WebAssembly cannot run here (missing, or compilation refused), or null when it can. Probed once. */
export function wasmUnavailable(): string | null {
  const wasm = hostWasm();
  // A global removed after the probe (the page-model worker's lockdown) counts as missing.
  if (!wasm) return probeWasm(undefined);
  if (unavailable === undefined) unavailable = probeWasm(wasm);
  return unavailable;
}

/** Why `wasm` (a host's WebAssembly namespace, if any) cannot compile a module, or null when it can. */
export function probeWasm(wasm: WasmApi | undefined): string | null {
  if (typeof wasm !== 'object' || wasm === null) return 'this host has no WebAssembly';
  try {
    new wasm.Module(encodeModule([], { shared: false }));
    return null;
  } catch (e) {
    return `WebAssembly compilation is refused here (${(e as Error).message})`;
  }
}

/** The compiled module of `functions` for a shared or unshared memory, compiled on first use. */
export function kernelModule(key: string, functions: () => FunctionDef[], shared: boolean): WasmModule {
  const id = `${key}/${shared ? 'shared' : 'own'}`;
  let m = compiled.get(id);
  if (!m) {
    const why = wasmUnavailable();
    if (why) throw new Error(`The WebAssembly kernel ${key} cannot run: ${why}. Use engine 'js' or 'auto'.`);
    m = new (hostWasm() as WasmApi).Module(encodeModule(functions(), { shared }));
    compiled.set(id, m);
  }
  return m;
}

/** 'wasm' or 'js' for a requested engine: 'auto' is 'wasm' exactly when WebAssembly runs here. */
export function resolveEngine(engine: KernelEngine): 'wasm' | 'js' {
  if (engine === 'auto') return wasmUnavailable() === null ? 'wasm' : 'js';
  if (engine === 'wasm') {
    const why = wasmUnavailable();
    if (why) throw new Error(`The WebAssembly kernel was asked for, but ${why}.`);
  }
  return engine;
}

/** The kernel module's functions bound to `memory` (an instance per memory; instantiation is synchronous and cheap). */
export function instantiateKernel<T>(key: string, functions: () => FunctionDef[], memory: WasmMemory, shared: boolean): T {
  const instance = new (hostWasm() as WasmApi).Instance(kernelModule(key, functions, shared), { env: { memory } });
  return instance.exports as T;
}
