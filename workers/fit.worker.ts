/// <reference lib="webworker" />
/**
 * Fits the "buy till you die" models (BG/NBD and Gamma-Gamma, src/lib/analyses/clv.ts)
 * off the main thread, so a long Nelder–Mead search never freezes the page. Wired
 * with comlink: the per-customer columns come in and go back as typed arrays
 * (transferred, not copied; labels as codes), progress goes back through a proxied callback, and cancelling terminates
 * this worker.
 */
import * as Comlink from 'comlink';
import {
  clvModel,
  type ClvModelResult,
  type ClvOptions,
  type ClvProgress,
} from '../src/lib/analyses/clv.ts';
import { fromWire, type ClvWireInputs } from '../src/lib/analyses/clv-wire.ts';

const api = {
  fit(
    inputs: ClvWireInputs,
    options: ClvOptions,
    onProgress: (p: ClvProgress) => void,
  ): ClvModelResult {
    const result = clvModel(fromWire(inputs), options, onProgress);
    // The per-customer columns go back transferred: cloning them would hold up the page.
    const c = result.customers;
    return c
      ? Comlink.transfer(
          result,
          [c.order, c.pAlive, c.expected, c.spend, c.clv].map((a) => a.buffer),
        )
      : result;
  },
};

export type FitWorkerApi = typeof api;
Comlink.expose(api);
