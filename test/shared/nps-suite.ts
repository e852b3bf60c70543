import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npsSql } from '../../src/lib/analyses/kpis-summary.ts';
import { npsAnalysis, type NpsResult } from '../../src/lib/analyses/nps.ts';
import { toRows } from '../../src/lib/engine/rows.ts';
import { isCancelled, type SqlEngine } from '../../src/lib/engine/types.ts';
import type { Decoders } from '../../src/lib/ingest/decoders.ts';
import type { InputFile } from '../../src/lib/ingest/input.ts';
import { loadFile } from '../../src/lib/ingest/load.ts';
import { detectMapping } from '../../src/lib/schema/detect.ts';
import { applyMapping, dropCanonical } from '../../src/lib/schema/views.ts';

/** How a suite gets an engine and opens a file under test/fixtures on its platform. */
export interface FixtureHarness {
  engine: () => Promise<SqlEngine>;
  decoders: (signal?: AbortSignal) => Decoders;
  /** A path relative to test/fixtures, e.g. feedback/customers.csv. */
  open: (fixture: string) => Promise<InputFile>;
}

/** The feedback and events fixtures: 10 customers (5 churned, with churn dates), 22 answers, 47 events. */
export const FIXTURES = [
  'feedback/customers.csv',
  'feedback/nps_responses.csv',
  'events/app_events.csv',
];

/** Load fixture files and map them with the proposed mapping, as the app does after a drop. */
export async function loadFixtures(
  engine: SqlEngine,
  harness: FixtureHarness,
  files: string[] = FIXTURES,
) {
  await dropCanonical(engine);
  const tables = [];
  for (const file of files) {
    const result = await loadFile(engine, harness.decoders(), await harness.open(file));
    const { proposal } = await detectMapping(engine, result.tables[0].name);
    tables.push(proposal!.mapping);
  }
  await applyMapping(engine, { version: 1, tables, currency: 'GBP', timeZone: 'UTC' });
}

/**
 * NPS and the antecedents of churn, on both engines. Every expected figure is worked
 * out by hand from test/fixtures/feedback (answers listed per customer below); none
 * is copied from the code's output.
 *
 * Answers (date score; D = detractor ≤ 6, P = promoter ≥ 9, else passive), churn date:
 *   C01 Basic churned 06-15: 01-10 8, 03-05 5 D, 05-02 4 D
 *   C02 Basic retained:      01-15 9 P, 02-20 6 D, 04-11 10 P
 *   C03 Pro churned 05-20:   02-01 3 D, 04-01 2 D, 05-10 6 D, 06-01 9 P (after churning)
 *   C04 Pro retained:        01-20 7, 03-15 4 D
 *   C05 Basic churned 06-30: 02-10 6 D
 *   C06 Pro retained:        03-01 10 P, 05-05 9 P
 *   C07 Basic churned 04-10: 01-05 5 D, 02-25 5 D
 *   C08 Pro retained:        02-14 4 D, 04-20 8, 05-30 3 D
 *   C09 Basic retained:      03-03 5 D, 06-06 6 D
 *   C10 Pro churned 06-01:   no answers
 */
