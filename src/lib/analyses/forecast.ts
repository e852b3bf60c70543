/**
 * Scenario forecast (DOMAIN.md, "Analyses"): customers and revenue over the next N
 * periods under the current churn rate and under what-if churn rates.
 *
 * The customer base follows the recursion
 *
 *   C₀ = customers active at the end of the last complete period,
 *   C_{t+1} = C_t · (1 − churn) + new,
 *
 * a deterministic discrete-time stock-and-flow model (the "customer equity" flow of
 * Blattberg & Deighton 1996, "Manage marketing by the customer equity test", HBR,
 * and Gupta, Lehmann & Stuart 2004, "Valuing customers", J. Marketing Research 41:7–18,
 * with constant retention 1 − churn and constant acquisition). Revenue in period t+1 is
 * revenue per customer × the mean base (C_t + C_{t+1}) ÷ 2.
 *
 * The rates are taken from the KPIs per period (kpis-periods.ts), pooled over the last
 * `recent` complete periods with customers at their start:
 * - churn = Σ lost ÷ Σ customers at start (the DOMAIN.md churn rate, as a fraction);
 * - new = mean of the customers gained per period, E − (S − L): first-time buyers plus
 *   returning customers who were inactive at the start. With these, the recursion
 *   reproduces each recent period's end exactly (E = S·(1 − L/S) + gained);
 * - revenue per customer = Σ revenue ÷ Σ (S + E) ÷ 2.
 * Each can be overridden. The forecast's first period is the one after the last
 * complete period.
 */
import { toRows, type Cell } from '../engine/rows.ts';
import type { SqlEngine } from '../engine/types.ts';
import { plural } from '../format.ts';
import { kpisByPeriodSql, type Period, type PeriodKpis } from './kpis-periods.ts';
import { dateOrNull, num } from './kpis-sql.ts';
import { suggestWindow } from './kpis-window.ts';

export interface ForecastParams {
  period?: Period;
  /** Periods to forecast (default 12). */
  periods?: number;
  /** The inactivity window in days; suggested from the data when omitted. */
  windowDays?: number;
  /** Complete periods the current rates are pooled over (default 3). */
  recent?: number;
  /** What-if churn rates per period, as fractions (0.05 = 5 %). */
  whatIf?: number[];
  /** Customers gained per period, instead of the recent average. */
  newPerPeriod?: number;
  /** Revenue per customer per period, instead of the recent figure. */
  revenuePerCustomer?: number;
}

/** The starting point and rates, as taken from the data (before any override). */
export interface ForecastBasis {
  /** The recent complete periods the rates come from (first start, last end). */
  from: Date;
  to: Date;
  periodsUsed: number;
  /** C₀: customers active at the end of the last complete period. */
  customers: number;
  /** Σ lost ÷ Σ customers at start, as a fraction. */
  churnRate: number;
  newCustomers: number;
  returningCustomers: number;
  /** newCustomers + returningCustomers: the `new` of the recursion. */
  gained: number;
  revenuePerCustomer: number;
}

export interface ForecastPeriod {
  start: Date;
  end: Date;
  customersAtStart: number;
  churned: number;
  gained: number;
  customersAtEnd: number;
  revenue: number;
  cumulativeRevenue: number;
}

export interface Scenario {
  /** 'current' (the data's churn rate) or 'what-if'. */
  kind: 'current' | 'what-if';
  churnRate: number;
  periods: ForecastPeriod[];
}

export interface ForecastResult {
  period: Period;
  windowDays: number;
  basis: ForecastBasis;
  /** The inputs of the recursion after overrides. */
  inputs: { customers: number; newPerPeriod: number; revenuePerCustomer: number };
  scenarios: Scenario[];
  notes: string[];
  sql: { window?: string; periods: string };
}

/** Cancelling and progress of a run (the queries run in the engine, a worker in the app). */
export interface ForecastRunOptions {
  /** Aborting cancels the running query; the promise rejects with the engine's cancel error. */
  signal?: AbortSignal;
  /** Called with the share done (0…1) and what is being done. */
  onProgress?: (fraction: number, step: string) => void;
}

const MONTHS: Record<Period, number> = { month: 1, quarter: 3, year: 12 };

/** `start` moved by `k` periods, in UTC calendar months. */
export function addPeriods(start: Date, period: Period, k: number): Date {
  const d = new Date(start.getTime());
  d.setUTCMonth(d.getUTCMonth() + MONTHS[period] * k);
  return d;
}

function checkRate(rate: number, what: string): void {
  if (!(Number.isFinite(rate) && rate >= 0 && rate <= 1)) {
    throw new RangeError(`${what} must be a fraction from 0 to 1 (0.05 = 5 %), not ${rate}.`);
  }
}

/** Check the parameters; throws a RangeError that says what to change. */
export function checkForecastParams(params: ForecastParams): void {
  if (params.period !== undefined && !(params.period in MONTHS)) {
    throw new RangeError(`The period must be month, quarter or year, not “${params.period}”.`);
  }
  for (const [name, n, max] of [
    ['periods to forecast', params.periods, 120],
    ['recent periods', params.recent, 60],
  ] as const) {
    if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= max)) {
      throw new RangeError(
        `The number of ${name} must be a whole number from 1 to ${max}, not ${n}.`,
      );
    }
  }
  for (const rate of params.whatIf ?? []) checkRate(rate, 'A what-if churn rate');
  for (const [name, v] of [
    ['New customers per period', params.newPerPeriod],
    ['Revenue per customer', params.revenuePerCustomer],
  ] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
      throw new RangeError(`${name} must be a number ≥ 0, not ${v}.`);
    }
  }
}

