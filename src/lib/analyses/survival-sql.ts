/**
 * SQL builders for the survival analysis (issue 7); the analysis that runs them, and
 * the full definitions, are in survival.ts.
 *
 * Day counts are whole calendar days between two dates (`date_diff('day', …)` on
 * DATE), so no time-zone (ICU) function is needed and DuckDB-WASM gives the same
 * numbers as native DuckDB.
 */
import { ident, literal } from '../sql/quote.ts';

/** Where time to churn comes from. */
export type SurvivalSource = 'subscriptions' | 'tenure' | 'orders';
export type SurvivalUnit = 'day' | 'week' | 'month';
/** For subscriptions: one lifetime per subscription, or per customer (first start to last end). */
export type SurvivalPer = 'customer' | 'subscription';

export const SOURCES: readonly SurvivalSource[] = ['subscriptions', 'tenure', 'orders'];
/** Days per unit; a month is the average Gregorian month, 365.25 ÷ 12 = 30.4375 days. */
export const UNIT_DAYS: Record<SurvivalUnit, number> = { day: 1, week: 7, month: 30.4375 };
export const DEFAULT_WINDOW_DAYS = 90;
/** Curves drawn at most; with more levels the 7 largest are kept and the rest become "Other". */
export const MAX_CURVES = 8;
export const OTHER_GROUP = 'Other';
/** The level of customers whose grouping value is NULL or blank. */
export const UNKNOWN_GROUP = '(unknown)';
/** The one group when the curve is not split. */
export const ALL_GROUP = 'All';

/** customers columns a curve can be split by (besides any attr_* column). */
export const CUSTOMER_GROUPS = ['plan', 'region', 'acquisition_source'] as const;
/** Splits from the customer's first purchase; orders only. */
export const ORDER_GROUPS = ['first_year', 'first_quarter', 'first_channel'] as const;

export function checkSource(source: string): asserts source is SurvivalSource | 'auto' {
  if (source !== 'auto' && !(SOURCES as readonly string[]).includes(source)) {
    throw new RangeError(
      `Time to churn comes from subscriptions, tenure or orders (or auto to choose), not ${String(source)}.`,
    );
  }
}

export function checkUnit(unit: string): asserts unit is SurvivalUnit {
  if (!Object.hasOwn(UNIT_DAYS, unit)) {
    throw new RangeError(`Time is counted in days, weeks or months, not ${String(unit)}.`);
  }
}

export function checkPer(per: string): asserts per is SurvivalPer {
  if (per !== 'customer' && per !== 'subscription') {
    throw new RangeError(
      `Subscription lifetimes are counted per customer or per subscription, not ${String(per)}.`,
    );
  }
}

export function checkWindow(days: number): void {
  if (!Number.isInteger(days) || days < 1) {
    throw new RangeError(
      `The inactivity window must be a whole number of days ≥ 1 (e.g. 90), not ${days}.`,
    );
  }
}

export function isCustomerGroup(by: string): boolean {
  return (CUSTOMER_GROUPS as readonly string[]).includes(by) || /^attr_./.test(by);
}

export function isOrderGroup(by: string): boolean {
  return (ORDER_GROUPS as readonly string[]).includes(by);
}

export function checkGroup(by: string): void {
  if (!isCustomerGroup(by) && !isOrderGroup(by)) {
    throw new RangeError(
      `Curves can be split by plan, region, acquisition_source, an attr_ column, or (for orders) first_year, first_quarter or first_channel, not ${by}.`,
    );
  }
}

export interface SurvivalParams {
  /** Where time to churn comes from; default 'auto' (see the module comment). */
  source?: SurvivalSource | 'auto';
  /** Split into one curve per value of this column; null or '' for one curve. */
  by?: string | null;
  /** Time unit for subscriptions and orders; default month. Tenure is always in months. */
  unit?: SurvivalUnit;
  /** Orders: the inactivity window W in whole days; default 90. */
  windowDays?: number;
  /** Subscriptions: per customer (default) or per subscription. */
  per?: SurvivalPer;
  /** Subscriptions: censor active ones at this date; default the data's last date. */
  asOf?: Date;
  /** Times (in the unit) at which survival is read; default every year (see survivalAtTimes in survival.ts). */
  times?: number[];
}

