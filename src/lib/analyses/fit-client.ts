/**
 * The main thread's side of the fit worker (workers/fit.worker.ts). The worker starts
 * on first use; cancelling terminates it at once (a Nelder–Mead search cannot be
 * interrupted otherwise), and the next fit starts a fresh one.
 */
import * as Comlink from 'comlink';
import type { FitWorkerApi } from '../../../workers/fit.worker.ts';
import { QueryCancelledError } from '../engine/types.ts';
import type { ClvFitter, ClvInputs, ClvModelResult, ClvOptions, ClvProgress } from './clv.ts';

const CANCELLED = 'The fit was cancelled.';

export class FitClient {
  #worker: Worker | undefined;
  #api: Comlink.Remote<FitWorkerApi> | undefined;
  #reject: ((error: Error) => void) | undefined;

  #remote(): Comlink.Remote<FitWorkerApi> {
    if (!this.#api) {
      this.#worker = new Worker(new URL('../../../workers/fit.worker.ts', import.meta.url), {
        type: 'module',
        name: 'retain-fit',
      });
      this.#worker.addEventListener('error', (event) => {
        this.#fail(
          new Error(
            `The fitting worker stopped (${event.message || 'it could not start'}). Run the fit again.`,
          ),
        );
      });
      this.#api = Comlink.wrap<FitWorkerApi>(this.#worker);
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

  /** Fit and forecast in the worker; rejects at once with a QueryCancelledError when `signal` aborts. */
  async fit(
    inputs: ClvInputs,
    options: ClvOptions,
    onProgress: (p: ClvProgress) => void,
    signal?: AbortSignal,
  ): Promise<ClvModelResult> {
    if (signal?.aborted) throw new QueryCancelledError(CANCELLED);
    const api = this.#remote();
    // Copies of the columns are transferred, so the caller's arrays stay usable.
    const columns = {
      x: inputs.x.slice(),
      tx: inputs.tx.slice(),
      T: inputs.T.slice(),
      zbar: inputs.zbar.slice(),
      holdoutX: inputs.holdoutX.slice(),
    };
    const message = { ...inputs, ...columns };
    const transfer = Object.values(columns).map((a) => a.buffer);
    return await new Promise<ClvModelResult>((resolve, reject) => {
      this.#reject = reject;
      const abort = () => this.#fail(new QueryCancelledError(CANCELLED));
      signal?.addEventListener('abort', abort, { once: true });
      api.fit(Comlink.transfer(message, transfer), options, Comlink.proxy(onProgress)).then(
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

  /** A {@link ClvFitter} for clvAnalysis that runs in this worker and honours `signal`. */
  fitter(signal?: AbortSignal): ClvFitter {
    return (inputs, options, onProgress) => this.fit(inputs, options, onProgress, signal);
  }

  /** Stop the worker (a running fit rejects as cancelled). */
  terminate() {
    this.#fail(new QueryCancelledError(CANCELLED));
  }
}
