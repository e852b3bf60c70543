/**
 * Survival analysis of time to churn (issue 7): Kaplan–Meier curves (Kaplan & Meier
 * 1958) with 95 % log-log bands, median survival with its Brookmeyer & Crowley (1982)
 * interval, survival at fixed times, and the log-rank test (Mantel 1966) that the
 * groups share one curve — all from survival-stats.ts, which matches R's `survival`.
 * The SQL that builds the lifetimes is in survival-sql.ts.
 *
 * Time to churn comes from one of three sources, chosen in this order when `source` is
 * 'auto' (the first one the data can give):
 *
 * 1. subscriptions(start_ts, end_ts). A subscription ended when end_ts is on or before
 *    the as-of date (default: the last start or end date in the data; `asOf` overrides
 *    it), else it is still active and censored at the as-of date. Per customer
 *    (default): time from the first start to the last end, churned only when every
 *    subscription has ended (gaps between subscriptions are not subtracted); per
 *    subscription: each one's start to end. Subscriptions ending before they start,
 *    or starting after the as-of date, are left out.
 * 2. customers(tenure_months, churned): time = tenure in months, event = churned.
 *    Customers without a churn flag, or with a negative tenure, are left out. A
 *    customer with several rows has the largest tenure and churned if any row says so.
 * 3. orders: nobody cancels, so a customer churns W days (`windowDays`, default 90)
 *    after their last purchase: time = last − first purchase + W. When fewer than W
 *    days separate the last purchase from the data's end (the last order date) the
 *    customer is still active, censored at data end − first purchase. A customer whose
 *    last purchase is exactly W days before the data's end churned at the data's end.
 *
 * Days are whole calendar days between dates (`date_diff('day')`); weeks = days ÷ 7,
 * months = days ÷ 30.4375 (365.25 ÷ 12). Tenure is in months as given.
 *
 * Groups (`by`): a customers column (plan, region, acquisition_source, attr_*; the
 * smallest non-blank value of a customer's rows), for subscriptions `plan` = the
 * subscription's plan (per customer: the first subscription's), else the customer's
 * plan; for orders also first_year / first_quarter of the first purchase and
 * first_channel (the channel of the earliest order row). NULL or blank values form
 * the level "(unknown)". With more than 8 levels the 7 largest are kept and the rest
 * are combined as "Other".
 */
import { toRows, type Cell } from '../engine/rows.ts';
import type { SqlEngine } from '../engine/types.ts';
import { num } from './kpis-sql.ts';
import {
  kaplanMeierByGroup,
  logRank,
  survivalAt,
  type KaplanMeierPoint,
  type MedianSurvival,
} from './survival-stats.ts';
import {
  checkParams,
  checkUnit,
  customerGroupColumns,
  DEFAULT_WINDOW_DAYS,
  lifetimesSql,
  OTHER_GROUP,
  SOURCES,
  survivalColumnsSql,
  survivalProbeSql,
  UNKNOWN_GROUP,
  type Catalog,
  type SurvivalParams,
  type SurvivalPer,
  type SurvivalSource,
  type SurvivalUnit,
} from './survival-sql.ts';

export {
  ALL_GROUP,
  DEFAULT_WINDOW_DAYS,
  lifetimesSql,
  MAX_CURVES,
  OTHER_GROUP,
  survivalColumnsSql,
  survivalProbeSql,
  UNIT_DAYS,
  UNKNOWN_GROUP,
  type SurvivalParams,
  type SurvivalPer,
  type SurvivalSource,
  type SurvivalUnit,
} from './survival-sql.ts';

export interface SurvivalPoint {
  time: number;
  survival: number;
  lower: number;
  upper: number;
  atRisk: number;
}

export interface SurvivalReading {
  survival: number;
  lower: number;
  upper: number;
}

export interface SurvivalGroup {
  group: string;
  n: number;
  events: number;
  median: MedianSurvival;
  /** The Kaplan–Meier steps, thinned to at most {@link MAX_POINTS} (see {@link thinCurve}). */
  points: SurvivalPoint[];
  /** Ŝ(t) and its band at each of the result's `times`; null past the group's last follow-up. */
  survivalAt: Record<string, SurvivalReading | null>;
  /** The grouping values in this curve: one, or several for "Other". */
  levels: string[];
}

