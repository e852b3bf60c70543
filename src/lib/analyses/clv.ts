/**
 * Customer future value (DOMAIN.md, "Customer future value"): the BG/NBD model of
 * Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing
 * Science 24(2):275–284, for purchase counts and P(alive), and the Gamma-Gamma model
 * of Fader & Hardie (2013), "The Gamma-Gamma model of monetary value", for spend;
 * the maths lives in btyd-fit.ts.
 *
 * Two halves, so the heavy one can run in a worker:
 * - {@link clvInputs} (SQL, on the engine): the per-customer summary of the
 *   calibration period with holdout purchases, source and cohort (clv-sql.ts);
 * - {@link clvModel} (pure): both fits, then per customer P(alive), expected
 *   purchases in the next `horizon` periods, expected spend and CLV, the holdout
 *   comparison (the tracking and "conditional expectations" charts of FHL 2005,
 *   figures 2 and 4) and future value by source and by cohort.
 *
 * Everything is as of the calibration end. Without one, it is the last order day
 * and there is no holdout. When a fit does not converge or a parameter is not
 * identified, the result carries a plain message and no per-customer numbers.
 */
import { numberColumn, textColumn } from '../engine/rows.ts';
import type { SqlEngine } from '../engine/types.ts';
import {
  bgNbdExpected,
  bgNbdPAlive,
  fitBgNbd,
  fitGammaGamma,
  ggExpectedSpend,
  type BgNbdFit,
  type BgNbdParams,
  type GammaGammaFit,
} from './btyd-fit.ts';
import { UNIT_DAYS, type SummaryUnit } from './btyd-summary.ts';
import { clvInputsSql, clvProbe, holdoutPeriodsSql, type SourceOrigin } from './clv-sql.ts';
import { existingRelations, num, queryRows } from './kpis-sql.ts';

export { clvInputsSql, holdoutPeriodsSql, type SourceOrigin } from './clv-sql.ts';

export interface ClvParams {
  unit: SummaryUnit;
  /** Last day of the calibration period (its UTC day, included). Default: the last order day. */
  calibrationEnd?: Date;
}

export interface ClvOptions {
  /** Future periods (in the unit) for expected purchases and CLV: a whole number ≥ 1. */
  horizon: number;
  /** Profit margin on spend, 0…1. */
  margin: number;
  /** Annual discount rate, e.g. 0.1 for 10 % a year; converted to the unit. */
  annualDiscount: number;
}

/** The per-customer inputs, as plain columns that can be posted to a worker. */
export interface ClvInputs {
  unit: SummaryUnit;
  unitDays: number;
  calibrationEnd: string;
  /** Last order day; the holdout is (calibrationEnd, dataEnd]. */
  dataEnd: string;
  /** Holdout length in units (0 when the calibration ends on the last order day). */
  holdoutLength: number;
  /** Repeat purchases in holdout periods 1, 2, … (index 0 = period 1). */
  holdoutActual: number[];
  sourceOrigin: SourceOrigin;
  customerId: string[];
  source: string[];
  cohort: string[];
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  zbar: Float64Array;
  holdoutX: Float64Array;
  sql: { customers: string; holdout: string };
}

/** One customer of the future-value table (the CSV export). */
export interface ClvCustomerRow {
  customer_id: string;
  source: string;
  cohort: string;
  x: number;
  t_x: number;
  T: number;
  /** Mean repeat spend in calibration. */
  zbar: number;
  p_alive: number;
  /** E[Y(horizon) | x, t_x, T]. */
  expected_purchases: number;
  /** E[M]: the expected value of one future transaction; null when spend could not be modelled. */
  expected_spend: number | null;
  /** Discounted margin on the expected purchases over the horizon; null without a spend model. */
  clv: number | null;
  /** Repeat purchases actually made in the holdout; null without a holdout. */
  holdout_purchases: number | null;
}

/** Future value of a group of customers (a source or a cohort). */
export interface ClvGroup {
  group: string;
  customers: number;
  /** Mean P(alive). */
  pAlive: number;
  /** Σ expected purchases over the horizon. */
  expectedPurchases: number;
  /** Σ CLV and its mean per customer; null without a spend model. */
  clv: number | null;
  clvPerCustomer: number | null;
}

