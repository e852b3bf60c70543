/**
 * Programme lift (DOMAIN.md, "Analyses"): a treatment group against its holdout
 * group, period by period since each member's programme start: the share of
 * customers retained and the revenue per customer, the difference treatment −
 * holdout with a 95 % interval, and the customers per group needed to detect a given
 * lift in retention.
 *
 * - Retention difference: Wald interval and Newcombe's hybrid score interval
 *   (stats/intervals.ts, `proportionDifference`).
 * - Revenue per customer difference: Welch's t interval (`meanDifference`).
 * - Sample size: the two-proportion normal-approximation formula at α = 0.05 and
 *   power 0.8, with the holdout's retention as the baseline
 *   (`sampleSizeTwoProportions`).
 *
 * Rates are fractions (0.3 = 30 %); money is in the mapping's currency.
 */
import { toRows, type Cell } from '../engine/rows.ts';
import type { SqlEngine } from '../engine/types.ts';
import { plural } from '../format.ts';
import {
  meanDifference,
  proportionDifference,
  sampleSizeTwoProportions,
  type Interval,
  type MeanDifference,
} from '../stats/intervals.ts';
import { existingRelations, num } from './kpis-sql.ts';
import {
  checkLiftParams,
  liftGroupsSql,
  liftSql,
  programmesSql,
  type LiftParams,
} from './lift-sql.ts';

export {
  armSql,
  checkLiftParams,
  HOLDOUT_WORDS,
  liftGroupsSql,
  liftSql,
  programmesSql,
  TREATMENT_WORDS,
  type LiftParams,
  type LiftPeriod,
  type RetentionDefinition,
} from './lift-sql.ts';

/** Significance level and power of the sample-size calculation. */
export const ALPHA = 0.05;
export const POWER = 0.8;
/** Below this many members a group's interval is shown with a warning. */
export const SMALL_GROUP = 30;

/** The data do not support a lift analysis; the message says which table or column would. */
export class LiftDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LiftDataError';
  }
}

/** One group in one period since the start. */
export interface GroupPeriod {
  customers: number;
  retained: number;
  /** retained ÷ customers. */
  retention: number;
  revenue: number;
  revenuePerCustomer: number;
  /** Sample standard deviation of revenue per customer. */
  revenueSd: number;
}

/** Period k since the programme start: both groups and their differences. */
export interface LiftPeriodRow {
  /** 1 = the first month (or quarter) after the start. */
  period: number;
  treatment: GroupPeriod;
  holdout: GroupPeriod;
  /** Treatment − holdout retention: the Wald interval (estimate, lower, upper) and Newcombe's. */
  retention: Interval & { se: number; newcombe: Interval };
  /** Treatment − holdout revenue per customer with Welch's interval. */
  revenuePerCustomer: MeanDifference;
  /** Customers per group needed to detect `lift` over this period's holdout retention. */
  sampleSizePerGroup: number | null;
  /** Warnings about this period (small groups, rates near 0 or 1). */
  notes: string[];
}

/** A raw group value as found in the programme table. */
export interface GroupValue {
  programme: string | null;
  value: string | null;
  /** 'treatment', 'holdout', or null when the value is read as neither. */
  group: 'treatment' | 'holdout' | null;
  customers: number;
  withoutStart: number;
}

export interface LiftResult {
  params: Required<Pick<LiftParams, 'period' | 'periods' | 'definition' | 'lift'>> &
    Pick<LiftParams, 'programme'>;
  /** Members per group (before periods are observed); customers in both groups left out. */
  groups: { treatment: number; holdout: number; inBoth: number; withoutStart: number };
  /** Every programme and group value found, for the user to check. */
  values: GroupValue[];
  periods: LiftPeriodRow[];
  /** The sample size for the first period, as a sentence-ready summary. */
  sampleSize: {
    baseline: number | null;
    lift: number;
    alpha: number;
    power: number;
    perGroup: number | null;
  };
  notes: string[];
  sql: { groups: string; lift: string };
}

function group(row: Record<string, Cell>): GroupPeriod {
  const customers = num(row.customers);
  const retained = num(row.retained);
  return {
    customers,
    retained,
    retention: retained / customers,
    revenue: num(row.revenue),
    revenuePerCustomer: num(row.revenue_mean),
    revenueSd: Math.sqrt(num(row.revenue_variance)),
  };
}