function checkTimes(times: number[]): void {
  if (!Array.isArray(times) || times.length > 100 || times.some((t) => !(t >= 0 && t < Infinity))) {
    throw new RangeError('Survival is read at up to 100 times, each a finite number ≥ 0.');
  }
}

/** Check every parameter before any query; a RangeError says what is wrong. */
export function checkParams(params: SurvivalParams): void {
  checkSource(params.source ?? 'auto');
  if (params.unit !== undefined) checkUnit(params.unit);
  if (params.windowDays !== undefined) checkWindow(params.windowDays);
  if (params.per !== undefined) checkPer(params.per);
  if (params.by) checkGroup(params.by);
  if (params.times !== undefined) checkTimes(params.times);
  if (
    params.asOf !== undefined &&
    !(params.asOf instanceof Date && params.asOf.getTime() < Infinity)
  ) {
    throw new RangeError('The as-of date is not a valid date.');
  }
  if (params.source === 'tenure' && params.unit !== undefined && params.unit !== 'month') {
    throw new RangeError('Tenure is counted in months, so the unit must be month.');
  }
}

/** The columns of the canonical relations a survival analysis can read. */
export function survivalColumnsSql(): string {
  return `SELECT table_name::VARCHAR AS tbl, column_name::VARCHAR AS name
FROM information_schema.columns
WHERE table_catalog IN (current_database(), 'temp') AND table_schema = 'main'
  AND table_name IN (${['subscriptions', 'customers', 'orders'].map(literal).join(', ')})
ORDER BY tbl, ordinal_position`;
}

/** Columns per relation, as read by {@link survivalColumnsSql}; a missing relation is absent. */
export type Catalog = Map<string, Set<string>>;

export function has(catalog: Catalog, table: string, ...columns: string[]): boolean {
  const c = catalog.get(table);
  return c !== undefined && columns.every((name) => c.has(name));
}

/** A non-blank value of `column` as text, NULL otherwise. */
function text(column: string): string {
  return `NULLIF(trim(CAST(${column} AS VARCHAR)), '')`;
}

const SUBSCRIPTION_ROWS = `customer_id IS NOT NULL AND start_ts IS NOT NULL`;
const VALID_SUBSCRIPTION = `(end_ts IS NULL OR end_ts >= start_ts)`;

/** The customer columns that can split a curve, in the order they are offered. */
export function customerGroupColumns(catalog: Catalog): string[] {
  const columns = [...(catalog.get('customers') ?? [])];
  return [
    ...CUSTOMER_GROUPS.filter((c) => columns.includes(c)),
    ...columns.filter((c) => /^attr_./.test(c)),
  ];
}

/**
 * One row: how many lifetimes each source would give, the data's end for orders and
 * subscriptions (as YYYY-MM-DD text), and how many customers have a value in each
 * column that could split a curve (`g_<column>`; `s_plan` for subscriptions.plan,
 * `o_channel` for orders.channel). Sources whose relation or columns are missing read 0.
 */
