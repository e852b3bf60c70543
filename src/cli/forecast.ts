/**
 * `retain forecast` and its flags: the scenario forecast with the same code as the
 * app's cell (src/lib/analyses/forecast.ts), on native DuckDB.
 */
import { scenarioForecast, type ForecastParams } from '../lib/analyses/forecast.ts';
import type { NodeEngine } from '../lib/engine/node.ts';
import { numberFlag, UsageError, type Parsed } from './args.ts';
import { loadAndMap } from './model.ts';

export const FORECAST_FLAGS = [
  'mapping',
  'period',
  'periods',
  'churn',
  'new',
  'window',
  'recent',
  'revenue-per-customer',
];

/** The forecast parameters from the flags, checked before any file is read. */
export function forecastFlags(flags: Record<string, string>): ForecastParams {
  const period = (flags.period ?? 'month') as ForecastParams['period'];
  if (period !== 'month' && period !== 'quarter' && period !== 'year')
    throw new UsageError(`--period must be month, quarter or year, not "${flags.period}"`);
  const whatIf = flags.churn?.split(',').map((text) => {
    const rate = Number(text);
    if (text.trim() === '' || !Number.isFinite(rate) || rate < 0 || rate > 1)
      throw new UsageError(
        `--churn takes what-if churn rates per ${period} as fractions from 0 to 1, separated by commas (e.g. 0.05,0.03), not "${flags.churn}"`,
      );
    return rate;
  });
  const whole = (max: number) => (n: number) => Number.isInteger(n) && n >= 1 && n <= max;
  return {
    period,
    whatIf,
    periods: numberFlag(flags, 'periods', whole(120), 'a whole number from 1 to 120'),
    recent: numberFlag(flags, 'recent', whole(60), 'a whole number from 1 to 60'),
    windowDays: numberFlag(
      flags,
      'window',
      (n) => n >= 1 && Number.isInteger(n),
      'a whole number of days ≥ 1',
    ),
    newPerPeriod: numberFlag(flags, 'new', (n) => n >= 0, 'a number of customers ≥ 0'),
    revenuePerCustomer: numberFlag(flags, 'revenue-per-customer', (n) => n >= 0, 'an amount ≥ 0'),
  };
}

/**
 * `retain forecast FILE... [--mapping M] [--period month|quarter|year] [--periods N]
 * [--churn 0.05,0.03] [--new N] [--window DAYS] [--recent N] [--revenue-per-customer X]`
 */
export async function forecastCommand(engine: NodeEngine, { files, flags }: Parsed) {
  const params = forecastFlags(flags);
  const { mapping, notes } = await loadAndMap(engine, files, flags.mapping);
  if (!mapping.tables.some((t) => t.kind === 'orders'))
    throw new UsageError(
      'no orders table was recognised; the forecast needs orders (use --mapping to map one)',
    );
  const { sql: _sql, ...result } = await scenarioForecast(engine, params);
  return JSON.parse(JSON.stringify({ mapping, mappingNotes: notes, ...result }));
}