/** The comparison of one period's two groups (pure; exported for tests and the CLI). */
export function comparePeriod(
  period: number,
  t: GroupPeriod,
  h: GroupPeriod,
  lift: number,
): LiftPeriodRow {
  const p = proportionDifference(t.retained, t.customers, h.retained, h.customers);
  const sample = (g: GroupPeriod) => ({
    n: g.customers,
    mean: g.revenuePerCustomer,
    variance: g.revenueSd ** 2,
  });
  const notes: string[] = [];
  for (const [name, g] of [
    ['treatment', t],
    ['holdout', h],
  ] as const) {
    if (g.customers < 2) {
      notes.push(
        `The ${name} group has ${plural(g.customers, 'customer')} in period ${period}: no revenue interval can be formed.`,
      );
    } else if (g.customers < SMALL_GROUP) {
      notes.push(
        `The ${name} group has only ${plural(g.customers, 'customer')} in period ${period}: the intervals are wide and rough.`,
      );
    }
    // Wald's normal approximation needs about 5 on each side (retained and not).
    const fewer = Math.min(g.retained, g.customers - g.retained);
    if (g.customers >= 2 && fewer < 5) {
      const side = fewer === g.retained ? 'were retained' : 'were not retained';
      notes.push(
        `Only ${fewer} ${name} customers ${side} in period ${period}: trust Newcombe's interval rather than Wald's.`,
      );
    }
  }
  return {
    period,
    treatment: t,
    holdout: h,
    retention: { ...p.wald, se: p.se, newcombe: p.newcombe },
    revenuePerCustomer: meanDifference(sample(t), sample(h)),
    sampleSizePerGroup: sampleSizeTwoProportions(h.retention, lift, ALPHA, POWER),
    notes,
  };
}

/** Cancelling and progress of a run (the queries run in the engine, a worker in the app). */
export interface LiftRunOptions {
  /** Aborting cancels the running query; the promise rejects with the engine's cancel error. */
  signal?: AbortSignal;
  /** Called with the share done (0…1) and what is being done. */
  onProgress?: (fraction: number, step: string) => void;
}

const REQUIREMENT =
  'Programme lift needs a programme membership table (customer ID and group: treatment or holdout, ideally a start date) and an orders table';

/**
 * Treatment against holdout per period since the programme start; see the module
 * comment for the methods. Throws a {@link LiftDataError} that names the missing table,
 * column or group when the data cannot support the comparison.
 */
