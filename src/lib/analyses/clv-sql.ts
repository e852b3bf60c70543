/**
 * The SQL side of customer future value (clv.ts): per customer the BTYD summary of
 * the calibration period (btyd-summary.ts) with the repeat purchases actually made in
 * the holdout, the acquisition source and the first-purchase cohort; and the holdout
 * purchases per period for the tracking chart. Purchases are counted as distinct
 * calendar days, as in the summary (several orders on one day are one transaction).
 *
 * Day counts come from `date_diff` on DATE, so native DuckDB and DuckDB-WASM agree
 * and no time-zone function is needed. Every value is cast to a plain type.
 */
import type { SqlEngine } from '../engine/types.ts';
import { ident, literal } from '../sql/quote.ts';
import { customerSummarySql, UNIT_DAYS, type SummaryUnit } from './btyd-summary.ts';
import { existingRelations, num, queryRows } from './kpis-sql.ts';

/** Where the acquisition source of a customer comes from. */
export type SourceOrigin = 'customers.acquisition_source' | 'orders.channel' | null;

export interface ClvSqlParams {
  unit: SummaryUnit;
  /** Last calibration day, YYYY-MM-DD, included. */
  calibrationEnd: string;
  /** Last holdout day, YYYY-MM-DD, included (the last order day). */
  holdoutEnd: string;
  sourceOrigin: SourceOrigin;
}

const day = (iso: string) => `CAST(${literal(iso)} AS DATE)`;
const purchaseDay = `CAST(${ident('order_ts')} AS DATE)`;
const counted = `${ident('customer_id')} IS NOT NULL AND ${ident('order_ts')} IS NOT NULL`;

/** First and last purchase day of the `orders` view (YYYY-MM-DD, NULL when empty) and which source columns hold values. */
export function clvProbeSql(hasCustomers: boolean): string {
  const sourceCount = hasCustomers
    ? `(SELECT count(${ident('acquisition_source')}) FILTER (WHERE trim(${ident('acquisition_source')}) <> '') FROM ${ident('customers')})`
    : '0';
  return `SELECT strftime(min(${purchaseDay}), '%Y-%m-%d') AS first_day,
  strftime(max(${purchaseDay}), '%Y-%m-%d') AS last_day,
  (count(${ident('channel')}) FILTER (WHERE trim(${ident('channel')}) <> ''))::INTEGER AS channels,
  ${sourceCount}::INTEGER AS sources
FROM ${ident('orders')}
WHERE ${counted}`;
}

/**
 * One row per customer of the calibration period: customer_id, x, t_x, T, zbar
 * (btyd-summary.ts), holdout_x = distinct purchase days after the calibration end up
 * to the holdout end, source = the customer's acquisition source, else the channel of
 * their first order, else '(unknown)', and cohort = the month of the first purchase.
 */
export function clvInputsSql(p: ClvSqlParams): string {
  const summary = customerSummarySql({
    unit: p.unit,
    calibrationEnd: new Date(`${p.calibrationEnd}T00:00:00Z`),
  });
  const fromCustomers = p.sourceOrigin === 'customers.acquisition_source';
  const sources = fromCustomers
    ? `,
sources AS (
  SELECT ${ident('customer_id')}::VARCHAR AS customer_id,
    min(nullif(trim(${ident('acquisition_source')}::VARCHAR), '')) AS acquisition_source
  FROM ${ident('customers')} GROUP BY 1
)`
    : '';
  const source = [
    fromCustomers ? 'src.acquisition_source' : null,
    p.sourceOrigin ? "nullif(trim(fc.first_channel), '')" : null,
    literal('(unknown)'),
  ].filter(Boolean);
  return `WITH summary AS (
${summary}
),
first_orders AS (
  SELECT ${ident('customer_id')}::VARCHAR AS customer_id, min(${ident('order_ts')}) AS first_ts,
    strftime(min(${purchaseDay}), '%Y-%m') AS cohort
  FROM ${ident('orders')} WHERE ${counted} GROUP BY 1
),
-- the earliest row's channel, the smallest non-null one on a tie: a join on the first moment
-- and a plain min() instead of sorting each customer's rows (array_agg … ORDER BY)
first_channels AS (
  SELECT f.customer_id, min(o.${ident('channel')}::VARCHAR) AS first_channel
  FROM first_orders f JOIN ${ident('orders')} o
    ON o.${ident('customer_id')}::VARCHAR = f.customer_id AND o.${ident('order_ts')} = f.first_ts
  GROUP BY 1
),
holdout AS (
  SELECT ${ident('customer_id')}::VARCHAR AS customer_id, count(DISTINCT ${purchaseDay})::INTEGER AS holdout_x
  FROM ${ident('orders')}
  WHERE ${counted} AND ${purchaseDay} > ${day(p.calibrationEnd)} AND ${purchaseDay} <= ${day(p.holdoutEnd)}
  GROUP BY 1
)${sources}
SELECT s.customer_id, s.x, s.t_x, s."T", s.zbar,
  coalesce(h.holdout_x, 0)::INTEGER AS holdout_x,
  coalesce(${source.join(', ')})::VARCHAR AS source,
  f.cohort::VARCHAR AS cohort
FROM summary s
LEFT JOIN first_orders f ON f.customer_id = s.customer_id
LEFT JOIN first_channels fc ON fc.customer_id = s.customer_id
LEFT JOIN holdout h ON h.customer_id = s.customer_id${fromCustomers ? '\nLEFT JOIN sources src ON src.customer_id = s.customer_id' : ''}
ORDER BY s.customer_id`;
}

/**
 * Repeat purchases (distinct customer-days) in each holdout period k = 1, 2, …, made
 * by customers of the calibration period: period k holds the days d with
 * (k − 1)·unit < d − calibration end ≤ k·unit.
 */
export function holdoutPeriodsSql(p: ClvSqlParams): string {
  const end = day(p.calibrationEnd);
  return `WITH calibration AS (
  SELECT ${ident('customer_id')} AS customer_id FROM ${ident('orders')} WHERE ${counted}
  GROUP BY 1 HAVING min(${purchaseDay}) <= ${end}
),
days AS (
  SELECT DISTINCT ${ident('customer_id')} AS customer_id, ${purchaseDay} AS day FROM ${ident('orders')}
  WHERE ${counted} AND ${purchaseDay} > ${end} AND ${purchaseDay} <= ${day(p.holdoutEnd)}
    AND ${ident('customer_id')} IN (SELECT customer_id FROM calibration)
)
SELECT ceil(date_diff('day', ${end}, day) / ${literal(UNIT_DAYS[p.unit])})::INTEGER AS period,
  count(*)::INTEGER AS purchases
FROM days GROUP BY 1 ORDER BY 1`;
}

/** The span of the data and where acquisition sources can come from. */
export interface ClvProbe {
  firstDay: string | null;
  lastDay: string | null;
  sourceOrigin: SourceOrigin;
}

/** Probe the `orders` (and `customers`, when mapped) views; see {@link clvProbeSql}. */
export async function clvProbe(engine: SqlEngine): Promise<ClvProbe> {
  const hasCustomers = (await existingRelations(engine, ['customers'])).has('customers');
  const [row] = await queryRows(engine, clvProbeSql(hasCustomers));
  const sourceOrigin: SourceOrigin =
    num(row?.sources) > 0
      ? 'customers.acquisition_source'
      : num(row?.channels) > 0
        ? 'orders.channel'
        : null;
  return {
    firstDay: row?.first_day == null ? null : String(row.first_day),
    lastDay: row?.last_day == null ? null : String(row.last_day),
    sourceOrigin,
  };
}
