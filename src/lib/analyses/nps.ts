/**
 * NPS and the antecedents of churn (DOMAIN.md, "Analyses"; issue 7, part 4).
 *
 * - NPS (Reichheld, "The One Number You Need to Grow", HBR 2003) = % promoters
 *   (9–10) − % detractors (0–6), over answers with a score: overall (the KPI
 *   overview's own npsSql), per calendar month or quarter of the answer date, and
 *   per value of a segment column (a feedback column such as topic, or a customer
 *   attribute such as plan or region).
 * - Negative runs: for labelled customers with answers before their bound (see
 *   nps-outcomes.ts), the length of their FINAL run of consecutive negative answers
 *   (score ≤ `negative`, 6 by default): how many answers in a row were negative at
 *   the end of their history, just before the cut-off or their churn. 0, 1, 2, 3+,
 *   each with customers and churn rate: the "35 % leave after one negative answer,
 *   80 % after two in a row" kind of finding.
 * - Events: for each event name, the churn rate of customers who had it before their
 *   bound, of those who did not, and lift = churn rate with it ÷ base churn rate.
 */
import { toRows, type Cell } from '../engine/rows.ts';
import type { SqlEngine } from '../engine/types.ts';
import type { LabelSource } from '../churn/features.ts';
import { ident, literal } from '../sql/quote.ts';
import { existingRelations, num, numOrNull } from './kpis-sql.ts';
import { npsSql, type Nps } from './kpis-summary.ts';
import { planOutcomes, type OutcomeParams } from './nps-outcomes.ts';
import {
  DEFAULT_NEGATIVE,
  eventAntecedentsSql,
  negativeRunsSql,
  npsByPeriodSql,
  npsBySegmentSql,
  outcomeBaseSql,
  RUN_CAP,
  type NpsPeriod,
  type SegmentColumn,
} from './nps-sql.ts';

export { DEFAULT_NEGATIVE, RUN_CAP, type NpsPeriod, type SegmentColumn } from './nps-sql.ts';

export interface NpsParams extends OutcomeParams {
  period?: NpsPeriod;
  /** Segment column: a feedback or customers column name; default topic, else plan, else none. */
  by?: string;
  /** Scores at or below this count as negative in the runs; an integer 0–9, default 6. */
  negative?: number;
  /** How many events to list by lift; default 10. */
  topEvents?: number;
  /** Aborting cancels the running query. */
  signal?: AbortSignal;
  /** Which step runs now, 0…1. */
  onProgress?: (fraction: number, step: string) => void;
}

export interface NpsPeriodRow extends Nps {
  start: Date;
  /** 2024-03 or 2024-Q1. */
  period: string;
}

export interface NpsSegmentRow extends Nps {
  segment: string;
}

/** Customers whose final run of negative answers has this length (RUN_CAP means RUN_CAP or more). */
export interface NegativeRun {
  run: number;
  /** "0", "1", "2", "3+". */
  label: string;
  customers: number;
  churned: number;
  /** churned ÷ customers × 100; null for an empty row. */
  churnRate: number | null;
}

export interface EventAntecedent {
  event: string;
  customers: number;
  churned: number;
  churnRate: number;
  customersWithout: number;
  churnedWithout: number;
  churnRateWithout: number | null;
  /** churnRate ÷ base churn rate; null when nobody churned. */
  lift: number | null;
}

export interface Antecedents {
  label: LabelSource;
  cutoff: Date | null;
  windowDays: number;
  explanation: string;
  negative: number;
  /** Labelled customers, churned ones and the base churn rate (%). */
  customers: number;
  churned: number;
  churnRate: number | null;
  /** Labelled customers with at least one answer before their bound (the runs' population). */
  answered: number;
  runs: NegativeRun[];
  /** Null without an events table; see eventsNote. */
  events: EventAntecedent[] | null;
  eventsNote: string | null;
}

