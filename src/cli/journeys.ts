/**
 * `retain journeys FILE... [--mapping M] [--steps N] [--min-share 0.02] [--top N]
 * [--cutoff DATE] [--window DAYS]`: the most frequent event paths ending in churned or
 * retained, with the same code as the app's journeys cell (src/lib/analyses/journeys.ts).
 */
import { journeys } from '../lib/analyses/journeys.ts';
import type { NodeEngine } from '../lib/engine/node.ts';
import { dateFlag, numberFlag, type Parsed } from './args.ts';
import { loadAndMap } from './model.ts';

export const JOURNEYS_FLAGS = ['mapping', 'steps', 'min-share', 'top', 'cutoff', 'window'];

/** Run `retain journeys`; flags are checked before any file is read. */
export async function journeysCommand(engine: NodeEngine, { files, flags }: Parsed) {
  const steps = numberFlag(
    flags,
    'steps',
    (n) => Number.isInteger(n) && n >= 1 && n <= 10,
    'a whole number from 1 to 10',
  );
  const minShare = numberFlag(
    flags,
    'min-share',
    (n) => n >= 0 && n < 1,
    'a fraction from 0 to 1 (0.02 groups events reached by fewer than 2 % of customers as "Other")',
  );
  const topPaths = numberFlag(
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
  const {
    sql: _sql,
    cutoff: used,
    ...r
  } = await journeys(engine, { steps, minShare, topPaths, cutoff, windowDays });
  void _sql;
  return { notes, ...r, cutoff: used ? used.toISOString().slice(0, 10) : null };
}
