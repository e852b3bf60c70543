/**
 * Customer KPIs per calendar period (month, quarter, year): churn and retention in
 * the DOMAIN.md sense, with the inactivity window standing in for a cancellation
 * where nobody cancels, plus subscription KPIs when a `subscriptions` view exists.
 */
import type { SqlEngine } from '../engine/types.ts';
import { literal } from '../sql/quote.ts';
import {
  checkDateRange,
  checkWindowDays,
  dateOrNull,
  daysInterval,
  existingRelations,
  num,
  numOrNull,
  orderValuesCte,
  queryRows,
  relationsSql,
  type DateRange,
} from './kpis-sql.ts';
import {
  subscriptionSpansSql,
  toSubscriptionKpis,
  type SubscriptionKpis,
} from './kpis-subscriptions.ts';

export type Period = 'month' | 'quarter' | 'year';

const STEP: Record<Period, string> = {
  month: 'INTERVAL 1 MONTH',
  quarter: 'INTERVAL 3 MONTH',
  year: 'INTERVAL 1 YEAR',
};

export interface PeriodParams extends DateRange {
  period: Period;
  /** The inactivity window in days (see `suggestWindow`). */
  windowDays: number;
}

/**
 * One calendar period [start, end). Definitions (W = windowDays; a boundary is a
 * period start or end):
 *
 * - A customer is *active at boundary t* when their last order before t is less than
 *   W days before t (t − last < W). An order placed exactly at t belongs to the period
 *   t opens, so it does not count for the state at t; hence one period's
 *   customersAtEnd equals the next period's customersAtStart.
 * - customersAtStart S = active at the start; customersAtEnd E = active at the end.
 * - lost L = active at the start and not active at the end.
 * - newCustomers N = customers whose first order ever falls in [start, end).
 * - churnRate = L ÷ S × 100; retentionRate = (E − N) ÷ S × 100 (DOMAIN.md); both null
 *   when S = 0. E − N also counts returning customers who were inactive at the start.
 * - activeCustomers = customers with at least one order in the period; orders =
 *   distinct order ids timed in it (an order is timed at its first row); revenue = their
 *   value; aov = revenue ÷ orders (null without orders).
 * - partial = the data does not cover the whole period: the first order's day is after
 *   the period's first day, or the last order's day is before the period's last day.
 */
export interface PeriodKpis {
  start: Date;
  /** Exclusive: the next period's start. */
  end: Date;
  partial: boolean;
  customersAtStart: number;
  newCustomers: number;
  customersAtEnd: number;
  lost: number;
  churnRate: number | null;
  retentionRate: number | null;
  activeCustomers: number;
  orders: number;
  revenue: number;
  aov: number | null;
  /** Subscription KPIs for the same period, or null without a `subscriptions` view. */
  subscriptions: SubscriptionKpis | null;
}

export interface KpisByPeriod {
  period: Period;
  windowDays: number;
  rows: PeriodKpis[];
  /** Every statement that ran, as text: the catalog probe, the customer KPIs, the subscription KPIs. */
  sql: { catalog: string; periods: string; subscriptions?: string };
}

/**
 * The CTEs `order_values`, `data_span(first_ts, last_ts)` and
 * `periods(period_start, period_end)`: every calendar period from the one holding the
 * first order to the one holding the last, keeping those that overlap [from, to).
 * The orders themselves are not filtered: states at a boundary need the history.
 */
export function periodsCtes(params: Omit<PeriodParams, 'windowDays'>): string {
  const step = STEP[params.period];
  if (!step) throw new RangeError(`Unknown period ${String(params.period)}.`);
  const unit = literal(params.period);
  const overlap =
    (params.from ? `\n  WHERE period_start + ${step} > ${literal(params.from)}` : '') +
    (params.to ? `${params.from ? ' AND' : '\n  WHERE'} period_start < ${literal(params.to)}` : '');
  return `${orderValuesCte()},
data_span AS (SELECT min(order_ts) AS first_ts, max(order_ts) AS last_ts FROM order_values),
periods AS (
  SELECT period_start, period_start + ${step} AS period_end
  FROM (
    SELECT unnest(generate_series(date_trunc(${unit}, first_ts), date_trunc(${unit}, last_ts), ${step}))
      AS period_start
    FROM data_span
  )${overlap}
)`;
}

