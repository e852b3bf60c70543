import { describe, expect, it } from 'vitest';
import {
  PROPOSER_IDS,
  QUESTIONS,
  SECTION_IDS,
  SECTIONS,
  questionById,
  questionsOf,
} from '../../../src/lib/audit/questionnaire.ts';

const TYPES = ['rating', 'yesno', 'number', 'choice', 'text'];

describe('the audit questionnaire', () => {
  it('has the 13 sections of DOMAIN.md, numbered 1 to 13 in order', () => {
    expect(SECTIONS.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(SECTIONS.map((s) => s.id)).toEqual([...SECTION_IDS]);
    expect(SECTIONS.map((s) => s.title)).toEqual([
      'Overall',
      'Product',
      'Competition',
      'Customer data',
      'Operations and logistics',
      'Customer success',
      'Loyalty programme',
      'Referral programme',
      'Marketing communications',
      'Packaging',
      'Community',
      'Acquisition and sales',
      'Closing',
    ]);
  });

  it('asks at least one question in every section', () => {
    for (const id of SECTION_IDS) expect(questionsOf(id).length, id).toBeGreaterThan(0);
  });

  it('gives every question a unique, stable id of the form section.name', () => {
    const ids = QUESTIONS.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const q of QUESTIONS) {
      expect(q.id).toMatch(/^[a-z]+\.[a-z0-9_]+$/);
      expect(q.id.split('.')[0]).toBe(q.section);
      expect(questionById(q.id)).toBe(q);
    }
  });

  it('uses only the five answer types, with choices exactly for choice questions', () => {
    for (const q of QUESTIONS) {
      expect(TYPES, q.id).toContain(q.type);
      if (q.type === 'choice') {
        expect(q.choices!.length, q.id).toBeGreaterThanOrEqual(2);
        expect(new Set(q.choices).size, q.id).toBe(q.choices!.length);
      } else {
        expect(q.choices, q.id).toBeUndefined();
      }
    }
  });

  it('has help text for every question that says more than the question', () => {
    for (const q of QUESTIONS) {
      expect(q.help.length, q.id).toBeGreaterThan(20);
      expect(q.help, q.id).not.toBe(q.text);
      expect(q.help, q.id).toMatch(/[.)]$/);
    }
  });

  it('names only known proposers, and every proposer answers some question', () => {
    const used = new Set(QUESTIONS.flatMap((q) => (q.proposer ? [q.proposer] : [])));
    for (const p of used) expect(PROPOSER_IDS).toContain(p);
    expect([...used].sort()).toEqual([...PROPOSER_IDS].sort());
  });

  it('lets the data propose the answers DOMAIN.md names', () => {
    const proposed = (id: string) => questionById(id)?.proposer;
    expect(proposed('product.top_first_purchase')).toBe('top_first_purchase');
    expect(proposed('product.top_second_purchase')).toBe('top_second_purchase');
    expect(proposed('data.ltv_by_cohort')).toBe('ltv_by_cohort');
    expect(proposed('data.nps')).toBe('nps');
    expect(proposed('success.returns_ratio')).toBe('returns_ratio');
    expect(proposed('success.tickets_per_customer')).toBe('tickets_per_customer');
    expect(proposed('data.holdouts')).toBe('holdout_groups');
    expect(proposed('data.segmentation')).toBe('segments_in_use');
  });

  it('only asks a proposer for a type it can answer', () => {
    for (const q of QUESTIONS.filter((q) => q.proposer)) {
      expect(['number', 'yesno', 'text'], q.id).toContain(q.type);
    }
  });
});
