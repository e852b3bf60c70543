import { kpiSummary, kpisByPeriod, type Period } from '../lib/analyses/kpis.ts';
import { dataGaps } from '../lib/analyses/gaps.ts';
import { qualityReport } from '../lib/analyses/quality.ts';
import type { NodeEngine } from '../lib/engine/node.ts';
import { loadFile } from '../lib/ingest/load.ts';
import { fromPath, nodeDecoders } from '../lib/ingest/node-input.ts';
import { detectMapping } from '../lib/schema/detect.ts';
import type { Mapping } from '../lib/schema/mapping.ts';
import { resolve } from 'node:path';
import { UsageError, type Parsed } from './args.ts';
import { loadAndMap } from './model.ts';

/** Plain JSON: dates as ISO text, no SQL (the CLI prints numbers; --sql would be a later addition). */
function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, v) => (key === 'sql' || key === 'statements' ? undefined : v)),
  );
}

function number(
  flags: Record<string, string>,
  name: string,
  check: (n: number) => boolean,
  what: string,
) {
  if (flags[name] === undefined) return undefined;
  const n = Number(flags[name]);
  if (!Number.isFinite(n) || !check(n))
    throw new UsageError(`--${name} must be ${what}, not "${flags[name]}"`);
  return n;
}

/** `retain mapping FILE...`: the proposed mapping of each file, to review and pass back with --mapping. */
export async function mappingCommand(engine: NodeEngine, { files }: Parsed) {
  const mapping: Mapping = { version: 1, tables: [], currency: 'GBP', timeZone: 'UTC' };
  const notes: string[] = [];
  for (const file of files) {
    const result = await loadFile(engine, nodeDecoders, await fromPath(resolve(file)));
    for (const t of result.tables) {
      const { proposal } = await detectMapping(engine, t.name);
      if (proposal) mapping.tables.push(proposal.mapping);
      notes.push(
        ...(proposal ? proposal.notes : ['not recognised as any retention table']).map(
          (n) => `${t.name}: ${n}`,
        ),
      );
    }
  }
  return { mapping, notes };
}

/** `retain kpis FILE... [--mapping M] [--period month|quarter|year] [--window DAYS] [--margin 0..1] [--lifespan YEARS]` */
export async function kpisCommand(engine: NodeEngine, { files, flags }: Parsed) {
  const period = (flags.period ?? 'month') as Period;
  if (!['month', 'quarter', 'year'].includes(period))
    throw new UsageError('--period must be month, quarter or year');
  const windowDays = number(
    flags,
    'window',
    (n) => n >= 1 && Number.isInteger(n),
    'a whole number of days ≥ 1',
  );
  const margin = number(flags, 'margin', (n) => n >= 0 && n <= 1, 'a fraction between 0 and 1');
  const lifespanYears = number(flags, 'lifespan', (n) => n > 0, 'a positive number of years');
  const { mapping, notes } = await loadAndMap(engine, files, flags.mapping);
  if (!mapping.tables.some((t) => t.kind === 'orders')) {
    throw new UsageError(
      'no orders table was recognised; KPIs need orders (use --mapping to map one)',
    );
  }
  const summary = await kpiSummary(engine, { windowDays, margin, lifespanYears });
  const periods = await kpisByPeriod(engine, {
    period,
    windowDays: windowDays ?? summary.churn.windowDays,
  });
  return plain({ mapping, notes, currency: mapping.currency, ...summary, periods: periods.rows });
}

/** `retain quality FILE... [--mapping M] [--as-of DATE]` */
export async function qualityCommand(engine: NodeEngine, { files, flags }: Parsed) {
  const asOf = flags['as-of'] ? new Date(flags['as-of']) : new Date();
  if (Number.isNaN(asOf.getTime()))
    throw new UsageError(`--as-of must be a date such as 2024-12-31`);
  const { mapping, notes } = await loadAndMap(engine, files, flags.mapping);
  const reports = [];
  for (const tm of mapping.tables)
    reports.push(await qualityReport(engine, { raw: tm.source, canonical: tm.kind, asOf }));
  const tables = Object.fromEntries(mapping.tables.map((t) => [t.kind, Object.keys(t.columns)]));
  return plain({ mapping, notes, reports, gaps: dataGaps({ tables }) });
}
