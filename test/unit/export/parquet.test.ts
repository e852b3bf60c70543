import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import type * as esmParquet from 'parquet-wasm/esm';
import type * as nodeParquet from 'parquet-wasm/node';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { NodeEngine } from '../../../src/lib/engine/node.ts';
import { toRows } from '../../../src/lib/engine/rows.ts';
import {
  PROVENANCE_KEY,
  toParquet,
  type ParquetWriterModule,
} from '../../../src/lib/export/parquet.ts';
import { createProvenance } from '../../../src/lib/export/provenance.ts';
import { literal } from '../../../src/lib/sql/quote.ts';

const at = [Date.UTC(2024, 0, 2, 3, 4, 5, 678), null, Date.UTC(1999, 11, 31, 23, 59, 59)];

/** Built directly with apache-arrow 17, independently of any engine. */
function fixture(): arrow.Table {
  return new arrow.Table({
    n: arrow.vectorFromArray([1, 2, 3], new arrow.Int32()),
    id: arrow.vectorFromArray([7, null, -12], new arrow.Int32()),
    big: arrow.vectorFromArray([9007199254740991n, -1n, null], new arrow.Int64()),
    amount: arrow.vectorFromArray([1.5, null, -2.25], new arrow.Float64()),
    name: arrow.vectorFromArray(['plain', null, 'ü, "quoted"'], new arrow.Utf8()),
    at: arrow.vectorFromArray(at, new arrow.TimestampMillisecond()),
  });
}

const provenance = createProvenance({
  version: '0.1.0',
  inputs: [{ file: 'orders.csv', size: 3, sha256: 'ab'.repeat(32), rows: 3, table: 'orders' }],
  parameters: { months: 12 },
  now: new Date(Date.UTC(2024, 4, 1)),
});

describe('toParquet', () => {
  let pq: typeof import('parquet-wasm');
  let bytes: Uint8Array;

  beforeAll(async () => {
    pq = await import('parquet-wasm');
    bytes = toParquet(pq, arrow.tableToIPC(fixture(), 'stream'), { provenance });
  });

  it('accepts both the Node and the browser builds of parquet-wasm', () => {
    expectTypeOf<typeof nodeParquet>().toExtend<ParquetWriterModule>();
    expectTypeOf<typeof esmParquet>().toExtend<ParquetWriterModule>();
  });

  it('writes a Parquet file (PAR1 magic at both ends)', () => {
    const magic = [0x50, 0x41, 0x52, 0x31];
    expect(Array.from(bytes.slice(0, 4))).toEqual(magic);
    expect(Array.from(bytes.slice(-4))).toEqual(magic);
  });

  it('reads back with parquet-wasm: same types, values and nulls', () => {
    const back = arrow.tableFromIPC(pq.readParquet(bytes).intoIPCStream());
    expect(back.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'n:Int32',
      'id:Int32',
      'big:Int64',
      'amount:Float64',
      'name:Utf8',
      'at:Timestamp<MILLISECOND>',
    ]);
    expect(back.getChild('big')?.get(0)).toBe(9007199254740991n);
    expect(toRows(back)).toEqual([
      { n: 1, id: 7, big: 9007199254740991, amount: 1.5, name: 'plain', at: new Date(at[0]!) },
      { n: 2, id: null, big: -1, amount: null, name: null, at: null },
      { n: 3, id: -12, big: null, amount: -2.25, name: 'ü, "quoted"', at: new Date(at[2]!) },
    ]);
  });

  it('compresses with each codec and still reads back', () => {
    for (const compression of ['snappy', 'zstd', 'uncompressed'] as const) {
      const out = toParquet(pq, arrow.tableToIPC(fixture(), 'stream'), { compression });
      expect(pq.readParquet(out).intoIPCStream().length).toBeGreaterThan(0);
    }
  });

  describe('read by native DuckDB', () => {
    let engine: NodeEngine;
    let dir: string;
    let path: string;

    beforeAll(async () => {
      engine = await NodeEngine.create();
      dir = await mkdtemp(join(tmpdir(), 'retain-parquet-'));
      path = join(dir, 'export.parquet');
      await writeFile(path, bytes);
    });
    afterAll(async () => {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('keeps the column types', async () => {
      const t = await engine.query(
        `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${literal(path)}))`,
      );
      expect(toRows(t)).toEqual([
        { column_name: 'n', column_type: 'INTEGER' },
        { column_name: 'id', column_type: 'INTEGER' },
        { column_name: 'big', column_type: 'BIGINT' },
        { column_name: 'amount', column_type: 'DOUBLE' },
        { column_name: 'name', column_type: 'VARCHAR' },
        { column_name: 'at', column_type: 'TIMESTAMP' },
      ]);
    });

    it('keeps the values and nulls', async () => {
      const t = await engine.query(
        `SELECT id, big::DOUBLE AS big, amount, name, epoch_ms("at")::DOUBLE AS at_ms
         FROM read_parquet(${literal(path)}) ORDER BY n`,
      );
      expect(toRows(t)).toEqual([
        { id: 7, big: 9007199254740991, amount: 1.5, name: 'plain', at_ms: at[0] },
        { id: null, big: -1, amount: null, name: null, at_ms: null },
        { id: -12, big: null, amount: -2.25, name: 'ü, "quoted"', at_ms: at[2] },
      ]);
    });

    it('carries the provenance stamp as key-value metadata', async () => {
      const t = await engine.query(
        `SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata(${literal(path)})`,
      );
      const stamp = toRows(t).find((r) => r.key === PROVENANCE_KEY);
      expect(JSON.parse(String(stamp?.value))).toEqual(provenance);
      const meta = await engine.query(
        `SELECT created_by FROM parquet_file_metadata(${literal(path)})`,
      );
      expect(toRows(meta)[0].created_by).toBe('Retain 0.1.0');
    });
  });
});
