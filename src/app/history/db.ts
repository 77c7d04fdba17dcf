/**
 * Run history in IndexedDB: one object store of HistoryEntry by experiment id.
 * When storage is full the entry is kept without its output bytes and the
 * caller is told; other failures are reported, never swallowed.
 */
import type { HistoryEntry } from './entry.ts';

const DB = 'dissmodel-workbench';
const STORE = 'runs';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened.'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab of the workbench.'));
  });
}

async function tx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const req = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(req.result);
      t.onabort = () => reject(t.error ?? req.error ?? new Error('The storage transaction was aborted.'));
      t.onerror = () => reject(t.error ?? req.error ?? new Error('The storage transaction failed.'));
    });
  } finally {
    db.close();
  }
}

export const isQuotaError = (e: unknown): boolean => e instanceof DOMException && (e.name === 'QuotaExceededError' || e.code === 22);

/** Save an entry; returns a note when it had to be stored without its output. */
export async function saveEntry(entry: HistoryEntry): Promise<string | null> {
  try {
    await tx('readwrite', (s) => s.put(entry));
    return null;
  } catch (e) {
    if (!isQuotaError(e) || !entry.output?.bytes) throw e;
    const note = 'Storage is full: the run was kept without its output file.';
    await tx('readwrite', (s) => s.put({ ...entry, output: { ...entry.output!, bytes: null }, note }));
    return note;
  }
}

export async function listEntries(): Promise<HistoryEntry[]> {
  const all = await tx<HistoryEntry[]>('readonly', (s) => s.getAll() as IDBRequest<HistoryEntry[]>);
  return all.sort((a, b) => (a.savedAt < b.savedAt ? 1 : -1));
}

export async function deleteEntry(id: string): Promise<void> {
  await tx('readwrite', (s) => s.delete(id));
}

export async function setVerdict(id: string, verdict: string): Promise<void> {
  const e = await tx<HistoryEntry | undefined>('readonly', (s) => s.get(id) as IDBRequest<HistoryEntry | undefined>);
  if (e) await tx('readwrite', (s) => s.put({ ...e, verdict }));
}
