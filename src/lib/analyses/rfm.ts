/**
 * RFM segmentation (DOMAIN.md, "Analyses"): recency, frequency and monetary value
 * per customer at a reference date, scored 1–5 by quintile, and named segments
 * from the scores (the rules are data, in rfm-rules.ts).
 *
 * - recency = calendar days from the day of the customer's last order to the day
 *   of `asOf` (an order on the day before `asOf` is 1 day old);
 * - frequency = distinct orders (order ids);
 * - monetary = the customer's total spend (Σ amount), not the average order value.
 *
 * Only orders before `asOf` count; by default `asOf` is midnight after the day of
 * the last order, so every order counts and the latest buyers have recency 1.
 *
 * Scores are quintiles that respect ties: score = 1 + ⌊5 × percent_rank⌋, capped at
 * 5, where percent_rank = (rank − 1) ÷ (customers − 1) and rank = 1 + the number of
 * customers with a strictly worse value. Customers with equal values therefore always
 * get equal scores (unlike `ntile(5)`, which splits a tie across two scores by an
 * arbitrary order); the worst value scores 1, the best 5, and fifths are uneven when
 * many customers tie (if a third of them bought once, all of that third get F 1).
 * When every customer has the same value, all score 1. Recency is ranked from the
 * most days to the fewest, so the most recent buyers score highest.
 *
 * Segments use R and FM = round((F + M) ÷ 2), halves rounded up.
 */
import type { SqlEngine } from '../engine/types.ts';
import { dateOrNull, hasOrderFacts, num, numOrNull, queryRows } from './kpis-sql.ts';
import type { RfmSegment } from './rfm-rules.ts';
import {
  rfmCustomersSql,
  rfmScoresSql,
  rfmSegmentsAndScoresSql,
  rfmSegmentsSql,
  type RfmParams,
} from './rfm-sql.ts';

export {
  fmScore,
  fmSql,
  ruleMatches,
  SEGMENT_RULES,
  segmentCaseSql,
  segmentOf,
  type RfmSegment,
  type SegmentRule,
} from './rfm-rules.ts';
export {
  asOfCte,
  isRfmSegment,
  rfmCtes,
  rfmCustomersSql,
  rfmScoresSql,
  rfmSegmentsSql,
  type RfmParams,
} from './rfm-sql.ts';

export interface RfmSegmentSummary {
  segment: RfmSegment;
  customers: number;
  /** customers ÷ all customers × 100. */
  share: number | null;
  /** Σ monetary of the segment's customers. */
  revenue: number;
  /** revenue ÷ all revenue × 100. */
  revenueShare: number | null;
  /** Mean recency in days; null for an empty segment. */
  avgRecency: number | null;
  avgFrequency: number | null;
  avgMonetary: number | null;
}

/** Customers with one score, and the range of values behind it. */
export interface ScoreBand {
  score: number;
  customers: number;
  /** Smallest and largest value (days, orders or money); null when nobody has the score. */
  min: number | null;
  max: number | null;
}

export interface RfmResult {
  /** The reference moment used; null when there are no orders. */
  asOf: Date | null;
  /** Every segment, in the order of SEGMENT_RULES, empty ones included. */
  segments: RfmSegmentSummary[];
  /** For r, f and m: scores 1–5 in order. */
  scores: { r: ScoreBand[]; f: ScoreBand[]; m: ScoreBand[] };
  /** `customers` is the per-customer statement the other two build on. */
  sql: { customers: string; segments: string; scores: string };
}

/** One customer of the RFM table, as exported to CSV. */
export interface RfmCustomer {
  customer_id: string;
  last_order_ts: Date;
  recency_days: number;
  frequency: number;
  /** Total spend. */
  monetary: number;
  r: number;
  f: number;
  m: number;
  fm: number;
  segment: RfmSegment;
}

/** The RFM segments and score distribution at `asOf`; see the module comment for definitions. */
export async function rfm(engine: SqlEngine, params: RfmParams = {}): Promise<RfmResult> {
  const source = { facts: await hasOrderFacts(engine) };
  const sql = {
    customers: rfmCustomersSql(params, undefined, source),
    segments: rfmSegmentsSql(params, source),
    scores: rfmScoresSql(params, source),
  };
  // One statement scores the customers once for both (the two statements shown each do it).
  const both = await queryRows(engine, rfmSegmentsAndScoresSql(params, source));
  const rows = both.filter((x) => x.row_kind === 'segment');
  const segments = rows.map((x) => ({
    segment: String(x.segment) as RfmSegment,
    customers: num(x.customers),
    share: numOrNull(x.share),
    revenue: num(x.revenue),
    revenueShare: numOrNull(x.revenue_share),
    avgRecency: numOrNull(x.avg_recency),
    avgFrequency: numOrNull(x.avg_frequency),
    avgMonetary: numOrNull(x.avg_monetary),
  }));
  const scores: RfmResult['scores'] = { r: [], f: [], m: [] };
  for (const x of both.filter((r) => r.row_kind === 'score')) {
    scores[String(x.score_of) as 'r' | 'f' | 'm'].push({
      score: num(x.score),
      customers: num(x.customers),
      min: numOrNull(x.min_value),
      max: numOrNull(x.max_value),
    });
  }
  return { asOf: rows.length ? dateOrNull(rows[0].as_of) : null, segments, scores, sql };
}

/** The RFM table, one row per customer (of `segment` when given), for CSV export. */
export async function rfmCustomers(
  engine: SqlEngine,
  params: RfmParams = {},
  segment?: RfmSegment,
): Promise<RfmCustomer[]> {
  const source = { facts: await hasOrderFacts(engine) };
  const rows = await queryRows(engine, rfmCustomersSql(params, segment, source));
  return rows as unknown as RfmCustomer[];
}
