/**
 * SQL builders for cohort retention (DOMAIN.md, "Analyses"); the analysis that runs
 * them, and the full definitions, are in cohorts.ts.
 *
 * Periods are calendar periods from `date_trunc` (weeks start on Monday) and period
 * numbers come from `date_diff` between two truncated timestamps, so no time-zone
 * (ICU) function is needed and DuckDB-WASM gives the same numbers as native DuckDB.
 */
import { ident, literal } from '../sql/quote.ts';
import { checkDateRange, orderValuesCte, type DateRange, type OrderSource } from './kpis-sql.ts';

export type CohortGrain = 'week' | 'month' | 'quarter';
export type CohortBasis = 'first_purchase' | 'signup';

export interface CohortParams extends DateRange {
  grain: CohortGrain;
  /** What puts a customer in a cohort: the first order (default) or customers.signup_ts. */
  basis?: CohortBasis;
  /**
   * Split every cohort by a customers column (acquisition_source, region, plan or an
   * attr_* column) or by a value of the customer's first order ('first_product',
   * 'first_category', 'first_channel'). Empty means no split.
   */
  sliceBy?: string;
  /** At most this many periods per cohort: k = 0 … maxPeriods − 1. Default 24. */
  maxPeriods?: number;
}

export const DEFAULT_MAX_PERIODS = 24;

/** The slice of customers whose slice value is NULL or blank. */
export const UNKNOWN_SLICE = '(unknown)';

/** Slices taken from the customer's first order, and the orders column each reads. */
export const FIRST_ORDER_SLICES = {
  first_product: 'product',
  first_category: 'category',
  first_channel: 'channel',
} as const;

/** Named customers columns a cohort can be sliced by (besides any attr_* column). */
export const CUSTOMER_SLICES = ['acquisition_source', 'region', 'plan'] as const;

/** How a period of each grain is written in SQL: its length and the start of period k. */
const GRAINS: Record<CohortGrain, { step: string; start: (cohort: string, k: string) => string }> =
  {
    week: { step: 'INTERVAL 7 DAY', start: (c, k) => `${c} + to_days(7 * ${k})` },
    month: { step: 'INTERVAL 1 MONTH', start: (c, k) => `${c} + to_months(${k})` },
    quarter: { step: 'INTERVAL 3 MONTH', start: (c, k) => `${c} + to_months(3 * ${k})` },
  };

export function checkGrain(grain: string): asserts grain is CohortGrain {
  if (!Object.hasOwn(GRAINS, grain)) {
    throw new RangeError(`Cohorts are built by week, month or quarter, not ${String(grain)}.`);
  }
}

export function checkBasis(basis: string): asserts basis is CohortBasis {
  if (basis !== 'first_purchase' && basis !== 'signup') {
    throw new RangeError(`Cohorts start at the first purchase or at signup, not ${String(basis)}.`);
  }
}

export function checkMaxPeriods(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`The number of periods must be a whole number ≥ 1, not ${n}.`);
  }
}

/** Whether `sliceBy` names a customers column (as opposed to a first-order value). */
export function isCustomerSlice(sliceBy: string): boolean {
  return (CUSTOMER_SLICES as readonly string[]).includes(sliceBy) || /^attr_./.test(sliceBy);
}

export function checkSlice(sliceBy: string): void {
  if (!Object.hasOwn(FIRST_ORDER_SLICES, sliceBy) && !isCustomerSlice(sliceBy)) {
    throw new RangeError(
      `Cohorts can be split by first_product, first_category, first_channel, acquisition_source, region, plan or an attr_ column, not ${sliceBy}.`,
    );
  }
}

/** The columns of the `customers` view (or table), to check a slice or signup column exists. */
export function customerColumnsSql(): string {
  return `SELECT column_name::VARCHAR AS name
FROM information_schema.columns
WHERE table_catalog IN (current_database(), 'temp') AND table_schema = 'main'
  AND table_name = ${literal('customers')}`;
}

