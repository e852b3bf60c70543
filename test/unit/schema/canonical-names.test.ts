import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeEngine } from '../../../src/lib/engine/node.ts';
import { detectMapping } from '../../../src/lib/schema/detect.ts';

/**
 * A table whose headers are Retain's own role names (a file exported from Retain, or
 * prepared for it, such as the benchmark's synthetic orders) must be proposed as the
 * kind those names describe, each role on its namesake column. `order_ts` and
 * `churn_ts` are in no synonym list, which once made such an orders table look like
 * a customers table.
 */
let engine: NodeEngine;
beforeAll(async () => {
  engine = await NodeEngine.create();
  // Six order rows by hand: customers c1 (3 orders), c2 (2), c3 (1).
  await engine.exec(`CREATE TABLE synthetic_orders AS SELECT * FROM (VALUES
    ('c1', 'o1', TIMESTAMP '2024-01-05 10:00:00', 12.5, 1.0, 'P1', 'C1', 'web'),
    ('c1', 'o2', TIMESTAMP '2024-02-05 10:00:00', 20.0, 2.0, 'P2', 'C1', 'web'),
    ('c1', 'o3', TIMESTAMP '2024-03-05 10:00:00', 7.0, 1.0, 'P3', 'C2', 'app'),
    ('c2', 'o4', TIMESTAMP '2024-01-09 11:00:00', 30.0, 3.0, 'P1', 'C1', 'store'),
    ('c2', 'o5', TIMESTAMP '2024-04-09 11:00:00', 15.0, 1.0, 'P4', 'C3', 'store'),
    ('c3', 'o6', TIMESTAMP '2024-02-01 09:30:00', 9.9, 1.0, 'P2', 'C1', 'app')
  ) t(customer_id, order_id, order_ts, amount, quantity, product, category, channel)`);
  await engine.exec(`CREATE TABLE synthetic_customers AS SELECT * FROM (VALUES
    ('c1', DATE '2023-12-01', 'ads', TRUE, DATE '2024-05-01'),
    ('c2', DATE '2023-12-15', 'seo', FALSE, NULL),
    ('c3', DATE '2024-01-20', 'ads', FALSE, NULL)
  ) t(customer_id, signup_ts, acquisition_source, churned, churn_ts)`);
});
afterAll(async () => engine.close());

describe('headers named like Retain’s roles', () => {
  it('propose an orders table, each role on its namesake column', async () => {
    const { proposal } = await detectMapping(engine, 'synthetic_orders');
    expect(proposal?.mapping.kind).toBe('orders');
    for (const role of ['customer_id', 'order_id', 'order_ts', 'amount', 'quantity', 'channel']) {
      expect(proposal?.mapping.columns[role], role).toBe(role);
    }
  });

  it('propose a customers table with its churn date', async () => {
    const { proposal } = await detectMapping(engine, 'synthetic_customers');
    expect(proposal?.mapping.kind).toBe('customers');
    expect(proposal?.mapping.columns.churn_ts).toBe('churn_ts');
    expect(proposal?.mapping.columns.signup_ts).toBe('signup_ts');
  });
});
