/**
 * npm run bench [-- --sizes 100000,1000000,10000000|none --runs 3 --seed 42 --step-limit 60
 *                  --skip-training --out bench/out/bench.json --dir /tmp/retain-bench]
 *
 * A benchmark, not a test. In one run it
 * - builds the production app into <dir>/dist (default /tmp/retain-bench) and serves it
 *   with vite preview on 127.0.0.1, and sums its initial JS+CSS (brotli 11);
 * - writes seeded synthetic orders as CSV and Parquet at each size with native DuckDB
 *   (cached in <dir>/data by size and seed);
 * - measures in Debian's headless Chromium, driven by playwright-core: engine ready on a
 *   first visit and from the service worker's cache; CSV and Parquet ingest through the
 *   app's file picker; the mapping Retain proposes, confirmed as a person would; every
 *   built-in analysis (bench/steps.ts) and tfjs training (logistic regression, MLP on
 *   100,000 × 30) through the `?bench` hook on the app's own workers; main-thread long
 *   tasks during each step;
 * - measures the same on native DuckDB (@duckdb/node-api) and tfjs in Node;
 * - prints a table of medians with the ratio, each target and the distance to it, and
 *   the machine, and writes everything to bench/out/bench.json.
 * A step that fails in the tab (e.g. out of memory at 10M rows) is recorded with its
 * message; the run goes on. The BG/NBD fit (synchronous JavaScript, minutes on large
 * data) is stopped after --step-limit seconds per run and reported as over the limit.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { STEPS } from '../bench/steps.ts';
import { initialBundle } from './bench/bundle-size.ts';
import {
  buildApp,
  firstVisit,
  freshContext,
  fromCache,
  ingest,
  launch,
  mappedPage,
  serve,
  tabStep,
  tabTrain,
  type TabFigure,
} from './bench/chromium.ts';
import { orderFiles, writeChurnIpc } from './bench/generate.ts';
import { nativeSize, nativeTraining, type NativeSize } from './bench/native.ts';
import { machine, machineLine, tableLines, type ReportRow } from './bench/report.ts';
import { parseFlags } from './bench/stats.ts';

const flags = parseFlags(process.argv.slice(2));
const { runs, seed } = flags;
const root = resolve(import.meta.dirname, '..');
const dist = join(flags.dir, 'dist');
const TRAIN_ROWS = 100_000;
const CHURN_FILE = 'bench-churn.arrow';
/** Generous limits: a slow, shared machine should finish, not time out. */
const LOAD_TIMEOUT = 20 * 60_000;
const STEP_TIMEOUT = 10 * 60_000;

const rows: ReportRow[] = [];
const json: Record<string, unknown> = {
  date: new Date().toISOString(),
  runs,
  seed,
  sizes: flags.sizes,
};
const message = (error: unknown) =>
  (error instanceof Error ? error.message : String(error))
    .split('\n')[0]
    .replace(/^page\.evaluate: (Error: )?/, '')
    .slice(0, 300);
const ms = (figures: TabFigure[]) => figures.map((f) => f.ms);
const tasks = (figures: TabFigure[]) => figures.flatMap((f) => f.longTasks);
const log = (line: string) => console.log(line);

/** Analysis targets of the issue: ≤ 200 ms and ≤ 2× native at 1M orders, ≤ 2 s at 10M. */
const analysisTarget = (n: number) =>
  n === 1_000_000 ? { ms: 200, ratio: 2 } : n === 10_000_000 ? { ms: 2000 } : undefined;

/**
 * `runs` runs of `task`. A failing run fails the whole, unless `partial` is given: then
 * the runs that finished are kept and `partial.note` says what happened to the rest.
 */
async function repeat(what: string, task: () => Promise<TabFigure>, partial?: { note?: string }) {
  const out: TabFigure[] = [];
  for (let i = 0; i < runs; i++) {
    let figure: TabFigure;
    try {
      figure = await task();
    } catch (error) {
      if (!partial || out.length === 0) throw error;
      partial.note = `${out.length} of ${runs} runs; run ${i + 1}: ${message(error)}`;
      log(`  ${what} ${i + 1}/${runs} failed: ${message(error)}`);
      break;
    }
    log(`  ${what} ${i + 1}/${runs}: ${figure.ms.toFixed(0)} ms, long tasks [${figure.longTasks}]`);
    out.push(figure);
  }
  return out;
}

