import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  survivalAnalysis,
  survivalAtTimes,
  survivalOptions,
  thinCurve,
  type SurvivalGroup,
  type SurvivalResult,
} from '../../src/lib/analyses/survival.ts';
import type { SqlEngine } from '../../src/lib/engine/types.ts';
import { loadFile } from '../../src/lib/ingest/load.ts';
import { dropCanonical } from '../../src/lib/schema/views.ts';
import { literal } from '../../src/lib/sql/quote.ts';
import type { IngestHarness } from './ingest-suite.ts';
import { applyDetected } from '../support/mapping.ts';

/**
 * Survival (time to churn) on both engines: native DuckDB (test/unit) and DuckDB-WASM
 * (test/browser). Each source has a small fixture whose lifetimes, Kaplan–Meier steps,
 * medians and log-rank statistic are worked out by hand beside it; Telco is checked
 * against the figures in the issue and ../shared/data/telco/SOURCE.md. No expected
 * value is copied from the code's output.
 */
export function survivalSuite(harness: IngestHarness) {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await harness.engine();
  }, 60_000);
  afterAll(async () => engine?.close());

  type Value = string | number | boolean | null;
  /** Replace the canonical relations with plain tables holding exactly these rows. */
  async function load(tables: Record<string, { columns: string; rows: Value[][] }>) {
    await dropCanonical(engine);
    for (const [name, { columns, rows }] of Object.entries(tables)) {
      await engine.exec(`CREATE TABLE ${name} (${columns})`);
      if (rows.length === 0) continue;
      const values = rows.map((r) => `(${r.map(literal).join(', ')})`).join(',\n');
      await engine.exec(`INSERT INTO ${name} VALUES ${values}`);
    }
  }

  /** [time, at risk, Ŝ] of every step of a curve. */
  const steps = (g: SurvivalGroup) => g.points.map((p) => [p.time, p.atRisk, p.survival]);
  const byName = (r: SurvivalResult) => Object.fromEntries(r.groups.map((g) => [g.group, g]));
  const close = (actual: number[][], expected: number[][]) => {
    expect(actual.length).toBe(expected.length);
    actual.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 6)));
  };

  describe('subscriptions: start to end, active ones censored', () => {
    const SUBS = 'customer_id VARCHAR, start_ts TIMESTAMP, end_ts TIMESTAMP, plan VARCHAR';
    /**
     * Fixture S. The last start or end is 2024-03-01 (d's end), the default as-of date.
     *   customer  subscriptions (plan)                         per customer           days
     *   a         01-01 → 01-11 (Basic)                          ended                  10
     *   b         01-01 → 01-21 (Basic), 02-01 → 02-11 (Pro)     ended, first → last    41 (31 + 10)
     *   c         01-01 → open (Pro)                             active, to 03-01       60 (31 + 29, leap Feb)
     *   d         01-11 → 03-01 (Pro)                            ends on the as-of day  50 (21 + 29)
     *   e         01-01 → 01-11 (Basic)                          ended                  10
     *   f         01-21 → open (no plan)                         active, to 03-01       40 (11 + 29)
     *   g         01-01 → 02-10 (blank plan)                     ended                  40 (31 + 9)
     *   h         02-01 → 01-15                                  ends before it starts: left out
     * Kaplan–Meier (churns before censorings at a tie):
     *   t 10: n 7, d 2        → Ŝ = 5/7
     *   t 40: n 5, d 1, c 1   → 5/7 · 4/5 = 4/7
     *   t 41: n 3, d 1        → 4/7 · 2/3 = 8/21
     *   t 50: n 2, d 1        → 8/21 · 1/2 = 4/21
     *   t 60: n 1, c 1        → 4/21
     * Median: the first Ŝ ≤ 0.5, at 41 days.
     * Band at 10 days: Greenwood g = 2/(7·5) = 2/35, k = 1.959964·√g/|ln(5/7)| = 1.392451,
     *   lower = (5/7)^e^k = 0.258154, upper = (5/7)^e^−k = 0.919797.
     */
    const fixtureS: Value[][] = [
      ['a', '2024-01-01', '2024-01-11', 'Basic'],
      ['b', '2024-01-01', '2024-01-21', 'Basic'],
      ['b', '2024-02-01', '2024-02-11', 'Pro'],
      ['c', '2024-01-01', null, 'Pro'],
      ['d', '2024-01-11', '2024-03-01', 'Pro'],
      ['e', '2024-01-01', '2024-01-11', 'Basic'],
      ['f', '2024-01-21', null, null],
      ['g', '2024-01-01', '2024-02-10', ' '],
      ['h', '2024-02-01', '2024-01-15', 'Basic'],
    ];
    const loadS = () => load({ subscriptions: { columns: SUBS, rows: fixtureS } });

    it('per customer, in days: first start to last end, active customers censored at the last date', async () => {
      await loadS();
      const r = await survivalAnalysis(engine, { unit: 'day' });
      expect(r.source).toBe('subscriptions');
      expect(r.per).toBe('customer');
      expect(r.dataEnd).toBe('2024-03-01');
      expect([r.n, r.events]).toEqual([7, 5]);
      expect(r.groups.map((g) => g.group)).toEqual(['All']);
      const [all] = r.groups;
      close(steps(all), [
        [0, 7, 1],
        [10, 7, 5 / 7],
        [40, 5, 4 / 7],
        [41, 3, 8 / 21],
        [50, 2, 4 / 21],
        [60, 1, 4 / 21],
      ]);
      expect(all.median.time).toBe(41);
      expect(all.points[1].lower).toBeCloseTo(0.258154, 5);
      expect(all.points[1].upper).toBeCloseTo(0.919797, 5);
      expect(r.logRank).toBeNull();
      expect(r.notes).toEqual([
        '1 subscription ends before it starts and is left out (check the mapped start and end dates).',
      ]);
      expect(r.explanation).toMatch(/still active on 2024-03-01/);
    });

    it('in months: days ÷ 30.4375', async () => {
      await loadS();
      const [all] = (await survivalAnalysis(engine, { source: 'subscriptions' })).groups;
      // 41 / 30.4375 = 1.347023; 60 / 30.4375 = 1.971253
      expect(all.median.time).toBeCloseTo(1.347023, 5);
      expect(all.points.at(-1)!.time).toBeCloseTo(1.971253, 5);
    });

    it('per subscription: each one from its start to its end', async () => {
      await loadS();
      const r = await survivalAnalysis(engine, { unit: 'day', per: 'subscription' });
      // b's two become 20 (Basic) and 10 (Pro) days; 8 lifetimes, 6 churns:
      //   t 10: n 8, d 3 → 5/8;  t 20: n 5, d 1 → 5/8 · 4/5 = 1/2;
      //   t 40: n 4, d 1, c 1 → 1/2 · 3/4 = 3/8;  t 50: n 2, d 1 → 3/16;  t 60: c → 3/16
      expect([r.n, r.events]).toEqual([8, 6]);
      close(steps(r.groups[0]), [
        [0, 8, 1],
        [10, 8, 5 / 8],
        [20, 5, 1 / 2],
        [40, 4, 3 / 8],
        [50, 2, 3 / 16],
        [60, 1, 3 / 16],
      ]);
      // Ŝ is exactly 0.5 from 20 until the drop at 40: R's median is the midpoint, 30.
      expect(r.groups[0].median.time).toBe(30);
    });

    it('censors at a chosen as-of date and leaves out what starts after it', async () => {
      await loadS();
      const r = await survivalAnalysis(engine, { unit: 'day', asOf: new Date('2024-01-15') });
      // As of 01-15: a and e ended at 10; b (01-21 end not yet reached; 02-01 not started),
      // c and g are active, 14 days; d active, 4 days; f starts later and is left out.
      //   t 4: n 6, c 1 → 1;  t 10: n 5, d 2 → 3/5;  t 14: n 3, c 3 → 3/5
      expect(r.dataEnd).toBe('2024-01-15');
      expect([r.n, r.events]).toEqual([6, 2]);
      close(steps(r.groups[0]), [
        [0, 6, 1],
        [4, 6, 1],
        [10, 5, 3 / 5],
        [14, 3, 3 / 5],
      ]);
      // Ŝ never reaches 0.5, nor does the upper band; the lower band does at 10:
      //   g = 2/(5·3), k = 1.959964·√g/|ln 0.6| = 1.401021, lower = 0.6^e^k = 0.125730 ≤ 0.5
      expect(r.groups[0].median).toEqual({ time: null, lower: 10, upper: null });
      // Per subscription as of 01-15 the same six (b's second one has not started).
      const perSub = await survivalAnalysis(engine, {
        unit: 'day',
        per: 'subscription',
        asOf: new Date('2024-01-15'),
      });
      expect([perSub.n, perSub.events]).toEqual([6, 2]);
    });

    it('by plan: the first subscription’s plan; none or blank is "(unknown)", listed last', async () => {
      await loadS();
      const r = await survivalAnalysis(engine, { unit: 'day', by: 'plan' });
      // Basic: a 10, b 41, e 10 (all churned) → t 10: n 3, d 2 → 1/3; t 41: n 1, d 1 → 0
      // Pro: c 60 censored, d 50 → t 50: n 2, d 1 → 1/2; t 60: c → 1/2 (median: first time at 0.5)
      // (unknown): f 40 censored, g 40 → t 40: n 2, d 1, c 1 → 1/2
      expect(r.groups.map((g) => [g.group, g.n, g.events])).toEqual([
        ['Basic', 3, 3],
        ['Pro', 2, 1],
        ['(unknown)', 2, 1],
      ]);
      const g = byName(r);
      close(steps(g.Basic), [
        [0, 3, 1],
        [10, 3, 1 / 3],
        [41, 1, 0],
      ]);
      close(steps(g.Pro), [
        [0, 2, 1],
        [50, 2, 1 / 2],
        [60, 1, 1 / 2],
      ]);
      expect([g.Basic.median.time, g.Pro.median.time, g['(unknown)'].median.time]).toEqual([
        10, 50, 40,
      ]);
      expect(r.logRank?.df).toBe(2);
    });
  });

  describe('tenure with a churn flag', () => {
    const CUSTOMERS = 'customer_id VARCHAR, tenure_months DOUBLE, churned BOOLEAN, plan VARCHAR';
    /**
     * Fixture T (tenure in months, churned, plan):
     *   A: t1 2 yes, t2 3 no, t3 3 yes, t4 5 yes
     *   B: u1 1 yes, u2 2 yes, u3 4 no, v1 two rows (6 no, no plan) and (7 yes, B) → 7, churned, B
     *   w: 4, no churn flag → left out (and noted); x: tenure −1 → left out
     * All (8 customers, 6 churned): t1 n8 d1 → 7/8; t2 n7 d2 → 5/8; t3 n5 d1 c1 → 1/2;
     *   t4 n3 c1 → 1/2; t5 n2 d1 → 1/4; t7 n1 d1 → 0
     *   median: Ŝ = 0.5 from 3 to the drop at 5 → (3 + 5)/2 = 4 (R's rule)
     * A: t2 n4 d1 → 3/4; t3 n3 d1 c1 → 1/2; t5 n1 d1 → 0 → median (3 + 5)/2 = 4
     * B: t1 n4 d1 → 3/4; t2 n3 d1 → 1/2; t4 n2 c; t7 n1 d1 → 0 → median (2 + 7)/2 = 4.5
     * Log-rank, group A (at risk nA, nB; churns d of n): E = d·nA/n, V = d(n−d)/(n−1)·(nA/n)(1−nA/n)
     *   t1: 4, 4; d 1 of 8 → E 0.5,          V 1·7/7·(1/2)(1/2)  = 0.25
     *   t2: 4, 3; d 2 of 7 → E 8/7,          V 2·5/6·(4/7)(3/7)  = 120/294
     *   t3: 3, 2; d 1 of 5 → E 0.6,          V 1·4/4·(3/5)(2/5)  = 0.24
     *   t5: 1, 1; d 1 of 2 → E 0.5,          V 1·1/1·(1/2)(1/2)  = 0.25
     *   t7: 0, 1; d 1 of 1 → E 0,            V 0
     *   O = 3, E = 2.742857, V = 1.148163 → χ² = 0.257143² / 1.148163 = 0.057590 on 1 df,
     *   p = 2(1 − Φ(√0.057590)) = 0.810347
     */
    const fixtureT: Value[][] = [
      ['t1', 2, true, 'A'],
      ['t2', 3, false, 'A'],
      ['t3', 3, true, 'A'],
      ['t4', 5, true, 'A'],
      ['u1', 1, true, 'B'],
      ['u2', 2, true, 'B'],
      ['u3', 4, false, 'B'],
      ['v1', 6, false, null],
      ['v1', 7, true, 'B'],
      ['w', 4, null, 'A'],
      ['x', -1, true, 'B'],
    ];
    const loadT = () => load({ customers: { columns: CUSTOMERS, rows: fixtureT } });

    it('one curve: tenure in months, the flag says who left; unlabelled customers noted', async () => {
      await loadT();
      const r = await survivalAnalysis(engine);
      expect(r.source).toBe('tenure');
      expect(r.unit).toBe('month');
      expect([r.n, r.events]).toEqual([8, 6]);
      close(steps(r.groups[0]), [
        [0, 8, 1],
        [1, 8, 7 / 8],
        [2, 7, 5 / 8],
        [3, 5, 1 / 2],
        [4, 3, 1 / 2],
        [5, 2, 1 / 4],
        [7, 1, 0],
      ]);
      expect(r.groups[0].median.time).toBe(4);
      expect(r.notes).toEqual(['1 customer has a tenure but no churn flag and is left out.']);
    });

    it('by plan: curves, medians and the log-rank test', async () => {
      await loadT();
      const r = await survivalAnalysis(engine, { by: 'plan', times: [2, 6] });
      const g = byName(r);
      close(steps(g.A), [
        [0, 4, 1],
        [2, 4, 3 / 4],
        [3, 3, 1 / 2],
        [5, 1, 0],
      ]);
      close(steps(g.B), [
        [0, 4, 1],
        [1, 4, 3 / 4],
        [2, 3, 1 / 2],
        [4, 2, 1 / 2],
        [7, 1, 0],
      ]);
      expect([g.A.median.time, g.B.median.time]).toEqual([4, 4.5]);
      // Ŝ at 2: A 3/4, B 1/2; at 6: A is past its last follow-up (5), B 1/2
      expect(g.A.survivalAt['2']!.survival).toBeCloseTo(0.75, 10);
      expect(g.A.survivalAt['6']).toBeNull();
      expect(g.B.survivalAt['6']!.survival).toBeCloseTo(0.5, 10);
      expect(r.logRank!.df).toBe(1);
      expect(r.logRank!.chiSquare).toBeCloseTo(0.05759, 5);
      expect(r.logRank!.p).toBeCloseTo(0.810347, 5);
    });

    it('refuses days or weeks and a split the source cannot make, saying what would work', async () => {
      await loadT();
      await expect(survivalAnalysis(engine, { unit: 'week' })).rejects.toThrow(
        /tenure in months, so the unit must be month/,
      );
      await expect(survivalAnalysis(engine, { by: 'first_year' })).rejects.toThrow(
        /cannot be split by first_year: choose one of plan/,
      );
      await expect(survivalAnalysis(engine, { source: 'orders' })).rejects.toThrow(
        /orders source needs an orders table with customer ID and order date/,
      );
      await expect(survivalAnalysis(engine, { by: 'plan; DROP TABLE x' })).rejects.toThrow(
        RangeError,
      );
    });

    it('stops when cancelled and reports each step', async () => {
      await loadT();
      await expect(survivalAnalysis(engine, {}, { signal: AbortSignal.abort() })).rejects.toThrow(
        /abort/i,
      );
      const steps: number[] = [];
      await survivalAnalysis(engine, {}, { onProgress: (fraction) => steps.push(fraction) });
      expect(steps.length).toBeGreaterThanOrEqual(2);
      expect(steps).toEqual([...steps].sort((a, b) => a - b));
    });

    it('offers the sources the data can give and what each can be split by', async () => {
      await loadT();
      const options = await survivalOptions(engine);
      expect(options.available).toEqual(['tenure']);
      expect(options.auto).toBe('tenure');
      expect(options.groupBy.tenure).toEqual(['plan']);
    });
  });

  describe('orders: churned a window after the last purchase, active customers censored', () => {
    const ORDERS = 'customer_id VARCHAR, order_id VARCHAR, order_ts TIMESTAMP, channel VARCHAR';
    /**
     * Fixture O, window W = 30 days. The data end at 2024-04-30 (the guest order of
     * 05-10 has no customer and does not count).
     *   customer  orders (channel)                   days to the end  lifetime
     *   p         01-01 web, 01-20 web                101 ≥ 30: churn  19 + 30 = 49
     *   q         01-01 store                         120: churn       0 + 30 = 30
     *   r         02-01 web, 04-20 web                10 < 30: active  censored at 02-01 → 04-30 = 89
     *   s         03-31 (one order, rows blank and store)  30 = W: churn at the end  0 + 30 = 30
     *   t         04-30 (blank channel)               0: active        censored at 0
     *   u         01-11 web, 03-01 web                60: churn        50 (21 + 29) + 30 = 80
     * Kaplan–Meier: t0 n6 c1 → 1; t30 n5 d2 → 3/5; t49 n3 d1 → 2/5; t80 n2 d1 → 1/5; t89 c → 1/5
     * Median 49.
     */
    const fixtureO: Value[][] = [
      ['p', 'p1', '2024-01-01 09:00:00', 'web'],
      ['p', 'p2', '2024-01-20 23:00:00', 'web'],
      ['q', 'q1', '2024-01-01 10:00:00', 'store'],
      ['r', 'r1', '2024-02-01 10:00:00', 'web'],
      ['r', 'r2', '2024-04-20 10:00:00', 'web'],
      ['s', 's1', '2024-03-31 08:00:00', null],
      ['s', 's1', '2024-03-31 08:00:00', 'store'],
      ['t', 't1', '2024-04-30 18:00:00', ''],
      ['u', 'u1', '2024-01-11 10:00:00', 'web'],
      ['u', 'u2', '2024-03-01 10:00:00', 'web'],
      [null, 'g1', '2024-05-10 10:00:00', 'web'],
    ];
    const loadO = () => load({ orders: { columns: ORDERS, rows: fixtureO } });

    it('time = last − first purchase + W when churned, else to the data’s end', async () => {
      await loadO();
      const r = await survivalAnalysis(engine, { unit: 'day', windowDays: 30 });
      expect(r.source).toBe('orders');
      expect(r.windowDays).toBe(30);
      expect(r.dataEnd).toBe('2024-04-30');
      expect([r.n, r.events]).toEqual([6, 4]);
      close(steps(r.groups[0]), [
        [0, 6, 1],
        [30, 5, 3 / 5],
        [49, 3, 2 / 5],
        [80, 2, 1 / 5],
        [89, 1, 1 / 5],
      ]);
      expect(r.groups[0].median.time).toBe(49);
      expect(r.explanation).toMatch(/churned 30 days after their last purchase/);
    });

    it('with the default 90-day window fewer customers have churned', async () => {
      await loadO();
      // p: 101 ≥ 90 → 19 + 90 = 109; q: 120 → 90; r, s (30), t, u (60) are still active:
      // censored at 89, 30, 0 and 21 + 29 + 31 + 29 = 110 days.
      const r = await survivalAnalysis(engine, { unit: 'day' });
      expect(r.windowDays).toBe(90);
      expect([r.n, r.events]).toEqual([6, 2]);
      // t0 c; t30 c; t89 c; t90 n3 d1 → 2/3; t109 n2 d1 → 1/3; t110 c
      close(steps(r.groups[0]), [
        [0, 6, 1],
        [30, 5, 1],
        [89, 4, 1],
        [90, 3, 2 / 3],
        [109, 2, 1 / 3],
        [110, 1, 1 / 3],
      ]);
    });

    it('by first channel, with the log-rank test; the earliest row’s blank channel is "(unknown)"', async () => {
      await loadO();
      const r = await survivalAnalysis(engine, {
        unit: 'day',
        windowDays: 30,
        by: 'first_channel',
      });
      // store: q 30, s 30 (its one order has a blank and a store row: the non-blank wins)
      // web: p 49, r 89 censored, u 80; (unknown): t 0 censored
      expect(r.groups.map((g) => [g.group, g.n, g.events])).toEqual([
        ['store', 2, 2],
        ['web', 3, 2],
        ['(unknown)', 1, 0],
      ]);
      // Log-rank: "(unknown)" leaves at 0 before any churn (E = 0, dropped, as in R).
      //   t30: store 2, web 3; d 2 of 5 → E_web = 2·3/5 = 1.2, V = 2·3/4·(3/5)(2/5) = 0.36
      //   t49: web 3 of 3, d 1 → E 1, V 0;  t80: web 2 of 2, d 1 → E 1, V 0
      //   O_web = 2, E_web = 3.2 → χ² = 1.2² / 0.36 = 4 on 1 df, p = 2(1 − Φ(2)) = 0.045500
      expect(r.logRank!.df).toBe(1);
      expect(r.logRank!.chiSquare).toBeCloseTo(4, 8);
      expect(r.logRank!.p).toBeCloseTo(0.0455, 5);
    });

    it('by first quarter of the first purchase', async () => {
      await loadO();
      const r = await survivalAnalysis(engine, { windowDays: 30, by: 'first_quarter' });
      // p, q, r, s, u start in 2024-Q1; t in 2024-Q2
      expect(r.groups.map((g) => [g.group, g.n])).toEqual([
        ['2024-Q1', 5],
        ['2024-Q2', 1],
      ]);
    });

    it('rejects a window that is not a whole number of days', async () => {
      await loadO();
      await expect(survivalAnalysis(engine, { windowDays: 0 })).rejects.toThrow(
        /whole number of days ≥ 1/,
      );
      await expect(survivalAnalysis(engine, { windowDays: 1.5 })).rejects.toThrow(RangeError);
    });
  });

  describe('grouping many levels', () => {
    it('keeps the 7 largest levels ("(unknown)" among them) and combines the rest as "Other"', async () => {
      // Sizes: a 4, b 3, c 3, (unknown) 2 (one NULL, one blank), d 2, e 2, f 2, g 2, h 1, i 1:
      // ten levels > 8. By size then name ('(' sorts before letters): a, b, c, (unknown),
      // d, e, f | g, h, i → "Other" = g + h + i = 4 customers.
      const sizes: [string | null, number][] = [
        ['a', 4],
        ['b', 3],
        ['c', 3],
        [null, 1],
        ['  ', 1],
        ['d', 2],
        ['e', 2],
        ['f', 2],
        ['g', 2],
        ['h', 1],
        ['i', 1],
      ];
      const rows: Value[][] = [];
      sizes.forEach(([region, count], k) => {
        for (let i = 0; i < count; i++) rows.push([`c${k}-${i}`, 1 + i, true, region]);
      });
      await load({
        customers: {
          columns: 'customer_id VARCHAR, tenure_months DOUBLE, churned BOOLEAN, region VARCHAR',
          rows,
        },
      });
      const r = await survivalAnalysis(engine, { by: 'region' });
      expect(r.groups.map((g) => [g.group, g.n])).toEqual([
        ['a', 4],
        ['b', 3],
        ['c', 3],
        ['d', 2],
        ['e', 2],
        ['f', 2],
        ['(unknown)', 2],
        ['Other', 4],
      ]);
      expect(byName(r).Other.levels).toEqual(['g', 'h', 'i']);
      expect(r.notes).toContain('3 smaller region values are combined as "Other": g, h, i.');
      expect(r.logRank!.df).toBe(7);
    });
  });

  describe('no source', () => {
    it('says which tables and columns would enable the analysis', async () => {
      await load({
        customers: { columns: 'customer_id VARCHAR, plan VARCHAR', rows: [['a', 'x']] },
      });
      await expect(survivalAnalysis(engine)).rejects.toThrow(
        /Survival needs a subscriptions table with customer ID and start date, or a customers table with tenure \(months\) and a churn flag, or an orders table/,
      );
      expect((await survivalOptions(engine)).available).toEqual([]);
    });
  });

  describe('chart helpers', () => {
    it('reads yearly, or quarterly for less than a year', () => {
      expect(survivalAtTimes('month', 72)).toEqual([12, 24, 36, 48, 60, 72]);
      expect(survivalAtTimes('month', 7)).toEqual([3, 6]);
      expect(survivalAtTimes('week', 60)).toEqual([52]);
      expect(survivalAtTimes('day', 200)).toEqual([91, 182]);
    });

    it('thins a long curve to at most the limit, keeping its ends', () => {
      // 1,001 steps falling evenly: each step adds 1/1000 of time and of fall (0.002 in all);
      // a point is kept when the sum reaches 2/(20 − 2) = 0.1111 → every 56th step (0.112).
      const points = Array.from({ length: 1001 }, (_, i) => ({ time: i, survival: 1 - i / 1000 }));
      const thin = thinCurve(points, 20);
      expect(thin.length).toBeLessThanOrEqual(20);
      expect(thin[0]).toBe(points[0]);
      expect(thin.at(-1)).toBe(points[1000]);
      expect(thin[1].time).toBe(56);
      expect(thinCurve(points.slice(0, 10), 20)).toHaveLength(10);
    });
  });

  describe('Telco customer churn (IBM sample data)', () => {
    it('reproduces the published Kaplan–Meier figures by contract', async () => {
      await dropCanonical(engine);
      const table = (await loadFile(engine, harness.decoders(), await harness.open('telco')))
        .tables[0].name;
      await applyDetected(engine, table, 'USD');
      const all = await survivalAnalysis(engine);
      // SOURCE.md: 7,043 customers, Churn = Yes 1,869; time = tenure (months 0–72)
      expect(all.source).toBe('tenure');
      expect([all.n, all.events]).toEqual([7043, 1869]);
      // The issue: overall survival at 72 months 0.593
      expect(all.groups[0].survivalAt['72']!.survival).toBeCloseTo(0.593, 3);

      const byContract = await survivalAnalysis(engine, { by: 'plan' });
      // SOURCE.md: Month-to-month 3,875 / One year 1,473 / Two year 1,695
      expect(byContract.groups.map((g) => [g.group, g.n])).toEqual([
        ['Month-to-month', 3875],
        ['One year', 1473],
        ['Two year', 1695],
      ]);
      // The issue: month-to-month median 35 months (95 % CI 32–38)
      expect(byContract.groups[0].median).toEqual({ time: 35, lower: 32, upper: 38 });
      expect(byContract.logRank!.df).toBe(2);
      expect(byContract.logRank!.p).toBeLessThan(1e-6);
    }, 60_000);
  });
}