export interface SurvivalResult {
  source: SurvivalSource;
  /** Why this source, and how time and churn are read from it, in sentences. */
  explanation: string;
  unit: SurvivalUnit;
  by: string | null;
  /** Orders only. */
  windowDays: number | null;
  /** Subscriptions only. */
  per: SurvivalPer | null;
  /** YYYY-MM-DD: the date active customers are censored at (orders, subscriptions). */
  dataEnd: string | null;
  n: number;
  events: number;
  /** One per curve, by name; "(unknown)" and "Other" last. */
  groups: SurvivalGroup[];
  /** Null with fewer than two groups. */
  logRank: { chiSquare: number; df: number; p: number } | null;
  times: number[];
  notes: string[];
  sql: { columns: string; probe: string; lifetimes: string };
}

export interface SurvivalOptions {
  /** Sources the data can give, in the order auto tries them. */
  available: SurvivalSource[];
  auto: SurvivalSource | null;
  /** Columns each source's curves can be split by. */
  groupBy: Record<SurvivalSource, string[]>;
}

/** Most points per drawn curve. */
export const MAX_POINTS = 200;

interface Inspection extends SurvivalOptions {
  catalog: Catalog;
  probe: Record<string, Cell>;
  sql: { columns: string; probe: string };
}

/** Cancelling and progress of a run: the three queries run in the engine (a worker in the app). */
export interface SurvivalRunOptions {
  /** Aborting cancels the running query; the promise rejects with the engine's cancel error. */
  signal?: AbortSignal;
  /** Called with the share done (0…1) and what is being done, after each step. */
  onProgress?: (fraction: number, step: string) => void;
}

async function rowsOf(engine: SqlEngine, sql: string, signal?: AbortSignal) {
  signal?.throwIfAborted();
  return toRows(await engine.query(sql, { signal }));
}

async function inspect(engine: SqlEngine, run: SurvivalRunOptions = {}): Promise<Inspection> {
  const columnsSql = survivalColumnsSql();
  const catalog: Catalog = new Map();
  for (const r of await rowsOf(engine, columnsSql, run.signal)) {
    const table = String(r.tbl);
    if (!catalog.has(table)) catalog.set(table, new Set());
    catalog.get(table)!.add(String(r.name));
  }
  const probeSql = survivalProbeSql(catalog);
  run.onProgress?.(0.1, 'Checking which tables and columns the data have…');
  const [probe] = await rowsOf(engine, probeSql, run.signal);
  const available = SOURCES.filter((s) => num(probe[s]) > 0);
  const customers = customerGroupColumns(catalog).filter((c) => num(probe[`g_${c}`]) > 0);
  const subscriptions = [...customers];
  if (num(probe.s_plan) > 0 && !subscriptions.includes('plan')) subscriptions.unshift('plan');
  const orders = [...customers, 'first_year', 'first_quarter'];
  if (num(probe.o_channel) > 0) orders.push('first_channel');
  return {
    available,
    auto: available[0] ?? null,
    groupBy: { subscriptions, tenure: customers, orders },
    catalog,
    probe,
    sql: { columns: columnsSql, probe: probeSql },
  };
}

/** Which sources the data can give, which one auto picks, and what each can be split by. */
export async function survivalOptions(
  engine: SqlEngine,
  run: SurvivalRunOptions = {},
): Promise<SurvivalOptions> {
  const { available, auto, groupBy } = await inspect(engine, run);
  return { available, auto, groupBy };
}

/**
 * Default reading times up to `maxTime` (in `unit`): every year (12 months, 52 weeks,
 * 365 days); when the data span less than a year, every quarter (3 months, 13 weeks,
 * 91 days).
 */
export function survivalAtTimes(unit: SurvivalUnit, maxTime: number): number[] {
  checkUnit(unit);
  const year = { day: 365, week: 52, month: 12 }[unit];
  const quarter = { day: 91, week: 13, month: 3 }[unit];
  const step = maxTime >= year ? year : quarter;
  const times: number[] = [];
  for (let t = step; t <= maxTime && times.length < 100; t += step) times.push(t);
  return times;
}

/**
 * At most `max` points of a curve for charts, each an exact step of the estimate:
 * the first and last are kept, and a point is kept when the time since the last kept
 * one plus the fall in survival since then (each as a share of its whole range)
 * reaches 2 ÷ (max − 2). Both shares add up to at most 1 over the curve, so at most
 * max − 2 points besides the first and last are kept.
 */
