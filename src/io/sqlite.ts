/**
 * SQLite for the GeoPackage reader and writer: sql.js (SQLite compiled to WebAssembly),
 * loaded once. Node finds the .wasm beside sql.js by itself; a browser host (the page's
 * worker) says where its bundled copy is with configureSqlite before the first use.
 */
import initSqlJs, { type SqlJsConfig, type SqlJsStatic } from 'sql.js';

let config: SqlJsConfig = {};
let loading: Promise<SqlJsStatic> | null = null;

/** Where the .wasm is (e.g. `{ locateFile: () => wasmUrl }`); call before the first GeoPackage is read or written. */
export function configureSqlite(c: SqlJsConfig): void {
  config = c;
  loading = null;
}

export function sqlite(): Promise<SqlJsStatic> {
  if (!loading) {
    loading = initSqlJs(config).catch((err: unknown) => {
      loading = null;
      throw err;
    });
  }
  return loading;
}
