/**
 * The whole-data KPI summary (DOMAIN.md, "Metrics"): AOV, purchase frequency, repeat
 * purchase rate, time between purchases, time to second purchase, CLTV, NPS and
 * subscription KPIs.
 */
import type { SqlEngine } from '../engine/types.ts';
import { plural } from '../format.ts';
import { ident, literal } from '../sql/quote.ts';
import {
  checkDateRange,
  checkWindowDays,
  dateOrNull,
  daysBetween,
  DISTINCT_ORDERS,
  existingRelations,
  num,
  numOrNull,
  hasOrderFacts,
  orderValuesCte,
  queryRows,
  rangeFilter,
  relationsSql,
  type OrderSource,
  round,
  type DateRange,
} from './kpis-sql.ts';
import {
  subscriptionSummarySql,
  toSubscriptionKpis,
  type SubscriptionKpis,
} from './kpis-subscriptions.ts';
import { suggestWindow } from './kpis-window.ts';

/** Days per year, for spans and rates per year. */
export const DAYS_PER_YEAR = 365.25;

export interface SummaryParams extends DateRange {
  /** Inactivity window in days for the churn estimate; suggested from the data when omitted. */
  windowDays?: number;
  /** Customer lifespan in years for CLTV; estimated as 1 ÷ annual churn rate when omitted. */
  lifespanYears?: number;
  /** Gross margin 0–1 for the margin-adjusted CLTV; 1 (the default) means not adjusted. */
  margin?: number;
}

/** Net Promoter Score = % promoters (9–10) − % detractors (0–6), over responses with a score. */
export interface Nps {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** promoters ÷ responses × 100. */
  promoterShare: number | null;
  /** detractors ÷ responses × 100. */
  detractorShare: number | null;
  /** promoterShare − detractorShare, −100…100; null without responses. */
  nps: number | null;
}

/** The whole-data KPIs; see {@link kpiSummary} for the definitions. Rates are percentages. */
export interface KpiSummary {
  customers: number;
  orders: number;
  revenue: number;
  firstOrder: Date | null;
  lastOrder: Date | null;
  /** (last order − first order) in days ÷ 365.25. */
  yearsSpanned: number | null;
  aov: number | null;
  purchaseFrequency: number | null;
  purchaseFrequencyPerYear: number | null;
  repeatCustomers: number;
  repeatPurchaseRate: number | null;
  /** Number of gaps between consecutive orders of the same customer. */
  gaps: number;
  meanDaysBetweenPurchases: number | null;
  medianDaysBetweenPurchases: number | null;
  meanDaysToSecondPurchase: number | null;
  medianDaysToSecondPurchase: number | null;
  churn: {
    windowDays: number;
    windowSource: 'parameter' | 'suggested';
    windowMethod: string;
    churnedCustomers: number;
    /** Customer-years observed (see kpiSummary). */
    exposureYears: number;
    /** Churned customers per 100 customer-years; null when nothing was observed. */
    annualChurnRate: number | null;
  };
  cltv: {
    value: number | null;
    marginAdjusted: number | null;
    margin: number;
    lifespanYears: number | null;
    lifespanSource: 'parameter' | 'estimated';
    note: string;
  };
  /** Null when there is no `feedback` view. */
  nps: Nps | null;
  /** Null when there is no `subscriptions` view (or it is empty). */
  subscriptions: SubscriptionKpis | null;
  /** Every statement that ran, as text, in the order it ran. */
  sql: { catalog: string; window?: string; summary: string; nps?: string; subscriptions?: string };
}

