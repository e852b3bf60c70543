import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerSummary, customerSummarySql } from '../../src/lib/analyses/btyd-summary.ts';
import { purchaseJourney } from '../../src/lib/analyses/purchases.ts';
import type { SqlEngine } from '../../src/lib/engine/types.ts';
import type { InputFile } from '../../src/lib/ingest/input.ts';
import { loadFile } from '../../src/lib/ingest/load.ts';
import { applyMapping, dropCanonical } from '../../src/lib/schema/views.ts';
import { literal } from '../../src/lib/sql/quote.ts';
import type { IngestHarness } from './ingest-suite.ts';

type Row = [
  customer: string,
  order: string,
  ts: string,
  amount: number | null,
  product: string | null,
];

/** Category of each product in the fixture (NULL product → NULL category). */
const CATEGORY: Record<string, string> = {
  Mug: 'Kitchen',
  Spoon: 'Kitchen',
  Tea: 'Food',
  Cake: 'Food',
};

/**
 * Purchase-journey fixture; every expected figure below is worked out by hand from it.
 * Orders (items; days from first to second order in whole calendar days):
 *   a: a1 01-01 10:00 {Mug, Tea, Tea again}  a2 01-08 10:00 {Tea, Spoon} (exactly 7)  a3 03-01 {Mug}
 *   b: b1 01-01 12:00 {Mug}                  b2 01-09 12:00 {Tea} (exactly 8)
 *   c: c1 01-02 {Tea, Spoon}                 a single order
 *   d: d1 02-01 09:00 {Tea}                  d2 02-01 15:00 {Cake} (0, same day)
 *   e: e1 2024-01-01 {Mug}                   e2 2025-01-05 {Mug} (366 + 4 = 370)
 *   f: f1 rows 05-10 {Cake} and 05-01 {Tea}: timed 05-01   f2 05-05 {Spoon} (4, not −5)
 *   g: g2 and g1 both 06-01 10:00: g1 {Cake} first by order_id, g2 {Mug} second (0)
 *   h: h1 03-01 {no product}                 h2 04-30 {Tea} (29 + 31 = 60)
 * 8 customers, 7 with a second order; 7 first orders name an item (not h).
 */
const JOURNEY: Row[] = [
  ['a', 'a1', '2024-01-01 10:00:00', 5, 'Mug'],
  ['a', 'a1', '2024-01-01 10:00:00', 3, 'Tea'],
  ['a', 'a1', '2024-01-01 10:00:00', 3, 'Tea'],
  ['a', 'a2', '2024-01-08 10:00:00', 3, 'Tea'],
  ['a', 'a2', '2024-01-08 10:00:00', 1, 'Spoon'],
  ['a', 'a3', '2024-03-01 10:00:00', 5, 'Mug'],
  ['b', 'b1', '2024-01-01 12:00:00', 5, 'Mug'],
  ['b', 'b2', '2024-01-09 12:00:00', 3, 'Tea'],
  ['c', 'c1', '2024-01-02 10:00:00', 3, 'Tea'],
  ['c', 'c1', '2024-01-02 10:00:00', 1, 'Spoon'],
  ['d', 'd1', '2024-02-01 09:00:00', 3, 'Tea'],
  ['d', 'd2', '2024-02-01 15:00:00', 4, 'Cake'],
  ['e', 'e1', '2024-01-01 10:00:00', 5, 'Mug'],
  ['e', 'e2', '2025-01-05 10:00:00', 5, 'Mug'],
  ['f', 'f1', '2024-05-10 10:00:00', 4, 'Cake'],
  ['f', 'f1', '2024-05-01 10:00:00', 3, 'Tea'],
  ['f', 'f2', '2024-05-05 10:00:00', 1, 'Spoon'],
  ['g', 'g2', '2024-06-01 10:00:00', 5, 'Mug'],
  ['g', 'g1', '2024-06-01 10:00:00', 4, 'Cake'],
  ['h', 'h1', '2024-03-01 10:00:00', 9, null],
  ['h', 'h2', '2024-04-30 10:00:00', 3, 'Tea'],
];

