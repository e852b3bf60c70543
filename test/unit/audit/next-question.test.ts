import { describe, expect, it } from 'vitest';
import { firstOpenQuestion, questionInputId } from '../../../src/lib/audit/next-question.ts';
import { QUESTIONS, questionsOf } from '../../../src/lib/audit/questionnaire.ts';
import { emptyAudit, type AuditDocument } from '../../../src/lib/audit/types.ts';

describe('firstOpenQuestion', () => {
  const overall = questionsOf('overall');

  it('is the first question of section 1 on an empty audit', () => {
    expect(firstOpenQuestion(emptyAudit())).toBe(overall[0]);
  });

  it('skips answered questions and data gaps, but not a question with only a note', () => {
    const audit: AuditDocument = {
      answers: {
        [overall[0].id]: { value: 7 },
        [overall[1].id]: { unable: true },
        [overall[2].id]: { note: 'ask the CFO' },
      },
      findings: [],
    };
    expect(firstOpenQuestion(audit)).toBe(overall[2]);
  });

  it('moves on to section 2 when section 1 is covered, and is undefined when all are', () => {
    const answers: AuditDocument['answers'] = {};
    for (const q of overall) answers[q.id] = { value: 'x' };
    expect(firstOpenQuestion({ answers, findings: [] })).toBe(questionsOf('product')[0]);
    for (const q of QUESTIONS) answers[q.id] = { unable: true };
    expect(firstOpenQuestion({ answers, findings: [] })).toBeUndefined();
  });

  it('names the input QuestionCard renders (dots become dashes)', () => {
    expect(questionInputId({ ...overall[0], id: 'overall.nps' })).toBe('q-overall-nps');
  });
});
