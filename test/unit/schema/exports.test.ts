import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeEngine } from '../../../src/lib/engine/node.ts';
import { toRows } from '../../../src/lib/engine/rows.ts';
import { loadFile } from '../../../src/lib/ingest/load.ts';
import { fromPath, nodeDecoders } from '../../../src/lib/ingest/node-input.ts';
import { detectMapping } from '../../../src/lib/schema/detect.ts';
import type { Mapping, TableMapping } from '../../../src/lib/schema/mapping.ts';
import { applyMapping } from '../../../src/lib/schema/views.ts';

/**
 * Auto-detection on hand-made exports with the real headers of Shopify, Stripe and
 * WooCommerce (test/fixtures/exports, sources in SOURCES.md). The oracle,
 * expected-mappings.json, was written by hand from the rows: the role a careful
 * analyst would map, and facts (row, order and revenue counts) checked by hand.
 */
const dir = join(import.meta.dirname, '../../fixtures/exports');
interface Expected {
  table: string;
  roles: Record<string, string | null>;
  accepted_alternatives?: Record<string, (string | null)[]>;
  facts: Record<string, unknown>;
}
const oracle: Record<string, Expected> = JSON.parse(
  readFileSync(join(dir, 'expected-mappings.json'), 'utf8'),
).files;

/** Roles whose wrong guess would change the numbers, not just a label. */
const CRITICAL = [
  'customer_id',
  'order_ts',
  'amount',
  'order_id',
  'quantity',
  'unit_price',
  'churned',
  'churn_ts',
  'start_ts',
  'end_ts',
  'mrr',
];

let engine: NodeEngine;
const proposals = new Map<string, TableMapping>();
beforeAll(async () => {
  engine = await NodeEngine.create();
  for (const file of Object.keys(oracle)) {
    const { tables } = await loadFile(engine, nodeDecoders, await fromPath(join(dir, file)));
    const { proposal } = await detectMapping(engine, tables[0].name);
    if (proposal) proposals.set(file, proposal.mapping);
  }
});
afterAll(async () => engine.close());

describe.each(Object.keys(oracle))('%s', (file) => {
  const expected = oracle[file];

  it(`is recognised as ${expected.table}, with every role the analyst would map`, () => {
    const got = proposals.get(file);
    expect(got?.kind).toBe(expected.table);
    for (const [role, column] of Object.entries(expected.roles)) {
      const accepted = [column, ...(expected.accepted_alternatives?.[role] ?? [])];
      const actual = got?.columns[role] ?? null;
      if (column !== null || CRITICAL.includes(role)) {
        expect.soft(accepted, `${role}`).toContain(actual);
      }
    }
  });
});

describe('the numbers the mapped exports give (facts checked by hand in the oracle)', () => {
  const orders = async (file: string) => {
    const tm = proposals.get(file)!;
    const mapping: Mapping = { version: 1, tables: [tm], currency: 'EUR', timeZone: 'UTC' };
    await applyMapping(engine, mapping);
    return toRows(
      await engine.query(
        `SELECT count(*)::INTEGER AS rows, count(DISTINCT order_id)::INTEGER AS orders,
                count(DISTINCT customer_id)::INTEGER AS customers, round(sum(amount), 2)::DOUBLE AS revenue FROM orders`,
      ),
    )[0];
  };

  it('Shopify: order totals on first lines only, cancelled and refunded orders left out whole', async () => {
    const facts = oracle['shopify_orders_export.csv'].facts;
    expect(await orders('shopify_orders_export.csv')).toEqual({
      rows: facts.counted_rows,
      orders: facts.counted_orders,
      customers: Object.keys(facts.orders_per_customer_counted as object).length,
      revenue: facts.revenue_total_counted,
    });
  });

  it('WooCommerce: line value = quantity × item cost, cancelled, refunded and failed orders left out', async () => {
    const facts = oracle['woocommerce_orders.csv'].facts;
    expect(await orders('woocommerce_orders.csv')).toMatchObject({
      rows: facts.counted_rows,
      orders: facts.counted_orders,
      revenue: facts.line_value_counted,
    });
  });

  it('Stripe: only paid charges count', async () => {
    const facts = oracle['stripe_payments.csv'].facts;
    expect(await orders('stripe_payments.csv')).toMatchObject({
      rows: facts.counted_rows,
      customers: facts.customers_with_paid_charge,
    });
  });
});
