import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { customerKpis } from '../../../src/lib/analyses/customer-kpis.ts';
import { NodeEngine } from '../../../src/lib/engine/node.ts';
import type { SqlEngine } from '../../../src/lib/engine/types.ts';
import { fromPath, nodeDecoders } from '../../../src/lib/ingest/node-input.ts';
import { loadFile } from '../../../src/lib/ingest/load.ts';
import { dropCanonical } from '../../../src/lib/schema/views.ts';
import { datasets } from '../../support/data.ts';
import { applyDetected } from '../../support/mapping.ts';

let engine: SqlEngine;
beforeAll(async () => {
  engine = await NodeEngine.create();
}, 60_000);
afterAll(async () => engine?.close());

describe('customerKpis', () => {
  it('counts customers, churn by label and by plan (hand-worked fixture)', async () => {
    await dropCanonical(engine);
    await engine.exec(`CREATE TABLE customers (customer_id VARCHAR, plan VARCHAR,
      churned BOOLEAN, tenure_months DOUBLE, recurring_revenue DOUBLE)`);
    /*
     *   customer  plan    churned  tenure  mrr
     *   a         Basic   true     1       10
     *   b         Basic   false    3       20
     *   c         Pro     true     5       30
     *   d         Pro     (none)   7       (none)
     *   e         ''      false    9       40
     * customers 5; labelled 4 (d has none); churned 2 → 2 ÷ 4 = 50 %
     * median tenure of 1,3,5,7,9 = 5; mean mrr of 10,20,30,40 = 25
     * by plan, largest first then by name: Basic 2 (1 churned of 2 labelled → 50 %),
     *   Pro 2 (1 of 1 labelled → 100 %), (unknown) 1 (0 of 1 → 0 %)
     */
    await engine.exec(`INSERT INTO customers VALUES
      ('a','Basic',true,1,10), ('b','Basic',false,3,20), ('c','Pro',true,5,30),
      ('d','Pro',NULL,7,NULL), ('e','',false,9,40)`);
    const k = await customerKpis(engine);
    expect(k).toMatchObject({
      customers: 5,
      labelled: 4,
      churned: 2,
      churnRate: 50,
      medianTenureMonths: 5,
      meanRecurringRevenue: 25,
    });
    expect(k.byPlan).toEqual([
      { plan: 'Basic', customers: 2, churned: 1, churnRate: 50 },
      { plan: 'Pro', customers: 2, churned: 1, churnRate: 100 },
      { plan: '(unknown)', customers: 1, churned: 0, churnRate: 0 },
    ]);
  });

  it('says nothing about churn without a label, and gives no plans without a plan', async () => {
    await dropCanonical(engine);
    await engine.exec(`DROP TABLE IF EXISTS customers`);
    await engine.exec(`CREATE TABLE customers AS SELECT * FROM (VALUES ('a', NULL::VARCHAR,
      NULL::BOOLEAN, NULL::DOUBLE, NULL::DOUBLE)) t(customer_id, plan, churned, tenure_months, recurring_revenue)`);
    const k = await customerKpis(engine);
    expect(k).toMatchObject({ customers: 1, labelled: 0, churned: 0, churnRate: null });
    expect(k.medianTenureMonths).toBeNull();
    expect(k.byPlan).toEqual([]);
    await engine.exec(`DROP TABLE customers`);
  });

  it('Telco: 7,043 customers, 1,869 churned (26.54 %), contracts as in SOURCE.md', async () => {
    await dropCanonical(engine);
    const file = await fromPath(join(inject('sharedData'), datasets.telco));
    const table = (await loadFile(engine, nodeDecoders, file)).tables[0].name;
    await applyDetected(engine, table, 'USD');
    const k = await customerKpis(engine);
    // ../shared/data/telco/SOURCE.md: 7,043 rows, Churn = Yes 1,869 (26.54 %)
    expect([k.customers, k.labelled, k.churned]).toEqual([7043, 7043, 1869]);
    expect(k.churnRate).toBeCloseTo(26.54, 2);
    // SOURCE.md: Month-to-month 3,875 / One year 1,473 / Two year 1,695
    expect(k.byPlan.map((p) => [p.plan, p.customers])).toEqual([
      ['Month-to-month', 3875],
      ['Two year', 1695],
      ['One year', 1473],
    ]);
  }, 60_000);
});