/**
 * The recursion C_{t+1} = C_t·(1 − churn) + gained over `periods` periods from `start`,
 * with revenue = revenuePerCustomer × (C_t + C_{t+1}) ÷ 2 per period. Pure.
 */
export function projectScenario(
  inputs: {
    customers: number;
    churnRate: number;
    newPerPeriod: number;
    revenuePerCustomer: number;
  },
  start: Date,
  period: Period,
  periods: number,
): ForecastPeriod[] {
  checkRate(inputs.churnRate, 'The churn rate');
  const out: ForecastPeriod[] = [];
  let c = inputs.customers;
  let cumulative = 0;
  for (let t = 0; t < periods; t++) {
    const churned = c * inputs.churnRate;
    const next = c - churned + inputs.newPerPeriod;
    const revenue = (inputs.revenuePerCustomer * (c + next)) / 2;
    cumulative += revenue;
    out.push({
      start: addPeriods(start, period, t),
      end: addPeriods(start, period, t + 1),
      customersAtStart: c,
      churned,
      gained: inputs.newPerPeriod,
      customersAtEnd: next,
      revenue,
      cumulativeRevenue: cumulative,
    });
    c = next;
  }
  return out;
}

/** The KPI counts the forecast needs, from one row of {@link kpisByPeriodSql}. */
export type PeriodCounts = Pick<
  PeriodKpis,
  | 'start'
  | 'end'
  | 'partial'
  | 'customersAtStart'
  | 'customersAtEnd'
  | 'lost'
  | 'newCustomers'
  | 'revenue'
>;

function periodCounts(r: Record<string, Cell>): PeriodCounts {
  return {
    start: dateOrNull(r.period_start) as Date,
    end: dateOrNull(r.period_end) as Date,
    partial: r.partial === true,
    customersAtStart: num(r.customers_at_start),
    customersAtEnd: num(r.customers_at_end),
    lost: num(r.lost),
    newCustomers: num(r.new_customers),
    revenue: num(r.revenue),
  };
}

/** The rates of {@link ForecastBasis} from KPI rows (pure; see the module comment). */
export function forecastBasis(rows: PeriodCounts[], recent: number, period: Period): ForecastBasis {
  const complete = rows.filter((r) => !r.partial && r.customersAtStart > 0);
  if (complete.length === 0) {
    throw new RangeError(
      `The orders cover no complete ${period} with active customers at its start, so there is no churn rate to forecast from. Load a longer order history or choose a shorter period.`,
    );
  }
  const used = complete.slice(-recent);
  const sum = (f: (r: PeriodCounts) => number) => used.reduce((s, r) => s + f(r), 0);
  const started = sum((r) => r.customersAtStart);
  const newCustomers = sum((r) => r.newCustomers) / used.length;
  const gained = sum((r) => r.customersAtEnd - r.customersAtStart + r.lost) / used.length;
  const base = sum((r) => (r.customersAtStart + r.customersAtEnd) / 2);
  return {
    from: used[0].start,
    to: used[used.length - 1].end,
    periodsUsed: used.length,
    customers: used[used.length - 1].customersAtEnd,
    churnRate: sum((r) => r.lost) / started,
    newCustomers,
    returningCustomers: gained - newCustomers,
    gained,
    revenuePerCustomer: base > 0 ? sum((r) => r.revenue) / base : 0,
  };
}

/**
 * Customers and revenue over the next periods under the current churn rate (from the
 * KPIs per period) and under each what-if rate; see the module comment for the model.
 */
export async function scenarioForecast(
  engine: SqlEngine,
  params: ForecastParams = {},
  run: ForecastRunOptions = {},
): Promise<ForecastResult> {
  checkForecastParams(params);
  const period = params.period ?? 'month';
  const recent = params.recent ?? 3;
  const sql: ForecastResult['sql'] = { periods: '' };
  let windowDays = params.windowDays;
  if (windowDays === undefined) {
    run.onProgress?.(0.1, 'Suggesting the inactivity window…');
    const suggestion = await suggestWindow(engine);
    windowDays = suggestion.days;
    sql.window = suggestion.sql;
  }
  run.signal?.throwIfAborted();
  run.onProgress?.(0.3, 'Counting customers per period…');
  sql.periods = kpisByPeriodSql({ period, windowDays });
  const rows = toRows(await engine.query(sql.periods, { signal: run.signal }));
  run.signal?.throwIfAborted();
  const basis = forecastBasis(rows.map(periodCounts), recent, period);
  const inputs = {
    customers: basis.customers,
    newPerPeriod: params.newPerPeriod ?? basis.gained,
    revenuePerCustomer: params.revenuePerCustomer ?? basis.revenuePerCustomer,
  };
  const horizon = params.periods ?? 12;
  const scenario = (kind: Scenario['kind'], churnRate: number): Scenario => ({
    kind,
    churnRate,
    periods: projectScenario({ ...inputs, churnRate }, basis.to, period, horizon),
  });
  const notes: string[] = [];
  if (basis.periodsUsed < recent) {
    notes.push(
      `Only ${plural(basis.periodsUsed, `complete ${period}`)} with active customers: the rates come from ${basis.periodsUsed === 1 ? 'it' : 'them'} alone.`,
    );
  }
  return {
    period,
    windowDays,
    basis,
    inputs,
    scenarios: [
      scenario('current', basis.churnRate),
      ...(params.whatIf ?? []).map((r) => scenario('what-if', r)),
    ],
    notes,
    sql,
  };
}
