/**
 * The statements of the behavioural segments (segments.ts), built from the
 * parameters and returned as text with their results.
 */
import { ident, literal } from '../sql/quote.ts';
import { checkWindowDays } from './kpis-sql.ts';
import { asOfCte } from './rfm-sql.ts';

export type BehaviouralSegment = 'value_seekers' | 'product_specific' | 'lapsed';

export const BEHAVIOURAL_SEGMENTS: readonly { segment: BehaviouralSegment; label: string }[] = [
  { segment: 'value_seekers', label: 'Value seekers' },
  { segment: 'product_specific', label: 'Product-specific buyers' },
  { segment: 'lapsed', label: 'Lapsed customers' },
];

export interface SegmentParams {
  /** Value seekers: at least this share (0–1) of their orders had a discount code. Default 0.5. */
  discountShare?: number;
  /** Product-specific: their top category (or product) is at least this share (0–1) of spend. Default 0.8. */
  categoryShare?: number;
  /** Lapsed: no order for more than this many days before `asOf`. */
  windowDays: number;
  /** Reference moment; only orders before it count. Default: midnight after the last order's day. */
  asOf?: Date;
}

function checkShare(name: string, share: number): void {
  if (!Number.isFinite(share) || share <= 0 || share > 1) {
    throw new RangeError(`The ${name} must be above 0 and at most 1, not ${share}.`);
  }
}

/**
 * The CTEs `as_of`, `scoped`, `basis`, `behaviour` (without WITH): one row per
 * customer with an order before as_of and a flag per segment.
 *
 * - An order is discounted when any of its rows has a non-blank discount_code.
 *   discount_share = discounted orders ÷ orders. Codes count as mapped when at least
 *   one row has a non-NULL discount_code (an empty string counts as "no discount").
 * - Spend is grouped by category when any row has one, else by product; rows
 *   without the group's value count in the customer's spend but in no group.
 *   top_share = the largest group's spend ÷ the customer's spend.
 * - recency_days = calendar days from the last order's day to as_of's day.
 *
 * Shares are compared as ratios (not `share × orders`), so a customer exactly at
 * the threshold (1 of 2 orders at 0.5) is in.
 */
export function behaviourCtes(params: SegmentParams): string {
  const discountShare = params.discountShare ?? 0.5;
  const categoryShare = params.categoryShare ?? 0.8;
  checkShare('discount share', discountShare);
  checkShare('category share', categoryShare);
  checkWindowDays(params.windowDays);
  return `${asOfCte(params.asOf)},
scoped AS (
  SELECT o.customer_id, o.order_id, o.order_ts, o.amount, o.product, o.category, o.discount_code
  FROM ${ident('orders')} o, as_of a
  WHERE o.customer_id IS NOT NULL AND o.order_ts IS NOT NULL AND o.order_ts < a.ts
),
basis AS (
  SELECT count(discount_code) > 0 AS has_discount,
    CASE WHEN count(category) > 0 THEN 'category' WHEN count(product) > 0 THEN 'product' END AS grouped_by
  FROM scoped
),
orders_flagged AS (
  SELECT customer_id, order_id, bool_or(coalesce(trim(discount_code), '') <> '') AS discounted
  FROM scoped GROUP BY customer_id, order_id
),
group_spend AS (
  SELECT s.customer_id, CASE b.grouped_by WHEN 'category' THEN s.category ELSE s.product END AS grp,
    sum(s.amount) AS spend
  FROM scoped s, basis b GROUP BY ALL
),
top_group AS (
  SELECT customer_id, grp AS top_group, spend AS top_spend FROM group_spend
  WHERE grp IS NOT NULL
  QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY spend DESC, grp) = 1
),
per_customer AS (
  SELECT s.customer_id, count(DISTINCT s.order_id) AS orders, coalesce(sum(s.amount), 0) AS revenue,
    max(s.order_ts) AS last_order_ts,
    date_diff('day', CAST(max(s.order_ts) AS DATE), CAST(any_value(a.ts) AS DATE)) AS recency_days
  FROM scoped s, as_of a GROUP BY s.customer_id
),
behaviour AS (
  SELECT p.*, d.discounted_orders,
    d.discounted_orders / p.orders AS discount_share,
    t.top_group, t.top_spend / NULLIF(p.revenue, 0) AS top_share,
    b.has_discount AND d.discounted_orders / p.orders >= ${literal(discountShare)} AS value_seekers,
    b.grouped_by IS NOT NULL AND p.orders >= 2
      AND coalesce(t.top_spend / NULLIF(p.revenue, 0) >= ${literal(categoryShare)}, FALSE) AS product_specific,
    p.recency_days > ${literal(params.windowDays)} AS lapsed
  FROM per_customer p CROSS JOIN basis b
  JOIN (SELECT customer_id, count(*) FILTER (WHERE discounted) AS discounted_orders
        FROM orders_flagged GROUP BY customer_id) d ON d.customer_id = p.customer_id
  LEFT JOIN top_group t ON t.customer_id = p.customer_id
)`;
}

