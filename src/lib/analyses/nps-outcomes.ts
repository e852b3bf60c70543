/**
 * Who churned, and up to when their history counts: the outcome that the NPS
 * antecedents (nps.ts) and the journeys (journeys.ts) relate feedback and events to.
 *
 * The label is the churn model's (src/lib/churn/features.ts, reused, not copied):
 * - **column**: the mapped churn flag of the customers table. A customer's history
 *   counts strictly before their churn date when one is mapped (so feedback given
 *   after leaving cannot "explain" leaving), and strictly before the cut-off when one
 *   is given; otherwise all of it counts.
 * - **derived**: no flag, so a customer who bought before the cut-off C and made no
 *   purchase in [C, C + W) churned. Only history strictly before C counts.
 */
import type { SqlEngine } from '../engine/types.ts';
import {
  DEFAULT_WINDOW_DAYS,
  featureSources,
  planFeatures,
  type LabelSource,
} from '../churn/features.ts';
import { ident, literal } from '../sql/quote.ts';

export interface OutcomeParams {
  /** Derived labels: the cut-off (default: last order − window). Column labels: an optional extra bound. */
  cutoff?: Date;
  /** Derived labels: days after the cut-off in which a purchase means "retained". Default 90. */
  windowDays?: number;
}

export interface OutcomePlan {
  label: LabelSource;
  cutoff: Date | null;
  windowDays: number;
  /** A sentence saying what "churned" and "before" mean here. */
  explanation: string;
  /**
   * The CTE `outcomes(customer_id, churned, before_ts)`, without WITH: one row per
   * labelled customer, churned 1 or 0, and the instant their history must precede
   * (NULL: all of it counts).
   */
  cte: string;
}

/** SQL: whether `column` (a timestamp) lies before the customer's bound in `outcomes o`. */
export function beforeBound(column: string): string {
  return `(o.before_ts IS NULL OR ${column} < o.before_ts)`;
}

/**
 * Plan the churn outcome for the loaded data. Throws a RangeError saying which table
 * or column would enable it when there is neither a churn flag nor orders to derive one.
 */
export async function planOutcomes(
  engine: SqlEngine,
  params: OutcomeParams = {},
): Promise<OutcomePlan> {
  const sources = await featureSources(engine);
  let plan;
  try {
    plan = planFeatures(sources, {
      label: 'auto',
      cutoff: params.cutoff,
      windowDays: params.windowDays ?? DEFAULT_WINDOW_DAYS,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new RangeError(`To relate feedback and events to churn: ${message}`);
  }
  const labels = `(${plan.trainSql}) l`;
  if (plan.label === 'derived') {
    return {
      label: plan.label,
      cutoff: plan.cutoff,
      windowDays: plan.windowDays,
      explanation: `${plan.explanation.split(' Features use')[0]} Feedback and events count only before the cut-off.`,
      cte: `outcomes AS (
  SELECT l.customer_id::VARCHAR AS customer_id, l.label::INTEGER AS churned,
    ${literal(plan.cutoff!)} AS before_ts
  FROM ${labels}
)`,
    };
  }
  const cutoff = params.cutoff ?? null;
  const churnTs = 'c.churn_ts';
  const bound = cutoff
    ? `CASE WHEN ${churnTs} IS NOT NULL AND ${churnTs} < ${literal(cutoff)} THEN ${churnTs} ELSE ${literal(cutoff)} END`
    : churnTs;
  return {
    label: plan.label,
    cutoff,
    windowDays: plan.windowDays,
    explanation: `Churn is the mapped churn column of the customers table. Feedback and events count only before the customer's churn date (when it is mapped)${cutoff ? ` and before ${cutoff.toISOString().slice(0, 10)}` : ''}.`,
    cte: `outcomes AS (
  SELECT l.customer_id::VARCHAR AS customer_id, l.label::INTEGER AS churned, ${bound} AS before_ts
  FROM ${labels}
  LEFT JOIN (
    SELECT customer_id::VARCHAR AS customer_id, min(churn_ts) AS churn_ts
    FROM ${ident('customers')} GROUP BY 1
  ) c ON c.customer_id = l.customer_id::VARCHAR
)`,
  };
}
