/**
 * Churn features and labels, per customer, computed in SQL from the canonical
 * views (DOMAIN.md, "Churn prediction").
 *
 * Two kinds of label:
 * - **column**: the customers table has a mapped churn flag (Telco's `Churn`).
 *   Every customer with a known flag is a training example; features describe the
 *   customer as the data stands (attributes, tenure, charges, and orders, feedback
 *   and events up to the latest date in the data).
 * - **derived**: no flag, so churn is "no purchase within W days after the
 *   cut-off date C". Features use only data strictly before C, the label only
 *   orders in [C, C + W). The population is every customer with an order before C.
 *   Current customers are then scored with the same features computed at "now"
 *   (the day after the last order), which is how a model trained on the past is
 *   used on the present.
 *
 * Order features (before C): recency, frequency (orders), monetary (total and mean
 * order value), tenure (days since the first order), mean gap between orders, and
 * the trend: orders and spend in the last W days against the W days before
 * (spend_trend = (last − previous) ÷ (last + previous), in [−1, 1], 0 when both are 0).
 * Feedback: answers, detractor answers (score ≤ 6) and the last score. Events:
 * count, and support contacts (event names with support, ticket, complain or
 * contact). Subscriptions: active subscriptions and their recurring revenue at C.
 * Customer attributes: numeric columns as numbers, text columns as categories
 * (one-hot encoding and rare-level grouping happen in prepare.ts, with statistics
 * from the training split only). The churn date and flag are never features.
 *
 * Numbers come back as DOUBLE with NaN for missing values, text as VARCHAR, so both
 * engines give the same Arrow columns; day counts use `epoch_us`, no ICU needed.
 */
import type { SqlEngine } from '../engine/types.ts';
import { ident, literal } from '../sql/quote.ts';
import { existingRelations, num, ORDER_FACTS, queryRows } from '../analyses/kpis-sql.ts';

export type LabelSource = 'column' | 'derived';

export interface FeatureParams {
  /** Which label to use; 'auto' takes the churn column when one is mapped. */
  label?: LabelSource | 'auto';
  /** Cut-off for derived labels; default: the last order date minus the window. */
  cutoff?: Date;
  /** Days after the cut-off in which a purchase means "retained". Default 90. */
  windowDays?: number;
}

/** What the loaded data offers, probed once. */
export interface FeatureSources {
  orders: boolean;
  /** Whether the order_facts table exists (kpis-sql.ts): then orders are read from it. */
  orderFacts?: boolean;
  customers: boolean;
  feedback: boolean;
  events: boolean;
  subscriptions: boolean;
  /** Customers with a known churn flag. */
  labelledCustomers: number;
  /** Customers view columns usable as features, with their kind. */
  attributes: { column: string; kind: 'numeric' | 'categorical' }[];
  /** First and last order time, when there are orders. */
  firstOrder: Date | null;
  lastOrder: Date | null;
}

export interface FeaturePlan {
  label: LabelSource;
  /** Derived labels only: features before this instant, labels from it on. */
  cutoff: Date | null;
  windowDays: number;
  /** The instant current customers are scored at (derived labels), or null. */
  scoreAt: Date | null;
  /** A sentence for the UI saying what the label means. */
  explanation: string;
  /** Training examples: customer_id, label, value, then the features. */
  trainSql: string;
  /** Customers to score (derived labels: features at now, label NULL); same columns. */
  scoreSql: string | null;
}

const DAY_US = 86_400_000_000;
export const DEFAULT_WINDOW_DAYS = 90;
/** Customers-view columns that are never features: identity, label, and the dates label leaks through. */
const NOT_FEATURES = new Set(['customer_id', 'churned', 'churn_ts', 'signup_ts']);
const CATEGORICAL_ROLES = new Set(['plan', 'acquisition_source', 'region']);
const SUPPORT_EVENT = `regexp_matches(lower(event_name), 'support|ticket|complain|contact')`;

const ts = (d: Date) => literal(d);
const days = (from: string, to: string) => `((epoch_us(${to}) - epoch_us(${from})) / ${DAY_US}.0)`;
const nanIfNull = (expr: string) => `coalesce(CAST(${expr} AS DOUBLE), 'NaN'::DOUBLE)`;

