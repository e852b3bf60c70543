/**
 * SQL builders for the first and second purchase (DOMAIN.md, "Analyses"); the
 * analysis that runs them is in purchases.ts.
 *
 * An order is a customer's distinct order_id, timed at its earliest row. A
 * customer's orders are numbered by time, ties broken by order_id, so exactly one
 * order is the first and at most one the second. An order's items are the distinct
 * non-NULL values of the item column over its rows: an order with two lines of the
 * same product holds that product once. Day counts are whole calendar days between
 * the two orders' dates (`date_diff` on DATE), so no time-zone (ICU) function is
 * needed and DuckDB-WASM gives the same numbers as native DuckDB.
 */
import { ident, literal } from '../sql/quote.ts';

/** The column an order's items are read from. */
export type ItemColumn = 'product' | 'category';

/** Buckets of days from the first to the second order: label and inclusive bounds. */
export const DAY_BUCKETS: readonly { label: string; from: number; to: number | null }[] = [
  { label: '0–7', from: 0, to: 7 },
  { label: '8–30', from: 8, to: 30 },
  { label: '31–60', from: 31, to: 60 },
  { label: '61–90', from: 61, to: 90 },
  { label: '91–180', from: 91, to: 180 },
  { label: '181–365', from: 181, to: 365 },
  { label: '>365', from: 366, to: null },
];

/** Days at which the repeat curve is read, before capping at the horizon. */
export const CURVE_DAYS: readonly number[] = [0, 7, 14, 30, 60, 90, 180, 365];

export function checkItemColumn(by: string): asserts by is ItemColumn {
  if (by !== 'product' && by !== 'category') {
    throw new RangeError(`Purchases are grouped by product or category, not ${String(by)}.`);
  }
}

export function checkTop(top: number): void {
  if (!Number.isInteger(top) || top < 1) {
    throw new RangeError(`The number of items to list must be a whole number ≥ 1, not ${top}.`);
  }
}

export function checkHorizon(days: number): void {
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`The horizon must be a whole number of days ≥ 0, not ${days}.`);
  }
}

/** How many rows name a product and a category: which item column can be used. */
export function itemColumnsSql(): string {
  return `SELECT count(${ident('product')})::INTEGER AS products,
  count(${ident('category')})::INTEGER AS categories
FROM ${ident('orders')}
WHERE customer_id IS NOT NULL AND order_ts IS NOT NULL`;
}

/**
 * The CTEs `sequenced(customer_id, order_id, order_ts, order_number)` (every order of
 * every customer) and, with an item column, `order_items(customer_id, order_number,
 * item)` (the distinct items of each customer's first and second order).
 */
export function journeyCtes(by?: ItemColumn): string {
  const orders = ident('orders');
  let sql = `customer_orders AS (
  SELECT customer_id, order_id, min(order_ts) AS order_ts
  FROM ${orders}
  WHERE customer_id IS NOT NULL AND order_ts IS NOT NULL
  GROUP BY customer_id, order_id
),
sequenced AS (
  SELECT customer_id, order_id, order_ts,
    row_number() OVER (PARTITION BY customer_id ORDER BY order_ts, order_id) AS order_number
  FROM customer_orders
)`;
  if (by) {
    checkItemColumn(by);
    sql += `,
order_items AS (
  SELECT DISTINCT s.customer_id, s.order_number, o.${ident(by)} AS item
  FROM sequenced AS s
  JOIN ${orders} AS o ON o.customer_id = s.customer_id AND o.order_id = s.order_id
  WHERE s.order_number <= 2 AND o.${ident(by)} IS NOT NULL
)`;
  }
  return sql;
}

/** The CTE `second_days(customer_id, days)`: whole days from first to second order. */
function secondDaysCte(): string {
  return `second_days AS (
  SELECT customer_id,
    date_diff('day', CAST(min(order_ts) AS DATE), CAST(max(order_ts) AS DATE)) AS days
  FROM sequenced
  WHERE order_number <= 2
  GROUP BY customer_id
  HAVING count(*) = 2
)`;
}

/**
 * Items of customers' first orders: customers whose first order held the item, and
 * their share of the customers whose first order names any item.
 */
