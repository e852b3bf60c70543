/**
 * The statements of the RFM analysis (rfm.ts). Each is built here from the
 * parameters and returned as text with its result, so the app can show and edit it.
 *
 * Day counts use `date_diff` on DATEs and scores use window functions only, so no
 * time-zone (ICU) function is needed and DuckDB-WASM gives the same numbers as
 * native DuckDB.
 */
import { ident, literal } from '../sql/quote.ts';
import { orderValuesCte, type OrderSource } from './kpis-sql.ts';
import { fmSql, SEGMENT_RULES, segmentCaseSql, type RfmSegment } from './rfm-rules.ts';

export interface RfmParams {
  /**
   * The reference moment. Only orders before it count, and recency is measured to
   * its calendar day. Default: midnight after the day of the last order in `orders`.
   */
  asOf?: Date;
}

export function checkAsOf(asOf: Date | undefined): void {
  if (asOf !== undefined && !(asOf instanceof Date && Number.isFinite(asOf.getTime()))) {
    throw new RangeError('The reference date must be a valid date.');
  }
}

/**
 * The CTE `as_of(ts)`: the given reference moment, or the day after the last order
 * (its date + 1 day at 00:00, so every order is before it).
 */
export function asOfCte(asOf: Date | undefined): string {
  checkAsOf(asOf);
  if (asOf) return `as_of AS (SELECT ${literal(asOf)} AS ts)`;
  return `as_of AS (
  SELECT CAST(CAST(max(order_ts) AS DATE) + 1 AS TIMESTAMP) AS ts
  FROM ${ident('orders')}
  WHERE customer_id IS NOT NULL AND order_ts IS NOT NULL
)`;
}

/**
 * A 1–5 score that respects ties: 1 + ⌊5 × (rank − 1) ÷ (n − 1)⌋, at most 5, i.e.
 * 1 + ⌊5 × percent_rank⌋ computed in integers. A customer's score says which fifth
 * of the others have a strictly lower value; equal values share one rank, so they
 * always share one score. The lowest value scores 1, the highest 5.
 */
function scoreSql(orderBy: string): string {
  return scoreFrom(`rank() OVER (ORDER BY ${orderBy}) - 1`, 'greatest(count(*) OVER () - 1, 1)');
}

/** The score from rank − 1 (`before`) and n − 1 (at least 1): see {@link scoreSql}. */
function scoreFrom(before: string, nMinusOne: string): string {
  return `least(5, 1 + (5 * (${before})) // ${nMinusOne})::INTEGER`;
}

/**
 * The same score for a value with few distinct values (days, order counts), as a CTE
 * `name(column, score)` with one row per distinct value: rank − 1 = the customers
 * before it = the running count up to it − its own count. Only the distinct values are
 * sorted, not every customer (`rfm_count` holds n − 1, at least 1).
 */
function groupedScoreCte(name: string, column: string, direction: '' | ' DESC', score: string) {
  return `${name} AS (
  SELECT ${column},
    ${scoreFrom(`sum(count(*)) OVER (ORDER BY ${column}${direction}) - count(*)`, 'any_value(c.n1)')} AS ${score}
  FROM rfm_values, rfm_count c
  GROUP BY ${column}
)`;
}

/**
 * The CTEs `order_values`, `as_of`, `rfm_values`, `rfm_scores` and `rfm_segments` (one
 * row per customer with an order before as_of; `rfm_count`, `recency_scores` and
 * `frequency_scores` help score them), without the leading WITH. Orders are
 * read through `order_values` (kpis-sql.ts): one row per order, timed at its first row;
 * with a reference moment, only the rows before it count.
 */
export function rfmCtes(params: RfmParams = {}, source: OrderSource = {}): string {
  checkAsOf(params.asOf);
  return `${orderValuesCte({ to: params.asOf }, source.facts)},
${asOfCte(params.asOf)},
rfm_values AS (
  SELECT any_value(o.customer_id) AS customer_id,
    max(o.order_ts) AS last_order_ts,
    date_diff('day', CAST(max(o.order_ts) AS DATE), CAST(any_value(a.ts) AS DATE)) AS recency_days,
    count(*) AS frequency,
    coalesce(sum(o.order_value), 0) AS monetary
  FROM order_values o, as_of a
  WHERE o.order_ts < a.ts
  GROUP BY o.customer_key
),
rfm_count AS (SELECT greatest(count(*) - 1, 1) AS n1 FROM rfm_values),
-- recency: fewer days scores higher
${groupedScoreCte('recency_scores', 'recency_days', ' DESC', 'r')},
${groupedScoreCte('frequency_scores', 'frequency', '', 'f')},
rfm_scores AS (
  SELECT v.*, rs.r, fs.f,
    -- rounded so that float noise in a sum (0.1 + 0.2) cannot break a tie
    ${scoreSql('round(v.monetary, 6)')} AS m
  FROM rfm_values v
  JOIN recency_scores rs USING (recency_days)
  JOIN frequency_scores fs USING (frequency)
),
rfm_segments AS MATERIALIZED (
  SELECT *, ${segmentCaseSql('r', 'fm')} AS segment
  FROM (SELECT *, ${fmSql('f', 'm')}::INTEGER AS fm FROM rfm_scores)
)`;
}

/** Whether `name` is one of the RFM segments. */
export function isRfmSegment(name: string): name is RfmSegment {
  return SEGMENT_RULES.some((x) => x.segment === name);
}

