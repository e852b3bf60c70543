/**
 * npm run bench [-- --sizes 1000000,10000000 --runs 3]
 *
 * A benchmark, not a test: generates seeded, repeatable synthetic orders (customers
 * with repeat purchases and drop-out, channels, categories, discounts) at each size,
 * then times the built-in analyses with the app's own SQL on native DuckDB
 * (@duckdb/node-api) and on DuckDB-WASM (the same wasm the browser runs, here through
 * its Node bindings, single-threaded, without the browser's worker hop), and prints
 * medians with the WASM/native ratio. Figures go to bench/out/bench.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, totalmem } from 'node:os';
import { createDuckDB, NODE_RUNTIME, VoidLogger } from '@duckdb/duckdb-wasm/blocking';
import type { Table } from 'apache-arrow';
import { cohortAnalysis } from '../src/lib/analyses/cohorts.ts';
import { kpiSummary } from '../src/lib/analyses/kpis.ts';
import { rfm } from '../src/lib/analyses/rfm.ts';
import { NodeEngine } from '../src/lib/engine/node.ts';
import type { EngineInfo, QueryOptions, SqlEngine } from '../src/lib/engine/types.ts';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .flatMap((a, i, all) => (a.startsWith('--') ? [[a.slice(2), all[i + 1]]] : [])),
);
const sizes = (args.sizes ?? '1000000,10000000').split(',').map(Number);
const runs = Number(args.runs ?? 3);

/** DuckDB-WASM through its synchronous Node bindings, behind the app's engine interface. */
async function wasmEngine(): Promise<SqlEngine> {
  const require = createRequire(import.meta.url);
  const dist = require
    .resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm')
    .replace(/duckdb-eh\.wasm$/, '');
  const db = await createDuckDB(
    {
      mvp: {
        mainModule: `${dist}duckdb-mvp.wasm`,
        mainWorker: `${dist}duckdb-node-mvp.worker.cjs`,
      },
      eh: { mainModule: `${dist}duckdb-eh.wasm`, mainWorker: `${dist}duckdb-node-eh.worker.cjs` },
    },
    new VoidLogger(),
    NODE_RUNTIME,
  );
  await db.instantiate();
  db.open({});
  const conn = db.connect();
  conn.query('SET autoload_known_extensions = false');
  const info: EngineInfo = { name: 'duckdb-wasm', version: db.getVersion(), persistent: false };
  const query = async (sql: string, options: QueryOptions = {}): Promise<Table> => {
    if (options.params?.length) {
      const statement = conn.prepare(sql);
      try {
        return statement.query(...options.params) as Table;
      } finally {
        statement.close();
      }
    }
    return conn.query(sql) as Table;
  };
  return {
    info,
    capabilities: { readParquet: false, readJson: false },
    query,
    exec: async (sql, options) => void (await query(sql, options)),
    registerFile: async () => {
      throw new Error('not used by the benchmark');
    },
    dropFile: async () => undefined,
    insertArrow: async () => undefined,
    cancel: async () => undefined,
    checkpoint: async () => undefined,
    close: async () => {
      conn.close();
      db.reset();
    },
  };
}

/**
 * Seeded synthetic orders: customers arrive over two years, each with a lifetime
 * after which they stop buying; every value comes from hash(row, salt), so both
 * engines build identical data.
 */
function generateSql(rows: number): string {
  const customers = Math.max(1, Math.floor(rows / 6));
  const c = `(hash(r, 7) % ${customers})`;
  return `CREATE OR REPLACE TABLE orders AS
SELECT CAST(${c} AS VARCHAR) AS customer_id,
       CAST(r AS VARCHAR) AS order_id,
       TIMESTAMP '2022-01-01'
         + to_days(CAST(hash(${c}, 11) % 600 + hash(r, 13) % (1 + hash(${c}, 17) % 400) AS INTEGER))
         + to_seconds(CAST(hash(r, 19) % 86400 AS INTEGER)) AS order_ts,
       round(5 + (hash(r, 23) % 20000) / 100.0, 2)::DOUBLE AS amount,
       CAST(1 + hash(r, 29) % 4 AS DOUBLE) AS quantity,
       NULL::DOUBLE AS unit_price,
       'P' || CAST(hash(r, 31) % 500 AS VARCHAR) AS product,
       'C' || CAST(hash(r, 37) % 12 AS VARCHAR) AS category,
       (['web', 'store', 'app', 'marketplace'])[1 + CAST(hash(r, 41) % 4 AS INTEGER)] AS channel,
       CASE WHEN hash(r, 43) % 5 = 0 THEN 'SAVE10' END AS discount_code,
       NULL::VARCHAR AS status
FROM range(${rows}) t(r)`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(task: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await task();
  return performance.now() - start;
}

const analyses: [string, (e: SqlEngine) => Promise<unknown>][] = [
  ['KPI summary', (e) => kpiSummary(e, { windowDays: 90 })],
  ['cohorts (month)', (e) => cohortAnalysis(e, { grain: 'month' })],
  ['RFM', (e) => rfm(e)],
];

interface Row {
  rows: number;
  step: string;
  native: number;
  wasm: number;
}

const results: Row[] = [];
for (const rows of sizes) {
  const engines = { native: await NodeEngine.create(), wasm: await wasmEngine() };
  const generate: Record<string, number> = {};
  for (const [name, engine] of Object.entries(engines)) {
    generate[name] = await time(() => engine.exec(generateSql(rows)));
  }
  results.push({ rows, step: 'generate orders', native: generate.native, wasm: generate.wasm });
  for (const [step, run] of analyses) {
    const figures: Record<string, number> = {};
    for (const [name, engine] of Object.entries(engines)) {
      const times = [];
      for (let i = 0; i < runs; i++) times.push(await time(() => run(engine)));
      figures[name] = median(times);
    }
    results.push({ rows, step, native: figures.native, wasm: figures.wasm });
    console.log(
      `${rows.toLocaleString('en')} rows · ${step}: native ${figures.native.toFixed(0)} ms, wasm ${figures.wasm.toFixed(0)} ms`,
    );
  }
  for (const engine of Object.values(engines)) await engine.close();
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(
  `\nMachine: ${machine}; median of ${runs} runs; WASM = DuckDB-WASM via its Node bindings (single thread).\n`,
);
console.log('| rows | step | native (ms) | WASM (ms) | WASM / native |');
console.log('|---:|---|---:|---:|---:|');
for (const r of results) {
  console.log(
    `| ${r.rows.toLocaleString('en')} | ${r.step} | ${r.native.toFixed(0)} | ${r.wasm.toFixed(0)} | ${(r.wasm / r.native).toFixed(1)} |`,
  );
}
await mkdir('bench/out', { recursive: true });
await writeFile(
  'bench/out/bench.json',
  JSON.stringify({ machine, runs, date: new Date().toISOString(), results }, null, 2),
);