/** How many customers rows have a signup date. */
export function signupCountSql(): string {
  return `SELECT count(${ident('signup_ts')})::INTEGER AS signups
FROM ${ident('customers')}
WHERE customer_id IS NOT NULL`;
}

/** The CTE `slices(customer_id, slice_value)`: one raw value per customer. */
function slicesCte(sliceBy: string): string {
  if (Object.hasOwn(FIRST_ORDER_SLICES, sliceBy)) {
    const column = ident(FIRST_ORDER_SLICES[sliceBy as keyof typeof FIRST_ORDER_SLICES]);
    // The first order's largest line; among equal lines, a non-blank value first, alphabetically.
    return `slices AS (
  SELECT customer_id, slice_value FROM (
    SELECT o.customer_id, CAST(o.${column} AS VARCHAR) AS slice_value,
      row_number() OVER (PARTITION BY o.customer_id
        ORDER BY v.order_ts, o.order_id, o.amount DESC NULLS LAST,
          NULLIF(trim(CAST(o.${column} AS VARCHAR)), '') NULLS LAST) AS line
    FROM ${ident('orders')} AS o
    JOIN order_values AS v ON v.customer_id = o.customer_id AND v.order_id = o.order_id
  )
  WHERE line = 1
)`;
  }
  const value = `CAST(${ident(sliceBy)} AS VARCHAR)`;
  return `slices AS (
  SELECT customer_id, min(${value}) FILTER (WHERE trim(${value}) <> '') AS slice_value
  FROM ${ident('customers')}
  WHERE customer_id IS NOT NULL
  GROUP BY customer_id
)`;
}

/**
 * The CTE `anchors(customer_key, customer_id, anchor_ts)`: the moment that puts a
 * customer in a cohort, with the customer's key in `order_values` (NULL for a signed-up
 * customer without orders).
 */
function anchorsCte(basis: CohortBasis): string {
  if (basis === 'signup') {
    return `anchors AS (
  SELECT k.customer_key, s.customer_id, s.anchor_ts
  FROM (
    SELECT customer_id, min(${ident('signup_ts')}) AS anchor_ts
    FROM ${ident('customers')}
    WHERE customer_id IS NOT NULL AND ${ident('signup_ts')} IS NOT NULL
    GROUP BY customer_id
  ) AS s
  LEFT JOIN (SELECT customer_key, customer_id FROM order_values WHERE order_number = 1) AS k
    ON k.customer_id = s.customer_id
)`;
  }
  return `anchors AS (
  SELECT customer_key, customer_id, order_ts AS anchor_ts FROM order_values WHERE order_number = 1
)`;
}

/**
 * One row per cohort × slice × period k = 0 … min(last observed period, maxPeriods − 1):
 * cohort, slice, cohort_size, cohort_partial, period, active, active_or_later,
 * revenue, cumulative_revenue, retention, retention_or_later, revenue_retention,
 * cumulative_revenue_per_customer, partial. See {@link CohortCell} in cohorts.ts.
 */
