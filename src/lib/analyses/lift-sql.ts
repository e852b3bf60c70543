/**
 * The statements of the programme lift analysis (lift.ts), built from the
 * parameters and returned as text with the result, so the app can show and edit them.
 *
 * Periods are counted from each member's own programme start: period k is
 * [start + (k − 1)·step, start + k·step), step one month or three. Only calendar
 * arithmetic on TIMESTAMPs is used (no time-zone function), so DuckDB-WASM and native
 * DuckDB give the same numbers.
 */
import { ident, literal } from '../sql/quote.ts';

/** Relative periods since the programme start. */
export type LiftPeriod = 'month' | 'quarter';

/**
 * What makes a member "retained" in period k:
 * - `in-period`: at least one order in period k itself (active in that period);
 * - `in-or-after`: an order in period k or any time after it, up to the end of the data
 *   (not yet lapsed).
 */
export type RetentionDefinition = 'in-period' | 'in-or-after';

export interface LiftParams {
  period?: LiftPeriod;
  /** The most periods since the start to report (default 12). */
  periods?: number;
  /** Only members of this programme (the `programme` column); all when omitted. */
  programme?: string;
  /** The start for members whose programme row has no start date. */
  start?: Date;
  definition?: RetentionDefinition;
  /** The group value (any case) that marks the treatment group, beyond the usual words. */
  treatmentValue?: string;
  /** The group value (any case) that marks the holdout group, beyond the usual words. */
  holdoutValue?: string;
  /** The absolute lift in retention (0.05 = 5 points) to size the groups for; default 0.05. */
  lift?: number;
}

/** Group values read as the treatment group (compared in lower case, trimmed). */
export const TREATMENT_WORDS = [
  'treatment',
  'treated',
  'test',
  'variant',
  'exposed',
  'intervention',
  'member',
  'members',
];
/** Group values read as the holdout group (compared in lower case, trimmed). */
export const HOLDOUT_WORDS = [
  'holdout',
  'hold-out',
  'hold out',
  'held out',
  'held-out',
  'control',
  'control group',
  'holdout group',
];

const MONTHS: Record<LiftPeriod, number> = { month: 1, quarter: 3 };

/** Check the parameters; throws a RangeError that says what to change. */
export function checkLiftParams(params: LiftParams): void {
  if (params.period !== undefined && !(params.period in MONTHS)) {
    throw new RangeError(`The period must be month or quarter, not “${String(params.period)}”.`);
  }
  const n = params.periods;
  if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= 120)) {
    throw new RangeError(`The number of periods must be a whole number from 1 to 120, not ${n}.`);
  }
  if (params.lift !== undefined && !(params.lift > 0 && params.lift < 1)) {
    throw new RangeError(
      `The lift to detect is an absolute difference in retention between 0 and 1 (0.05 = 5 points), not ${params.lift}.`,
    );
  }
  if (params.start && !Number.isFinite(params.start.getTime())) {
    throw new RangeError('The programme start must be a valid date.');
  }
  const d = params.definition;
  if (d !== undefined && d !== 'in-period' && d !== 'in-or-after') {
    throw new RangeError(`The retention definition must be in-period or in-or-after, not “${d}”.`);
  }
}

/** SQL mapping a raw group value to 'treatment', 'holdout' or NULL. */
export function armSql(column: string, params: LiftParams = {}): string {
  const treatment = [...TREATMENT_WORDS, params.treatmentValue?.trim().toLowerCase()];
  const holdout = [...HOLDOUT_WORDS, params.holdoutValue?.trim().toLowerCase()];
  const list = (words: (string | undefined)[]) =>
    words
      .filter((w): w is string => !!w)
      .map(literal)
      .join(', ');
  const value = `lower(trim(${ident(column)}))`;
  return `CASE WHEN ${value} IN (${list(treatment)}) THEN 'treatment'
    WHEN ${value} IN (${list(holdout)}) THEN 'holdout' END`;
}

function programmeFilter(params: LiftParams): string {
  return params.programme === undefined
    ? ''
    : ` AND ${ident('programme')} = ${literal(params.programme)}`;
}

/**
 * One row per programme and raw group value: how many customers carry it, which group
 * it is read as (NULL when neither), how many have no start date; and on every row the
 * number of customers listed in both groups. Used to check the data before the lift.
 */
