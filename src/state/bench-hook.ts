/**
 * The hook `npm run bench` drives the production build through (scripts/bench/chromium.ts).
 * App.svelte imports this module (and with it the analyses) only when the address has
 * `?bench`, so the app's first load is unchanged. Like the fault hooks
 * (faults.ts) it can only run this tab's own analyses on this tab's own data.
 *
 * `window.__retainBench`:
 * - `ready()`: ms from page start until the engine answered its first query;
 * - `run(step, limitMs)`: one built-in analysis (bench/steps.ts) through the app's DuckDB worker,
 *   the BG/NBD fit in the app's fit worker, as the cells run them;
 * - `train(kind, url)`: the churn model trained in the app's training worker on an
 *   Arrow IPC file the benchmark put next to the build (the same table Node trains on).
 * Times are `performance.now()` stamps, so the caller can match them with long tasks.
 */
import { tableFromIPC } from 'apache-arrow';
import { runStep, STEPS } from '../../bench/steps.ts';
import { FitClient } from '../lib/analyses/fit-client.ts';
import { TrainClient } from '../lib/churn/train-client.ts';
import type { Session } from './session.svelte.ts';

/** One timed call: page-time start and end, and what it produced. */
export interface BenchTiming {
  start: number;
  end: number;
  ms: number;
  rows: number;
  /** Test ROC AUC of a training run (a sanity check that it learned). */
  auc?: number;
  /** The tfjs backend the training worker ran. */
  backend?: string;
}

/** The object the benchmark script calls through `page.evaluate`. */
export interface BenchHook {
  ready(): Promise<number>;
  /** `limitMs` stops the BG/NBD fit (its worker) when a run takes longer. */
  run(step: string, limitMs?: number): Promise<BenchTiming>;
  train(kind: 'logistic' | 'mlp', url: string): Promise<BenchTiming>;
}

async function timed(task: () => Promise<{ rows: number; auc?: number }>): Promise<BenchTiming> {
  const start = performance.now();
  const outcome = await task();
  const end = performance.now();
  return { start, end, ms: end - start, ...outcome };
}

/** Expose `window.__retainBench` for this session. */
export function registerBench(session: Session) {
  // One fit worker for every run, as one CLV cell keeps one (it starts on first use).
  const fits = new FitClient();
  const hook: BenchHook = {
    async ready() {
      await session.engine;
      return session.readyMs ?? Number.NaN;
    },
    async run(step, limitMs) {
      const known = STEPS.find((s) => s.name === step);
      if (!known) throw new Error(`There is no benchmark step “${step}”.`);
      const engine = await session.engine;
      const signal = limitMs ? AbortSignal.timeout(limitMs) : undefined;
      try {
        return await timed(() => runStep(engine, known.name, { fitter: fits.fitter(signal) }));
      } catch (error) {
        if (signal?.aborted)
          throw new Error(`stopped at the ${limitMs! / 1000} s limit (--step-limit)`);
        throw error;
      }
    },
    async train(kind, url) {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`The training data ${url} answered ${response.status}.`);
      const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
      // A fresh training worker per run, as after a cancel (and as bench:churn does).
      const client = new TrainClient();
      try {
        const timing = await timed(async () => {
          const result = await client.train(table, null, { kind, seed: 42 }, () => {});
          return { rows: table.numRows, auc: result.test.auc };
        });
        return { ...timing, backend: await client.backend() };
      } finally {
        client.terminate();
      }
    },
  };
  (globalThis as unknown as { __retainBench?: BenchHook }).__retainBench = hook;
}