async function startup(browser: Browser, base: string) {
  log('Engine ready, first visit (fresh profile each run):');
  const first = await repeat('first visit', () => firstVisit(browser, base));
  log('Engine ready from the service worker cache:');
  const cached = await fromCache(browser, base, runs);
  for (const [i, f] of cached.entries())
    log(`  from cache ${i + 1}/${runs}: ${f.ms.toFixed(0)} ms, long tasks [${f.longTasks}]`);
  rows.push(
    {
      rows: null,
      step: 'engine ready, first visit',
      chromium: ms(first),
      target: { ms: 3000 },
      longTasks: tasks(first),
    },
    {
      rows: null,
      step: 'engine ready, from cache',
      chromium: ms(cached),
      target: { ms: 1000 },
      longTasks: tasks(cached),
    },
  );
  json.startup = { firstVisit: first, fromCache: cached };
}

async function size(browser: Browser, base: string, n: number) {
  const files = await orderFiles(join(flags.dir, 'data'), n, seed);
  log(
    `\n${n.toLocaleString('en')} orders: CSV ${(files.csvBytes / 2 ** 20).toFixed(0)} MiB, Parquet ${(files.parquetBytes / 2 ** 20).toFixed(0)} MiB` +
      (files.generateMs ? ` (written in ${files.generateMs.toFixed(0)} ms)` : ' (cached)'),
  );
  const native: NativeSize = await nativeSize(files, runs, flags.stepLimit * 1000);
  log(
    `  native: CSV ${native.ingestCsv.map(Math.round)} ms, Parquet ${native.ingestParquet.map(Math.round)} ms, steps ${JSON.stringify(native.steps, (_, v) => (typeof v === 'number' ? Math.round(v) : v))}`,
  );
  const record: Record<string, unknown> = { files, native };
  for (const [format, file, nativeTimes, target] of [
    ['CSV', files.csv, native.ingestCsv, { ms: n / 1000 }],
    ['Parquet', files.parquet, native.ingestParquet, undefined],
  ] as const) {
    const row: ReportRow = {
      rows: n,
      step: `ingest ${format} (file picker)`,
      native: nativeTimes,
      rate: true,
      target,
      targetLabel: target ? '≥ 1,000,000 rows/s' : undefined,
    };
    try {
      const figures = await repeat(`${format} ingest`, () =>
        ingest(browser, base, file, LOAD_TIMEOUT),
      );
      row.chromium = ms(figures);
      row.longTasks = tasks(figures);
      record[`ingest${format}`] = figures;
    } catch (error) {
      row.error = message(error);
      log(`  ${format} ingest failed: ${row.error}`);
    }
    rows.push(row);
  }

  let mapped: Awaited<ReturnType<typeof mappedPage>> | undefined;
  try {
    mapped = await mappedPage(browser, base, files.parquet, LOAD_TIMEOUT);
    log(`  mapping confirmed, overview shown after ${mapped.mappingMs.toFixed(0)} ms`);
    record.mapping = { chromium: mapped.mappingMs, longTasks: mapped.longTasks };
    rows.push({
      rows: n,
      step: 'confirm mapping (tab: until the overview shows its figures)',
      native: [native.mapping],
      chromium: [mapped.mappingMs],
      longTasks: mapped.longTasks,
    });
  } catch (error) {
    log(`  loading and mapping in the tab failed: ${message(error)}`);
    record.mappingError = message(error);
  }
  const steps: Record<string, TabFigure[] | string> = {};
  for (const { name, label } of STEPS) {
    const row: ReportRow = {
      rows: n,
      step: label,
      native: native.steps[name],
      target: analysisTarget(n),
    };
    const done = native.steps[name]?.length ?? 0;
    if (done && done < runs)
      row.nativeNote = `${done} of ${runs} runs; the next stopped at the ${flags.stepLimit} s limit`;
    if (native.errors[name]) {
      row.nativeError = native.errors[name];
      log(`  native ${name} failed: ${native.errors[name]}`);
    }
    if (!mapped) row.error = String(record.mappingError);
    else {
      try {
        const partial: { note?: string } = {};
        const figures = await repeat(
          name,
          () => tabStep(mapped.page, name, flags.stepLimit * 1000, STEP_TIMEOUT),
          partial,
        );
        row.note = partial.note;
        steps[name] = figures;
        row.chromium = ms(figures);
        row.longTasks = tasks(figures);
      } catch (error) {
        row.error = message(error);
        steps[name] = row.error;
        log(`  ${name} failed: ${row.error}`);
      }
    }
    rows.push(row);
  }
  record.steps = steps;
  await mapped?.context.close();
  (json.bySize as Record<number, unknown>)[n] = record;
}

