import type { AuditFinding } from './types.ts';

/**
 * M.I.C.E. prioritisation of audit findings (DOMAIN.md, "Prioritising fixes"):
 *
 * - M (many hands) = 10 − departments needed to fix it (0–9 departments → 10–1);
 * - I = impact, C = confidence that current resources can fix it, E = ease, each 1–10.
 *
 * The overall score is the plain sum M + I + C + E (4–40), each factor weighing
 * the same. Findings are ranked by overall score, then by impact, then by ease
 * (both higher first), then by title, so the order never depends on input order.
 *
 * Classification (our thresholds; the source names the classes, not the cut-offs):
 * - **short-term** (a quick win): ease E ≥ 7 and overall ≥ 28, i.e. quick and a
 *   mean factor of at least 7;
 * - **long-term**: impact I ≥ 7 but not short-term (high impact, lower overall:
 *   it needs more departments, resources or time);
 * - **later**: neither; revisit once the others are done.
 * Long-term fixes are the ones to measure against a holdout, since their effect
 * shows only over months.
 */

export type Horizon = 'short-term' | 'long-term' | 'later';

/** The thresholds of the classification above. */
export const MICE_RULES = {
  shortTermMinEase: 7,
  shortTermMinOverall: 28,
  longTermMinImpact: 7,
} as const;

export interface MiceScore {
  m: number;
  i: number;
  c: number;
  e: number;
  /** m + i + c + e, 4–40. */
  overall: number;
  horizon: Horizon;
}

export interface RankedFinding extends MiceScore {
  finding: AuditFinding;
  /** 1 = fix first. */
  rank: number;
}

/** Throws a RangeError naming the factor when a score is outside its range. */
function checked(value: number, name: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}, not ${value}.`);
  }
  return value;
}

/** The M.I.C.E. score and horizon of one finding; see the module comment for the rule. */
export function miceScore(
  f: Pick<AuditFinding, 'departments' | 'impact' | 'confidence' | 'ease'>,
): MiceScore {
  const m = 10 - checked(f.departments, 'The number of departments', 0, 9);
  const i = checked(f.impact, 'Impact', 1, 10);
  const c = checked(f.confidence, 'Confidence', 1, 10);
  const e = checked(f.ease, 'Ease', 1, 10);
  const overall = m + i + c + e;
  return { m, i, c, e, overall, horizon: classify(i, e, overall) };
}

/** short-term, long-term or later, from impact, ease and overall score. */
export function classify(impact: number, ease: number, overall: number): Horizon {
  if (ease >= MICE_RULES.shortTermMinEase && overall >= MICE_RULES.shortTermMinOverall) {
    return 'short-term';
  }
  if (impact >= MICE_RULES.longTermMinImpact) return 'long-term';
  return 'later';
}

/** Findings scored and ranked, fix-first order; see the module comment for the ordering. */
export function rankFindings(findings: readonly AuditFinding[]): RankedFinding[] {
  return findings
    .map((finding) => ({ finding, ...miceScore(finding) }))
    .sort(
      (a, b) =>
        b.overall - a.overall ||
        b.i - a.i ||
        b.e - a.e ||
        a.finding.title.localeCompare(b.finding.title, 'en'),
    )
    .map((scored, index) => ({ ...scored, rank: index + 1 }));
}

/** How each horizon is named in the app and the report. */
export const HORIZON_LABELS: Record<Horizon, string> = {
  'short-term': 'Short-term fix',
  'long-term': 'Long-term fix',
  later: 'Later',
};