/** Parse a reference CSV (header line, comma-separated numbers, any line ending). */
function parseCsv(text: string): Record<string, number>[] {
  const [header, ...lines] = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const names = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], Number(v)])));
}

async function readText(input: InputFile): Promise<string> {
  const data = await input.data();
  return data instanceof Uint8Array ? new TextDecoder().decode(data) : await data.text();
}

/** First and second purchase and the BTYD summary, run on both engines. */
export function purchasesSuite(harness: IngestHarness) {
  describe('first and second purchase, BTYD summary', () => {
    let engine: SqlEngine;
    beforeAll(async () => {
      engine = await harness.engine();
    }, 60_000);
    afterAll(async () => engine?.close());

    /** Replace the canonical relations with an `orders` table holding these rows. */
    async function load(rows: Row[], { categories = true } = {}) {
      await dropCanonical(engine);
      await engine.exec(`CREATE TABLE orders (customer_id VARCHAR, order_id VARCHAR,
        order_ts TIMESTAMP, amount DOUBLE, quantity DOUBLE, unit_price DOUBLE, product VARCHAR,
        category VARCHAR, channel VARCHAR, discount_code VARCHAR, status VARCHAR)`);
      const values = rows.map(([c, o, ts, amount, product]) => {
        const category = categories && product ? CATEGORY[product] : null;
        return `(${[c, o, ts, amount, product, category].map(literal).join(', ')})`;
      });
      await engine.exec(`INSERT INTO orders (customer_id, order_id, order_ts, amount, product, category)
        VALUES ${values.join(',\n')}`);
    }

    describe('purchaseJourney on a hand-computed fixture', () => {
      it('top first and second items, each item once per customer and order', async () => {
        await load(JOURNEY);
        const j = await purchaseJourney(engine, { by: 'product' });
        expect(j.by).toBe('product');
        expect(j.note).toBeNull();
        // first orders: Tea a c d f, Mug a b e, Cake f g, Spoon c; of 7 first orders naming an item
        expect(j.topFirst).toEqual([
          { item: 'Tea', customers: 4, share: 4 / 7 },
          { item: 'Mug', customers: 3, share: 3 / 7 },
          { item: 'Cake', customers: 2, share: 2 / 7 },
          { item: 'Spoon', customers: 1, share: 1 / 7 },
        ]);
        // second orders: Tea a b h, Mug e g, Spoon a f, Cake d (a3 is a third order)
        expect(j.topSecond).toEqual([
          { item: 'Tea', customers: 3 },
          { item: 'Mug', customers: 2 },
          { item: 'Spoon', customers: 2 },
          { item: 'Cake', customers: 1 },
        ]);
        expect(j.sql.first).toContain('"product"');
      });

      it('add-ons: every first-order item paired with every second-order item', async () => {
        await load(JOURNEY);
        const j = await purchaseJourney(engine, { by: 'product' });
        // a: Mug→Tea Mug→Spoon Tea→Tea Tea→Spoon; b: Mug→Tea; d: Tea→Cake; e: Mug→Mug;
        // f: Tea→Spoon Cake→Spoon; g: Cake→Mug; h: no first item
        expect(j.addOns).toEqual([
          { first: 'Mug', second: 'Tea', customers: 2 },
          { first: 'Tea', second: 'Spoon', customers: 2 },
          { first: 'Cake', second: 'Mug', customers: 1 },
          { first: 'Cake', second: 'Spoon', customers: 1 },
          { first: 'Mug', second: 'Mug', customers: 1 },
          { first: 'Mug', second: 'Spoon', customers: 1 },
          { first: 'Tea', second: 'Cake', customers: 1 },
          { first: 'Tea', second: 'Tea', customers: 1 },
        ]);
        // Tea: a d f came back, c did not; Mug: a b e; Cake: f g; Spoon: c only
        expect(j.secondRateByFirst).toEqual([
          { item: 'Tea', customers: 4, withSecond: 3, rate: 0.75 },
          { item: 'Mug', customers: 3, withSecond: 3, rate: 1 },
          { item: 'Cake', customers: 2, withSecond: 2, rate: 1 },
          { item: 'Spoon', customers: 1, withSecond: 0, rate: 0 },
        ]);
      });

      it('days to second order: exactly 7 days is 0–7, exactly 8 is 8–30', async () => {
        await load(JOURNEY);
        const j = await purchaseJourney(engine, { by: 'product' });
        // d 0, g 0, f 4, a 7 | b 8 | h 60 | e 370
        expect(j.daysToSecond).toEqual([
          { bucket: '0–7', customers: 4 },
          { bucket: '8–30', customers: 1 },
          { bucket: '31–60', customers: 1 },
          { bucket: '61–90', customers: 0 },
          { bucket: '91–180', customers: 0 },
          { bucket: '181–365', customers: 0 },
          { bucket: '>365', customers: 1 },
        ]);
        // of all 8 customers: ≤0 d g; ≤7 + a f; ≤14 + b; ≤60 + h; e only after 365
        expect(j.repeatCurve).toEqual([
          { day: 0, share: 2 / 8 },
          { day: 7, share: 4 / 8 },
          { day: 14, share: 5 / 8 },
          { day: 30, share: 5 / 8 },
          { day: 60, share: 6 / 8 },
          { day: 90, share: 6 / 8 },
          { day: 180, share: 6 / 8 },
          { day: 365, share: 6 / 8 },
        ]);
      });

      it('caps the curve at the horizon and ends it there; top limits the lists', async () => {
        await load(JOURNEY);
        const short = await purchaseJourney(engine, { by: 'product', top: 2, horizonDays: 45 });
        expect(short.repeatCurve).toEqual([
          { day: 0, share: 2 / 8 },
          { day: 7, share: 4 / 8 },
          { day: 14, share: 5 / 8 },
          { day: 30, share: 5 / 8 },
          { day: 45, share: 5 / 8 },
        ]);
        expect(short.topFirst.map((r) => r.item)).toEqual(['Tea', 'Mug']);
        expect(short.addOns).toHaveLength(2);
        const long = await purchaseJourney(engine, { by: 'product', horizonDays: 400 });
        expect(long.repeatCurve.slice(-2)).toEqual([
          { day: 365, share: 6 / 8 },
          { day: 400, share: 7 / 8 }, // e at 370
        ]);
        await expect(purchaseJourney(engine, { by: 'product', top: 0 })).rejects.toThrow(
          RangeError,
        );
      });

      it('by category: Tea and Cake in one first order count Food once', async () => {
        await load(JOURNEY);
        const j = await purchaseJourney(engine, { by: 'category' });
        expect(j.by).toBe('category');
        // Food: a c d f g (f holds Tea and Cake); Kitchen: a b c e
        expect(j.topFirst).toEqual([
          { item: 'Food', customers: 5, share: 5 / 7 },
          { item: 'Kitchen', customers: 4, share: 4 / 7 },
        ]);
      });

      it('falls back to product when category is not mapped, and says so', async () => {
        await load(JOURNEY, { categories: false });
        const j = await purchaseJourney(engine, { by: 'category' });
        expect(j.by).toBe('product');
        expect(j.note).toMatch(/category/i);
        expect(j.topFirst[0]).toEqual({ item: 'Tea', customers: 4, share: 4 / 7 });
      });

      it('without products: empty lists, a note, and the timing still', async () => {
        await load(JOURNEY.map(([c, o, ts, a]): Row => [c, o, ts, a, null]));
        const j = await purchaseJourney(engine, { by: 'product' });
        expect(j.note).toMatch(/no product/i);
        expect([j.topFirst, j.topSecond, j.addOns, j.secondRateByFirst]).toEqual([[], [], [], []]);
        expect(j.repeatCurve.at(-1)).toEqual({ day: 365, share: 6 / 8 });
      });
    });

    describe('customerSummary on a hand-computed fixture', () => {
      /**
       * Calibration ends 2024-03-31 (2024 is a leap year).
       *   p: 01-01 $10 + $5 (one day, 15), 01-15 $20, 03-01 $0, 03-31 23:00 $40, 04-01 $100 (after)
       *      → x = 3, t_x = T = 90 days (31 + 29 + 30), zbar = (20 + 0 + 40) / 3 = 20
       *   q: 03-10 $30 → x = 0, t_x = 0, T = 21 days, zbar = 0
       *   r: first buys 04-02, after the calibration end → left out
       *   s: two orders on 02-01 → x = 0, T = 59 days (29 + 30)
       */
      const rows: Row[] = [
        ['p', 'p1', '2024-01-01 10:00:00', 10, null],
        ['p', 'p2', '2024-01-01 18:00:00', 5, null],
        ['p', 'p3', '2024-01-15 10:00:00', 20, null],
        ['p', 'p4', '2024-03-01 10:00:00', 0, null],
        ['p', 'p5', '2024-03-31 23:00:00', 40, null],
        ['p', 'p6', '2024-04-01 00:00:00', 100, null],
        ['q', 'q1', '2024-03-10 10:00:00', 30, null],
        ['r', 'r1', '2024-04-02 10:00:00', 50, null],
        ['s', 's1', '2024-02-01 09:00:00', 8, null],
        ['s', 's2', '2024-02-01 17:00:00', 12, null],
      ];

      it('collapses days, includes the calibration end, measures in days, weeks and months', async () => {
        await load(rows);
        const calibrationEnd = new Date('2024-03-31T12:00:00Z');
        const days = await customerSummary(engine, { unit: 'day', calibrationEnd });
        expect(days.calibrationEnd).toBe('2024-03-31');
        expect(days.rows).toEqual([
          { customer_id: 'p', x: 3, t_x: 90, T: 90, zbar: 20 },
          { customer_id: 'q', x: 0, t_x: 0, T: 21, zbar: 0 },
          { customer_id: 's', x: 0, t_x: 0, T: 59, zbar: 0 },
        ]);
        const weeks = await customerSummary(engine, { unit: 'week', calibrationEnd });
        expect(weeks.rows[0].t_x).toBeCloseTo(90 / 7, 12);
        expect(weeks.rows[1].T).toBe(3);
        const months = await customerSummary(engine, { unit: 'month', calibrationEnd });
        expect(months.rows[0].T).toBeCloseTo(90 / 30.4375, 12);
        expect(months.sql).toContain('30.4375');
        expect(() => customerSummarySql({ unit: 'year' as 'day', calibrationEnd })).toThrow();
      });

      it('leaves blank day totals out of zbar, on the first day and on repeat days', async () => {
        /**
         *   a: 01-01 blank, 01-02 $10, 01-03 $20 → repeat days' totals 10, 20: zbar = 15
         *   b: 01-01 $5, 01-02 blank, 01-03 $7 → repeat totals blank, 7: zbar = 7
         *   c: 01-01 $5, 01-02 blank → no repeat total: zbar = 0
         *   d: 01-01 $4, 01-01 blank (one day, total 4), 01-05 $6 → zbar = 6
         */
        await load([
          ['a', 'a1', '2024-01-01 10:00:00', null, null],
          ['a', 'a2', '2024-01-02 10:00:00', 10, null],
          ['a', 'a3', '2024-01-03 10:00:00', 20, null],
          ['b', 'b1', '2024-01-01 10:00:00', 5, null],
          ['b', 'b2', '2024-01-02 10:00:00', null, null],
          ['b', 'b3', '2024-01-03 10:00:00', 7, null],
          ['c', 'c1', '2024-01-01 10:00:00', 5, null],
          ['c', 'c2', '2024-01-02 10:00:00', null, null],
          ['d', 'd1', '2024-01-01 10:00:00', 4, null],
          ['d', 'd2', '2024-01-01 11:00:00', null, null],
          ['d', 'd3', '2024-01-05 10:00:00', 6, null],
        ]);
        const s = await customerSummary(engine, {
          unit: 'day',
          calibrationEnd: new Date('2024-01-31T00:00:00Z'),
        });
        expect(s.rows.map((r) => [r.customer_id, r.x, r.zbar])).toEqual([
          ['a', 2, 15],
          ['b', 2, 7],
          ['c', 1, 0],
          ['d', 1, 6],
        ]);
      });
    });

    describe('CDNOW sample: the BTYD summaries published with lifetimes', () => {
      type Summary = Awaited<ReturnType<typeof customerSummary>>;
      let summary: Summary;
      beforeAll(async () => {
        const { tables } = await loadFile(
          engine,
          harness.decoders(),
          await harness.open('cdnowSample'),
        );
        await applyMapping(engine, {
          version: 1,
          currency: 'USD',
          timeZone: 'UTC',
          tables: [
            {
              source: tables[0].name,
              kind: 'orders',
              // column1 is the sample id 0001…2357, the ID of the summary CSVs
              columns: { customer_id: 'column1', order_ts: 'column2', amount: 'column4' },
              parse: { order_ts: { date: '%Y%m%d' } },
              amount: 'column',
              // $0.00 rows still time a purchase (SOURCE.md); exact duplicates are real purchases
              include: { cancelled: false, nonPositive: true, duplicates: true },
              attributes: [],
            },
          ],
        });
        summary = await customerSummary(engine, {
          unit: 'week',
          calibrationEnd: new Date('1997-09-30T00:00:00Z'),
        });
      }, 120_000);

      const id = (n: number) => String(n).padStart(4, '0');
      const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol + 1e-9;

      it('equals cdnow_customers_summary_with_transactions.csv for all 2,357 customers', async () => {
        const reference = parseCsv(await readText(await harness.open('cdnowSummaryTx')));
        expect(reference).toHaveLength(2_357);
        expect(summary.rows).toHaveLength(2_357);
        const byId = new Map(summary.rows.map((r) => [r.customer_id, r]));
        // The CSV rounds to 2 decimals: ±0.005 on t_x and T; zbar within 0.5 % (or rounding).
        const mismatches = reference.filter((ref) => {
          const row = byId.get(id(ref.ID));
          return (
            !row ||
            row.x !== ref.x ||
            !close(row.t_x, ref.t_x, 0.005) ||
            !close(row.T, ref.T, 0.005) ||
            !close(row.zbar, ref.zbar, Math.max(0.005, 0.005 * ref.zbar))
          );
        });
        expect(mismatches).toEqual([]);
        // FHL 2005: 1,411 of the 2,357 made no repeat purchase in the 39 weeks
        expect(summary.rows.filter((r) => r.x === 0)).toHaveLength(1_411);
      });

      it('equals cdnow_customers_summary.csv (frequency, recency, T)', async () => {
        const reference = parseCsv(await readText(await harness.open('cdnowSummary')));
        expect(reference).toHaveLength(2_357);
        const byId = new Map(summary.rows.map((r) => [r.customer_id, r]));
        const mismatches = reference.filter((ref) => {
          const row = byId.get(id(ref.ID));
          return (
            !row ||
            row.x !== ref.frequency ||
            !close(row.t_x, ref.recency, 0.005) ||
            !close(row.T, ref.T, 0.005)
          );
        });
        expect(mismatches).toEqual([]);
      });
    });
  });
}