async function training(browser: Browser, base: string) {
  log(`\nTraining on ${TRAIN_ROWS.toLocaleString('en')} customers × 30 features:`);
  const context = await freshContext(browser);
  const tab: Record<string, TabFigure[]> = {};
  try {
    const page = await context.newPage();
    await page.goto(new URL('?bench', base).href);
    await page.waitForFunction(() => '__retainBench' in window, null, { timeout: 60_000 });
    for (const kind of ['logistic', 'mlp'] as const) {
      tab[kind] = await repeat(kind, () => tabTrain(page, kind, `./${CHURN_FILE}`, STEP_TIMEOUT));
      const last = tab[kind].at(-1) as TabFigure & { backend?: string; auc?: number };
      log(`  ${kind} in the tab: tfjs backend ${last.backend}, test AUC ${last.auc?.toFixed(3)}`);
    }
  } finally {
    await context.close();
  }
  const node = await nativeTraining(TRAIN_ROWS, seed, runs);
  log(`  Node: ${JSON.stringify(node, (_, v) => (typeof v === 'number' ? Math.round(v) : v))}`);
  for (const [kind, target] of [
    ['logistic', 2000],
    ['mlp', 6000],
  ] as const) {
    rows.push({
      rows: TRAIN_ROWS,
      step: `train ${kind === 'mlp' ? 'MLP' : 'logistic regression'} (× 30 features, whole run)`,
      native: node[kind],
      chromium: ms(tab[kind]),
      target: { ms: target },
      longTasks: tasks(tab[kind]),
    });
  }
  json.training = { chromium: tab, node };
}

log(`Building the production app into ${dist}…`);
await buildApp(root, dist);
const bundle = await initialBundle(dist);
json.bundle = bundle;
if (!flags.skipTraining) await writeChurnIpc(join(dist, CHURN_FILE), TRAIN_ROWS, seed);
const server = await serve(root, dist);
const browser = await launch();
const chromiumVersion = browser.version();
json.bySize = {};
try {
  await startup(browser, server.url);
  // Training first: it does not depend on the sizes, and a long 10M run then keeps its figures.
  if (!flags.skipTraining) await training(browser, server.url);
  for (const n of flags.sizes) {
    try {
      await size(browser, server.url, n);
    } catch (error) {
      log(`  ${n.toLocaleString('en')} orders failed: ${message(error)}`);
      rows.push({ rows: n, step: 'the whole size', error: message(error) });
    }
    await report(false);
  }
} finally {
  json.chromium = browser.version();
  await browser.close();
  await server.close();
}

await report(true);
log(`Figures written to ${flags.out}.`);

/** Write the figures file (after each size too, so a long run keeps what it measured); print the table at the end. */
async function report(final: boolean) {
  const kb = bundle.brotli / 1000;
  const about = await machine(String(json.chromium ?? chromiumVersion));
  json.machine = about;
  json.table = rows;
  json.complete = final;
  const out = resolve(root, flags.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify(json, null, 2));
  // After each size only the file; the table once, at the end.
  if (!final) return log(`  (figures so far written to ${flags.out})`);
  log(`\n${machineLine(about)}`);
  log(
    `Median of ${runs} run(s); native = @duckdb/node-api (every core, in memory) and tfjs in Node (WASM backend); Chromium = the production build, DuckDB-WASM eh in its worker, database in OPFS.\n`,
  );
  for (const line of tableLines(rows)) log(line);
  log(
    `\nInitial JS+CSS (what index.html loads before any interaction, brotli 11): ${kb.toFixed(1)} KB in ${bundle.files.length} files; target ≤ 250 KB: ${kb <= 250 ? 'met' : `${(kb - 250).toFixed(1)} KB over`}.`,
  );
}
