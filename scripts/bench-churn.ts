/**
 * npm run bench:churn [-- --n 100000 --runs 3 --seed 42 --kinds logistic,mlp]
 *
 * A benchmark, not a test: times the whole churn run (split, preparation, training
 * with early stopping / Newton, test evaluation, permutation importance, scoring
 * every customer with drivers) on seeded synthetic data (bench/churn-data.ts,
 * n customers × 30 features) in two places:
 *
 * - Chromium (Debian's, headless, launched as the tests do): bench/churn.html on a
 *   Vite dev server, training through the app's TrainClient and its web worker
 *   (tfjs-core on the WASM backend). "Cold" is the first run (worker, module and
 *   wasm start-up included); "warm" the median of the others (each in a fresh
 *   worker, as after a cancel). Main-thread long tasks are recorded during training.
 * - Node: runChurn on the same table with tfjs' WASM backend (single-threaded, as in
 *   the browser worker).
 *
 * Prints a table with the targets (logistic ≤ 2 s, MLP ≤ 6 s, no main-thread long
 * task over 50 ms) and a per-phase breakdown; figures go to bench/out/churn.json.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { chromium, type Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { datasetFromArrow } from '../src/lib/churn/dataset.ts';
import { runChurn, type ChurnOptions } from '../src/lib/churn/pipeline.ts';
import { chromiumLaunchOptions } from '../test/support/chromium.ts';
import {
  churnData,
  median,
  phases,
  progressMark,
  type Phases,
  type ProgressMark,
} from '../bench/churn-data.ts';
import type { PageBench } from '../bench/churn-page.ts';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .flatMap((a, i, all) => (a.startsWith('--') ? [[a.slice(2), all[i + 1]]] : [])),
);
const n = Number(args.n ?? 100_000);
const runs = Math.max(2, Number(args.runs ?? 3));
const seed = Number(args.seed ?? 42);
const kinds = (args.kinds ?? 'logistic,mlp').split(',') as ChurnOptions['kind'][];
/** Per page (all its runs), generous: a slow machine should finish, not time out. */
const pageTimeout = Number(args.timeout ?? 5 * 60) * 1000;

const targets: Record<ChurnOptions['kind'], number> = { logistic: 2000, mlp: 6000 };
const LONG_TASK_TARGET = 50;
const root = resolve(import.meta.dirname, '..');

/** A free local port (Vite takes `0` as "use the default"). */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createNetServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

async function cpuModel(): Promise<string> {
  try {
    const info = await readFile('/proc/cpuinfo', 'utf8');
    const model = /^model name\s*:\s*(.+)$/m.exec(info)?.[1];
    if (model) return model.trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown CPU';
}

// ---------------------------------------------------------------- Chromium

async function browserBench(): Promise<{ version: string; pages: PageBench[] }> {
  let server: ViteDevServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await createServer({
      root,
      configFile: resolve(root, 'vite.config.ts'),
      logLevel: 'warn',
      clearScreen: false,
      // Its own dependency cache, so a developer's `npm run dev` is left alone.
      cacheDir: resolve(root, 'node_modules/.cache/retain-bench-vite'),
      server: {
        host: '127.0.0.1',
        port: await freePort(),
        strictPort: false,
        // No reloads when someone edits a source file mid-run.
        hmr: false,
        watch: null,
      },
    });
    await server.listen();
    const base = server.resolvedUrls?.local[0];
    if (!base) throw new Error('The Vite dev server did not report its address.');
    browser = await chromium.launch(chromiumLaunchOptions);
    const version = browser.version();
    const pages: PageBench[] = [];
    for (const kind of kinds) {
      const page = await browser.newPage();
      page.on('console', (message) => {
        // Failed loads are reported with their address by the response handler below.
        if (
          message.type() === 'log' ||
          (message.type() === 'error' && !/^Failed to load resource/.test(message.text()))
        ) {
          console.log(`  [chromium] ${message.text()}`);
        }
      });
      page.on('response', (response) => {
        if (response.status() >= 400) {
          console.log(`  [chromium] ${response.status()} ${response.url()}`);
        }
      });
      page.on('pageerror', (error) => console.log(`  [chromium] page error: ${error.message}`));
      const url = new URL(`bench/churn.html?kind=${kind}&n=${n}&runs=${runs}&seed=${seed}`, base);
      await page.goto(url.href);
      const handle = await page.waitForFunction(() => window.__bench, null, {
        timeout: pageTimeout,
        polling: 500,
      });
      const figures = (await handle.jsonValue()) as PageBench | { error: string };
      await page.close();
      if ('error' in figures) throw new Error(`The ${kind} page failed: ${figures.error}`);
      pages.push(figures);
    }
    return { version, pages };
  } finally {
    await browser?.close();
    await server?.close();
  }
}

