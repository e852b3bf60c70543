import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import * as arrow from 'apache-arrow';
import { SerialQueue } from './serial.ts';
import {
  EngineCrashedError,
  QueryCancelledError,
  SqlError,
  type EngineInfo,
  type FileSource,
  type QueryOptions,
  type SqlEngine,
} from './types.ts';

export interface WasmEngineOptions {
  /** An OPFS database path such as `opfs://retain.duckdb`; in memory when omitted. */
  path?: string;
  /** Called when the DuckDB worker dies (crash, out of memory, killed). */
  onCrash?: (error: Error) => void;
}

/** The statements every session starts with: no extension is ever fetched from the network. */
const SESSION_SETUP = [
  'SET autoinstall_known_extensions = false',
  'SET autoload_known_extensions = false',
  'SET enable_progress_bar = true',
];

/**
 * DuckDB-WASM in its own worker, with the `eh` bundle served by our own origin
 * (imported with Vite `?url`, never from a CDN). Tables live in OPFS when a path is
 * given, so they survive a reload; writes become durable at {@link checkpoint}.
 */
export class WasmEngine implements SqlEngine {
  readonly capabilities = { readParquet: false, readJson: false };
  #queue = new SerialQueue();
  #progress: ((fraction: number) => void) | undefined;
  /** Set once the engine is dead; every pending and later call rejects with it. */
  #crashed: EngineCrashedError | null = null;
  #dead: Promise<never>;
  #die!: (error: EngineCrashedError) => void;
  #onCrash: ((error: Error) => void) | undefined;

  private constructor(
    readonly info: EngineInfo,
    private db: duckdb.AsyncDuckDB,
    private conn: duckdb.AsyncDuckDBConnection,
    private worker: Worker,
    onCrash?: (error: Error) => void,
  ) {
    this.#onCrash = onCrash;
    this.#dead = new Promise<never>((_, reject) => (this.#die = reject));
    this.#dead.catch(() => undefined);
    worker.addEventListener('error', (event) => {
      this.#crash(event.message || 'its worker stopped');
    });
    // DuckDB-WASM forwards DuckDB's progress bar as PROGRESS_UPDATE messages.
    const handlers = (
      db as unknown as { _onExecutionProgress: ((p: duckdb.ProgressEntry) => void)[] }
    )._onExecutionProgress;
    handlers.push((p) => this.#progress?.(Math.min(1, Number(p.percentage) / 100)));
  }

  static async create(options: WasmEngineOptions = {}): Promise<WasmEngine> {
    performance.mark('retain:engine-create');
    const features = await duckdb.getPlatformFeatures();
    if (!features.wasmExceptions) {
      throw new Error(
        'This browser lacks WebAssembly exception handling, which the data engine needs. Use a current Chrome, Edge, Firefox or Safari.',
      );
    }
    // DuckDB's eh worker behind a guard that keeps its requests on this origin.
    const worker = new Worker(new URL('../../../workers/duckdb.worker.ts', import.meta.url), {
      type: 'module',
      name: 'retain-duckdb',
    });
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
    await db.instantiate(ehWasmUrl);
    performance.mark('retain:engine-instantiated');
    let persistent = false;
    let storageNote: string | undefined;
    if (options.path) {
      try {
        await removeEmptyDatabase(options.path);
        await db.open({ path: options.path, accessMode: duckdb.DuckDBAccessMode.READ_WRITE });
        persistent = true;
      } catch (error) {
        storageNote = describeStorageFailure(error);
        await db.open({ path: ':memory:' });
      }
    } else {
      await db.open({ path: ':memory:' });
    }
    performance.mark('retain:engine-opened');
    const conn = await db.connect();
    // One round trip to the worker for all of them.
    await conn.query(SESSION_SETUP.join(';\n'));
    const version = await db.getVersion();
    const info: EngineInfo = { name: 'duckdb-wasm', version, persistent, storageNote };
    return new WasmEngine(info, db, conn, worker, options.onCrash);
  }

  query(sql: string, options: QueryOptions = {}): Promise<arrow.Table> {
    return this.#queue.run(() => this.#alive(() => this.#send(sql, options)), options.signal);
  }

  /** True once the engine has died; a new one must be created. */
  get crashed(): boolean {
    return this.#crashed !== null;
  }

  /**
   * Stop the engine as a crash would (terminating its worker mid-query), for fault
   * tests: pending calls reject with {@link EngineCrashedError} and onCrash runs.
   */
  kill(reason = 'its worker was terminated') {
    this.worker.terminate();
    this.#crash(reason);
  }

  #crash(reason: string) {
    if (this.#crashed) return;
    this.#crashed = new EngineCrashedError(
      `The data engine stopped (${reason}). What was running did not finish.`,
    );
    this.#die(this.#crashed);
    this.#onCrash?.(this.#crashed);
  }

