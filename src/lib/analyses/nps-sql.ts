/**
 * The statements of the NPS analysis (nps.ts), built from the parameters and returned
 * as text with the results, so the app can show and edit them. Periods use
 * `date_trunc` on naive TIMESTAMPs and `strftime`, so no time-zone (ICU) function is
 * needed and DuckDB-WASM gives the same numbers as native DuckDB.
 */
import { ident, literal } from '../sql/quote.ts';
import { beforeBound } from './nps-outcomes.ts';

export type NpsPeriod = 'month' | 'quarter';

/** Where a segment column lives: a feedback column (topic) or a customer attribute (plan, region, attr_…). */
export interface SegmentColumn {
  table: 'feedback' | 'customers';
  column: string;
}

/** Scores at or below this are negative (detractors): NPS's own boundary. */
export const DEFAULT_NEGATIVE = 6;
/** Runs of this many negative answers or more share one row ("3+"). */
export const RUN_CAP = 3;

/**
 * Reichheld's Net Promoter Score (Harvard Business Review, 2003), as aggregate
 * columns over `score` so they can be grouped: responses, promoters (9–10), passives
 * (7–8), detractors (0–6), their shares (%) and nps = % promoters − % detractors.
 * The same definition as the KPI overview's npsSql (kpis-summary.ts), which gives the
 * whole-data figure; the suite checks that the two agree.
 */
export function npsColumnsSql(score = 'score'): string {
  const s = ident(score);
  const p = `count(*) FILTER (WHERE ${s} >= 9)`;
  const d = `count(*) FILTER (WHERE ${s} <= 6)`;
  return `count(*)::INTEGER AS responses,
  ${p}::INTEGER AS promoters,
  count(*) FILTER (WHERE ${s} > 6 AND ${s} < 9)::INTEGER AS passives,
  ${d}::INTEGER AS detractors,
  (100.0 * ${p} / NULLIF(count(*), 0))::DOUBLE AS promoter_share,
  (100.0 * ${d} / NULLIF(count(*), 0))::DOUBLE AS detractor_share,
  (100.0 * (${p} - ${d}) / NULLIF(count(*), 0))::DOUBLE AS nps`;
}

/** NPS per calendar month or quarter of the answer date: start, period (2024-03 / 2024-Q1), then the counts. */
export function npsByPeriodSql(period: NpsPeriod): string {
  const label =
    period === 'month'
      ? `strftime(start, '%Y-%m')`
      : `strftime(start, '%Y') || '-Q' || quarter(start)`;
  return `SELECT start::TIMESTAMP AS start, (${label})::VARCHAR AS period,
  ${npsColumnsSql()}
FROM (
  SELECT date_trunc(${literal(period)}, feedback_ts) AS start, score
  FROM ${ident('feedback')}
  WHERE score IS NOT NULL AND feedback_ts IS NOT NULL
)
GROUP BY start
ORDER BY start`;
}

/**
 * NPS per value of a segment column, most answers first. Customer attributes are
 * joined on customer_id (one row per customer); answers from customers without a
 * value fall in "(not recorded)".
 */
export function npsBySegmentSql(by: SegmentColumn): string {
  const value =
    by.table === 'feedback'
      ? `f.${ident(by.column)}`
      : `(SELECT any_value(c.${ident(by.column)}) FROM ${ident('customers')} c
        WHERE c.customer_id::VARCHAR = f.customer_id::VARCHAR)`;
  return `SELECT coalesce(CAST(value AS VARCHAR), '(not recorded)') AS segment,
  ${npsColumnsSql()}
FROM (
  SELECT ${value} AS value, f.score
  FROM ${ident('feedback')} f
  WHERE f.score IS NOT NULL
)
GROUP BY 1
ORDER BY responses DESC, segment`;
}

