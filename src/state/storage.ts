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
