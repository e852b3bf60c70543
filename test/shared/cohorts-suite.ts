import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderFactsSql } from '../../src/lib/analyses/kpis-sql.ts';
import {
  cohortAnalysis,
  cohortSql,
  type CohortCell,
  type CohortResult,
} from '../../src/lib/analyses/cohorts.ts';
import { toRows } from '../../src/lib/engine/rows.ts';
import type { SqlEngine } from '../../src/lib/engine/types.ts';
import { loadFile } from '../../src/lib/ingest/load.ts';
import { literal } from '../../src/lib/sql/quote.ts';
import type { IngestHarness } from './ingest-suite.ts';
import { applyDetected } from '../support/mapping.ts';

type Value = string | number | null;
/** customer, order, time, amount, product, category, channel */
type OrderRow = [string, string, string, number, Value?, Value?, Value?];
/** customer, signup, acquisition_source, region, plan, attr_tier */
type CustomerRow = [string, string | null, Value, Value, Value, Value];

/** A naive wall-clock timestamp as the Date that toRows gives back (UTC). */
const at = (text: string) => new Date(`${text.replace(' ', 'T')}Z`);
/** Round away floating noise so whole series compare with toEqual. */
const r9 = (x: number | null) => (x === null ? null : Math.round(x * 1e9) / 1e9);

/** The series of one field over a cohort's cells, in period order. */
function series(result: CohortResult, cohort: string, slice: string | null = null) {
  const cells = result.cells.filter(
    (c) => c.cohort.getTime() === at(cohort).getTime() && c.slice === slice,
  );
  const of = <K extends keyof CohortCell>(key: K) => cells.map((c) => c[key]);
  const num = (key: keyof CohortCell) => of(key).map((v) => r9(v as number | null));
  return {
    period: of('period'),
    active: of('active'),
    activeOrLater: of('activeOrLater'),
    revenue: num('revenue'),
    retention: num('retention'),
    retentionOrLater: num('retentionOrLater'),
    revenueRetention: num('revenueRetention'),
    ltv: num('cumulativeRevenuePerCustomer'),
    partial: of('partial'),
  };
}

/**
 * Cohort retention on both engines: native DuckDB (test/unit) and DuckDB-WASM
 * (test/browser). Every expected number of the fixtures is worked out by hand in the
 * comment beside it; the shared-data figures come from SOURCE.md, a published figure,
 * or an independent query written in the test.
 */