export function npsSuite(harness: FixtureHarness) {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await harness.engine();
    await loadFixtures(engine, harness);
  }, 60_000);
  afterAll(async () => engine?.close());

  const counts = (r: {
    responses: number;
    promoters: number;
    passives: number;
    detractors: number;
  }) => [r.responses, r.promoters, r.passives, r.detractors];

  describe('NPS over time and by segment', () => {
    let result: NpsResult;
    beforeAll(async () => {
      result = await npsAnalysis(engine, { period: 'month', by: 'plan' });
    });

    it('overall: 22 answers, 5 promoters, 3 passives, 14 detractors; NPS = (5 − 14) ÷ 22 = −40.9', () => {
      expect(counts(result.overall)).toEqual([22, 5, 3, 14]);
      expect(result.overall.nps).toBeCloseTo((100 * (5 - 14)) / 22, 9);
    });

    it('per month: the counts by hand, and they add up to the KPI overview’s figure', async () => {
      // Jan: 8, 9, 7, 5 → P1 pass2 D1 → 0.   Feb: 6, 3, 6, 5, 4 → D5 → −100.
      // Mar: 5, 4, 10, 5 → P1 D3 → −50.      Apr: 10, 2, 8 → P1 pass1 D1 → 0.
      // May: 4, 6, 9, 3 → P1 D3 → −50.       Jun: 9, 6 → P1 D1 → 0.
      expect(result.periods.map((p) => [p.period, ...counts(p), p.nps])).toEqual([
        ['2024-01', 4, 1, 2, 1, 0],
        ['2024-02', 5, 0, 0, 5, -100],
        ['2024-03', 4, 1, 0, 3, -50],
        ['2024-04', 3, 1, 1, 1, 0],
        ['2024-05', 4, 1, 0, 3, -50],
        ['2024-06', 2, 1, 0, 1, 0],
      ]);
      expect(result.periods[0].start).toEqual(new Date('2024-01-01T00:00:00Z'));
      const [kpi] = toRows(await engine.query(npsSql()));
      const sum = (k: 'responses' | 'promoters' | 'detractors') =>
        result.periods.reduce((s, p) => s + p[k], 0);
      expect([sum('responses'), sum('promoters'), sum('detractors')]).toEqual([
        kpi.responses,
        kpi.promoters,
        kpi.detractors,
      ]);
    });

    it('per quarter: Q1 (2 − 9) ÷ 13 = −53.8, Q2 (3 − 5) ÷ 9 = −22.2', async () => {
      const q = await npsAnalysis(engine, { period: 'quarter', by: 'plan' });
      expect(q.periods.map((p) => [p.period, ...counts(p)])).toEqual([
        ['2024-Q1', 13, 2, 2, 9],
        ['2024-Q2', 9, 3, 1, 5],
      ]);
      expect(q.periods[0].nps).toBeCloseTo((100 * (2 - 9)) / 13, 9);
      expect(q.periods[1].nps).toBeCloseTo((100 * (3 - 5)) / 9, 9);
    });

    it('by plan (a customer attribute): Basic (2 − 8) ÷ 11, Pro (3 − 6) ÷ 11', () => {
      // Basic = C01, C02, C05, C07, C09: 8 5 4 | 9 6 10 | 6 | 5 5 | 5 6 → P 2, pass 1, D 8.
      // Pro = C03, C04, C06, C08: 3 2 6 9 | 7 4 | 10 9 | 4 8 3 → P 3, pass 2, D 6.
      expect(result.segments!.by).toEqual({ table: 'customers', column: 'plan' });
      expect(result.segments!.rows.map((s) => [s.segment, ...counts(s)])).toEqual([
        ['Basic', 11, 2, 1, 8],
        ['Pro', 11, 3, 2, 6],
      ]);
      expect(result.segments!.rows[0].nps).toBeCloseTo((100 * (2 - 8)) / 11, 9);
    });

    it('by topic (the default, a feedback column): most answers first', async () => {
      // delivery: 8 5 4 10 4 8 → P1 pass2 D3; product: 9 3 7 9 3 5 → P2 pass1 D3;
      // price: 6 6 9 5 6 → P1 D4; support: 4 10 2 6 5 → P1 D4.
      const t = await npsAnalysis(engine);
      expect(t.segments!.by.column).toBe('topic');
      expect(t.segments!.rows.map((s) => [s.segment, ...counts(s)])).toEqual([
        ['delivery', 6, 1, 2, 3],
        ['product', 6, 2, 1, 3],
        ['price', 5, 1, 0, 4],
        ['support', 5, 1, 0, 4],
      ]);
      expect(t.segmentColumns).toEqual(expect.arrayContaining(['topic', 'plan', 'region']));
    });
  });

  describe('antecedents of churn', () => {
    const runs = (r: NpsResult) =>
      r.antecedents!.runs.map((x) => [x.label, x.customers, x.churned, x.churnRate]);

    it('final run of negative answers before the churn date (score ≤ 6)', async () => {
      // Final runs (answers after the last one above 6): C01 8,5,4 → 2; C02 …,10 → 0;
      // C03 3,2,6 (the 9 on 06-01 is after its churn on 05-20) → 3; C04 7,4 → 1; C05 6 → 1;
      // C06 → 0; C07 5,5 → 2; C08 4,8,3 → 1; C09 5,6 → 2. C10 has no answers.
      // 0: C02 C06 → 0/2;  1: C04 C05 C08 → 1/3;  2: C01 C07 C09 → 2/3;  3+: C03 → 1/1.
      const r = await npsAnalysis(engine);
      const a = r.antecedents!;
      expect(a.label).toBe('column');
      expect([a.customers, a.churned, a.churnRate, a.answered]).toEqual([10, 5, 50, 9]);
      expect(runs(r)).toEqual([
        ['0', 2, 0, 0],
        ['1', 3, 1, 100 / 3],
        ['2', 3, 2, 200 / 3],
        ['3+', 1, 1, 100],
      ]);
    });

    it('the negative threshold is a parameter (≤ 5)', async () => {
      // ≤ 5: C01 8,5,4 → 2; C02 → 0; C03 3,2,6 → 0 (6 is not negative now); C04 7,4 → 1;
      // C05 6 → 0; C06 → 0; C07 5,5 → 2; C08 4,8,3 → 1; C09 5,6 → 0.
      // 0: C02 C03 C05 C06 C09 → 2/5; 1: C04 C08 → 0/2; 2: C01 C07 → 2/2; 3+: none.
      const r = await npsAnalysis(engine, { negative: 5 });
      expect(runs(r)).toEqual([
        ['0', 5, 2, 40],
        ['1', 2, 0, 0],
        ['2', 2, 2, 100],
        ['3+', 0, 0, null],
      ]);
    });

    it('a cut-off bounds the history too: answers strictly before 2024-04-01', async () => {
      // Before 04-01: C01 8,5 → 1; C02 9,6 → 1; C03 3 (its 04-01 answer is not before) → 1;
      // C04 7,4 → 1; C05 6 → 1; C06 10 → 0; C07 5,5 → 2; C08 4 → 1; C09 5 → 1.
      // 0: C06 → 0/1; 1: C01 C02 C03 C04 C05 C08 C09 → 3/7 (C01 C03 C05); 2: C07 → 1/1.
      const r = await npsAnalysis(engine, { cutoff: new Date('2024-04-01T00:00:00Z') });
      expect(runs(r)).toEqual([
        ['0', 1, 0, 0],
        ['1', 7, 3, 300 / 7],
        ['2', 1, 1, 100],
        ['3+', 0, 0, null],
      ]);
    });

    it('events before the churn date, by lift over the 50 % base rate', async () => {
      // support_ticket: C01 C03 C05 C07 C10, all churned → 100 %, lift 2; without: 0/5.
      // downgrade: C01 C03 (04-15 < 05-20) C07 (03-07 < 04-10) C10 → 4/4, lift 2; without 1/6.
      // signup: all 10 → 5/10, lift 1.   login: all but C07 → 4/9 (C03's 06-05 login is after
      // it left, its 01-10 one counts), lift 0.889; without: C07 → 1/1.
      // purchase: C02 C04 C06 C08 C09 → 0/5, lift 0.   referral: C06 → 0/1, lift 0.
      const r = await npsAnalysis(engine);
      expect(
        r.antecedents!.events!.map((e) => [
          e.event,
          e.customers,
          e.churned,
          e.customersWithout,
          e.churnedWithout,
        ]),
      ).toEqual([
        ['support_ticket', 5, 5, 5, 0],
        ['downgrade', 4, 4, 6, 1],
        ['signup', 10, 5, 0, 0],
        ['login', 9, 4, 1, 1],
        ['purchase', 5, 0, 5, 5],
        ['referral', 1, 0, 9, 5],
      ]);
      const [ticket, downgrade, signup, login] = r.antecedents!.events!;
      expect(ticket.lift).toBe(2);
      expect(downgrade.churnRateWithout).toBeCloseTo(100 / 6, 9);
      expect(signup.churnRateWithout).toBeNull();
      expect(login.lift).toBeCloseTo(4 / 9 / 0.5, 9);
      expect((await npsAnalysis(engine, { topEvents: 2 })).antecedents!.events!.length).toBe(2);
    });

    it('a derived label: no purchase within the window after the cut-off', async () => {
      // Cut-off 2024-03-01, window 30 days, so a purchase in [03-01, 03-31) means retained.
      // A: orders 01-10, 03-05 → retained; answers 01-20 5 (03-10 3 is after the cut-off) → run 1.
      // B: order 01-15 → churned; answers 01-20 4, 02-10 2 → run 2.
      // C: orders 02-01, 04-15 (after the window) → churned; answer 02-05 9 → run 0.
      await dropCanonical(engine);
      await engine.exec(`CREATE TABLE orders AS SELECT * FROM (VALUES
        ('A', 'a1', TIMESTAMP '2024-01-10 10:00', 20.0), ('A', 'a2', TIMESTAMP '2024-03-05 10:00', 30.0),
        ('B', 'b1', TIMESTAMP '2024-01-15 10:00', 25.0),
        ('C', 'c1', TIMESTAMP '2024-02-01 10:00', 40.0), ('C', 'c2', TIMESTAMP '2024-04-15 10:00', 10.0)
      ) t(customer_id, order_id, order_ts, amount)`);
      await engine.exec(`CREATE TABLE feedback AS SELECT * FROM (VALUES
        ('A', TIMESTAMP '2024-01-20 09:00', 5.0), ('A', TIMESTAMP '2024-03-10 09:00', 3.0),
        ('B', TIMESTAMP '2024-01-20 09:00', 4.0), ('B', TIMESTAMP '2024-02-10 09:00', 2.0),
        ('C', TIMESTAMP '2024-02-05 09:00', 9.0)
      ) t(customer_id, feedback_ts, score)`);
      try {
        const r = await npsAnalysis(engine, {
          cutoff: new Date('2024-03-01T00:00:00Z'),
          windowDays: 30,
        });
        const a = r.antecedents!;
        expect(a.label).toBe('derived');
        expect(a.cutoff).toEqual(new Date('2024-03-01T00:00:00Z'));
        expect([a.customers, a.churned]).toEqual([3, 2]);
        expect(runs(r)).toEqual([
          ['0', 1, 1, 100],
          ['1', 1, 0, 0],
          ['2', 1, 1, 100],
          ['3+', 0, 0, null],
        ]);
        expect(a.eventsNote).toMatch(/Map an events table/);
        // Feedback alone: NPS still comes back; the note says what would relate it to churn.
        await engine.exec('DROP TABLE orders');
        const alone = await npsAnalysis(engine);
        expect(alone.overall.responses).toBe(5);
        expect(alone.antecedents).toBeNull();
        expect(alone.antecedentsNote).toMatch(/churn column in the customers table or orders/);
      } finally {
        await engine.exec('DROP TABLE IF EXISTS orders; DROP TABLE IF EXISTS feedback');
        await loadFixtures(engine, harness);
      }
    });
  });

  it('reports its steps and stops when cancelled', async () => {
    const steps: string[] = [];
    const c = new AbortController();
    const run = npsAnalysis(engine, {
      signal: c.signal,
      onProgress: (_, step) => {
        steps.push(step);
        if (step.startsWith('Runs')) c.abort();
      },
    });
    await expect(run).rejects.toSatisfy(isCancelled);
    expect(steps).toEqual([
      'NPS per period…',
      'NPS by segment…',
      'Who churned…',
      'Runs of negative answers…',
    ]);
  });

  describe('bad input', () => {
    it('says what to map and what to change', async () => {
      await expect(npsAnalysis(engine, { by: 'colour' })).rejects.toThrow(
        /no column “colour”.*Choose one of: topic, plan, region/,
      );
      await expect(npsAnalysis(engine, { negative: 6.5 })).rejects.toThrow(
        /whole score from 0 to 9/,
      );
      await expect(npsAnalysis(engine, { period: 'week' as 'month' })).rejects.toThrow(
        /month or quarter/,
      );
      await dropCanonical(engine);
      try {
        await expect(npsAnalysis(engine)).rejects.toThrow(/map it as “Feedback \/ NPS”/);
      } finally {
        await loadFixtures(engine, harness);
      }
    });
  });
}
