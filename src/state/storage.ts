/**
 * The browser storage Retain uses for data: the origin-private file system (OPFS),
 * where DuckDB keeps its database file.
 */
export const DATABASE_PATH = 'opfs://retain.duckdb';

/** Remove every file Retain keeps in OPFS; returns how many entries were removed. */
export async function wipeOpfs(): Promise<number> {
  if (!navigator.storage?.getDirectory) return 0;
  const root = await navigator.storage.getDirectory();
  const names: string[] = [];
  for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys())
    names.push(name);
  for (const name of names) await root.removeEntry(name, { recursive: true });
  return names.length;
}

/** Names of the entries left in OPFS (empty after a wipe). */
export async function opfsEntries(): Promise<string[]> {
  if (!navigator.storage?.getDirectory) return [];
  const root = await navigator.storage.getDirectory();
  const names: string[] = [];
  for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys())
    names.push(name);
  return names;
}

/** Ask the browser not to evict our storage under pressure; returns whether it agreed. */
export async function requestPersistence(): Promise<boolean> {
  try {
    if (await navigator.storage?.persisted?.()) return true;
    return (await navigator.storage?.persist?.()) ?? false;
  } catch {
    return false;
  }
}

/** The IndexedDB database of notebooks, audit answers and saved models (see notebook-store.ts). */
export const NOTEBOOK_DB = 'retain';
/** Keys in localStorage that Retain writes start with this. */
export const LOCAL_PREFIX = 'retain.';

/** What Retain keeps in this browser, place by place. */
export interface StorageInventory {
  /** OPFS entries (DuckDB's database file and its write-ahead log) with their sizes. */
  opfs: { name: string; bytes: number }[];
  /** Notebooks and saved churn models in IndexedDB. */
  notebooks: number;
  models: number;
  /** localStorage keys of Retain (the mapping library, a start-up hint). */
  localKeys: string[];
  /** Cache Storage: the app's own files, cached by the service worker (no data). */
  caches: string[];
  /** The browser's estimate for this site, all storage together. */
  usage: number | null;
  quota: number | null;
  /** Whether the browser agreed not to evict this site's storage. */
  persisted: boolean | null;
}

async function countStore(name: string): Promise<number> {
  if (typeof indexedDB === 'undefined') return 0;
  const known = await indexedDB.databases?.().catch(() => []);
  if (known && !known.some((d) => d.name === NOTEBOOK_DB)) return 0;
  return new Promise((resolve) => {
    const request = indexedDB.open(NOTEBOOK_DB);
    request.onsuccess = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(name)) {
        db.close();
        resolve(0);
        return;
      }
      const count = db.transaction(name, 'readonly').objectStore(name).count();
      count.onsuccess = () => {
        db.close();
        resolve(count.result);
      };
      count.onerror = () => {
        db.close();
        resolve(0);
      };
    };
    request.onerror = () => resolve(0);
  });
}

/** Look at every place Retain stores something; nothing is changed. */
export async function storageInventory(): Promise<StorageInventory> {
  const opfs: StorageInventory['opfs'] = [];
  if (navigator.storage?.getDirectory) {
    const root = await navigator.storage.getDirectory();
    for await (const [name, handle] of (
      root as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }
    ).entries()) {
      let bytes = 0;
      if (handle.kind === 'file') {
        bytes = await (handle as FileSystemFileHandle)
          .getFile()
          .then((f) => f.size)
          .catch(() => 0); // DuckDB holds an access handle; the size is then unknown
      }
      opfs.push({ name, bytes });
    }
  }
  const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
  return {
    opfs,
    notebooks: await countStore('notebooks'),
    models: await countStore('models'),
    localKeys: Object.keys(localStorage).filter((k) => k.startsWith(LOCAL_PREFIX)),
    caches: typeof caches === 'undefined' ? [] : await caches.keys(),
    usage: estimate?.usage ?? null,
    quota: estimate?.quota ?? null,
    persisted: (await navigator.storage?.persisted?.().catch(() => null)) ?? null,
  };
}

/** Delete the notebook database; resolves once it is gone (or says why not). */
export function deleteNotebookDatabase(): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(NOTEBOOK_DB);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be deleted.'));
    request.onblocked = () =>
      reject(new Error('Another Retain tab still has the notebooks open: close it and try again.'));
  });
}

/** Remove Retain's localStorage keys. */
export function clearLocalKeys(): void {
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith(LOCAL_PREFIX)) localStorage.removeItem(key);
  }
}
