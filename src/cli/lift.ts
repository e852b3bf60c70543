/**
 * `retain lift` and its flags: programme lift (treatment against holdout) with the same
 * code as the app's cell (src/lib/analyses/lift.ts), on native DuckDB.
 */
import { programmeLift, type LiftParams } from '../lib/analyses/lift.ts';
import type { NodeEngine } from '../lib/engine/node.ts';
import { numberFlag, UsageError, type Parsed } from './args.ts';
import { loadAndMap } from './model.ts';

export const LIFT_FLAGS = [
  'mapping',
  'period',
  'periods',
  'lift',
  'definition',
  'programme',
  'start',
  'treatment',
  'holdout',
];

/** The lift parameters from the flags, checked before any file is read. */
export function liftFlags(flags: Record<string, string>): LiftParams {
  const period = (flags.period ?? 'month') as LiftParams['period'];
  if (period !== 'month' && period !== 'quarter')
    throw new UsageError(`--period must be month or quarter, not "${flags.period}"`);
  const definition = (flags.definition ?? 'in-period') as LiftParams['definition'];
  if (definition !== 'in-period' && definition !== 'in-or-after')
    throw new UsageError(
      `--definition must be in-period or in-or-after, not "${flags.definition}"`,
    );
  let start: Date | undefined;
  if (flags.start !== undefined) {
    start = new Date(`${flags.start}T00:00:00Z`);
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(flags.start) ||
      Number.isNaN(start.getTime()) ||
      start.toISOString().slice(0, 10) !== flags.start
    )
      throw new UsageError(`--start must be a date such as 2024-01-01, not "${flags.start}"`);
  }
  return {
    period,
    definition,
    start,
    periods: numberFlag(
      flags,
      'periods',
      (n) => Number.isInteger(n) && n >= 1 && n <= 120,
      'a whole number from 1 to 120',
    ),
    lift: numberFlag(
      flags,
      'lift',
      (n) => n > 0 && n < 1,
      'an absolute lift in retention between 0 and 1 (0.05 = 5 points)',
    ),
    programme: flags.programme,
    treatmentValue: flags.treatment,
    holdoutValue: flags.holdout,
  };
}

/**
 * `retain lift FILE... [--mapping M] [--period month|quarter] [--periods N] [--lift 0.05]
 * [--definition in-period|in-or-after] [--programme NAME] [--start DATE]
 * [--treatment VALUE] [--holdout VALUE]`
 */
export async function liftCommand(engine: NodeEngine, { files, flags }: Parsed) {
  const params = liftFlags(flags);
  const { mapping, notes } = await loadAndMap(engine, files, flags.mapping);
  for (const [kind, label] of [
    [
      'programme',
      'a programme membership table (customer ID, group treatment/holdout, start date)',
    ],
    ['orders', 'an orders table'],
  ] as const) {
    if (!mapping.tables.some((t) => t.kind === kind))
      throw new UsageError(
        `no ${kind} table was recognised; programme lift needs ${label} (use --mapping to map one)`,
      );
  }
  const { sql: _sql, ...result } = await programmeLift(engine, params);
  return JSON.parse(JSON.stringify({ mapping, mappingNotes: notes, ...result }));
}
