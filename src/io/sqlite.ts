/**
 * SQLite for the GeoPackage reader and writer: sql.js (SQLite compiled to WebAssembly),
 * loaded once. Node finds the .wasm beside sql.js by itself; a browser host says how to
 * start it with configureSqlite before the first use — where its bundled .wasm is, or
 * another build (the page's worker uses sql.js's asm.js build, since the page's CSP,
 * script-src 'self', does not allow compiling WebAssembly).
 */
import type { SqlJsConfig, SqlJsStatic } from 'sql.js';

/** sql.js's default build, imported on first use (a GeoPackage), not with the module. */
const wasmBuild = async (c: SqlJsConfig): Promise<SqlJsStatic> => (await import('sql.js')).default(c);

export interface SqliteConfig extends SqlJsConfig {
  /** Another build of sql.js to start instead of the default export (e.g. its asm.js build). */
  init?: (config: SqlJsConfig) => Promise<SqlJsStatic>;
}

let config: SqliteConfig = {};
let loading: Promise<SqlJsStatic> | null = null;

/** Where the .wasm is (e.g. `{ locateFile: () => wasmUrl }`); call before the first GeoPackage is read or written. */
export function configureSqlite(c: SqliteConfig): void {
  config = c;
  loading = null;
}

export function sqlite(): Promise<SqlJsStatic> {
  if (!loading) {
    const { init, ...rest } = config;
    loading = (init ?? wasmBuild)(rest).catch((err: unknown) => {
      loading = null;
      throw err;
    });
  }
  return loading;
}