export interface HoldoutPeriod {
  period: number;
  actual: number;
  expected: number;
  actualCumulative: number;
  expectedCumulative: number;
}

/** Mean holdout purchases per customer by calibration repeat purchases (FHL 2005, figure 4). */
export interface HoldoutByFrequency {
  /** "0" … "6", then "7+". */
  x: string;
  customers: number;
  actual: number;
  expected: number;
}

export interface ClvHoldout {
  /** Length in units. */
  length: number;
  periods: HoldoutPeriod[];
  byFrequency: HoldoutByFrequency[];
  totalActual: number;
  totalExpected: number;
}

/**
 * The per-customer forecasts as columns (what the fit worker sends back: typed arrays
 * are transferred, not copied, where one object per customer took seconds to clone).
 * `pAlive` … `clv` are indexed like the inputs; `order` lists the input indices by CLV
 * (or expected purchases), highest first.
 */
export interface ClvCustomerColumns {
  order: Uint32Array;
  pAlive: Float64Array;
  expected: Float64Array;
  /** E[M]; NaN when spend could not be modelled. */
  spend: Float64Array;
  /** NaN when spend could not be modelled. */
  clv: Float64Array;
}

/** The per-customer inputs a {@link ClvCustomers} table reads its other columns from. */
type ClvCustomerInputs = Pick<
  ClvInputs,
  'customerId' | 'source' | 'cohort' | 'x' | 'tx' | 'T' | 'zbar' | 'holdoutX' | 'holdoutLength'
>;

/**
 * Every customer's forecast, highest value first: a view over the inputs and the
 * forecast columns that builds a row object only when one is asked for.
 */
export class ClvCustomers {
  readonly #inputs: ClvCustomerInputs | null;
  readonly #columns: ClvCustomerColumns | null;

  constructor(inputs: ClvCustomerInputs | null, columns: ClvCustomerColumns | null) {
    this.#inputs = inputs;
    this.#columns = columns;
  }

  /** The columns, when there are forecasts (for exports that write them column by column). */
  get columns(): ClvCustomerColumns | null {
    return this.#columns;
  }

  get length(): number {
    return this.#columns?.order.length ?? 0;
  }

  /** The k-th customer, counting from the highest value. */
  row(k: number): ClvCustomerRow {
    const c = this.#columns;
    const inputs = this.#inputs;
    if (!c || !inputs || k < 0 || k >= c.order.length)
      throw new RangeError(`There is no customer ${k}.`);
    const i = c.order[k];
    const nullable = (v: number) => (Number.isNaN(v) ? null : v);
    return {
      customer_id: inputs.customerId[i],
      source: inputs.source[i],
      cohort: inputs.cohort[i],
      x: inputs.x[i],
      t_x: inputs.tx[i],
      T: inputs.T[i],
      zbar: inputs.zbar[i],
      p_alive: c.pAlive[i],
      expected_purchases: c.expected[i],
      expected_spend: nullable(c.spend[i]),
      clv: nullable(c.clv[i]),
      holdout_purchases: inputs.holdoutLength > 0 ? inputs.holdoutX[i] : null,
    };
  }

  /** Rows `start` … `end − 1` (like Array.prototype.slice, without negative indices). */
  slice(start = 0, end = this.length): ClvCustomerRow[] {
    const rows: ClvCustomerRow[] = [];
    for (let k = Math.max(0, start); k < Math.min(end, this.length); k++) rows.push(this.row(k));
    return rows;
  }

  toArray(): ClvCustomerRow[] {
    return this.slice();
  }

  find(predicate: (row: ClvCustomerRow) => boolean): ClvCustomerRow | undefined {
    for (const row of this) if (predicate(row)) return row;
    return undefined;
  }

  *[Symbol.iterator](): IterableIterator<ClvCustomerRow> {
    for (let k = 0; k < this.length; k++) yield this.row(k);
  }
}

export interface ClvModelResult {
  bgnbd: BgNbdFit;
  gammaGamma: GammaGammaFit | null;
  /** False when the BG/NBD fit cannot be trusted: then `message` says why and there are no numbers. */
  usable: boolean;
  /** Set when spend could not be modelled (CLV left empty) or the model is not usable. */
  message?: string;
  discountPerPeriod: number;
  /** Per-customer forecasts; null when the model is not usable. */
  customers: ClvCustomerColumns | null;
  holdout: ClvHoldout | null;
  bySource: ClvGroup[];
  byCohort: ClvGroup[];
  totals: { customers: number; expectedPurchases: number; clv: number | null };
}

