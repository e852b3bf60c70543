/**
 * `retain clv`: customer future value with BG/NBD and Gamma-Gamma (Fader, Hardie &
 * Lee 2005; Fader & Hardie 2013), with the same code as the app's cell
 * (src/lib/analyses/clv.ts), on native DuckDB; the fit runs in-process.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  CLV_DEFAULTS,
  clvAnalysis,
  defaultHorizon,
  type ClvOptions,
  type ClvParams,
  type ClvResult,
} from '../lib/analyses/clv.ts';
import type { SummaryUnit } from '../lib/analyses/btyd-summary.ts';
import type { NodeEngine } from '../lib/engine/node.ts';
import { toCsv } from '../lib/export/csv.ts';
import { UsageError, type Parsed } from './args.ts';
import { loadAndMap } from './model.ts';

export const CLV_FLAGS = [
  'mapping',
  'calibration-end',
  'unit',
  'horizon',
  'margin',
  'discount',
  'customers',
];

/** Customers listed in the JSON (all of them go to --customers FILE.csv). */
const TOP = 10;

function numberFlag(flags: Record<string, string>, name: string, example: string) {
  const text = flags[name];
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`--${name} must be a number (e.g. --${name} ${example}), not "${text}"`);
  return n;
}

/** Check the flags before any file is read; throws a UsageError on the first bad one. */
export function clvFlags(flags: Record<string, string>): {
  params: ClvParams;
  options: ClvOptions;
  customersFile: string | undefined;
} {
  const unit = (flags.unit ?? CLV_DEFAULTS.unit) as SummaryUnit;
  if (!['day', 'week', 'month'].includes(unit))
    throw new UsageError(`--unit must be day, week or month, not "${flags.unit}"`);
  let calibrationEnd: Date | undefined;
  if (flags['calibration-end'] !== undefined) {
    const text = flags['calibration-end'];
    calibrationEnd = new Date(`${text}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(calibrationEnd.getTime()))
      throw new UsageError(
        `--calibration-end must be a date such as 1997-09-30 (YYYY-MM-DD), not "${text}"`,
      );
  }
  const horizon = numberFlag(flags, 'horizon', '52') ?? defaultHorizon(unit);
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 3660)
    throw new UsageError(
      `--horizon must be a whole number of ${unit}s from 1 to 3660, not "${flags.horizon}"`,
    );
  const margin = numberFlag(flags, 'margin', '0.3') ?? CLV_DEFAULTS.margin;
  if (margin < 0 || margin > 1)
    throw new UsageError(
      `--margin must be a fraction from 0 to 1 (0.3 for 30 %), not "${flags.margin}"`,
    );
  const annualDiscount = numberFlag(flags, 'discount', '0.1') ?? CLV_DEFAULTS.annualDiscount;
  if (annualDiscount < 0 || annualDiscount > 1)
    throw new UsageError(
      `--discount must be an annual rate from 0 to 1 (0.1 for 10 % a year), not "${flags.discount}"`,
    );
  if (flags.customers !== undefined && flags.customers.trim() === '')
    throw new UsageError('--customers needs a file name, e.g. --customers clv.csv');
  return {
    params: { unit, calibrationEnd },
    options: { horizon, margin, annualDiscount },
    customersFile: flags.customers,
  };
}

async function writeCustomers(file: string, result: ClvResult) {
  const columns = [
    'customer_id',
    'source',
    'cohort',
    'x',
    't_x',
    'T',
    'zbar',
    'p_alive',
    'expected_purchases',
    'expected_spend',
    'clv',
    'holdout_purchases',
  ] as const;
  try {
    await writeFile(
      file,
      toCsv(
        [...columns],
        result.customers.toArray().map((r) => columns.map((c) => r[c])),
      ),
    );
  } catch (error) {
    throw new Error(
      `cannot write the customers to ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** `retain clv FILE... [--mapping M] [--calibration-end DATE] [--unit day|week|month] [--horizon N] [--margin 0..1] [--discount RATE] [--customers FILE.csv]` */
export async function clvCommand(engine: NodeEngine, { files, flags }: Parsed) {
  const { params, options, customersFile } = clvFlags(flags);
  const { mapping, notes } = await loadAndMap(engine, files, flags.mapping);
  if (!mapping.tables.some((t) => t.kind === 'orders'))
    throw new UsageError(
      'no orders table was recognised; customer future value needs orders with a customer ID, a date and an amount (use --mapping to map one)',
    );
  let result: ClvResult;
  try {
    result = await clvAnalysis(engine, params, options);
  } catch (error) {
    // A calibration end outside the data is a parameter the data cannot take: bad usage.
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
  if (customersFile && result.usable) await writeCustomers(resolve(customersFile), result);
  const bg = result.bgnbd;
  const gg = result.gammaGamma;
  const spendOk = result.usable && gg !== null && result.totals.clv !== null;
  // Parameters only when they can be trusted: a fit that failed says so instead.
  return {
    unit: result.inputs.unit,
    calibrationEnd: result.inputs.calibrationEnd,
    dataEnd: result.inputs.dataEnd,
    holdoutLength: result.inputs.holdoutLength,
    horizon: options.horizon,
    margin: options.margin,
    discount: options.annualDiscount,
    discountPerPeriod: result.discountPerPeriod,
    converged: bg.converged,
    identified: bg.identified,
    usable: result.usable,
    message: result.message ?? null,
    r: result.usable ? bg.r : null,
    alpha: result.usable ? bg.alpha : null,
    a: result.usable ? bg.a : null,
    b: result.usable ? bg.b : null,
    logLikelihood: result.usable ? bg.logLikelihood : null,
    p: spendOk ? gg.p : null,
    q: spendOk ? gg.q : null,
    gamma: spendOk ? gg.gamma : null,
    spendCustomers: gg?.customers ?? 0,
    customers: result.totals.customers,
    expectedPurchases: result.usable ? result.totals.expectedPurchases : null,
    clv: result.totals.clv,
    sourceFrom: result.inputs.sourceOrigin,
    holdout: result.holdout,
    bySource: result.bySource,
    byCohort: result.byCohort,
    top: result.customers.slice(0, TOP),
    customersFile: customersFile && result.usable ? customersFile : null,
    notes,
  };
}
