import type { Notebook } from '../lib/notebook/types.ts';

/**
 * Notebooks live in IndexedDB (database "retain", store "notebooks"), apart from
 * the data, which DuckDB keeps in OPFS. Nothing here leaves the browser.
 */
const DB_NAME = 'retain';
const STORE = 'notebooks';
/** Every object store of the database; version 2 added saved churn models. */
const STORES = ['notebooks', 'models'] as const;
export type StoreName = (typeof STORES)[number];

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 2);
    request.onupgradeneeded = () => {
      for (const name of STORES) {
        if (!request.result.objectStoreNames.contains(name)) {
          request.result.createObjectStore(name, { keyPath: 'id' });
        }
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened.'));
    request.onblocked = () =>
      reject(new Error('Another Retain tab is upgrading the notebook store; close it and retry.'));
  });
}

async function transact<T>(
  mode: IDBTransactionMode,
  work: (store: IDBObjectStore) => IDBRequest<T>,
  storeName: StoreName = STORE,
): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(storeName, mode);
      const request = work(tx.objectStore(storeName));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error ?? request.error);
      tx.onabort = () =>
        reject(
          tx.error?.name === 'QuotaExceededError'
            ? new Error(
                storeName === 'models'
                  ? 'The browser’s storage is full: the model could not be saved. Delete old models or free some space.'
                  : 'The browser’s storage is full: the notebook could not be saved. Free some space or export the notebook as a file.',
              )
            : (tx.error ?? new Error('Saving was aborted.')),
        );
    });
  } finally {
    db.close();
  }
}

export async function listNotebooks(): Promise<Notebook[]> {
  const all = await transact<Notebook[]>('readonly', (s) => s.getAll());
  return all.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

export async function saveNotebook(notebook: Notebook): Promise<void> {
  await transact('readwrite', (s) => s.put(notebook));
}

export async function deleteNotebook(id: string): Promise<void> {
  await transact('readwrite', (s) => s.delete(id));
}

export async function clearNotebooks(): Promise<void> {
  await transact('readwrite', (s) => s.clear());
}

/** The `transact` helper for other stores of the same database (saved models). */
export function transactStore<T>(
  storeName: StoreName,
  mode: IDBTransactionMode,
  work: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  return transact(mode, work, storeName);
}
