import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { Table } from 'apache-arrow';
import { ident, literal } from '../sql/quote.ts';
import { readerToArrow } from './node-arrow.ts';
import { SerialQueue } from './serial.ts';
import {
  QueryCancelledError,
  SqlError,
  type EngineInfo,
  type FileSource,
  type QueryOptions,
  type SqlEngine,
} from './types.ts';

export interface NodeEngineOptions {
  /** A database file; in memory when omitted. */
  path?: string;
  /** DuckDB memory_limit, e.g. '2GB'. */
  memoryLimit?: string;
  threads?: number;
}

/**
 * Native DuckDB through @duckdb/node-api: used by tests, benchmarks and the CLI.
 * Files are read from disk directly; bytes are spilled to a private temp folder.
 */
export class NodeEngine implements SqlEngine {
  readonly capabilities = { readParquet: true, readJson: true };
  #queue = new SerialQueue();
  #tmp: string | undefined;
  #files = new Map<string, string>();

  private constructor(
    readonly info: EngineInfo,
    private instance: DuckDBInstance,
    private connection: DuckDBConnection,
  ) {}

  static async create(options: NodeEngineOptions = {}): Promise<NodeEngine> {
    const config: Record<string, string> = {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    };
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    if (options.threads) config.threads = String(options.threads);
    const instance = await DuckDBInstance.create(options.path ?? ':memory:', config);
    const connection = await instance.connect();
    await connection.run(`SET TimeZone = 'UTC'`);
    const version = (await connection.runAndReadAll('SELECT version()')).getRows()[0][0];
    const info: EngineInfo = {
      name: 'duckdb-node',
      version: String(version),
      persistent: options.path !== undefined,
    };
    return new NodeEngine(info, instance, connection);
  }

  query(sql: string, options: QueryOptions = {}): Promise<Table> {
    return this.#queue.run(async () => {
      const reader = await this.#run(sql, options);
      return readerToArrow(reader);
    }, options.signal);
  }

  exec(sql: string, options: QueryOptions = {}): Promise<void> {
    return this.#queue.run(async () => {
      await this.#run(sql, options);
    }, options.signal);
  }

  async #run(sql: string, { params, signal }: QueryOptions) {
    const onAbort = () => this.connection.interrupt();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const values = params?.map(toDuckValue);
      return await this.connection.runAndReadAll(sql, values);
    } catch (error) {
      if (signal?.aborted || /INTERRUPT/i.test(String(error))) throw new QueryCancelledError();
      throw new SqlError(error instanceof Error ? error.message : String(error), sql);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async registerFile(name: string, source: FileSource): Promise<string> {
    let path: string;
    if (source instanceof Uint8Array) {
      path = join(await this.#tempDir(), `${this.#files.size}-${name.replace(/[^\w.-]/g, '_')}`);
      await writeFile(path, source);
    } else if ('path' in source) {
      path = resolve(source.path);
    } else {
      const bytes = new Uint8Array(await source.arrayBuffer());
      return this.registerFile(name, bytes);
    }
    this.#files.set(name, path);
    return path;
  }

  async dropFile(name: string): Promise<void> {
    this.#files.delete(name);
  }

  /**
   * Native DuckDB has no Arrow scan without the arrow extension, so the stream is
   * written to a temporary Parquet file (parquet-wasm) and read back natively.
   */
  async insertArrow(table: string, ipcStream: Uint8Array, { create }: { create: boolean }) {
    const parquet = await import('parquet-wasm');
    const bytes = parquet.writeParquet(parquet.Table.fromIPCStream(ipcStream));
    const path = join(await this.#tempDir(), `arrow-${Date.now()}-${Math.random()}.parquet`);
    await writeFile(path, bytes);
    try {
      const source = `read_parquet(${literal(path)})`;
      await this.exec(
        create
          ? `CREATE TABLE ${ident(table)} AS SELECT * FROM ${source}`
          : `INSERT INTO ${ident(table)} SELECT * FROM ${source}`,
      );
    } finally {
      await rm(path, { force: true });
    }
  }

  async cancel(): Promise<void> {
    this.connection.interrupt();
  }

  async checkpoint(): Promise<void> {
    if (this.info.persistent) await this.exec('CHECKPOINT');
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
    if (this.#tmp) await rm(this.#tmp, { recursive: true, force: true });
  }

  async #tempDir(): Promise<string> {
    this.#tmp ??= await mkdtemp(join(tmpdir(), 'retain-'));
    return this.#tmp;
  }
}

function toDuckValue(value: unknown): DuckDBValue {
  if (value instanceof Date) return value.toISOString();
  return value as DuckDBValue;
}
