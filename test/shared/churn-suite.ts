import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetFromArrow } from '../../src/lib/churn/dataset.ts';
import { featureSources, planFeatures } from '../../src/lib/churn/features.ts';
import type { SqlEngine } from '../../src/lib/engine/types.ts';
import { loadFile } from '../../src/lib/ingest/load.ts';
import { dropCanonical } from '../../src/lib/schema/views.ts';
import { orderFactsSql } from '../../src/lib/analyses/kpis-sql.ts';
import { literal } from '../../src/lib/sql/quote.ts';
import type { IngestHarness } from './ingest-suite.ts';
import { applyDetected } from '../support/mapping.ts';

/**
 * Derived-label fixture around the cut-off 2024-04-01 with a 30-day window, so
 * labels look at orders in [2024-04-01 00:00, 2024-05-01 00:00). Hand-worked:
 *   a: orders 01-10 (10) and 03-31 23:59:59 (20) before; 04-01 00:00:00 (5) is the
 *      first instant of the window → retained (0).
 *   b: order 02-15 (40) before; next order 05-01 00:00:00, the first instant after
 *      the window → churned (1).
 *   c: first order 04-15 → not in the population (no history before the cut-off).
 *   d: one order d1 of two lines 03-20 (5 + 7) before; 04-30 23:59:59 in the window → 0.
 * Trend windows: last = [03-02, 04-01), previous = [02-01, 03-02).
 */
const ORDERS: [string, string, string, number][] = [
  ['a', 'a1', '2024-01-10 00:00:00', 10],
  ['a', 'a2', '2024-03-31 23:59:59', 20],
  ['a', 'a3', '2024-04-01 00:00:00', 5],
  ['b', 'b1', '2024-02-15 00:00:00', 40],
  ['b', 'b2', '2024-05-01 00:00:00', 8],
  ['c', 'c1', '2024-04-15 00:00:00', 9],
  ['d', 'd1', '2024-03-20 00:00:00', 5],
  ['d', 'd1', '2024-03-20 00:00:00', 7],
  ['d', 'd2', '2024-04-30 23:59:59', 3],
];

