/**
 * `retain survival`: Kaplan–Meier curves of time to churn, medians, survival at
 * yearly times and the log-rank test, with the same code as the app's Survival cell
 * (src/lib/analyses/survival.ts), on native DuckDB.
 */
import { survivalAnalysis, type SurvivalParams } from '../lib/analyses/survival.ts';
import type { NodeEngine } from '../lib/engine/node.ts';
import { UsageError, type Parsed } from './args.ts';
import { loadAndMap } from './model.ts';

export const SURVIVAL_FLAGS = ['mapping', 'source', 'by', 'unit', 'window', 'per'];

/** Check the flags before any file is read; throws a UsageError on the first bad one. */
export function survivalFlags(flags: Record<string, string>): SurvivalParams {
  const source = flags.source ?? 'auto';
  if (!['auto', 'subscriptions', 'tenure', 'orders'].includes(source))
    throw new UsageError(
      `--source must be auto, subscriptions, tenure or orders, not "${flags.source}"`,
    );
  const unit = flags.unit;
  if (unit !== undefined && !['day', 'week', 'month'].includes(unit))
    throw new UsageError(`--unit must be day, week or month, not "${unit}"`);
  if (source === 'tenure' && unit !== undefined && unit !== 'month')
    throw new UsageError('--unit must be month with --source tenure (tenure is in months)');
  let windowDays: number | undefined;
  if (flags.window !== undefined) {
    windowDays = Number(flags.window);
    if (flags.window.trim() === '' || !Number.isInteger(windowDays) || windowDays < 1)
      throw new UsageError(
        `--window must be a whole number of days ≥ 1 (e.g. 90), not "${flags.window}"`,
      );
  }
  const per = flags.per;
  if (per !== undefined && per !== 'customer' && per !== 'subscription')
    throw new UsageError(`--per must be customer or subscription, not "${per}"`);
  if (flags.by !== undefined && flags.by.trim() === '')
    throw new UsageError('--by needs a column name, e.g. --by plan');
  return {
    source: source as SurvivalParams['source'],
    by: flags.by ?? null,
    unit: unit as SurvivalParams['unit'],
    windowDays,
    per: per as SurvivalParams['per'],
  };
}

/** `retain survival FILE... [--mapping M] [--source auto|subscriptions|tenure|orders] [--by COLUMN] [--unit day|week|month] [--window DAYS] [--per customer|subscription]` */
export async function survivalCommand(engine: NodeEngine, { files, flags }: Parsed) {
  const params = survivalFlags(flags);
  const { notes: mappingNotes } = await loadAndMap(engine, files, flags.mapping);
  let result;
  try {
    result = await survivalAnalysis(engine, params);
  } catch (error) {
    // A parameter the data cannot take (a --by column with no values, tenure in weeks) is bad usage.
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
  // Plain snake_case keys, as the other analysis commands print; the same numbers as the cell.
  return {
    source: result.source,
    explanation: result.explanation,
    unit: result.unit,
    by: result.by,
    window_days: result.windowDays,
    per: result.per,
    data_end: result.dataEnd,
    n: result.n,
    events: result.events,
    times: result.times,
    groups: result.groups.map((g) => ({
      group: g.group,
      levels: g.levels,
      n: g.n,
      events: g.events,
      median: g.median.time,
      median_lower: g.median.lower,
      median_upper: g.median.upper,
      survival_at: g.survivalAt,
      curve: g.points.map((p) => ({
        time: p.time,
        survival: p.survival,
        lower: p.lower,
        upper: p.upper,
        at_risk: p.atRisk,
      })),
    })),
    log_rank: result.logRank
      ? { chi_square: result.logRank.chiSquare, df: result.logRank.df, p: result.logRank.p }
      : null,
    notes: [...result.notes, ...mappingNotes],
  };
}
