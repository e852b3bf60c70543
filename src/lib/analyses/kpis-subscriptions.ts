/**
 * Subscription KPIs (logo churn, revenue churn, gross and net revenue retention) over
 * spans of time, read from the canonical `subscriptions` view. Used per calendar
 * period by kpis-periods.ts and over one span by the KPI summary (kpis.ts).
 */
import type { Cell } from '../engine/rows.ts';
import { ident, literal } from '../sql/quote.ts';
import { dateOrNull, num, numOrNull, type DateRange } from './kpis-sql.ts';

/**
 * Subscription KPIs for one span [start, end).
 *
 * A subscription is *active at a boundary t* when `start_ts < t` and it has not ended
 * before t (`end_ts IS NULL OR end_ts >= t`): one that ends exactly at a period start
 * ended during that period, one that starts exactly at a period start is new in it.
 * Rates are percentages and null when there is nothing at the start to divide by.
 */
export interface SubscriptionKpis {
  start: Date;
  /** Exclusive end of the span. */
  end: Date;
  /** Subscriptions active at the start. */
  subscriptionsAtStart: number;
  /** Of those, the ones whose end_ts falls in [start, end). */
  subscriptionsEnded: number;
  /** Subscriptions active at the end (including new ones). */
  subscriptionsAtEnd: number;
  /** Sum of `mrr` of the subscriptions active at the start. */
  mrrAtStart: number;
  /** Sum of `mrr` of the subscriptions that ended. */
  mrrChurned: number;
  /** Sum of `mrr` of all subscriptions active at the end. */
  mrrAtEnd: number;
  /** Sum of `mrr` active at the end held by customers who had an active subscription at the start. */
  mrrAtEndFromStartCustomers: number;
  /** Logo churn = subscriptionsEnded ÷ subscriptionsAtStart × 100. */
  logoChurnRate: number | null;
  /** Revenue churn = mrrChurned ÷ mrrAtStart × 100. */
  revenueChurnRate: number | null;
  /** Gross revenue retention = (mrrAtStart − mrrChurned) ÷ mrrAtStart × 100. */
  grossRevenueRetention: number | null;
  /**
   * Net revenue retention = mrrAtEndFromStartCustomers ÷ mrrAtStart × 100; expansion
   * (extra subscription rows of the same customers) lifts it above 100.
   */
  netRevenueRetention: number | null;
}

/**
 * The subscription KPIs for every span of a CTE list that defines
 * `periods(period_start, period_end)`; one row per span, ordered by start.
 */
export function subscriptionSpansSql(periodsCtes: string): string {
  const subs = ident('subscriptions');
  return `WITH ${periodsCtes},
subs AS (
  SELECT customer_id, start_ts, end_ts, mrr FROM ${subs} WHERE start_ts IS NOT NULL
),
at_start AS (
  SELECT p.period_start, p.period_end, s.*
  FROM periods p JOIN subs s
    ON s.start_ts < p.period_start AND (s.end_ts IS NULL OR s.end_ts >= p.period_start)
),
at_end AS (
  SELECT p.period_start, s.*
  FROM periods p JOIN subs s
    ON s.start_ts < p.period_end AND (s.end_ts IS NULL OR s.end_ts >= p.period_end)
),
start_customers AS (SELECT DISTINCT period_start, customer_id FROM at_start),
start_totals AS (
  SELECT period_start,
         count(*) AS subscriptions_at_start,
         coalesce(sum(mrr), 0) AS mrr_at_start,
         count(*) FILTER (WHERE end_ts < period_end) AS subscriptions_ended,
         coalesce(sum(mrr) FILTER (WHERE end_ts < period_end), 0) AS mrr_churned
  FROM at_start GROUP BY period_start
),
end_totals AS (
  SELECT e.period_start,
         count(*) AS subscriptions_at_end,
         coalesce(sum(e.mrr), 0) AS mrr_at_end,
         coalesce(sum(e.mrr) FILTER (WHERE k.customer_id IS NOT NULL), 0) AS mrr_retained
  FROM at_end e LEFT JOIN start_customers k
    ON k.period_start = e.period_start AND k.customer_id = e.customer_id
  GROUP BY e.period_start
)
SELECT p.period_start, p.period_end,
  coalesce(st.subscriptions_at_start, 0)::INTEGER AS subscriptions_at_start,
  coalesce(st.subscriptions_ended, 0)::INTEGER AS subscriptions_ended,
  coalesce(en.subscriptions_at_end, 0)::INTEGER AS subscriptions_at_end,
  coalesce(st.mrr_at_start, 0)::DOUBLE AS mrr_at_start,
  coalesce(st.mrr_churned, 0)::DOUBLE AS mrr_churned,
  coalesce(en.mrr_at_end, 0)::DOUBLE AS mrr_at_end,
  coalesce(en.mrr_retained, 0)::DOUBLE AS mrr_at_end_from_start_customers,
  (100.0 * st.subscriptions_ended / NULLIF(st.subscriptions_at_start, 0))::DOUBLE AS logo_churn_rate,
  (100.0 * st.mrr_churned / NULLIF(st.mrr_at_start, 0))::DOUBLE AS revenue_churn_rate,
  (100.0 * (st.mrr_at_start - st.mrr_churned) / NULLIF(st.mrr_at_start, 0))::DOUBLE
    AS gross_revenue_retention,
  (100.0 * coalesce(en.mrr_retained, 0) / NULLIF(st.mrr_at_start, 0))::DOUBLE
    AS net_revenue_retention
FROM periods p
LEFT JOIN start_totals st ON st.period_start = p.period_start
LEFT JOIN end_totals en ON en.period_start = p.period_start
ORDER BY p.period_start`;
}

/**
 * The subscription KPIs over one span for the summary: [from, to) when given; without
 * `to` the span ends at the midnight after the last subscription start or end, and
 * without `from` it starts 12 months before its end.
 */
export function subscriptionSummarySql(range: DateRange = {}): string {
  const to = range.to ? literal(range.to) : 'NULL::TIMESTAMP';
  const from = range.from ? literal(range.from) : 'NULL::TIMESTAMP';
  const periods = `periods AS (
  SELECT coalesce(${from}, period_end - INTERVAL 12 MONTH) AS period_start, period_end
  FROM (
    SELECT coalesce(${to}, date_trunc('day', greatest(max(start_ts), max(end_ts))) + INTERVAL 1 DAY)
      AS period_end
    FROM ${ident('subscriptions')}
  )
  WHERE period_end IS NOT NULL
)`;
  return subscriptionSpansSql(periods);
}

/** One result row of {@link subscriptionSpansSql} as {@link SubscriptionKpis}. */
export function toSubscriptionKpis(row: Record<string, Cell>): SubscriptionKpis {
  return {
    start: dateOrNull(row.period_start) as Date,
    end: dateOrNull(row.period_end) as Date,
    subscriptionsAtStart: num(row.subscriptions_at_start),
    subscriptionsEnded: num(row.subscriptions_ended),
    subscriptionsAtEnd: num(row.subscriptions_at_end),
    mrrAtStart: num(row.mrr_at_start),
    mrrChurned: num(row.mrr_churned),
    mrrAtEnd: num(row.mrr_at_end),
    mrrAtEndFromStartCustomers: num(row.mrr_at_end_from_start_customers),
    logoChurnRate: numOrNull(row.logo_churn_rate),
    revenueChurnRate: numOrNull(row.revenue_churn_rate),
    grossRevenueRetention: numOrNull(row.gross_revenue_retention),
    netRevenueRetention: numOrNull(row.net_revenue_retention),
  };
}