/** Churn features and labels on both engines. */
export function churnSuite(harness: IngestHarness) {
  // Twice: over the orders themselves, and over the order_facts table that confirming a
  // mapping builds (the features read it when it exists).
  describe.each(['orders', 'order_facts'] as const)(
    'churn features and labels, from %s',
    (from) => {
      let engine: SqlEngine;
      beforeAll(async () => {
        engine = await harness.engine();
      }, 60_000);
      afterAll(async () => engine?.close());

      async function loadOrders() {
        await dropCanonical(engine);
        await engine.exec(`CREATE TABLE orders (customer_id VARCHAR, order_id VARCHAR,
        order_ts TIMESTAMP, amount DOUBLE)`);
        await engine.exec(
          `INSERT INTO orders VALUES ${ORDERS.map((r) => `(${r.map(literal).join(', ')})`).join(', ')}`,
        );
        if (from === 'order_facts') await engine.exec(orderFactsSql());
      }

      it('derives labels strictly after the cut-off and features strictly before it', async () => {
        await loadOrders();
        const sources = await featureSources(engine);
        expect(sources.labelledCustomers).toBe(0);
        const plan = planFeatures(sources, {
          cutoff: new Date('2024-04-01T00:00:00Z'),
          windowDays: 30,
        });
        expect(plan.label).toBe('derived');
        expect(plan.explanation).toContain('2024-04-01 to 2024-04-30');
        const data = datasetFromArrow(await engine.query(plan.trainSql));
        expect(data.ids).toEqual(['a', 'b', 'd']);
        expect(Array.from(data.label)).toEqual([0, 1, 0]);
        const f = (name: string) => Array.from(data.numeric.find((c) => c.name === name)!.values);
        // a: last order one second before the cut-off; b: 02-15 → 04-01 = 15 + 31 days; d: 12 days
        expect(f('recency_days')[0]).toBeCloseTo(1 / 86_400, 9);
        expect(f('recency_days').slice(1)).toEqual([46, 12]);
        expect(f('frequency')).toEqual([2, 1, 1]);
        expect(f('monetary')).toEqual([30, 40, 12]);
        expect(f('avg_order_value')).toEqual([15, 40, 12]);
        // a: 01-10 → 04-01 = 22 + 29 + 31 = 82 days
        expect(f('tenure_days')).toEqual([82, 46, 12]);
        // a: 01-10 → 03-31 23:59:59 is 81 days and 86,399 s; b and d have one order
        expect(f('mean_gap_days')[0]).toBeCloseTo(81 + 86_399 / 86_400, 9);
        expect(Number.isNaN(f('mean_gap_days')[1])).toBe(true);
        expect(f('orders_last')).toEqual([1, 0, 1]);
        expect(f('orders_prev')).toEqual([0, 1, 0]);
        expect(f('spend_last')).toEqual([20, 0, 12]);
        expect(f('spend_prev')).toEqual([0, 40, 0]);
        expect(f('spend_trend')).toEqual([1, -1, 1]);
        // value = spend in the year before the cut-off
        expect(Array.from(data.value)).toEqual([30, 40, 12]);
      });

      it('scores current customers as of the day after the last order, without labels', async () => {
        await loadOrders();
        const plan = planFeatures(await featureSources(engine), {
          cutoff: new Date('2024-04-01T00:00:00Z'),
          windowDays: 30,
        });
        expect(plan.scoreAt?.toISOString()).toBe('2024-05-02T00:00:00.000Z');
        const data = datasetFromArrow(await engine.query(plan.scoreSql!));
        expect(data.ids).toEqual(['a', 'b', 'c', 'd']);
        expect(Array.from(data.label)).toEqual([-1, -1, -1, -1]);
        // b: last order 05-01 00:00 → one day before 05-02
        expect(data.numeric.find((c) => c.name === 'recency_days')!.values[1]).toBe(1);
      });

      it('refuses a cut-off whose window runs past the data, and one before any order', async () => {
        await loadOrders();
        const sources = await featureSources(engine);
        expect(() =>
          planFeatures(sources, { cutoff: new Date('2024-04-10T00:00:00Z'), windowDays: 30 }),
        ).toThrow(/too late.*orders end on 2024-05-01.*on or before 2024-04-02/);
        expect(() =>
          planFeatures(sources, { cutoff: new Date('2024-01-01T00:00:00Z'), windowDays: 30 }),
        ).toThrow(/before the first order/);
        // the default cut-off is the day after the last order minus the window
        expect(planFeatures(sources, { windowDays: 30 }).cutoff?.toISOString()).toBe(
          '2024-04-02T00:00:00.000Z',
        );
        expect(() => planFeatures(sources, { label: 'column' })).toThrow(/No churn column/);
      });

      it('takes a mapped churn column as the label, and never the churn date or flag as a feature', async () => {
        await dropCanonical(engine);
        await engine.exec(`CREATE VIEW customers AS SELECT * FROM (VALUES
        ('x', TRUE, TIMESTAMP '2024-01-01', 'Monthly', 10.0, 'red', 3::BIGINT),
        ('y', FALSE, NULL, 'Yearly', 20.0, 'blue', NULL),
        ('z', NULL, NULL, 'Monthly', 30.0, NULL, 5::BIGINT))
        t(customer_id, churned, churn_ts, plan, recurring_revenue, attr_colour, attr_logins)`);
        const sources = await featureSources(engine);
        expect(sources.labelledCustomers).toBe(2);
        expect(sources.attributes).toEqual([
          { column: 'plan', kind: 'categorical' },
          { column: 'recurring_revenue', kind: 'numeric' },
          { column: 'attr_colour', kind: 'categorical' },
          { column: 'attr_logins', kind: 'numeric' },
        ]);
        const plan = planFeatures(sources);
        expect(plan.label).toBe('column');
        const data = datasetFromArrow(await engine.query(plan.trainSql));
        // z has no known label, so it is not an example
        expect(data.ids).toEqual(['x', 'y']);
        expect(Array.from(data.label)).toEqual([1, 0]);
        expect(Array.from(data.value)).toEqual([120, 240]);
        expect(data.categorical.map((c) => c.name)).toEqual(['plan', 'attr_colour']);
        expect(data.numeric.map((c) => c.name)).toEqual(['recurring_revenue', 'attr_logins']);
        expect(Number.isNaN(data.numeric[1].values[1])).toBe(true);
        await engine.exec('DROP VIEW customers');
      });

      it('Telco: 7,043 labelled customers, 1,869 churned, its attributes as features', async () => {
        await dropCanonical(engine);
        const table = (await loadFile(engine, harness.decoders(), await harness.open('telco')))
          .tables[0].name;
        await applyDetected(engine, table, 'USD');
        const plan = planFeatures(await featureSources(engine));
        expect(plan.label).toBe('column');
        const data = datasetFromArrow(await engine.query(plan.trainSql));
        expect(data.ids.length).toBe(7043);
        expect(data.label.reduce((a, b) => a + b, 0)).toBe(1869);
        expect(data.categorical.map((c) => c.name)).toContain('plan');
        expect(data.categorical.map((c) => c.name)).toContain('attr_payment_method');
        // 11 customers have a blank TotalCharges (SOURCE.md)
        const total = data.numeric.find((c) => c.name === 'total_spend')!.values;
        expect(total.filter((v) => Number.isNaN(v)).length).toBe(11);
      }, 60_000);
    },
  );
}