/**
 * One row per customer for export: customer_id, last_order_ts, recency_days,
 * frequency, monetary (total spend), the scores r, f, m, fm and the segment;
 * only the customers of `segment` when given. Largest spend first.
 */
export function rfmCustomersSql(
  params: RfmParams = {},
  segment?: RfmSegment,
  source: OrderSource = {},
): string {
  if (segment !== undefined && !isRfmSegment(segment)) {
    throw new RangeError(`There is no RFM segment called “${segment}”.`);
  }
  const where = segment === undefined ? '' : `\nWHERE segment = ${literal(segment)}`;
  return `WITH ${rfmCtes(params, source)}
SELECT customer_id::VARCHAR AS customer_id, last_order_ts::TIMESTAMP AS last_order_ts,
  recency_days::INTEGER AS recency_days, frequency::INTEGER AS frequency,
  monetary::DOUBLE AS monetary, r, f, m, fm, segment::VARCHAR AS segment
FROM rfm_segments${where}
ORDER BY monetary DESC, customer_id`;
}

/**
 * One row per segment, in the order of SEGMENT_RULES and including empty ones:
 * customers, share of customers (%), revenue (Σ monetary), share of revenue (%),
 * mean recency, frequency and monetary, and the reference moment as_of.
 */
export function rfmSegmentsSql(params: RfmParams = {}, source: OrderSource = {}): string {
  return `WITH ${rfmCtes(params, source)},
${segmentsCtes()}
SELECT * EXCLUDE (segment_position) FROM segment_rows ORDER BY segment_position`;
}

/** The CTEs `rules`, `totals`, `per_segment` and `segment_rows` over `rfm_segments`. */
function segmentsCtes(): string {
  const rules = SEGMENT_RULES.map((x, i) => `(${literal(x.segment)}, ${i + 1})`).join(', ');
  return `rules(segment, position) AS (VALUES ${rules}),
totals AS (SELECT count(*) AS customers, sum(monetary) AS revenue FROM rfm_segments),
per_segment AS (
  SELECT segment, count(*) AS customers, sum(monetary) AS revenue,
    avg(recency_days) AS avg_recency, avg(frequency) AS avg_frequency, avg(monetary) AS avg_monetary
  FROM rfm_segments GROUP BY segment
),
segment_rows AS (
SELECT s.segment::VARCHAR AS segment,
  coalesce(p.customers, 0)::INTEGER AS customers,
  (100.0 * coalesce(p.customers, 0) / NULLIF(t.customers, 0))::DOUBLE AS share,
  coalesce(p.revenue, 0)::DOUBLE AS revenue,
  (100.0 * coalesce(p.revenue, 0) / NULLIF(t.revenue, 0))::DOUBLE AS revenue_share,
  p.avg_recency::DOUBLE AS avg_recency, p.avg_frequency::DOUBLE AS avg_frequency,
  p.avg_monetary::DOUBLE AS avg_monetary,
  (SELECT ts FROM as_of)::TIMESTAMP AS as_of, s.position AS segment_position
FROM rules s CROSS JOIN totals t LEFT JOIN per_segment p ON p.segment = s.segment
)`;
}

/**
 * How customers spread over the scores: for each of r, f, m and each score 1–5,
 * the customers with that score and the range of values behind it (recency in
 * days, frequency in orders, monetary in money); empty scores included.
 */
export function rfmScoresSql(params: RfmParams = {}, source: OrderSource = {}): string {
  return `WITH ${rfmCtes(params, source)},
${scoresCtes()}
SELECT * EXCLUDE (score_position) FROM score_rows ORDER BY score_position, score`;
}

/**
 * The rows of {@link rfmSegmentsSql} and of {@link rfmScoresSql} in one statement, the
 * customers scored once: `row_kind` is 'segment' or 'score', each kind in its own order.
 */
export function rfmSegmentsAndScoresSql(params: RfmParams = {}, source: OrderSource = {}): string {
  return `WITH ${rfmCtes(params, source)},
${segmentsCtes()},
${scoresCtes()}
SELECT * FROM (
  SELECT 'segment' AS row_kind, * FROM segment_rows
  UNION ALL BY NAME
  SELECT 'score' AS row_kind, * FROM score_rows
)
ORDER BY row_kind DESC, segment_position, score_position, score`;
}

/** The CTEs `bands`, `grid` and `score_rows` over `rfm_segments`. */
function scoresCtes(): string {
  const band = (score: string, value: string) =>
    `SELECT ${literal(score)} AS score_of, ${score} AS score, count(*) AS customers,
    min(${value}) AS min_value, max(${value}) AS max_value
  FROM rfm_segments GROUP BY ${score}`;
  return `bands AS (
  ${band('r', 'recency_days')}
  UNION ALL ${band('f', 'frequency')}
  UNION ALL ${band('m', 'monetary')}
),
grid AS (
  SELECT k.score_of, k.position, s.score::INTEGER AS score
  FROM (VALUES ('r', 1), ('f', 2), ('m', 3)) k(score_of, position), range(1, 6) s(score)
),
score_rows AS (
SELECT g.score_of::VARCHAR AS score_of, g.score,
  coalesce(b.customers, 0)::INTEGER AS customers,
  b.min_value::DOUBLE AS min_value, b.max_value::DOUBLE AS max_value, g.position AS score_position
FROM grid g LEFT JOIN bands b ON b.score_of = g.score_of AND b.score = g.score
)`;
}
