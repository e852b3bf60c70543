import { kpiSummary, kpisByPeriod, suggestWindow, type Period } from '../lib/analyses/kpis.ts';
import { customerSummary, type SummaryUnit } from '../lib/analyses/btyd-summary.ts';
import { cohortAnalysis, type CohortParams } from '../lib/analyses/cohorts.ts';
import { purchaseJourney } from '../lib/analyses/purchases.ts';
import { rfm, rfmCustomers, SEGMENT_RULES } from '../lib/analyses/rfm.ts';
import { behaviouralSegments } from '../lib/analyses/segments.ts';
import { dataGaps } from '../lib/analyses/gaps.ts';
import { qualityReport } from '../lib/analyses/quality.ts';
import type { NodeEngine } from '../lib/engine/node.ts';
import { loadFile } from '../lib/ingest/load.ts';
import { fromPath, nodeDecoders } from '../lib/ingest/node-input.ts';
import { detectMapping } from '../lib/schema/detect.ts';
import type { Mapping } from '../lib/schema/mapping.ts';
import { resolve } from 'node:path';
import { numberFlag, UsageError, type Parsed } from './args.ts';
import { loadAndMap } from './model.ts';

/** Plain JSON: dates as ISO text, no SQL (the CLI prints numbers; --sql would be a later addition). */
function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, v) => (key === 'sql' || key === 'statements' ? undefined : v)),
  );
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
  const windowDays = numberFlag(
    flags,
    'window',
    (n) => n >= 1 && Number.isInteger(n),
    'a whole number of days ≥ 1',
  );
  const margin = numberFlag(flags, 'margin', (n) => n >= 0 && n <= 1, 'a fraction between 0 and 1');
  const lifespanYears = numberFlag(flags, 'lifespan', (n) => n > 0, 'a positive number of years');
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

/** `retain cohorts FILE... [--mapping M] [--grain week|month|quarter] [--basis first_purchase|signup] [--slice NAME]` */
export async function cohortsCommand(engine: NodeEngine, { files, flags }: Parsed) {
  const grain = (flags.grain ?? 'month') as CohortParams['grain'];
  if (!['week', 'month', 'quarter'].includes(grain))
    throw new UsageError('--grain must be week, month or quarter');
  const basis = (flags.basis ?? 'first_purchase') as CohortParams['basis'];
  if (!['first_purchase', 'signup'].includes(basis!))
    throw new UsageError('--basis must be first_purchase or signup');
  const { mapping, notes } = await loadAndMap(engine, files, flags.mapping);
  const result = await cohortAnalysis(engine, { grain, basis, sliceBy: flags.slice });
  return plain({ mapping, notes, ...result });
}

/** `retain rfm FILE... [--mapping M] [--as-of DATE] [--segment NAME]` (with --segment: that segment's customers) */
export async function rfmCommand(engine: NodeEngine, { files, flags }: Parsed) {
  const asOf = flags['as-of'] ? new Date(`${flags['as-of']}T00:00:00Z`) : undefined;
  if (asOf && Number.isNaN(asOf.getTime()))
    throw new UsageError('--as-of must be a date such as 2011-12-10');
  const { mapping, notes } = await loadAndMap(engine, files, flags.mapping);
  if (flags.segment) {
    const segment = SEGMENT_RULES.find(
      (r) => r.segment.toLowerCase() === flags.segment.toLowerCase(),
    )?.segment;
    if (!segment)
      throw new UsageError(
        `--segment must be one of: ${SEGMENT_RULES.map((r) => r.segment).join(', ')}`,
      );
    return plain({ segment, customers: await rfmCustomers(engine, { asOf }, segment) });
  }
  return plain({ mapping, notes, ...(await rfm(engine, { asOf })), rules: SEGMENT_RULES });
}

/** `retain segments FILE... [--mapping M] [--window DAYS] [--discount 0..1] [--category 0..1]` */
export async function segmentsCommand(engine: NodeEngine, { files, flags }: Parsed) {
  const discountShare = numberFlag(
    flags,
    'discount',
    (n) => n > 0 && n <= 1,
    'a fraction above 0 and at most 1',
  );
  const categoryShare = numberFlag(
    flags,
    'category',
    (n) => n > 0 && n <= 1,
    'a fraction above 0 and at most 1',
  );
  const window = numberFlag(
    flags,
    'window',
    (n) => n >= 1 && Number.isInteger(n),
    'a whole number of days ≥ 1',
  );
  const { mapping, notes } = await loadAndMap(engine, files, flags.mapping);
  const windowDays = window ?? (await suggestWindow(engine)).days;
  return plain({
    mapping,
    notes,
    windowDays,
    ...(await behaviouralSegments(engine, { discountShare, categoryShare, windowDays })),
  });
}

/** `retain purchases FILE... [--mapping M] [--by product|category] [--top N]` */
export async function purchasesCommand(engine: NodeEngine, { files, flags }: Parsed) {
  const by = (flags.by ?? 'product') as 'product' | 'category';
  if (!['product', 'category'].includes(by))
    throw new UsageError('--by must be product or category');
  const top = numberFlag(
    flags,
    'top',
    (n) => n >= 1 && n <= 1000 && Number.isInteger(n),
    'a whole number from 1 to 1000',
  );
  const { mapping, notes } = await loadAndMap(engine, files, flags.mapping);
  return plain({ mapping, notes, ...(await purchaseJourney(engine, { by, top })) });
}

/** `retain summary FILE... [--mapping M] --calibration-end DATE [--unit day|week|month]` (BTYD x, t_x, T, zbar) */
export async function summaryCommand(engine: NodeEngine, { files, flags }: Parsed) {
  const unit = (flags.unit ?? 'week') as SummaryUnit;
  if (!['day', 'week', 'month'].includes(unit))
    throw new UsageError('--unit must be day, week or month');
  if (!flags['calibration-end'])
    throw new UsageError('--calibration-end is required, e.g. --calibration-end 1997-09-30');
  const calibrationEnd = new Date(`${flags['calibration-end']}T00:00:00Z`);
  if (Number.isNaN(calibrationEnd.getTime()))
    throw new UsageError('--calibration-end must be a date such as 1997-09-30');
  const { mapping, notes } = await loadAndMap(engine, files, flags.mapping);
  const summary = await customerSummary(engine, { unit, calibrationEnd });
  return plain({ mapping, notes, customers: summary.rows.length, ...summary });
}
