import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderFactsSql } from '../../src/lib/analyses/kpis-sql.ts';
import {
  fmScore,
  fmSql,
  rfm,
  rfmCustomers,
  rfmCustomersSql,
  ruleMatches,
  SEGMENT_RULES,
  segmentCaseSql,
  segmentOf,
  type RfmResult,
  type RfmSegment,
} from '../../src/lib/analyses/rfm.ts';
import {
  behaviouralSegments,
  segmentCustomers,
  segmentsSql,
  type SegmentParams,
} from '../../src/lib/analyses/segments.ts';
import { toRows } from '../../src/lib/engine/rows.ts';
import type { SqlEngine } from '../../src/lib/engine/types.ts';
import { loadFile } from '../../src/lib/ingest/load.ts';
import { dropCanonical } from '../../src/lib/schema/views.ts';
import { literal } from '../../src/lib/sql/quote.ts';
import type { IngestHarness } from './ingest-suite.ts';
import { applyDetected } from '../support/mapping.ts';

/**
 * RFM and behavioural segments, run on both engines: native DuckDB (test/unit) and
 * DuckDB-WASM (test/browser). Every expected number is worked out by hand next to
 * its fixture, or comes from SOURCE.md / published tutorials for Online Retail, or
 * from an independent reference query; none is copied from the code's output.
 */