export function cohortsSuite(harness: IngestHarness) {
  // Every fixture twice: over the orders themselves, and over the order_facts table that
  // confirming a mapping builds (the analyses read it when it exists).
  describe.each(['orders', 'order_facts'] as const)(
    'cohort retention: hand-computed fixtures, read from %s',
    (from) => {
      let engine: SqlEngine;
      beforeAll(async () => {
        engine = await harness.engine();
      }, 60_000);
      afterAll(async () => engine?.close());

      async function load(orders: OrderRow[], customers?: CustomerRow[]) {
        await engine.exec(
          'DROP TABLE IF EXISTS order_facts; DROP TABLE IF EXISTS orders; DROP TABLE IF EXISTS customers',
        );
        await engine.exec(`CREATE TABLE orders (customer_id VARCHAR, order_id VARCHAR,
        order_ts TIMESTAMP, amount DOUBLE, product VARCHAR, category VARCHAR, channel VARCHAR,
        discount_code VARCHAR, status VARCHAR, quantity DOUBLE, unit_price DOUBLE)`);
        const rows = orders.map((r) => [...r, ...Array(7 - r.length).fill(null)]);
        await insert(
          'orders (customer_id, order_id, order_ts, amount, product, category, channel)',
          rows,
        );
        if (from === 'order_facts') await engine.exec(orderFactsSql());
        if (customers) {
          await engine.exec(`CREATE TABLE customers (customer_id VARCHAR, signup_ts TIMESTAMP,
          acquisition_source VARCHAR, region VARCHAR, plan VARCHAR, attr_tier VARCHAR)`);
          await insert('customers', customers);
        }
      }

      async function insert(target: string, rows: Value[][]) {
        const values = rows.map((r) => `(${r.map(literal).join(', ')})`).join(',\n');
        await engine.exec(`INSERT INTO ${target} VALUES ${values}`);
      }

      /**
       * Fixture M (2024; no order at all in March; the last order is on May 15):
       *   a: Jan 31 23:59:59 (100, mug, web), Feb 1 00:00 (50, tea), Apr 10 (30, mug)
       *   b: Jan 1 09:00 one order of two lines (tea 15, pot 25) = 40, Jan 20 (60)
       *   c: Jan 15 (200, mug), a single order
       *   d: Feb 10 (80, tea, channel NULL), May 15 08:00 (40, tea)
       *   e: Feb 29 (10, product NULL, channel ''), a single order
       * January cohort {a, b, c} (a's first order, 23:59:59 on Jan 31, is still January),
       * February cohort {d, e}. Data end May 15: May is partial; January reaches k = 4,
       * February k = 3. The first order is on Jan 1, so January is fully covered.
       */
      const fixtureM: OrderRow[] = [
        ['a', 'a1', '2024-01-31 23:59:59', 100, 'mug', 'kitchen', 'web'],
        ['a', 'a2', '2024-02-01 00:00:00', 50, 'tea', 'food', 'shop'],
        ['a', 'a3', '2024-04-10 12:00:00', 30, 'mug', 'kitchen', 'web'],
        ['b', 'b1', '2024-01-01 09:00:00', 15, 'tea', 'food', 'shop'],
        ['b', 'b1', '2024-01-01 09:00:00', 25, 'pot', 'kitchen', 'shop'],
        ['b', 'b2', '2024-01-20 10:00:00', 60, 'tea', 'food', 'web'],
        ['c', 'c1', '2024-01-15 10:00:00', 200, 'mug', 'kitchen', 'web'],
        ['d', 'd1', '2024-02-10 10:00:00', 80, 'tea', 'food', null],
        ['d', 'd2', '2024-05-15 08:00:00', 40, 'tea', 'food', 'web'],
        ['e', 'e1', '2024-02-29 10:00:00', 10, null, null, ''],
      ];

      /** Customers of fixture M: c has no signup and a blank source; e has no row; f never ordered. */
      const customersM: CustomerRow[] = [
        ['a', '2023-12-20 00:00:00', 'ads', 'north', 'basic', 'gold'],
        ['b', '2024-01-10 00:00:00', 'ads', 'south', 'pro', null],
        ['c', null, '', 'north', 'basic', 'gold'],
        ['d', '2024-01-25 00:00:00', 'seo', null, 'pro', 'silver'],
        ['f', '2024-02-20 00:00:00', 'seo', 'south', 'basic', null],
      ];

      it('monthly: boundaries, an empty month, k-or-later, revenue retention, LTV, a partial month', async () => {
        await load(fixtureM);
        const r = await cohortAnalysis(engine, { grain: 'month' });
        expect(r).toMatchObject({ grain: 'month', basis: 'first_purchase', sliceBy: null });
        expect(r.cohorts).toEqual([
          { cohort: at('2024-01-01 00:00:00'), slice: null, size: 3, partial: false },
          { cohort: at('2024-02-01 00:00:00'), slice: null, size: 2, partial: false },
        ]);
        // January {a, b, c}: k0 Jan: all three, 100 + 40 + 60 + 200 = 400; k1 Feb: a (Feb 1
        // 00:00 is month 1), 50; k2 Mar: nobody (no orders at all), but a comes back in k3
        // (Apr, 30), so in-k 0 versus or-later 1/3; k4 May: nobody, partial (data ends May 15).
        // Last active periods a 3, b 0, c 0 → or-later 3, 1, 1, 1, 0.
        // Cumulative 400, 450, 450, 480, 480 over 3 customers.
        expect(series(r, '2024-01-01 00:00:00')).toEqual({
          period: [0, 1, 2, 3, 4],
          active: [3, 1, 0, 1, 0],
          activeOrLater: [3, 1, 1, 1, 0],
          revenue: [400, 50, 0, 30, 0],
          retention: [1, r9(1 / 3), 0, r9(1 / 3), 0],
          retentionOrLater: [1, r9(1 / 3), r9(1 / 3), r9(1 / 3), 0],
          revenueRetention: [1, 0.125, 0, 0.075, 0], // 50/400, 30/400
          ltv: [r9(400 / 3), 150, 150, 160, 160],
          partial: [false, false, false, false, true],
        });
        // February {d, e}: k0 Feb 80 + 10; k1 Mar, k2 Apr nobody; k3 May d (40), partial.
        // Last active d 3, e 0 → or-later 2, 1, 1, 1. Cumulative 90, 90, 90, 130 over 2.
        expect(series(r, '2024-02-01 00:00:00')).toEqual({
          period: [0, 1, 2, 3],
          active: [2, 0, 0, 1],
          activeOrLater: [2, 1, 1, 1],
          revenue: [90, 0, 0, 40],
          retention: [1, 0, 0, 0.5],
          retentionOrLater: [1, 0.5, 0.5, 0.5],
          revenueRetention: [1, 0, 0, r9(40 / 90)],
          ltv: [45, 45, 45, 65],
          partial: [false, false, false, true],
        });
        // No period after May: 5 + 4 cells, no invented zeros.
        expect(r.cells).toHaveLength(9);
      });

      it('averages weighted by cohort size over complete cells, by hand', async () => {
        await load(fixtureM);
        const { average } = await cohortAnalysis(engine, { grain: 'month' });
        // Sizes 3 (Jan) and 2 (Feb), period-0 revenue 400 and 90.
        // k1: (1 + 0)/5 = 0.2 (an unweighted mean of 1/3 and 0 would be 1/6);
        //     or-later (1 + 1)/5; revenue (50 + 0)/(400 + 90); LTV (450 + 90)/5.
        // k3: February's May is partial, so January alone: 1/3, 30/400, 480/3.
        // k4: only January's partial May: averaged anyway and flagged partial.
        expect(
          average.map((a) => ({
            ...a,
            retention: r9(a.retention),
            retentionOrLater: r9(a.retentionOrLater),
            revenueRetention: r9(a.revenueRetention),
            ltv: r9(a.ltv),
          })),
        ).toEqual([
          {
            slice: null,
            period: 0,
            retention: 1,
            retentionOrLater: 1,
            revenueRetention: 1,
            ltv: 98, // 490 / 5
            cohorts: 2,
            partial: false,
          },
          {
            slice: null,
            period: 1,
            retention: 0.2,
            retentionOrLater: 0.4,
            revenueRetention: r9(50 / 490),
            ltv: 108,
            cohorts: 2,
            partial: false,
          },
          {
            slice: null,
            period: 2,
            retention: 0,
            retentionOrLater: 0.4,
            revenueRetention: 0,
            ltv: 108,
            cohorts: 2,
            partial: false,
          },
          {
            slice: null,
            period: 3,
            retention: r9(1 / 3),
            retentionOrLater: r9(1 / 3),
            revenueRetention: 0.075,
            ltv: 160,
            cohorts: 1,
            partial: false,
          },
          {
            slice: null,
            period: 4,
            retention: 0,
            retentionOrLater: 0,
            revenueRetention: 0,
            ltv: 160,
            cohorts: 1,
            partial: true,
          },
        ]);
      });

      it('caps periods at maxPeriods, still counting later activity in "or later"', async () => {
        await load(fixtureM);
        const r = await cohortAnalysis(engine, { grain: 'month', maxPeriods: 2 });
        // January k0, k1 only; a's April order (k3) still makes a active "in k1 or later".
        expect(series(r, '2024-01-01 00:00:00')).toMatchObject({
          period: [0, 1],
          active: [3, 1],
          activeOrLater: [3, 1],
        });
        expect(series(r, '2024-02-01 00:00:00').activeOrLater).toEqual([2, 1]); // d in May
      });

      it('keeps cohorts whose anchor is in [from, to) and flags a cohort cut by from', async () => {
        await load(fixtureM);
        const r = await cohortAnalysis(engine, {
          grain: 'month',
          from: at('2024-01-15 00:00:00'),
          to: at('2024-02-01 00:00:00'),
        });
        // First orders from Jan 15 to Jan 31: c (Jan 15) and a (Jan 31); b (Jan 1) is out,
        // so January is only half observed. Orders after `to` are still followed.
        expect(r.cohorts).toEqual([
          { cohort: at('2024-01-01 00:00:00'), slice: null, size: 2, partial: true },
        ]);
        expect(series(r, '2024-01-01 00:00:00').active).toEqual([2, 1, 0, 1, 0]);
        expect(r.sql).toContain("TIMESTAMP '2024-01-15 00:00:00.000'");
      });

      it('weekly: weeks start on Monday; a week the data enters mid-way is partial', async () => {
        await load([
          // 2024-01-01 is a Monday. p: Wed Jan 3, Sun Jan 7 23:00 (week 0), Mon Jan 8 (week 1)
          ['p', 'p1', '2024-01-03 10:00:00', 10],
          ['p', 'p2', '2024-01-07 23:00:00', 20],
          ['p', 'p3', '2024-01-08 00:00:00', 5],
          // q: Mon Jan 8 (its week 0), Wed Jan 24 = week of Jan 22 (its week 2)
          ['q', 'q1', '2024-01-08 12:00:00', 7],
          ['q', 'q2', '2024-01-24 09:00:00', 3],
        ]);
        const r = await cohortAnalysis(engine, { grain: 'week' });
        // Data from Wed Jan 3 to Wed Jan 24: the week of Jan 1 and the week of Jan 22 are partial.
        expect(r.cohorts).toEqual([
          { cohort: at('2024-01-01 00:00:00'), slice: null, size: 1, partial: true },
          { cohort: at('2024-01-08 00:00:00'), slice: null, size: 1, partial: false },
        ]);
        expect(series(r, '2024-01-01 00:00:00')).toMatchObject({
          period: [0, 1, 2, 3],
          active: [1, 1, 0, 0],
          revenue: [30, 5, 0, 0],
          activeOrLater: [1, 1, 0, 0],
          ltv: [30, 35, 35, 35],
          partial: [true, false, false, true],
        });
        expect(series(r, '2024-01-08 00:00:00')).toMatchObject({
          period: [0, 1, 2],
          active: [1, 0, 1],
          revenue: [7, 0, 3],
          partial: [false, false, true],
        });
      });

      it('quarterly: calendar quarters across a year end', async () => {
        await load([
          // x: Q4 2023 (Oct 1, Dec 31 23:59:59), Q1 2024 (Jan 1 00:00), Q4 2024 (Oct 1)
          ['x', 'x1', '2023-10-01 00:00:00', 10],
          ['x', 'x2', '2023-12-31 23:59:59', 20],
          ['x', 'x3', '2024-01-01 00:00:00', 30],
          ['x', 'x4', '2024-10-01 12:00:00', 40],
          // y: Q1 2024 (Mar 31 23:59:59), Q2 2024 (Apr 1 00:00)
          ['y', 'y1', '2024-03-31 23:59:59', 50],
          ['y', 'y2', '2024-04-01 00:00:00', 60],
        ]);
        const r = await cohortAnalysis(engine, { grain: 'quarter' });
        expect(r.cohorts.map((c) => [c.cohort, c.size])).toEqual([
          [at('2023-10-01 00:00:00'), 1],
          [at('2024-01-01 00:00:00'), 1],
        ]);
        // Data ends Oct 1 2024: Q4 2024 is partial. x: k0 30, k1 30, k2 0, k3 0, k4 40.
        expect(series(r, '2023-10-01 00:00:00')).toMatchObject({
          period: [0, 1, 2, 3, 4],
          active: [1, 1, 0, 0, 1],
          activeOrLater: [1, 1, 1, 1, 1],
          revenue: [30, 30, 0, 0, 40],
          revenueRetention: [1, 1, 0, 0, r9(4 / 3)],
          ltv: [30, 60, 60, 60, 100],
          partial: [false, false, false, false, true],
        });
        // y: k0 50, k1 60, k2 0, k3 (Q4 2024) 0, partial.
        expect(series(r, '2024-01-01 00:00:00')).toMatchObject({
          active: [1, 1, 0, 0],
          activeOrLater: [1, 1, 0, 0],
          revenueRetention: [1, 1.2, 0, 0],
          partial: [false, false, false, true],
        });
      });

      it('slices by first product: the largest line of the first order; NULL → (unknown)', async () => {
        await load(fixtureM);
        const r = await cohortAnalysis(engine, { grain: 'month', sliceBy: 'first_product' });
        // First products: a mug, b pot (25 > 15 in order b1), c mug, d tea, e NULL.
        expect(r.sliceBy).toBe('first_product');
        expect(r.cohorts.map((c) => [c.cohort.toISOString().slice(0, 7), c.slice, c.size])).toEqual(
          [
            ['2024-01', 'mug', 2],
            ['2024-01', 'pot', 1],
            ['2024-02', '(unknown)', 1],
            ['2024-02', 'tea', 1],
          ],
        );
        // January mugs {a, c}: k0 100 + 200, k1 a 50, k2 none, k3 a 30, k4 none.
        expect(series(r, '2024-01-01 00:00:00', 'mug')).toMatchObject({
          active: [2, 1, 0, 1, 0],
          retention: [1, 0.5, 0, 0.5, 0],
          retentionOrLater: [1, 0.5, 0.5, 0.5, 0],
          ltv: [150, 175, 175, 190, 190],
        });
        // Averages are per slice: "mug" at k1 is January's mugs alone.
        expect(r.average.find((a) => a.slice === 'mug' && a.period === 1)).toMatchObject({
          retention: 0.5,
          cohorts: 1,
        });
      });

      it('slices by first channel: NULL and blank values are both (unknown)', async () => {
        await load(fixtureM);
        const r = await cohortAnalysis(engine, { grain: 'month', sliceBy: 'first_channel' });
        // a web, b shop (its largest first-order line), c web; d NULL, e '' → one slice.
        expect(r.cohorts.map((c) => [c.cohort.toISOString().slice(0, 7), c.slice, c.size])).toEqual(
          [
            ['2024-01', 'shop', 1],
            ['2024-01', 'web', 2],
            ['2024-02', '(unknown)', 2],
          ],
        );
      });

      it('slices by a customers column; customers without a row or a value are (unknown)', async () => {
        await load(fixtureM, customersM);
        const r = await cohortAnalysis(engine, { grain: 'month', sliceBy: 'acquisition_source' });
        // a ads, b ads, c '' → (unknown); d seo, e has no customers row → (unknown).
        expect(r.cohorts.map((c) => [c.cohort.toISOString().slice(0, 7), c.slice, c.size])).toEqual(
          [
            ['2024-01', '(unknown)', 1],
            ['2024-01', 'ads', 2],
            ['2024-02', '(unknown)', 1],
            ['2024-02', 'seo', 1],
          ],
        );
        // January ads {a, b}: k0 100 + 40 + 60, k1 a 50, k2 none, k3 a 30.
        expect(series(r, '2024-01-01 00:00:00', 'ads')).toMatchObject({
          active: [2, 1, 0, 1, 0],
          revenue: [200, 50, 0, 30, 0],
          retentionOrLater: [1, 0.5, 0.5, 0.5, 0],
          revenueRetention: [1, 0.25, 0, 0.15, 0],
        });
        // c alone, a single order: active only in its own month.
        expect(series(r, '2024-01-01 00:00:00', '(unknown)')).toMatchObject({
          active: [1, 0, 0, 0, 0],
          activeOrLater: [1, 0, 0, 0, 0],
          ltv: [200, 200, 200, 200, 200],
        });
        // (unknown) at k0: c (200) and e (10) over 2 customers.
        expect(r.average.find((a) => a.slice === '(unknown)' && a.period === 0)).toMatchObject({
          ltv: 105,
          cohorts: 2,
        });

        const tier = await cohortAnalysis(engine, { grain: 'month', sliceBy: 'attr_tier' });
        expect(tier.cohorts.map((c) => [c.slice, c.size])).toEqual([
          ['(unknown)', 1], // b
          ['gold', 2], // a, c
          ['(unknown)', 1], // e
          ['silver', 1], // d
        ]);
      });

      it('signup basis: cohorts by signup month; orders before signup are not followed', async () => {
        await load(fixtureM, customersM);
        const r = await cohortAnalysis(engine, { grain: 'month', basis: 'signup' });
        // Signups: a Dec 20 2023; b Jan 10, d Jan 25; f Feb 20 (never ordered). c has no
        // signup date and e no customers row: in no cohort. December starts before the first
        // signup (Dec 20), so that cohort is partial.
        expect(r.basis).toBe('signup');
        expect(r.cohorts).toEqual([
          { cohort: at('2023-12-01 00:00:00'), slice: null, size: 1, partial: true },
          { cohort: at('2024-01-01 00:00:00'), slice: null, size: 2, partial: false },
          { cohort: at('2024-02-01 00:00:00'), slice: null, size: 1, partial: false },
        ]);
        // a: nothing in December (before the first order, Jan 1: partial), Jan 100, Feb 50,
        // Apr 30. No period-0 revenue → no revenue retention.
        expect(series(r, '2023-12-01 00:00:00')).toEqual({
          period: [0, 1, 2, 3, 4, 5],
          active: [0, 1, 1, 0, 1, 0],
          activeOrLater: [1, 1, 1, 1, 1, 0],
          revenue: [0, 100, 50, 0, 30, 0],
          retention: [0, 1, 1, 0, 1, 0],
          retentionOrLater: [1, 1, 1, 1, 1, 0],
          revenueRetention: [null, null, null, null, null, null],
          ltv: [0, 100, 150, 150, 180, 180],
          partial: [true, false, false, false, false, true],
        });
        // January {b, d}: b's Jan 1 order precedes its signup (Jan 10); Jan 20 (60) counts.
        // d buys Feb 10 (80) and May 15 (40). Or-later: b last k0, d last k4.
        expect(series(r, '2024-01-01 00:00:00')).toMatchObject({
          active: [1, 1, 0, 0, 1],
          activeOrLater: [2, 1, 1, 1, 1],
          retention: [0.5, 0.5, 0, 0, 0.5],
          revenueRetention: [1, r9(80 / 60), 0, 0, r9(40 / 60)],
          ltv: [30, 70, 70, 70, 90],
        });
        expect(series(r, '2024-02-01 00:00:00')).toMatchObject({
          active: [0, 0, 0, 0],
          activeOrLater: [0, 0, 0, 0],
          partial: [false, false, false, true],
        });
        // k0 average: December's k0 is partial, so January and February: (1 + 0)/(2 + 1).
        expect(r.average[0]).toMatchObject({ period: 0, cohorts: 2, partial: false });
        expect(r.average[0].retention).toBeCloseTo(1 / 3, 12);
      });

      it('explains in a sentence when the data cannot answer', async () => {
        await load(fixtureM);
        await expect(cohortAnalysis(engine, { grain: 'month', basis: 'signup' })).rejects.toThrow(
          /Signup cohorts need a customers table/,
        );
        await expect(cohortAnalysis(engine, { grain: 'month', sliceBy: 'region' })).rejects.toThrow(
          /by region needs a customers table/,
        );
        await load(
          fixtureM,
          customersM.map(([id, , ...rest]): CustomerRow => [id, null, ...rest]),
        );
        await expect(cohortAnalysis(engine, { grain: 'month', basis: 'signup' })).rejects.toThrow(
          /need signup dates/,
        );
        await expect(
          cohortAnalysis(engine, { grain: 'month', sliceBy: 'attr_missing' }),
        ).rejects.toThrow(/attr_missing needs that column/);
      });

      it('rejects parameters outside their range, before any SQL runs', () => {
        expect(() => cohortSql({ grain: 'day' as 'week' })).toThrow(RangeError);
        expect(() => cohortSql({ grain: 'month', maxPeriods: 0 })).toThrow(RangeError);
        expect(() => cohortSql({ grain: 'month', maxPeriods: 2.5 })).toThrow(RangeError);
        expect(() => cohortSql({ grain: 'month', sliceBy: 'email' })).toThrow(RangeError);
        expect(() => cohortSql({ grain: 'month', basis: 'trial' as 'signup' })).toThrow(RangeError);
        expect(() =>
          cohortSql({
            grain: 'month',
            from: at('2024-02-01 00:00:00'),
            to: at('2024-01-01 00:00:00'),
          }),
        ).toThrow(RangeError);
      });

      it('returns SQL that runs on its own and quotes slice names', async () => {
        await load(fixtureM);
        const r = await cohortAnalysis(engine, { grain: 'month' });
        expect(toRows(await engine.query(r.sql))).toHaveLength(9);
        expect(toRows(await engine.query(r.averageSql))).toHaveLength(5);
        expect(cohortSql({ grain: 'month', sliceBy: 'attr_x"; DROP TABLE orders; --' })).toContain(
          '"attr_x""; DROP TABLE orders; --"',
        );
      });
    },
  );

  describe('cohort retention: Online Retail (clean subset through the detected mapping)', () => {
    let engine: SqlEngine;
    let monthly: CohortResult;
    beforeAll(async () => {
      engine = await harness.engine();
      const input = await harness.open('retailCsv');
      const table = (await loadFile(engine, harness.decoders(), input)).tables[0].name;
      await applyDetected(engine, table, 'GBP');
      monthly = await cohortAnalysis(engine, { grain: 'month' });
    }, 180_000);
    afterAll(async () => engine?.close());

    const dec2010 = () => at('2010-12-01 00:00:00').getTime();

    it('gives the same cohorts, KPIs and monthly KPIs from order_facts as from the order lines', async () => {
      const { kpiSummary, kpisByPeriod } = await import('../../src/lib/analyses/kpis.ts');
      const run = async () => ({
        monthly: await cohortAnalysis(engine, { grain: 'month' }),
        quarterly: await cohortAnalysis(engine, { grain: 'quarter', maxPeriods: 3 }),
        summary: await kpiSummary(engine, { windowDays: 90 }),
        periods: await kpisByPeriod(engine, { period: 'month', windowDays: 90 }),
      });
      const strip = (r: Awaited<ReturnType<typeof run>>) => ({
        ...r,
        monthly: { ...r.monthly, sql: '', averageSql: '' },
        quarterly: { ...r.quarterly, sql: '', averageSql: '' },
        summary: { ...r.summary, sql: null },
        periods: { ...r.periods, sql: null },
      });
      const fromFacts = await run();
      expect(fromFacts.monthly.sql).toContain('FROM "order_facts"');
      expect(fromFacts.summary.customers).toBe(4_338);
      expect(fromFacts.summary.orders).toBe(18_532);
      await engine.exec('ALTER TABLE order_facts RENAME TO order_facts_aside');
      try {
        const fromLines = await run();
        expect(fromLines.monthly.sql).not.toContain('order_facts');
        // Sums may add up in another order: equal to 6 decimals.
        const close = (v: unknown): unknown =>
          typeof v === 'number'
            ? expect.closeTo(v, 6)
            : Array.isArray(v)
              ? v.map(close)
              : v && typeof v === 'object' && !(v instanceof Date)
                ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, close(x)]))
                : v;
        expect(strip(fromFacts)).toEqual(close(strip(fromLines)));
      } finally {
        await engine.exec('ALTER TABLE order_facts_aside RENAME TO order_facts');
      }
    });

    it('the December 2010 cohort has 885 customers (the figure published by tutorials)', () => {
      expect(monthly.cohorts.find((c) => c.cohort.getTime() === dec2010())?.size).toBe(885);
    });

    it('reconciles with SOURCE.md: 4,338 customers, revenue 8,911,407.90', () => {
      // 13 months (Dec 2010 … Dec 2011) fit within the default 24 periods.
      expect(monthly.cohorts).toHaveLength(13);
      expect(monthly.cohorts.reduce((s, c) => s + c.size, 0)).toBe(4_338);
      const revenue = monthly.cells.reduce((s, c) => s + c.revenue, 0);
      expect(Math.round(revenue * 100) / 100).toBe(8_911_407.9);
    });

    it('weekly and quarterly cohorts also hold every customer', async () => {
      for (const grain of ['week', 'quarter'] as const) {
        const r = await cohortAnalysis(engine, { grain, maxPeriods: 60 });
        expect(r.cohorts.reduce((s, c) => s + c.size, 0)).toBe(4_338);
      }
    });

    it('month-1 retention of December 2010 matches an independent self-join', async () => {
      const [ref] = toRows(
        await engine.query(`
          WITH months AS (
            SELECT DISTINCT customer_id, strftime(order_ts, '%Y-%m') AS ym FROM orders
          )
          SELECT count(DISTINCT dec.customer_id)::INTEGER AS cohort,
                 count(DISTINCT jan.customer_id)::INTEGER AS returned
          FROM months AS dec
          LEFT JOIN months AS jan ON jan.customer_id = dec.customer_id AND jan.ym = '2011-01'
          WHERE dec.ym = '2010-12'
            AND NOT EXISTS (SELECT 1 FROM months AS before
                            WHERE before.customer_id = dec.customer_id AND before.ym < '2010-12')`),
      );
      expect(ref.cohort).toBe(885);
      const k1 = monthly.cells.find((c) => c.cohort.getTime() === dec2010() && c.period === 1);
      expect(k1?.active).toBe(ref.returned);
      expect(k1?.retention).toBeCloseTo(Number(ref.returned) / 885, 12);
    });

    it('the data ends on 2011-12-09: December 2011 cells are partial, November ones are not', () => {
      const first = monthly.cells.filter((c) => c.cohort.getTime() === dec2010());
      expect(first.map((c) => c.period)).toEqual([...Array(13).keys()]);
      expect(first.map((c) => c.partial)).toEqual([...Array(12).fill(false), true]);
      expect(monthly.cohorts.at(-1)).toMatchObject({
        cohort: at('2011-12-01 00:00:00'),
        partial: true,
      });
    });
  });
}
