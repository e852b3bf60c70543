/**
 * Strict checks of the `audit` field of a notebook document, which arrives from
 * files and share links and is therefore hostile input: every field is typed,
 * bounded and copied, unknown fields are dropped, and anything wrong throws a
 * NotebookError naming the question or finding.
 */
import {
  compact,
  invalid,
  list,
  object,
  oneOf,
  optBool,
  optText,
  text,
  type Raw,
} from '../notebook/fields.ts';
import { NotebookError } from '../notebook/errors.ts';
import { questionById } from './questionnaire.ts';
import type {
  AnswerValue,
  AuditAnswer,
  AuditDocument,
  AuditFinding,
  BaselineKpi,
} from './types.ts';

/** Upper bounds on an audit. */
export const AUDIT_LIMITS = {
  answers: 500,
  findings: 200,
  /** Characters in a text answer, a note, a finding's detail. */
  text: 5_000,
  /** Characters in a title, a KPI name, the client's name. */
  short: 300,
} as const;

/** `section.question`, lower case; the dot also keeps "__proto__" and friends out. */
const QUESTION_ID = /^[a-z][a-z0-9_]{0,40}\.[a-z0-9_]{1,60}$/;
const FINDING_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A checked copy of an audit. */
export function validateAudit(raw: unknown): AuditDocument {
  const o = object(raw, 'the audit');
  const answers = object(o.answers ?? null, 'the audit’s answers');
  const ids = Object.keys(answers);
  if (ids.length > AUDIT_LIMITS.answers) {
    throw new NotebookError(`The audit has more than ${AUDIT_LIMITS.answers} answers.`);
  }
  const out: Record<string, AuditAnswer> = {};
  for (const id of ids) {
    if (!QUESTION_ID.test(id)) {
      throw new NotebookError(
        `The audit has an answer to "${id.slice(0, 80)}", which is not a question id.`,
      );
    }
    out[id] = validateAnswer(id, answers[id]);
  }
  const findings = list(o, 'findings', AUDIT_LIMITS.findings, 'the audit', (f, i) =>
    validateFinding(f, `finding ${i + 1}`),
  );
  const seen = new Set<string>();
  for (const f of findings) {
    if (seen.has(f.id))
      throw new NotebookError(`The audit has two findings with the id "${f.id}".`);
    seen.add(f.id);
  }
  const audit: AuditDocument = { answers: out, findings };
  const client = bounded(
    optText(o, 'client', 'the audit'),
    AUDIT_LIMITS.short,
    'the audit',
    'client',
  );
  if (client !== undefined) audit.client = client;
  return audit;
}

function validateAnswer(id: string, raw: unknown): AuditAnswer {
  const where = `the answer to ${id}`;
  const o = object(raw, where);
  const answer: AuditAnswer = {
    unable: optBool(o, 'unable', where),
    note: bounded(optText(o, 'note', where), AUDIT_LIMITS.text, where, 'note'),
    source:
      o.source === undefined ? undefined : oneOf(o, 'source', ['user', 'data'] as const, where),
    evidence: bounded(optText(o, 'evidence', where), AUDIT_LIMITS.text, where, 'evidence'),
  };
  if (o.value !== undefined) answer.value = answerValue(id, o.value, where);
  return compact(answer);
}

/** The value checked against its question's type (any plain value for a question this version lacks). */
function answerValue(id: string, value: unknown, where: string): AnswerValue {
  const question = questionById(id);
  const type = question?.type;
  const fail = (should: string) => invalid(where, 'value', should);
  if (type === 'rating') {
    if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 10)
      throw fail('must be a whole number from 1 to 10');
  } else if (type === 'yesno') {
    if (typeof value !== 'boolean') throw fail('must be true or false');
  } else if (type === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw fail('must be a number');
  } else if (type === 'choice') {
    if (typeof value !== 'string' || !question!.choices!.includes(value))
      throw fail(`must be one of ${question!.choices!.join(', ')}`);
  } else if (type === 'text') {
    if (typeof value !== 'string') throw fail('must be text');
  } else if (!['string', 'boolean'].includes(typeof value) && !Number.isFinite(value)) {
    throw fail('must be a number, true or false, or text');
  }
  if (typeof value === 'string' && value.length > AUDIT_LIMITS.text)
    throw fail(`must be at most ${AUDIT_LIMITS.text.toLocaleString('en')} characters`);
  return value as AnswerValue;
}

function validateFinding(raw: unknown, where: string): AuditFinding {
  const o = object(raw, where);
  const id = text(o, 'id', where);
  if (!FINDING_ID.test(id)) throw invalid(where, 'id', 'must be 1 to 64 letters, digits, - or _');
  const title = bounded(text(o, 'title', where), AUDIT_LIMITS.short, where, 'title')!;
  const finding: AuditFinding = {
    id,
    title,
    detail: bounded(optText(o, 'detail', where), AUDIT_LIMITS.text, where, 'detail'),
    origin: oneOf(o, 'origin', ['user', 'data'] as const, where),
    departments: whole(o, 'departments', 0, 9, where),
    impact: whole(o, 'impact', 1, 10, where),
    confidence: whole(o, 'confidence', 1, 10, where),
    ease: whole(o, 'ease', 1, 10, where),
    holdout: optBool(o, 'holdout', where) ?? false,
  };
  if (o.kpi !== undefined) finding.kpi = validateKpi(o.kpi, `${where}’s KPI`);
  return compact(finding);
}

function validateKpi(raw: unknown, where: string): BaselineKpi {
  const o = object(raw, where);
  const value = o.value;
  if (value !== null && (typeof value !== 'number' || !Number.isFinite(value)))
    throw invalid(where, 'value', 'must be a number or null');
  return compact({
    name: bounded(text(o, 'name', where), AUDIT_LIMITS.short, where, 'name')!,
    value: value as number | null,
    unit: bounded(optText(o, 'unit', where), 20, where, 'unit'),
  });
}

function whole(o: Raw, key: string, min: number, max: number, where: string): number {
  const value = o[key];
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
    throw invalid(where, key, `must be a whole number from ${min} to ${max}`);
  return value as number;
}

function bounded(value: string | undefined, max: number, where: string, key: string) {
  if (value !== undefined && value.length > max)
    throw invalid(where, key, `must be at most ${max.toLocaleString('en')} characters`);
  return value;
}