export function survivalProbeSql(catalog: Catalog): string {
  const subs = has(catalog, 'subscriptions', 'customer_id', 'start_ts', 'end_ts');
  const tenure = has(catalog, 'customers', 'customer_id', 'tenure_months', 'churned');
  const orders = has(catalog, 'orders', 'customer_id', 'order_ts');
  const s = ident('subscriptions');
  const c = ident('customers');
  const o = ident('orders');
  const parts = [
    subs
      ? `(SELECT count(*) FROM ${s} WHERE ${SUBSCRIPTION_ROWS} AND ${VALID_SUBSCRIPTION})::INTEGER AS subscriptions`
      : '0 AS subscriptions',
    subs
      ? `(SELECT count(*) FROM ${s} WHERE ${SUBSCRIPTION_ROWS} AND NOT ${VALID_SUBSCRIPTION})::INTEGER AS bad_subscriptions`
      : '0 AS bad_subscriptions',
    subs
      ? `(SELECT strftime(max(greatest(start_ts, coalesce(end_ts, start_ts)))::DATE, '%Y-%m-%d') FROM ${s} WHERE ${SUBSCRIPTION_ROWS} AND ${VALID_SUBSCRIPTION}) AS subscriptions_end`
      : 'NULL::VARCHAR AS subscriptions_end',
    tenure
      ? `(SELECT count(DISTINCT customer_id) FROM ${c} WHERE customer_id IS NOT NULL AND tenure_months >= 0 AND churned IS NOT NULL)::INTEGER AS tenure`
      : '0 AS tenure',
    tenure
      ? `(SELECT count(DISTINCT customer_id) FROM ${c} WHERE customer_id IS NOT NULL AND tenure_months >= 0 AND churned IS NULL)::INTEGER AS tenure_unlabelled`
      : '0 AS tenure_unlabelled',
    orders
      ? `(SELECT count(DISTINCT customer_id) FROM ${o} WHERE customer_id IS NOT NULL AND order_ts IS NOT NULL)::INTEGER AS orders`
      : '0 AS orders',
    orders
      ? `(SELECT strftime(max(order_ts)::DATE, '%Y-%m-%d') FROM ${o} WHERE customer_id IS NOT NULL) AS orders_end`
      : 'NULL::VARCHAR AS orders_end',
    ...customerGroupColumns(catalog).map(
      (col) => `(SELECT count(${text(ident(col))}) FROM ${c})::INTEGER AS ${ident(`g_${col}`)}`,
    ),
  ];
  if (has(catalog, 'subscriptions', 'plan'))
    parts.push(`(SELECT count(${text('plan')}) FROM ${s})::INTEGER AS s_plan`);
  if (has(catalog, 'orders', 'channel'))
    parts.push(`(SELECT count(${text('channel')}) FROM ${o})::INTEGER AS o_channel`);
  return `SELECT\n  ${parts.join(',\n  ')}`;
}

export interface LifetimesPlan {
  source: SurvivalSource;
  /** A grouping column already checked against the data, or null for one curve. */
  by: string | null;
  unit: SurvivalUnit;
  /** Orders: days without a purchase after which a customer counts as churned. */
  windowDays: number;
  per: SurvivalPer;
  /** Subscriptions: the date at which active ones are censored; default the data's last date. */
  asOf?: Date;
  catalog: Catalog;
}

/** The CTE `customer_groups(customer_id, level)`: the smallest non-blank value per customer. */
function customerGroupsCte(column: string): string {
  return `customer_groups AS (
  SELECT customer_id, min(${text(ident(column))}) AS level
  FROM ${ident('customers')}
  WHERE customer_id IS NOT NULL
  GROUP BY customer_id
)`;
}

