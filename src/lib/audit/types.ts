/**
 * The 360° retention audit as it lives in a notebook document (DOMAIN.md, "The
 * 360° retention audit"): answers to the questionnaire, per question, and the
 * findings of the fix plan. Plain JSON, checked on every read by validate.ts.
 */

/** How a question is answered: rating 1–10, yes/no, a number, one of a list, or free text. */
export type QuestionType = 'rating' | 'yesno' | 'number' | 'choice' | 'text';

/** An answer's value: ratings and numbers as numbers, yes/no as booleans, choices and text as strings. */
export type AnswerValue = number | boolean | string;

/** One question's answer in the notebook. */
export interface AuditAnswer {
  /** Absent while unanswered (a note alone may be kept). */
  value?: AnswerValue;
  /** Nobody at the client can answer: a data gap the report lists. */
  unable?: boolean;
  note?: string;
  /** 'data' when the user accepted the data's proposal; `evidence` then says what it rests on. */
  source?: 'user' | 'data';
  evidence?: string;
}

/** A key performance indicator measured before a fix, to measure the fix against. */
export interface BaselineKpi {
  name: string;
  /** Null when the data cannot measure it yet. */
  value: number | null;
  unit?: string;
}

/** One finding of the audit, scored with M.I.C.E. (see mice.ts). */
export interface AuditFinding {
  /** Stable within the audit: letters, digits, - and _. */
  id: string;
  title: string;
  detail?: string;
  /** Found in the data (findings.ts) or written by the consultant. */
  origin: 'user' | 'data';
  /** Departments needed to fix it, 0–9; M = 10 − departments. */
  departments: number;
  /** Impact 1–10. */
  impact: number;
  /** Confidence that current resources can fix it, 1–10. */
  confidence: number;
  /** Ease 1–10: small, quick and easy is high. */
  ease: number;
  kpi?: BaselineKpi;
  /** Whether the fix is to be measured against a long-term holdout group. */
  holdout: boolean;
}

/** The audit of one client, saved with the notebook. */
export interface AuditDocument {
  /** The client's name, for the report's title page. */
  client?: string;
  /** Question id → answer. */
  answers: Record<string, AuditAnswer>;
  findings: AuditFinding[];
}

/** An empty audit. */
export function emptyAudit(): AuditDocument {
  return { answers: {}, findings: [] };
}