export interface ClvProgress {
  stage: 'bgnbd' | 'gamma-gamma' | 'customers' | 'holdout';
  /** 0…1 within the stage. */
  fraction: number;
}

/** What the inputs were, without the per-customer columns (those are in `customers`). */
export type ClvInputsMeta = Omit<
  ClvInputs,
  'x' | 'tx' | 'T' | 'zbar' | 'holdoutX' | 'customerId' | 'source' | 'cohort'
>;

export type ClvResult = Omit<ClvModelResult, 'customers'> & {
  /** Every customer, sorted by CLV (or expected purchases), highest first. */
  customers: ClvCustomers;
  inputs: ClvInputsMeta;
};

const DAYS_PER_YEAR = 365.25;

/**
 * Defaults shared by the cell and the CLI: weeks (the unit of FHL 2005), margin 1 (CLV
 * is then discounted revenue; set the margin to get profit), 10 % a year discount.
 */
export const CLV_DEFAULTS = { unit: 'week', margin: 1, annualDiscount: 0.1 } as const;

/** The discount rate per period equivalent to an annual rate: (1 + annual)^(unit days ÷ 365.25) − 1. */
export function discountPerPeriod(annual: number, unitDays: number): number {
  return Math.pow(1 + annual, unitDays / DAYS_PER_YEAR) - 1;
}

/** Default horizon: one year in the unit (365 days, 52 weeks, 12 months). */
export function defaultHorizon(unit: SummaryUnit): number {
  return Math.floor(DAYS_PER_YEAR / UNIT_DAYS[unit]);
}