export function cohortSql(params: CohortParams, { facts = false }: OrderSource = {}): string {
  checkGrain(params.grain);
  const basis = params.basis ?? 'first_purchase';
  checkBasis(basis);
  const maxPeriods = params.maxPeriods ?? DEFAULT_MAX_PERIODS;
  checkMaxPeriods(maxPeriods);
  checkDateRange(params);
  const sliceBy = params.sliceBy || undefined;
  if (sliceBy) checkSlice(sliceBy);

  const unit = literal(params.grain);
  const { step, start } = GRAINS[params.grain];
  const last = literal(maxPeriods - 1);
  const slice = sliceBy
    ? `CASE WHEN trim(s.slice_value) <> '' THEN s.slice_value ELSE ${literal(UNKNOWN_SLICE)} END`
    : 'NULL::VARCHAR';
  // Cohorts whose anchor falls in [from, to).
  const rangeOn = (anchor: string) =>
    (params.from ? ` AND ${anchor} >= ${literal(params.from)}` : '') +
    (params.to ? ` AND ${anchor} < ${literal(params.to)}` : '');
  const range = rangeOn('a.anchor_ts');
  // Cohort periods are fully covered when they lie within [lo, hi): from the first
  // anchor's day (or `from`) to the day after the last order (or `to`).
  const lo = params.from
    ? `greatest(e.first_anchor_day, ${literal(params.from)})`
    : 'e.first_anchor_day';
  const hi = params.to ? `least(e.covered_until, ${literal(params.to)})` : 'e.covered_until';
  const sameCohort = (a: string, b: string) =>
    `${a}.cohort = ${b}.cohort AND ${a}.slice IS NOT DISTINCT FROM ${b}.slice AND ${a}.period = ${b}.period`;

  return `WITH ${orderValuesCte({}, facts)},
${anchorsCte(basis)},${sliceBy ? `\n${slicesCte(sliceBy)},` : ''}
extent AS (
  SELECT
    (SELECT date_trunc('day', min(order_ts)) FROM order_values) AS first_order_day,
    (SELECT max(order_ts) FROM order_values) AS last_ts,
    (SELECT date_trunc('day', max(order_ts)) + INTERVAL 1 DAY FROM order_values) AS covered_until,
    (SELECT date_trunc('day', min(anchor_ts)) FROM anchors) AS first_anchor_day
),
members AS (
  SELECT a.customer_key, a.customer_id, a.anchor_ts, date_trunc(${unit}, a.anchor_ts) AS cohort, ${slice} AS slice
  FROM anchors AS a${sliceBy ? '\n  LEFT JOIN slices AS s ON s.customer_id = a.customer_id' : ''}
  WHERE TRUE${range}
),
-- period k of an order: calendar ${params.grain}s from the cohort's ${params.grain} to the order's
${
  basis === 'first_purchase' && !sliceBy
    ? // Anchored at the first purchase, every order of a member counts, and each order
      // carries its customer's first order time: no join back to the members.
      `customer_periods AS (
  SELECT customer_key, date_trunc(${unit}, first_ts) AS cohort, NULL::VARCHAR AS slice,
    date_diff(${unit}, date_trunc(${unit}, first_ts), date_trunc(${unit}, order_ts)) AS period,
    sum(order_value) AS revenue
  FROM order_values
  WHERE TRUE${rangeOn('first_ts')}
  GROUP BY customer_key, cohort, period
),`
    : `customer_periods AS (
  SELECT m.customer_key, m.cohort, m.slice,
    date_diff(${unit}, m.cohort, date_trunc(${unit}, o.order_ts)) AS period,
    sum(o.order_value) AS revenue
  FROM members AS m JOIN order_values AS o ON o.customer_key = m.customer_key
  WHERE o.order_ts >= m.anchor_ts
  GROUP BY m.customer_key, m.cohort, m.slice, period
),`
}
cohorts AS (
  SELECT m.cohort, m.slice, count(*) AS size,
    any_value(m.cohort < ${lo} OR m.cohort + ${step} > ${hi}) AS cohort_partial,
    any_value(date_diff(${unit}, m.cohort, date_trunc(${unit}, e.last_ts))) AS last_period
  FROM members AS m, extent AS e
  GROUP BY m.cohort, m.slice
),
grid AS (
  SELECT cohort, slice, size, cohort_partial,
    unnest(generate_series(0, least(last_period, ${last}))) AS period
  FROM cohorts
  WHERE last_period >= 0
),
active AS (
  SELECT cohort, slice, period, count(*) AS active, sum(revenue) AS revenue
  FROM customer_periods
  GROUP BY cohort, slice, period
),
-- each customer counted once, at their last active period (capped at the last one shown)
endings AS (
  SELECT cohort, slice, period, count(*) AS customers
  FROM (
    SELECT customer_key, cohort, slice, least(max(period), ${last}) AS period
    FROM customer_periods
    GROUP BY customer_key, cohort, slice
  )
  GROUP BY cohort, slice, period
),
cells AS (
  SELECT g.cohort, g.slice, g.size, g.cohort_partial, g.period,
    coalesce(a.active, 0) AS active,
    coalesce(a.revenue, 0) AS revenue,
    coalesce(n.customers, 0) AS ending,
    ${start('g.cohort', 'g.period')} AS period_start,
    ${start('g.cohort', '(g.period + 1)')} AS period_end
  FROM grid AS g
  LEFT JOIN active AS a ON ${sameCohort('a', 'g')}
  LEFT JOIN endings AS n ON ${sameCohort('n', 'g')}
)
SELECT c.cohort, c.slice::VARCHAR AS slice, c.size::INTEGER AS cohort_size,
  c.cohort_partial, c.period::INTEGER AS period,
  c.active::INTEGER AS active,
  (sum(c.ending) OVER later)::INTEGER AS active_or_later,
  c.revenue::DOUBLE AS revenue,
  (sum(c.revenue) OVER earlier)::DOUBLE AS cumulative_revenue,
  (c.active / c.size)::DOUBLE AS retention,
  (sum(c.ending) OVER later / c.size)::DOUBLE AS retention_or_later,
  (c.revenue / NULLIF(first_value(c.revenue) OVER earlier, 0))::DOUBLE AS revenue_retention,
  (sum(c.revenue) OVER earlier / c.size)::DOUBLE AS cumulative_revenue_per_customer,
  (c.period_start < e.first_order_day OR c.period_end > e.covered_until) AS partial
FROM cells AS c, extent AS e
WINDOW earlier AS (PARTITION BY c.cohort, c.slice ORDER BY c.period),
  later AS (PARTITION BY c.cohort, c.slice ORDER BY c.period DESC)
ORDER BY c.cohort, c.slice, c.period`;
}