// ---------------------------------------------------------------- Node

interface NodeBench {
  kind: ChurnOptions['kind'];
  backend: string;
  convertMs: number;
  churnRate: number;
  checksum: string;
  runs: { ms: number; phases: Phases; testAuc: number }[];
  medianMs: number;
}

async function nodeBench(): Promise<NodeBench[]> {
  // As in the browser worker: single-threaded WASM.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs could not start its WASM backend.');
  await tf.ready();
  const data = churnData(n, seed);
  let start = performance.now();
  const raw = datasetFromArrow(data.table);
  const convertMs = performance.now() - start;
  const out: NodeBench[] = [];
  for (const kind of kinds) {
    const figures: NodeBench['runs'] = [];
    for (let r = 0; r < runs; r++) {
      const marks: ProgressMark[] = [];
      start = performance.now();
      const result = await runChurn({ train: raw }, { kind, seed }, (p) =>
        marks.push(progressMark(performance.now(), p)),
      );
      const end = performance.now();
      figures.push({
        ms: end - start,
        phases: phases(marks, start, end, false),
        testAuc: result.test.auc,
      });
      console.log(
        `  [node] ${kind} run ${r + 1}/${runs}: ${(end - start).toFixed(0)} ms, test AUC ${result.test.auc.toFixed(3)}`,
      );
    }
    out.push({
      kind,
      backend: tf.getBackend(),
      convertMs,
      churnRate: data.churnRate,
      checksum: data.checksum,
      runs: figures,
      medianMs: median(figures.map((f) => f.ms)),
    });
  }
  return out;
}

// ---------------------------------------------------------------- report

const s = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '–');
const msText = (ms: number | undefined) =>
  ms === undefined || !Number.isFinite(ms) ? '–' : ms.toFixed(0);

console.log(
  `Churn training benchmark: ${n.toLocaleString('en')} customers × 30 features, seed ${seed}, ${runs} runs per model.\n`,
);
console.log('Chromium (Vite dev server, app worker):');
const browserFigures = await browserBench();
console.log('\nNode (runChurn, tfjs WASM backend):');
const nodeFigures = await nodeBench();

const machine = {
  cpu: await cpuModel(),
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  chromium: browserFigures.version,
  hardwareConcurrency: browserFigures.pages[0]?.hardwareConcurrency,
  browserBackend: browserFigures.pages[0]?.backend,
  nodeBackend: nodeFigures[0]?.backend,
};

const rows = kinds.map((kind) => {
  const page = browserFigures.pages.find((p) => p.kind === kind)!;
  const node = nodeFigures.find((f) => f.kind === kind)!;
  const warm = page.warmMedianMs;
  const target = targets[kind];
  const longest = Math.max(0, ...page.runs.map((r) => r.longestLongTask));
  return {
    kind,
    coldMs: page.coldMs,
    warmMs: warm,
    nodeMs: node.medianMs,
    ratio: warm / node.medianMs,
    targetMs: target,
    overTargetMs: warm - target,
    longestLongTaskMs: longest,
    longTasks: page.runs.map((r) => r.longTasks.length),
    testAuc: page.runs[0].testAuc,
    sameData: page.checksum === node.checksum,
  };
});