export async function programmeLift(
  engine: SqlEngine,
  params: LiftParams = {},
  run: LiftRunOptions = {},
): Promise<LiftResult> {
  checkLiftParams(params);
  const rowsOf = async (text: string) => {
    run.signal?.throwIfAborted();
    return toRows(await engine.query(text, { signal: run.signal }));
  };
  const resolved = {
    period: params.period ?? 'month',
    periods: params.periods ?? 12,
    definition: params.definition ?? 'in-period',
    lift: params.lift ?? 0.05,
    programme: params.programme,
  } as const;
  const present = await existingRelations(engine, ['programme', 'orders']);
  if (!present.has('programme') || !present.has('orders')) {
    const missing = ['programme', 'orders'].filter((x) => !present.has(x));
    throw new LiftDataError(
      `${REQUIREMENT}; no ${missing.join(' or ')} table is mapped. Load it and map it as “${missing[0] === 'programme' ? 'Programme membership' : 'Orders / transactions'}”.`,
    );
  }
  const sql = { groups: liftGroupsSql(params), lift: liftSql(params) };
  run.onProgress?.(0.1, 'Reading the programme groups…');
  const groupRows = await rowsOf(sql.groups);
  const values: GroupValue[] = groupRows.map((r) => ({
    programme: r.programme == null ? null : String(r.programme),
    value: r.group_value == null ? null : String(r.group_value),
    group: (r.arm as GroupValue['group']) ?? null,
    customers: num(r.customers),
    withoutStart: num(r.without_start),
  }));
  const programmes = [...new Set(values.map((v) => v.programme).filter((p) => p !== null))];
  if (params.programme === undefined && programmes.length > 1) {
    throw new LiftDataError(
      `The programme table holds ${programmes.length} programmes (${programmes.map((p) => `“${p}”`).join(', ')}); choose one, so that each is judged against its own holdout.`,
    );
  }
  if (values.length === 0) {
    throw new LiftDataError(
      params.programme === undefined
        ? 'The programme table has no member with a customer ID.'
        : `No member belongs to the programme “${params.programme}”. Programmes found: ${programmes.join(', ') || 'none'}.`,
    );
  }
  const count = (g: 'treatment' | 'holdout') =>
    values.filter((v) => v.group === g).reduce((s, v) => s + v.customers, 0);
  const groups = {
    treatment: count('treatment'),
    holdout: count('holdout'),
    inBoth: groupRows.length ? num(groupRows[0].in_both) : 0,
    withoutStart: values.reduce((s, v) => s + (v.group ? v.withoutStart : 0), 0),
  };
  const unknown = values.filter((v) => v.group === null);
  for (const g of ['treatment', 'holdout'] as const) {
    if (count(g) === 0) {
      const words = g === 'treatment' ? '“treatment” or “test”' : '“holdout” or “control”';
      throw new LiftDataError(
        `The programme table has no ${g} group. Group values found: ${values.map((v) => `“${v.value}” (${plural(v.customers, 'customer')})`).join(', ')}. ` +
          `Mark ${g} members with a value such as ${words}, or name the value that stands for the ${g} group.`,
      );
    }
  }
  const notes: string[] = [];
  if (unknown.length) {
    notes.push(
      `Left out: ${unknown.map((v) => `“${v.value}” (${plural(v.customers, 'customer')})`).join(', ')}, read as neither treatment nor holdout.`,
    );
  }
  if (groups.inBoth) {
    notes.push(`${plural(groups.inBoth, 'customer')} listed in both groups left out.`);
  }
  if (groups.withoutStart && !params.start) {
    notes.push(
      `${plural(groups.withoutStart, 'member')} without a start date left out: map the programme's “Start date” column or give the programme start.`,
    );
  }
  run.onProgress?.(0.3, 'Comparing the groups period by period…');
  const rows = await rowsOf(sql.lift);
  run.signal?.throwIfAborted();
  const byPeriod = new Map<number, { treatment?: GroupPeriod; holdout?: GroupPeriod }>();
  for (const r of rows) {
    const k = num(r.period_index);
    const entry = byPeriod.get(k) ?? {};
    entry[String(r.arm) as 'treatment' | 'holdout'] = group(r);
    byPeriod.set(k, entry);
  }
  const periods: LiftPeriodRow[] = [];
  for (const [k, { treatment, holdout }] of [...byPeriod].sort((a, b) => a[0] - b[0])) {
    if (treatment && holdout) periods.push(comparePeriod(k, treatment, holdout, resolved.lift));
    else
      notes.push(
        `Period ${k} has no ${treatment ? 'holdout' : 'treatment'} customer observed yet, so it is not compared.`,
      );
  }
  if (periods.length === 0) {
    throw new LiftDataError(
      `No ${resolved.period} since the programme start has ended by the last order, so nothing can be compared yet. Load orders that reach at least one ${resolved.period} past the start, or choose a shorter period.`,
    );
  }
  const first = periods[0];
  return {
    params: resolved,
    groups,
    values,
    periods,
    sampleSize: {
      baseline: first.holdout.retention,
      lift: resolved.lift,
      alpha: ALPHA,
      power: POWER,
      perGroup: first.sampleSizePerGroup,
    },
    notes,
    sql,
  };
}

/** The distinct programme names in the `programme` view (for the cell's choice), and the statement. */
export async function listProgrammes(engine: SqlEngine): Promise<string[]> {
  if (!(await existingRelations(engine, ['programme'])).has('programme')) return [];
  const rows = toRows(await engine.query(programmesSql()));
  return rows.map((r) => String(r.programme));
}

/** The per-period comparison as flat rows with plain keys, for CSV export. */
export function liftCsvRows(result: LiftResult): Record<string, number | null>[] {
  return result.periods.map((p) => ({
    period: p.period,
    treatment_customers: p.treatment.customers,
    treatment_retained: p.treatment.retained,
    treatment_retention: p.treatment.retention,
    holdout_customers: p.holdout.customers,
    holdout_retained: p.holdout.retained,
    holdout_retention: p.holdout.retention,
    retention_difference: p.retention.estimate,
    retention_wald_lower: p.retention.lower,
    retention_wald_upper: p.retention.upper,
    retention_newcombe_lower: p.retention.newcombe.lower,
    retention_newcombe_upper: p.retention.newcombe.upper,
    treatment_revenue_per_customer: p.treatment.revenuePerCustomer,
    holdout_revenue_per_customer: p.holdout.revenuePerCustomer,
    revenue_difference: p.revenuePerCustomer.estimate,
    revenue_welch_lower: p.revenuePerCustomer.lower,
    revenue_welch_upper: p.revenuePerCustomer.upper,
    sample_size_per_group: p.sampleSizePerGroup,
  }));
}
