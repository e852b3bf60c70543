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
 * Shaped for speed (each step one pass, no per-period subquery over the orders): a
 * customer's orders within one calendar period all make them active from the end of
 * that period (the first boundary after each order) on, and the period's last order
 * keeps them active longest, until the first boundary at or after it + W. So one row
 * per customer and active period gives a span of boundaries [active_from, active_to),
 * cut short where the customer's next active period takes over; spans of one customer
 * are then disjoint, and customers active at a boundary are counted from +1/−1 at the
 * spans' ends. A span that the next (non-empty) one does not continue is a customer
 * lost in the period ending at active_to.
 */
export function kpisByPeriodSql(params: PeriodParams, source: OrderSource = {}): string {
  checkWindowDays(params.windowDays);
  checkDateRange(params);
  const unit = literal(params.period);
  const step = STEP[params.period];
  // the first boundary at or after ts (boundaries are the calendar grid of date_trunc)
  const gridCeil = (ts: string) =>
    `CASE WHEN date_trunc(${unit}, ${ts}) = ${ts} THEN ${ts} ELSE date_trunc(${unit}, ${ts}) + ${step} END`;
  return `WITH ${periodsCtes(params, source)},
boundaries AS (SELECT period_start AS boundary FROM periods UNION SELECT period_end FROM periods),
-- per customer and calendar period, its last order: active at a boundary b means an order
-- in the ${literal(params.windowDays)} days before b (b itself excluded)
customer_periods AS (
  SELECT customer_key, date_trunc(${unit}, order_ts) AS period_start, max(order_ts) AS last_ts
  FROM order_values GROUP BY 1, 2
),
spans AS (
  SELECT active_from, ${gridCeil('until_ts')} AS active_to, next_from,
    -- the next span is empty when its last order + W does not pass its first boundary
    next_last_ts + ${daysInterval(params.windowDays)} > next_from AS next_live
  FROM (
    SELECT period_start + ${step} AS active_from,
      lead(period_start) OVER w + ${step} AS next_from,
      lead(last_ts) OVER w AS next_last_ts,
      least(last_ts + ${daysInterval(params.windowDays)}, next_from) AS until_ts
    FROM customer_periods
    WINDOW w AS (PARTITION BY customer_key ORDER BY period_start)
  )
),
live_spans AS (SELECT * FROM spans WHERE active_to > active_from),
deltas AS (
  SELECT active_from AS at, count(*) AS delta FROM live_spans GROUP BY 1
  UNION ALL
  SELECT active_to, -count(*) FROM live_spans GROUP BY 1
),
active_at AS (
  SELECT b.boundary, coalesce(sum(d.delta), 0) AS customers
  FROM boundaries b LEFT JOIN deltas d ON d.at <= b.boundary
  GROUP BY b.boundary
),
lost AS (
  SELECT active_to AS period_end, count(*) AS customers FROM live_spans
  WHERE NOT coalesce(active_to = next_from AND next_live, FALSE)
  GROUP BY 1
),
new_customers AS (
  SELECT period_start, count(*) AS customers
  FROM (SELECT date_trunc(${unit}, order_ts) AS period_start FROM order_values WHERE order_number = 1)
  GROUP BY 1
),
-- customer_periods has one row per customer and period: no DISTINCT needed for them
active_customers AS (SELECT period_start, count(*) AS customers FROM customer_periods GROUP BY 1),
activity AS (
  SELECT date_trunc(${unit}, order_ts) AS period_start,
    count(DISTINCT order_key) AS orders, sum(order_value) AS revenue
  FROM order_values GROUP BY 1
),
counts AS (
  SELECT p.period_start, p.period_end,
    date_trunc('day', d.first_ts) > p.period_start
      OR date_trunc('day', d.last_ts) < p.period_end - INTERVAL 1 DAY AS partial,
    coalesce(s.customers, 0) AS s,
    coalesce(n.customers, 0) AS n,
    coalesce(e.customers, 0) AS e,
    coalesce(l.customers, 0) AS l,
    coalesce(c.customers, 0) AS active_customers,
    coalesce(a.orders, 0) AS orders,
    coalesce(a.revenue, 0) AS revenue
  FROM periods p CROSS JOIN data_span d
  LEFT JOIN active_at s ON s.boundary = p.period_start
  LEFT JOIN active_at e ON e.boundary = p.period_end
  LEFT JOIN lost l ON l.period_end = p.period_end
  LEFT JOIN new_customers n ON n.period_start = p.period_start
  LEFT JOIN active_customers c ON c.period_start = p.period_start
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