export function liftGroupsSql(params: LiftParams = {}): string {
  checkLiftParams(params);
  return `WITH rows AS (
  SELECT customer_id, ${ident('programme')} AS programme, group_name, ${armSql('group_name', params)} AS arm, start_ts
  FROM ${ident('programme')}
  WHERE customer_id IS NOT NULL${programmeFilter(params)}
),
both_groups AS (
  SELECT count(*) AS customers FROM (
    SELECT customer_id FROM rows WHERE arm IS NOT NULL GROUP BY customer_id HAVING count(DISTINCT arm) > 1)
)
SELECT programme::VARCHAR AS programme, group_name::VARCHAR AS group_value, arm::VARCHAR AS arm,
  count(DISTINCT customer_id)::INTEGER AS customers,
  count(DISTINCT customer_id) FILTER (WHERE start_ts IS NULL)::INTEGER AS without_start,
  (SELECT customers FROM both_groups)::INTEGER AS in_both
FROM rows
GROUP BY ALL
ORDER BY programme NULLS LAST, customers DESC, group_value`;
}

/**
 * Per group and period since the start: customers observed (members whose period k
 * has ended by the end of the data, i.e. the day after the last order), retained
 * customers (see {@link RetentionDefinition}), and the revenue per customer in the
 * period (mean, sample variance and total; members without orders count as 0).
 * Members listed in both groups, or without a start date (and no `start` given),
 * are left out.
 */
export function liftSql(params: LiftParams = {}): string {
  checkLiftParams(params);
  const months = MONTHS[params.period ?? 'month'];
  const periods = params.periods ?? 12;
  const start = params.start ? `coalesce(start_ts, ${literal(params.start)})` : 'start_ts';
  const retained =
    (params.definition ?? 'in-period') === 'in-period'
      ? 'count(o.order_ts) FILTER (WHERE o.order_ts < mp.period_end) > 0'
      : 'count(o.order_ts) > 0';
  return `WITH data_end AS (
  -- the day after the last order: a period counts once it has ended by then
  SELECT CAST(CAST(max(order_ts) AS DATE) + 1 AS TIMESTAMP) AS ts
  FROM ${ident('orders')} WHERE customer_id IS NOT NULL AND order_ts IS NOT NULL
),
member_rows AS (
  SELECT customer_id, ${armSql('group_name', params)} AS arm, ${start} AS start_ts
  FROM ${ident('programme')}
  WHERE customer_id IS NOT NULL${programmeFilter(params)}
),
members AS (
  SELECT customer_id, any_value(arm) AS arm, min(start_ts) AS start_ts
  FROM member_rows WHERE arm IS NOT NULL
  GROUP BY customer_id
  HAVING count(DISTINCT arm) = 1 AND min(start_ts) IS NOT NULL
),
member_periods AS (
  SELECT m.customer_id, m.arm, k.k::INTEGER AS period_index,
    m.start_ts + to_months(CAST((k.k - 1) * ${months} AS INTEGER)) AS period_start,
    m.start_ts + to_months(CAST(k.k * ${months} AS INTEGER)) AS period_end
  FROM members m, range(1, ${periods + 1}) k(k), data_end e
  WHERE m.start_ts + to_months(CAST(k.k * ${months} AS INTEGER)) <= e.ts
),
per_member AS (
  SELECT mp.arm, mp.period_index, mp.customer_id,
    coalesce(sum(o.amount) FILTER (WHERE o.order_ts < mp.period_end), 0) AS revenue,
    ${retained} AS retained
  FROM member_periods mp
  LEFT JOIN ${ident('orders')} o ON o.customer_id = mp.customer_id AND o.order_ts >= mp.period_start
  GROUP BY mp.arm, mp.period_index, mp.customer_id
)
SELECT period_index, arm::VARCHAR AS arm,
  count(*)::INTEGER AS customers,
  count(*) FILTER (WHERE retained)::INTEGER AS retained,
  avg(revenue)::DOUBLE AS revenue_mean,
  coalesce(var_samp(revenue), 0)::DOUBLE AS revenue_variance,
  sum(revenue)::DOUBLE AS revenue
FROM per_member
GROUP BY period_index, arm
ORDER BY period_index, arm`;
}

/** The distinct programme names, in order. */
export function programmesSql(): string {
  return `SELECT DISTINCT ${ident('programme')}::VARCHAR AS programme FROM ${ident('programme')}
WHERE ${ident('programme')} IS NOT NULL ORDER BY 1`;
}
