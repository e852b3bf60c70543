import type { Model } from './model.svelte.ts';
import type { NotebookState } from './notebook.svelte.ts';
import type { Session } from './session.svelte.ts';
import {
  clearLocalKeys,
  deleteNotebookDatabase,
  storageInventory,
  type StorageInventory,
} from './storage.ts';

/** What a full wipe removed and what the browser reports afterwards. */
export interface WipeReport {
  /** OPFS entries that could not be removed (empty when the data files are gone). */
  opfsLeft: string[];
  /** The inventory after the wipe (a new, empty database file is created at once). */
  after: StorageInventory;
  /** True when no table, notebook, model or setting of Retain remains. */
  clean: boolean;
}

/**
 * Remove everything Retain keeps in this browser: the tables (DuckDB's files in OPFS),
 * notebooks with their audit answers, saved churn models, confirmed mappings and
 * settings; then look again at every place to check that nothing is left.
 */
export async function wipeEverything(
  session: Session,
  notebooks: NotebookState,
  model: Model,
): Promise<WipeReport> {
  notebooks.forgetAll();
  await deleteNotebookDatabase();
  clearLocalKeys();
  const opfsLeft = await session.clearAll();
  model.reset();
  clearLocalKeys(); // the engine's restart writes its start-up hint again
  const after = await storageInventory();
  const clean =
    opfsLeft.length === 0 &&
    session.tables.length === 0 &&
    after.notebooks === 0 &&
    after.models === 0 &&
    after.localKeys.length === 0;
  return { opfsLeft, after, clean };
}
