/**
 * The browser side of `npm run bench:churn`: bench/churn.html, served by the Vite
 * dev server so the training worker and its `?url` wasm imports load exactly as in
 * the app. Loaded with `?kind=logistic|mlp&n=100000&runs=3&seed=42`, it generates the
 * synthetic table (bench/churn-data.ts), trains `runs` times through the app's
 * TrainClient (a fresh worker each run; the first also pays for fetching and
 * compiling the worker and wasm, reported as "cold"), watches main-thread long
 * tasks, and leaves the figures in `window.__bench`.
 */
import { tableToIPC } from 'apache-arrow';
import type { ChurnOptions } from '../src/lib/churn/pipeline.ts';
import { TrainClient } from '../src/lib/churn/train-client.ts';
import {
  churnData,
  median,
  phases,
  progressMark,
  type Phases,
  type ProgressMark,
} from './churn-data.ts';

export interface LongTask {
  /** Start, ms after the training call. */
  start: number;
  duration: number;
}

export interface RunFigures {
  /** Call → resolved promise. */
  ms: number;
  phases: Phases;
  testAuc: number;
  longTasks: LongTask[];
  longestLongTask: number;
}

export interface PageBench {
  kind: ChurnOptions['kind'];
  n: number;
  seed: number;
  generateMs: number;
  churnRate: number;
  checksum: string;
  hardwareConcurrency: number;
  userAgent: string;
  backend: string;
  longTaskSupported: boolean;
  /** Longest long task while generating the data (synchronous, seconds long): shows the observer works. */
  generateLongTask: number;
  /** Of the start-up: serialising the table to Arrow IPC on the main thread (one extra call, after the runs). */
  ipcMs: number;
  /** Of the start-up: a fresh worker until its tfjs backend is ready (one extra start, after the runs). */
  workerStartMs: number;
  runs: RunFigures[];
  coldMs: number;
  warmMedianMs: number;
}

declare global {
  interface Window {
    __bench?: PageBench | { error: string };
  }
}

const logElement = document.getElementById('log');
function log(line: string) {
  console.log(line);
  if (logElement) logElement.textContent += `${line}\n`;
}

const nextTask = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

async function bench(): Promise<PageBench> {
  const params = new URLSearchParams(location.search);
  const kind = params.get('kind') === 'mlp' ? 'mlp' : 'logistic';
  const n = Number(params.get('n') ?? 100_000);
  const runCount = Math.max(1, Number(params.get('runs') ?? 3));
  const seed = Number(params.get('seed') ?? 42);

  const longTaskSupported = PerformanceObserver.supportedEntryTypes.includes('longtask');
  const longTasks: PerformanceEntry[] = [];
  if (longTaskSupported) {
    new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({
      type: 'longtask',
      buffered: true,
    });
  }

  let start = performance.now();
  const data = churnData(n, seed);
  const generateMs = performance.now() - start;
  log(
    `${kind}: generated ${n.toLocaleString('en')} customers × ${data.table.numCols - 3} features in ${generateMs.toFixed(0)} ms (churn ${(100 * data.churnRate).toFixed(1)} %)`,
  );
  await nextTask(250);
  const generateLongTask = Math.max(
    0,
    ...longTasks.filter((t) => t.startTime < start + generateMs).map((t) => t.duration),
  );

  const runs: RunFigures[] = [];
  let backend = '';
  for (let r = 0; r < runCount; r++) {
    const client = new TrainClient();
    const marks: ProgressMark[] = [];
    start = performance.now();
    const result = await client.train(data.table, null, { kind, seed }, (p) =>
      marks.push(progressMark(performance.now(), p)),
    );
    const end = performance.now();
    // Let the long-task observer deliver entries for the run.
    await nextTask(250);
    const during = longTasks
      .filter((t) => t.startTime + t.duration > start && t.startTime < end)
      .map((t) => ({ start: t.startTime - start, duration: t.duration }));
    const figures: RunFigures = {
      ms: end - start,
      phases: phases(marks, start, end, true),
      testAuc: result.test.auc,
      longTasks: during,
      longestLongTask: Math.max(0, ...during.map((t) => t.duration)),
    };
    runs.push(figures);
    log(
      `${kind} run ${r + 1}/${runCount}: ${figures.ms.toFixed(0)} ms, test AUC ${figures.testAuc.toFixed(3)}, ` +
        `${during.length} long task(s), longest ${figures.longestLongTask.toFixed(0)} ms; ` +
        `phases ${JSON.stringify(figures.phases, (_, v) => (typeof v === 'number' ? Math.round(v) : v))}`,
    );
    if (r === runCount - 1) backend = await client.backend();
    client.terminate();
    await nextTask(100);
  }
  start = performance.now();
  tableToIPC(data.table, 'stream');
  const ipcMs = performance.now() - start;
  const fresh = new TrainClient();
  start = performance.now();
  await fresh.backend();
  const workerStartMs = performance.now() - start;
  fresh.terminate();

  return {
    kind,
    n,
    seed,
    generateMs,
    churnRate: data.churnRate,
    checksum: data.checksum,
    hardwareConcurrency: navigator.hardwareConcurrency,
    userAgent: navigator.userAgent,
    backend,
    longTaskSupported,
    generateLongTask,
    ipcMs,
    workerStartMs,
    runs,
    coldMs: runs[0].ms,
    warmMedianMs: median(runs.slice(1).map((r) => r.ms)),
  };
}

bench().then(
  (figures) => {
    window.__bench = figures;
  },
  (error: unknown) => {
    const message =
      error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
    log(`failed: ${message}`);
    window.__bench = { error: message };
  },
);
