import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clvAnalysis,
  clvInputs,
  clvModel,
  discountPerPeriod,
  type ClvInputs,
  type ClvResult,
} from '../../src/lib/analyses/clv.ts';
import type { SqlEngine } from '../../src/lib/engine/types.ts';
import { loadFile } from '../../src/lib/ingest/load.ts';
import { applyMapping, dropCanonical } from '../../src/lib/schema/views.ts';
import { literal } from '../../src/lib/sql/quote.ts';
import type { IngestHarness } from './ingest-suite.ts';

/**
 * Customer future value (BG/NBD + Gamma-Gamma) on both engines: native DuckDB
 * (test/unit) and DuckDB-WASM (test/browser). The holdout counting, sources and
 * cohorts are checked on a small fixture worked out by hand; the fits and forecasts
 * on the CDNOW sample against Fader, Hardie & Lee (2005), Fader & Hardie (2013) and
 * ../shared/data/cdnow/SOURCE.md. No expected value is copied from the code's output.
 */
export function clvSuite(harness: IngestHarness) {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await harness.engine();
  }, 60_000);
  afterAll(async () => engine?.close());

  type Value = string | number | null;
  async function load(tables: Record<string, { columns: string; rows: Value[][] }>) {
    await dropCanonical(engine);
    for (const [name, { columns, rows }] of Object.entries(tables)) {
      await engine.exec(`CREATE TABLE ${name} (${columns})`);
      const values = rows.map((r) => `(${r.map(literal).join(', ')})`).join(',\n');
      await engine.exec(`INSERT INTO ${name} VALUES ${values}`);
    }
  }

  describe('holdout counting, sources and cohorts: a fixture by hand', () => {
    const ORDERS = 'customer_id VARCHAR, order_ts TIMESTAMP, amount DOUBLE, channel VARCHAR';
    /**
     * Calibration ends Sunday 2024-01-14; the last order is on 2024-01-28, so the
     * holdout is 14 days = 2 weeks. Period k holds days with (k−1)·7 < d − 01-14 ≤ k·7.
     *   a  01-01 08:00 app 5, 01-01 09:00 web 10 (one day), 01-08 web 20
     *        calibration days 01-01, 01-08: x = 1, t_x = 7/7 = 1, T = 13/7, zbar = 20
     *        holdout 01-15 twice (one day, d = 1 → period 1), 01-22 (d = 8 → period 2): 2
     *        first order 08:00 on the app: source "app" (no customers table)
     *   b  01-10 (no channel), holdout 01-21 (d = 7 → period 1), 01-28 (d = 14 → period 2)
     *        x = 0, t_x = 0, T = 4/7; holdout 2; source "(unknown)"
     *   c  01-03 web: x = 0, T = 11/7, no holdout purchase; source "web"
     *   d  first buys 01-20: not a customer of the calibration period, not counted
     * Holdout per period: 1 → a, b = 2; 2 → a, b = 2. By x: x = 0 (b, c): (2 + 0)/2 = 1; x = 1 (a): 2.
     */
    const orders: Value[][] = [
      ['a', '2024-01-01 09:00', 10, 'web'],
      ['a', '2024-01-01 08:00', 5, 'app'],
      ['a', '2024-01-08 10:00', 20, 'web'],
      ['a', '2024-01-15 10:00', 7, 'web'],
      ['a', '2024-01-15 18:00', 3, 'web'],
      ['a', '2024-01-22 10:00', 4, 'web'],
      ['b', '2024-01-10 12:00', 30, null],
      ['b', '2024-01-21 12:00', 30, null],
      ['b', '2024-01-28 12:00', 30, null],
      ['c', '2024-01-03 12:00', 8, 'web'],
      ['d', '2024-01-20 12:00', 9, 'web'],
    ];
    const calibrationEnd = new Date('2024-01-14T00:00:00Z');
    const byId = (inputs: ClvInputs) =>
      Object.fromEntries(
        inputs.customerId.map((id, i) => [
          id,
          {
            x: inputs.x[i],
            tx: inputs.tx[i],
            T: inputs.T[i],
            zbar: inputs.zbar[i],
            holdout: inputs.holdoutX[i],
            source: inputs.source[i],
            cohort: inputs.cohort[i],
          },
        ]),
      );

    it('counts holdout purchases per customer and per week, one per day, calibration customers only', async () => {
      await load({ orders: { columns: ORDERS, rows: orders } });
      const inputs = await clvInputs(engine, { unit: 'week', calibrationEnd });
      expect(inputs.calibrationEnd).toBe('2024-01-14');
      expect(inputs.dataEnd).toBe('2024-01-28');
      expect(inputs.holdoutLength).toBe(2);
      expect(inputs.holdoutActual).toEqual([2, 2]);
      expect(inputs.sourceOrigin).toBe('orders.channel');
      const c = byId(inputs);
      expect(Object.keys(c)).toEqual(['a', 'b', 'c']);
      expect(c.a).toEqual({
        x: 1,
        tx: 1,
        T: 13 / 7,
        zbar: 20,
        holdout: 2,
        source: 'app',
        cohort: '2024-01',
      });
      expect(c.b).toMatchObject({ x: 0, tx: 0, holdout: 2, source: '(unknown)' });
      expect(c.b.T).toBeCloseTo(4 / 7, 12);
      expect(c.c).toMatchObject({ x: 0, holdout: 0, source: 'web' });
      expect(c.c.T).toBeCloseTo(11 / 7, 12);
    });

    it('in days: 14 holdout periods, purchases on days 1, 7, 8 and 14', async () => {
      await load({ orders: { columns: ORDERS, rows: orders } });
      const inputs = await clvInputs(engine, { unit: 'day', calibrationEnd });
      expect(inputs.holdoutLength).toBe(14);
      const expected = new Array<number>(14).fill(0);
      expected[0] = 1; // a on 01-15
      expected[6] = 1; // b on 01-21
      expected[7] = 1; // a on 01-22
      expected[13] = 1; // b on 01-28
      expect(inputs.holdoutActual).toEqual(expected);
    });

    it('takes the source from customers.acquisition_source first, then the first order channel', async () => {
      await load({
        orders: { columns: ORDERS, rows: orders },
        customers: {
          columns: 'customer_id VARCHAR, acquisition_source VARCHAR',
          rows: [
            ['b', 'referral'],
            ['c', ' '],
          ],
        },
      });
      const inputs = await clvInputs(engine, { unit: 'week', calibrationEnd });
      expect(inputs.sourceOrigin).toBe('customers.acquisition_source');
      const c = byId(inputs);
      expect([c.a.source, c.b.source, c.c.source]).toEqual(['app', 'referral', 'web']);
    });

    it('without a calibration end there is no holdout; a calibration end outside the data is refused', async () => {
      await load({ orders: { columns: ORDERS, rows: orders } });
      const all = await clvInputs(engine, { unit: 'week' });
      expect(all.calibrationEnd).toBe('2024-01-28');
      expect(all.holdoutLength).toBe(0);
      expect(all.holdoutActual).toEqual([]);
      expect(all.customerId).toEqual(['a', 'b', 'c', 'd']);
      await expect(
        clvInputs(engine, { unit: 'week', calibrationEnd: new Date('2024-02-01T00:00:00Z') }),
      ).rejects.toThrow(/after the last order \(2024-01-28\)/);
      await expect(
        clvInputs(engine, { unit: 'week', calibrationEnd: new Date('2023-12-31T00:00:00Z') }),
      ).rejects.toThrow(/first order is on 2024-01-01/);
    });

    it('says plainly that the model is not identified when nobody repeats, and shows no numbers', async () => {
      await load({
        orders: {
          columns: ORDERS,
          rows: [
            ['a', '2024-01-01', 5, null],
            ['b', '2024-01-05', 5, null],
            ['c', '2024-01-09', 5, null],
          ],
        },
      });
      const r = await clvAnalysis(
        engine,
        { unit: 'week' },
        { horizon: 52, margin: 0.3, annualDiscount: 0.1 },
      );
      expect(r.usable).toBe(false);
      expect(r.message).toMatch(/not identified/);
      expect(r.message).toMatch(/Nobody made a repeat purchase/);
      expect(r.customers).toHaveLength(0);
      expect(r.customers.toArray()).toEqual([]);
    });

    it('refuses data without an orders table, naming what to map', async () => {
      await dropCanonical(engine);
      await expect(clvInputs(engine, { unit: 'week' })).rejects.toThrow(/needs an orders table/);
    });
  });

  it('converts an annual discount rate to the unit', () => {
    // (1.1)^(7/365.25) − 1: ln 1.1 = 0.0953102 × 0.0191650 = 0.0018266 → e^… − 1 = 0.0018283
    expect(discountPerPeriod(0.1, 7)).toBeCloseTo(0.0018283, 6);
    // a year of 12 months compounds back to the annual rate: (1 + d)^12 = 1.1
    expect((1 + discountPerPeriod(0.1, 30.4375)) ** 12).toBeCloseTo(1.1, 12);
    expect(discountPerPeriod(0, 1)).toBe(0);
  });

  it('refuses options out of range with the allowed range', () => {
    const inputs = {} as ClvInputs;
    expect(() => clvModel(inputs, { horizon: 1.5, margin: 0.3, annualDiscount: 0 })).toThrow(
      /whole number of periods/,
    );
    expect(() => clvModel(inputs, { horizon: 10, margin: 30, annualDiscount: 0 })).toThrow(
      /fraction from 0 to 1/,
    );
    expect(() => clvModel(inputs, { horizon: 10, margin: 0.3, annualDiscount: -1 })).toThrow(
      /annual discount/,
    );
  });

  describe('CDNOW sample, weeks, calibration ending 1997-09-30 (FHL 2005)', () => {
    let r: ClvResult;
    beforeAll(async () => {
      await dropCanonical(engine);
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
            // column1 is the sample id 0001…2357; $0.00 rows still time a purchase (SOURCE.md)
            columns: { customer_id: 'column1', order_ts: 'column2', amount: 'column4' },
            parse: { order_ts: { date: '%Y%m%d' } },
            amount: 'column',
            include: { cancelled: false, nonPositive: true, duplicates: true },
            attributes: [],
          },
        ],
      });
      r = await clvAnalysis(
        engine,
        { unit: 'week', calibrationEnd: new Date('1997-09-30T00:00:00Z') },
        { horizon: 39, margin: 1, annualDiscount: 0 },
      );
    }, 180_000);

    it('fits BG/NBD to the published estimates: r 0.243, α 4.414, a 0.793, b 2.426, LL −9582.4', () => {
      const f = r.bgnbd;
      expect([f.converged, f.identified, r.usable]).toEqual([true, true, true]);
      expect(f.customers).toBe(2357);
      // published to 3 decimals: ± 0.001 (α and b, larger, ± 0.005); LL to 1 decimal: ± 0.1
      expect(Math.abs(f.r - 0.243)).toBeLessThanOrEqual(0.001);
      expect(Math.abs(f.alpha - 4.414)).toBeLessThanOrEqual(0.005);
      expect(Math.abs(f.a - 0.793)).toBeLessThanOrEqual(0.001);
      expect(Math.abs(f.b - 2.426)).toBeLessThanOrEqual(0.005);
      expect(Math.abs(f.logLikelihood - -9582.4)).toBeLessThanOrEqual(0.1);
    });

    it('fits Gamma-Gamma on the 946 repeat customers: p 6.25, q 3.74, γ 15.44', () => {
      const g = r.gammaGamma!;
      expect(g.customers).toBe(946);
      expect([g.converged, g.identified]).toEqual([true, true]);
      // published to 2 decimals: ± 0.01; γ 15.44–15.45 across sources (SOURCE.md): ± 0.02
      expect(Math.abs(g.p - 6.25)).toBeLessThanOrEqual(0.01);
      expect(Math.abs(g.q - 3.74)).toBeLessThanOrEqual(0.01);
      expect(Math.abs(g.gamma - 15.44)).toBeLessThanOrEqual(0.02);
      expect(r.message).toBeUndefined();
    });

    it('lists every customer once, highest CLV first, equal values by customer ID', () => {
      const rows = r.customers.toArray();
      expect(rows).toHaveLength(2357);
      expect(new Set(rows.map((c) => c.customer_id)).size).toBe(2357);
      for (let k = 1; k < rows.length; k++) {
        const [u, v] = [rows[k - 1], rows[k]];
        expect(u.clv! > v.clv! || (u.clv === v.clv && u.customer_id < v.customer_id)).toBe(true);
      }
      // Σ CLV over the rows is the total; the cohorts and sources add up to every customer.
      const sum = rows.reduce((s, c) => s + c.clv!, 0);
      expect(Math.abs(sum - r.totals.clv!)).toBeLessThan(1e-6 * Math.abs(sum));
      expect(r.customers.slice(0, 3)).toEqual(rows.slice(0, 3));
      expect(() => r.customers.row(2357)).toThrow(RangeError);
    });

    it('customer 0001 (x 2, t_x 30.43, T 38.86) expects 1.226 purchases in the next 39 weeks', () => {
      const c = r.customers.find((row) => row.customer_id === '0001')!;
      expect(c.x).toBe(2);
      expect(Math.abs(c.expected_purchases - 1.226)).toBeLessThanOrEqual(0.001);
      // E[M] = p(γ + x·m)/(p·x + q − 1) with the published p, q, γ and m = 22.35 (the CSV's zbar):
      // 6.25 × (15.44 + 44.70) / (12.50 + 2.74) = 375.875 / 15.24 = 24.664
      expect(Math.abs(c.expected_spend! - 24.664)).toBeLessThanOrEqual(0.05);
      // margin 1, no discount: CLV = E[Y(39)] · E[M] = 1.226 × 24.664 = 30.24
      expect(Math.abs(c.clv! - 30.24)).toBeLessThanOrEqual(0.1);
      expect(c.p_alive).toBeGreaterThan(0);
      expect(c.p_alive).toBeLessThan(1);
    });

    it('counts the holdout as SOURCE.md: 1,882 repeat purchases in 39 weeks, 334 by the 1,411 with x = 0', () => {
      const h = r.holdout!;
      expect(h.length).toBe(39); // 1997-10-01 … 1998-06-30 = 273 days
      expect(h.periods).toHaveLength(39);
      expect(h.totalActual).toBe(1882);
      expect(h.periods.at(-1)!.actualCumulative).toBe(1882);
      const zero = h.byFrequency[0];
      expect(zero).toMatchObject({ x: '0', customers: 1411 });
      expect(zero.actual).toBeCloseTo(334 / 1411, 12);
      expect(h.byFrequency.map((b) => b.x)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
      expect(h.byFrequency.reduce((s, b) => s + b.customers, 0)).toBe(2357);
      // the holdout forecast is the sum of each customer's E[Y(39)], the horizon here
      expect(h.totalExpected).toBeCloseTo(r.totals.expectedPurchases, 6);
      expect(h.periods.at(-1)!.expectedCumulative).toBeCloseTo(h.totalExpected, 9);
      // cumulative curves never fall
      for (let k = 1; k < 39; k++) {
        expect(h.periods[k].expectedCumulative).toBeGreaterThan(
          h.periods[k - 1].expectedCumulative,
        );
        expect(h.periods[k].actualCumulative).toBeGreaterThanOrEqual(
          h.periods[k - 1].actualCumulative,
        );
      }
    });

    it('groups future value by cohort (first purchases in Q1 1997) and, without a source, as "(unknown)"', () => {
      expect(r.inputs.sourceOrigin).toBeNull();
      expect(r.bySource.map((g) => [g.group, g.customers])).toEqual([['(unknown)', 2357]]);
      expect(r.byCohort.map((g) => g.group)).toEqual(['1997-01', '1997-02', '1997-03']);
      expect(r.byCohort.reduce((s, g) => s + g.customers, 0)).toBe(2357);
      const total = r.byCohort.reduce((s, g) => s + g.clv!, 0);
      expect(total).toBeCloseTo(r.totals.clv!, 6);
    });
  });
}