export interface NpsResult {
  overall: Nps;
  period: NpsPeriod;
  periods: NpsPeriodRow[];
  /** The segment column used and its rows; null when there is none. */
  segments: { by: SegmentColumn; rows: NpsSegmentRow[] } | null;
  /** Columns that can segment NPS, for the form. */
  segmentColumns: string[];
  /** Null when the data cannot say who churned; see antecedentsNote. */
  antecedents: Antecedents | null;
  antecedentsNote: string | null;
  sql: { overall: string; periods: string; segments?: string; runs?: string; events?: string };
}

const NOT_SEGMENTS = new Set([
  'customer_id',
  'feedback_ts',
  'score',
  'text',
  'signup_ts',
  'churn_ts',
]);
const NUMERIC = /INT|DOUBLE|FLOAT|DECIMAL|REAL|NUMERIC/i;

async function rows(engine: SqlEngine, sql: string, signal?: AbortSignal) {
  return toRows(await engine.query(sql, { signal }));
}

function toNps(x: Record<string, Cell>): Nps {
  return {
    responses: num(x.responses),
    promoters: num(x.promoters),
    passives: num(x.passives),
    detractors: num(x.detractors),
    promoterShare: numOrNull(x.promoter_share),
    detractorShare: numOrNull(x.detractor_share),
    nps: numOrNull(x.nps),
  };
}

/** Check the parameters before any query; throws a RangeError saying what to change. */
export function checkNpsParams(params: NpsParams): void {
  if (params.period !== undefined && !['month', 'quarter'].includes(params.period))
    throw new RangeError(`The period must be month or quarter, not “${params.period}”.`);
  const n = params.negative;
  if (n !== undefined && !(Number.isInteger(n) && n >= 0 && n <= 9))
    throw new RangeError(
      `The negative threshold must be a whole score from 0 to 9 (answers at or below it are negative), not ${n}.`,
    );
  const t = params.topEvents;
  if (t !== undefined && !(Number.isInteger(t) && t >= 1 && t <= 1000))
    throw new RangeError(`The number of events must be a whole number from 1 to 1,000, not ${t}.`);
}

/**
 * The columns NPS can be segmented by: feedback columns (topic) and customer
 * attributes (plan, region, churned, attr_…) that hold at least one text or
 * true/false value. Ids, dates, scores and free text are left out.
 */
export async function npsSegmentColumns(
  engine: SqlEngine,
  signal?: AbortSignal,
): Promise<SegmentColumn[]> {
  const present = await existingRelations(engine, ['feedback', 'customers']);
  const found: SegmentColumn[] = [];
  for (const table of ['feedback', 'customers'] as const) {
    if (!present.has(table)) continue;
    const columns = await rows(
      engine,
      `SELECT column_name::VARCHAR AS name, data_type::VARCHAR AS type
       FROM information_schema.columns
       WHERE table_name = ${literal(table)} AND table_schema = 'main'
         AND table_catalog IN (current_database(), 'temp')
       ORDER BY ordinal_position`,
      signal,
    );
    const candidates = columns
      .map((c) => ({ column: String(c.name), type: String(c.type) }))
      .filter(
        (c) => !NOT_SEGMENTS.has(c.column) && !NUMERIC.test(c.type) && !/TIME|DATE/.test(c.type),
      );
    if (!candidates.length) continue;
    const [counts] = await rows(
      engine,
      `SELECT ${candidates.map((c, i) => `count(${ident(c.column)}) AS c${i}`).join(', ')} FROM ${ident(table)}`,
      signal,
    );
    for (const [i, c] of candidates.entries()) {
      if (num(counts[`c${i}`]) > 0 && !found.some((f) => f.column === c.column))
        found.push({ table, column: c.column });
    }
  }
  return found;
}

const PREFERRED_SEGMENTS = ['topic', 'plan', 'region', 'acquisition_source'];

/**
 * NPS overall, per period and per segment, and what precedes churn; see the module
 * comment for the definitions. Throws a RangeError naming the table to map when there
 * is no feedback. Without a churn label the NPS figures still come back, with
 * antecedentsNote saying what would enable the rest.
 */
