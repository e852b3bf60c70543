/**
 * The main thread's side of a comlink worker that can be stopped at once. Work in
 * tfjs or a Nelder–Mead search cannot be interrupted from outside, so cancelling
 * terminates the worker: the pending call rejects straight away and the next call
 * starts a fresh worker. A worker that dies (an uncaught error, out of memory) is
 * reported the same way, with the message the caller chose.
 */
import * as Comlink from 'comlink';
import { QueryCancelledError } from './engine/types.ts';

export interface WorkerClientTexts {
  /** Why a cancelled call rejected, e.g. "Training was cancelled." */
  cancelled: string;
  /** The message when the worker stops by itself, given the browser's reason. */
  stopped: (reason: string) => string;
}

export class WorkerClient<Api> {
  #worker: Worker | undefined;
  #api: Comlink.Remote<Api> | undefined;
  #reject: ((error: Error) => void) | undefined;

  /**
   * @param spawn makes the worker: `new Worker(new URL('…', import.meta.url), …)` must
   *   stay at the call site, where the bundler finds it.
   */
  constructor(
    private readonly spawn: () => Worker,
    private readonly texts: WorkerClientTexts,
  ) {}

  #remote(): Comlink.Remote<Api> {
    if (!this.#api) {
      const worker = this.spawn();
      worker.addEventListener('error', (event) => {
        this.#fail(new Error(this.texts.stopped(event.message || 'it could not start')));
      });
      this.#worker = worker;
      this.#api = Comlink.wrap<Api>(worker);
    }
    return this.#api;
  }

  #fail(error: Error) {
    this.#reject?.(error);
    this.#reject = undefined;
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#api = undefined;
  }

  /** Run a call on the worker, rejecting at once when `signal` aborts or the worker dies. */
  async run<T>(task: (api: Comlink.Remote<Api>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw new QueryCancelledError(this.texts.cancelled);
    const api = this.#remote();
    return await new Promise<T>((resolve, reject) => {
      this.#reject = reject;
      const abort = () => this.#fail(new QueryCancelledError(this.texts.cancelled));
      signal?.addEventListener('abort', abort, { once: true });
      task(api).then(
        (value) => {
          signal?.removeEventListener('abort', abort);
          this.#reject = undefined;
          resolve(value);
        },
        (error: unknown) => {
          signal?.removeEventListener('abort', abort);
          this.#reject = undefined;
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /** Stop the worker; a running call rejects as cancelled. */
  terminate() {
    this.#fail(new QueryCancelledError(this.texts.cancelled));
  }

  /** Stop the worker as a crash would (for fault tests); a running call rejects with `stopped`. */
  crash(reason = 'its worker was terminated') {
    this.#fail(new Error(this.texts.stopped(reason)));
  }
}
