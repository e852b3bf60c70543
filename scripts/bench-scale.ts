/**
 * npm run bench:scale [-- --sizes 100000,1000000,10000000,50000000 --memory-limit 2GB --threads 2 --dir /tmp/retain-scale]
 *
 * A benchmark, not a test: how `retain run` scales on native DuckDB. For each size it
 * writes seeded synthetic orders to Parquet (the generator of scripts/bench.ts), then
 * runs a notebook of the main analyses (KPI overview, monthly cohorts, RFM) through
 * the real command, `node bin/retain.mjs run`, with a DuckDB memory limit well below
 * the data size, so DuckDB has to spill to its temp directory. Recorded per size: load
 * time, time per analysis, the process's peak RSS (sampled from /proc every 100 ms and
 * the kernel's high-water mark), DuckDB's own peak and spilled bytes (duckdb_memory()).
 * Generated data stays under --dir (default /tmp/retain-scale), never in the repository;
 * figures go to bench/out/scale.json.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { NodeEngine } from '../src/lib/engine/node.ts';
import { literal } from '../src/lib/sql/quote.ts';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .flatMap((a, i, all) => (a.startsWith('--') ? [[a.slice(2), all[i + 1]]] : [])),
);
const sizes = (args.sizes ?? '100000,1000000,10000000,50000000').split(',').map(Number);
const memoryLimit = args['memory-limit'] ?? '2GB';
const threads = args.threads ?? '2';
const dir = args.dir ?? '/tmp/retain-scale';

/**
 * The same seeded orders as scripts/bench.ts (customers arrive over two years, each
 * with a lifetime; every value is hash(row, salt)), as a SELECT for COPY … TO parquet.
 */
function ordersSql(rows: number): string {
  const customers = Math.max(1, Math.floor(rows / 6));
  const c = `(hash(r, 7) % ${customers})`;
  return `SELECT CAST(${c} AS VARCHAR) AS customer_id,
       CAST(r AS VARCHAR) AS order_id,
       TIMESTAMP '2022-01-01'
         + to_days(CAST(hash(${c}, 11) % 600 + hash(r, 13) % (1 + hash(${c}, 17) % 400) AS INTEGER))
         + to_seconds(CAST(hash(r, 19) % 86400 AS INTEGER)) AS order_ts,
       round(5 + (hash(r, 23) % 20000) / 100.0, 2)::DOUBLE AS amount,
       CAST(1 + hash(r, 29) % 4 AS DOUBLE) AS quantity,
       'P' || CAST(hash(r, 31) % 500 AS VARCHAR) AS product,
       'C' || CAST(hash(r, 37) % 12 AS VARCHAR) AS category,
       (['web', 'store', 'app', 'marketplace'])[1 + CAST(hash(r, 41) % 4 AS INTEGER)] AS channel,
       CASE WHEN hash(r, 43) % 5 = 0 THEN 'SAVE10' END AS discount_code
FROM range(${rows}) t(r)`;
}

/** The notebook the benchmark runs: the three main analyses, as the app saves them. */
const notebook = {
  version: 1,
  id: 'bench-scale',
  title: 'Scale benchmark',
  createdAt: '2026-12-03T00:00:00Z',
  updatedAt: '2026-12-03T00:00:00Z',
  parameters: [],
  // Saved with the notebook, as the app does when asked: every role named, nothing proposed.
  mapping: {
    version: 1,
    tables: [
      {
        source: 'bench_orders',
        kind: 'orders',
        columns: Object.fromEntries(
          ['customer_id', 'order_id', 'order_ts', 'amount', 'quantity', 'product', 'category']
            .concat(['channel', 'discount_code'])
            .map((c) => [c, c]),
        ),
        parse: {},
        amount: 'column',
        include: { cancelled: false, nonPositive: false, duplicates: false },
        attributes: [],
      },
    ],
    currency: 'GBP',
    timeZone: 'UTC',
  },
  cells: [
    { id: 'kpis', kind: 'analysis', analysis: 'kpis', params: { period: 'month', windowDays: 90 } },
    { id: 'cohorts', kind: 'analysis', analysis: 'cohorts', params: { grain: 'month' } },
    { id: 'rfm', kind: 'analysis', analysis: 'rfm', params: {} },
  ],
};

