import type { SummaryUnit } from '../analyses/btyd-summary.ts';
import { CLV_DEFAULTS, defaultHorizon, type ClvOptions, type ClvParams } from '../analyses/clv.ts';
import type { CohortBasis, CohortGrain } from '../analyses/cohorts.ts';
import type { ForecastParams } from '../analyses/forecast.ts';
import { DEFAULT_MIN_SHARE, DEFAULT_STEPS, type JourneyParams } from '../analyses/journeys.ts';
import type { Period } from '../analyses/kpis.ts';
import type { LiftParams } from '../analyses/lift.ts';
import { DEFAULT_NEGATIVE, type NpsParams } from '../analyses/nps.ts';
import {
  DEFAULT_WINDOW_DAYS as SURVIVAL_WINDOW_DAYS,
  type SurvivalParams,
  type SurvivalSource,
  type SurvivalUnit,
} from '../analyses/survival-sql.ts';
import type { LabelSource } from '../churn/features.ts';
import { DEFAULT_WINDOW_DAYS } from '../churn/features.ts';
import type { Parameter } from './types.ts';

/**
 * An analysis cell's saved `params` → the arguments of its analysis module. The
 * notebook cells and `retain run` both read params through these functions, so a
 * notebook computes the same numbers in the browser and on native DuckDB. Saved
 * params are untrusted (files, links): anything of the wrong type or out of range
 * falls back to the cell's default, exactly as the cell's form would show it.
 */

type Params = Record<string, unknown>;

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** A 'YYYY-MM-DD' text → midnight UTC of that day; anything else → undefined. */
export function dayParam(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Replace every `{ "$param": "name" }` inside `params` by that notebook parameter's
 * value (see types.ts). A reference to a parameter that does not exist becomes
 * undefined, so the analysis uses its default rather than a made-up value.
 */
export function resolveParameterRefs(params: Params, parameters: readonly Parameter[]): Params {
  const byName = new Map(parameters.map((p) => [p.name, p.value]));
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (typeof value !== 'object' || value === null) return value;
    const ref = (value as Params).$param;
    if (typeof ref === 'string') return byName.get(ref) ?? undefined;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
  };
  return resolve(params) as Params;
}

/** The KPI overview (Overview.svelte / OverviewState). */
export interface KpisArgs {
  period: Period;
  /** Null: the window suggested from the data (suggestWindow). */
  windowDays: number | null;
  /** Gross margin as a fraction 0–1 (the form holds a percentage, default 100). */
  margin: number;
  lifespanYears?: number;
}

export function kpisArgs(params: Params): KpisArgs {
  const period = ['month', 'quarter', 'year'].includes(params.period as string)
    ? (params.period as Period)
    : 'month';
  const windowDays = num(params.windowDays);
  const marginPercent = num(params.marginPercent);
  const lifespanYears = num(params.lifespanYears);
  return {
    period,
    windowDays: windowDays !== undefined && windowDays >= 1 ? windowDays : null,
    margin:
      marginPercent !== undefined && marginPercent >= 0 && marginPercent <= 100
        ? marginPercent / 100
        : 1,
    lifespanYears: lifespanYears !== undefined && lifespanYears > 0 ? lifespanYears : undefined,
  };
}

/** Cohort retention (CohortsCell.svelte). `measure` only chooses what the chart shows. */
export function cohortsArgs(params: Params): {
  grain: CohortGrain;
  basis: CohortBasis;
  sliceBy?: string;
} {
  const grain = ['week', 'month', 'quarter'].includes(params.grain as string)
    ? (params.grain as CohortGrain)
    : 'month';
  const basis = params.basis === 'signup' ? 'signup' : 'first_purchase';
  const sliceBy = typeof params.sliceBy === 'string' && params.sliceBy ? params.sliceBy : undefined;
  return { grain, basis, ...(sliceBy ? { sliceBy } : {}) };
}

/** RFM (RfmCell.svelte): the reference date, or the day after the last order. */
export function rfmArgs(params: Params): { asOf?: Date } {
  const asOf = dayParam(params.asOf);
  return asOf ? { asOf } : {};
}

/** Behavioural segments (SegmentsCell.svelte): percentages in the form, shares in the module. */
export interface SegmentsArgs {
  discountShare: number;
  categoryShare: number;
  /** Null: the window suggested from the data. */
  windowDays: number | null;
}

export function segmentsArgs(params: Params): SegmentsArgs {
  const discount = num(params.discountPercent) ?? 50;
  const category = num(params.categoryPercent) ?? 80;
  const windowDays = num(params.windowDays);
  return {
    discountShare: discount / 100,
    categoryShare: category / 100,
    windowDays: windowDays ?? null,
  };
}

/** First and second purchase (PurchasesCell.svelte). */
export function purchasesArgs(params: Params): { by: 'product' | 'category'; top: number } {
  return {
    by: params.by === 'category' ? 'category' : 'product',
    top: num(params.top) ?? 10,
  };
}

/** The churn model (ChurnCell.svelte): the label plan and the training options. */
export interface ChurnArgs {
  label: LabelSource | 'auto';
  cutoff?: Date;
  windowDays: number;
  model: 'logistic' | 'mlp';
  folds: number;
  seed: number;
}

export function churnArgs(params: Params): ChurnArgs {
  return {
    label: params.label === 'column' || params.label === 'derived' ? params.label : 'auto',
    cutoff: dayParam(params.cutoff),
    windowDays: num(params.windowDays) ?? DEFAULT_WINDOW_DAYS,
    model: params.model === 'mlp' ? 'mlp' : 'logistic',
    folds: num(params.folds) ?? 0,
    seed: num(params.seed) ?? 1,
  };
}