/**
 * One row per behavioural segment (value seekers, product-specific buyers, lapsed):
 * whether the data can tell (available), customers, share of all customers (%) and
 * revenue (their total spend), all NULL when not available; plus all_customers and
 * what spend was grouped by (category, product or NULL). A customer can be in
 * several segments.
 */
export function segmentsSql(params: SegmentParams): string {
  const counts = BEHAVIOURAL_SEGMENTS.map(
    ({ segment }) =>
      `SELECT ${literal(segment)} AS segment, count(*) FILTER (WHERE ${ident(segment)}) AS customers,
    sum(revenue) FILTER (WHERE ${ident(segment)}) AS revenue
  FROM behaviour`,
  ).join('\n  UNION ALL ');
  return `WITH ${behaviourCtes(params)},
per_segment AS (
  ${counts}
),
availability(segment, position, available) AS (
  SELECT 'value_seekers', 1, has_discount FROM basis
  UNION ALL SELECT 'product_specific', 2, grouped_by IS NOT NULL FROM basis
  UNION ALL SELECT 'lapsed', 3, TRUE
)
SELECT s.segment::VARCHAR AS segment, s.available,
  CASE WHEN s.available THEN p.customers END::INTEGER AS customers,
  CASE WHEN s.available THEN 100.0 * p.customers / NULLIF(t.customers, 0) END::DOUBLE AS share,
  CASE WHEN s.available THEN coalesce(p.revenue, 0) END::DOUBLE AS revenue,
  t.customers::INTEGER AS all_customers,
  (SELECT grouped_by FROM basis)::VARCHAR AS grouped_by
FROM availability s
JOIN per_segment p ON p.segment = s.segment
CROSS JOIN (SELECT count(*) AS customers FROM behaviour) t
ORDER BY s.position`;
}

/**
 * The customers of one behavioural segment for export: customer_id, orders,
 * revenue (total spend), last_order_ts, recency_days, discounted_orders,
 * discount_share, top_group (the category or product with the most spend) and
 * top_share. Empty when the segment is not available. Largest spend first.
 */
export function segmentCustomersSql(params: SegmentParams, segment: BehaviouralSegment): string {
  if (!BEHAVIOURAL_SEGMENTS.some((x) => x.segment === segment)) {
    throw new RangeError(`There is no behavioural segment called “${segment}”.`);
  }
  return `WITH ${behaviourCtes(params)}
SELECT customer_id::VARCHAR AS customer_id, orders::INTEGER AS orders, revenue::DOUBLE AS revenue,
  last_order_ts::TIMESTAMP AS last_order_ts, recency_days::INTEGER AS recency_days,
  discounted_orders::INTEGER AS discounted_orders, discount_share::DOUBLE AS discount_share,
  top_group::VARCHAR AS top_group, top_share::DOUBLE AS top_share
FROM behaviour
WHERE ${ident(segment)}
ORDER BY revenue DESC, customer_id`;
}
