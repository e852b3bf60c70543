/**
 * Answers the loaded data can give to the audit questionnaire, each with its
 * evidence, or a sentence naming the table or column that would let the data
 * answer. Runs on the SqlEngine over the canonical views, through the same
 * analysis modules as the notebook cells (KPI summary, cohorts, first and second
 * purchase, RFM), so the audit and the cells show the same numbers.
 */
import { existingRelations } from '../analyses/kpis-sql.ts';
import { QueryCancelledError, type SqlEngine } from '../engine/types.ts';
import { missing, stepsFor } from './proposers.ts';
import { PROPOSER_IDS, type ProposerId, type Question } from './questionnaire.ts';
import type { AnswerValue } from './types.ts';

/** What one proposer found. */
export interface Proposal {
  proposer: ProposerId;
  /** 'missing': the data cannot answer; 'failed': it should have, but a query failed. */
  status: 'proposed' | 'missing' | 'failed';
  /** The answer for each kind of question the proposer serves. */
  answer?: { number?: number; yesno?: boolean; text?: string };
  /** What the answer rests on, or why there is none. */
  evidence: string;
  /** The figures behind the evidence, with plain keys. */
  figures: Record<string, number | string>;
  /** For 'missing': the table or column that would let the data answer. */
  missing?: string;
}

/** The figures data-driven findings are built from (findings.ts); null where unmeasurable. */
export interface AuditMetrics {
  customers: number | null;
  repeatRate: number | null;
  /** 100 − repeat rate: customers with exactly one order, %. */
  oneTimeShare: number | null;
  /** Size-weighted share of a monthly cohort active in its next month, %. */
  month1Retention: number | null;
  nps: number | null;
  returnsRatio: number | null;
  /** RFM "At risk" and "Can't lose them" together. */
  atRisk: { customers: number; revenueShare: number } | null;
}

/** Small series for the report's KPI charts (report-charts.ts). */
export interface AuditSeries {
  /** Size-weighted share of a monthly cohort active k months after its first (0…1), whole periods. */
  retention: { period: number; retention: number }[];
  /** RFM segments with customers, largest first. */
  segments: { segment: string; customers: number; revenueShare: number }[];
}

export interface AuditEvidence {
  proposals: Record<ProposerId, Proposal>;
  metrics: AuditMetrics;
  series: AuditSeries;
}

export interface ProposeOptions {
  signal?: AbortSignal;
  /** Fraction done, 0…1, after each step. */
  onProgress?: (fraction: number, step: string) => void;
}

/**
 * Run every proposer against the loaded data. Each step is independent: one that
 * fails is reported as 'failed' with its message and the rest still run. Aborting
 * the signal stops between steps with a {@link QueryCancelledError}.
 */
export async function proposeAnswers(
  engine: SqlEngine,
  options: ProposeOptions = {},
): Promise<AuditEvidence> {
  const present = await existingRelations(engine, [
    'orders',
    'customers',
    'events',
    'feedback',
    'programme',
  ]);
  const proposals = {} as Record<ProposerId, Proposal>;
  const metrics: AuditMetrics = {
    customers: null,
    repeatRate: null,
    oneTimeShare: null,
    month1Retention: null,
    nps: null,
    returnsRatio: null,
    atRisk: null,
  };
  const ordersMissing = (p: ProposerId) =>
    missing(
      p,
      'An orders table',
      'No orders are mapped; map an orders table (customer ID, order date, amount).',
    );
  const series: AuditSeries = { retention: [], segments: [] };
  const steps = stepsFor(engine, present, metrics, series);
  let done = 0;
  for (const [ids, step] of steps) {
    if (options.signal?.aborted) throw new QueryCancelledError();
    try {
      const found = await step();
      for (const id of ids) proposals[id] = found[id] ?? ordersMissing(id);
    } catch (error) {
      if (error instanceof QueryCancelledError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      for (const id of ids)
        proposals[id] = { proposer: id, status: 'failed', evidence: message, figures: {} };
    }
    done++;
    options.onProgress?.(done / steps.length, ids.join(', '));
  }
  for (const id of PROPOSER_IDS) proposals[id] ??= ordersMissing(id);
  return { proposals, metrics, series };
}

/** The value a proposal gives a question of its type, or undefined when it has none. */
export function proposedValue(
  question: Question,
  proposal: Proposal | undefined,
): AnswerValue | undefined {
  const a = proposal?.status === 'proposed' ? proposal.answer : undefined;
  if (!a) return undefined;
  switch (question.type) {
    case 'number':
      return a.number;
    case 'yesno':
      return a.yesno;
    case 'text':
      return a.text ?? (a.number !== undefined ? String(a.number) : undefined);
    default:
      return undefined;
  }
}
