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
  DAY_US,
  DISTINCT_ORDERS,
  existingRelations,
  num,
  numOrNull,
  hasOrderFacts,
  orderValuesCte,
  queryRows,
  relationsSql,
  type OrderSource,
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
export function periodsCtes(
  params: Omit<PeriodParams, 'windowDays'>,
  { facts = false }: OrderSource = {},
): string {
  const step = STEP[params.period];
  if (!step) throw new RangeError(`Unknown period ${String(params.period)}.`);
  const unit = literal(params.period);
  const overlap =
    (params.from ? `\n  WHERE period_start + ${step} > ${literal(params.from)}` : '') +
    (params.to ? `${params.from ? ' AND' : '\n  WHERE'} period_start < ${literal(params.to)}` : '');
  return `${orderValuesCte({}, facts)},
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

/**
 * The customer KPIs of {@link PeriodKpis}, one row per period, as one SQL statement.
 *
 * Shaped for speed: one pass over the orders grouped by customer and period, no window
 * and no per-period subquery. A customer's orders within one calendar period P all make
 * them active from the end of P (the first boundary after each order) on, and P's last
 * order keeps them active longest: up to the last boundary before it + W. So one row
 * per customer and active period gives a span of boundaries, cut short where the
 * customer's next active period takes over; spans of one customer are then disjoint,
 * and customers active at a boundary are counted from +1/−1 at the spans' ends. A span
 * is a customer lost in the period it ends in, unless the next active period's span
 * continues it there: that is, unless the customer is active at both the start and the
 * end of that next period. The neighbouring periods come from each order's
 * `previous_ts` and `next_ts`: the first order of P has the previous period's last order
 * before it, the last order of P the next period's first order after it.
 *
 * Every moment is kept as the start of a period (`date_trunc`), a span as its first and
 * last period start: the span of P holds the boundaries P + step … T + step where T is
 * the start of the period holding (last order + W − 1 µs), or of the next active period,
 * whichever comes first. So the date arithmetic is one truncation per order and two per
 * customer and period; the step is added only to the handful of aggregated rows.
 */
export function kpisByPeriodSql(params: PeriodParams, source: OrderSource = {}): string {
  checkWindowDays(params.windowDays);
  checkDateRange(params);
  const unit = literal(params.period);
  const windowUs = Math.round(params.windowDays * DAY_US);
  const w = `to_microseconds(${literal(windowUs)})`;
  // last + W − 1 µs lies in the period whose end is the first boundary at or after last + W
  const wBefore = `to_microseconds(${literal(windowUs - 1)})`;
  return `WITH ${periodsCtes(params, source)},
-- per customer and calendar period: its last order, the last order before the period and
-- the first after it (NULL when there is none). Active at a boundary b means an order in
-- the ${literal(params.windowDays)} days before b (b itself excluded).
customer_periods AS (
  SELECT customer_key, period_start, max(order_ts) AS last_ts,
    CASE WHEN count(previous_ts) = count(*) THEN min(previous_ts) END AS before_ts,
    CASE WHEN count(next_ts) = count(*) THEN max(next_ts) END AS after_ts
  FROM (SELECT customer_key, date_trunc(${unit}, order_ts) AS period_start, order_ts, previous_ts, next_ts
    FROM order_values)
  GROUP BY 1, 2
),
spans AS (
  SELECT period_start, span_end, span_end > period_start AS live,
    -- active at this period's start, from the orders before it, and at its end
    coalesce(span_end > period_start AND before_ts + ${w} > period_start, FALSE) AS continues
  FROM (
    SELECT period_start, before_ts,
      least(date_trunc(${unit}, last_ts + ${wBefore}), date_trunc(${unit}, after_ts)) AS span_end
    FROM customer_periods
  )
),
-- every span in one pass, at period starts X standing for the boundary X + step: +1/−1
-- active at its first and after its last boundary when it holds one, +1 lost in the
-- period it ends in, −1 lost where it continues the previous one; +1 active in period X
events AS (
  SELECT moment, sum(d_active) AS d_active, sum(d_lost) AS d_lost, sum(d_period) AS d_period
  FROM (
    SELECT unnest([period_start, span_end]) AS moment,
      unnest(CASE WHEN live THEN [1, -1] ELSE [0, 0] END) AS d_active,
      unnest([CASE WHEN continues THEN -1 ELSE 0 END, CASE WHEN live THEN 1 ELSE 0 END]) AS d_lost,
      unnest([1, 0]) AS d_period
    FROM spans
  )
  GROUP BY 1
),
-- active at a period's start: spans begun at an earlier start; at its end: at this one too
states AS (
  SELECT p.period_start,
    coalesce(sum(e.d_active) FILTER (WHERE e.moment < p.period_start), 0) AS at_start,
    coalesce(sum(e.d_active), 0) AS at_end
  FROM periods p LEFT JOIN events e ON e.moment <= p.period_start
  GROUP BY p.period_start
),
new_customers AS (
  SELECT period_start, count(*) AS customers
  FROM (SELECT date_trunc(${unit}, order_ts) AS period_start FROM order_values WHERE order_number = 1)
  GROUP BY 1
),
activity AS (
  SELECT date_trunc(${unit}, order_ts) AS period_start,
    ${DISTINCT_ORDERS} AS orders, sum(order_value) AS revenue
  FROM order_values GROUP BY 1
),
counts AS (
  SELECT p.period_start, p.period_end,
    date_trunc('day', d.first_ts) > p.period_start
      OR date_trunc('day', d.last_ts) < p.period_end - INTERVAL 1 DAY AS partial,
    coalesce(s.at_start, 0) AS s,
    coalesce(n.customers, 0) AS n,
    coalesce(s.at_end, 0) AS e,
    coalesce(v.d_lost, 0) AS l,
    -- customer_periods has one row per customer and period: no DISTINCT needed for them
    coalesce(v.d_period, 0) AS active_customers,
    coalesce(a.orders, 0) AS orders,
    coalesce(a.revenue, 0) AS revenue
  FROM periods p CROSS JOIN data_span d
  LEFT JOIN states s ON s.period_start = p.period_start
  LEFT JOIN events v ON v.moment = p.period_start
  LEFT JOIN new_customers n ON n.period_start = p.period_start
  LEFT JOIN activity a ON a.period_start = p.period_start
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
  const periods = kpisByPeriodSql(params, { facts: await hasOrderFacts(engine) });
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
