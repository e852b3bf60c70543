import type { Table } from 'apache-arrow';
import type { SqlValue } from '../sql/quote.ts';

/** What can be registered as a file: a browser Blob/File, bytes, or a path on disk (Node). */
export type FileSource = Blob | Uint8Array | { path: string };

export interface QueryOptions {
  /** Positional parameters for `?` placeholders, always bound, never pasted into the text. */
  params?: readonly SqlValue[];
  /** Aborting cancels the query (queued or running); the promise rejects with {@link QueryCancelledError}. */
  signal?: AbortSignal;
  /** Progress of a long statement, 0…1, where the engine can tell. */
  onProgress?: (fraction: number) => void;
}

export interface EngineInfo {
  /** Which adapter runs the SQL. */
  name: 'duckdb-wasm' | 'duckdb-node';
  /** DuckDB's own version string, e.g. v1.4.3. */
  version: string;
  /** Whether tables survive a restart (OPFS in the browser, a database file in Node). */
  persistent: boolean;
  /** Why storage is not persistent, when it was asked for and could not be had. */
  storageNote?: string;
}

/**
 * One SQL engine interface, two adapters: DuckDB-WASM in a worker (browser) and
 * native DuckDB (Node). Everything above this layer is engine-agnostic; the
 * same test suite runs on both (test/shared/engine-suite.ts).
 */
export interface SqlEngine {
  readonly info: EngineInfo;
  /** Whether the engine reads Parquet / JSON itself (native does; the WASM build has no extensions). */
  readonly capabilities: { readParquet: boolean; readJson: boolean };
  /** Run one statement and return its result as Arrow. Statements run one at a time, in order. */
  query(sql: string, options?: QueryOptions): Promise<Table>;
  /** Run statements whose result is not needed (DDL, several statements separated by `;`). */
  exec(sql: string, options?: QueryOptions): Promise<void>;
  /**
   * Make a file readable by SQL under `name`. Returns the string to use in SQL
   * (through `literal()`) to refer to it: the name in the browser, a path in Node.
   */
  registerFile(name: string, source: FileSource): Promise<string>;
  /** Forget a registered file. */
  dropFile(name: string): Promise<void>;
  /** Append an Arrow IPC stream to `table`, creating it when `create` is set. */
  insertArrow(table: string, ipcStream: Uint8Array, options: { create: boolean }): Promise<void>;
  /** Cancel whatever statement is running now. */
  cancel(): Promise<void>;
  /** Make all writes durable (a no-op for in-memory engines). */
  checkpoint(): Promise<void>;
  close(): Promise<void>;
}

/** A query that was cancelled by the user or by an AbortSignal. */
export class QueryCancelledError extends Error {
  constructor(message = 'The query was cancelled.') {
    super(message);
    this.name = 'AbortError';
  }
}

/**
 * The engine itself stopped (its worker crashed, ran out of memory or was killed):
 * the statement did not fail, the engine did. The session restarts it.
 */
export class EngineCrashedError extends Error {
  constructor(message = 'The data engine stopped unexpectedly.') {
    super(message);
    this.name = 'EngineCrashedError';
  }
}

/** An error raised by DuckDB, with the statement that raised it. */
export class SqlError extends Error {
  /** DuckDB's error class, e.g. "Parser Error", "Binder Error", "Out of Memory Error". */
  readonly kind: string;
  constructor(
    message: string,
    readonly sql: string,
  ) {
    super(message);
    this.name = 'SqlError';
    this.kind = /^([A-Z][A-Za-z ]*? Error):/.exec(message)?.[1] ?? 'Error';
  }
}

export function isCancelled(error: unknown): boolean {
  if (error instanceof EngineCrashedError) return false;
  return (
    error instanceof QueryCancelledError ||
    (error instanceof Error &&
      (error.name === 'AbortError' || /INTERRUPT|interrupted/i.test(error.message)))
  );
}
