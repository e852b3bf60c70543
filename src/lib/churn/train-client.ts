/**
 * The main thread's side of the training worker (workers/train.worker.ts). The
 * worker starts on first use; cancelling terminates it at once (tfjs cannot be
 * interrupted mid-epoch otherwise), and the next run starts a fresh one.
 */
import * as Comlink from 'comlink';
import { tableToIPC, type Table } from 'apache-arrow';
import type { TrainWorkerApi } from '../../../workers/train.worker.ts';
import { WorkerClient } from '../worker-client.ts';
import type {
  ChurnModel,
  ChurnOptions,
  ChurnProgress,
  ChurnResult,
  ChurnScores,
} from './pipeline.ts';

export class TrainClient {
  #client = new WorkerClient<TrainWorkerApi>(
    () =>
      new Worker(new URL('../../../workers/train.worker.ts', import.meta.url), {
        type: 'module',
        name: 'retain-train',
      }),
    {
      cancelled: 'Training was cancelled.',
      stopped: (reason) => `The training worker stopped (${reason}). Run the model again.`,
    },
  );

  #run<T>(task: (api: Comlink.Remote<TrainWorkerApi>) => Promise<T>, signal?: AbortSignal) {
    return this.#client.run(task, signal);
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
    this.#client.terminate();
  }

  /** Stop the worker as a crash would (for fault tests); the next run starts a new one. */
  crash(reason?: string) {
    this.#client.crash(reason);
  }
}