/** The CTEs `weighted` and `average` over `cells` (see {@link cohortAverageSql}). */
const averageCtes = `weighted AS (
  SELECT *,
    first_value(revenue) OVER (PARTITION BY cohort, slice ORDER BY period) AS base_revenue,
    bool_or(NOT partial) OVER (PARTITION BY slice, period) AS any_complete
  FROM cells
),
average AS (
  SELECT slice, period,
    (sum(active) / sum(cohort_size))::DOUBLE AS retention,
    (sum(active_or_later) / sum(cohort_size))::DOUBLE AS retention_or_later,
    (sum(revenue) / NULLIF(sum(base_revenue), 0))::DOUBLE AS revenue_retention,
    (sum(cumulative_revenue) / sum(cohort_size))::DOUBLE AS ltv,
    count(*)::INTEGER AS cohorts,
    NOT bool_or(any_complete) AS partial
  FROM weighted
  WHERE NOT partial OR NOT any_complete
  GROUP BY slice, period
)`;

/**
 * The average curve per slice and period k over the rows of {@link cohortSql}: sums
 * over the cohorts whose cell k is complete (or, when every cell k is partial, over
 * those partial cells, and the row is flagged partial). See {@link CohortAverage}.
 */
export function cohortAverageSql(params: CohortParams, source: OrderSource = {}): string {
  return `WITH cells AS (
${cohortSql(params, source)}
),
${averageCtes}
SELECT * FROM average
ORDER BY slice NULLS FIRST, period`;
}

/**
 * The rows of {@link cohortSql} and of {@link cohortAverageSql} in one statement, the
 * cells computed once: `row_kind` is 'cell' or 'average', each kind in its own order.
 */
export function cohortWithAverageSql(params: CohortParams, source: OrderSource = {}): string {
  return `WITH cells AS MATERIALIZED (
${cohortSql(params, source)}
),
${averageCtes}
SELECT * FROM (
  SELECT 'cell' AS row_kind, * FROM cells
  UNION ALL BY NAME
  SELECT 'average' AS row_kind, * FROM average
)
ORDER BY row_kind DESC, cohort,
  CASE WHEN row_kind = 'cell' THEN slice IS NULL ELSE slice IS NOT NULL END, slice, period`;
}