export function rfmSuite(harness: IngestHarness) {
  type Row = [
    customer: string | null,
    orderId: string,
    ts: string,
    amount: number,
    product?: string | null,
    category?: string | null,
    discountCode?: string | null,
  ];

  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await harness.engine();
  }, 60_000);
  afterAll(async () => engine?.close());

  const all = async (sql: string) => toRows(await engine.query(sql));
  /** A naive wall-clock timestamp as the Date that toRows gives back (UTC). */
  const at = (text: string) => new Date(`${text.replace(' ', 'T')}Z`);

  /** Replace the canonical relations with an `orders` table of exactly these rows. */
  async function load(rows: Row[]) {
    await dropCanonical(engine);
    await engine.exec(`CREATE TABLE orders (customer_id VARCHAR, order_id VARCHAR,
      order_ts TIMESTAMP, amount DOUBLE, quantity DOUBLE, unit_price DOUBLE, product VARCHAR,
      category VARCHAR, channel VARCHAR, discount_code VARCHAR, status VARCHAR)`);
    if (rows.length > 0) await insertOrders(rows);
    if (readFrom === 'order_facts') await engine.exec(orderFactsSql());
  }

  let readFrom: 'orders' | 'order_facts' = 'orders';

  async function insertOrders(rows: Row[]) {
    const values = rows
      .map(([c, o, ts, amount, product = null, category = null, code = null]) =>
        [c, o, `${ts}`, amount, product, category, code].map(literal).join(', '),
      )
      .map((v) => `(${v})`)
      .join(',\n');
    await engine.exec(`INSERT INTO orders (customer_id, order_id, order_ts, amount, product,
      category, discount_code) VALUES ${values}`);
  }

  const bySegment = (result: RfmResult) =>
    Object.fromEntries(result.segments.map((s) => [s.segment, s]));

  // The hand-computed cases twice: over the orders themselves, and over the order_facts
  // table that confirming a mapping builds (the analyses read it when it exists).
  describe.each(['orders', 'order_facts'] as const)('RFM read from %s', (from) => {
    beforeAll(() => {
      readFrom = from;
    });
    afterAll(() => {
      readFrom = 'orders';
    });
    describe('RFM: values per customer', () => {
      /**
       * Fixture R. Last order with a customer: 2024-03-31 15:00 → default asOf 2024-04-01 00:00.
       *   a: a1 2024-01-01 (two rows 30 + 20), a2 2024-03-30 (50) → F 2, M 100, recency 2
       *   b: b1 2024-03-31 15:00 (200)                            → F 1, M 200, recency 1
       *   c: c1, c2 both 2023-12-31 23:59:59 (10, 15), c3 2024-02-01 00:00 (25)
       *      → F 3, M 50, recency Feb 1 → Apr 1 = 29 (leap Feb) + 31 = 60
       *   d: d1 2024-03-31 00:00 (5) → F 1, M 5, recency 1 (same calendar day as b's order)
       *   a guest row (no customer) on 2024-04-05 is ignored, also for the default asOf.
       */
      const fixtureR: Row[] = [
        ['a', 'a1', '2024-01-01 10:00:00', 30],
        ['a', 'a1', '2024-01-01 10:00:00', 20],
        ['a', 'a2', '2024-03-30 09:00:00', 50],
        ['b', 'b1', '2024-03-31 15:00:00', 200],
        ['c', 'c1', '2023-12-31 23:59:59', 10],
        ['c', 'c2', '2023-12-31 23:59:59', 15],
        ['c', 'c3', '2024-02-01 00:00:00', 25],
        ['d', 'd1', '2024-03-31 00:00:00', 5],
        [null, 'g1', '2024-04-05 10:00:00', 999],
      ];

      it('computes recency in calendar days to the default asOf, distinct orders and total spend', async () => {
        await load(fixtureR);
        const result = await rfm(engine);
        expect(result.asOf).toEqual(at('2024-04-01 00:00:00'));
        const rows = await rfmCustomers(engine);
        // n = 4, so score = 1 + ⌊5 (rank − 1) / 3⌋ capped at 5: ranks 1, 2, 3, 4 → 1, 2, 4, 5.
        //   recency, most days first: c 60 (rank 1), a 2 (rank 2), b and d 1 (rank 3 both)
        //   frequency: b, d 1 (rank 1), a 2 (rank 3), c 3 (rank 4)
        //   monetary: d 5, c 50, a 100, b 200 (ranks 1–4)
        // FM = ⌊(F + M + 1) / 2⌋: a (4 + 4) → 4, b (1 + 5) → 3, c (5 + 2) → 4, d (1 + 1) → 1
        const expected = {
          a: { recency_days: 2, frequency: 2, monetary: 100, r: 2, f: 4, m: 4, fm: 4 },
          b: { recency_days: 1, frequency: 1, monetary: 200, r: 4, f: 1, m: 5, fm: 3 },
          c: { recency_days: 60, frequency: 3, monetary: 50, r: 1, f: 5, m: 2, fm: 4 },
          d: { recency_days: 1, frequency: 1, monetary: 5, r: 4, f: 1, m: 1, fm: 1 },
        };
        expect(
          Object.fromEntries(rows.map(({ customer_id, ...rest }) => [customer_id, rest])),
        ).toEqual({
          a: { ...expected.a, last_order_ts: at('2024-03-30 09:00:00'), segment: 'At risk' },
          b: {
            ...expected.b,
            last_order_ts: at('2024-03-31 15:00:00'),
            segment: 'Potential loyalists',
          },
          c: { ...expected.c, last_order_ts: at('2024-02-01 00:00:00'), segment: 'At risk' },
          d: { ...expected.d, last_order_ts: at('2024-03-31 00:00:00'), segment: 'Promising' },
        });
        // Largest spend first, for the export.
        expect(rows.map((r) => r.customer_id)).toEqual(['b', 'a', 'c', 'd']);
      });

      it('counts only orders before an explicit asOf', async () => {
        await load(fixtureR);
        const asOf = at('2024-03-01 00:00:00');
        const rows = await rfmCustomers(engine, { asOf });
        // a: only a1 (50), Jan 1 → Mar 1 = 31 + 29 = 60 days; c: all three, Feb 1 → Mar 1 = 29.
        // b and d have no order before Mar 1. n = 2: rank 1 → 1, rank 2 → 5.
        // Monetary 50 and 50 tie → both rank 1 → M 1. FM: a 1, c ⌊(5 + 1 + 1) / 2⌋ = 3.
        expect(rows).toEqual([
          expect.objectContaining({
            customer_id: 'a',
            recency_days: 60,
            frequency: 1,
            monetary: 50,
          }),
          expect.objectContaining({
            customer_id: 'c',
            recency_days: 29,
            frequency: 3,
            monetary: 50,
          }),
        ]);
        expect(rows.map((r) => [r.r, r.f, r.m, r.fm, r.segment])).toEqual([
          [1, 1, 1, 1, 'Lost'],
          [5, 5, 1, 3, 'Potential loyalists'],
        ]);
        expect((await rfm(engine, { asOf })).asOf).toEqual(asOf);
      });

      it('gives empty segments, not an error, without orders', async () => {
        await load([]);
        const result = await rfm(engine);
        expect(result.asOf).toBeNull();
        expect(result.segments).toHaveLength(11);
        expect(result.segments.every((s) => s.customers === 0 && s.share === null)).toBe(true);
        expect(result.scores.r.map((b) => b.customers)).toEqual([0, 0, 0, 0, 0]);
      });
    });

    describe('RFM: quintile scores with ties', () => {
      /**
       * Fixture K: 11 customers at asOf 2024-07-01. n − 1 = 10, so
       * score = 1 + ⌊(rank − 1) / 2⌋ capped at 5: ranks 1–2 → 1, 3–4 → 2, 5–6 → 3, 7–8 → 4, 9–11 → 5.
       *
       *   id   recency  F  M    rank R / score   rank F / score   rank M / score   FM  segment
       *   k01    5      6  140   10 → 5           10 → 5           11 → 5           5   Champions
       *   k02    5      1   50   10 → 5            1 → 1            1 → 1           1   New
       *   k03   12      2   80    7 → 4            3 → 2            4 → 2           2   Potential loyalists
       *   k04   12      3  120    7 → 4            6 → 3            9 → 5           4   Loyal
       *   k05   12      1   60    7 → 4            1 → 1            2 → 1           1   Promising
       *   k06   30      2   80    6 → 3            3 → 2            4 → 2           2   About to sleep
       *   k07   45      5  130    5 → 3            9 → 5           10 → 5           5   Loyal
       *   k08   60      2   70    4 → 2            3 → 2            3 → 2           2   Hibernating
       *   k09   90      4  110    3 → 2            8 → 4            8 → 4           4   At risk
       *   k10  200      3   90    2 → 1            6 → 3            6 → 3           3   At risk
       *   k11  365      6  100    1 → 1           10 → 5            7 → 4           5   Can't lose them
       *
       * Recency is ranked from most days to fewest. The tie k03–k05 (12 days) sits at
       * positions 7–9; ntile(5) (groups of 3, 2, 2, 2, 2) would give position 7 score 3
       * and positions 8–9 score 4. Here all three share rank 7 → 4. Likewise F = 2
       * (positions 3–5) all get 2, and M = 80 (positions 4–5) both get 2.
       */
      const table: [id: string, recency: number, f: number, m: number][] = [
        ['k01', 5, 6, 140],
        ['k02', 5, 1, 50],
        ['k03', 12, 2, 80],
        ['k04', 12, 3, 120],
        ['k05', 12, 1, 60],
        ['k06', 30, 2, 80],
        ['k07', 45, 5, 130],
        ['k08', 60, 2, 70],
        ['k09', 90, 4, 110],
        ['k10', 200, 3, 90],
        ['k11', 365, 6, 100],
      ];
      const asOf = at('2024-07-01 00:00:00');
      const day = 86_400_000;
      /** F orders: F − 1 of 10 early in 2023, the last one `recency` days before asOf (at 23:30). */
      const fixtureK: Row[] = table.flatMap(([id, recency, f, m]) => [
        ...Array.from({ length: f - 1 }, (_, i): Row => [
          id,
          `${id}-${i}`,
          `2023-01-0${i + 1} 09:00:00`,
          10,
        ]),
        [
          id,
          `${id}-last`,
          new Date(asOf.getTime() - recency * day + 23.5 * 3_600_000)
            .toISOString()
            .slice(0, 19)
            .replace('T', ' '),
          m - 10 * (f - 1),
        ],
      ]);
      const expected: Record<
        string,
        [r: number, f: number, m: number, fm: number, segment: RfmSegment]
      > = {
        k01: [5, 5, 5, 5, 'Champions'],
        k02: [5, 1, 1, 1, 'New'],
        k03: [4, 2, 2, 2, 'Potential loyalists'],
        k04: [4, 3, 5, 4, 'Loyal'],
        k05: [4, 1, 1, 1, 'Promising'],
        k06: [3, 2, 2, 2, 'About to sleep'],
        k07: [3, 5, 5, 5, 'Loyal'],
        k08: [2, 2, 2, 2, 'Hibernating'],
        k09: [2, 4, 4, 4, 'At risk'],
        k10: [1, 3, 3, 3, 'At risk'],
        k11: [1, 5, 4, 5, "Can't lose them"],
      };

      it('gives equal values equal scores and assigns the segments of the table', async () => {
        await load(fixtureK);
        const rows = await rfmCustomers(engine, { asOf });
        expect(
          Object.fromEntries(
            rows.map((x) => [x.customer_id, [x.recency_days, x.frequency, x.monetary]]),
          ),
        ).toEqual(Object.fromEntries(table.map(([id, ...values]) => [id, values])));
        expect(
          Object.fromEntries(rows.map((x) => [x.customer_id, [x.r, x.f, x.m, x.fm, x.segment]])),
        ).toEqual(expected);
      });

      it('summarises segments and score bands', async () => {
        await load(fixtureK);
        const result = await rfm(engine, { asOf });
        expect(result.segments.map((s) => s.segment)).toEqual(SEGMENT_RULES.map((x) => x.segment));
        const s = bySegment(result);
        expect(Object.fromEntries(result.segments.map((x) => [x.segment, x.customers]))).toEqual({
          Champions: 1,
          Loyal: 2,
          'Potential loyalists': 1,
          New: 1,
          Promising: 1,
          'Need attention': 0,
          'About to sleep': 1,
          'At risk': 2,
          "Can't lose them": 1,
          Hibernating: 1,
          Lost: 0,
        });
        // Revenue = 50 + 60 + … + 140 (ten values, 950) + the second 80 = 1,030.
        // Loyal: k04 120 + k07 130 = 250; recency (12 + 45) / 2; F (3 + 5) / 2; M 125.
        expect(s.Loyal.share).toBeCloseTo((100 * 2) / 11, 10);
        expect(s.Loyal.revenue).toBe(250);
        expect(s.Loyal.revenueShare).toBeCloseTo((100 * 250) / 1030, 10);
        expect(s.Loyal).toMatchObject({ avgRecency: 28.5, avgFrequency: 4, avgMonetary: 125 });
        // At risk: k09 (90 days, 4, 110) and k10 (200 days, 3, 90).
        expect(s['At risk']).toMatchObject({
          revenue: 200,
          avgRecency: 145,
          avgFrequency: 3.5,
          avgMonetary: 100,
        });
        expect(s.Lost).toMatchObject({ customers: 0, share: 0, revenue: 0, avgRecency: null });
        // Bands from the table: R 4 = the three 12-day customers; M 2 = 70, 80, 80.
        expect(result.scores.r.map((b) => b.customers)).toEqual([2, 2, 2, 3, 2]);
        expect(result.scores.f.map((b) => b.customers)).toEqual([2, 3, 2, 1, 3]);
        expect(result.scores.m.map((b) => b.customers)).toEqual([2, 3, 1, 2, 3]);
        expect(result.scores.r[3]).toEqual({ score: 4, customers: 3, min: 12, max: 12 });
        expect(result.scores.r[0]).toEqual({ score: 1, customers: 2, min: 200, max: 365 });
        expect(result.scores.m[1]).toEqual({ score: 2, customers: 3, min: 70, max: 80 });
        expect(result.scores.f[4]).toEqual({ score: 5, customers: 3, min: 5, max: 6 });
      });

      it('exports one segment, and the statements run on their own', async () => {
        await load(fixtureK);
        const atRisk = await rfmCustomers(engine, { asOf }, 'At risk');
        expect(atRisk.map((x) => [x.customer_id, x.monetary])).toEqual([
          ['k09', 110],
          ['k10', 90],
        ]);
        const result = await rfm(engine, { asOf });
        expect(result.sql.customers).toContain('FROM "orders"');
        expect(await all(result.sql.customers)).toHaveLength(11);
        expect(await all(result.sql.segments)).toHaveLength(11);
        expect(await all(result.sql.scores)).toHaveLength(15);
        expect(() => rfmCustomersSql({}, 'Nobody' as RfmSegment)).toThrow(RangeError);
        expect(() => rfmCustomersSql({ asOf: new Date(NaN) })).toThrow(RangeError);
      });

      it('scores everybody 1 when all values are equal', async () => {
        await load([
          ['x', 'x1', '2024-01-01 10:00:00', 10],
          ['y', 'y1', '2024-01-01 18:00:00', 10],
        ]);
        const rows = await rfmCustomers(engine);
        expect(rows.map((x) => [x.r, x.f, x.m, x.segment])).toEqual([
          [1, 1, 1, 'Lost'],
          [1, 1, 1, 'Lost'],
        ]);
      });
    });
  });

  describe('RFM: the segment rules', () => {
    /** The grid written out by hand from the rule table (rows FM 5 → 1, columns R 1 → 5). */
    const grid: Record<number, RfmSegment[]> = {
      5: ["Can't lose them", "Can't lose them", 'Loyal', 'Loyal', 'Champions'],
      4: ['At risk', 'At risk', 'Loyal', 'Loyal', 'Champions'],
      3: ['At risk', 'At risk', 'Need attention', 'Potential loyalists', 'Potential loyalists'],
      2: ['Lost', 'Hibernating', 'About to sleep', 'Potential loyalists', 'Potential loyalists'],
      1: ['Lost', 'Hibernating', 'About to sleep', 'Promising', 'New'],
    };
    const pairs = [1, 2, 3, 4, 5].flatMap((r) => [1, 2, 3, 4, 5].map((fm) => [r, fm] as const));

    it('maps every (R, FM) pair to exactly one segment, and every segment is reachable', () => {
      for (const [r, fm] of pairs) {
        const matching = SEGMENT_RULES.filter((x) => ruleMatches(x, r, fm));
        expect(
          matching.map((x) => x.segment),
          `R ${r}, FM ${fm}`,
        ).toEqual([grid[fm][r - 1]]);
        expect(segmentOf(r, fm)).toBe(grid[fm][r - 1]);
      }
      expect(new Set(Object.values(grid).flat()).size).toBe(11);
      expect(SEGMENT_RULES).toHaveLength(11);
    });

    it('the generated SQL CASE gives the same segment for all 25 pairs', async () => {
      const rows =
        await all(`SELECT r::INTEGER AS r, fm::INTEGER AS fm, ${segmentCaseSql('r', 'fm')} AS segment
        FROM range(1, 6) a(r), range(1, 6) b(fm) ORDER BY r, fm`);
      expect(rows).toEqual(pairs.map(([r, fm]) => ({ r, fm, segment: grid[fm][r - 1] })));
    });

    it('rounds FM = (F + M) / 2 half up, in TS and SQL alike', async () => {
      expect([fmScore(4, 5), fmScore(1, 2), fmScore(2, 2), fmScore(1, 1), fmScore(5, 5)]).toEqual([
        5, 2, 2, 1, 5,
      ]);
      const rows =
        await all(`SELECT f::INTEGER AS f, m::INTEGER AS m, ${fmSql('f', 'm')}::INTEGER AS fm
        FROM range(1, 6) a(f), range(1, 6) b(m) ORDER BY f, m`);
      for (const { f, m, fm } of rows)
        expect(fm).toBe(Math.ceil(((f as number) + (m as number)) / 2));
    });
  });

  describe('behavioural segments', () => {
    /**
     * Fixture B. Last order 2024-06-30 12:00 → default asOf 2024-07-01. 8 customers, revenue 550.
     *   v1: 2 orders, 1 with a code (exactly 50 %); both kitchen (100 %)       recency 11
     *   v2: 3 orders, 1 with a code, 1 with '' (33 %); kitchen 40 %             recency 28
     *   v3: 1 order of two rows, one row with a code → 1 of 1 discounted       recency 6
     *   p1: books 60 + 20 of 100 (exactly 80 %), 2 orders                      recency 1
     *   p2: books 79 of 100 (79 %), 2 orders                                   recency 15
     *   p3: books 100 %, but 1 order                                           recency 16
     *   l1: last order 2024-06-01 23:59:59 → exactly 30 days; food 50 %
     *   l2: last order 2024-05-31 → 31 days
     * Window 30: value seekers v1, v3 (100 + 20); product-specific v1, p1 (100 + 100);
     * lapsed l2 (10).
     */
    const fixtureB: Row[] = [
      ['v1', 'v1a', '2024-06-10 10:00:00', 50, 'mug', 'kitchen', 'SPRING'],
      ['v1', 'v1b', '2024-06-20 10:00:00', 50, 'mug', 'kitchen', null],
      ['v2', 'v2a', '2024-06-01 09:00:00', 30, 'tea', 'food', 'X'],
      ['v2', 'v2b', '2024-06-02 09:00:00', 30, 'pen', 'office', null],
      ['v2', 'v2c', '2024-06-03 09:00:00', 40, 'pan', 'kitchen', ''],
      ['v3', 'v3a', '2024-06-25 10:00:00', 10, 'tea', 'food', 'WELCOME'],
      ['v3', 'v3a', '2024-06-25 10:00:00', 10, 'mug', 'kitchen', null],
      ['p1', 'p1a', '2024-06-30 12:00:00', 60, 'book', 'books', null],
      ['p1', 'p1a', '2024-06-30 12:00:00', 20, 'bookmark', 'books', null],
      ['p1', 'p1b', '2024-05-15 12:00:00', 20, 'pen', 'office', null],
      ['p2', 'p2a', '2024-06-15 12:00:00', 79, 'book', 'books', null],
      ['p2', 'p2b', '2024-06-16 12:00:00', 21, 'pen', 'office', null],
      ['p3', 'p3a', '2024-06-15 12:00:00', 100, 'book', 'books', null],
      ['l1', 'l1a', '2024-05-01 10:00:00', 10, 'tea', 'food', null],
      ['l1', 'l1b', '2024-06-01 23:59:59', 10, 'pen', 'office', null],
      ['l2', 'l2a', '2024-05-31 00:00:00', 10, 'tea', 'food', null],
    ];
    const counts = async (params: SegmentParams) =>
      Object.fromEntries(
        (await behaviouralSegments(engine, params)).segments.map((s) => [s.segment, s.customers]),
      );

    it('finds the three segments at the default thresholds, edges included', async () => {
      await load(fixtureB);
      const { segments, sql } = await behaviouralSegments(engine, { windowDays: 30 });
      expect(segments.map(({ note: _n, ...s }) => s)).toEqual([
        {
          segment: 'value_seekers',
          label: 'Value seekers',
          available: true,
          customers: 2,
          share: 25,
          revenue: 120,
        },
        {
          segment: 'product_specific',
          label: 'Product-specific buyers',
          available: true,
          customers: 2,
          share: 25,
          revenue: 200,
        },
        {
          segment: 'lapsed',
          label: 'Lapsed customers',
          available: true,
          customers: 1,
          share: 12.5,
          revenue: 10,
        },
      ]);
      expect(segments[1].note).toMatch(/category/);
      expect(sql).toContain('FROM "orders"');
      expect(await all(sql)).toHaveLength(3);
    });

    it('moves customers in and out as the thresholds cross their exact shares', async () => {
      await load(fixtureB);
      // 0.51: v1 (0.5) drops out; 0.79: p2 (0.79) comes in; window 29: l1 (30 days) is lapsed.
      expect(await counts({ windowDays: 29, discountShare: 0.51, categoryShare: 0.79 })).toEqual({
        value_seekers: 1,
        product_specific: 3,
        lapsed: 2,
      });
      expect((await counts({ windowDays: 31 })).lapsed).toBe(0);
      // asOf 2024-06-02 00:00, window 1: only v2a, p1b, l1a, l1b and l2a are before it.
      // v2's one order so far had a code → value seeker. Recency: v2 and l1 1 day (not
      // lapsed), l2 2 days and p1 18 days (lapsed). Nobody has 2 orders in one category.
      const early = await counts({ windowDays: 1, asOf: at('2024-06-02 00:00:00') });
      expect(early).toEqual({ value_seekers: 1, product_specific: 0, lapsed: 2 });
    });

    it('exports the customers of a segment with the figures behind it', async () => {
      await load(fixtureB);
      const seekers = await segmentCustomers(engine, { windowDays: 30 }, 'value_seekers');
      expect(
        seekers.map((x) => [
          x.customer_id,
          x.orders,
          x.discounted_orders,
          x.discount_share,
          x.revenue,
        ]),
      ).toEqual([
        ['v1', 2, 1, 0.5, 100],
        ['v3', 1, 1, 1, 20],
      ]);
      const specific = await segmentCustomers(engine, { windowDays: 30 }, 'product_specific');
      expect(specific.map((x) => [x.customer_id, x.top_group, x.top_share])).toEqual([
        ['p1', 'books', 0.8],
        ['v1', 'kitchen', 1],
      ]);
      const lapsed = await segmentCustomers(engine, { windowDays: 30 }, 'lapsed');
      expect(lapsed).toEqual([
        expect.objectContaining({
          customer_id: 'l2',
          recency_days: 31,
          last_order_ts: at('2024-05-31 00:00:00'),
        }),
      ]);
    });

    it('groups by product without categories, and says when a segment cannot be told', async () => {
      await load(fixtureB);
      await engine.exec(`UPDATE orders SET category = NULL`);
      // By product: v1 mug 100 % (in); p1 book 60 % (out); p2 book 79 % (out) → 1.
      let result = await behaviouralSegments(engine, { windowDays: 30 });
      expect(result.segments[1]).toMatchObject({ available: true, customers: 1, revenue: 100 });
      expect(result.segments[1].note).toMatch(/product/);

      await engine.exec(`UPDATE orders SET product = NULL, discount_code = NULL`);
      result = await behaviouralSegments(engine, { windowDays: 30 });
      for (const s of result.segments.slice(0, 2)) {
        expect(s).toMatchObject({ available: false, customers: null, share: null, revenue: null });
        expect(s.note).toMatch(/not available/i);
      }
      expect(result.segments[2]).toMatchObject({ available: true, customers: 1 });
      expect(await segmentCustomers(engine, { windowDays: 30 }, 'value_seekers')).toEqual([]);

      // Codes mapped but never used: available, and nobody is a value seeker.
      await engine.exec(`UPDATE orders SET discount_code = ''`);
      result = await behaviouralSegments(engine, { windowDays: 30 });
      expect(result.segments[0]).toMatchObject({
        available: true,
        customers: 0,
        share: 0,
        revenue: 0,
      });
    });

    it('rejects parameters outside their range', () => {
      expect(() => segmentsSql({ windowDays: 0 })).toThrow(RangeError);
      expect(() => segmentsSql({ windowDays: 30, discountShare: 1.5 })).toThrow(RangeError);
      expect(() => segmentsSql({ windowDays: 30, categoryShare: 0 })).toThrow(RangeError);
    });
  });

  describe('Online Retail through the detected mapping', () => {
    beforeAll(async () => {
      await dropCanonical(engine);
      const input = await harness.open('retailCsv');
      const table = (await loadFile(engine, harness.decoders(), input)).tables[0].name;
      await applyDetected(engine, table, 'GBP');
    }, 120_000);

    it('puts every customer of the clean subset in one segment: 4,338 customers, 8,911,407.90 (SOURCE.md)', async () => {
      const result = await rfm(engine);
      // The data ends 2011-12-09 12:50 (SOURCE.md), so asOf is 2011-12-10 00:00.
      expect(result.asOf).toEqual(at('2011-12-10 00:00:00'));
      expect(result.segments.reduce((sum, s) => sum + s.customers, 0)).toBe(4_338);
      const revenue = result.segments.reduce((sum, s) => sum + s.revenue, 0);
      expect(Math.round(revenue * 100) / 100).toBe(8_911_407.9);
      expect(result.segments.reduce((sum, s) => sum + (s.share ?? 0), 0)).toBeCloseTo(100, 9);
      for (const key of ['r', 'f', 'm'] as const) {
        expect(result.scores[key].reduce((sum, b) => sum + b.customers, 0)).toBe(4_338);
      }
    });

    it('agrees with an independent reference query for three customers', async () => {
      // Written differently on purpose: window functions over the order lines, and the
      // day count as a DATE difference, instead of GROUP BY and date_diff.
      const reference = await all(`WITH lines AS (
          SELECT customer_id,
            dense_rank() OVER (PARTITION BY customer_id ORDER BY order_id) AS order_number,
            sum(amount) OVER (PARTITION BY customer_id) AS spend,
            max(order_ts) OVER (PARTITION BY customer_id) AS last_ts
          FROM orders WHERE customer_id IN ('12346', '12347', '17850')
        )
        SELECT customer_id, max(order_number)::INTEGER AS frequency,
          round(max(spend), 2)::DOUBLE AS monetary, max(last_ts) AS last_order_ts,
          ((SELECT max(order_ts) FROM orders)::DATE + 1 - max(last_ts)::DATE)::INTEGER AS recency_days
        FROM lines GROUP BY customer_id ORDER BY customer_id`);
      const mine = (await rfmCustomers(engine))
        .filter((x) => ['12346', '12347', '17850'].includes(x.customer_id))
        .sort((a, b) => a.customer_id.localeCompare(b.customer_id))
        .map((x) => ({
          customer_id: x.customer_id,
          frequency: x.frequency,
          monetary: Math.round(x.monetary * 100) / 100,
          last_order_ts: x.last_order_ts,
          recency_days: x.recency_days,
        }));
      expect(mine).toEqual(reference);
      // 12347 as RFM tutorials on this data publish it: 7 invoices, 4,310.00 spent, last
      // purchase 2011-12-07 (15:52) → 3 calendar days before 2011-12-10. (Tutorials that
      // subtract timestamps from 2011-12-10 12:50 show 2 days for the same customer.)
      expect(mine[1]).toEqual({
        customer_id: '12347',
        frequency: 7,
        monetary: 4310,
        last_order_ts: at('2011-12-07 15:52:00'),
        recency_days: 3,
      });
      // 12346: one invoice of 77,183.60 on 2011-01-18 (its cancellation is excluded):
      // Jan 18 → Dec 10, 2011 = 326 days, the recency tutorials publish for it.
      expect(mine[0]).toMatchObject({ frequency: 1, monetary: 77_183.6, recency_days: 326 });
    });

    it('has no discount codes, so value seekers are not available; lapsed matches a direct count', async () => {
      const { segments } = await behaviouralSegments(engine, { windowDays: 90 });
      expect(segments[0]).toMatchObject({
        segment: 'value_seekers',
        available: false,
        customers: null,
      });
      const [direct] = await all(`SELECT count(*)::INTEGER AS n FROM (
          SELECT max(order_ts)::DATE AS last_day FROM orders GROUP BY customer_id)
        WHERE DATE '2011-12-10' - last_day > 90`);
      expect(segments[2]).toMatchObject({ segment: 'lapsed', customers: direct.n });
    });
  });
}