/** CTEs ending in `lifetimes(level, time, event)` for subscriptions. */
function subscriptionLifetimes(plan: LifetimesPlan): string[] {
  const { by, catalog } = plan;
  const asOf = plan.asOf
    ? `CAST(${literal(plan.asOf)} AS DATE)`
    : 'max(greatest(start_day, coalesce(end_day, start_day)))';
  const plans = by === 'plan' && has(catalog, 'subscriptions', 'plan');
  const ctes = [
    `subs AS (
  SELECT customer_id, CAST(start_ts AS DATE) AS start_day, CAST(end_ts AS DATE) AS end_day,
    ${plans ? text('plan') : 'NULL::VARCHAR'} AS sub_plan,
    row_number() OVER (PARTITION BY customer_id ORDER BY start_ts, end_ts NULLS LAST) AS nth
  FROM ${ident('subscriptions')}
  WHERE ${SUBSCRIPTION_ROWS} AND ${VALID_SUBSCRIPTION}
)`,
    // A given date is one row; the data's last date is an aggregate over subs (one row too).
    plan.asOf ? `as_of AS (SELECT ${asOf} AS day)` : `as_of AS (SELECT ${asOf} AS day FROM subs)`,
    // ended = ended on or before the as-of date; a later end is still active then
    `spans AS (
  SELECT s.*, s.end_day IS NOT NULL AND s.end_day <= a.day AS ended, a.day AS as_of
  FROM subs AS s, as_of AS a
  WHERE s.start_day <= a.day
)`,
  ];
  const customerPlan = by !== null && isCustomerGroup(by) && has(catalog, 'customers', by);
  if (customerPlan) ctes.push(customerGroupsCte(by));
  const level = (subPlan: string) => {
    if (by === null) return literal(ALL_GROUP);
    const parts = [plans ? subPlan : null, customerPlan ? 'g.level' : null].filter(Boolean);
    return `coalesce(${[...parts, literal(UNKNOWN_GROUP)].join(', ')})`;
  };
  const join = customerPlan
    ? 'LEFT JOIN customer_groups AS g ON g.customer_id = x.customer_id'
    : '';
  const days = (from: string, to: string) => `date_diff('day', ${from}, ${to})`;
  if (plan.per === 'subscription') {
    ctes.push(`lifetimes AS (
  SELECT ${level('x.sub_plan')} AS level,
    ${days('x.start_day', 'CASE WHEN x.ended THEN x.end_day ELSE x.as_of END')} AS days,
    x.ended AS event
  FROM spans AS x ${join}
)`);
  } else {
    ctes.push(`per_customer AS (
  SELECT customer_id, min(start_day) AS first_day, max(end_day) AS last_end,
    bool_and(ended) AS ended, any_value(as_of) AS as_of,
    min(sub_plan) FILTER (WHERE nth = 1) AS sub_plan
  FROM spans
  GROUP BY customer_id
)`);
    ctes.push(`lifetimes AS (
  SELECT ${level('x.sub_plan')} AS level,
    ${days('x.first_day', 'CASE WHEN x.ended THEN x.last_end ELSE x.as_of END')} AS days,
    x.ended AS event
  FROM per_customer AS x ${join}
)`);
  }
  return ctes;
}

/** CTEs ending in `lifetimes(level, time, event)` for tenure with a churn flag. */
function tenureLifetimes({ by }: LifetimesPlan): string[] {
  const ctes = [
    `tenures AS (
  SELECT customer_id, max(tenure_months) AS tenure, bool_or(churned) AS churned
  FROM ${ident('customers')}
  WHERE customer_id IS NOT NULL AND tenure_months >= 0 AND churned IS NOT NULL
  GROUP BY customer_id
)`,
  ];
  if (by !== null) ctes.push(customerGroupsCte(by));
  ctes.push(`lifetimes AS (
  SELECT ${by === null ? literal(ALL_GROUP) : `coalesce(g.level, ${literal(UNKNOWN_GROUP)})`} AS level,
    t.tenure AS time, t.churned AS event
  FROM tenures AS t${by === null ? '' : '\n  LEFT JOIN customer_groups AS g ON g.customer_id = t.customer_id'}
)`);
  return ctes;
}

