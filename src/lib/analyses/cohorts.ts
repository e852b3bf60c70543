/**
 * Cohort retention (DOMAIN.md, "Analyses"): customers grouped by the calendar period
 * in which they first bought (or signed up), followed period by period; customer and
 * revenue retention and the cumulative revenue (LTV) curve, per cohort and as a
 * size-weighted average, optionally split by a customer attribute or first purchase.
 *
 * Definitions (grain G = week, month or quarter):
 *
 * - Orders: a customer's distinct order_id, timed at its earliest row and worth the
 *   sum of its rows' amounts (as in the KPIs).
 * - Anchor: basis 'first_purchase' (default) = the customer's first order; 'signup' =
 *   customers.signup_ts (the earliest, if a customer has several rows). Customers
 *   without an anchor are in no cohort. `from` / `to` keep the customers whose anchor
 *   lies in [from, to); they never filter the orders that are followed.
 * - Cohort: date_trunc(G, anchor). Weeks start on Monday, quarters on Jan/Apr/Jul/Oct 1.
 *   size = customers in the cohort (and slice).
 * - Period k of an order = date_diff(G, cohort, date_trunc(G, order_ts)): calendar
 *   periods between the cohort's period and the order's, not elapsed time (an order on
 *   2024-01-31 23:59:59 by a January customer is month 0; one on 2024-02-01 is month 1).
 *   k = 0 is the cohort's own period. Orders before the anchor (possible with signup)
 *   are not followed.
 * - active(k) = customers of the cohort with ≥ 1 order in period k; activeOrLater(k) =
 *   with ≥ 1 order in period k or any later one (up to the end of the data, also beyond
 *   maxPeriods). retention = active ÷ size; retentionOrLater = activeOrLater ÷ size.
 * - revenue(k) = value of the cohort's orders in period k; revenueRetention = revenue(k)
 *   ÷ revenue(0) (null when revenue(0) is 0); cumulativeRevenuePerCustomer (the LTV
 *   curve) = revenue(0 … k) ÷ size.
 * - Which periods are emitted: k = 0 … min(K, maxPeriods − 1), K = the period holding
 *   the last order in `orders`. Nothing past the data's end (no invented zeros); a
 *   period without orders inside the data gives active 0.
 * - Cell partial: the order data does not cover the whole period: the last order's day
 *   is before the period's last day (or the first order's day after its first day).
 *   Partial cells are emitted, flagged, so a chart draws them hollow, not as a drop.
 * - Cohort partial: its own period is not wholly observed: it starts before the first
 *   anchor's day or `from`, or ends after the last order's day or `to`.
 * - Slices (sliceBy): a customers column (acquisition_source, region, plan, attr_*;
 *   the smallest non-blank value if a customer has several rows), or first_product /
 *   first_category / first_channel: the value on the largest line of the customer's
 *   first order (ties: lower order_id, then a non-blank value, alphabetically). NULL,
 *   blank or missing values form the slice '(unknown)'. Without sliceBy, slice is null.
 * - Average (per slice and period k): over the cohorts whose cell k is complete,
 *   retention = Σ active ÷ Σ size, retentionOrLater = Σ activeOrLater ÷ Σ size, ltv =
 *   Σ cumulative revenue ÷ Σ size (all size-weighted means of the cohorts' values), and
 *   revenueRetention = Σ revenue(k) ÷ Σ revenue(0) (weighted by period-0 revenue).
 *   When every cell k is partial, those partial cells are averaged and the row is
 *   flagged partial.
 */
import type { SqlEngine } from '../engine/types.ts';
import {
  dateOrNull,
  existingRelations,
  hasOrderFacts,
  num,
  numOrNull,
  queryRows,
} from './kpis-sql.ts';
import {
  cohortAverageSql,
  cohortSql,
  cohortWithAverageSql,
  customerColumnsSql,
  isCustomerSlice,
  signupCountSql,
  type CohortBasis,
  type CohortGrain,
  type CohortParams,
} from './cohorts-sql.ts';

export {
  checkSlice,
  cohortAverageSql,
  cohortSql,
  CUSTOMER_SLICES,
  customerColumnsSql,
  DEFAULT_MAX_PERIODS,
  FIRST_ORDER_SLICES,
  signupCountSql,
  UNKNOWN_SLICE,
  type CohortBasis,
  type CohortGrain,
  type CohortParams,
} from './cohorts-sql.ts';

export interface Cohort {
  /** First instant of the cohort's period. */
  cohort: Date;
  slice: string | null;
  size: number;
  partial: boolean;
}