export async function npsAnalysis(engine: SqlEngine, params: NpsParams = {}): Promise<NpsResult> {
  checkNpsParams(params);
  const { signal } = params;
  const progress = params.onProgress ?? (() => {});
  progress(0, 'NPS per period…');
  const present = await existingRelations(engine, ['feedback', 'events']);
  if (!present.has('feedback'))
    throw new RangeError(
      'NPS needs feedback: load a survey export with a customer id, an answer date and a 0–10 score, and map it as “Feedback / NPS”.',
    );
  const period = params.period ?? 'month';
  const choices = await npsSegmentColumns(engine, signal);
  let by: SegmentColumn | undefined;
  if (params.by !== undefined) {
    by = choices.find((c) => c.column === params.by);
    if (!by)
      throw new RangeError(
        `There is no column “${params.by}” to segment NPS by. ${choices.length ? `Choose one of: ${choices.map((c) => c.column).join(', ')}.` : 'Map a topic in the feedback table or attributes (plan, region) in a customers table.'}`,
      );
  } else {
    by = PREFERRED_SEGMENTS.map((p) => choices.find((c) => c.column === p)).find(Boolean);
  }
  const sql: NpsResult['sql'] = { overall: npsSql(), periods: npsByPeriodSql(period) };
  const [overall] = await rows(engine, sql.overall, signal);
  const periods = (await rows(engine, sql.periods, signal)).map((x) => ({
    start: x.start as Date,
    period: String(x.period),
    ...toNps(x),
  }));
  let segments: NpsResult['segments'] = null;
  if (by) {
    progress(0.25, 'NPS by segment…');
    sql.segments = npsBySegmentSql(by);
    const list = await rows(engine, sql.segments, signal);
    segments = { by, rows: list.map((x) => ({ segment: String(x.segment), ...toNps(x) })) };
  }
  const result: NpsResult = {
    overall: toNps(overall),
    period,
    periods,
    segments,
    segmentColumns: choices.map((c) => c.column),
    antecedents: null,
    antecedentsNote: null,
    sql,
  };
  progress(0.4, 'Who churned…');
  let plan;
  try {
    plan = await planOutcomes(engine, params);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    result.antecedentsNote = error.message;
    return result;
  }
  const negative = params.negative ?? DEFAULT_NEGATIVE;
  progress(0.55, 'Runs of negative answers…');
  sql.runs = negativeRunsSql(plan.cte, negative);
  const [base] = await rows(engine, outcomeBaseSql(plan.cte), signal);
  const runs = (await rows(engine, sql.runs, signal)).map((x) => ({
    run: num(x.run),
    label: num(x.run) >= RUN_CAP ? `${RUN_CAP}+` : String(num(x.run)),
    customers: num(x.customers),
    churned: num(x.churned),
    churnRate: numOrNull(x.churn_rate),
  }));
  let events: EventAntecedent[] | null = null;
  let eventsNote: string | null = null;
  if (present.has('events')) {
    progress(0.8, 'Events before churn…');
    sql.events = eventAntecedentsSql(plan.cte, params.topEvents ?? 10);
    events = (await rows(engine, sql.events, signal)).map((x) => ({
      event: String(x.event_name),
      customers: num(x.customers),
      churned: num(x.churned),
      churnRate: num(x.churn_rate),
      customersWithout: num(x.customers_without),
      churnedWithout: num(x.churned_without),
      churnRateWithout: numOrNull(x.churn_rate_without),
      lift: numOrNull(x.lift),
    }));
  } else {
    eventsNote =
      'Map an events table (customer id, time, event name) to see which events precede churn.';
  }
  result.antecedents = {
    label: plan.label,
    cutoff: plan.cutoff,
    windowDays: plan.windowDays,
    explanation: plan.explanation,
    negative,
    customers: num(base.customers),
    churned: num(base.churned),
    churnRate: numOrNull(base.churn_rate),
    answered: runs.reduce((sum, r) => sum + r.customers, 0),
    runs,
    events,
    eventsNote,
  };
  return result;
}
