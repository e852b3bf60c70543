/**
 * The inactivity window that defines "churned" where nobody cancels (DOMAIN.md,
 * "Metrics"), suggested from the gaps between a customer's purchases.
 */
import type { SqlEngine } from '../engine/types.ts';
import { plural } from '../format.ts';
import { literal } from '../sql/quote.ts';
import {
  checkDateRange,
  hasOrderFacts,
  num,
  orderValuesCte,
  queryRows,
  round,
  type DateRange,
  type OrderSource,
} from './kpis-sql.ts';

/** The percentile of inter-purchase gaps used as the suggested inactivity window. */
export const WINDOW_PERCENTILE = 90;
/** The window used when no customer bought on two different days. */
export const FALLBACK_WINDOW_DAYS = 365;
export interface WindowSuggestion {
  /** The suggested window in whole days (at least 1). */
  days: number;
  /** The percentile used (90). */
  percentile: number;
  /** Number of inter-purchase gaps the percentile was taken over. */
  gaps: number;
  /** The percentile itself, before rounding up; null without gaps. */
  percentileDays: number | null;
  /** How the window was chosen, as a sentence for the user. */
  method: string;
  sql: string;
}

/**
 * Gaps in whole days between consecutive *distinct* purchase days of the same
 * customer (the calendar days of their orders, each timed at its first row; several
 * orders on one day make one purchase day), and their 90th percentile by linear
 * interpolation (`quantile_cont`), rounded up.
 *
 * A customer's orders in time order have non-decreasing days, so the gaps between
 * distinct purchase days are exactly the non-zero day differences between each order
 * and the one before it (`previous_ts`): no regrouping by day and no window is needed.
 */
export function suggestWindowSql(
  range: DateRange = {},
  { facts = false }: OrderSource = {},
): string {
  const p = literal(WINDOW_PERCENTILE / 100);
  return `WITH ${orderValuesCte(range, facts)},
gaps AS (
  SELECT date_diff('day', CAST(previous_ts AS DATE), CAST(order_ts AS DATE)) AS gap_days
  FROM order_values
  WHERE CAST(previous_ts AS DATE) < CAST(order_ts AS DATE)
)
SELECT count(gap_days)::INTEGER AS gaps,
  quantile_cont(gap_days, ${p})::DOUBLE AS percentile_days,
  -- round first so that float noise (9.0000000001) does not add a day
  greatest(1, ceil(round(quantile_cont(gap_days, ${p}), 6)))::INTEGER AS window_days
FROM gaps`;
}

/**
 * The inactivity window that defines "churned" where nobody cancels (DOMAIN.md):
 * the 90th percentile of the gaps in days between consecutive purchase days of the
 * same customer, rounded up to whole days and at least 1; 365 days when no customer
 * bought on two different days.
 */
export async function suggestWindow(
  engine: SqlEngine,
  range: DateRange = {},
): Promise<WindowSuggestion> {
  checkDateRange(range);
  const sql = suggestWindowSql(range, { facts: await hasOrderFacts(engine) });
  const [row] = await queryRows(engine, sql);
  const gaps = num(row.gaps);
  if (gaps === 0) {
    return {
      days: FALLBACK_WINDOW_DAYS,
      percentile: WINDOW_PERCENTILE,
      gaps: 0,
      percentileDays: null,
      method:
        `No customer bought on two different days, so there are no gaps between purchases ` +
        `to learn from; the window falls back to ${FALLBACK_WINDOW_DAYS} days.`,
      sql,
    };
  }
  const days = num(row.window_days);
  const percentileDays = num(row.percentile_days);
  return {
    days,
    percentile: WINDOW_PERCENTILE,
    gaps,
    percentileDays,
    method:
      `The ${WINDOW_PERCENTILE}th percentile of the ${plural(gaps, 'gap')} between one ` +
      `purchase day and the same customer's next is ${round(percentileDays)} days, rounded ` +
      `up to ${plural(days, 'day')}: about 9 in 10 repeat purchases come sooner, so a ` +
      `customer silent for longer is counted as churned.`,
    sql,
  };
}
