/// <reference lib="webworker" />
/**
 * Fits the "buy till you die" models (BG/NBD and Gamma-Gamma, src/lib/analyses/clv.ts)
 * off the main thread, so a long Nelder–Mead search never freezes the page. Wired
 * with comlink: the per-customer columns come in (typed arrays transferred, not
 * copied), progress goes back through a proxied callback, and cancelling terminates
 * this worker.
 */
import * as Comlink from 'comlink';
import {
  clvModel,
  type ClvInputs,
  type ClvModelResult,
  type ClvOptions,
  type ClvProgress,
} from '../src/lib/analyses/clv.ts';

const api = {
  fit(
    inputs: ClvInputs,
    options: ClvOptions,
    onProgress: (p: ClvProgress) => void,
  ): ClvModelResult {
    return clvModel(inputs, options, onProgress);
  },
};

export type FitWorkerApi = typeof api;
Comlink.expose(api);
