/**
 * The main thread's side of the fit worker (workers/fit.worker.ts). The worker starts
 * on first use; cancelling terminates it at once (a Nelder–Mead search cannot be
 * interrupted otherwise), and the next fit starts a fresh one.
 */
import * as Comlink from 'comlink';
import type { FitWorkerApi } from '../../../workers/fit.worker.ts';
import { WorkerClient } from '../worker-client.ts';
import { toWire } from './clv-wire.ts';
import type { ClvFitter, ClvInputs, ClvModelResult, ClvOptions, ClvProgress } from './clv.ts';

const CANCELLED = 'The fit was cancelled.';

export class FitClient {
  #client = new WorkerClient<FitWorkerApi>(
    () =>
      new Worker(new URL('../../../workers/fit.worker.ts', import.meta.url), {
        type: 'module',
        name: 'retain-fit',
      }),
    {
      cancelled: CANCELLED,
      stopped: (reason) => `The fitting worker stopped (${reason}). Run the fit again.`,
    },
  );

  /** Fit and forecast in the worker; rejects at once with a QueryCancelledError when `signal` aborts. */
  async fit(
    inputs: ClvInputs,
    options: ClvOptions,
    onProgress: (p: ClvProgress) => void,
    signal?: AbortSignal,
  ): Promise<ClvModelResult> {
    // Copies of the columns are transferred, so the caller's arrays stay usable.
    const { message, transfer } = toWire(inputs);
    return this.#client.run(
      (api) => api.fit(Comlink.transfer(message, transfer), options, Comlink.proxy(onProgress)),
      signal,
    );
  }

  /** A {@link ClvFitter} for clvAnalysis that runs in this worker and honours `signal`. */
  fitter(signal?: AbortSignal): ClvFitter {
    return (inputs, options, onProgress) => this.fit(inputs, options, onProgress, signal);
  }

  /** Stop the worker (a running fit rejects as cancelled). */
  terminate() {
    this.#client.terminate();
  }
}