/**
 * Churn by the customer's final run of negative answers: for each labelled customer
 * with at least one answer before their bound (nps-outcomes.ts), the number of
 * consecutive answers with score ≤ `negative` at the end of their history, i.e. those
 * after their last answer above `negative` (all of them when there is none). An answer
 * at the same instant as the last non-negative one does not count. Runs 0, 1, 2 and
 * RUN_CAP+ with customers, churned and churn rate (%), every row present.
 */
export function negativeRunsSql(outcomesCte: string, negative: number): string {
  const n = literal(negative);
  return `WITH ${outcomesCte},
answers AS (
  SELECT o.customer_id, o.churned, f.feedback_ts, f.score
  FROM outcomes o JOIN ${ident('feedback')} f ON f.customer_id::VARCHAR = o.customer_id
  WHERE f.score IS NOT NULL AND f.feedback_ts IS NOT NULL AND ${beforeBound('f.feedback_ts')}
),
last_ok AS (
  SELECT customer_id, max(feedback_ts) FILTER (WHERE score > ${n}) AS ts
  FROM answers GROUP BY customer_id
),
runs AS (
  SELECT a.customer_id, any_value(a.churned) AS churned,
    count(*) FILTER (WHERE a.score <= ${n} AND (l.ts IS NULL OR a.feedback_ts > l.ts)) AS run
  FROM answers a JOIN last_ok l USING (customer_id)
  GROUP BY a.customer_id
)
SELECT b.run::INTEGER AS run, count(r.customer_id)::INTEGER AS customers,
  coalesce(sum(r.churned), 0)::INTEGER AS churned,
  (100.0 * sum(r.churned) / NULLIF(count(r.customer_id), 0))::DOUBLE AS churn_rate
FROM range(0, ${RUN_CAP + 1}) b(run)
LEFT JOIN runs r ON least(r.run, ${RUN_CAP}) = b.run
GROUP BY b.run
ORDER BY b.run`;
}

/**
 * Churn by whether each event happened before the customer's bound, against the
 * base rate of all labelled customers: customers and churn rate with the event and
 * without it, and lift = churn rate with ÷ base churn rate. Highest lift first (ties:
 * more customers first), at most `top` events.
 */
export function eventAntecedentsSql(outcomesCte: string, top: number): string {
  return `WITH ${outcomesCte},
base AS (SELECT count(*)::DOUBLE AS customers, sum(churned)::DOUBLE AS churned FROM outcomes),
did AS (
  SELECT DISTINCT o.customer_id, o.churned, e.event_name::VARCHAR AS event_name
  FROM outcomes o JOIN ${ident('events')} e ON e.customer_id::VARCHAR = o.customer_id
  WHERE e.event_name IS NOT NULL AND e.event_ts IS NOT NULL AND ${beforeBound('e.event_ts')}
),
per_event AS (
  SELECT event_name, count(*)::DOUBLE AS customers, sum(churned)::DOUBLE AS churned
  FROM did GROUP BY event_name
)
SELECT p.event_name, p.customers::INTEGER AS customers, p.churned::INTEGER AS churned,
  (100.0 * p.churned / p.customers)::DOUBLE AS churn_rate,
  (b.customers - p.customers)::INTEGER AS customers_without,
  (b.churned - p.churned)::INTEGER AS churned_without,
  (100.0 * (b.churned - p.churned) / NULLIF(b.customers - p.customers, 0))::DOUBLE AS churn_rate_without,
  ((p.churned / p.customers) / NULLIF(b.churned / b.customers, 0))::DOUBLE AS lift
FROM per_event p, base b
ORDER BY lift DESC NULLS LAST, p.customers DESC, p.event_name
LIMIT ${literal(top)}`;
}

/** Labelled customers and churned ones: the base rate the antecedents compare with. */
export function outcomeBaseSql(outcomesCte: string): string {
  return `WITH ${outcomesCte}
SELECT count(*)::INTEGER AS customers, coalesce(sum(churned), 0)::INTEGER AS churned,
  (100.0 * sum(churned) / NULLIF(count(*), 0))::DOUBLE AS churn_rate
FROM outcomes`;
}