/** The whole-data KPI statement of {@link kpiSummary} for a known window. */
export function kpiSummarySql(
  params: SummaryParams & { windowDays: number },
  { facts = false }: OrderSource = {},
): string {
  checkWindowDays(params.windowDays);
  checkDateRange(params);
  const w = literal(params.windowDays);
  const lifespan =
    params.lifespanYears === undefined
      ? 'estimated_lifespan_years'
      : `${literal(params.lifespanYears)}::DOUBLE`;
  const margin = literal(params.margin ?? 1);
  const days = daysBetween;
  return `WITH ${orderValuesCte(params, facts)},
per_customer AS (
  SELECT customer_key, count(*) AS orders, min(order_ts) AS first_ts, max(order_ts) AS last_ts
  FROM order_values GROUP BY customer_key
),
-- the order-level figures in one pass over the orders
order_totals AS (
  SELECT ${DISTINCT_ORDERS} AS orders,
    coalesce(sum(order_value), 0) AS revenue,
    min(order_ts) AS first_ts, max(order_ts) AS last_ts,
    count(gap_days) AS gaps, avg(gap_days) AS mean_gap_days, median(gap_days) AS median_gap_days,
    avg(gap_days) FILTER (WHERE order_number = 2) AS mean_days_to_second,
    median(gap_days) FILTER (WHERE order_number = 2) AS median_days_to_second
  FROM (SELECT order_key, shared_order, order_value, order_ts, order_number,
      ${days('previous_ts', 'order_ts')} AS gap_days FROM order_values)
),
-- churn W days after the last order if that moment is inside the data, else still active;
-- the customer-level figures in one pass over the customers
customer_totals AS (
  SELECT count(*) AS customers,
    count(*) FILTER (WHERE c.orders >= 2) AS repeat_customers,
    count(*) FILTER (WHERE ${days('c.last_ts', 'd.last_ts')} >= ${w}) AS churned,
    coalesce(sum(least(${days('c.first_ts', 'c.last_ts')} + ${w}, ${days('c.first_ts', 'd.last_ts')})), 0)
      / ${DAYS_PER_YEAR} AS exposure_years
  FROM per_customer c, order_totals d
),
totals AS (
  SELECT c.customers, o.orders, o.revenue, c.repeat_customers, o.first_ts, o.last_ts,
    ${days('o.first_ts', 'o.last_ts')} / ${DAYS_PER_YEAR} AS years_spanned,
    o.gaps, o.mean_gap_days, o.median_gap_days, o.mean_days_to_second, o.median_days_to_second,
    c.churned, c.exposure_years
  FROM order_totals o, customer_totals c
),
rates AS (
  SELECT *,
    revenue / NULLIF(orders, 0) AS aov,
    orders / NULLIF(customers, 0) AS frequency,
    orders / NULLIF(customers, 0) / NULLIF(years_spanned, 0) AS frequency_per_year,
    100.0 * repeat_customers / NULLIF(customers, 0) AS repeat_purchase_rate,
    100.0 * churned / NULLIF(exposure_years, 0) AS annual_churn_rate,
    exposure_years / NULLIF(churned, 0) AS estimated_lifespan_years
  FROM totals
)
SELECT customers::INTEGER AS customers, orders::INTEGER AS orders, revenue::DOUBLE AS revenue,
  first_ts, last_ts, years_spanned::DOUBLE AS years_spanned,
  aov::DOUBLE AS aov, frequency::DOUBLE AS frequency,
  frequency_per_year::DOUBLE AS frequency_per_year,
  repeat_customers::INTEGER AS repeat_customers,
  repeat_purchase_rate::DOUBLE AS repeat_purchase_rate,
  gaps::INTEGER AS gaps, mean_gap_days::DOUBLE AS mean_gap_days,
  median_gap_days::DOUBLE AS median_gap_days,
  mean_days_to_second::DOUBLE AS mean_days_to_second,
  median_days_to_second::DOUBLE AS median_days_to_second,
  churned::INTEGER AS churned, exposure_years::DOUBLE AS exposure_years,
  annual_churn_rate::DOUBLE AS annual_churn_rate,
  ${lifespan} AS lifespan_years,
  (aov * frequency_per_year * ${lifespan})::DOUBLE AS cltv,
  (aov * frequency_per_year * ${lifespan} * ${margin})::DOUBLE AS margin_cltv
FROM rates`;
}

/** NPS = % promoters (score ≥ 9) − % detractors (score ≤ 6) over `feedback` in [from, to). */
export function npsSql(range: DateRange = {}): string {
  return `SELECT count(*)::INTEGER AS responses,
  count(*) FILTER (WHERE score >= 9)::INTEGER AS promoters,
  count(*) FILTER (WHERE score > 6 AND score < 9)::INTEGER AS passives,
  count(*) FILTER (WHERE score <= 6)::INTEGER AS detractors,
  (100.0 * count(*) FILTER (WHERE score >= 9) / NULLIF(count(*), 0))::DOUBLE AS promoter_share,
  (100.0 * count(*) FILTER (WHERE score <= 6) / NULLIF(count(*), 0))::DOUBLE AS detractor_share,
  (100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6))
    / NULLIF(count(*), 0))::DOUBLE AS nps
FROM ${ident('feedback')}
WHERE score IS NOT NULL${rangeFilter('feedback_ts', range)}`;
}

/**
 * The whole-data KPIs over the orders in [from, to) (DOMAIN.md, "Metrics"). An order
 * is a customer's rows sharing an order_id, timed at its first row, worth the sum of
 * the rows' amounts.
 *
 * - customers = distinct customer ids; orders = distinct order ids; revenue = Σ amount.
 * - average order value = revenue ÷ orders.
 * - purchase frequency = orders ÷ customers; per year = orders ÷ customers ÷ years
 *   spanned, years spanned = (last order − first order) in days ÷ 365.25.
 * - repeat purchase rate = customers with ≥ 2 orders ÷ customers × 100.
 * - time between purchases: days (exact, from timestamps) between consecutive orders of
 *   the same customer, pooled over all customers; two orders at the same moment are a
 *   0-day gap. Mean and median (median of an even count = mean of the middle two).
 * - time to second purchase: days from a customer's first order to their second.
 * - simple CLTV = AOV × purchases per year × lifespan (years); margin-adjusted CLTV =
 *   CLTV × margin. Lifespan is `lifespanYears` when given, else 1 ÷ annual churn rate,
 *   where the annual churn rate is churned customers ÷ customer-years observed (a
 *   constant-hazard estimate): a customer churns `windowDays` after their last order
 *   if that moment is within the data (at or before the last order), and is observed
 *   from their first order until then, or until the last order in the data if not.
 * - NPS (when a `feedback` view exists) and subscription KPIs (when a `subscriptions`
 *   view exists) over [from, to); see {@link Nps} and {@link subscriptionSummarySql}.
 */