export function thinCurve<T extends { time: number; survival: number }>(
  points: T[],
  max = MAX_POINTS,
): T[] {
  if (points.length <= max) return points;
  if (!Number.isInteger(max) || max < 3)
    throw new RangeError(`Keep at least 3 points, not ${max}.`);
  const last = points.length - 1;
  const span = points[last].time - points[0].time || 1;
  const drop = points[0].survival - points[last].survival || 1;
  const step = 2 / (max - 2);
  const kept = [points[0]];
  let ref = points[0];
  for (let i = 1; i < last; i++) {
    const p = points[i];
    if ((p.time - ref.time) / span + (ref.survival - p.survival) / drop >= step) {
      kept.push(p);
      ref = p;
    }
  }
  kept.push(points[last]);
  return kept;
}

const REQUIREMENT: Record<SurvivalSource, string> = {
  subscriptions: 'a subscriptions table with customer ID and start date',
  tenure: 'a customers table with tenure (months) and a churn flag',
  orders: 'an orders table with customer ID and order date',
};

function explain(
  source: SurvivalSource,
  chosen: boolean,
  o: { windowDays: number; per: SurvivalPer; dataEnd: string | null; asOfGiven: boolean },
): string {
  const why = chosen
    ? 'You chose this source.'
    : {
        subscriptions: 'Chosen because a subscriptions table is mapped.',
        tenure:
          'Chosen because the customers table has tenure and churn columns and no subscriptions are mapped.',
        orders:
          'Chosen because only orders are mapped: no subscriptions, and no tenure with a churn flag.',
      }[source];
  const end = o.dataEnd ?? 'the end of the data';
  const endWhy = o.asOfGiven ? '' : ' (the last date in the data)';
  const how = {
    subscriptions:
      o.per === 'customer'
        ? `Time to churn runs from a customer's first subscription start to the end of their last subscription; customers with a subscription still active on ${end}${endWhy} have not churned and count until that date (censored).`
        : `Time to churn runs from each subscription's start to its end; subscriptions still active on ${end}${endWhy} count until that date (censored).`,
    tenure:
      'Time to churn is each customer’s tenure in months, and the churn flag says whether they left; customers who stay count until their tenure (censored).',
    orders: `Nobody cancels in order data, so a customer counts as churned ${o.windowDays} days after their last purchase: time runs from the first purchase to the last purchase plus ${o.windowDays} days. Customers whose last purchase is within ${o.windowDays} days of the data’s end (${end}) count until then (censored).`,
  }[source];
  return `${how} ${why}`;
}