/** Probe the canonical views for what the features can use. */
export async function featureSources(engine: SqlEngine): Promise<FeatureSources> {
  const rel = await existingRelations(engine, [
    'orders',
    ORDER_FACTS,
    'customers',
    'feedback',
    'events',
    'subscriptions',
  ]);
  const sources: FeatureSources = {
    orders: rel.has('orders'),
    orderFacts: rel.has(ORDER_FACTS),
    customers: rel.has('customers'),
    feedback: rel.has('feedback'),
    events: rel.has('events'),
    subscriptions: rel.has('subscriptions'),
    labelledCustomers: 0,
    attributes: [],
    firstOrder: null,
    lastOrder: null,
  };
  if (sources.orders) {
    const [r] = await queryRows(
      engine,
      `SELECT min(order_ts) AS first, max(order_ts) AS last FROM ${ident('orders')}`,
    );
    sources.firstOrder = r.first instanceof Date ? r.first : null;
    sources.lastOrder = r.last instanceof Date ? r.last : null;
  }
  if (sources.customers) {
    const columns = await queryRows(
      engine,
      `SELECT column_name::VARCHAR AS name, data_type::VARCHAR AS type
       FROM information_schema.columns
       WHERE table_name = 'customers' AND table_schema = 'main'
         AND table_catalog IN (current_database(), 'temp')
       ORDER BY ordinal_position`,
    );
    const candidates = columns
      .map((c) => ({ column: String(c.name), type: String(c.type) }))
      .filter((c) => !NOT_FEATURES.has(c.column));
    const counts = await queryRows(
      engine,
      `SELECT count(churned) AS labelled${candidates
        .map((c, i) => `, count(${ident(c.column)}) AS c${i}`)
        .join('')} FROM ${ident('customers')}`,
    );
    sources.labelledCustomers = num(counts[0].labelled);
    sources.attributes = candidates
      .filter((_, i) => num(counts[0][`c${i}`]) > 0)
      .map((c) => ({
        column: c.column,
        kind:
          CATEGORICAL_ROLES.has(c.column) || /CHAR|TEXT|STRING|UUID|ENUM/i.test(c.type)
            ? 'categorical'
            : 'numeric',
      }));
  }
  return sources;
}

/** Choose the label and write the SQL; throws a RangeError with advice when the data cannot support it. */
export function planFeatures(sources: FeatureSources, params: FeatureParams = {}): FeaturePlan {
  const windowDays = params.windowDays ?? DEFAULT_WINDOW_DAYS;
  if (!Number.isFinite(windowDays) || windowDays < 1 || windowDays > 3660) {
    throw new RangeError(`The churn window must be between 1 and 3,660 days, not ${windowDays}.`);
  }
  const want = params.label ?? 'auto';
  const label: LabelSource =
    want === 'auto' ? (sources.labelledCustomers > 0 ? 'column' : 'derived') : want;
  if (label === 'column') {
    if (sources.labelledCustomers === 0) {
      throw new RangeError(
        'No churn column is mapped: map a churn flag (Yes/No, 1/0) in the customers table, or derive the label from orders.',
      );
    }
    const now = sources.lastOrder ? new Date(sources.lastOrder.getTime() + 1) : null;
    return {
      label,
      cutoff: null,
      windowDays,
      scoreAt: null,
      explanation:
        'Churn is the mapped churn column of the customers table. Every customer with a known value is an example; the model learns which features go with “churned”.',
      trainSql: featureSql(sources, { at: now, windowDays, label: 'column' }),
      scoreSql: null,
    };
  }
  if (!sources.orders || !sources.firstOrder || !sources.lastOrder) {
    throw new RangeError(
      'Churn needs either a churn column in the customers table or orders to derive it from; neither is mapped.',
    );
  }
  const lastDay = startOfDay(sources.lastOrder);
  const end = new Date(lastDay.getTime() + 86_400_000);
  const cutoff = params.cutoff ? startOfDay(params.cutoff) : addDays(end, -windowDays);
  const labelEnd = addDays(cutoff, windowDays);
  if (labelEnd.getTime() > end.getTime()) {
    throw new RangeError(
      `The cut-off ${day(cutoff)} is too late: labels need ${windowDays} days of orders after it, and the orders end on ${day(lastDay)}. Choose a cut-off on or before ${day(addDays(end, -windowDays))}.`,
    );
  }
  if (cutoff.getTime() <= startOfDay(sources.firstOrder).getTime()) {
    throw new RangeError(
      `The cut-off ${day(cutoff)} is before the first order (${day(sources.firstOrder)}): there is no history to learn from. Choose a later cut-off or a shorter window.`,
    );
  }
  return {
    label,
    cutoff,
    windowDays,
    scoreAt: end,
    explanation: `No churn column is mapped, so churn is derived from orders: a customer who bought before ${day(cutoff)} and made no purchase in the ${windowDays} days from ${day(cutoff)} to ${day(addDays(labelEnd, -1))} counts as churned. Features use only data before the cut-off; current customers are then scored with their features as of ${day(end)}.`,
    trainSql: featureSql(sources, { at: cutoff, windowDays, label: 'derived' }),
    scoreSql: featureSql(sources, { at: end, windowDays, label: 'none' }),
  };
}

