import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toRows } from '../../src/lib/engine/rows.ts';
import type { SqlEngine } from '../../src/lib/engine/types.ts';
import { loadFile } from '../../src/lib/ingest/load.ts';
import { detectMapping } from '../../src/lib/schema/detect.ts';
import type { Mapping, TableMapping } from '../../src/lib/schema/mapping.ts';
import { validateMapping } from '../../src/lib/schema/validate.ts';
import { applyMapping, exclusionCounts, loadMapping } from '../../src/lib/schema/views.ts';
import { ident } from '../../src/lib/sql/quote.ts';
import type { Dataset } from '../support/data.ts';
import type { IngestHarness } from './ingest-suite.ts';

/**
 * The retention data model on the shared datasets, on both engines: detection,
 * exclusions and canonical views give the figures published in their SOURCE.md.
 */
export function modelSuite(label: string, harness: IngestHarness) {
  describe(`data model: ${label}`, () => {
    let engine: SqlEngine;
    beforeAll(async () => {
      engine = await harness.engine();
    }, 60_000);
    afterAll(async () => engine?.close());

    const one = async (sql: string) => toRows(await engine.query(sql))[0];
    const load = async (dataset: Dataset) =>
      (await loadFile(engine, harness.decoders(), await harness.open(dataset))).tables[0].name;
    const mappingOf = (...tables: TableMapping[]): Mapping => ({
      version: 1,
      tables,
      currency: 'GBP',
      timeZone: 'UTC',
    });

    describe('Online Retail through the detected mapping (figures from its SOURCE.md)', () => {
      let tm: TableMapping;
      beforeAll(async () => {
        const table = await load('retailCsv');
        const { proposal } = await detectMapping(engine, table);
        tm = proposal!.mapping;
      });

      it('is recognised as orders, amount = Quantity × UnitPrice, cancellations by the C prefix', () => {
        expect(tm.kind).toBe('orders');
        expect(tm.columns).toMatchObject({
          customer_id: 'CustomerID',
          order_ts: 'InvoiceDate',
          order_id: 'InvoiceNo',
          quantity: 'Quantity',
          unit_price: 'UnitPrice',
        });
        expect(tm.amount).toBe('product');
        expect(tm.cancellation).toEqual({ kind: 'prefix', column: 'InvoiceNo', prefix: 'C' });
      });

      it('gives the published counts of every kind of row and the clean subset', async () => {
        const problems = await validateMapping(engine, mappingOf(tm));
        expect(problems.filter((p) => p.fatal)).toEqual([]);
        await applyMapping(engine, mappingOf(tm));
        expect(
          await one(`SELECT count(*)::INTEGER AS rows,
                   count(*) FILTER (WHERE exclusion = 'missing_customer')::INTEGER AS guests,
                   count(*) FILTER (WHERE is_cancelled)::INTEGER AS cancellations,
                   count(DISTINCT customer_id)::INTEGER AS customers,
                   round(sum(amount), 2)::DOUBLE AS revenue
                 FROM orders_all`),
        ).toEqual({
          rows: 541_909,
          guests: 135_080,
          cancellations: 9_288,
          customers: 4_372,
          revenue: 9_747_747.93,
        });
        expect(
          await one(`SELECT count(*)::INTEGER AS rows, count(DISTINCT customer_id)::INTEGER AS customers,
                   count(DISTINCT order_id)::INTEGER AS invoices, round(sum(amount), 2)::DOUBLE AS revenue FROM orders`),
        ).toEqual({ rows: 397_884, customers: 4_338, invoices: 18_532, revenue: 8_911_407.9 });
      });

      it('counts each exclusion so nothing is dropped silently', async () => {
        const counts = await exclusionCounts(engine, tm, 'UTC');
        expect(counts.total).toBe(541_909);
        expect(counts.counted).toBe(397_884);
        expect(counts.reasons.missing_customer).toBe(135_080);
        const excluded = Object.values(counts.reasons).reduce((a, b) => a + (b ?? 0), 0);
        // With duplicates counted as a reason here, every row is either counted or has one reason.
        expect(counts.total - excluded).toBe(397_884 - (counts.reasons.duplicate ?? 0));
      });

      it('keeps the mapping in the database for the next session', async () => {
        expect((await loadMapping(engine))?.tables[0].source).toBe(tm.source);
      });
    });

    describe('exact duplicates', () => {
      const orders = (source: string): TableMapping => ({
        source,
        kind: 'orders',
        columns: { customer_id: 'customer', order_ts: 'ts', amount: 'amount' },
        parse: {},
        amount: 'column',
        include: { cancelled: false, nonPositive: false, duplicates: false },
        attributes: [],
      });

      it('a row is a copy only of an earlier row equal in every column, blanks included', async () => {
        // Rows 2 and 5 repeat row 1 (note NULL in all three); row 3 differs only in its
        // note; row 6 repeats row 4; row 7 differs from row 4 only in its amount.
        await engine.exec(`CREATE OR REPLACE TABLE dup_src AS SELECT * FROM (VALUES
          ('a', TIMESTAMP '2024-01-01 10:00:00', 10.0, NULL),
          ('a', TIMESTAMP '2024-01-01 10:00:00', 10.0, NULL),
          ('a', TIMESTAMP '2024-01-01 10:00:00', 10.0, 'gift'),
          ('b', TIMESTAMP '2024-01-02 09:30:00', 5.0, NULL),
          ('a', TIMESTAMP '2024-01-01 10:00:00', 10.0, NULL),
          ('b', TIMESTAMP '2024-01-02 09:30:00', 5.0, NULL),
          ('b', TIMESTAMP '2024-01-02 09:30:00', 5.5, NULL)) AS t(customer, ts, amount, note)`);
        await applyMapping(engine, mappingOf(orders('dup_src')));
        const rows = toRows(
          await engine.query(
            `SELECT source_row::INTEGER AS r, is_duplicate AS d, exclusion AS e FROM orders_all ORDER BY source_row`,
          ),
        );
        expect(rows.filter((r) => r.d).map((r) => r.r)).toEqual([2, 5, 6]);
        expect(rows.filter((r) => r.e === 'duplicate').map((r) => r.r)).toEqual([2, 5, 6]);
        const counts = await exclusionCounts(engine, orders('dup_src'), 'UTC');
        expect(counts).toMatchObject({ total: 7, counted: 4, reasons: { duplicate: 3 } });
        const kept = await exclusionCounts(
          engine,
          {
            ...orders('dup_src'),
            include: { cancelled: false, nonPositive: false, duplicates: true },
          },
          'UTC',
        );
        expect(kept).toMatchObject({ total: 7, counted: 7, reasons: { duplicate: 3 } });
      });

      it('Online Retail: as many copies as rows beyond its distinct rows', async () => {
        const table = await load('retailCsv');
        const { proposal } = await detectMapping(engine, table);
        await applyMapping(engine, mappingOf(proposal!.mapping));
        const raw = await one(
          `SELECT (count(*) - (SELECT count(*) FROM (SELECT DISTINCT * FROM ${ident(table)})))::INTEGER AS n FROM ${ident(table)}`,
        );
        const flagged = await one(
          `SELECT count(*) FILTER (WHERE is_duplicate)::INTEGER AS n FROM orders_all`,
        );
        expect(flagged.n).toBe(raw.n);
        expect(flagged.n).toBeGreaterThan(0);
      });
    });

    describe('Telco churn and CDNOW through the detected mapping', () => {
      it('Telco is a customers table: churn label, tenure, charges; blank TotalCharges read as missing', async () => {
        const table = await load('telco');
        const { proposal } = await detectMapping(engine, table);
        const tm = proposal!.mapping;
        expect(tm.kind).toBe('customers');
        expect(tm.columns).toMatchObject({
          customer_id: 'customerID',
          churned: 'Churn',
          tenure_months: 'tenure',
          recurring_revenue: 'MonthlyCharges',
          total_spend: 'TotalCharges',
          plan: 'Contract',
        });
        const problems = await validateMapping(engine, mappingOf(tm));
        expect(problems).toEqual([]);
        await applyMapping(engine, mappingOf(tm));
        expect(
          await one(`SELECT count(*)::INTEGER AS customers, count(*) FILTER (WHERE churned)::INTEGER AS churned,
                   count(*) FILTER (WHERE total_spend IS NULL)::INTEGER AS no_spend,
                   count(*) FILTER (WHERE attr_internet_service = 'Fiber optic')::INTEGER AS fiber FROM customers`),
        ).toMatchObject({ customers: 7_043, churned: 1_869, no_spend: 11 });
      });

      it('CDNOW: YYYYMMDD dates, 23,570 customers of the first quarter of 1997', async () => {
        const table = await load('cdnowMaster');
        const { proposal } = await detectMapping(engine, table);
        const tm = proposal!.mapping;
        expect(tm.columns).toMatchObject({
          customer_id: 'customer_id',
          order_ts: 'date',
          amount: 'dollar_value',
        });
        expect(tm.parse.order_ts).toEqual({ date: '%Y%m%d' });
        await applyMapping(
          engine,
          mappingOf({ ...tm, include: { ...tm.include, nonPositive: true } }),
        );
        expect(
          await one(`SELECT count(*)::INTEGER AS rows, count(DISTINCT customer_id)::INTEGER AS customers,
                   min(order_ts) AS first, max(order_ts) AS last FROM orders`),
        ).toEqual({
          rows: 69_659,
          customers: 23_570,
          first: new Date('1997-01-01T00:00:00Z'),
          last: new Date('1998-06-30T00:00:00Z'),
        });
      });

      it('CDNOW sample without a header: the columns are recognised by their values', async () => {
        const table = await load('cdnowSample');
        const { proposal } = await detectMapping(engine, table);
        expect(proposal?.mapping.kind).toBe('orders');
        expect(proposal?.mapping.columns).toMatchObject({
          customer_id: 'column0',
          order_ts: 'column2',
          amount: 'column4',
        });
      });
    });
  });
}
