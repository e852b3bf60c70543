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

  /** Stop the worker now; calls in flight reject as cancelled. */
  terminate() {
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#api = undefined;
    this.#rejectAll(new QueryCancelledError('Loading was cancelled.'));
  }
}