/** Throws a RangeError naming the option and the allowed range. */
export function checkClvOptions({ horizon, margin, annualDiscount }: ClvOptions): void {
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 3660) {
    throw new RangeError(
      `The horizon must be a whole number of periods from 1 to 3660, not ${horizon}.`,
    );
  }
  if (!(margin >= 0 && margin <= 1)) {
    throw new RangeError(
      `The margin must be a fraction from 0 to 1 (0.3 for 30 %), not ${margin}.`,
    );
  }
  if (!(annualDiscount >= 0 && annualDiscount <= 1)) {
    throw new RangeError(
      `The annual discount rate must be from 0 to 1 (0.1 for 10 % a year), not ${annualDiscount}.`,
    );
  }
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const daysBetween = (a: string, b: string) =>
  (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;

/** Read the per-customer inputs from the `orders` (and `customers`) views. */
export async function clvInputs(engine: SqlEngine, params: ClvParams): Promise<ClvInputs> {
  if (!Object.hasOwn(UNIT_DAYS, params.unit)) {
    throw new RangeError(`The time unit must be day, week or month, not ${String(params.unit)}.`);
  }
  if (!(await existingRelations(engine, ['orders'])).has('orders')) {
    throw new RangeError(
      'Customer future value needs an orders table (customer ID, order date, amount). Load and map one.',
    );
  }
  const probe = await clvProbe(engine);
  if (!probe.firstDay || !probe.lastDay) {
    throw new RangeError('The orders table has no order with a customer and a date.');
  }
  const end = params.calibrationEnd ? isoDay(params.calibrationEnd) : probe.lastDay;
  if (params.calibrationEnd && Number.isNaN(params.calibrationEnd.getTime())) {
    throw new RangeError('The calibration end must be a valid date.');
  }
  if (end > probe.lastDay) {
    throw new RangeError(
      `The calibration end ${end} is after the last order (${probe.lastDay}); choose a day from ${probe.firstDay} to ${probe.lastDay}.`,
    );
  }
  if (end < probe.firstDay) {
    throw new RangeError(
      `No customer had bought by the calibration end ${end}; the first order is on ${probe.firstDay}.`,
    );
  }
  const sqlParams = {
    unit: params.unit,
    calibrationEnd: end,
    holdoutEnd: probe.lastDay,
    sourceOrigin: probe.sourceOrigin,
  };
  const sql = { customers: clvInputsSql(sqlParams), holdout: holdoutPeriodsSql(sqlParams) };
  // read per-customer columns straight from Arrow: no object per customer
  const table = await engine.query(sql.customers);
  const texts = (name: string) => textColumn(table, name);
  const unitDays = UNIT_DAYS[params.unit];
  const holdoutLength = daysBetween(end, probe.lastDay) / unitDays;
  const holdoutActual = new Array<number>(Math.ceil(holdoutLength)).fill(0);
  if (holdoutLength > 0) {
    for (const r of await queryRows(engine, sql.holdout))
      holdoutActual[num(r.period) - 1] = num(r.purchases);
  }
  return {
    unit: params.unit,
    unitDays,
    calibrationEnd: end,
    dataEnd: probe.lastDay,
    holdoutLength,
    holdoutActual,
    sourceOrigin: probe.sourceOrigin,
    customerId: texts('customer_id'),
    source: texts('source'),
    cohort: texts('cohort'),
    x: numberColumn(table, 'x', 0),
    tx: numberColumn(table, 't_x', 0),
    T: numberColumn(table, 'T', 0),
    zbar: numberColumn(table, 'zbar', 0),
    holdoutX: numberColumn(table, 'holdout_x', 0),
    sql,
  };
}

/** Customers sharing (x, t_x, T) have the same P(alive) and expected purchases: compute once. */
function pool(inputs: ClvInputs) {
  const keys = new Map<string, number>();
  const tuples: { x: number; tx: number; T: number; weight: number }[] = [];
  const index = new Int32Array(inputs.x.length);
  for (let i = 0; i < inputs.x.length; i++) {
    const key = `${inputs.x[i]},${inputs.tx[i]},${inputs.T[i]}`;
    let k = keys.get(key);
    if (k === undefined) {
      k = tuples.length;
      keys.set(key, k);
      tuples.push({ x: inputs.x[i], tx: inputs.tx[i], T: inputs.T[i], weight: 0 });
    }
    tuples[k].weight++;
    index[i] = k;
  }
  return { tuples, index };
}

/** Future value by a per-customer label (source or cohort). */
function group(
  labels: readonly string[],
  pAlive: Float64Array,
  expected: Float64Array,
  clv: Float64Array,
  withSpend: boolean,
): ClvGroup[] {
  const groups = new Map<
    string,
    { customers: number; pAlive: number; expected: number; clv: number }
  >();
  for (let i = 0; i < labels.length; i++) {
    let g = groups.get(labels[i]);
    if (!g) groups.set(labels[i], (g = { customers: 0, pAlive: 0, expected: 0, clv: 0 }));
    g.customers++;
    g.pAlive += pAlive[i];
    g.expected += expected[i];
    if (withSpend) g.clv += clv[i];
  }
  return [...groups].map(([name, g]) => ({
    group: name,
    customers: g.customers,
    pAlive: g.pAlive / g.customers,
    expectedPurchases: g.expected,
    clv: withSpend ? g.clv : null,
    clvPerCustomer: withSpend ? g.clv / g.customers : null,
  }));
}

function unusable(bgnbd: BgNbdFit): string | undefined {
  if (!bgnbd.converged || !bgnbd.identified) {
    return `The BG/NBD model ${bgnbd.converged ? 'is not identified' : 'did not converge'} on this data, so no forecast is shown. ${bgnbd.message ?? ''}`.trim();
  }
  // E[Y(t)] (FHL 2005, eq. 10) divides by a − 1 and loses all precision next to a = 1.
  if (Math.abs(bgnbd.a - 1) < 1e-4) {
    return `The BG/NBD fit gives a = ${bgnbd.a.toPrecision(5)}, where expected future purchases cannot be computed accurately (FHL 2005, eq. 10 divides by a − 1), so no forecast is shown.`;
  }
  return undefined;
}

/**
 * Fit BG/NBD and Gamma-Gamma to the inputs and forecast every customer; see the
 * module comment. CLV per customer = Σ_{i=1..horizon} (E[Y(i)] − E[Y(i−1)]) · E[M] ·
 * margin / (1 + d)^i, d the per-period equivalent of the annual rate (btyd-fit.ts `clv`).
 */
export function clvModel(
  inputs: ClvInputs,
  options: ClvOptions,
  onProgress: (p: ClvProgress) => void = () => {},
): ClvModelResult {
  checkClvOptions(options);
  const n = inputs.x.length;
  onProgress({ stage: 'bgnbd', fraction: 0 });
  const bgnbd = fitBgNbd({ x: inputs.x, tx: inputs.tx, T: inputs.T });
  const d = discountPerPeriod(options.annualDiscount, inputs.unitDays);
  const failed = unusable(bgnbd);
  const empty = { customers: n, expectedPurchases: 0, clv: null };
  if (failed) {
    return {
      bgnbd,
      gammaGamma: null,
      usable: false,
      message: failed,
      discountPerPeriod: d,
      customers: null,
      holdout: null,
      bySource: [],
      byCohort: [],
      totals: empty,
    };
  }
  onProgress({ stage: 'gamma-gamma', fraction: 0 });
  let gammaGamma: GammaGammaFit | null = null;
  let message: string | undefined;
  try {
    gammaGamma = fitGammaGamma({ x: inputs.x, m: inputs.zbar });
    if (!gammaGamma.converged || !gammaGamma.identified) {
      message =
        `Spend is not modelled: the Gamma-Gamma fit ${gammaGamma.converged ? 'is not identified' : 'did not converge'}. ${gammaGamma.message ?? ''}`.trim();
    } else if (!(gammaGamma.q > 1)) {
      message = `Spend is not modelled: the Gamma-Gamma fit gives q = ${gammaGamma.q.toPrecision(3)} ≤ 1, so mean spend does not exist in the model.`;
    }
  } catch (error) {
    message = `Spend is not modelled: ${error instanceof Error ? error.message : String(error)}`;
  }
  const gg = message ? null : gammaGamma;

  const bg: BgNbdParams = bgnbd;
  const { tuples, index } = pool(inputs);
  // Per tuple: P(alive), E[Y(horizon)] and the discounted sum Σ ΔE[Y(i)] / (1+d)^i.
  const pAlive = new Float64Array(tuples.length);
  const expected = new Float64Array(tuples.length);
  const discounted = new Float64Array(tuples.length);
  const step = Math.max(1, Math.floor(tuples.length / 50));
  tuples.forEach((t, k) => {
    if (k % step === 0) onProgress({ stage: 'customers', fraction: k / tuples.length });
    pAlive[k] = bgNbdPAlive(bg, t.x, t.tx, t.T);
    let prev = 0;
    let sum = 0;
    for (let i = 1; i <= options.horizon; i++) {
      const cur = bgNbdExpected(bg, i, t.x, t.tx, t.T);
      sum += (cur - prev) / Math.pow(1 + d, i);
      prev = cur;
    }
    expected[k] = prev;
    discounted[k] = sum;
  });
  const hasHoldout = inputs.holdoutLength > 0;
  // Per customer, in input order (the inputs come sorted by customer ID).
  const pAliveOf = new Float64Array(n);
  const expectedOf = new Float64Array(n);
  const spendOf = new Float64Array(n).fill(Number.NaN);
  const clvOf = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    const k = index[i];
    pAliveOf[i] = pAlive[k];
    expectedOf[i] = expected[k];
    if (gg) {
      spendOf[i] = ggExpectedSpend(gg, inputs.x[i], inputs.zbar[i]);
      clvOf[i] = discounted[k] * spendOf[i] * options.margin;
    }
  }
  const holdout = hasHoldout ? holdoutComparison(inputs, bg, tuples, index, onProgress) : null;
  // Highest value first; ties in input order, that is by customer ID.
  const value = gg ? clvOf : expectedOf;
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort(
    (u, v) => value[v] - value[u] || u - v,
  );
  const bySource = group(inputs.source, pAliveOf, expectedOf, clvOf, gg !== null).sort(
    (u, v) => (v.clv ?? v.expectedPurchases) - (u.clv ?? u.expectedPurchases),
  );
  const byCohort = group(inputs.cohort, pAliveOf, expectedOf, clvOf, gg !== null).sort((u, v) =>
    u.group < v.group ? -1 : 1,
  );
  let expectedTotal = 0;
  let clvTotal = 0;
  for (let i = 0; i < n; i++) {
    expectedTotal += expectedOf[i];
    if (gg) clvTotal += clvOf[i];
  }
  return {
    bgnbd,
    gammaGamma,
    usable: true,
    ...(message ? { message } : {}),
    discountPerPeriod: d,
    customers: { order, pAlive: pAliveOf, expected: expectedOf, spend: spendOf, clv: clvOf },
    holdout,
    bySource,
    byCohort,
    totals: { customers: n, expectedPurchases: expectedTotal, clv: gg ? clvTotal : null },
  };
}

