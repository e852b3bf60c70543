import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toRows } from '../../src/lib/engine/rows.ts';
import { QueryCancelledError, SqlError, type SqlEngine } from '../../src/lib/engine/types.ts';
import { ident, literal } from '../../src/lib/sql/quote.ts';

/**
 * The engine contract, run against both adapters: native DuckDB in Node
 * (test/unit) and DuckDB-WASM in Chromium (test/browser).
 */
export function engineSuite(label: string, create: () => Promise<SqlEngine>) {
  describe(`SqlEngine contract: ${label}`, () => {
    let engine: SqlEngine;
    beforeAll(async () => {
      engine = await create();
    }, 60_000);
    afterAll(async () => {
      await engine?.close();
    });

    it('returns Arrow results with engine-independent values once normalised', async () => {
      const table = await engine.query(`
        SELECT 42::BIGINT AS big, 1.25::DECIMAL(10,2) AS dec, 'x''y' AS txt, NULL::INTEGER AS nothing,
               TRUE AS flag, DATE '2011-12-09' AS day, TIMESTAMP '2011-12-09 12:50:00' AS ts,
               3.5::DOUBLE AS dbl`);
      expect(table.numRows).toBe(1);
      const [row] = toRows(table);
      expect(row).toEqual({
        big: 42,
        dec: 1.25,
        txt: "x'y",
        nothing: null,
        flag: true,
        day: new Date('2011-12-09T00:00:00Z'),
        ts: new Date('2011-12-09T12:50:00Z'),
        dbl: 3.5,
      });
    });

    it('binds parameters as values, never as SQL text', async () => {
      const hostile = "Robert'); DROP TABLE students; --";
      const table = await engine.query('SELECT ?::VARCHAR AS v, ?::INTEGER + 1 AS n', {
        params: [hostile, 41],
      });
      expect(toRows(table)).toEqual([{ v: hostile, n: 42 }]);
    });

    it('reports SQL errors with DuckDB’s error class and the statement', async () => {
      const error = await engine.query('SELECT * FROM no_such_table').catch((e) => e);
      expect(error).toBeInstanceOf(SqlError);
      expect(error.kind).toBe('Catalog Error');
      expect(error.sql).toContain('no_such_table');
      // The engine is still usable afterwards.
      expect(toRows(await engine.query('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
    });

    it('reads a registered file with read_csv', async () => {
      const csv = 'id,amount\n1,10.5\n2,20\n3,\n';
      const ref = await engine.registerFile('suite.csv', new TextEncoder().encode(csv));
      const table = await engine.query(
        `SELECT count(*)::INTEGER AS n, sum(amount)::DOUBLE AS total FROM read_csv(${literal(ref)})`,
      );
      expect(toRows(table)).toEqual([{ n: 3, total: 30.5 }]);
      await engine.dropFile('suite.csv');
    });

    it('creates and appends tables from Arrow IPC streams', async () => {
      const part = (ids: number[]) =>
        tableToIPC(
          tableFromArrays({ id: Int32Array.from(ids), name: ids.map((i) => `n${i}`) }),
          'stream',
        );
      await engine.insertArrow('suite_arrow', part([1, 2]), { create: true });
      await engine.insertArrow('suite_arrow', part([3]), { create: false });
      const rows = toRows(
        await engine.query(`SELECT id, name FROM ${ident('suite_arrow')} ORDER BY id`),
      );
      expect(rows).toEqual([
        { id: 1, name: 'n1' },
        { id: 2, name: 'n2' },
        { id: 3, name: 'n3' },
      ]);
    });

    it('runs concurrent statements one at a time, each with its own result', async () => {
      const results = await Promise.all(
        [1, 2, 3, 4].map((i) => engine.query(`SELECT ${i} * 10 AS v`)),
      );
      expect(results.map((t) => toRows(t)[0].v)).toEqual([10, 20, 30, 40]);
    });

    it('cancels a running query through its AbortSignal and stays usable', async () => {
      const controller = new AbortController();
      const slow = engine.query(
        'SELECT sum(hash(a.range * b.range))::DOUBLE AS s FROM range(200000) a, range(200000) b',
        { signal: controller.signal },
      );
      setTimeout(() => controller.abort(), 300);
      await expect(slow).rejects.toBeInstanceOf(QueryCancelledError);
      expect(toRows(await engine.query('SELECT 2 AS two'))).toEqual([{ two: 2 }]);
    });

    it('never starts a query whose signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(
        engine.exec('CREATE TABLE must_not_exist AS SELECT 1', { signal: controller.signal }),
      ).rejects.toBeInstanceOf(QueryCancelledError);
      const rows = toRows(
        await engine.query(
          `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'must_not_exist'`,
        ),
      );
      expect(rows).toEqual([{ n: 0 }]);
    });

    it('never autoloads extensions from the network', async () => {
      const rows = toRows(
        await engine.query(
          `SELECT current_setting('autoload_known_extensions') AS autoload,
                  current_setting('autoinstall_known_extensions') AS autoinstall`,
        ),
      );
      expect(rows).toEqual([{ autoload: false, autoinstall: false }]);
    });
  });
}
