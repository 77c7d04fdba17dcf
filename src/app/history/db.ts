/**
 * Run history in IndexedDB (the plain API): one object store of HistoryEntry
 * by experiment id. When storage is full the entry is kept without its output
 * bytes and the caller is told; every other failure is thrown with a readable
 * message for the page to show, never swallowed.
 */
import { checkStoredEntry, saveWithFallback, sortEntries, type HistoryEntry } from './entry.ts';

const DB = 'dissmodel-workbench';
const STORE = 'runs';
const VERSION = 1;

/** An IndexedDB failure, said in words (the DOMException name kept for the quota check). */
function readable(e: unknown, what: string): Error {
  if (e instanceof DOMException) {
    const err = new Error(`${what}: ${e.name}${e.message ? ` (${e.message})` : ''}.`);
    err.name = e.name;
    return err;
  }
  return e instanceof Error ? e : new Error(`${what}: ${String(e)}`);
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('This browser offers no IndexedDB (private mode?), so runs cannot be kept.'));
      return;
    }
    let req: IDBOpenDBRequest;
    try {
      req = indexedDB.open(DB, VERSION);
    } catch (e) {
      reject(readable(e, 'IndexedDB could not be opened'));
      return;
    }
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'id' });
    };
    req.onsuccess = () => {
      const db = req.result;
      // Another tab upgrading the database: let it.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    req.onerror = () => reject(readable(req.error, 'IndexedDB could not be opened'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab of the workbench; close it and reload.'));
  });
}

async function tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      let t: IDBTransaction;
      let req: IDBRequest<T>;
      try {
        t = db.transaction(STORE, mode);
        req = fn(t.objectStore(STORE));
      } catch (e) {
        // put() throws synchronously for a value it cannot clone, and some browsers throw QuotaExceededError here.
        reject(readable(e, 'The run history could not be written'));
        return;
      }
      t.oncomplete = () => resolve(req.result);
      t.onabort = () => reject(readable(t.error ?? req.error, 'The storage transaction was aborted'));
      t.onerror = () => reject(readable(t.error ?? req.error, 'The storage transaction failed'));
    });
  } finally {
    db.close();
  }
}

/** Save an entry; returns a note when it had to be stored without its output (or the entry's own note). */
export function saveEntry(entry: HistoryEntry): Promise<string | null> {
  return saveWithFallback(async (e) => {
    await tx('readwrite', (s) => s.put(e));
  }, entry);
}

/** Every stored run, newest first (entries this page cannot read are skipped). */
export async function listEntries(): Promise<HistoryEntry[]> {
  const all = await tx<unknown[]>('readonly', (s) => s.getAll());
  return sortEntries(all.map(checkStoredEntry).filter((e): e is HistoryEntry => e !== null));
}

export async function deleteEntry(id: string): Promise<void> {
  await tx('readwrite', (s) => s.delete(id));
}
