/**
 * The statements behind the audit's data-proposed answers that no analysis module
 * already has. Fixed text over the canonical views; nothing from the user is in
 * them, and the one constant that matters (the support-event pattern) goes through
 * literal().
 */
import { ident, literal } from '../sql/quote.ts';

/** Event names that count as support contacts (case-insensitive regular expression). */
export const SUPPORT_EVENT_PATTERN = 'ticket|support|complain|contact|help';

/**
 * Returns ratio: order lines of cancelled or returned orders ÷ order lines that
 * either count or were left out only for being cancelled, × 100. Lines without a
 * customer, date or amount are in neither count.
 */
export const RETURNS_SQL = `SELECT
  count(*) FILTER (WHERE exclusion = 'cancelled' OR (exclusion IS NULL AND is_cancelled))::DOUBLE AS returned,
  count(*) FILTER (WHERE exclusion IS NULL OR exclusion = 'cancelled')::DOUBLE AS lines,
  count(*) FILTER (WHERE status IS NOT NULL)::DOUBLE AS with_status
FROM orders_all`;

/** Revenue per calendar month of the year (1–12), over whole years only where possible. */
export const SEASONALITY_SQL = `SELECT month(order_ts)::DOUBLE AS month, sum(amount)::DOUBLE AS revenue,
  count(DISTINCT strftime(order_ts, '%Y'))::DOUBLE AS years
FROM orders GROUP BY 1 ORDER BY 1`;

/**
 * Support contacts (events whose name matches {@link SUPPORT_EVENT_PATTERN}) and the
 * customers they are divided by: everyone in `base` (the customers table when there
 * is one, else the customers with orders).
 */
export function ticketsSql(base: 'customers' | 'orders'): string {
  return `SELECT
  (SELECT count(*) FROM events WHERE regexp_matches(lower(event_name), ${literal(SUPPORT_EVENT_PATTERN)}))::DOUBLE AS tickets,
  (SELECT count(DISTINCT customer_id) FROM ${ident(base)})::DOUBLE AS customers`;
}

/** Events with a customer and a time, and their distinct names. */
export const EVENTS_SQL = `SELECT count(*)::DOUBLE AS events, count(DISTINCT event_name)::DOUBLE AS names,
  count(DISTINCT customer_id)::DOUBLE AS customers FROM events`;

/** Programme members per group; holdouts are groups named like "holdout" or "control". */
export const PROGRAMME_SQL = `SELECT coalesce(group_name, '(none)') AS group_name, count(DISTINCT customer_id)::DOUBLE AS customers,
  regexp_matches(lower(coalesce(group_name, '')), 'hold|control') AS holdout
FROM programme GROUP BY ALL ORDER BY customers DESC`;

/** Feedback responses with a score. */
export const FEEDBACK_SQL = `SELECT count(*)::DOUBLE AS responses, count(score)::DOUBLE AS scored FROM feedback`;

/** Customers per channel (orders) and per acquisition source (customers); the first non-empty wins. */
export function sourcesSql(relation: 'orders' | 'customers'): string {
  const column = relation === 'orders' ? 'channel' : 'acquisition_source';
  return `SELECT ${column} AS source, count(DISTINCT customer_id)::DOUBLE AS customers
FROM ${relation} WHERE ${column} IS NOT NULL GROUP BY 1 ORDER BY customers DESC, source LIMIT 5`;
}
