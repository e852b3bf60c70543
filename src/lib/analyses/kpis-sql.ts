/**
 * Building blocks shared by the KPI analyses (kpis.ts, kpis-periods.ts,
 * kpis-subscriptions.ts): date filters, exact day differences, the order-level
 * view of `orders`, and the catalog probe for optional canonical views.
 *
 * Timestamps are naive wall-clock values; every day count here is computed from
 * `epoch_us`, so no time-zone (ICU) function is needed and DuckDB-WASM gives the
 * same numbers as native DuckDB.
 */
import { toRows, type Cell } from '../engine/rows.ts';
import type { SqlEngine } from '../engine/types.ts';
import { ident, literal } from '../sql/quote.ts';

/** An optional half-open date range [from, to): `from` included, `to` excluded. */
export interface DateRange {
  from?: Date;
  to?: Date;
}

/** Microseconds in a day. */
export const DAY_US = 86_400_000_000;

/** SQL for the exact number of days (fractional) from timestamp `a` to timestamp `b`. */
export function daysBetween(a: string, b: string): string {
  return `(epoch_us(${b}) - epoch_us(${a})) / ${DAY_US}.0`;
}

/** SQL for an INTERVAL of `days` days (fractions allowed, exact to the microsecond). */
export function daysInterval(days: number): string {
  return `to_microseconds(${literal(Math.round(days * DAY_US))})`;
}

/** ` AND column >= from AND column < to` for the parts of the range that are set. */
export function rangeFilter(column: string, range: DateRange): string {
  let sql = '';
  if (range.from) sql += ` AND ${ident(column)} >= ${literal(range.from)}`;
  if (range.to) sql += ` AND ${ident(column)} < ${literal(range.to)}`;
  return sql;
}

/** The table of orders (one row per order) built when a mapping is confirmed; see {@link orderFactsSql}. */
export const ORDER_FACTS = 'order_facts';
/** Its columns, in order. */
export const ORDER_FACTS_COLUMNS = [
  'customer_key',
  'customer_id',
  'order_key',
  'order_id',
  'order_ts',
  'order_value',
  'order_number',
  'previous_ts',
  'next_ts',
  'first_ts',
  'shared_order',
];

/**
 * The per-order columns every order-level analysis reads, over rows
 * `(customer_key, customer_id, order_key, order_id, order_ts, order_value, shared_order)`
 * already grouped by order, with `customer_key` and `order_key` standing for customer_id
 * and order_id (whole numbers in the table, cheaper to group, sort and count than text):
 * the order's place in the customer's history (`order_number`, 1 for the first; equal
 * times in order_id order) the time of the customer's previous order (`previous_ts`, NULL
 * for the first) and of their next (`next_ts`, NULL for the last), and the time of their
 * first order (`first_ts`).
 */
function orderColumns(grouped: string, firstTs = 'first_value(order_ts) OVER w'): string {
  return `SELECT customer_key, customer_id, order_key, order_id, order_ts, order_value,
    row_number() OVER w AS order_number,
    lag(order_ts) OVER w AS previous_ts,
    lead(order_ts) OVER w AS next_ts,
    ${firstTs} AS first_ts,
    shared_order
  FROM (${grouped})
  WINDOW w AS (PARTITION BY customer_key ORDER BY order_ts, order_id)`;
}

function groupedOrders(range: DateRange): string {
  return `SELECT customer_id, order_id, min(order_ts) AS order_ts, sum(amount) AS order_value
  FROM ${ident('orders')}
  WHERE customer_id IS NOT NULL AND order_ts IS NOT NULL${rangeFilter('order_ts', range)}
  GROUP BY customer_id, order_id`;
}

/**
 * The statement that builds {@link ORDER_FACTS} from the `orders` view: every order
 * once, with the columns of {@link orderValuesCte}, in no particular row order. Built
 * once when the mapping is confirmed, it spares each analysis regrouping the order
 * lines on two text keys and the window over each customer's orders.
 */
export function orderFactsSql(): string {
  return `CREATE OR REPLACE TABLE ${ident(ORDER_FACTS)} AS
WITH grouped AS MATERIALIZED (${groupedOrders({})}),
-- keys numbered 1…K over the distinct ids, by a group (no sort), with each customer's
-- first order time; an order id that more than one customer's rows carry is marked shared
customer_keys AS (
  SELECT customer_id, (row_number() OVER ())::INTEGER AS customer_key, min(order_ts) AS first_ts
  FROM grouped GROUP BY customer_id
),
order_keys AS (
  SELECT order_id, (row_number() OVER ())::INTEGER AS order_key, count(*) > 1 AS shared_order
  FROM grouped GROUP BY order_id
)
${orderColumns(
  `SELECT c.customer_key, g.customer_id, o.order_key, g.order_id, g.order_ts, g.order_value,
    c.first_ts AS customer_first_ts, o.shared_order
  FROM grouped g
  JOIN customer_keys c ON c.customer_id = g.customer_id
  JOIN order_keys o ON o.order_id = g.order_id`,
  'customer_first_ts',
)}`;
}

