import { QueryCancelledError } from './types.ts';

/**
 * Runs tasks one at a time, in order. DuckDB-WASM's worker is single-threaded and
 * one connection holds one pending query, so statements are serialised here; a task
 * whose signal aborts while it waits is dropped without running.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const start = async (): Promise<T> => {
      if (signal?.aborted) throw new QueryCancelledError();
      return task();
    };
    const result = this.#tail.then(start, start);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