  /** Run a call unless the engine is dead, and give up on it when the engine dies meanwhile. */
  async #alive<T>(call: () => Promise<T>): Promise<T> {
    if (this.#crashed) throw this.#crashed;
    try {
      return await Promise.race([call(), this.#dead]);
    } catch (error) {
      if (this.#crashed) throw this.#crashed;
      // A trap inside the wasm leaves the instance unusable (duckdb-wasm issue #1519).
      const text = error instanceof Error ? error.message : String(error);
      if (/RuntimeError|unreachable|memory access out of bounds|Aborted\(/.test(text)) {
        this.#crash(`it failed inside: ${text.split('\n')[0]}`);
        throw this.#crashed;
      }
      throw error;
    }
  }

  async exec(sql: string, options: QueryOptions = {}): Promise<void> {
    await this.query(sql, options);
  }

  async #send(sql: string, { params, signal, onProgress }: QueryOptions): Promise<arrow.Table> {
    const onAbort = () => void this.conn.cancelSent();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#progress = onProgress;
    let statement: duckdb.AsyncPreparedStatement | undefined;
    try {
      let reader: arrow.AsyncRecordBatchStreamReader;
      if (params && params.length > 0) {
        statement = await this.conn.prepare(sql);
        reader = await statement.send(...params.map(toWasmParam));
      } else {
        reader = await this.conn.send(sql);
      }
      if (signal?.aborted) throw new QueryCancelledError();
      const batches: arrow.RecordBatch[] = [];
      for await (const batch of reader) batches.push(batch);
      return batches.length > 0 ? new arrow.Table(batches) : new arrow.Table(reader.schema);
    } catch (error) {
      if (signal?.aborted) throw new QueryCancelledError();
      if (error instanceof QueryCancelledError) throw error;
      throw new SqlError(error instanceof Error ? error.message : String(error), sql);
    } finally {
      this.#progress = undefined;
      signal?.removeEventListener('abort', onAbort);
      await statement?.close().catch(() => undefined);
    }
  }

  async registerFile(name: string, source: FileSource): Promise<string> {
    if (source instanceof Uint8Array) {
      await this.db.registerFileBuffer(name, source);
    } else if (source instanceof Blob) {
      await this.db.registerFileHandle(
        name,
        source,
        duckdb.DuckDBDataProtocol.BROWSER_FILEREADER,
        true,
      );
    } else {
      throw new Error('The browser engine cannot read files by path; pass a File or bytes.');
    }
    return name;
  }

  async dropFile(name: string): Promise<void> {
    await this.db.dropFile(name);
  }

  insertArrow(table: string, ipcStream: Uint8Array, { create }: { create: boolean }) {
    return this.#queue.run(() =>
      this.#alive(() => this.conn.insertArrowFromIPCStream(ipcStream, { name: table, create })),
    );
  }

  async cancel(): Promise<void> {
    await this.conn.cancelSent();
  }

  async checkpoint(): Promise<void> {
    if (this.info.persistent) await this.exec('CHECKPOINT');
  }

  async close(): Promise<void> {
    if (!this.#crashed) {
      await this.conn.close().catch(() => undefined);
      await this.db.terminate().catch(() => undefined);
    }
    this.worker.terminate();
  }
}

function toWasmParam(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/** A DuckDB file of its three header blocks only: it has never stored a table. */
const HEADER_ONLY_BYTES = 3 * 4096;

/**
 * DuckDB-WASM 1.32 reopens a database that never stored anything (a first visit that
 * loaded nothing, then a reload) so that every write then fails with "Failed to
 * commit: File is not opened in write mode". Such a file holds nothing, so it and
 * its empty write-ahead log are removed before opening and DuckDB creates them afresh.
 */
async function removeEmptyDatabase(path: string) {
  const name = path.replace(/^opfs:\/\//, '');
  if (name.includes('/') || !navigator.storage?.getDirectory) return;
  try {
    const root = await navigator.storage.getDirectory();
    const size = async (file: string) => (await (await root.getFileHandle(file)).getFile()).size;
    const wal = await size(`${name}.wal`).catch(() => 0);
    if (wal > 0 || (await size(name)) > HEADER_ONLY_BYTES) return;
    await root.removeEntry(`${name}.wal`).catch(() => undefined);
    await root.removeEntry(name);
  } catch {
    // No database yet, or another tab holds it open: DuckDB's own open reports what matters.
  }
}

function describeStorageFailure(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/Access Handle/i.test(text)) {
    return 'Retain is open in another tab, which holds the saved data. This tab works in memory only: close the other tab and reload to use your saved data.';
  }
  return `Saved data could not be opened (${text}). This tab works in memory only; nothing will be saved until the problem is fixed.`;
}
