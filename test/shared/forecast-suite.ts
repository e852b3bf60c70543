import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  projectScenario,
  scenarioForecast,
  type ForecastResult,
} from '../../src/lib/analyses/forecast.ts';
import type { SqlEngine } from '../../src/lib/engine/types.ts';
import { dropCanonical } from '../../src/lib/schema/views.ts';
import { literal } from '../../src/lib/sql/quote.ts';

/**
 * The scenario forecast on both engines, over a tiny orders table whose KPIs are
 * counted by hand below (inactivity window 30 days, months). No expected value comes
 * from running the code.
 */
export function forecastSuite(createEngine: () => Promise<SqlEngine>) {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await createEngine();
  }, 60_000);
  afterAll(async () => engine?.close());

  /**
   * Orders (customer, day, amount):
   *   Z 01-01 5 | A 01-10, 02-10, 03-10, 04-10 at 10 | B 01-20, 02-15 at 20
   *   C 02-20, 03-25, 04-20 at 30 | D 03-05 40 | E 04-25 50            (all 2024)
   * Active at a boundary t = an order in (t − 30 days, t):
   *   Feb 1: A, B (Z's order at Jan 1 00:00 is 31 days back) | Mar 1: A, B, C | Apr 1: A, C, D
   * January starts with nobody active; April is partial (last order on April 25).
   *   February: S 2, E 3, lost 0, new 1 (C), revenue 10 + 20 + 30 = 60
   *   March:    S 3, E 3, lost 1 (B), new 1 (D), revenue 10 + 40 + 30 = 80
   * Pooled: churn = (0 + 1) ÷ (2 + 3) = 0.2; gained = mean(3 − 2 + 0, 3 − 3 + 1) = 1, all new;
   * revenue per customer = 140 ÷ ((2 + 3)/2 + (3 + 3)/2) = 140 ÷ 5.5 = 25.4545; C₀ = 3 (end of March).
   */
  async function load() {
    await dropCanonical(engine);
    await engine.exec(`CREATE OR REPLACE TABLE orders (customer_id VARCHAR, order_id VARCHAR,
      order_ts TIMESTAMP, amount DOUBLE)`);
    const rows: [string, string, number][] = [
      ['Z', '01-01', 5],
      ...['01-10', '02-10', '03-10', '04-10'].map((d): [string, string, number] => ['A', d, 10]),
      ['B', '01-20', 20],
      ['B', '02-15', 20],
      ...['02-20', '03-25', '04-20'].map((d): [string, string, number] => ['C', d, 30]),
      ['D', '03-05', 40],
      ['E', '04-25', 50],
    ];
    const values = rows
      .map(([c, d, a], i) => `(${[c, `o${i}`, `2024-${d} 00:00:00`, a].map(literal).join(', ')})`)
      .join(', ');
    await engine.exec(`INSERT INTO orders VALUES ${values}`);
  }

  describe('scenario forecast', () => {
    let result: ForecastResult;
    beforeAll(async () => {
      await load();
      result = await scenarioForecast(engine, { windowDays: 30, periods: 3, whatIf: [0.5] });
    }, 60_000);

    it('takes the current rates from the last complete months', () => {
      expect(result.basis).toMatchObject({
        from: new Date('2024-02-01T00:00:00Z'),
        to: new Date('2024-04-01T00:00:00Z'),
        periodsUsed: 2,
        customers: 3,
        churnRate: 0.2,
        newCustomers: 1,
        returningCustomers: 0,
        gained: 1,
      });
      expect(result.basis.revenuePerCustomer).toBeCloseTo(140 / 5.5, 10);
      expect(result.notes[0]).toMatch(/Only 2 complete months/);
    });

    it('current churn: C₁ = 3·0.8 + 1 = 3.4, C₂ = 3.4·0.8 + 1 = 3.72, C₃ = 3.976', () => {
      const [current] = result.scenarios;
      expect(current.kind).toBe('current');
      expect(current.periods.map((p) => p.start.toISOString().slice(0, 7))).toEqual([
        '2024-04',
        '2024-05',
        '2024-06',
      ]);
      const ends = current.periods.map((p) => p.customersAtEnd);
      [3.4, 3.72, 3.976].forEach((x, i) => expect(ends[i]).toBeCloseTo(x, 10));
      // churned in period 1: 3 · 0.2 = 0.6; revenue: 25.4545 · (3 + 3.4)/2 = 25.4545 · 3.2 = 81.4545
      expect(current.periods[0].churned).toBeCloseTo(0.6, 10);
      expect(current.periods[0].revenue).toBeCloseTo((140 / 5.5) * 3.2, 8);
      // period 2: 25.4545 · (3.4 + 3.72)/2 = 25.4545 · 3.56 = 90.6182; cumulative 172.0727
      expect(current.periods[1].cumulativeRevenue).toBeCloseTo((140 / 5.5) * (3.2 + 3.56), 8);
    });

    it('what-if 50 %: C₁ = 3·0.5 + 1 = 2.5, C₂ = 2.25, C₃ = 2.125', () => {
      const whatIf = result.scenarios[1];
      expect(whatIf).toMatchObject({ kind: 'what-if', churnRate: 0.5 });
      expect(whatIf.periods.map((p) => p.customersAtEnd)).toEqual([2.5, 2.25, 2.125]);
    });

    it('one recent month, and overrides for new customers and revenue', async () => {
      // March alone: churn 1/3, gained 1, revenue per customer 80 ÷ 3 = 26.667
      const march = await scenarioForecast(engine, { windowDays: 30, recent: 1, periods: 1 });
      expect(march.basis.churnRate).toBeCloseTo(1 / 3, 10);
      expect(march.basis.revenuePerCustomer).toBeCloseTo(80 / 3, 10);
      // C₁ = 3·(2/3) + 1 = 3
      expect(march.scenarios[0].periods[0].customersAtEnd).toBeCloseTo(3, 10);
      const own = await scenarioForecast(engine, {
        windowDays: 30,
        periods: 1,
        newPerPeriod: 5,
        revenuePerCustomer: 100,
      });
      // C₁ = 3·0.8 + 5 = 7.4; revenue 100 · (3 + 7.4)/2 = 520
      expect(own.scenarios[0].periods[0].customersAtEnd).toBeCloseTo(7.4, 10);
      expect(own.scenarios[0].periods[0].revenue).toBeCloseTo(520, 8);
    });

    it('refuses rates that are not fractions, and data without a complete period', async () => {
      await expect(scenarioForecast(engine, { whatIf: [5] })).rejects.toThrow(
        /A what-if churn rate must be a fraction from 0 to 1 \(0\.05 = 5 %\), not 5/,
      );
      await expect(scenarioForecast(engine, { windowDays: 30, period: 'year' })).rejects.toThrow(
        /no complete year with active customers at its start/,
      );
    });
  });

  describe('the recursion on its own', () => {
    it('C_{t+1} = C_t·(1 − churn) + new, revenue on the mean base', () => {
      // 100 customers, churn 10 %, 5 new, 2 per customer: 100 → 95 → 90.5;
      // revenue 2 · (100 + 95)/2 = 195, then 2 · (95 + 90.5)/2 = 185.5
      const periods = projectScenario(
        { customers: 100, churnRate: 0.1, newPerPeriod: 5, revenuePerCustomer: 2 },
        new Date('2025-01-01T00:00:00Z'),
        'quarter',
        2,
      );
      expect(periods.map((p) => [p.customersAtEnd, p.revenue, p.cumulativeRevenue])).toEqual([
        [95, 195, 195],
        [90.5, 185.5, 380.5],
      ]);
      expect(periods[1].start.toISOString().slice(0, 10)).toBe('2025-04-01');
    });
  });
}