/** CTEs ending in `lifetimes(level, time, event)` for orders and an inactivity window. */
function orderLifetimes({ by, windowDays }: LifetimesPlan): string[] {
  const w = literal(windowDays);
  const ctes = [
    `purchases AS (
  SELECT customer_id, min(CAST(order_ts AS DATE)) AS first_day, max(CAST(order_ts AS DATE)) AS last_day
  FROM ${ident('orders')}
  WHERE customer_id IS NOT NULL AND order_ts IS NOT NULL
  GROUP BY customer_id
)`,
    `data_end AS (SELECT max(last_day) AS day FROM purchases)`,
    // churned when W days without a purchase have passed by the data's end
    `spans AS (
  SELECT p.customer_id, p.first_day,
    date_diff('day', p.last_day, e.day) >= ${w} AS churned,
    date_diff('day', p.first_day, p.last_day) AS active_days,
    date_diff('day', p.first_day, e.day) AS observed_days
  FROM purchases AS p, data_end AS e
)`,
  ];
  let level = literal(ALL_GROUP);
  let join = '';
  if (by === 'first_year') level = `CAST(year(x.first_day) AS VARCHAR)`;
  else if (by === 'first_quarter')
    level = `CAST(year(x.first_day) AS VARCHAR) || '-Q' || CAST(quarter(x.first_day) AS VARCHAR)`;
  else if (by === 'first_channel') {
    // The channel of the earliest order row; same moment: lower order_id, then a non-blank channel.
    ctes.push(`first_channels AS (
  SELECT customer_id, level FROM (
    SELECT customer_id, ${text('channel')} AS level,
      row_number() OVER (PARTITION BY customer_id
        ORDER BY order_ts, order_id, ${text('channel')} NULLS LAST) AS nth
    FROM ${ident('orders')}
    WHERE customer_id IS NOT NULL AND order_ts IS NOT NULL
  )
  WHERE nth = 1
)`);
    level = `coalesce(g.level, ${literal(UNKNOWN_GROUP)})`;
    join = '\n  LEFT JOIN first_channels AS g ON g.customer_id = x.customer_id';
  } else if (by !== null) {
    ctes.push(customerGroupsCte(by));
    level = `coalesce(g.level, ${literal(UNKNOWN_GROUP)})`;
    join = '\n  LEFT JOIN customer_groups AS g ON g.customer_id = x.customer_id';
  }
  ctes.push(`lifetimes AS (
  SELECT ${level} AS level,
    CASE WHEN x.churned THEN x.active_days + ${w} ELSE x.observed_days END AS days,
    x.churned AS event
  FROM spans AS x${join}
)`);
  return ctes;
}

/**
 * Lifetimes counted by group, level, time and event: one row per distinct
 * (grp, level, time, event) with how many customers (or subscriptions) share it.
 * `time` is in the plan's unit (tenure: months as given). `level` is the grouping
 * value; `grp` is the curve it belongs to: the level itself, or "Other" for all but
 * the 7 largest levels when there are more than 8 (ties by name).
 */
export function lifetimesSql(plan: LifetimesPlan): string {
  checkUnit(plan.unit);
  checkWindow(plan.windowDays);
  checkPer(plan.per);
  if (plan.by !== null) checkGroup(plan.by);
  const ctes =
    plan.source === 'subscriptions'
      ? subscriptionLifetimes(plan)
      : plan.source === 'tenure'
        ? tenureLifetimes(plan)
        : orderLifetimes(plan);
  const time =
    plan.source === 'tenure'
      ? 'l.time'
      : plan.unit === 'day'
        ? 'l.days'
        : `l.days / ${literal(UNIT_DAYS[plan.unit])}`;
  return `WITH ${ctes.join(',\n')},
levels AS (SELECT level, count(*) AS n FROM lifetimes GROUP BY level),
ranked AS (
  SELECT level, row_number() OVER (ORDER BY n DESC, level) AS size_rank, count(*) OVER () AS levels
  FROM levels
)
SELECT
  (CASE WHEN r.levels > ${MAX_CURVES} AND r.size_rank >= ${MAX_CURVES}
    THEN ${literal(OTHER_GROUP)} ELSE l.level END)::VARCHAR AS grp,
  l.level::VARCHAR AS level,
  (${time})::DOUBLE AS time,
  l.event::INTEGER AS event,
  count(*)::INTEGER AS n
FROM lifetimes AS l
JOIN ranked AS r ON r.level = l.level
GROUP BY ALL
ORDER BY grp, level, time, event`;
}
