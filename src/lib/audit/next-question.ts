import { SECTIONS, questionsOf, type Question } from './questionnaire.ts';
import type { AuditDocument } from './types.ts';

/**
 * Where "Start audit" opens: the first question, in questionnaire order (section 1
 * to 13), that has neither an answer nor "unable to answer". Undefined once every
 * question is covered (the audit then opens at the findings).
 */
export function firstOpenQuestion(audit: AuditDocument): Question | undefined {
  for (const section of SECTIONS) {
    for (const q of questionsOf(section.id)) {
      const a = audit.answers[q.id];
      if (a?.value === undefined && !a?.unable) return q;
    }
  }
  return undefined;
}

/** The id of a question's input in the Audit view (QuestionCard), to focus it. */
export function questionInputId(question: Question): string {
  return `q-${question.id.replace('.', '-')}`;
}