function orderGroups(names: string[]): string[] {
  const rank = (g: string) => (g === OTHER_GROUP ? 2 : g === UNKNOWN_GROUP ? 1 : 0);
  return [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

const point = (p: KaplanMeierPoint): SurvivalPoint => ({
  time: p.time,
  survival: p.survival,
  lower: p.lower,
  upper: p.upper,
  atRisk: p.atRisk,
});

/**
 * Kaplan–Meier curves of time to churn, by group, with medians, survival at fixed
 * times and the log-rank test; see the module comment for every definition. Throws a
 * RangeError on a bad parameter and an Error with a sentence for the user when the
 * data cannot give the source or grouping asked for.
 */
export async function survivalAnalysis(
  engine: SqlEngine,
  params: SurvivalParams = {},
  run: SurvivalRunOptions = {},
): Promise<SurvivalResult> {
  checkParams(params);
  const requested = params.source ?? 'auto';
  const found = await inspect(engine, run);
  const source = requested === 'auto' ? found.auto : requested;
  if (source === null) {
    throw new Error(
      `Survival needs ${SOURCES.map((s) => REQUIREMENT[s]).join(', or ')}; none is mapped.`,
    );
  }
  if (!found.available.includes(source)) {
    throw new Error(`The ${source} source needs ${REQUIREMENT[source]}, and none is mapped.`);
  }
  if (source === 'tenure' && params.unit !== undefined && params.unit !== 'month') {
    throw new RangeError(
      'The data give tenure in months, so the unit must be month (days and weeks need subscriptions or orders).',
    );
  }
  const by = params.by || null;
  if (by !== null && !found.groupBy[source].includes(by)) {
    const options = found.groupBy[source];
    throw new RangeError(
      `With ${source === 'tenure' ? 'tenure' : source}, curves cannot be split by ${by}: ` +
        (options.length
          ? `choose one of ${options.join(', ')}.`
          : 'no column to split by has values.'),
    );
  }
  const unit: SurvivalUnit = source === 'tenure' ? 'month' : (params.unit ?? 'month');
  const windowDays = params.windowDays ?? DEFAULT_WINDOW_DAYS;
  const per = params.per ?? 'customer';
  const lifetimes = lifetimesSql({
    source,
    by,
    unit,
    windowDays,
    per,
    asOf: params.asOf,
    catalog: found.catalog,
  });
  run.onProgress?.(0.3, 'Computing each lifetime…');
  const rows = await rowsOf(engine, lifetimes, run.signal);
  run.signal?.throwIfAborted();
  run.onProgress?.(0.8, 'Estimating the curves and the log-rank test…');
  if (rows.length === 0) throw new Error(`No ${source} lifetimes to analyse.`);

  const time: number[] = [];
  const event: number[] = [];
  const group: string[] = [];
  const levels = new Map<string, Set<string>>();
  for (const r of rows) {
    const g = String(r.grp);
    if (!levels.has(g)) levels.set(g, new Set());
    levels.get(g)!.add(String(r.level));
    for (let k = num(r.n); k > 0; k--) {
      time.push(num(r.time));
      event.push(num(r.event));
      group.push(g);
    }
  }
  const maxTime = time.reduce((a, b) => Math.max(a, b), 0);
  const times = params.times ?? survivalAtTimes(unit, maxTime);
  const curves = new Map(kaplanMeierByGroup(time, event, group).map((km) => [km.group, km]));
  const groups = orderGroups([...curves.keys()]).map((name): SurvivalGroup => {
    const km = curves.get(name)!;
    const lastTime = km.points[km.points.length - 1].time;
    const readings: Record<string, SurvivalReading | null> = {};
    for (const t of times) {
      const s = survivalAt(km, t);
      readings[String(t)] =
        t > lastTime ? null : { survival: s.survival, lower: s.lower, upper: s.upper };
    }
    return {
      group: name,
      n: km.n,
      events: km.events,
      median: km.median,
      points: thinCurve(km.points).map(point),
      survivalAt: readings,
      levels: [...levels.get(name)!].sort(),
    };
  });
  const test = groups.length >= 2 ? logRank(time, event, group) : null;

  const notes: string[] = [];
  const probe = found.probe;
  if (source === 'subscriptions' && num(probe.bad_subscriptions) > 0)
    notes.push(
      num(probe.bad_subscriptions) === 1
        ? '1 subscription ends before it starts and is left out (check the mapped start and end dates).'
        : `${num(probe.bad_subscriptions)} subscriptions end before they start and are left out (check the mapped start and end dates).`,
    );
  if (source === 'tenure' && num(probe.tenure_unlabelled) > 0)
    notes.push(
      num(probe.tenure_unlabelled) === 1
        ? '1 customer has a tenure but no churn flag and is left out.'
        : `${num(probe.tenure_unlabelled)} customers have a tenure but no churn flag and are left out.`,
    );
  const other = groups.find((g) => g.group === OTHER_GROUP && g.levels.length > 1);
  if (other) {
    notes.push(
      `${other.levels.length} smaller ${by} values are combined as "${OTHER_GROUP}": ${other.levels.join(', ')}.`,
    );
  }
  const dataEnd =
    source === 'orders'
      ? (probe.orders_end as string | null)
      : source === 'subscriptions'
        ? params.asOf
          ? params.asOf.toISOString().slice(0, 10)
          : (probe.subscriptions_end as string | null)
        : null;
  return {
    source,
    explanation: explain(source, requested !== 'auto', {
      windowDays,
      per,
      dataEnd,
      asOfGiven: params.asOf !== undefined,
    }),
    unit,
    by,
    windowDays: source === 'orders' ? windowDays : null,
    per: source === 'subscriptions' ? per : null,
    dataEnd,
    n: time.length,
    events: event.reduce((a, b) => a + b, 0),
    groups,
    logRank: test ? { chiSquare: test.chiSquare, df: test.df, p: test.p } : null,
    times,
    notes,
    sql: { ...found.sql, lifetimes },
  };
}

/**
 * The lifetimes behind a result, for a CSV: one row per curve, grouping value, time
 * (in the result's unit) and outcome, with how many customers (or subscriptions)
 * share it — the rows the curves were estimated from.
 */
export async function survivalLifetimeRows(
  engine: SqlEngine,
  result: Pick<SurvivalResult, 'sql'>,
  signal?: AbortSignal,
): Promise<{ group: string; level: string; time: number; churned: boolean; count: number }[]> {
  return (await rowsOf(engine, result.sql.lifetimes, signal)).map((r) => ({
    group: String(r.grp),
    level: String(r.level),
    time: num(r.time),
    churned: num(r.event) === 1,
    count: num(r.n),
  }));
}
