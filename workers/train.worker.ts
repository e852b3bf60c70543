/// <reference lib="webworker" />
/**
 * Trains and scores churn models with TensorFlow.js (WASM backend, files served by
 * the app itself), off the main thread. Wired with comlink: the feature table comes
 * in as an Arrow IPC stream (transferred, not copied), progress goes back through a
 * proxied callback, and cancelling terminates this worker.
 */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import { datasetFromIpc } from '../src/lib/churn/dataset.ts';
import {
  runChurn,
  scoreCustomers,
  type ChurnModel,
  type ChurnOptions,
  type ChurnProgress,
  type ChurnResult,
  type ChurnScores,
} from '../src/lib/churn/pipeline.ts';

// Threads would need cross-origin isolation, and the threaded build hangs when minified.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmSimdUrl,
});

let ready: Promise<string> | undefined;
/** The WASM backend, or the plain JS one when WebAssembly cannot start. */
function backend(): Promise<string> {
  return (ready ??= (async () => {
    try {
      if (await tf.setBackend('wasm')) return 'wasm';
    } catch {
      // fall through to the CPU backend
    }
    await tf.setBackend('cpu');
    return 'cpu';
  })());
}

function transferables(scores: ChurnScores): Transferable[] {
  return [
    scores.risk.buffer,
    scores.decile.buffer,
    scores.drivers.buffer,
    scores.contributions.buffer,
  ];
}

const api = {
  backend,
  async train(
    train: Uint8Array,
    score: Uint8Array | null,
    options: ChurnOptions,
    onProgress: (p: ChurnProgress) => void,
  ): Promise<ChurnResult> {
    await backend();
    const data = { train: datasetFromIpc(train), score: score ? datasetFromIpc(score) : null };
    const result = await runChurn(data, options, onProgress);
    return Comlink.transfer(result, transferables(result.scores));
  },
  async score(model: ChurnModel, data: Uint8Array): Promise<ChurnScores> {
    await backend();
    const scores = await scoreCustomers(model, datasetFromIpc(data));
    return Comlink.transfer(scores, transferables(scores));
  },
};

export type TrainWorkerApi = typeof api;
Comlink.expose(api);