/**
 * Expected against actual repeat purchases in the holdout: per period, and
 * cumulative, Σ over customers of E[Y(t) | x, t_x, T] at t = min(k, length); and
 * per calibration frequency x = 0…6, 7+, the mean of E[Y(length)] against the mean
 * actual count (FHL 2005, figure 4, "conditional expectations").
 */
function holdoutComparison(
  inputs: ClvInputs,
  bg: BgNbdParams,
  tuples: readonly { x: number; tx: number; T: number; weight: number }[],
  index: Int32Array,
  onProgress: (p: ClvProgress) => void,
): ClvHoldout {
  const length = inputs.holdoutLength;
  const periods = inputs.holdoutActual.length;
  const cumulative = new Float64Array(periods);
  const atEnd = new Float64Array(tuples.length);
  tuples.forEach((t, k) => {
    if (k % 50 === 0) onProgress({ stage: 'holdout', fraction: k / tuples.length });
    for (let p = 1; p <= periods; p++) {
      const e = bgNbdExpected(bg, Math.min(p, length), t.x, t.tx, t.T);
      cumulative[p - 1] += t.weight * e;
      if (p === periods) atEnd[k] = e;
    }
  });
  let actualCumulative = 0;
  const rows: HoldoutPeriod[] = inputs.holdoutActual.map((actual, i) => {
    actualCumulative += actual;
    return {
      period: i + 1,
      actual,
      expected: cumulative[i] - (i > 0 ? cumulative[i - 1] : 0),
      actualCumulative,
      expectedCumulative: cumulative[i],
    };
  });
  const bins = Array.from({ length: 8 }, (_, b) => ({
    x: b < 7 ? String(b) : '7+',
    customers: 0,
    actual: 0,
    expected: 0,
  }));
  for (let i = 0; i < inputs.x.length; i++) {
    const bin = bins[Math.min(7, inputs.x[i])];
    bin.customers++;
    bin.actual += inputs.holdoutX[i];
    bin.expected += atEnd[index[i]];
  }
  const byFrequency = bins
    .filter((b) => b.customers > 0)
    .map((b) => ({ ...b, actual: b.actual / b.customers, expected: b.expected / b.customers }));
  return {
    length,
    periods: rows,
    byFrequency,
    totalActual: actualCumulative,
    totalExpected: periods > 0 ? cumulative[periods - 1] : 0,
  };
}

