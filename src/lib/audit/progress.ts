/**
 * How far an audit has got: per section and overall, how many questions have an
 * answer and how many are marked as data gaps; and answers as text for display.
 */
import { QUESTIONS, SECTION_IDS, type Question, type SectionId } from './questionnaire.ts';
import type { AnswerValue, AuditDocument } from './types.ts';

export interface Progress {
  total: number;
  /** Questions with a value (and not marked unable). */
  answered: number;
  /** Questions marked "unable to answer". */
  gaps: number;
}

/** Progress overall and per section. */
export function auditProgress(
  audit: AuditDocument,
): Progress & { sections: Record<SectionId, Progress> } {
  const sections = Object.fromEntries(
    SECTION_IDS.map((id) => [id, { total: 0, answered: 0, gaps: 0 }]),
  ) as Record<SectionId, Progress>;
  const all: Progress = { total: 0, answered: 0, gaps: 0 };
  for (const q of QUESTIONS) {
    const a = audit.answers[q.id];
    for (const p of [sections[q.section], all]) {
      p.total++;
      if (a?.unable) p.gaps++;
      else if (a?.value !== undefined) p.answered++;
    }
  }
  return { ...all, sections };
}

/** An answer as a reader sees it: "7 / 10", "Yes", "12.5 %", or the text. */
export function formatAnswer(question: Question, value: AnswerValue): string {
  switch (question.type) {
    case 'rating':
      return `${value} / 10`;
    case 'yesno':
      return value === true ? 'Yes' : 'No';
    case 'number': {
      const n =
        typeof value === 'number'
          ? value.toLocaleString('en', { maximumFractionDigits: 2 })
          : String(value);
      return question.unit ? `${n}${question.unit === '%' ? ' %' : ` ${question.unit}`}` : n;
    }
    default:
      return String(value);
  }
}
