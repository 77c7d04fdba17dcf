/**
 * The part of the WebAssembly JS API the kernels use, typed here rather than as a global: the core is
 * checked without the DOM (tsconfig.core.json) and the package's .d.ts must type-check for a consumer
 * with only ES2023 and Node's types, which declare no WebAssembly. A real `WebAssembly.Memory` (DOM
 * types) fits `WasmMemory`. `hostWasm()` is the host's namespace, or undefined where there is none.
 */

export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}

/** A compiled module (opaque: only handed to `Instance`). */
export interface WasmModule {
  readonly __wasmModule?: never;
}

export interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, WasmMemory>>) => { readonly exports: object };
}

export function hostWasm(): WasmApi | undefined {
  const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  return typeof wasm === 'object' && wasm !== null ? wasm : undefined;
}