console.log(
  `\nMachine: ${machine.cpu}, ${machine.cores} cores (navigator.hardwareConcurrency ${machine.hardwareConcurrency}), ` +
    `${machine.memoryGiB} GiB, Chromium ${machine.chromium} (headless), Node ${machine.node}; ` +
    `tfjs backend: ${machine.browserBackend} in the worker, ${machine.nodeBackend} in Node (single-threaded).`,
);
console.log(
  `Data: ${n.toLocaleString('en')} customers × 30 features (26 numeric, 4 categorical), churn ${(
    100 * browserFigures.pages[0].churnRate
  ).toFixed(1)} %, checksum ${browserFigures.pages[0].checksum}` +
    (rows.every((r) => r.sameData) ? ' (identical in Chromium and Node).' : ' (DIFFERS in Node!).'),
);
console.log(`Warm = median of runs 2…${runs}; Node = median of ${runs} runs.\n`);
console.log(
  '| model | Chromium cold (s) | Chromium warm (s) | Node (s) | Chromium / Node | target | distance to target | longest main-thread long task (ms) | long tasks per run | test AUC |',
);
console.log('|---|---:|---:|---:|---:|---:|---|---:|---|---:|');
for (const r of rows) {
  const distance =
    r.overTargetMs <= 0
      ? `met, ${s(-r.overTargetMs)} s under`
      : `missed by ${s(r.overTargetMs)} s (${(r.warmMs / r.targetMs).toFixed(1)}×)`;
  const longTask =
    r.longestLongTaskMs > LONG_TASK_TARGET
      ? `${r.longestLongTaskMs.toFixed(0)} (over ${LONG_TASK_TARGET})`
      : `${r.longestLongTaskMs.toFixed(0)} (ok)`;
  console.log(
    `| ${r.kind} | ${s(r.coldMs)} | ${s(r.warmMs)} | ${s(r.nodeMs)} | ${r.ratio.toFixed(2)} | ≤ ${s(r.targetMs)} s | ${distance} | ${longTask} | ${r.longTasks.join(', ')} | ${r.testAuc.toFixed(3)} |`,
  );
}

console.log('\nPer phase (ms; Chromium: cold run / median of warm runs; Node: median):\n');
console.log(
  '| model | where | start-up | split + prepare + 1st epoch | train total | epochs (+ refit) | evaluate + importance | score + drivers | result back | total |',
);
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
const phaseMedian = (list: Phases[], key: keyof Phases) => {
  const values = list.map((p) => p[key]).filter((v): v is number => v !== undefined);
  return values.length ? median(values) : undefined;
};
function phaseRow(kind: string, where: string, list: Phases[], total: number) {
  const m = (key: keyof Phases) => msText(phaseMedian(list, key));
  const epochs = `${m('epochs')}${list[0].refitEpochs ? ` (+ ${m('refitEpochs')})` : ''}`;
  console.log(
    `| ${kind} | ${where} | ${m('startup')} | ${m('firstEpoch')} | ${m('train')} | ${epochs} | ${m('evaluate')} | ${m('score')} | ${m('finish')} | ${msText(total)} |`,
  );
}
for (const kind of kinds) {
  const page = browserFigures.pages.find((p) => p.kind === kind)!;
  const node = nodeFigures.find((f) => f.kind === kind)!;
  phaseRow(kind, 'Chromium cold', [page.runs[0].phases], page.coldMs);
  phaseRow(
    kind,
    'Chromium warm',
    page.runs.slice(1).map((r) => r.phases),
    page.warmMedianMs,
  );
  phaseRow(
    kind,
    'Node',
    node.runs.map((r) => r.phases),
    node.medianMs,
  );
}
for (const page of browserFigures.pages) {
  const tasks = page.runs.flatMap((r, i) =>
    r.longTasks.map(
      (t) => `run ${i + 1} at +${t.start.toFixed(0)} ms: ${t.duration.toFixed(0)} ms`,
    ),
  );
  if (tasks.length) console.log(`\n${page.kind} long tasks: ${tasks.join('; ')}`);
}
for (const page of browserFigures.pages) {
  console.log(
    `\n${page.kind} in Chromium: of the start-up, serialising the table to Arrow IPC on the main thread takes ${msText(page.ipcMs)} ms ` +
      `and a fresh worker with its tfjs backend ${msText(page.workerStartMs)} ms (measured once more after the runs); ` +
      `the long-task observer saw ${msText(page.generateLongTask)} ms while generating the data (so it works).`,
  );
}
console.log(
  `\nNode: Arrow → columns (datasetFromArrow) took ${msText(nodeFigures[0]?.convertMs)} ms, not included above.`,
);

await mkdir(resolve(root, 'bench/out'), { recursive: true });
await writeFile(
  resolve(root, 'bench/out/churn.json'),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      n,
      runs,
      seed,
      machine,
      targets: { ...targets, longTaskMs: LONG_TASK_TARGET },
      summary: rows,
      chromium: browserFigures.pages,
      node: nodeFigures,
    },
    null,
    2,
  ),
);
console.log('\nFigures written to bench/out/churn.json.');