/** A fitter: {@link clvModel} here, or the same function in a worker (fit-client.ts). */
export type ClvFitter = (
  inputs: ClvInputs,
  options: ClvOptions,
  onProgress: (p: ClvProgress) => void,
) => Promise<ClvModelResult>;

const localFitter: ClvFitter = async (inputs, options, onProgress) =>
  clvModel(inputs, options, onProgress);

/** The whole analysis: inputs in SQL, then the fits and forecasts by `fit` (in-thread by default). */
export async function clvAnalysis(
  engine: SqlEngine,
  params: ClvParams,
  options: ClvOptions,
  fit: ClvFitter = localFitter,
  onProgress: (p: ClvProgress) => void = () => {},
): Promise<ClvResult> {
  checkClvOptions(options);
  const inputs = await clvInputs(engine, params);
  if (inputs.x.length === 0) throw new RangeError('No customer bought by the calibration end.');
  const model = await fit(inputs, options, onProgress);
  const meta: ClvInputsMeta = {
    unit: inputs.unit,
    unitDays: inputs.unitDays,
    calibrationEnd: inputs.calibrationEnd,
    dataEnd: inputs.dataEnd,
    holdoutLength: inputs.holdoutLength,
    holdoutActual: inputs.holdoutActual,
    sourceOrigin: inputs.sourceOrigin,
    sql: inputs.sql,
  };
  return { ...model, customers: new ClvCustomers(inputs, model.customers), inputs: meta };
}