export function firstPurchaseSql({ by, top }: { by: ItemColumn; top: number }): string {
  checkTop(top);
  return `WITH ${journeyCtes(by)},
firsts AS (SELECT * FROM order_items WHERE order_number = 1)
SELECT item::VARCHAR AS item, count(*)::INTEGER AS customers,
  (count(*) / (SELECT count(DISTINCT customer_id) FROM firsts))::DOUBLE AS share
FROM firsts
GROUP BY item
ORDER BY customers DESC, item
LIMIT ${literal(top)}`;
}

/** Items of customers' second orders: customers whose second order held the item. */
export function secondPurchaseSql({ by, top }: { by: ItemColumn; top: number }): string {
  checkTop(top);
  return `WITH ${journeyCtes(by)}
SELECT item::VARCHAR AS item, count(*)::INTEGER AS customers
FROM order_items
WHERE order_number = 2
GROUP BY item
ORDER BY customers DESC, item
LIMIT ${literal(top)}`;
}

/** First → second item pairs: customers whose first order held one and second the other. */
export function addOnsSql({ by, top }: { by: ItemColumn; top: number }): string {
  checkTop(top);
  return `WITH ${journeyCtes(by)}
SELECT f.item::VARCHAR AS ${ident('first')}, s.item::VARCHAR AS ${ident('second')},
  count(*)::INTEGER AS customers
FROM order_items AS f
JOIN order_items AS s ON s.customer_id = f.customer_id AND s.order_number = 2
WHERE f.order_number = 1
GROUP BY f.item, s.item
ORDER BY customers DESC, ${ident('first')}, ${ident('second')}
LIMIT ${literal(top)}`;
}

/**
 * For the most common first-order items: how many of those customers ever placed a
 * second order (no time limit), and the rate.
 */
export function secondRateByFirstSql({ by, top }: { by: ItemColumn; top: number }): string {
  checkTop(top);
  return `WITH ${journeyCtes(by)},
repeaters AS (SELECT customer_id FROM sequenced WHERE order_number = 2)
SELECT f.item::VARCHAR AS item, count(*)::INTEGER AS customers,
  count(r.customer_id)::INTEGER AS with_second,
  (count(r.customer_id) / count(*))::DOUBLE AS rate
FROM order_items AS f
LEFT JOIN repeaters AS r ON r.customer_id = f.customer_id
WHERE f.order_number = 1
GROUP BY f.item
ORDER BY customers DESC, item
LIMIT ${literal(top)}`;
}

/** Customers with a second order, by days from the first to the second ({@link DAY_BUCKETS}). */
export function daysToSecondSql(): string {
  const rows = DAY_BUCKETS.map(
    (b, i) => `(${literal(i)}, ${literal(b.label)}, ${literal(b.from)}, ${literal(b.to)})`,
  ).join(', ');
  return `WITH ${journeyCtes()},
${secondDaysCte()},
buckets(ord, bucket, from_day, to_day) AS (VALUES ${rows})
SELECT b.bucket::VARCHAR AS bucket, count(d.customer_id)::INTEGER AS customers
FROM buckets AS b
LEFT JOIN second_days AS d ON d.days >= b.from_day AND (b.to_day IS NULL OR d.days <= b.to_day)
GROUP BY b.ord, b.bucket
ORDER BY b.ord`;
}

/**
 * The days at which the repeat curve is read: {@link CURVE_DAYS} up to the horizon,
 * and the horizon itself when it is not one of them.
 */
export function curveDays(horizonDays: number): number[] {
  checkHorizon(horizonDays);
  const days = CURVE_DAYS.filter((d) => d <= horizonDays);
  if (!days.includes(horizonDays)) days.push(horizonDays);
  return days;
}

/**
 * The repeat curve: for each day d, the share of all customers whose second order
 * came at most d days after their first. Not corrected for censoring: a customer who
 * first bought less than d days before the data ends counts as not (yet) repeating.
 */
export function repeatCurveSql({ horizonDays }: { horizonDays: number }): string {
  const days = curveDays(horizonDays)
    .map((d) => `(${literal(d)})`)
    .join(', ');
  return `WITH ${journeyCtes()},
${secondDaysCte()},
curve(day) AS (VALUES ${days})
SELECT c.day::INTEGER AS day,
  coalesce(count(d.customer_id) / nullif((SELECT count(DISTINCT customer_id) FROM sequenced), 0), 0)::DOUBLE AS share
FROM curve AS c
LEFT JOIN second_days AS d ON d.days <= c.day
GROUP BY c.day
ORDER BY c.day`;
}
