/**
 * `retain nps FILE... [--mapping M] [--period month|quarter] [--by COLUMN] [--cutoff DATE]
 * [--window DAYS] [--negative 6] [--top N]`: NPS over time and by segment, and what
 * precedes churn, with the same code as the app's NPS cell (src/lib/analyses/nps.ts).
 */
import { npsAnalysis, npsSegmentColumns, type NpsPeriod } from '../lib/analyses/nps.ts';
import type { NodeEngine } from '../lib/engine/node.ts';
import { dateFlag, numberFlag, UsageError, type Parsed } from './args.ts';
import { loadAndMap } from './model.ts';

export const NPS_FLAGS = ['mapping', 'period', 'by', 'cutoff', 'window', 'negative', 'top'];

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

/** Run `retain nps`; flags are checked before any file is read. */
export async function npsCommand(engine: NodeEngine, { files, flags }: Parsed) {
  const period = (flags.period ?? 'month') as NpsPeriod;
  if (!['month', 'quarter'].includes(period))
    throw new UsageError(`--period must be month or quarter, not "${flags.period}"`);
  const negative = numberFlag(
    flags,
    'negative',
    (n) => Number.isInteger(n) && n >= 0 && n <= 9,
    'a whole score from 0 to 9 (answers at or below it are negative)',
  );
  const topEvents = numberFlag(
    flags,
    'top',
    (n) => Number.isInteger(n) && n >= 1 && n <= 1000,
    'a whole number from 1 to 1000',
  );
  const windowDays = numberFlag(
    flags,
    'window',
    (n) => n >= 1 && n <= 3660,
    'a number of days from 1 to 3660',
  );
  const cutoff = dateFlag(flags, 'cutoff');
  const { notes } = await loadAndMap(engine, files, flags.mapping);
  if (flags.by !== undefined) {
    const choices = await npsSegmentColumns(engine);
    if (!choices.some((c) => c.column === flags.by))
      throw new UsageError(
        `--by must be a feedback or customers column; the loaded data has ${choices.length ? choices.map((c) => c.column).join(', ') : 'none (map a topic, or a customers table with plan or region)'}, not "${flags.by}"`,
      );
  }
  const r = await npsAnalysis(engine, {
    period,
    by: flags.by,
    negative,
    topEvents,
    cutoff,
    windowDays,
  });
  const a = r.antecedents;
  return {
    notes,
    nps: r.overall,
    period: r.period,
    periods: r.periods.map(({ start, ...p }) => ({ ...p, start: day(start) })),
    by: r.segments?.by.column ?? null,
    segments: r.segments?.rows ?? [],
    segment_columns: r.segmentColumns,
    antecedents: a && {
      label: a.label,
      explanation: a.explanation,
      cutoff: day(a.cutoff),
      window_days: a.label === 'derived' ? a.windowDays : null,
      negative: a.negative,
      customers: a.customers,
      churned: a.churned,
      churn_rate: a.churnRate,
      answered: a.answered,
      negative_runs: a.runs,
      events: a.events,
      events_note: a.eventsNote,
    },
    antecedents_note: r.antecedentsNote,
  };
}