/**
 * The number of distinct order ids among the rows of `order_values` (in a group, or
 * all): the rows whose order id no other customer's order carries are distinct by
 * themselves, so DISTINCT runs over the shared ones only (none, in most data).
 */
export const DISTINCT_ORDERS = `(count(*) FILTER (WHERE NOT shared_order) + count(DISTINCT order_key) FILTER (WHERE shared_order))`;

/**
 * The CTE `order_values(customer_key, customer_id, order_key, order_id, order_ts,
 * order_value, order_number, previous_ts, next_ts, first_ts, shared_order)`: one row per order (a customer's rows
 * sharing an order_id), timed at its earliest row and worth the sum of its rows'
 * amounts. With `facts` (the {@link ORDER_FACTS} table exists) and no date range it
 * reads that table; otherwise it computes the same from `orders`, where the keys are
 * the IDs themselves.
 */
export function orderValuesCte(range: DateRange = {}, facts = false): string {
  if (facts && !range.from && !range.to) {
    return `order_values AS (
  SELECT ${ORDER_FACTS_COLUMNS.join(', ')}
  FROM ${ident(ORDER_FACTS)}
)`;
  }
  // Whether an order id is shared is not known here: every row counts as shared, so
  // DISTINCT_ORDERS counts distinct ids over all of them.
  return `order_values AS (
  ${orderColumns(`SELECT customer_id AS customer_key, order_id AS order_key, *, TRUE AS shared_order FROM (${groupedOrders(range)})`)}
)`;
}

/** How SQL builders read orders: from the {@link ORDER_FACTS} table when it exists. */
export interface OrderSource {
  facts?: boolean;
}

/**
 * Whether the {@link ORDER_FACTS} table exists with every column of this version (a
 * database saved by an older one has it without `next_ts`: analyses then read `orders`
 * until the mapping is next confirmed).
 */
export async function hasOrderFacts(engine: SqlEngine): Promise<boolean> {
  const [row] = await queryRows(
    engine,
    `SELECT count(DISTINCT column_name)::INTEGER AS n FROM information_schema.columns
     WHERE table_catalog = current_database() AND table_schema = 'main' AND table_name = ${literal(ORDER_FACTS)}
       AND column_name IN (${ORDER_FACTS_COLUMNS.map(literal).join(', ')})`,
  );
  return num(row.n) === ORDER_FACTS_COLUMNS.length;
}

/** Which of the named views or tables exist (in the current database or as temporary ones). */
export function relationsSql(names: readonly string[]): string {
  return `SELECT DISTINCT table_name::VARCHAR AS name
FROM information_schema.tables
WHERE table_catalog IN (current_database(), 'temp') AND table_schema = 'main'
  AND table_name IN (${names.map(literal).join(', ')})`;
}

export async function existingRelations(
  engine: SqlEngine,
  names: readonly string[],
): Promise<Set<string>> {
  const rows = await queryRows(engine, relationsSql(names));
  return new Set(rows.map((r) => String(r.name)));
}

export async function queryRows(engine: SqlEngine, sql: string): Promise<Record<string, Cell>[]> {
  return toRows(await engine.query(sql));
}

export function checkDateRange(range: DateRange): void {
  if (range.from && range.to && range.from.getTime() >= range.to.getTime()) {
    throw new RangeError('The start of the date range must come before its end.');
  }
}

export function checkWindowDays(days: number): void {
  if (!Number.isFinite(days) || days <= 0) {
    throw new RangeError(`The inactivity window must be a positive number of days, not ${days}.`);
  }
}

export function num(cell: Cell): number {
  return cell == null ? 0 : Number(cell);
}

export function numOrNull(cell: Cell): number | null {
  return cell == null ? null : Number(cell);
}

export function dateOrNull(cell: Cell): Date | null {
  return cell instanceof Date ? cell : null;
}

/** Round to 2 decimals for sentences shown to the user. */
export function round(x: number): number {
  return Math.round(x * 100) / 100;
}
