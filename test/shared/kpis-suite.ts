import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  kpiSummary,
  kpiSummarySql,
  kpisByPeriod,
  suggestWindow,
  type PeriodKpis,
} from '../../src/lib/analyses/kpis.ts';
import { hasOrderFacts, orderFactsSql } from '../../src/lib/analyses/kpis-sql.ts';
import { toRows } from '../../src/lib/engine/rows.ts';
import type { SqlEngine } from '../../src/lib/engine/types.ts';
import { literal } from '../../src/lib/sql/quote.ts';

/** Run on both engines: native DuckDB (test/unit) and DuckDB-WASM (test/browser). */
export function kpisSuite(create: () => Promise<SqlEngine>) {
  // Every case twice: over the orders themselves, and over the order_facts table that
  // confirming a mapping builds (the analyses read it when it exists).
  describe.each(['orders', 'order_facts'] as const)('KPIs read from %s', (from) =>
    kpisCases(create, from),
  );
}

function kpisCases(create: () => Promise<SqlEngine>, from: 'orders' | 'order_facts') {
  /**
   * Every expected number below is worked out by hand in the comment next to it,
   * from the tiny fixture of that test; none is copied from the code's output.
   */

  type OrderRow = [customer: string, orderId: string, ts: string, amount: number];
  type FeedbackRow = [customer: string, ts: string, score: number | null];
  type SubscriptionRow = [customer: string, start: string, end: string | null, mrr: number];

  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await create();
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
  });

  /** A naive wall-clock timestamp as the Date that toRows gives back (UTC). */
  const at = (text: string) => new Date(`${text.replace(' ', 'T')}Z`);

  /** Replace the canonical tables with the given rows; absent tables are dropped. */
  async function load(tables: {
    orders: OrderRow[];
    feedback?: FeedbackRow[];
    subscriptions?: SubscriptionRow[];
  }) {
    for (const t of ['order_facts', 'orders', 'feedback', 'subscriptions', 'customers']) {
      await engine.exec(`DROP TABLE IF EXISTS ${t}`);
    }
    await engine.exec(`CREATE TABLE orders (customer_id VARCHAR, order_id VARCHAR,
    order_ts TIMESTAMP, amount DOUBLE, quantity DOUBLE, unit_price DOUBLE, product VARCHAR,
    category VARCHAR, channel VARCHAR, discount_code VARCHAR, status VARCHAR)`);
    await insert('orders (customer_id, order_id, order_ts, amount)', tables.orders);
    if (from === 'order_facts') await engine.exec(orderFactsSql());
    if (tables.feedback) {
      await engine.exec(`CREATE TABLE feedback (customer_id VARCHAR, feedback_ts TIMESTAMP,
      score DOUBLE, text VARCHAR, topic VARCHAR)`);
      await insert('feedback (customer_id, feedback_ts, score)', tables.feedback);
    }
    if (tables.subscriptions) {
      await engine.exec(`CREATE TABLE subscriptions (customer_id VARCHAR, start_ts TIMESTAMP,
      end_ts TIMESTAMP, plan VARCHAR, mrr DOUBLE)`);
      await insert('subscriptions (customer_id, start_ts, end_ts, mrr)', tables.subscriptions);
    }
  }

  async function insert(target: string, rows: (string | number | null)[][]) {
    if (rows.length === 0) return;
    const values = rows.map((r) => `(${r.map(literal).join(', ')})`).join(',\n');
    await engine.exec(`INSERT INTO ${target} VALUES ${values}`);
  }

  describe('suggestWindow', () => {
    it('takes the 90th percentile of gaps between distinct purchase days, rounded up', async () => {
      await load({
        orders: [
          // x: purchase days Jan 1, 2, 4, 7, 11, 16 → gaps 1, 2, 3, 4, 5
          ['x', 'x1', '2024-01-01 09:00:00', 10],
          ['x', 'x2', '2024-01-02 09:00:00', 10],
          ['x', 'x3', '2024-01-04 08:00:00', 10],
          ['x', 'x4', '2024-01-04 18:00:00', 10], // same day as x3: one purchase day, no 0 gap
          ['x', 'x5', '2024-01-07 09:00:00', 10],
          ['x', 'x6', '2024-01-11 09:00:00', 10],
          ['x', 'x7', '2024-01-16 09:00:00', 10],
          // y: Jan 1, 7, 14, 22, 31, Feb 10 → gaps 6, 7, 8, 9, 10 (calendar days:
          // 23:59:59 on Jan 31 to 00:00 on Feb 10 is 10 days, not 9.00001)
          ['y', 'y1', '2024-01-01 12:00:00', 10],
          ['y', 'y2', '2024-01-07 12:00:00', 10],
          ['y', 'y3', '2024-01-14 12:00:00', 10],
          ['y', 'y4', '2024-01-22 12:00:00', 10],
          ['y', 'y5', '2024-01-31 23:59:59', 10],
          ['y', 'y6', '2024-02-10 00:00:00', 10],
          ['z', 'z1', '2024-03-01 00:00:00', 10], // single order: no gap
        ],
      });
      const w = await suggestWindow(engine);
      // gaps 1…10 (n = 10); linear interpolation at (n − 1) × 0.9 = 8.1 → 9 + 0.1 × (10 − 9) = 9.1
      expect(w.gaps).toBe(10);
      expect(w.percentile).toBe(90);
      expect(w.percentileDays).toBeCloseTo(9.1, 9);
      expect(w.days).toBe(10); // ⌈9.1⌉
      expect(w.method).toMatch(/90th percentile/);
      expect(w.sql).toContain('quantile_cont');
    });

    it('does not add a day when the percentile is a whole number', async () => {
      // One customer, purchase days with gaps 1…11: Jan 1, 2, 4, 7, 11, 16, 22, 29, Feb 6,
      // 15, 25, Mar 7 (2024 is a leap year: Feb 25 + 11 days = Mar 7).
      const days = [
        '01-01',
        '01-02',
        '01-04',
        '01-07',
        '01-11',
        '01-16',
        '01-22',
        '01-29',
        '02-06',
        '02-15',
        '02-25',
        '03-07',
      ];
      await load({ orders: days.map((d, i) => ['x', `o${i}`, `2024-${d} 10:00:00`, 5]) });
      const w = await suggestWindow(engine);
      // n = 11; position (11 − 1) × 0.9 = 9 → the 10th smallest gap exactly: 10 days
      expect(w.gaps).toBe(11);
      expect(w.days).toBe(10);
    });

    it('falls back to 365 days when nobody bought on two different days', async () => {
      await load({
        orders: [
          ['a', 'a1', '2024-01-01 10:00:00', 10],
          ['a', 'a2', '2024-01-01 17:00:00', 10], // same day: still one purchase day
          ['b', 'b1', '2024-02-01 10:00:00', 10],
        ],
      });
      const w = await suggestWindow(engine);
      expect(w).toMatchObject({ days: 365, gaps: 0, percentile: 90, percentileDays: null });
      expect(w.method).toMatch(/365 days/);
    });
  });

  /**
   * Fixture A. Orders (value = sum of the order's rows):
   *   a: o1 2024-01-01 10:00 (30 + 20 = 50), o2 01-11 10:00 (50), o3 01-31 10:00 (100)
   *   b: o4 01-05 00:00 (40), o5 01-05 00:00 (60, same moment as o4), o6 01-09 00:00 (100)
   *   c: o7 2024-12-31 16:00 (300), a single order
   * customers 3, orders 7, revenue 700, AOV 100.
   * Span 2024-01-01 10:00 → 2024-12-31 16:00 = 365 days 6 h = 365.25 days = 1 year.
   */
  const fixtureA: OrderRow[] = [
    ['a', 'o1', '2024-01-01 10:00:00', 30],
    ['a', 'o1', '2024-01-01 10:00:00', 20],
    ['a', 'o2', '2024-01-11 10:00:00', 50],
    ['a', 'o3', '2024-01-31 10:00:00', 100],
    ['b', 'o4', '2024-01-05 00:00:00', 40],
    ['b', 'o5', '2024-01-05 00:00:00', 60],
    ['b', 'o6', '2024-01-09 00:00:00', 100],
    ['c', 'o7', '2024-12-31 16:00:00', 300],
  ];

  describe('kpiSummary', () => {
    it('computes the order KPIs, ties and CLTV with a given lifespan and margin', async () => {
      await load({ orders: fixtureA });
      const k = await kpiSummary(engine, { windowDays: 30, lifespanYears: 3, margin: 0.5 });
      expect(k.customers).toBe(3);
      expect(k.orders).toBe(7); // o1 has two rows but is one order
      expect(k.revenue).toBe(700);
      expect(k.aov).toBe(100); // 700 / 7
      expect(k.firstOrder).toEqual(at('2024-01-01 10:00:00'));
      expect(k.lastOrder).toEqual(at('2024-12-31 16:00:00'));
      expect(k.yearsSpanned).toBeCloseTo(1, 12);
      expect(k.purchaseFrequency).toBeCloseTo(7 / 3, 12);
      expect(k.purchaseFrequencyPerYear).toBeCloseTo(7 / 3, 12); // 7 / 3 / 1 year
      expect(k.repeatCustomers).toBe(2); // a and b; c bought once
      expect(k.repeatPurchaseRate).toBeCloseTo(200 / 3, 10);
      // gaps: a 10, 20; b 0 (o4 and o5 at the same moment), 4 → [0, 4, 10, 20]
      expect(k.gaps).toBe(4);
      expect(k.meanDaysBetweenPurchases).toBeCloseTo(8.5, 10); // 34 / 4
      expect(k.medianDaysBetweenPurchases).toBeCloseTo(7, 10); // (4 + 10) / 2
      // first → second order: a 10 days, b 0 days
      expect(k.meanDaysToSecondPurchase).toBeCloseTo(5, 10);
      expect(k.medianDaysToSecondPurchase).toBeCloseTo(5, 10);
      // CLTV = 100 × 7/3 per year × 3 years = 700; × margin 0.5 = 350
      expect(k.cltv.value).toBeCloseTo(700, 8);
      expect(k.cltv.marginAdjusted).toBeCloseTo(350, 8);
      expect(k.cltv).toMatchObject({ margin: 0.5, lifespanYears: 3, lifespanSource: 'parameter' });
      // churn with a 30-day window, data end 2024-12-31 16:00:
      //   a: last Jan 31, churned; observed 30 days (Jan 1 → Jan 31) + 30 = 60 days
      //   b: last Jan 9, churned; observed 4 + 30 = 34 days
      //   c: ordered at the data end: still active, observed 0 days
      expect(k.churn.windowDays).toBe(30);
      expect(k.churn.windowSource).toBe('parameter');
      expect(k.churn.churnedCustomers).toBe(2);
      expect(k.churn.exposureYears).toBeCloseTo(94 / 365.25, 12);
      expect(k.churn.annualChurnRate).toBeCloseTo((100 * 2) / (94 / 365.25), 8);
      expect(k.nps).toBeNull();
      expect(k.subscriptions).toBeNull();
    });

    it('estimates the lifespan as 1 / annual churn rate and suggests the window when not given', async () => {
      await load({ orders: fixtureA });
      const k = await kpiSummary(engine);
      // Purchase days: a Jan 1, 11, 31 → gaps 10, 20; b Jan 5, 9 → gap 4. Sorted [4, 10, 20]:
      // position 2 × 0.9 = 1.8 → 10 + 0.8 × 10 = 18 days.
      expect(k.churn.windowDays).toBe(18);
      expect(k.churn.windowSource).toBe('suggested');
      expect(k.churn.windowMethod).toMatch(/90th percentile/);
      // a: 30 + 18 = 48 days, b: 4 + 18 = 22 days, c: 0 → 70 days; 2 churned
      expect(k.churn.churnedCustomers).toBe(2);
      expect(k.churn.exposureYears).toBeCloseTo(70 / 365.25, 12);
      // lifespan = 1 / (2 per 70/365.25 years) = 35 / 365.25 years
      expect(k.cltv.lifespanSource).toBe('estimated');
      expect(k.cltv.lifespanYears).toBeCloseTo(35 / 365.25, 12);
      expect(k.cltv.value).toBeCloseTo(100 * (7 / 3) * (35 / 365.25), 8);
      expect(k.cltv.marginAdjusted).toBeCloseTo(100 * (7 / 3) * (35 / 365.25), 8); // margin 1
      expect(k.cltv.note).toMatch(/1 ÷ annual churn rate/);
      expect(k.sql.window).toContain('quantile_cont');
    });

    it('filters orders to the half-open range [from, to)', async () => {
      await load({ orders: fixtureA });
      const k = await kpiSummary(engine, {
        from: at('2024-01-06 00:00:00'),
        to: at('2024-02-01 00:00:00'),
        windowDays: 30,
      });
      // In range: a o2 (Jan 11, 50), a o3 (Jan 31, 100), b o6 (Jan 9, 100).
      expect(k.customers).toBe(2);
      expect(k.orders).toBe(3);
      expect(k.revenue).toBe(250);
      expect(k.repeatCustomers).toBe(1); // a: o2 and o3
      expect(k.repeatPurchaseRate).toBe(50);
      expect(k.meanDaysBetweenPurchases).toBeCloseTo(20, 10); // a: Jan 11 → Jan 31
      expect(k.sql.summary).toContain("TIMESTAMP '2024-01-06 00:00:00.000'");
    });

    it('handles a customer with a single order (no gaps, no churn to estimate)', async () => {
      await load({ orders: [['c', 'o7', '2024-12-31 16:00:00', 300]] });
      const k = await kpiSummary(engine, { windowDays: 30 });
      expect(k).toMatchObject({ customers: 1, orders: 1, revenue: 300, aov: 300 });
      expect(k.repeatCustomers).toBe(0);
      expect(k.repeatPurchaseRate).toBe(0);
      expect(k.gaps).toBe(0);
      expect(k.meanDaysBetweenPurchases).toBeNull();
      expect(k.medianDaysToSecondPurchase).toBeNull();
      expect(k.yearsSpanned).toBe(0);
      expect(k.purchaseFrequencyPerYear).toBeNull(); // no time spanned
      expect(k.churn.annualChurnRate).toBeNull(); // nothing observed
      expect(k.cltv.value).toBeNull();
      expect(k.cltv.lifespanYears).toBeNull();
      expect(k.cltv.note).toMatch(/cannot be estimated/);
    });

    it('computes NPS from a feedback view: 10, 9, 8, 7, 6, 0 → 2/6 − 2/6 = 0', async () => {
      await load({
        orders: fixtureA,
        feedback: [
          ['a', '2024-02-01 10:00:00', 10],
          ['b', '2024-02-01 10:00:00', 9],
          ['c', '2024-02-01 10:00:00', 8],
          ['a', '2024-03-01 10:00:00', 7],
          ['b', '2024-03-01 10:00:00', 6],
          ['c', '2024-03-01 10:00:00', 0],
          ['c', '2024-03-02 10:00:00', null], // no score: not a response
        ],
      });
      const k = await kpiSummary(engine, { windowDays: 30 });
      expect(k.nps).toMatchObject({ responses: 6, promoters: 2, passives: 2, detractors: 2 });
      expect(k.nps?.promoterShare).toBeCloseTo(100 / 3, 10);
      expect(k.nps?.detractorShare).toBeCloseTo(100 / 3, 10);
      expect(k.nps?.nps).toBeCloseTo(0, 10);
      // only March: 7, 6, 0 → 0 promoters, 2 detractors of 3 → −66.67
      const march = await kpiSummary(engine, { windowDays: 30, from: at('2024-03-01 00:00:00') });
      expect(march.nps?.responses).toBe(3);
      expect(march.nps?.nps).toBeCloseTo(-200 / 3, 10);
    });

    it('gives null NPS and subscriptions, not an error, without those views', async () => {
      await load({ orders: fixtureA });
      const k = await kpiSummary(engine, { windowDays: 30 });
      expect(k.nps).toBeNull();
      expect(k.subscriptions).toBeNull();
      expect(k.sql.nps).toBeUndefined();
      expect(k.sql.subscriptions).toBeUndefined();
    });

    it('returns SQL that runs on its own and quotes its names', async () => {
      await load({ orders: fixtureA });
      const sql = kpiSummarySql({ windowDays: 30 });
      expect(sql).toContain('FROM "orders"');
      const [row] = toRows(await engine.query(sql));
      expect(row.orders).toBe(7);
      expect(row.revenue).toBe(700);
    });

    it('rejects parameters outside their range', async () => {
      await load({ orders: fixtureA });
      await expect(kpiSummary(engine, { windowDays: 0 })).rejects.toThrow(RangeError);
      await expect(kpiSummary(engine, { margin: 1.5 })).rejects.toThrow(RangeError);
      await expect(kpiSummary(engine, { lifespanYears: -1 })).rejects.toThrow(RangeError);
    });
  });

  /**
   * Fixture P, months, window 45 days. Orders:
   *   p 2024-01-31 23:59:59 (10)   q 2024-02-01 00:00:00 (20)
   *   r 2024-01-10 12:00 (30), 2024-04-05 (40)   s 2024-04-20 (50)
   * Active at boundary t = an order in (t − 45 days, t):
   *   Jan 1: none → 0
   *   Feb 1 (from Dec 18): p (Jan 31 23:59:59), r (Jan 10); q is at Feb 1 itself → {p, r}
   *   Mar 1 (from Jan 16): p, q; r's Jan 10 is too old → {p, q}
   *   Apr 1 (from Feb 16): no order → 0 (nothing in March)
   *   May 1 (from Mar 17): r (Apr 5), s (Apr 20) → {r, s}
   */
  const fixtureP: OrderRow[] = [
    ['p', 'p1', '2024-01-31 23:59:59', 10],
    ['q', 'q1', '2024-02-01 00:00:00', 20],
    ['r', 'r1', '2024-01-10 12:00:00', 30],
    ['r', 'r2', '2024-04-05 00:00:00', 40],
    ['s', 's1', '2024-04-20 00:00:00', 50],
  ];

  const customerKpis = (r: PeriodKpis) => {
    const { subscriptions: _s, ...rest } = r;
    return rest;
  };

  describe('kpisByPeriod', () => {
    it('counts S, N, E, L per month across a month boundary and an empty month', async () => {
      await load({ orders: fixtureP });
      const result = await kpisByPeriod(engine, { period: 'month', windowDays: 45 });
      expect(result.rows.map(customerKpis)).toEqual([
        {
          // first order Jan 10 is after Jan 1 → partial; p (Jan 31 23:59:59) and r are new
          start: at('2024-01-01 00:00:00'),
          end: at('2024-02-01 00:00:00'),
          partial: true,
          customersAtStart: 0,
          newCustomers: 2,
          customersAtEnd: 2,
          lost: 0,
          churnRate: null,
          retentionRate: null,
          activeCustomers: 2,
          orders: 2,
          revenue: 40,
          aov: 20,
        },
        {
          // S {p, r}, E {p, q}: r lost, q new (Feb 1 00:00 belongs to February)
          // churn 1/2 = 50 %, retention (2 − 1)/2 = 50 %
          start: at('2024-02-01 00:00:00'),
          end: at('2024-03-01 00:00:00'),
          partial: false,
          customersAtStart: 2,
          newCustomers: 1,
          customersAtEnd: 2,
          lost: 1,
          churnRate: 50,
          retentionRate: 50,
          activeCustomers: 1,
          orders: 1,
          revenue: 20,
          aov: 20,
        },
        {
          // no orders in March: still a row; S {p, q}, E none → both lost
          start: at('2024-03-01 00:00:00'),
          end: at('2024-04-01 00:00:00'),
          partial: false,
          customersAtStart: 2,
          newCustomers: 0,
          customersAtEnd: 0,
          lost: 2,
          churnRate: 100,
          retentionRate: 0,
          activeCustomers: 0,
          orders: 0,
          revenue: 0,
          aov: null,
        },
        {
          // last order Apr 20, before Apr 30 → partial; s new, r returns
          start: at('2024-04-01 00:00:00'),
          end: at('2024-05-01 00:00:00'),
          partial: true,
          customersAtStart: 0,
          newCustomers: 1,
          customersAtEnd: 2,
          lost: 0,
          churnRate: null,
          retentionRate: null,
          activeCustomers: 2,
          orders: 2,
          revenue: 90,
          aov: 45,
        },
      ]);
      expect(result.rows.every((r) => r.subscriptions === null)).toBe(true);
      expect(result.sql.subscriptions).toBeUndefined();
      // The statement shown to the user gives the same rows when run on its own.
      expect(toRows(await engine.query(result.sql.periods))).toHaveLength(4);
    });

    it.each([30, 75])(
      'agrees with a count from the definitions on orders placed exactly at, and exactly W days before, boundaries (W = %i)',
      async (W) => {
        // A seeded mix of the edge cases: orders at a boundary, exactly W before one, a
        // microsecond either side, at the same moment as another order, and orders of two
        // rows. The reference below counts straight from the definitions of PeriodKpis
        // (active at t: last order before t less than W before t), customer by customer.
        const DAY = 86_400_000;
        const boundaries = [0, 1, 2, 3, 4, 5, 6].map((m) => Date.UTC(2024, m, 1));
        const offsets = [
          0,
          -W * DAY,
          -W * DAY + 0.001,
          -W * DAY - 0.001,
          0.001,
          -0.001,
          12.5 * DAY,
        ];
        let seed = 7;
        const next = (n: number) => {
          seed = (seed * 1103515245 + 12345) % 2 ** 31;
          return seed % n;
        };
        const stamp = (ms: number) => {
          const d = new Date(Math.floor(ms));
          const micros = Math.round((ms - Math.floor(ms)) * 1000);
          return `${d.toISOString().slice(0, 19).replace('T', ' ')}.${String(d.getUTCMilliseconds() * 1000 + micros).padStart(6, '0')}`;
        };
        const rows: OrderRow[] = [];
        const lines: { customer: string; order: string; ms: number; amount: number }[] = [];
        for (let c = 0; c < 40; c++) {
          const count = 1 + next(5);
          let last = 0;
          for (let k = 0; k < count; k++) {
            const ms =
              k > 0 && next(6) === 0
                ? last // at the same moment as the previous order
                : boundaries[1 + next(5)] + offsets[next(offsets.length)];
            last = ms;
            const order = `o${c}-${k}`;
            const parts = next(3) === 0 ? 2 : 1;
            for (let p = 0; p < parts; p++) {
              const amount = 5 + next(20);
              // the second row of an order comes a second later: the order is timed at its first
              lines.push({ customer: `c${c}`, order, ms: ms + p * 1000, amount });
              rows.push([`c${c}`, order, stamp(ms + p * 1000), amount]);
            }
          }
        }
        await load({ orders: rows });
        const result = await kpisByPeriod(engine, { period: 'month', windowDays: W });

        const orders = new Map<string, { customer: string; ms: number; value: number }>();
        for (const l of lines) {
          const o = orders.get(l.order);
          if (o) {
            o.ms = Math.min(o.ms, l.ms);
            o.value += l.amount;
          } else orders.set(l.order, { customer: l.customer, ms: l.ms, value: l.amount });
        }
        const byCustomer = new Map<string, number[]>();
        for (const o of orders.values())
          byCustomer.set(o.customer, [...(byCustomer.get(o.customer) ?? []), o.ms]);
        const active = (times: number[], t: number) => {
          const before = times.filter((ms) => ms < t);
          return before.length > 0 && t - Math.max(...before) < W * DAY;
        };
        const all = [...orders.values()].map((o) => o.ms);
        const first = new Date(Math.min(...all));
        const lastMs = Math.max(...all);
        const expected = [];
        for (
          let start = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1);
          start <= lastMs;
          start = Date.UTC(new Date(start).getUTCFullYear(), new Date(start).getUTCMonth() + 1, 1)
        ) {
          const end = Date.UTC(
            new Date(start).getUTCFullYear(),
            new Date(start).getUTCMonth() + 1,
            1,
          );
          let S = 0,
            E = 0,
            L = 0,
            N = 0,
            A = 0;
          for (const times of byCustomer.values()) {
            const s0 = active(times, start);
            const e0 = active(times, end);
            S += +s0;
            E += +e0;
            L += +(s0 && !e0);
            N += +(Math.min(...times) >= start && Math.min(...times) < end);
            A += +times.some((ms) => ms >= start && ms < end);
          }
          const inPeriod = [...orders.values()].filter((o) => o.ms >= start && o.ms < end);
          expected.push({
            start: new Date(start),
            customersAtStart: S,
            newCustomers: N,
            customersAtEnd: E,
            lost: L,
            activeCustomers: A,
            orders: inPeriod.length,
            revenue: inPeriod.reduce((a, o) => a + o.value, 0),
          });
        }
        expect(expected.length).toBeGreaterThan(4);
        expect(expected.some((e) => e.lost > 0 && e.customersAtEnd > 0)).toBe(true);
        expect(
          result.rows.map((r) => ({
            start: r.start,
            customersAtStart: r.customersAtStart,
            newCustomers: r.newCustomers,
            customersAtEnd: r.customersAtEnd,
            lost: r.lost,
            activeCustomers: r.activeCustomers,
            orders: r.orders,
            revenue: r.revenue,
          })),
        ).toEqual(expected);
      },
    );

    it('reads the orders when order_facts comes from an older version (no next_ts)', async () => {
      await load({ orders: fixtureP });
      const before = await kpisByPeriod(engine, { period: 'month', windowDays: 45 });
      await engine.exec(`DROP TABLE IF EXISTS order_facts`);
      // an order_facts table as the previous version built it
      await engine.exec(
        `CREATE TABLE order_facts AS SELECT 1 AS customer_key, customer_id, 1 AS order_key, order_id,
           order_ts, amount AS order_value, 1 AS order_number, order_ts AS previous_ts FROM orders`,
      );
      expect(await hasOrderFacts(engine)).toBe(false);
      const after = await kpisByPeriod(engine, { period: 'month', windowDays: 45 });
      expect(after.rows).toEqual(before.rows);
      expect(after.sql.periods).not.toContain('FROM "order_facts"');
    });

    it('counts an order id that two customers carry once: in the summary and per month', async () => {
      await load({
        orders: [
          ['a', 'o1', '2024-01-05 10:00:00', 10],
          ['b', 'o1', '2024-01-06 10:00:00', 20], // o1 again, another customer, same month
          ['a', 'o2', '2024-01-10 10:00:00', 5],
          ['c', 'o3', '2024-02-03 10:00:00', 7],
          ['d', 'o3', '2024-03-01 10:00:00', 8], // o3 again, another customer, next month
          ['d', 'o4', '2024-03-02 10:00:00', 1],
        ],
      });
      const k = await kpiSummary(engine, { windowDays: 30 });
      // distinct order ids o1–o4; 10 + 20 + 5 + 7 + 8 + 1
      expect(k).toMatchObject({ customers: 4, orders: 4, revenue: 51 });
      const { rows } = await kpisByPeriod(engine, { period: 'month', windowDays: 30 });
      // Jan: o1 (a, b) and o2; Feb: o3 (c); Mar: o3 (d) and o4
      expect(rows.map((r) => [r.orders, r.revenue, r.activeCustomers])).toEqual([
        [2, 35, 2],
        [1, 7, 1],
        [2, 9, 1],
      ]);
    });

    it('groups by quarter', async () => {
      await load({ orders: fixtureP });
      const { rows } = await kpisByPeriod(engine, { period: 'quarter', windowDays: 45 });
      // Q1: boundaries Jan 1 and Apr 1 both have nobody active; p, q, r new; 10 + 20 + 30
      // Q2: Apr 1 and Jul 1 (window from May 17) nobody active; s new; 40 + 50
      expect(rows.map(customerKpis)).toEqual([
        {
          start: at('2024-01-01 00:00:00'),
          end: at('2024-04-01 00:00:00'),
          partial: true,
          customersAtStart: 0,
          newCustomers: 3,
          customersAtEnd: 0,
          lost: 0,
          churnRate: null,
          retentionRate: null,
          activeCustomers: 3,
          orders: 3,
          revenue: 60,
          aov: 20,
        },
        {
          start: at('2024-04-01 00:00:00'),
          end: at('2024-07-01 00:00:00'),
          partial: true,
          customersAtStart: 0,
          newCustomers: 1,
          customersAtEnd: 0,
          lost: 0,
          churnRate: null,
          retentionRate: null,
          activeCustomers: 2,
          orders: 2,
          revenue: 90,
          aov: 45,
        },
      ]);
    });

    it('lists only periods overlapping [from, to) but keeps the history for S', async () => {
      await load({ orders: fixtureP });
      const { rows, sql } = await kpisByPeriod(engine, {
        period: 'month',
        windowDays: 45,
        from: at('2024-02-15 00:00:00'),
        to: at('2024-03-15 00:00:00'),
      });
      expect(rows.map((r) => r.start)).toEqual([
        at('2024-02-01 00:00:00'),
        at('2024-03-01 00:00:00'),
      ]);
      // February as in the full run: S 2 (p and r ordered in January), L 1, N 1, E 2
      expect(rows[0]).toMatchObject({ customersAtStart: 2, lost: 1, newCustomers: 1 });
      expect(rows[1]).toMatchObject({ customersAtStart: 2, lost: 2, customersAtEnd: 0 });
      expect(sql.periods).toContain("TIMESTAMP '2024-02-15 00:00:00.000'");
    });

    it('reproduces the DOMAIN.md example: 500 at start, 25 lost → 5 %, with new customers', async () => {
      await load({ orders: [] });
      // c0…c499 buy on Jan 20; c0…c474 again on Feb 10; n0…n39 are new on Feb 15;
      // z bought on 2023-11-01 and returns on 2024-02-20.
      await engine.exec(`INSERT INTO orders (customer_id, order_id, order_ts, amount)
      SELECT 'c' || i, 'j' || i, TIMESTAMP '2024-01-20 00:00:00', 10 FROM range(500) t(i)`);
      await engine.exec(`INSERT INTO orders (customer_id, order_id, order_ts, amount)
      SELECT 'c' || i, 'f' || i, TIMESTAMP '2024-02-10 00:00:00', 10 FROM range(475) t(i)`);
      await engine.exec(`INSERT INTO orders (customer_id, order_id, order_ts, amount)
      SELECT 'n' || i, 'n' || i, TIMESTAMP '2024-02-15 00:00:00', 10 FROM range(40) t(i)`);
      await insert('orders (customer_id, order_id, order_ts, amount)', [
        ['z', 'z1', '2023-11-01 00:00:00', 10],
        ['z', 'z2', '2024-02-20 00:00:00', 10],
      ]);
      // order_facts is built from the orders as they are (as confirming a mapping does)
      if (from === 'order_facts') await engine.exec(orderFactsSql());
      const { rows } = await kpisByPeriod(engine, { period: 'month', windowDays: 30 });
      expect(rows.map((r) => r.start)).toEqual(
        ['2023-11-01', '2023-12-01', '2024-01-01', '2024-02-01'].map((d) => at(`${d} 00:00:00`)),
      );
      // Nov: z ordered Nov 1 00:00; at Dec 1 that is exactly 30 days ago, and t − last < 30
      // is strict, so z is no longer active at the end of November.
      expect(rows[0]).toMatchObject({ customersAtStart: 0, newCustomers: 1, customersAtEnd: 0 });
      // Dec: empty month, nobody active at either end
      expect(rows[1]).toMatchObject({ customersAtStart: 0, customersAtEnd: 0, orders: 0 });
      // Jan: 500 new, all active at Feb 1 (12 days after Jan 20)
      expect(rows[2]).toMatchObject({ newCustomers: 500, customersAtEnd: 500 });
      // Feb: S = 500 (window Jan 2 → Feb 1). At Mar 1 (window from Jan 31): c0…c474 (Feb 10),
      // n0…n39 (Feb 15), z (Feb 20) → E = 475 + 40 + 1 = 516; c475…c499 lost → L = 25.
      // churn = 25 / 500 = 5 %; retention = (516 − 40) / 500 = 95.2 % (z's return counts).
      expect(rows[3]).toMatchObject({
        customersAtStart: 500,
        lost: 25,
        newCustomers: 40,
        customersAtEnd: 516,
        activeCustomers: 516, // 475 + 40 + 1
        orders: 516,
      });
      expect(rows[3].churnRate).toBeCloseTo(5, 12);
      expect(rows[3].retentionRate).toBeCloseTo(95.2, 12);
    });

    /**
     * Subscriptions (monthly; one order each in January and March sets the periods):
     *   A 2023-06-01 → open, 100      B 2023-07-01 → 2024-02-10, 50
     *   C 2023-08-01 → 2024-02-01 00:00 (ends at the February boundary: ends *in* February), 30
     *   A 2024-02-15 → open, 20 (expansion)   D 2024-02-05 → open, 70 (new customer)
     *   D 2024-03-10 → open, 19 (expansion)
     */
    const subscriptions: SubscriptionRow[] = [
      ['A', '2023-06-01 00:00:00', null, 100],
      ['B', '2023-07-01 00:00:00', '2024-02-10 00:00:00', 50],
      ['C', '2023-08-01 00:00:00', '2024-02-01 00:00:00', 30],
      ['A', '2024-02-15 00:00:00', null, 20],
      ['D', '2024-02-05 00:00:00', null, 70],
      ['D', '2024-03-10 00:00:00', null, 19],
    ];
    const subscriptionOrders: OrderRow[] = [
      ['A', 'a1', '2024-01-15 00:00:00', 10],
      ['A', 'a2', '2024-03-15 00:00:00', 10],
    ];

    it('computes logo churn, revenue churn, GRR and NRR per period', async () => {
      await load({ orders: subscriptionOrders, subscriptions });
      const { rows, sql } = await kpisByPeriod(engine, { period: 'month', windowDays: 30 });
      expect(sql.subscriptions).toContain('FROM "subscriptions"');
      const [jan, feb, mar] = rows.map((r) => r.subscriptions);
      // Jan: active at Jan 1: A100, B50, C30 (3, MRR 180); none ends before Feb 1;
      // at Feb 1 all three are still active (C ends at Feb 1, i.e. in February) → NRR 100
      expect(jan).toMatchObject({
        subscriptionsAtStart: 3,
        subscriptionsEnded: 0,
        mrrAtStart: 180,
        mrrChurned: 0,
        mrrAtEndFromStartCustomers: 180,
        logoChurnRate: 0,
        revenueChurnRate: 0,
        grossRevenueRetention: 100,
        netRevenueRetention: 100,
      });
      // Feb: start A100, B50, C30; B and C end → logo 2/3, revenue churn 80/180,
      // GRR (180 − 80)/180; at Mar 1: A100, A20, D70 (3, MRR 190), of which customers
      // active at the start (A, B, C) hold 120 → NRR 120/180
      expect(feb).toMatchObject({
        subscriptionsAtStart: 3,
        subscriptionsEnded: 2,
        subscriptionsAtEnd: 3,
        mrrAtStart: 180,
        mrrChurned: 80,
        mrrAtEnd: 190,
        mrrAtEndFromStartCustomers: 120,
      });
      expect(feb?.logoChurnRate).toBeCloseTo(200 / 3, 10);
      expect(feb?.revenueChurnRate).toBeCloseTo(4000 / 90, 10); // 80 / 180 × 100 = 44.44
      expect(feb?.grossRevenueRetention).toBeCloseTo(10000 / 180, 10); // 55.56
      expect(feb?.netRevenueRetention).toBeCloseTo(12000 / 180, 10); // 66.67
      // Mar: start A100, A20, D70 = 190; nothing ends; D adds 19 → end 209 from A and D
      // → GRR 100, NRR 209/190 = 110 %
      expect(mar).toMatchObject({
        subscriptionsAtStart: 3,
        subscriptionsEnded: 0,
        subscriptionsAtEnd: 4,
        mrrAtStart: 190,
        mrrAtEnd: 209,
        grossRevenueRetention: 100,
      });
      expect(mar?.netRevenueRetention).toBeCloseTo(110, 10);
    });

    it('reports subscription KPIs over a span in the summary', async () => {
      await load({ orders: subscriptionOrders, subscriptions });
      const feb = await kpiSummary(engine, {
        windowDays: 30,
        from: at('2024-02-01 00:00:00'),
        to: at('2024-03-01 00:00:00'),
      });
      // The same span as February above.
      expect(feb.subscriptions).toMatchObject({
        start: at('2024-02-01 00:00:00'),
        end: at('2024-03-01 00:00:00'),
        subscriptionsAtStart: 3,
        subscriptionsEnded: 2,
        mrrAtStart: 180,
        mrrChurned: 80,
      });
      expect(feb.subscriptions?.netRevenueRetention).toBeCloseTo(12000 / 180, 10);
      // Default span: the last event is the start on 2024-03-10, so the span ends at
      // 2024-03-11 00:00 and starts 12 months earlier, when nothing was active yet.
      const all = await kpiSummary(engine, { windowDays: 30 });
      expect(all.subscriptions).toMatchObject({
        start: at('2023-03-11 00:00:00'),
        end: at('2024-03-11 00:00:00'),
        subscriptionsAtStart: 0,
        subscriptionsAtEnd: 4, // A100, A20, D70, D19
        mrrAtEnd: 209,
        logoChurnRate: null,
        netRevenueRetention: null,
      });
    });
  });
}