async function generate(rows: number, file: string): Promise<number> {
  const engine = await NodeEngine.create({ memoryLimit, threads: Number(threads) });
  try {
    await engine.exec(`SET temp_directory = ${literal(join(dir, 'spill-generate'))}`);
    const started = performance.now();
    await engine.exec(
      `COPY (${ordersSql(rows)}) TO ${literal(file)} (FORMAT parquet, ROW_GROUP_SIZE 1000000)`,
    );
    return performance.now() - started;
  } finally {
    await engine.close();
  }
}

interface RunSummary {
  cells: { id: string; ms: number; error?: string }[];
  loadMs: number;
  totalMs: number;
  failed: number;
  memory: { peakRssBytes: number; duckdbPeakBytes: number; duckdbSpilledBytes: number };
  inputs: { rows: number }[];
}

/** Run the notebook through the real CLI, sampling the child's resident memory. */
function runNotebook(
  notebookFile: string,
  data: string,
  out: string,
  spill: string,
): Promise<{ summary: RunSummary; sampledPeakRss: number; wallMs: number }> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [
        'bin/retain.mjs',
        'run',
        notebookFile,
        '--data',
        data,
        '--out',
        out,
        '--memory-limit',
        memoryLimit,
        '--threads',
        threads,
        '--temp-dir',
        spill,
        '--no-parquet',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } },
    );
    let stdout = '';
    let stderr = '';
    let peak = 0;
    const sample = async () => {
      try {
        const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
        for (const key of ['VmRSS', 'VmHWM']) {
          const kb = Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
          peak = Math.max(peak, kb * 1024);
        }
      } catch {
        // the process has just exited
      }
    };
    const timer = setInterval(() => void sample(), 100);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0) {
        reject(new Error(`retain run exited with ${code}: ${stderr.slice(-2000)}`));
        return;
      }
      resolvePromise({
        summary: JSON.parse(stdout) as RunSummary,
        sampledPeakRss: peak,
        wallMs: performance.now() - started,
      });
    });
  });
}

const gib = (bytes: number) => (bytes / 2 ** 30).toFixed(2);

await mkdir(dir, { recursive: true });
await mkdir('bench/out', { recursive: true });
const notebookFile = join(dir, 'bench-scale.retain.json');
await writeFile(notebookFile, JSON.stringify(notebook));
const results = [];
for (const rows of sizes) {
  // One folder per size and one file name, so the table is always bench_orders, as mapped.
  await mkdir(join(dir, String(rows)), { recursive: true });
  const file = join(dir, String(rows), 'bench_orders.parquet');
  const generateMs = await generate(rows, file);
  const parquetBytes = (await stat(file)).size;
  const spill = join(dir, `spill-${rows}`);
  const { summary, sampledPeakRss, wallMs } = await runNotebook(
    notebookFile,
    file,
    join(dir, `out-${rows}`),
    spill,
  );
  const ms = (id: string) => summary.cells.find((c) => c.id === id)?.ms ?? null;
  const result = {
    rows,
    parquetBytes,
    generateMs: Math.round(generateMs),
    loadMs: summary.loadMs,
    kpisMs: ms('kpis'),
    cohortsMs: ms('cohorts'),
    rfmMs: ms('rfm'),
    totalMs: summary.totalMs,
    wallMs: Math.round(wallMs),
    peakRssBytes: Math.max(sampledPeakRss, summary.memory.peakRssBytes),
    duckdbPeakBytes: summary.memory.duckdbPeakBytes,
    duckdbSpilledBytes: summary.memory.duckdbSpilledBytes,
    failed: summary.failed,
  };
  results.push(result);
  console.log(
    `${rows.toLocaleString('en')} rows (${gib(parquetBytes)} GiB Parquet): load ${result.loadMs} ms, ` +
      `KPIs ${result.kpisMs} ms, cohorts ${result.cohortsMs} ms, RFM ${result.rfmMs} ms, ` +
      `whole run ${result.wallMs} ms; peak RSS ${gib(result.peakRssBytes)} GiB, ` +
      `DuckDB peak ${gib(result.duckdbPeakBytes)} GiB, spilled ${gib(result.duckdbSpilledBytes)} GiB`,
  );
  await rm(spill, { recursive: true, force: true });
  await writeFile(
    'bench/out/scale.json',
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { cpus: cpus().length, memoryBytes: totalmem(), node: process.version },
        memoryLimit,
        threads: Number(threads),
        results,
      },
      null,
      2,
    ),
  );
}