const startOfDay = (d: Date) => new Date(Math.floor(d.getTime() / 86_400_000) * 86_400_000);
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);
const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * One row per customer: customer_id, label (1 churned, 0 retained, NULL unknown),
 * value (annual value, for ranking by risk × value), then the feature columns.
 */
export function featureSql(
  sources: FeatureSources,
  opts: { at: Date | null; windowDays: number; label: 'column' | 'derived' | 'none' },
): string {
  const { at, windowDays, label } = opts;
  const C = at ? ts(at) : null;
  const ctes: string[] = [];
  const joins: string[] = [];
  const select: string[] = [];
  const useOrders = sources.orders && C !== null;
  const useCustomers = sources.customers;
  if (useOrders) {
    const before = `order_ts < ${C}`;
    const P = `to_microseconds(${literal(Math.round(windowDays * DAY_US))})`;
    // One row per order; customer_key stands for customer_id (a whole number in order_facts).
    ctes.push(
      sources.orderFacts
        ? `ov AS (
  SELECT customer_key, customer_id, order_ts, order_value FROM ${ident(ORDER_FACTS)}
)`
        : `ov AS (
  SELECT customer_id AS customer_key, customer_id, min(order_ts) AS order_ts, sum(amount) AS order_value
  FROM ${ident('orders')}
  WHERE customer_id IS NOT NULL AND order_ts IS NOT NULL
  GROUP BY customer_id, order_id
)`,
    );
    ctes.push(`hist AS (
  SELECT customer_key, any_value(customer_id)::VARCHAR AS customer_id,
    ${days('max(order_ts)', C!)} AS recency_days,
    count(*)::DOUBLE AS frequency,
    sum(order_value)::DOUBLE AS monetary,
    avg(order_value)::DOUBLE AS avg_order_value,
    ${days('min(order_ts)', C!)} AS tenure_days,
    CASE WHEN count(*) > 1 THEN ${days('min(order_ts)', 'max(order_ts)')} / (count(*) - 1) END AS mean_gap_days,
    count(*) FILTER (WHERE order_ts >= ${C} - ${P})::DOUBLE AS orders_last,
    count(*) FILTER (WHERE order_ts >= ${C} - 2 * ${P} AND order_ts < ${C} - ${P})::DOUBLE AS orders_prev,
    coalesce(sum(order_value) FILTER (WHERE order_ts >= ${C} - ${P}), 0)::DOUBLE AS spend_last,
    coalesce(sum(order_value) FILTER (WHERE order_ts >= ${C} - 2 * ${P} AND order_ts < ${C} - ${P}), 0)::DOUBLE AS spend_prev,
    coalesce(sum(order_value) FILTER (WHERE order_ts >= ${C} - INTERVAL 365 DAY), 0)::DOUBLE AS spend_year
  FROM ov WHERE ${before}
  GROUP BY customer_key
)`);
    for (const f of [
      'recency_days',
      'frequency',
      'monetary',
      'avg_order_value',
      'tenure_days',
      'mean_gap_days',
      'orders_last',
      'orders_prev',
      'spend_last',
      'spend_prev',
    ]) {
      select.push(`${nanIfNull(`hist.${f}`)} AS ${f}`);
    }
    select.push(
      `CASE WHEN hist.spend_last + hist.spend_prev > 0 THEN (hist.spend_last - hist.spend_prev) / (hist.spend_last + hist.spend_prev) ELSE 0 END::DOUBLE AS spend_trend`,
    );
    if (label === 'derived') {
      ctes.push(`future AS (
  SELECT DISTINCT customer_key FROM ov
  WHERE order_ts >= ${C} AND order_ts < ${C} + ${P}
)`);
      joins.push('LEFT JOIN future ON future.customer_key = hist.customer_key');
    }
  }
  if (useCustomers) {
    ctes.push(`cust AS (
  SELECT DISTINCT ON (customer_id) * REPLACE (customer_id::VARCHAR AS customer_id)
  FROM ${ident('customers')} ORDER BY customer_id
)`);
    for (const a of sources.attributes) {
      select.push(
        a.kind === 'numeric'
          ? `${nanIfNull(`cust.${ident(a.column)}`)} AS ${ident(a.column)}`
          : `CAST(cust.${ident(a.column)} AS VARCHAR) AS ${ident(a.column)}`,
      );
    }
  }
  if (sources.feedback && C !== null) {
    ctes.push(`fb AS (
  SELECT customer_id::VARCHAR AS customer_id, count(*)::DOUBLE AS feedback_count,
    count(*) FILTER (WHERE score <= 6)::DOUBLE AS detractor_count,
    arg_max(score, feedback_ts)::DOUBLE AS last_score
  FROM ${ident('feedback')} WHERE feedback_ts < ${C} GROUP BY 1
)`);
    select.push(
      'coalesce(fb.feedback_count, 0)::DOUBLE AS feedback_count',
      'coalesce(fb.detractor_count, 0)::DOUBLE AS detractor_count',
      `${nanIfNull('fb.last_score')} AS last_score`,
    );
  }
  if (sources.events && C !== null) {
    ctes.push(`ev AS (
  SELECT customer_id::VARCHAR AS customer_id, count(*)::DOUBLE AS event_count,
    count(*) FILTER (WHERE ${SUPPORT_EVENT})::DOUBLE AS support_count
  FROM ${ident('events')} WHERE event_ts < ${C} GROUP BY 1
)`);
    select.push(
      'coalesce(ev.event_count, 0)::DOUBLE AS event_count',
      'coalesce(ev.support_count, 0)::DOUBLE AS support_count',
    );
  }
  if (sources.subscriptions && C !== null) {
    ctes.push(`subs AS (
  SELECT customer_id::VARCHAR AS customer_id, count(*)::DOUBLE AS active_subscriptions,
    coalesce(sum(mrr), 0)::DOUBLE AS subscription_mrr
  FROM ${ident('subscriptions')}
  WHERE start_ts < ${C} AND (end_ts IS NULL OR end_ts >= ${C}) GROUP BY 1
)`);
    select.push(
      'coalesce(subs.active_subscriptions, 0)::DOUBLE AS active_subscriptions',
      'coalesce(subs.subscription_mrr, 0)::DOUBLE AS subscription_mrr',
    );
  }

  // The population and its label.
  let from: string;
  let labelExpr: string;
  if (label === 'column') {
    from = useOrders ? 'cust LEFT JOIN hist ON hist.customer_id = cust.customer_id' : 'cust';
    labelExpr = 'CASE WHEN cust.churned THEN 1 ELSE 0 END';
  } else {
    from = useCustomers ? 'hist LEFT JOIN cust ON cust.customer_id = hist.customer_id' : 'hist';
    labelExpr =
      label === 'derived' ? 'CASE WHEN future.customer_key IS NULL THEN 1 ELSE 0 END' : 'NULL';
  }
  const key = label === 'column' ? 'cust.customer_id' : 'hist.customer_id';
  for (const [alias, present] of [
    ['fb', sources.feedback && C !== null],
    ['ev', sources.events && C !== null],
    ['subs', sources.subscriptions && C !== null],
  ] as const) {
    if (present) joins.push(`LEFT JOIN ${alias} ON ${alias}.customer_id = ${key}`);
  }
  const customerValue = useCustomers
    ? sources.attributes.some((a) => a.column === 'recurring_revenue')
      ? '12 * cust.recurring_revenue'
      : sources.attributes.some((a) => a.column === 'total_spend')
        ? 'cust.total_spend'
        : 'NULL'
    : 'NULL';
  const value = useOrders
    ? label === 'column'
      ? `coalesce(${customerValue}, hist.spend_year, 0)`
      : 'hist.spend_year'
    : `coalesce(${customerValue}, 0)`;
  const where = label === 'column' ? 'WHERE cust.churned IS NOT NULL' : '';
  return `WITH ${ctes.join(',\n')}
SELECT ${key} AS customer_id, CAST(${labelExpr} AS TINYINT) AS label,
  coalesce(CAST(${value} AS DOUBLE), 0) AS value${select.map((s) => `,\n  ${s}`).join('')}
FROM ${from}
${joins.join('\n')}
${where}
ORDER BY customer_id`;
}

