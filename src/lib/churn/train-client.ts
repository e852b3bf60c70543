/**
 * The main thread's side of the training worker (workers/train.worker.ts). The
 * worker starts on first use; cancelling terminates it at once (tfjs cannot be
 * interrupted mid-epoch otherwise), and the next run starts a fresh one.
 */
import * as Comlink from 'comlink';
import { tableToIPC, type Table } from 'apache-arrow';
import type { TrainWorkerApi } from '../../../workers/train.worker.ts';
import { QueryCancelledError } from '../engine/types.ts';
import type {
  ChurnModel,
  ChurnOptions,
  ChurnProgress,
  ChurnResult,
  ChurnScores,
} from './pipeline.ts';

export class TrainClient {
  #worker: Worker | undefined;
  #api: Comlink.Remote<TrainWorkerApi> | undefined;
  #reject: ((error: Error) => void) | undefined;

  #remote(): Comlink.Remote<TrainWorkerApi> {
    if (!this.#api) {
      this.#worker = new Worker(new URL('../../../workers/train.worker.ts', import.meta.url), {
        type: 'module',
        name: 'retain-train',
      });
      this.#worker.addEventListener('error', (event) => {
        this.#fail(
          new Error(
            `The training worker stopped (${event.message || 'it could not start'}). Run the model again.`,
          ),
        );
      });
      this.#api = Comlink.wrap<TrainWorkerApi>(this.#worker);
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

  /** Run a task on the worker, rejecting at once when cancelled or when the worker dies. */
  async #run<T>(task: (api: Comlink.Remote<TrainWorkerApi>) => Promise<T>, signal?: AbortSignal) {
    if (signal?.aborted) throw new QueryCancelledError('Training was cancelled.');
    const api = this.#remote();
    return await new Promise<T>((resolve, reject) => {
      this.#reject = reject;
      const abort = () => this.#fail(new QueryCancelledError('Training was cancelled.'));
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

  /** Which tfjs backend the worker runs (starting it if needed). */
  backend(): Promise<string> {
    return this.#run((api) => api.backend());
  }

  train(
    train: Table,
    score: Table | null,
    options: ChurnOptions,
    onProgress: (p: ChurnProgress) => void,
    signal?: AbortSignal,
  ): Promise<ChurnResult> {
    const trainIpc = tableToIPC(train, 'stream');
    const scoreIpc = score ? tableToIPC(score, 'stream') : null;
    const transfer = scoreIpc ? [trainIpc.buffer, scoreIpc.buffer] : [trainIpc.buffer];
    return this.#run(
      (api) =>
        api.train(
          Comlink.transfer(trainIpc, transfer),
          scoreIpc,
          options,
          Comlink.proxy(onProgress),
        ),
      signal,
    );
  }

  score(model: ChurnModel, data: Table, signal?: AbortSignal): Promise<ChurnScores> {
    const ipc = tableToIPC(data, 'stream');
    return this.#run((api) => api.score(model, Comlink.transfer(ipc, [ipc.buffer])), signal);
  }

  terminate() {
    this.#fail(new QueryCancelledError('Training was cancelled.'));
  }

  /** Stop the worker as a crash would (for fault tests); the next run starts a new one. */
  crash(reason = 'its worker was terminated') {
    this.#fail(new Error(`The training worker stopped (${reason}). Run the model again.`));
  }
}