export async function kpiSummary(
  engine: SqlEngine,
  params: SummaryParams = {},
): Promise<KpiSummary> {
  checkDateRange(params);
  const margin = params.margin ?? 1;
  if (!Number.isFinite(margin) || margin < 0 || margin > 1) {
    throw new RangeError(`The margin must be between 0 and 1, not ${margin}.`);
  }
  if (
    params.lifespanYears !== undefined &&
    !(Number.isFinite(params.lifespanYears) && params.lifespanYears > 0)
  ) {
    throw new RangeError(`The lifespan must be a positive number of years.`);
  }
  const range = { from: params.from, to: params.to };
  const optional = ['feedback', 'subscriptions'] as const;
  const sql: KpiSummary['sql'] = { catalog: relationsSql(optional), summary: '' };
  const present = await existingRelations(engine, optional);
  const facts = await hasOrderFacts(engine);

  let windowDays = params.windowDays;
  let windowMethod = 'The inactivity window was given.';
  if (windowDays === undefined) {
    const suggestion = await suggestWindow(engine, range);
    sql.window = suggestion.sql;
    windowDays = suggestion.days;
    windowMethod = suggestion.method;
  }
  sql.summary = kpiSummarySql({ ...params, windowDays }, { facts });
  const [r] = await queryRows(engine, sql.summary);

  let nps: Nps | null = null;
  if (present.has('feedback')) {
    sql.nps = npsSql(range);
    const [f] = await queryRows(engine, sql.nps);
    nps = {
      responses: num(f.responses),
      promoters: num(f.promoters),
      passives: num(f.passives),
      detractors: num(f.detractors),
      promoterShare: numOrNull(f.promoter_share),
      detractorShare: numOrNull(f.detractor_share),
      nps: numOrNull(f.nps),
    };
  }
  let subscriptions: SubscriptionKpis | null = null;
  if (present.has('subscriptions')) {
    sql.subscriptions = subscriptionSummarySql(range);
    const [s] = await queryRows(engine, sql.subscriptions);
    subscriptions = s ? toSubscriptionKpis(s) : null;
  }

  const churned = num(r.churned);
  const exposureYears = num(r.exposure_years);
  const lifespanYears = numOrNull(r.lifespan_years);
  const given = params.lifespanYears !== undefined;
  return {
    customers: num(r.customers),
    orders: num(r.orders),
    revenue: num(r.revenue),
    firstOrder: dateOrNull(r.first_ts),
    lastOrder: dateOrNull(r.last_ts),
    yearsSpanned: numOrNull(r.years_spanned),
    aov: numOrNull(r.aov),
    purchaseFrequency: numOrNull(r.frequency),
    purchaseFrequencyPerYear: numOrNull(r.frequency_per_year),
    repeatCustomers: num(r.repeat_customers),
    repeatPurchaseRate: numOrNull(r.repeat_purchase_rate),
    gaps: num(r.gaps),
    meanDaysBetweenPurchases: numOrNull(r.mean_gap_days),
    medianDaysBetweenPurchases: numOrNull(r.median_gap_days),
    meanDaysToSecondPurchase: numOrNull(r.mean_days_to_second),
    medianDaysToSecondPurchase: numOrNull(r.median_days_to_second),
    churn: {
      windowDays,
      windowSource: params.windowDays === undefined ? 'suggested' : 'parameter',
      windowMethod,
      churnedCustomers: churned,
      exposureYears,
      annualChurnRate: numOrNull(r.annual_churn_rate),
    },
    cltv: {
      value: numOrNull(r.cltv),
      marginAdjusted: numOrNull(r.margin_cltv),
      margin,
      lifespanYears,
      lifespanSource: given ? 'parameter' : 'estimated',
      note: lifespanNote(given, lifespanYears, churned, exposureYears, windowDays),
    },
    nps,
    subscriptions,
    sql,
  };
}

function lifespanNote(
  given: boolean,
  lifespan: number | null,
  churned: number,
  exposureYears: number,
  windowDays: number,
): string {
  if (given) return `Lifespan of ${round(lifespan ?? 0)} years, as given.`;
  if (lifespan === null) {
    return (
      `No customer has gone ${windowDays} days without an order yet, so the lifespan ` +
      `cannot be estimated from the data; give one to get a CLTV.`
    );
  }
  return (
    `Lifespan estimated from the data as 1 ÷ annual churn rate: ${plural(churned, 'customer')} ` +
    `churned (no order for ${windowDays} days) over ${round(exposureYears)} customer-years ` +
    `observed, so ${round(lifespan)} years.`
  );
}
