import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  qualityReport,
  type ExampleRows,
  type QualityReport,
} from '../../src/lib/analyses/quality.ts';
import type { Cell } from '../../src/lib/engine/rows.ts';
import type { SqlEngine } from '../../src/lib/engine/types.ts';

/** Run on both engines: native DuckDB (test/unit) and DuckDB-WASM (test/browser). */
export function qualitySuite(create: () => Promise<SqlEngine>) {
  /**
   * Hand-made fixtures. The raw table and the canonical tables are independent
   * (tests create the canonical views as plain tables); every expected count is
   * worked out by hand in the comments beside the rows.
   */
  const RAW = `
CREATE TABLE raw_orders (invoice VARCHAR, customer VARCHAR, amount DOUBLE, note VARCHAR);
INSERT INTO raw_orders VALUES
  ('A1', 'c1', 10, 'x'),     -- 1
  ('A1', 'c1', 10, 'x'),     -- 2: repeats 1
  ('A1', 'c1', 10, 'x'),     -- 3: repeats 1  → 3 identical rows = 2 duplicates
  ('A2', '', 20, NULL),      -- 4: customer empty, note NULL
  ('A3', '  ', 30, 'y'),     -- 5: customer only spaces
  ('A4', NULL, NULL, 'z'),   -- 6: customer NULL, amount NULL
  ('A5', 'c2', 40, chr(9) || ' ');  -- 7: note is a tab and a space
`;

  const ORDERS_ALL = `
CREATE TABLE orders_all (customer_id VARCHAR, order_id VARCHAR, order_ts TIMESTAMP, amount DOUBLE,
  quantity DOUBLE, unit_price DOUBLE, product VARCHAR, category VARCHAR, channel VARCHAR,
  discount_code VARCHAR, status VARCHAR, source_row BIGINT, exclusion VARCHAR);
INSERT INTO orders_all (source_row, customer_id, order_id, order_ts, amount, status, exclusion) VALUES
  (1,  'c1', 'o1',  '2024-01-05', 10,   NULL, NULL),
  (2,  'c1', 'o2',  '2024-02-05', 12,   NULL, NULL),
  (3,  'c2', 'o3',  '2024-01-10', 14,   NULL, NULL),
  (4,  'c3', 'o4',  '2024-03-01', 16,   NULL, NULL),
  (5,  'c4', 'o5',  '2024-03-15', 18,   NULL, NULL),          -- c4 is not in customers
  (6,  NULL, 'o6',  '2024-01-20', 20,   NULL, 'missing_customer'),
  (7,  'c2', 'o7',  NULL,         22,   NULL, 'bad_date'),
  (8,  'c2', 'o8',  '2024-02-01', NULL, NULL, 'bad_amount'),
  (9,  'c1', 'o9',  '2024-02-10', -12,  'cancelled', 'cancelled'),
  (10, 'c3', 'o10', '2024-02-11', 0,    NULL, 'non_positive'),
  (11, 'c7', 'o11', '2024-02-12', -5,   NULL, 'non_positive'), -- c7's only order is excluded
  (12, 'c1', 'o1',  '2024-01-05', 10,   NULL, 'duplicate'),
  (13, 'c2', 'o13', '2024-06-30', 24,   NULL, NULL),           -- after asOf
  (14, 'c3', 'o14', '2024-04-01', 500,  NULL, NULL),           -- far above Q3
  (15, 'c2', 'o15', '2024-05-01', -100, NULL, 'non_positive'); -- far below Q1
CREATE TABLE orders AS SELECT * EXCLUDE (source_row, exclusion) FROM orders_all WHERE exclusion IS NULL;
`;

  const CUSTOMERS = `
CREATE TABLE raw_customers (id VARCHAR, joined VARCHAR);
INSERT INTO raw_customers VALUES ('c1', '2024-01-01');
CREATE TABLE customers (customer_id VARCHAR, signup_ts TIMESTAMP, acquisition_source VARCHAR,
  plan VARCHAR, region VARCHAR, churned BOOLEAN, churn_ts TIMESTAMP, tenure_months DOUBLE,
  recurring_revenue DOUBLE, total_spend DOUBLE);
INSERT INTO customers (customer_id, signup_ts) VALUES
  ('c1', '2024-01-01'),
  ('c1', '2024-01-01'),  -- c1 listed twice → 1 repeated ID
  ('c2', '2024-01-02'),
  ('c3', '2024-07-01'),  -- after asOf
  ('c5', NULL),          -- never ordered; no signup date
  ('c7', '2024-02-01');  -- only an excluded order
`;

  const asOf = new Date('2024-06-01T00:00:00Z');

  function objects(examples: ExampleRows): Record<string, Cell>[] {
    return examples.rows.map((r) => Object.fromEntries(examples.columns.map((c, i) => [c, r[i]])));
  }

  function finding(report: QualityReport, id: string) {
    const f = report.findings.find((x) => x.id === id);
    if (!f)
      throw new Error(`No finding ${id}; have ${report.findings.map((x) => x.id).join(', ')}`);
    return f;
  }

  describe('qualityReport', () => {
    let engine: SqlEngine;
    let orders: QualityReport;
    let customers: QualityReport;

    beforeAll(async () => {
      engine = await create();
      await engine.exec(RAW + ORDERS_ALL + CUSTOMERS);
      orders = await qualityReport(engine, { raw: 'raw_orders', canonical: 'orders', asOf });
      customers = await qualityReport(engine, {
        raw: 'raw_customers',
        canonical: 'customers',
        asOf,
      });
    }, 60_000);
    afterAll(async () => {
      await engine?.close();
    });

    it('profiles raw columns, counting blank strings as missing', () => {
      const byName = Object.fromEntries(orders.raw.columns.map((c) => [c.name, c]));
      expect(orders.raw.rows).toBe(7);
      // customer: '' (row 4), '  ' (row 5), NULL (row 6) → 3 missing; distinct non-missing {c1, c2}.
      expect(byName.customer).toMatchObject({ nulls: 3, distinct: 2 });
      expect(byName.customer.nullShare).toBeCloseTo(3 / 7, 12);
      // amount (DOUBLE): only the NULL in row 6; distinct {10, 20, 30, 40}.
      expect(byName.amount).toMatchObject({ type: 'DOUBLE', nulls: 1, distinct: 4 });
      // note: NULL (row 4) and tab+space (row 7) → 2; distinct {x, y, z}.
      expect(byName.note).toMatchObject({ nulls: 2, distinct: 3 });
      expect(byName.invoice).toMatchObject({ nulls: 0, distinct: 5 });
      expect(finding(orders, 'raw.missing.customer')).toMatchObject({
        count: 3,
        severity: 'warning',
      });
    });

    it('counts exact duplicate rows: 3 identical rows are 2 duplicates', () => {
      expect(orders.raw.duplicateRows).toBe(2);
      const f = finding(orders, 'raw.duplicates');
      expect(f.count).toBe(2);
      expect(objects(f.examples)).toEqual([
        { invoice: 'A1', customer: 'c1', amount: '10.0', note: 'x', copies: 3 },
      ]);
    });

    it('summarises orders: counted rows, customers, date range', () => {
      // Counted rows (exclusion NULL): 1, 2, 3, 4, 5, 13, 14 → 7; customers c1–c4.
      expect(orders.orders).toMatchObject({
        counted: 7,
        customers: 4,
        firstOrder: new Date('2024-01-05T00:00:00Z'),
        lastOrder: new Date('2024-06-30T00:00:00Z'),
      });
      expect(orders.table).toMatchObject({ view: 'orders_all', rows: 15, timeColumn: 'order_ts' });
    });

    it('counts each exclusion reason, with example source rows', () => {
      expect(orders.orders?.exclusions).toEqual({
        missing_customer: 1, // row 6
        bad_date: 1, // row 7
        bad_amount: 1, // row 8
        cancelled: 1, // row 9
        non_positive: 3, // rows 10, 11, 15
        duplicate: 1, // row 12
      });
      expect(orders.orders?.cancellations).toBe(1);
      const np = finding(orders, 'orders.exclusion.non_positive');
      expect(objects(np.examples).map((r) => r.source_row)).toEqual([10, 11, 15]);
      expect(finding(orders, 'orders.exclusion.cancelled').severity).toBe('info');
      // 1 of 15 rows (6.7 %) lacks a customer: below the 10 % problem line.
      expect(finding(orders, 'orders.exclusion.missing_customer').severity).toBe('warning');
      // 1 of 15 rows (6.7 %) has an unreadable date: above the 1 % problem line.
      expect(finding(orders, 'orders.exclusion.bad_date').severity).toBe('problem');
    });

    it('counts negative and zero amounts on every row, excluded or not', () => {
      // Negative: −12 (row 9), −5 (row 11), −100 (row 15); zero: row 10.
      expect(orders.orders).toMatchObject({ negativeAmounts: 3, zeroAmounts: 1 });
      const neg = finding(orders, 'orders.negative_amounts');
      expect(objects(neg.examples).map((r) => r.source_row)).toEqual([9, 11, 15]);
    });

    it('flags amounts beyond Q1 − 3·IQR and Q3 + 3·IQR', () => {
      // 14 non-NULL amounts sorted: −100 −12 −5 0 10 10 12 14 16 18 20 22 24 500.
      // quantile_cont interpolates linearly at h = (n − 1)·p (0-based), n = 14:
      //   Q1: h = 3.25 → 0 + 0.25·(10 − 0) = 2.5;  Q3: h = 9.75 → 18 + 0.75·(20 − 18) = 19.5.
      //   IQR = 17; fences 2.5 − 51 = −48.5 and 19.5 + 51 = 70.5 → 500 and −100 are out.
      expect(orders.orders?.extremes).toEqual({
        q1: 2.5,
        q3: 19.5,
        iqr: 17,
        lower: -48.5,
        upper: 70.5,
        count: 2,
      });
      // Furthest beyond its fence first: 500 is 429.5 above, −100 is 51.5 below.
      const f = finding(orders, 'orders.extreme_amounts');
      expect(objects(f.examples).map((r) => [r.source_row, r.amount])).toEqual([
        [14, 500],
        [15, -100],
      ]);
    });

    it('counts dates after asOf', () => {
      // Only row 13 (2024-06-30) is after 2024-06-01.
      expect(orders.table?.future).toBe(1);
      const f = finding(orders, 'orders.future_dates');
      expect(objects(f.examples)).toEqual([
        {
          source_row: 13,
          customer_id: 'c2',
          order_id: 'o13',
          order_ts: new Date('2024-06-30T00:00:00Z'),
          amount: 24,
          status: null,
          exclusion: null,
        },
      ]);
    });

    it('finds orders without known customers and customers without orders', () => {
      // Counted orders by c4 (row 5) only; customers without a counted order: c5, c7.
      expect(orders.links).toEqual({
        ordersWithoutCustomer: 1,
        unknownCustomers: 1,
        customersWithoutOrders: 2,
      });
      const unknown = finding(orders, 'orders.unknown_customers');
      expect(unknown.share).toBeCloseTo(1 / 4, 12); // 1 of 4 buying customers
      expect(objects(unknown.examples).map((r) => r.source_row)).toEqual([5]);
      const idle = finding(orders, 'customers.without_orders');
      expect(idle.share).toBeCloseTo(2 / 5, 12); // 2 of 5 distinct customers
      expect(objects(idle.examples).map((r) => r.customer_id)).toEqual(['c5', 'c7']);
    });

    it('profiles the customers table', () => {
      expect(customers.orders).toBeNull();
      expect(customers.raw).toMatchObject({ rows: 1, duplicateRows: 0 });
      expect(customers.table).toMatchObject({
        view: 'customers',
        rows: 6,
        customers: 5,
        timeColumn: 'signup_ts',
        first: new Date('2024-01-01T00:00:00Z'),
        last: new Date('2024-07-01T00:00:00Z'),
        future: 1, // c3
      });
      const nulls = Object.fromEntries(customers.table!.columns.map((c) => [c.name, c.nulls]));
      expect(nulls).toMatchObject({ customer_id: 0, signup_ts: 1, acquisition_source: 6 });
      expect(finding(customers, 'customers.repeated_ids').count).toBe(1);
      expect(finding(customers, 'customers.missing.signup_ts')).toMatchObject({
        count: 1,
        severity: 'info',
      });
      // A role empty in every row is taken as unmapped, not as a finding.
      expect(customers.findings.some((f) => f.id === 'customers.missing.acquisition_source')).toBe(
        false,
      );
      expect(customers.links?.customersWithoutOrders).toBe(2);
    });

    it('gives every finding a severity and an explanation, most severe first', () => {
      const rank = { problem: 0, warning: 1, info: 2 };
      const ranks = orders.findings.map((f) => rank[f.severity]);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      for (const f of orders.findings) {
        expect(f.explanation.length).toBeGreaterThan(20);
        expect(f.examples.rows.length).toBeLessThanOrEqual(5);
      }
    });

    it('returns the SQL it ran, each statement runnable as it stands', async () => {
      expect(orders.statements.length).toBeGreaterThan(5);
      for (const f of orders.findings) if (f.sql) expect(orders.statements).toContain(f.sql);
      for (const sql of orders.statements) await expect(engine.query(sql)).resolves.toBeDefined();
    });

    it('reports on the raw table alone when no canonical view exists', async () => {
      const report = await qualityReport(engine, {
        raw: 'raw_orders',
        canonical: 'feedback',
        asOf,
      });
      expect(report.table).toBeNull();
      expect(report.raw.duplicateRows).toBe(2);
    });

    it('rejects a table that does not exist', async () => {
      await expect(
        qualityReport(engine, { raw: 'nope', canonical: 'orders', asOf }),
      ).rejects.toThrow(/nope/);
    });
  });
}