export interface CohortCell {
  cohort: Date;
  slice: string | null;
  /** 0 = the cohort's own period. */
  period: number;
  active: number;
  activeOrLater: number;
  revenue: number;
  /** revenue of periods 0 … k. */
  cumulativeRevenue: number;
  retention: number;
  retentionOrLater: number;
  /** Null when the cohort's period-0 revenue is 0. */
  revenueRetention: number | null;
  cumulativeRevenuePerCustomer: number;
  partial: boolean;
}

export interface CohortAverage {
  slice: string | null;
  period: number;
  retention: number;
  retentionOrLater: number;
  revenueRetention: number | null;
  ltv: number;
  /** How many cohorts contribute. */
  cohorts: number;
  partial: boolean;
}

export interface CohortResult {
  grain: CohortGrain;
  basis: CohortBasis;
  sliceBy: string | null;
  cohorts: Cohort[];
  cells: CohortCell[];
  average: CohortAverage[];
  /** The cells statement ({@link cohortSql}). */
  sql: string;
  /** The average statement ({@link cohortAverageSql}). */
  averageSql: string;
}

/**
 * Cohort retention, revenue retention and LTV per cohort (and slice) and period, plus
 * the average curve. See the module comment for every definition. Throws with a
 * sentence for the user when the data cannot answer (no orders; signup basis without
 * signup dates; a slice column the customers table lacks).
 */
export async function cohortAnalysis(
  engine: SqlEngine,
  params: CohortParams,
): Promise<CohortResult> {
  const basis = params.basis ?? 'first_purchase';
  const sliceBy = params.sliceBy || null;
  await checkData(engine, basis, sliceBy);
  const source = { facts: await hasOrderFacts(engine) };
  const sql = cohortSql(params, source);
  const averageSql = cohortAverageSql(params, source);

  // One statement computes the cells once for both (the two statements shown each do it).
  const both = await queryRows(engine, cohortWithAverageSql(params, source));
  const rows = both.filter((r) => r.row_kind === 'cell');
  const cells: CohortCell[] = [];
  const cohorts: Cohort[] = [];
  for (const r of rows) {
    const cohort = dateOrNull(r.cohort) as Date;
    const slice = r.slice == null ? null : String(r.slice);
    if (num(r.period) === 0) {
      cohorts.push({ cohort, slice, size: num(r.cohort_size), partial: r.cohort_partial === true });
    }
    cells.push({
      cohort,
      slice,
      period: num(r.period),
      active: num(r.active),
      activeOrLater: num(r.active_or_later),
      revenue: num(r.revenue),
      cumulativeRevenue: num(r.cumulative_revenue),
      retention: num(r.retention),
      retentionOrLater: num(r.retention_or_later),
      revenueRetention: numOrNull(r.revenue_retention),
      cumulativeRevenuePerCustomer: num(r.cumulative_revenue_per_customer),
      partial: r.partial === true,
    });
  }
  const average = both
    .filter((r) => r.row_kind === 'average')
    .map((r): CohortAverage => ({
      slice: r.slice == null ? null : String(r.slice),
      period: num(r.period),
      retention: num(r.retention),
      retentionOrLater: num(r.retention_or_later),
      revenueRetention: numOrNull(r.revenue_retention),
      ltv: num(r.ltv),
      cohorts: num(r.cohorts),
      partial: r.partial === true,
    }));
  return { grain: params.grain, basis, sliceBy, cohorts, cells, average, sql, averageSql };
}

async function checkData(engine: SqlEngine, basis: CohortBasis, sliceBy: string | null) {
  const relations = await existingRelations(engine, ['orders', 'customers']);
  if (!relations.has('orders')) {
    throw new Error(
      'Cohorts need an orders table: map one with customer ID, order date and amount.',
    );
  }
  const needsCustomers = basis === 'signup' || (sliceBy !== null && isCustomerSlice(sliceBy));
  if (!needsCustomers) return;
  const why = basis === 'signup' ? 'Signup cohorts need' : `Splitting cohorts by ${sliceBy} needs`;
  if (!relations.has('customers')) {
    throw new Error(`${why} a customers table, and none is mapped.`);
  }
  const columns = new Set(
    (await queryRows(engine, customerColumnsSql())).map((r) => String(r.name)),
  );
  if (sliceBy !== null && isCustomerSlice(sliceBy) && !columns.has(sliceBy)) {
    throw new Error(`Splitting cohorts by ${sliceBy} needs that column in the customers table.`);
  }
  if (basis === 'signup') {
    const [row] = columns.has('signup_ts') ? await queryRows(engine, signupCountSql()) : [];
    if (!row || num(row.signups) === 0) {
      throw new Error(
        'Signup cohorts need signup dates, and no customer has one: map a signup date in the customers table, or build cohorts by first purchase.',
      );
    }
  }
}
