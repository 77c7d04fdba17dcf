/// <reference lib="webworker" />
/**
 * What a model's code may not reach from the model worker. The worker is a
 * dedicated worker of the page's origin, so by default it could open the
 * origin's IndexedDB (the run history), Cache Storage and origin-private file
 * system, start further workers (each a fresh realm with those globals back) or
 * talk to the page's other contexts. Before any model code is imported, those
 * globals are deleted from the worker's global object and its prototype chain;
 * nothing in the worker keeps a reference to them, so the model's code cannot
 * get them back. Network access is closed by the worker's own CSP
 * (connect-src 'none', vite.config.ts), not here.
 */

/** Globals removed from the model worker (storage, other realms, cross-context channels). */
export const LOCKED_GLOBALS = [
  'indexedDB',
  'IDBFactory',
  'caches',
  'CacheStorage',
  'Worker',
  'SharedWorker',
  'BroadcastChannel',
  'importScripts',
  'FileSystemHandle',
  'FileSystemDirectoryHandle',
  'FileSystemFileHandle',
  'StorageManager',
  'cookieStore',
  'CookieStore',
  // Its policy (MODEL_WORKER_CSP) already refuses WebAssembly compilation; without the global, the built-in
  // grid kernels here take their JavaScript path at once instead of having a compilation refused.
  'WebAssembly',
] as const;

function remove(target: object, name: string): void {
  for (let o: object | null = target; o; o = Object.getPrototypeOf(o) as object | null) {
    if (Object.prototype.hasOwnProperty.call(o, name)) {
      if (!Reflect.deleteProperty(o, name)) Object.defineProperty(o, name, { value: undefined, configurable: false, writable: false });
    }
  }
}

/** Remove the storage and realm-making globals; returns the names still reachable (expected: none). */
export function lockDown(scope: typeof globalThis = globalThis): string[] {
  for (const name of LOCKED_GLOBALS) remove(scope, name);
  // navigator.storage: the origin's quota and its private file system.
  const nav = (scope as { navigator?: object }).navigator;
  if (nav) remove(nav, 'storage');
  const left = LOCKED_GLOBALS.filter((n) => (scope as unknown as Record<string, unknown>)[n] !== undefined);
  return nav && (nav as Record<string, unknown>).storage !== undefined ? [...left, 'navigator.storage'] : left;
}
