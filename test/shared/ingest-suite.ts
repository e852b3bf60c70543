import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTables } from '../../src/lib/catalog/tables.ts';
import { toRows } from '../../src/lib/engine/rows.ts';
import { QueryCancelledError, type SqlEngine } from '../../src/lib/engine/types.ts';
import type { Decoders } from '../../src/lib/ingest/decoders.ts';
import { IngestError } from '../../src/lib/ingest/errors.ts';
import { fromBytes, type InputFile } from '../../src/lib/ingest/input.ts';
import { loadFile, type LoadOptions } from '../../src/lib/ingest/load.ts';
import { gzip, utf16le, utf8 } from '../support/bytes.ts';
import type { Dataset } from '../support/data.ts';

export interface IngestHarness {
  engine: () => Promise<SqlEngine>;
  /** Decoders for one load; the signal cancels it. */
  decoders: (signal?: AbortSignal) => Decoders;
  open: (dataset: Dataset) => Promise<InputFile>;
}

/**
 * Loading, run on both engines: native DuckDB in Node and DuckDB-WASM (with the
 * ingest worker) in Chromium. Expected figures come from the datasets' SOURCE.md.
 */
export function ingestSuite(label: string, harness: IngestHarness) {
  describe(`ingest: ${label}`, () => {
    let engine: SqlEngine;
    beforeAll(async () => {
      engine = await harness.engine();
    }, 60_000);
    afterAll(async () => engine?.close());

    const load = (input: InputFile, options: LoadOptions = {}, signal?: AbortSignal) =>
      loadFile(engine, harness.decoders(signal), input, options, { signal });
    const one = async (sql: string) => toRows(await engine.query(sql))[0];
    const all = async (sql: string) => toRows(await engine.query(sql));
    const text = (name: string, s: string) => fromBytes(name, utf8(s));
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => e,
      );

    describe('the shared datasets (figures from their SOURCE.md)', () => {
      it('Online Retail CSV: 541,909 rows, Σ Quantity×UnitPrice = 9,747,747.93', async () => {
        const result = await load(await harness.open('retailCsv'));
        expect(result.format).toBe('csv');
        expect(result.dialect).toMatchObject({ delimiter: ',', header: true, encoding: 'utf-8' });
        const [table] = result.tables;
        expect(table).toMatchObject({ name: 'online_retail', rows: 541_909 });
        expect(table.columns.map((c) => c.name)).toEqual([
          'InvoiceNo',
          'StockCode',
          'Description',
          'Quantity',
          'InvoiceDate',
          'UnitPrice',
          'CustomerID',
          'Country',
        ]);
        expect(table.columns.find((c) => c.name === 'InvoiceDate')?.type).toBe('TIMESTAMP');
        expect(
          await one(
            `SELECT round(sum(Quantity * UnitPrice), 2)::DOUBLE AS revenue, count(DISTINCT CustomerID)::INTEGER AS customers,
                    count(*) FILTER (WHERE CustomerID IS NULL)::INTEGER AS guests FROM online_retail`,
          ),
        ).toEqual({ revenue: 9_747_747.93, customers: 4_372, guests: 135_080 });
      });

      it('Online Retail Parquet: the same rows, invoices and revenue', async () => {
        const result = await load(await harness.open('retailParquet'));
        expect(result.format).toBe('parquet');
        expect(result.tables[0]).toMatchObject({ name: 'online_retail_2', rows: 541_909 });
        expect(result.tables[0].columns.find((c) => c.name === 'InvoiceDate')?.type).toBe(
          'TIMESTAMP',
        );
        expect(
          await one(
            `SELECT count(DISTINCT InvoiceNo)::INTEGER AS invoices, round(sum(Quantity * UnitPrice), 2)::DOUBLE AS revenue
             FROM online_retail_2`,
          ),
        ).toEqual({ invoices: 25_900, revenue: 9_747_747.93 });
      });

      it('Telco churn: 7,043 customers, 1,869 churned, blank TotalCharges kept as text', async () => {
        const [table] = (await load(await harness.open('telco'))).tables;
        expect(table.rows).toBe(7_043);
        expect(table.columns).toHaveLength(21);
        expect(
          await one(
            `SELECT count(*) FILTER (WHERE Churn)::INTEGER AS churned,
                    count(*) FILTER (WHERE TotalCharges = ' ')::INTEGER AS blank FROM ${table.name}`,
          ),
        ).toEqual({ churned: 1_869, blank: 11 });
      });

      it('CDNOW master: space-aligned with a header, IDs keep their leading zeros', async () => {
        const result = await load(await harness.open('cdnowMaster'));
        expect(result.dialect).toMatchObject({ delimiter: 'whitespace', header: true });
        const [table] = result.tables;
        expect(table.rows).toBe(69_659);
        expect(table.columns).toEqual([
          { name: 'customer_id', type: 'VARCHAR' },
          { name: 'date', type: 'BIGINT' },
          { name: 'number_of_cds', type: 'BIGINT' },
          { name: 'dollar_value', type: 'DOUBLE' },
        ]);
        expect(
          await one(
            `SELECT count(DISTINCT customer_id)::INTEGER AS n, min(customer_id) AS first,
                    count(*) FILTER (WHERE dollar_value = 0)::INTEGER AS zero FROM ${table.name}`,
          ),
        ).toEqual({ n: 23_570, first: '00001', zero: 80 });
      });

      it('CDNOW sample: no header, five columns, 2,357 customers', async () => {
        const result = await load(await harness.open('cdnowSample'));
        expect(result.dialect).toMatchObject({ delimiter: 'whitespace', header: false });
        const [table] = result.tables;
        expect(table.rows).toBe(6_919);
        expect(table.columns.map((c) => c.name)).toEqual([
          'column0',
          'column1',
          'column2',
          'column3',
          'column4',
        ]);
        expect(
          await one(`SELECT count(DISTINCT column1)::INTEGER AS n FROM ${table.name}`),
        ).toEqual({ n: 2_357 });
      });
    });

    describe('text files', () => {
      it('decodes Windows-1252 and UTF-16 files', async () => {
        // "José;€5" in Windows-1252: é = 0xE9, € = 0x80.
        const ansi = new Uint8Array([...utf8('name;price\nJos'), 0xe9, 0x3b, 0x80, 0x35, 0x0a]);
        const r1 = await load(fromBytes('ansi.csv', ansi));
        expect(r1.dialect?.encoding).toBe('windows-1252');
        expect(await all(`SELECT * FROM ${r1.tables[0].name}`)).toEqual([
          { name: 'José', price: '€5' },
        ]);
        const r2 = await load(fromBytes('wide.csv', utf16le('name,city\nJosé,München\n')));
        expect(r2.dialect?.encoding).toBe('utf-16le');
        expect(await all(`SELECT * FROM ${r2.tables[0].name}`)).toEqual([
          { name: 'José', city: 'München' },
        ]);
      });

      it('records where a table came from, with the file’s SHA-256 for provenance', async () => {
        const r = await load(text('tiny.csv', 'x\n1\n'));
        // Reference digest from `printf 'x\n1\n' | sha256sum`.
        expect(r.tables[0].source).toMatchObject({
          file: 'tiny.csv',
          format: 'csv',
          size: 4,
          sha256: 'daff832f802000e645771a60983c76c963f6ee602a6230e45237bd360e91cc1a',
        });
      });

      it('honours user overrides of the sniffed dialect', async () => {
        const r = await load(text('nohead.csv', 'a,b\nc,d\n'), { header: false });
        expect(r.tables[0].rows).toBe(2);
        expect(r.tables[0].columns.map((c) => c.name)).toEqual(['column0', 'column1']);
      });

      it('refuses ragged rows with their row numbers, then pads or skips them on request', async () => {
        const ragged = 'a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n';
        const error = await failure(load(text('ragged.csv', ragged)));
        expect(error).toBeInstanceOf(IngestError);
        expect((error as IngestError).problem).toMatch(
          /first row has 3, but row 3 has 2, row 4 has 4/,
        );
        expect((error as IngestError).retry.map((r) => r.options)).toEqual([
          { badRows: 'pad' },
          { badRows: 'skip' },
        ]);
        const skipped = await load(text('ragged.csv', ragged), { badRows: 'skip' });
        expect(skipped.tables[0].rows).toBe(2);
        expect(skipped.warnings.join()).toMatch(/Skipped 2 row/);
      });

      it('reads gzip-compressed CSV', async () => {
        const r = await load(fromBytes('orders.csv.gz', await gzip('id,amount\n1,2.5\n2,3\n')));
        expect(r.tables[0].rows).toBe(2);
      });
    });

    describe('bad input: a clear message, and earlier tables stay intact', () => {
      it.each([
        ['empty.csv', new Uint8Array(), /empty \(0 bytes\)/],
        ['blank.csv', utf8('\n\n  \n'), /no text/],
        ['header.csv', utf8('id,amount,date\n'), /header \(id, amount, date\) but no rows/],
        [
          'binary.csv',
          new Uint8Array([0x00, 0x01, 0x02, 0xff, 0x00, 0x13, 0x88, 0x00]),
          /binary data/,
        ],
        [
          'old.xls',
          new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
          /Excel 97–2003/,
        ],
        ['list.json', utf8('{"name": "not a list"}'), /single object, not a list/],
        ['cut.json', utf8('[{"a": 1}, {"a": '), /truncated/],
        ['bad.ndjson', utf8('{"a":1}\n{"a":\n'), /line 2/],
        ['cut.parquet', utf8('PAR1 this is not really parquet'), /damaged or truncated/],
      ])('%s', async (name, bytes, message) => {
        const before = (await listTables(engine)).map((t) => [t.name, t.rows]);
        const error = await failure(load(fromBytes(name, bytes)));
        expect(error).toBeInstanceOf(IngestError);
        const e = error as IngestError;
        expect(e.file).toBe(name);
        expect(`${e.problem} ${e.fix}`).toMatch(message);
        expect((await listTables(engine)).map((t) => [t.name, t.rows])).toEqual(before);
      });
    });

    it('says clearly when a file is too large for the memory it may use', async () => {
      // A separate engine with a small memory limit stands in for a file larger than the tab.
      const small = await harness.engine();
      try {
        await small.exec(`SET memory_limit = '16MB'`);
        const error = await failure(
          loadFile(small, harness.decoders(), await harness.open('retailCsv')),
        );
        expect(error).toBeInstanceOf(IngestError);
        expect((error as IngestError).problem).toMatch(/too large .* ran out of memory/);
        expect((error as IngestError).fix).toMatch(/smaller extract|Parquet/);
        expect(await listTables(small)).toEqual([]);
      } finally {
        await small.close();
      }
    });

    describe('JSON and Excel', () => {
      it('infers column types over all records, not the first few', async () => {
        const records = [
          ...Array.from({ length: 50 }, (_, i) => ({
            id: i,
            code: i,
            at: '2024-01-02T03:04:05Z',
            ok: true,
          })),
          { id: 50, code: 'X-1', at: '2024-01-03T00:00:00Z', ok: false, extra: { nested: [1, 2] } },
        ];
        const r = await load(text('records.json', JSON.stringify(records)));
        expect(r.tables[0].columns).toEqual([
          { name: 'id', type: 'BIGINT' },
          { name: 'code', type: 'VARCHAR' },
          { name: 'at', type: 'TIMESTAMP' },
          { name: 'ok', type: 'BOOLEAN' },
          { name: 'extra', type: 'VARCHAR' },
        ]);
        expect(await one(`SELECT extra, "at" FROM ${r.tables[0].name} WHERE id = 50`)).toEqual({
          extra: '{"nested":[1,2]}',
          at: new Date('2024-01-03T00:00:00Z'),
        });
      });

      it('reads records wrapped in an object, and NDJSON', async () => {
        const wrapped = await load(text('api.json', '{"meta":{"n":2},"data":[{"a":1},{"a":2}]}'));
        expect(wrapped.tables[0].rows).toBe(2);
        expect(wrapped.warnings[0]).toMatch(/"data" field/);
        const nd = await load(text('events.ndjson', '{"a":1}\n\n{"a":2,"b":"x"}\n'));
        expect(nd.tables[0].columns.map((c) => c.name)).toEqual(['a', 'b']);
      });

      it('loads each sheet of a workbook as its own table, dates intact', async () => {
        const book = XLSX.utils.book_new();
        XLSX.utils.book_append_sheet(
          book,
          XLSX.utils.aoa_to_sheet([
            ['Orders report'],
            ['order_id', 'customer', 'ordered_at', 'amount'],
            [1, 'A-01', new Date(Date.UTC(2024, 0, 31, 14, 30)), 12.5],
            [2, 'B-02', new Date(Date.UTC(2024, 1, 1, 9, 0)), 30],
          ]),
          'Orders',
        );
        XLSX.utils.book_append_sheet(
          book,
          XLSX.utils.aoa_to_sheet([
            ['customer', 'signup'],
            ['A-01', new Date(Date.UTC(2023, 11, 1))],
          ]),
          'Customers',
        );
        XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([]), 'Empty');
        const bytes = new Uint8Array(
          XLSX.write(book, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer,
        );
        const r = await load(fromBytes('Shop export.xlsx', bytes));
        expect(r.format).toBe('xlsx');
        expect(r.tables.map((t) => [t.name, t.rows])).toEqual([
          ['shop_export_customers', 1],
          ['shop_export_orders', 2],
        ]);
        expect(await all('SELECT * FROM shop_export_orders ORDER BY order_id')).toEqual([
          {
            order_id: 1,
            customer: 'A-01',
            ordered_at: new Date('2024-01-31T14:30:00Z'),
            amount: 12.5,
          },
          {
            order_id: 2,
            customer: 'B-02',
            ordered_at: new Date('2024-02-01T09:00:00Z'),
            amount: 30,
          },
        ]);
        expect(r.warnings.join()).toMatch(/skipped 1 title row/);
        expect(r.tables.find((t) => t.name === 'shop_export_customers')?.columns[1]).toEqual({
          name: 'signup',
          type: 'DATE',
        });
      });
    });

    describe('cancelling', () => {
      it('stops a CSV load through its AbortSignal and leaves no partial table', async () => {
        const controller = new AbortController();
        const loading = load(await harness.open('retailCsv'), {}, controller.signal);
        setTimeout(() => controller.abort(), 50);
        await expect(loading).rejects.toBeInstanceOf(QueryCancelledError);
        const names = (await listTables(engine)).map((t) => t.name);
        expect(names.filter((n) => n.startsWith('online_retail'))).toEqual([
          'online_retail',
          'online_retail_2',
        ]);
      });

      it('stops a Parquet load and leaves no partial table', async () => {
        const controller = new AbortController();
        const loading = load(await harness.open('retailParquet'), {}, controller.signal);
        setTimeout(() => controller.abort(), 30);
        await expect(loading).rejects.toBeInstanceOf(QueryCancelledError);
        const names = (await listTables(engine)).map((t) => t.name);
        expect(names.filter((n) => n.startsWith('online_retail'))).toEqual([
          'online_retail',
          'online_retail_2',
        ]);
      });
    });
  });
}