/** The customer KPIs of {@link PeriodKpis}, one row per period, as one SQL statement. */
export function kpisByPeriodSql(params: PeriodParams): string {
  checkWindowDays(params.windowDays);
  checkDateRange(params);
  return `WITH ${periodsCtes(params)},
boundaries AS (
  SELECT boundary, boundary - ${daysInterval(params.windowDays)} AS window_start
  FROM (SELECT period_start AS boundary FROM periods UNION SELECT period_end FROM periods)
),
-- active at a boundary: an order in the ${literal(params.windowDays)} days before it (the boundary itself excluded)
active AS (
  SELECT DISTINCT b.boundary, o.customer_id
  FROM boundaries b JOIN order_values o
    ON o.order_ts < b.boundary AND o.order_ts > b.window_start
),
first_orders AS (SELECT customer_id, min(order_ts) AS first_ts FROM order_values GROUP BY customer_id),
counts AS (
  SELECT p.period_start, p.period_end,
    date_trunc('day', d.first_ts) > p.period_start
      OR date_trunc('day', d.last_ts) < p.period_end - INTERVAL 1 DAY AS partial,
    (SELECT count(*) FROM active a WHERE a.boundary = p.period_start) AS s,
    (SELECT count(*) FROM first_orders f
      WHERE f.first_ts >= p.period_start AND f.first_ts < p.period_end) AS n,
    (SELECT count(*) FROM active a WHERE a.boundary = p.period_end) AS e,
    (SELECT count(*) FROM active a
      WHERE a.boundary = p.period_start AND NOT EXISTS (
        SELECT 1 FROM active x WHERE x.boundary = p.period_end AND x.customer_id = a.customer_id)) AS l,
    (SELECT count(DISTINCT o.customer_id) FROM order_values o
      WHERE o.order_ts >= p.period_start AND o.order_ts < p.period_end) AS active_customers,
    (SELECT count(DISTINCT o.order_id) FROM order_values o
      WHERE o.order_ts >= p.period_start AND o.order_ts < p.period_end) AS orders,
    (SELECT coalesce(sum(o.order_value), 0) FROM order_values o
      WHERE o.order_ts >= p.period_start AND o.order_ts < p.period_end) AS revenue
  FROM periods p, data_span d
)
SELECT period_start, period_end, partial,
  s::INTEGER AS customers_at_start,
  n::INTEGER AS new_customers,
  e::INTEGER AS customers_at_end,
  l::INTEGER AS lost,
  (100.0 * l / NULLIF(s, 0))::DOUBLE AS churn_rate,
  (100.0 * (e - n) / NULLIF(s, 0))::DOUBLE AS retention_rate,
  active_customers::INTEGER AS active_customers,
  orders::INTEGER AS orders,
  revenue::DOUBLE AS revenue,
  (revenue / NULLIF(orders, 0))::DOUBLE AS aov
FROM counts
ORDER BY period_start`;
}

/** The subscription KPIs ({@link SubscriptionKpis}) for the same periods as {@link kpisByPeriodSql}. */
export function subscriptionsByPeriodSql(params: Omit<PeriodParams, 'windowDays'>): string {
  checkDateRange(params);
  return subscriptionSpansSql(periodsCtes(params));
}

/**
 * Customer KPIs per calendar period from the first to the last order (see
 * {@link PeriodKpis} for the exact definitions): churn rate = customers lost ÷
 * customers at start × 100 and retention rate = (customers at end − new customers) ÷
 * customers at start × 100 (DOMAIN.md, "Metrics"), with "lost" meaning no order within
 * `windowDays`. With a `subscriptions` view each row also carries logo churn, revenue
 * churn, GRR and NRR for the period.
 */
export async function kpisByPeriod(engine: SqlEngine, params: PeriodParams): Promise<KpisByPeriod> {
  const catalog = relationsSql(['subscriptions']);
  const periods = kpisByPeriodSql(params);
  const hasSubscriptions = (await existingRelations(engine, ['subscriptions'])).has(
    'subscriptions',
  );
  const rows: PeriodKpis[] = (await queryRows(engine, periods)).map((r) => ({
    start: dateOrNull(r.period_start) as Date,
    end: dateOrNull(r.period_end) as Date,
    partial: r.partial === true,
    customersAtStart: num(r.customers_at_start),
    newCustomers: num(r.new_customers),
    customersAtEnd: num(r.customers_at_end),
    lost: num(r.lost),
    churnRate: numOrNull(r.churn_rate),
    retentionRate: numOrNull(r.retention_rate),
    activeCustomers: num(r.active_customers),
    orders: num(r.orders),
    revenue: num(r.revenue),
    aov: numOrNull(r.aov),
    subscriptions: null,
  }));
  const result: KpisByPeriod = {
    period: params.period,
    windowDays: params.windowDays,
    rows,
    sql: { catalog, periods },
  };
  if (hasSubscriptions) {
    const sql = subscriptionsByPeriodSql(params);
    result.sql.subscriptions = sql;
    const byStart = new Map(
      (await queryRows(engine, sql)).map((r) => {
        const kpis = toSubscriptionKpis(r);
        return [kpis.start.getTime(), kpis] as const;
      }),
    );
    for (const row of rows) row.subscriptions = byStart.get(row.start.getTime()) ?? null;
  }
  return result;
}