/**
 * The acquisition-versus-retention table (UnitEconomics.svelte): its starting values,
 * which the cell does not save; a price given in params overrides the default.
 */
export function unitEconomicsArgs(params: Params): {
  price: number;
  grossMargin: number;
  cac: number;
  purchases: number;
} {
  return {
    price: num(params.price) ?? 80,
    grossMargin: (num(params.marginPercent) ?? 50) / 100,
    cac: num(params.cac) ?? 25,
    purchases: num(params.purchases) ?? 5,
  };
}

/** One of `choices`, or `fallback` when the saved value is anything else. */
const oneOf = <T extends string>(value: unknown, choices: readonly T[], fallback: T): T =>
  choices.includes(value as T) ? (value as T) : fallback;

/** A non-empty text, else undefined (the forms save '' or undefined for "none"). */
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * Survival (SurvivalCell.svelte). `effective` is the source the analysis will use
 * (the saved one, or the one 'auto' picks from the data, survivalOptions().auto):
 * tenure is always in months, so the cell sends no unit for it, whatever the form
 * last held — otherwise a saved "weeks" would be refused for tenure data.
 */
export function survivalArgs(
  params: Params,
  effective: SurvivalSource | null,
): Pick<SurvivalParams, 'by' | 'unit' | 'windowDays'> & { source: SurvivalSource | 'auto' } {
  return {
    source: oneOf(params.source, ['auto', 'subscriptions', 'tenure', 'orders'] as const, 'auto'),
    by: text(params.by) ?? null,
    unit:
      effective === 'tenure'
        ? undefined
        : oneOf<SurvivalUnit>(params.unit, ['day', 'week', 'month'], 'month'),
    windowDays: num(params.windowDays) ?? SURVIVAL_WINDOW_DAYS,
  };
}

/**
 * Customer future value (ClvCell.svelte): the unit and calibration end choose the
 * inputs; horizon (default one year in the unit), margin and annual discount rate
 * (saved as `discount`) the forecast. Margin and discount are fractions in the form too.
 */
export function clvArgs(params: Params): { params: ClvParams; options: ClvOptions } {
  const unit = oneOf<SummaryUnit>(params.unit, ['day', 'week', 'month'], CLV_DEFAULTS.unit);
  return {
    params: { unit, calibrationEnd: dayParam(params.calibrationEnd) },
    options: {
      horizon: num(params.horizon) ?? defaultHorizon(unit),
      margin: num(params.margin) ?? CLV_DEFAULTS.margin,
      annualDiscount: num(params.discount) ?? CLV_DEFAULTS.annualDiscount,
    },
  };
}

/**
 * Programme lift (LiftCell.svelte): the form holds the lift to detect in percentage
 * points (`liftPoints`, default 5), the module a fraction (0.05); the cell divides by
 * 100 itself, and this mirrors it.
 */
export function liftArgs(params: Params): LiftParams {
  return {
    period: oneOf(params.period, ['month', 'quarter'] as const, 'month'),
    definition: oneOf(params.definition, ['in-period', 'in-or-after'] as const, 'in-period'),
    lift: (num(params.liftPoints) ?? 5) / 100,
    programme: text(params.programme),
    treatmentValue: text(params.treatment),
    holdoutValue: text(params.holdout),
    start: dayParam(params.start),
  };
}

/** The forecast's arguments; `whatIf` is null when the saved rates are not all percentages 0–100. */
export type ForecastArgs = Omit<ForecastParams, 'whatIf'> & { whatIf: number[] | null };

/**
 * The scenario forecast (ForecastCell.svelte): the what-if churn rates are saved as
 * the text typed ("3, 2.5": percent per period, split on commas, semicolons or
 * spaces) and become fractions; the window is suggested from the data, as in the
 * cell, which has no window field. The cell does not run while a rate is not a
 * number from 0 to 100; `whatIf` null says so.
 */
export function forecastArgs(params: Params): ForecastArgs {
  const whatIfText = typeof params.whatIf === 'string' ? params.whatIf : '';
  const rates = whatIfText
    .split(/[,;\s]+/)
    .filter(Boolean)
    .map(Number);
  const whatIf = rates.every((x) => Number.isFinite(x) && x >= 0 && x <= 100)
    ? rates.map((x) => x / 100)
    : null;
  return {
    period: oneOf<Period>(params.period, ['month', 'quarter', 'year'], 'month'),
    periods: num(params.periods) ?? 12,
    whatIf,
    newPerPeriod: num(params.newPerPeriod),
  };
}

/** NPS (NpsCell.svelte): scores at or below `negative` count as negative; outcomes as in churn. */
export function npsArgs(
  params: Params,
): Pick<NpsParams, 'period' | 'by' | 'negative' | 'windowDays' | 'cutoff'> {
  return {
    period: oneOf(params.period, ['month', 'quarter'] as const, 'month'),
    by: text(params.by),
    negative: num(params.negative) ?? DEFAULT_NEGATIVE,
    windowDays: num(params.windowDays) ?? 90,
    cutoff: dayParam(params.cutoff),
  };
}

/** Customer journeys (JourneysCell.svelte): steps, the share below which events become "Other", outcomes. */
export function journeysArgs(
  params: Params,
): Pick<JourneyParams, 'steps' | 'minShare' | 'windowDays' | 'cutoff'> {
  return {
    steps: num(params.steps) ?? DEFAULT_STEPS,
    minShare: num(params.minShare) ?? DEFAULT_MIN_SHARE,
    windowDays: num(params.windowDays) ?? 90,
    cutoff: dayParam(params.cutoff),
  };
}
