/**
 * The benchmark's data: seeded synthetic orders written by native DuckDB as CSV and
 * Parquet, cached under the benchmark's folder by size and seed (a second run reuses
 * them), and the synthetic churn table (bench/churn-data.ts) as an Arrow IPC file the
 * tab can fetch.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import { churnData } from '../../bench/churn-data.ts';
import { NodeEngine } from '../../src/lib/engine/node.ts';
import { literal } from '../../src/lib/sql/quote.ts';

/**
 * Seeded synthetic orders: customers (one per six rows) arrive over 600 days from
 * 2022-01-01 and each buys within a personal lifetime of up to 400 days, after which
 * they drop out; a few buy once, many repeat. Four channels, 12 categories, 500
 * products, a discount code on one order in five. Every value is hash(row, salt + seed),
 * so each engine and each run builds identical data for one seed.
 */
export function generateSql(rows: number, seed: number): string {
  const customers = Math.max(1, Math.floor(rows / 6));
  const h = (x: string, salt: number) => `hash(${x}, ${salt + seed})`;
  const c = `(${h('r', 7)} % ${customers})`;
  return `SELECT CAST(${c} AS VARCHAR) AS customer_id,
       CAST(r AS VARCHAR) AS order_id,
       TIMESTAMP '2022-01-01'
         + to_days(CAST(${h(c, 11)} % 600 + ${h('r', 13)} % (1 + ${h(c, 17)} % 400) AS INTEGER))
         + to_seconds(CAST(${h('r', 19)} % 86400 AS INTEGER)) AS order_ts,
       round(5 + (${h('r', 23)} % 20000) / 100.0, 2)::DOUBLE AS amount,
       CAST(1 + ${h('r', 29)} % 4 AS DOUBLE) AS quantity,
       'P' || CAST(${h('r', 31)} % 500 AS VARCHAR) AS product,
       'C' || CAST(${h('r', 37)} % 12 AS VARCHAR) AS category,
       (['web', 'store', 'app', 'marketplace'])[1 + CAST(${h('r', 41)} % 4 AS INTEGER)] AS channel,
       CASE WHEN ${h('r', 43)} % 5 = 0 THEN 'SAVE10' END AS discount_code
FROM range(${rows}) t(r)`;
}

/** The two files of one size, and how big they are. */
export interface OrderFiles {
  rows: number;
  csv: string;
  parquet: string;
  csvBytes: number;
  parquetBytes: number;
  /** Milliseconds native DuckDB took to write both (0 when they were cached). */
  generateMs: number;
}

/**
 * The CSV and Parquet of `rows` orders in `<dir>/<rows>-s<seed>/` (the files are named
 * `sales.*` so the app's table is `sales`, not the reserved `orders`). Written to a
 * temporary name and renamed, so an interrupted run leaves no half file to reuse.
 */
export async function orderFiles(dir: string, rows: number, seed: number): Promise<OrderFiles> {
  const folder = join(dir, `${rows}-s${seed}`);
  const csv = join(folder, 'sales.csv');
  const parquet = join(folder, 'sales.parquet');
  let generateMs = 0;
  if (!existsSync(csv) || !existsSync(parquet)) {
    await mkdir(folder, { recursive: true });
    const engine = await NodeEngine.create();
    try {
      const start = performance.now();
      await engine.exec(`CREATE TABLE sales AS ${generateSql(rows, seed)}`);
      await engine.exec(`COPY sales TO ${literal(`${csv}.part`)} (FORMAT csv, HEADER)`);
      await engine.exec(`COPY sales TO ${literal(`${parquet}.part`)} (FORMAT parquet)`);
      generateMs = performance.now() - start;
    } finally {
      await engine.close();
    }
    await rename(`${csv}.part`, csv);
    await rename(`${parquet}.part`, parquet);
  }
  return {
    rows,
    csv,
    parquet,
    csvBytes: (await stat(csv)).size,
    parquetBytes: (await stat(parquet)).size,
    generateMs,
  };
}

/** The churn benchmark's table (n customers × 30 features) as Arrow IPC at `path`. */
export async function writeChurnIpc(path: string, n: number, seed: number) {
  const data = churnData(n, seed);
  await writeFile(path, tableToIPC(data.table, 'stream'));
  return data;
}
