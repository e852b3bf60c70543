import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiftDataError, programmeLift, type LiftResult } from '../../src/lib/analyses/lift.ts';
import type { SqlEngine } from '../../src/lib/engine/types.ts';
import type { Decoders } from '../../src/lib/ingest/decoders.ts';
import type { InputFile } from '../../src/lib/ingest/input.ts';
import { loadFile } from '../../src/lib/ingest/load.ts';
import { detectMapping } from '../../src/lib/schema/detect.ts';
import type { Mapping } from '../../src/lib/schema/mapping.ts';
import { applyMapping, dropCanonical } from '../../src/lib/schema/views.ts';
import { literal } from '../../src/lib/sql/quote.ts';

export interface FixtureHarness {
  engine: () => Promise<SqlEngine>;
  decoders: () => Decoders;
  /** A file of test/fixtures/programme/. */
  fixture: (name: string) => Promise<InputFile>;
}

/**
 * Programme lift on both engines. The fixture test/fixtures/programme/ (see its
 * SOURCE.md) is loaded and mapped the way the app does it; every expected figure is
 * worked out by hand below (z = 1.959964, t from a printed t table). Edge cases use
 * tiny tables written here.
 */
export function liftSuite(harness: FixtureHarness) {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await harness.engine();
  }, 60_000);
  afterAll(async () => engine?.close());

  async function loadFixture() {
    await dropCanonical(engine);
    const mapping: Mapping = { version: 1, tables: [], currency: 'GBP', timeZone: 'UTC' };
    for (const name of ['members.csv', 'orders.csv']) {
      const result = await loadFile(engine, harness.decoders(), await harness.fixture(name));
      for (const t of result.tables) {
        const { proposal } = await detectMapping(engine, t.name);
        if (proposal) mapping.tables.push(proposal.mapping);
      }
    }
    expect(mapping.tables.map((t) => t.kind).sort()).toEqual(['orders', 'programme']);
    await applyMapping(engine, mapping);
  }

  describe('programme lift: the hand-made fixture', () => {
    let result: LiftResult;
    beforeAll(async () => {
      await loadFixture();
      result = await programmeLift(engine);
    }, 60_000);

    it('reads Treatment/treatment and Control/holdout as the two groups', () => {
      expect(result.groups).toEqual({ treatment: 10, holdout: 10, inBoth: 0, withoutStart: 0 });
      expect(result.values.map((v) => [v.value, v.group, v.customers])).toEqual([
        ['Control', 'holdout', 5],
        ['Treatment', 'treatment', 5],
        ['holdout', 'holdout', 5],
        ['treatment', 'treatment', 5],
      ]);
    });

    it('reports months 1 and 2 only: month 3 ends after the data (last order 2024-03-05)', () => {
      expect(result.periods.map((p) => p.period)).toEqual([1, 2]);
      expect(result.periods.map((p) => [p.treatment.customers, p.holdout.customers])).toEqual([
        [10, 10],
        [10, 10],
      ]);
    });

    it('month 1 retention: 6/10 against 3/10, with the Wald and Newcombe intervals', () => {
      const [p1] = result.periods;
      expect([p1.treatment.retained, p1.holdout.retained]).toEqual([6, 3]);
      // d = 0.6 − 0.3 = 0.3; SE = √(0.6·0.4/10 + 0.3·0.7/10) = √(0.024 + 0.021) = √0.045 = 0.212132
      // Wald: 0.3 ± 1.959964 · 0.212132 = 0.3 ± 0.415771 → [−0.115771, 0.715771]
      expect(p1.retention.estimate).toBeCloseTo(0.3, 10);
      expect(p1.retention.se).toBeCloseTo(0.212132, 5);
      expect(p1.retention.lower).toBeCloseTo(-0.115771, 5);
      expect(p1.retention.upper).toBeCloseTo(0.715771, 5);
      // Wilson 6/10: (12 + 3.841459 ± 1.959964·√(3.841459 + 4·6·0.4)) ÷ (2·13.841459)
      //   = (15.841459 ± 7.185691) ÷ 27.682918 → [0.312674, 0.831820]
      // Wilson 3/10: (6 + 3.841459 ± 1.959964·√(3.841459 + 4·3·0.7)) ÷ 27.682918
      //   = (9.841459 ± 6.857560) ÷ 27.682918 → [0.107791, 0.603222]
      // Newcombe: lower = 0.3 − √((0.6 − 0.312674)² + (0.603222 − 0.3)²) = 0.3 − 0.417732 = −0.117732
      //           upper = 0.3 + √((0.831820 − 0.6)² + (0.3 − 0.107791)²) = 0.3 + 0.301139 = 0.601139
      expect(p1.retention.newcombe.lower).toBeCloseTo(-0.117732, 5);
      expect(p1.retention.newcombe.upper).toBeCloseTo(0.601139, 5);
    });

    it('month 1 revenue per customer: Welch interval', () => {
      const [p1] = result.periods;
      // Treatment month 1: T01 20, T02 20, T03 20, T04 10 + 30, T05 10, T06 10, T07–T10 0
      //   Σ = 120, mean 12; Σ(x − 12)² = 3·8² + 28² + 2·2² + 4·12² = 192 + 784 + 8 + 576 = 1560; s² = 1560/9 = 173.333
      // Holdout month 1: H01 30, H02 10, H03 20, H04 (order before the start) and H05–H10 0
      //   Σ = 60, mean 6; Σ(x − 6)² = 24² + 4² + 14² + 7·6² = 576 + 16 + 196 + 252 = 1040; s² = 115.556
      expect(p1.treatment.revenuePerCustomer).toBe(12);
      expect(p1.holdout.revenuePerCustomer).toBe(6);
      expect(p1.treatment.revenueSd ** 2).toBeCloseTo(1560 / 9, 8);
      expect(p1.holdout.revenueSd ** 2).toBeCloseTo(1040 / 9, 8);
      // SE² = 17.3333 + 11.5556 = 28.8889, SE = 5.374838
      // df = 28.8889² ÷ (17.3333²/9 + 11.5556²/9) = 834.568 ÷ 48.2195 = 17.3077
      // t(0.975; 17.31) ≈ 2.1070 (table: 2.1098 at 17, 2.1009 at 18, interpolated in 1/df)
      // interval 6 ± 2.1070 · 5.374838 = 6 ± 11.325 → [−5.325, 17.325]
      const r = p1.revenuePerCustomer;
      expect(r.estimate).toBe(6);
      expect(r.se).toBeCloseTo(5.374838, 5);
      expect(r.df).toBeCloseTo(17.3077, 3);
      expect(r.lower).toBeCloseTo(-5.325, 2);
      expect(r.upper).toBeCloseTo(17.325, 2);
    });

    it('month 2: the boundary order of T01 at 2024-02-01 00:00 counts in month 2', () => {
      const p2 = result.periods[1];
      // Treatment: T01, T02, T07, T08, T09 → 5/10; holdout: H01, H05 → 2/10.
      expect([p2.treatment.retained, p2.holdout.retained]).toEqual([5, 2]);
      // SE = √(0.5·0.5/10 + 0.2·0.8/10) = √0.041 = 0.202485
      expect(p2.retention.se).toBeCloseTo(0.202485, 5);
      // Treatment 15 + 25 + 40 + 10 + 20 = 110 → 11; holdout 20 + 30 = 50 → 5
      //   Σ(x − 11)² = 4² + 14² + 5·11² + 29² + 1² + 9² = 16 + 196 + 605 + 841 + 1 + 81 = 1740, s² = 193.333
      //   Σ(x − 5)² = 15² + 25² + 8·5² = 225 + 625 + 200 = 1050, s² = 116.667
      //   SE = √(19.3333 + 11.6667) = √31 = 5.567764; df = 31² ÷ (19.3333²/9 + 11.6667²/9) = 16.9625
      //   t(0.975; 16.96) ≈ 2.1105 → 6 ± 11.751
      expect(p2.revenuePerCustomer.se).toBeCloseTo(Math.sqrt(31), 8);
      expect(p2.revenuePerCustomer.df).toBeCloseTo(16.9625, 3);
      expect(p2.revenuePerCustomer.lower).toBeCloseTo(6 - 11.751, 1);
    });

    it('sample size per group for a 5-point lift over the holdout’s 30 %', () => {
      // p₁ = 0.3, p₂ = 0.35, p̄ = 0.325: (1.959964·√(2·0.325·0.675) + 0.841621·√(0.3·0.7 + 0.35·0.65))² ÷ 0.05²
      //   = (1.959964·0.662382 + 0.841621·0.661438)² ÷ 0.0025 = (1.298245 + 0.556682)² ÷ 0.0025
      //   = 3.440754 ÷ 0.0025 = 1376.3 → 1377
      expect(result.sampleSize).toEqual({
        baseline: 0.3,
        lift: 0.05,
        alpha: 0.05,
        power: 0.8,
        perGroup: 1377,
      });
      // Month 2, baseline 0.2 → 0.25: (1.959964·√(2·0.225·0.775) + 0.841621·√(0.16 + 0.1875))² ÷ 0.0025 = 1093.7 → 1094
      expect(result.periods[1].sampleSizePerGroup).toBe(1094);
    });

    it('a 10-point lift needs fewer customers; a quarter has not ended yet', async () => {
      // p₂ = 0.4, p̄ = 0.35: (1.959964·0.674537 + 0.841621·0.670820)² ÷ 0.01 = 1.886644² ÷ 0.01 = 355.9 → 356
      expect((await programmeLift(engine, { lift: 0.1 })).sampleSize.perGroup).toBe(356);
      await expect(programmeLift(engine, { period: 'quarter' })).rejects.toThrow(
        /No quarter since the programme start has ended by the last order/,
      );
    });

    it('in-or-after: retained = an order in the month or later', async () => {
      const r = await programmeLift(engine, { definition: 'in-or-after' });
      // Month 1: treatment T01–T09 (T07–T09 first buy in February) = 9; holdout H01–H03, H05, H06 = 5
      // Month 2: treatment T01, T02, T07, T08, T09 = 5; holdout H01, H05, H06 (March) = 3
      expect(r.periods.map((p) => [p.treatment.retained, p.holdout.retained])).toEqual([
        [9, 5],
        [5, 3],
      ]);
    });

    it('warns that the groups are small', () => {
      expect(result.periods[0].notes.join(' ')).toMatch(/only 10 customers in period 1/);
      expect(result.periods[0].notes.join(' ')).toMatch(/Only 3 holdout customers were retained/);
    });
  });

  describe('programme lift: data that cannot support it', () => {
    type Member = [customer: string, group: string, programme: string | null, start: string | null];
    async function load(members: Member[], orders: [string, string, number][]) {
      await dropCanonical(engine);
      await engine.exec(`CREATE OR REPLACE TABLE programme (customer_id VARCHAR, group_name VARCHAR,
        programme VARCHAR, start_ts TIMESTAMP)`);
      await engine.exec(`CREATE OR REPLACE TABLE orders (customer_id VARCHAR, order_id VARCHAR,
        order_ts TIMESTAMP, amount DOUBLE)`);
      if (members.length)
        await engine.exec(
          `INSERT INTO programme VALUES ${members.map((m) => `(${m.map(literal).join(', ')})`).join(', ')}`,
        );
      if (orders.length)
        await engine.exec(
          `INSERT INTO orders VALUES ${orders.map(([c, ts, a], i) => `(${literal(c)}, ${literal(`o${i}`)}, ${literal(ts)}, ${literal(a)})`).join(', ')}`,
        );
    }
    const start = '2024-01-01 00:00:00';
    const lastOrder: [string, string, number] = ['zz', '2024-03-01 10:00:00', 1];

    it('names the missing table', async () => {
      await dropCanonical(engine);
      await engine.exec('DROP TABLE IF EXISTS programme');
      await engine.exec('DROP TABLE IF EXISTS orders');
      await expect(programmeLift(engine)).rejects.toThrow(
        /needs a programme membership table.*no programme or orders table is mapped/,
      );
    });

    it('a missing holdout group: the values found and how to fix it', async () => {
      await load(
        [
          ['a', 'treatment', null, start],
          ['b', 'VIP', null, start],
        ],
        [lastOrder],
      );
      const error = await programmeLift(engine).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LiftDataError);
      expect((error as Error).message).toMatch(
        /no holdout group\. Group values found: “VIP” \(1 customer\), “treatment” \(1 customer\)\. Mark holdout members with a value such as “holdout” or “control”, or name the value/,
      );
    });

    it('own group values; unknown values, customers in both groups and members without a start left out', async () => {
      // a, b: A; c, d: B; e: both A and B; f: "VIP"; g: A without a start date.
      await load(
        [
          ['a', 'A', null, start],
          ['b', 'A', null, start],
          ['c', 'B', null, start],
          ['d', 'b', null, start],
          ['e', 'A', null, start],
          ['e', 'B', null, start],
          ['f', 'VIP', null, start],
          ['g', 'A', null, null],
        ],
        [['a', '2024-01-05 00:00:00', 10], ['c', '2024-01-06 00:00:00', 4], lastOrder],
      );
      const r = await programmeLift(engine, { treatmentValue: 'a', holdoutValue: 'B' });
      expect(r.groups).toEqual({ treatment: 4, holdout: 3, inBoth: 1, withoutStart: 1 });
      expect(r.notes.join(' ')).toMatch(/“VIP” \(1 customer\), read as neither/);
      expect(r.notes.join(' ')).toMatch(/1 customer listed in both groups left out/);
      expect(r.notes.join(' ')).toMatch(/1 member without a start date left out/);
      // Month 1 (January): treatment a, b → a bought: 1/2; holdout c, d → c bought: 1/2.
      const [p1] = r.periods;
      expect([p1.treatment.customers, p1.treatment.retained]).toEqual([2, 1]);
      expect([p1.holdout.customers, p1.holdout.retained]).toEqual([2, 1]);
      // Revenue: treatment [10, 0], holdout [4, 0] → 5 − 2 = 3
      expect(p1.revenuePerCustomer.estimate).toBe(3);
      // With a start for members without one, g counts too (3 treatment members).
      const withStart = await programmeLift(engine, {
        treatmentValue: 'a',
        holdoutValue: 'B',
        start: new Date('2024-01-01T00:00:00Z'),
      });
      expect(withStart.periods[0].treatment.customers).toBe(3);
    });

    it('a group of one: no revenue interval, and a note saying why', async () => {
      await load(
        [
          ['a', 'treatment', null, start],
          ['b', 'holdout', null, start],
          ['c', 'holdout', null, start],
        ],
        [['a', '2024-01-05 00:00:00', 10], lastOrder],
      );
      const [p1] = (await programmeLift(engine)).periods;
      expect(p1.revenuePerCustomer).toMatchObject({ estimate: 10, lower: null, upper: null });
      expect(p1.notes[0]).toBe(
        'The treatment group has 1 customer in period 1: no revenue interval can be formed.',
      );
    });

    it('several programmes: asks for one; a name with a quote is a value, not SQL', async () => {
      const club = "O'Brien's club";
      await load(
        [
          ['a', 'treatment', club, start],
          ['b', 'holdout', club, start],
          ['c', 'treatment', 'Win-back', start],
          ['d', 'holdout', 'Win-back', start],
        ],
        [['a', '2024-01-05 00:00:00', 10], lastOrder],
      );
      await expect(programmeLift(engine)).rejects.toThrow(
        /holds 2 programmes \(“O'Brien's club”, “Win-back”\); choose one/,
      );
      const r = await programmeLift(engine, { programme: club });
      expect(r.groups).toMatchObject({ treatment: 1, holdout: 1 });
      expect(r.periods[0].treatment.retained).toBe(1);
      await expect(programmeLift(engine, { programme: 'Referral' })).rejects.toThrow(
        /No member belongs to the programme “Referral”/,
      );
    });

    it('refuses impossible parameters with what to change', async () => {
      await expect(programmeLift(engine, { lift: 5 })).rejects.toThrow(/between 0 and 1/);
      await expect(programmeLift(engine, { periods: 0 })).rejects.toThrow(/whole number from 1/);
    });
  });
}
