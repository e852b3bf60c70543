import * as Comlink from 'comlink';
import type { IngestWorkerApi } from '../../../workers/ingest.worker.ts';
import { QueryCancelledError } from '../engine/types.ts';
import type { Decoders } from './decoders.ts';
import { unwire, type Wired } from './wire.ts';

/**
 * The browser's decoders: each call runs in workers/ingest.worker.ts (comlink),
 * started on first use. Aborting the signal terminates the worker at once and
 * rejects whatever was waiting on it.
 */
export class WorkerDecoders implements Decoders {
  #worker: Worker | undefined;
  #api: Comlink.Remote<IngestWorkerApi> | undefined;
  #pending = new Set<(error: Error) => void>();
  #hashers = new Set<Worker>();

  constructor(signal?: AbortSignal) {
    signal?.addEventListener('abort', () => this.terminate(), { once: true });
  }

  #remote(): Comlink.Remote<IngestWorkerApi> {
    if (!this.#api) {
      this.#worker = new Worker(new URL('../../../workers/ingest.worker.ts', import.meta.url), {
        type: 'module',
        name: 'retain-ingest',
      });
      this.#worker.addEventListener('error', (event) => {
        this.#rejectAll(
          new Error(`The file decoder stopped: ${event.message || 'unknown error'}.`),
        );
      });
      this.#api = Comlink.wrap<IngestWorkerApi>(this.#worker);
    }
    return this.#api;
  }

  #track<T>(call: Promise<Wired<T>>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.add(reject);
      call
        .then((result) => resolve(unwire(result)), reject)
        .catch(reject)
        .finally(() => this.#pending.delete(reject));
    });
  }

  #rejectAll(error: Error) {
    for (const reject of this.#pending) reject(error);
    this.#pending.clear();
  }

  json(file: string, data: Blob | Uint8Array, format: 'json' | 'ndjson') {
    return this.#track(this.#remote().json(file, data, format));
  }

  xlsx(file: string, data: Blob | Uint8Array) {
    return this.#track(this.#remote().xlsx(file, data));
  }

  parquet(
    file: string,
    data: Blob | Uint8Array,
    onBatch: (ipc: Uint8Array, done: number, total: number) => Promise<void>,
  ) {
    return this.#track(this.#remote().parquet(file, data, Comlink.proxy(onBatch)));
  }

  /** Write Parquet in the worker (exports). */
  async writeParquet(ipc: Uint8Array, provenanceJson?: string): Promise<Uint8Array> {
    return this.#remote().writeParquet(Comlink.transfer(ipc, [ipc.buffer]), provenanceJson);
  }

  /**
   * Hash in a small worker of its own (workers/hash.worker.ts), so neither reading a
   * large file into memory nor the digest blocks the page, and so hashing runs while
   * DuckDB reads the file without starting the larger decoder worker.
   */
  sha256(data: Blob | Uint8Array): Promise<string> {
    const worker = new Worker(new URL('../../../workers/hash.worker.ts', import.meta.url), {
      type: 'module',
      name: 'retain-hash',
    });
    this.#hashers.add(worker);
    return new Promise<string>((resolve, reject) => {
      const done = () => {
        worker.terminate();
        this.#hashers.delete(worker);
        this.#pending.delete(reject);
      };
      this.#pending.add(reject);
      worker.onmessage = (event: MessageEvent<{ hex?: string; error?: string }>) => {
        done();
        if (event.data.hex) resolve(event.data.hex);
        else reject(new Error(`The file could not be hashed: ${event.data.error}.`));
      };
      worker.onerror = (event) => {
        done();
        reject(
          new Error(`The file could not be hashed: ${event.message || 'its worker stopped'}.`),
        );
      };
      worker.postMessage(data);
    });
  }

  /** Stop the worker now; calls in flight reject as cancelled. */
  terminate() {
    for (const hasher of this.#hashers) hasher.terminate();
    this.#hashers.clear();
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#api = undefined;
    this.#rejectAll(new QueryCancelledError('Loading was cancelled.'));
  }
}
