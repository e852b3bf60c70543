/**
 * Behavioural segments (DOMAIN.md, "Analyses"), each a customer list for a campaign:
 *
 * - value seekers: at least `discountShare` (default 50 %) of their orders carried
 *   a discount code; only when discount codes are mapped;
 * - product-specific buyers: at least 2 orders, and one category (or product, when
 *   no category is mapped) takes at least `categoryShare` (default 80 %) of their
 *   spend;
 * - lapsed: their last order is more than `windowDays` calendar days before `asOf`
 *   (exactly `windowDays` is not lapsed).
 *
 * Only orders before `asOf` count (default: midnight after the last order's day, as
 * in RFM). A customer can be in several segments. Thresholds are inclusive.
 */
import type { SqlEngine } from '../engine/types.ts';
import { plural } from '../format.ts';
import { num, numOrNull, queryRows } from './kpis-sql.ts';
import {
  BEHAVIOURAL_SEGMENTS,
  segmentCustomersSql,
  segmentsSql,
  type BehaviouralSegment,
  type SegmentParams,
} from './segments-sql.ts';

export {
  BEHAVIOURAL_SEGMENTS,
  behaviourCtes,
  segmentCustomersSql,
  segmentsSql,
  type BehaviouralSegment,
  type SegmentParams,
} from './segments-sql.ts';

export interface BehaviouralSegmentSummary {
  segment: BehaviouralSegment;
  label: string;
  /** False when the data cannot tell (no discount codes, no category or product). */
  available: boolean;
  /** Null when not available. */
  customers: number | null;
  /** customers ÷ all customers × 100; null when not available or without customers. */
  share: number | null;
  /** Total spend of the segment's customers; null when not available. */
  revenue: number | null;
  /** How the segment was decided, or why it is not available, in a sentence. */
  note: string;
}

export interface BehaviouralSegments {
  segments: BehaviouralSegmentSummary[];
  sql: string;
}

/** One customer of a behavioural segment, as exported to CSV. */
export interface SegmentCustomer {
  customer_id: string;
  orders: number;
  revenue: number;
  last_order_ts: Date;
  recency_days: number;
  discounted_orders: number;
  discount_share: number;
  top_group: string | null;
  top_share: number | null;
}

/** The three behavioural segments; see the module comment for the definitions. */
export async function behaviouralSegments(
  engine: SqlEngine,
  params: SegmentParams,
): Promise<BehaviouralSegments> {
  const sql = segmentsSql(params);
  const rows = await queryRows(engine, sql);
  const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
  const notes: Record<BehaviouralSegment, (groupedBy: string) => [yes: string, no: string]> = {
    value_seekers: () => [
      `At least ${pct(params.discountShare ?? 0.5)} of their orders used a discount code.`,
      'Not available: no order has a discount code, so discount codes are probably not mapped.',
    ],
    product_specific: (by) => [
      `At least 2 orders, and one ${by} takes at least ${pct(params.categoryShare ?? 0.8)} of their spend.`,
      'Not available: neither a category nor a product is mapped.',
    ],
    lapsed: () => [
      `Last order more than ${plural(params.windowDays, 'day')} before the reference date.`,
      '',
    ],
  };
  const segments = rows.map((x) => {
    const segment = String(x.segment) as BehaviouralSegment;
    const available = x.available === true;
    const [yes, no] = notes[segment](String(x.grouped_by));
    return {
      segment,
      label: BEHAVIOURAL_SEGMENTS.find((s) => s.segment === segment)?.label ?? segment,
      available,
      customers: available ? num(x.customers) : null,
      share: available ? numOrNull(x.share) : null,
      revenue: available ? num(x.revenue) : null,
      note: available ? yes : no,
    };
  });
  return { segments, sql };
}

/** The customers of one behavioural segment, for CSV export (none when not available). */
export async function segmentCustomers(
  engine: SqlEngine,
  params: SegmentParams,
  segment: BehaviouralSegment,
): Promise<SegmentCustomer[]> {
  const rows = await queryRows(engine, segmentCustomersSql(params, segment));
  return rows as unknown as SegmentCustomer[];
}