const FEATURE_LABELS: Record<string, string> = {
  recency_days: 'Days since last order',
  frequency: 'Orders',
  monetary: 'Total spend',
  avg_order_value: 'Average order value',
  tenure_days: 'Days since first order',
  mean_gap_days: 'Mean days between orders',
  orders_last: 'Orders in the last window',
  orders_prev: 'Orders in the window before',
  spend_last: 'Spend in the last window',
  spend_prev: 'Spend in the window before',
  spend_trend: 'Spend trend',
  feedback_count: 'Feedback answers',
  detractor_count: 'Detractor answers',
  last_score: 'Last feedback score',
  event_count: 'Events',
  support_count: 'Support contacts',
  active_subscriptions: 'Active subscriptions',
  subscription_mrr: 'Subscription revenue',
  tenure_months: 'Tenure (months)',
  recurring_revenue: 'Recurring revenue',
  total_spend: 'Total charges',
  plan: 'Plan / contract',
  acquisition_source: 'Acquisition source',
  region: 'Region',
};

/** A feature's name for people: the built-in ones described, attributes from their column name. */
export function featureLabel(name: string): string {
  const known = FEATURE_LABELS[name];
  if (known) return known;
  const bare = name.replace(/^attr_/, '').replace(/_/g, ' ');
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}
