/**
 * The statements of the journeys analysis (journeys.ts). Steps are built in SQL with
 * window functions only (lag, row_number, lead), so both engines give the same paths.
 */
import { ident, literal } from '../sql/quote.ts';
import { beforeBound } from './nps-outcomes.ts';

/** The step that stands for every event name rarer than the minimum share. */
export const OTHER_STEP = 'Other';
/** Final nodes: where each journey ends. */
export const CHURNED = 'Churned';
export const RETAINED = 'Retained';
/** How path steps are joined in the paths table. */
export const PATH_SEPARATOR = ' → ';

export interface JourneySqlParams {
  steps: number;
  minShare: number;
}

/**
 * The CTEs up to `kept(customer_id, churned, k, step)`, after `outcomes`:
 * 1. the labelled customers' events before their bound, ordered by time (then name,
 *    so simultaneous events have one fixed order);
 * 2. event names reached by fewer than minShare × (customers with events) customers
 *    become "Other";
 * 3. a step equal to the one before it is dropped (login, login, buy → login, buy),
 *    after the renaming, so two different rare events in a row are one "Other";
 * 4. the first `steps` steps are kept (k = 1…steps).
 */
export function journeyStepsCtes(outcomesCte: string, p: JourneySqlParams): string {
  return `${outcomesCte},
raw AS (
  SELECT o.customer_id, o.churned, e.event_ts, e.event_name::VARCHAR AS event_name
  FROM outcomes o JOIN ${ident('events')} e ON e.customer_id::VARCHAR = o.customer_id
  WHERE e.event_name IS NOT NULL AND e.event_ts IS NOT NULL AND ${beforeBound('e.event_ts')}
),
reach AS (SELECT event_name, count(DISTINCT customer_id) AS customers FROM raw GROUP BY event_name),
total AS (SELECT count(DISTINCT customer_id) AS customers FROM raw),
named AS (
  SELECT r.customer_id, r.churned, r.event_ts, r.event_name,
    CASE WHEN x.customers < ${literal(p.minShare)} * t.customers THEN ${literal(OTHER_STEP)}
      ELSE r.event_name END AS step
  FROM raw r JOIN reach x ON x.event_name = r.event_name, total t
),
ordered AS (
  SELECT *, lag(step) OVER (PARTITION BY customer_id ORDER BY event_ts, event_name) AS previous
  FROM named
),
collapsed AS (
  SELECT customer_id, churned, step,
    row_number() OVER (PARTITION BY customer_id ORDER BY event_ts, event_name) AS k
  FROM ordered WHERE previous IS NULL OR previous <> step
),
kept AS (SELECT customer_id, churned, k, step FROM collapsed WHERE k <= ${literal(p.steps)})`;
}

const outcome = `CASE WHEN churned = 1 THEN ${literal(CHURNED)} ELSE ${literal(RETAINED)} END`;

/**
 * The Sankey links: from step k to step k + 1 (final = false), or from a customer's
 * last kept step to Churned / Retained (final = true), with customers per link.
 */
export function journeyLinksSql(outcomesCte: string, p: JourneySqlParams): string {
  return `WITH ${journeyStepsCtes(outcomesCte, p)}
SELECT k::INTEGER AS k, step::VARCHAR AS source, coalesce(next, ${outcome})::VARCHAR AS target,
  (next IS NULL) AS final, count(*)::INTEGER AS customers
FROM (SELECT *, lead(step) OVER (PARTITION BY customer_id ORDER BY k) AS next FROM kept)
GROUP BY ALL
ORDER BY k, customers DESC, source, target`;
}

/** The most frequent paths (first steps joined by PATH_SEPARATOR) with customers, churned and churn rate (%). */
export function journeyPathsSql(outcomesCte: string, p: JourneySqlParams, top: number): string {
  return `WITH ${journeyStepsCtes(outcomesCte, p)},
paths AS (
  SELECT customer_id, any_value(churned) AS churned,
    string_agg(step, ${literal(PATH_SEPARATOR)} ORDER BY k) AS path, count(*) AS steps
  FROM kept GROUP BY customer_id
)
SELECT path::VARCHAR AS path, any_value(steps)::INTEGER AS steps, count(*)::INTEGER AS customers,
  sum(churned)::INTEGER AS churned, (100.0 * sum(churned) / count(*))::DOUBLE AS churn_rate
FROM paths
GROUP BY path
ORDER BY customers DESC, path
LIMIT ${literal(top)}`;
}

/** Customers with a journey, churned among them, and event names grouped into "Other". */
export function journeySummarySql(outcomesCte: string, p: JourneySqlParams): string {
  return `WITH ${journeyStepsCtes(outcomesCte, p)}
SELECT (SELECT count(DISTINCT customer_id) FROM kept)::INTEGER AS customers,
  (SELECT count(*) FROM (SELECT DISTINCT customer_id, churned FROM kept) WHERE churned = 1)::INTEGER AS churned,
  (SELECT count(*) FROM reach, total WHERE reach.customers < ${literal(p.minShare)} * total.customers)::INTEGER AS grouped_events,
  (SELECT count(*) FROM reach)::INTEGER AS event_names`;
}
