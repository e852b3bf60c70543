import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposeAnswers, type AuditEvidence } from '../../../src/lib/audit/proposals.ts';
import type { SqlEngine } from '../../../src/lib/engine/types.ts';
import { dropCanonical } from '../../../src/lib/schema/views.ts';
import { literal } from '../../../src/lib/sql/quote.ts';

type Line = [
  customer: string,
  order: string,
  ts: string,
  amount: number,
  product: string,
  channel: string,
  cancelled: boolean,
];

/**
 * Orders, one line each (every expected figure below is worked out by hand from them):
 *   a: a1 01-05 Mug, a2 02-10 Tea       (web)    two orders
 *   b: b1 01-20 Mug, b2 01-25 cancelled (web)    one counted order
 *   c: c1 02-03 Tea, c2 03-01 Mug       (store)  two orders
 *   d: d1 02-15 Mug                     (store)  one order
 * 4 customers, 2 with two orders → repeat rate 2 ÷ 4 = 50 %.
 * First orders: Mug (a, b, d), Tea (c) → top first purchase Mug, 3 customers, 3 ÷ 4 = 75 %.
 * Lines: 6 counted + 1 cancelled → returns ratio 1 ÷ 7 = 14.2857 % → 14.3.
 * Channels: store 2 customers, web 2 (ties by name) → "store (2), web (2)".
 */
const LINES: Line[] = [
  ['a', 'a1', '2024-01-05 10:00:00', 10, 'Mug', 'web', false],
  ['a', 'a2', '2024-02-10 10:00:00', 5, 'Tea', 'web', false],
  ['b', 'b1', '2024-01-20 10:00:00', 8, 'Mug', 'web', false],
  ['b', 'b2', '2024-01-25 10:00:00', -8, 'Mug', 'web', true],
  ['c', 'c1', '2024-02-03 10:00:00', 4, 'Tea', 'store', false],
  ['c', 'c2', '2024-03-01 10:00:00', 6, 'Mug', 'store', false],
  ['d', 'd1', '2024-02-15 10:00:00', 7, 'Mug', 'store', false],
];

/**
 * The audit's proposals on a hand-computed fixture, run on both engines (native
 * DuckDB in test/unit/audit, DuckDB-WASM in test/browser/audit.wasm.test.ts), so the
 * app and the CLI propose the same answers.
 */
export function auditProposalsSuite(engine: () => Promise<SqlEngine>) {
  describe('audit proposals on a hand-computed fixture', () => {
    let db: SqlEngine;
    let evidence: AuditEvidence;
    beforeAll(async () => {
      db = await engine();
      await dropCanonical(db);
      await db.exec(`CREATE TABLE orders_all (customer_id VARCHAR, order_id VARCHAR, order_ts TIMESTAMP,
        amount DOUBLE, quantity DOUBLE, unit_price DOUBLE, product VARCHAR, category VARCHAR, channel VARCHAR,
        discount_code VARCHAR, status VARCHAR, is_cancelled BOOLEAN, exclusion VARCHAR)`);
      const rows = LINES.map(
        ([c, o, ts, amount, product, channel, cancelled]) =>
          `(${[c, o, ts, amount, product, channel, cancelled ? 'cancelled' : null, cancelled, cancelled ? 'cancelled' : null].map(literal).join(', ')})`,
      );
      await db.exec(`INSERT INTO orders_all (customer_id, order_id, order_ts, amount, product, channel, status, is_cancelled, exclusion)
        VALUES ${rows.join(', ')}`);
      await db.exec(
        `CREATE VIEW orders AS SELECT * EXCLUDE (is_cancelled, exclusion) FROM orders_all WHERE exclusion IS NULL`,
      );
      // NPS: scores 10, 9, 9, 6 → 3 promoters, 1 detractor → (3 − 1) ÷ 4 × 100 = 50.
      await db.exec(`CREATE TABLE feedback AS SELECT * FROM (VALUES
        ('a', TIMESTAMP '2024-02-01', 10.0, NULL, NULL), ('b', TIMESTAMP '2024-02-01', 9.0, NULL, NULL),
        ('c', TIMESTAMP '2024-02-01', 9.0, NULL, NULL), ('d', TIMESTAMP '2024-02-01', 6.0, NULL, NULL))
        AS t(customer_id, feedback_ts, score, text, topic)`);
      // 3 support tickets for the 4 customers with orders (no customers table) → 0.75.
      await db.exec(`CREATE TABLE events AS SELECT * FROM (VALUES
        ('a', TIMESTAMP '2024-02-01', 'support_ticket', NULL), ('a', TIMESTAMP '2024-02-02', 'Support ticket', NULL),
        ('b', TIMESTAMP '2024-02-01', 'ticket opened', NULL), ('c', TIMESTAMP '2024-02-01', 'page_view', NULL),
        ('d', TIMESTAMP '2024-02-01', 'page_view', NULL))
        AS t(customer_id, event_ts, event_name, properties)`);
      await db.exec(`CREATE TABLE programme AS SELECT * FROM (VALUES
        ('a', 'treatment', 'loyalty', NULL::TIMESTAMP), ('b', 'treatment', 'loyalty', NULL), ('c', 'Holdout', 'loyalty', NULL))
        AS t(customer_id, group_name, programme, start_ts)`);
      evidence = await proposeAnswers(db);
    }, 60_000);
    afterAll(async () => {
      if (!db) return;
      await db.exec(
        'DROP TABLE IF EXISTS feedback; DROP TABLE IF EXISTS events; DROP TABLE IF EXISTS programme',
      );
      await dropCanonical(db);
      await db.close();
    });

    it('repeat rate 50 %, top first purchase Mug (3 of 4), returns 14.3 %', () => {
      const p = evidence.proposals;
      expect(p.repeat_rate.answer).toEqual({ number: 50 });
      expect(p.top_first_purchase.figures).toEqual({ item: 'Mug', customers: 3, share: 75 });
      expect(p.returns_ratio.figures).toEqual({
        returnedLines: 1,
        lines: 7,
        returnsRatio: (1 / 7) * 100,
      });
      expect(p.returns_ratio.answer).toEqual({ number: 14.3 });
    });

    it('NPS 50, 0.75 tickets per customer, holdouts present, events tracked, channels listed', () => {
      const p = evidence.proposals;
      expect(p.nps.answer).toEqual({ number: 50 });
      expect(p.nps.figures).toMatchObject({ responses: 4, promoters: 3, detractors: 1 });
      expect(p.tickets_per_customer.figures).toEqual({
        tickets: 3,
        customers: 4,
        ticketsPerCustomer: 0.75,
      });
      expect(p.holdout_groups.answer).toEqual({ yesno: true });
      expect(p.holdout_groups.figures).toEqual({ treatment: 2, Holdout: 1 });
      expect(p.event_tracking.figures).toEqual({ events: 5, names: 4, customers: 4 });
      expect(p.feedback_collected.answer).toEqual({ yesno: true });
      expect(p.traffic_sources.answer).toEqual({ text: 'store (2), web (2)' });
    });

    it('feeds the findings: 50 % one-time buyers is not above the 50 % threshold', () => {
      expect(evidence.metrics.oneTimeShare).toBe(50);
      expect(evidence.metrics.nps).toBe(50);
      expect(evidence.metrics.returnsRatio).toBeCloseTo(14.2857, 4);
    });
  });
}
