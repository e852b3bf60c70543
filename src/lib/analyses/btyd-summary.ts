/**
 * The per-customer summary that "buy till you die" models are fitted to
 * (DOMAIN.md, "Customer future value"): BG/NBD (Fader, Hardie & Lee 2005, Marketing
 * Science 24(2)) takes (x, t_x, T), Gamma-Gamma (Fader & Hardie 2013) takes (x, zbar).
 *
 * The rule reproduces the published CDNOW summaries exactly (data/cdnow/SOURCE.md):
 * purchases are collapsed to calendar days (several orders on one day are one
 * transaction worth their sum); only days up to and including the calibration end
 * count; x = distinct purchase days − 1, t_x = (last − first purchase day) and
 * T = (calibration end − first purchase day), in units; zbar = the mean of the
 * repeat day totals (every day but the first), 0 when x = 0. Zero-amount rows are
 * kept wherever the `orders` view keeps them: they still time a purchase.
 *
 * Day counts come from `date_diff` on DATE, so no time-zone (ICU) function is
 * needed and DuckDB-WASM gives the same numbers as native DuckDB.
 */
import type { SqlEngine } from '../engine/types.ts';
import { ident, literal } from '../sql/quote.ts';
import { num, queryRows } from './kpis-sql.ts';

export type SummaryUnit = 'day' | 'week' | 'month';

/** Days per unit. A month is the mean Gregorian month, 365.25 ÷ 12 = 30.4375 days. */
export const UNIT_DAYS: Record<SummaryUnit, number> = { day: 1, week: 7, month: 30.4375 };

export interface CustomerSummaryParams {
  unit: SummaryUnit;
  /**
   * The last day of the calibration period, included whole: its UTC calendar day is
   * taken, so any time of day on it gives the same summary.
   */
  calibrationEnd: Date;
}

export interface CustomerSummaryRow {
  customer_id: string;
  /** Repeat purchases: distinct purchase days in calibration − 1. */
  x: number;
  /** Recency: last − first purchase day, in units. */
  t_x: number;
  /** Age: calibration end − first purchase day, in units. */
  T: number;
  /** Mean of the repeat day totals (the first day excluded); 0 when x = 0. */
  zbar: number;
}

export interface CustomerSummary {
  rows: CustomerSummaryRow[];
  unit: SummaryUnit;
  unitDays: number;
  /** The calibration end as the calendar day used, YYYY-MM-DD. */
  calibrationEnd: string;
  sql: string;
}

function checkParams({ unit, calibrationEnd }: CustomerSummaryParams): void {
  if (!Object.hasOwn(UNIT_DAYS, unit)) {
    throw new RangeError(`The time unit must be day, week or month, not ${String(unit)}.`);
  }
  if (!(calibrationEnd instanceof Date) || Number.isNaN(calibrationEnd.getTime())) {
    throw new RangeError('The calibration end must be a valid date.');
  }
}

const endDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * One row per customer whose first purchase is on or before the calibration end,
 * ordered by customer_id. See the module comment for the definitions.
 */
export function customerSummarySql(params: CustomerSummaryParams): string {
  checkParams(params);
  const end = `CAST(${literal(endDay(params.calibrationEnd))} AS DATE)`;
  const unit = literal(UNIT_DAYS[params.unit]);
  return `WITH purchase_days AS (
  SELECT customer_id, CAST(order_ts AS DATE) AS day, sum(amount) AS day_total
  FROM ${ident('orders')}
  WHERE customer_id IS NOT NULL AND order_ts IS NOT NULL AND CAST(order_ts AS DATE) <= ${end}
  GROUP BY customer_id, CAST(order_ts AS DATE)
)
SELECT customer_id::VARCHAR AS customer_id,
  (count(*) - 1)::INTEGER AS x,
  (date_diff('day', min(day), max(day)) / ${unit})::DOUBLE AS t_x,
  (date_diff('day', min(day), ${end}) / ${unit})::DOUBLE AS "T",
  -- the mean of the repeat days' totals: all days' totals less the first day's (blank
  -- totals left out), in the same pass instead of a window marking the first day
  coalesce((sum(day_total) - coalesce(arg_min_null(day_total, day), 0))
    / NULLIF(count(day_total) - CASE WHEN arg_min_null(day_total, day) IS NULL THEN 0 ELSE 1 END, 0), 0)::DOUBLE AS zbar
FROM purchase_days
GROUP BY customer_id
ORDER BY customer_id`;
}

/** The BTYD customer summary over the canonical `orders` view; see {@link customerSummarySql}. */
export async function customerSummary(
  engine: SqlEngine,
  params: CustomerSummaryParams,
): Promise<CustomerSummary> {
  const sql = customerSummarySql(params);
  const rows = (await queryRows(engine, sql)).map((r) => ({
    customer_id: String(r.customer_id),
    x: num(r.x),
    t_x: num(r.t_x),
    T: num(r.T),
    zbar: num(r.zbar),
  }));
  return {
    rows,
    unit: params.unit,
    unitDays: UNIT_DAYS[params.unit],
    calibrationEnd: endDay(params.calibrationEnd),
    sql,
  };
}
