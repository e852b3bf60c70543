import { describe, expect, it } from 'vitest';
import { classify, miceScore, rankFindings } from '../../../src/lib/audit/mice.ts';
import type { AuditFinding } from '../../../src/lib/audit/types.ts';

function finding(
  id: string,
  departments: number,
  impact: number,
  confidence: number,
  ease: number,
): AuditFinding {
  return {
    id,
    title: `Finding ${id}`,
    origin: 'user',
    departments,
    impact,
    confidence,
    ease,
    holdout: false,
  };
}

describe('M.I.C.E. scoring (M = 10 − departments; overall = M + I + C + E)', () => {
  it('scores a finding by hand', () => {
    // 2 departments → M = 8; 8 + 7 + 6 + 9 = 30.
    expect(miceScore(finding('a', 2, 7, 6, 9))).toEqual({
      m: 8,
      i: 7,
      c: 6,
      e: 9,
      overall: 30,
      horizon: 'short-term', // E 9 ≥ 7 and 30 ≥ 28
    });
    // 0 departments → M = 10; 9 departments → M = 1.
    expect(miceScore(finding('b', 0, 1, 1, 1)).m).toBe(10);
    expect(miceScore(finding('c', 9, 1, 1, 1)).overall).toBe(1 + 1 + 1 + 1);
  });

  it('classifies at the stated thresholds', () => {
    expect(classify(1, 7, 28)).toBe('short-term'); // both thresholds met exactly
    expect(classify(10, 6, 35)).toBe('long-term'); // high score but not easy; impact 10
    expect(classify(9, 7, 27)).toBe('long-term'); // easy but overall one short
    expect(classify(6, 6, 25)).toBe('later'); // impact one short of 7
    expect(classify(7, 3, 18)).toBe('long-term'); // high impact, low overall
  });

  it('refuses scores outside their ranges, naming the factor', () => {
    expect(() => miceScore(finding('x', 10, 5, 5, 5))).toThrow(
      /departments must be a whole number from 0 to 9/,
    );
    expect(() => miceScore(finding('x', 1, 0, 5, 5))).toThrow(/Impact must be/);
    expect(() => miceScore(finding('x', 1, 5, 11, 5))).toThrow(/Confidence must be/);
    expect(() => miceScore(finding('x', 1, 5, 5, 2.5))).toThrow(/Ease must be/);
  });

  it('ranks by overall, then impact, then ease, then title', () => {
    const list = [
      finding('low', 5, 3, 3, 3), //   M 5 → 5 + 3 + 3 + 3 = 14
      finding('tieB', 1, 6, 6, 6), //  M 9 → 9 + 6 + 6 + 6 = 27, impact 6
      finding('tieA', 3, 8, 5, 7), //  M 7 → 7 + 8 + 5 + 7 = 27, impact 8
      finding('top', 0, 9, 9, 9), //   M 10 → 37
      finding('tieC', 1, 6, 7, 5), //  M 9 → 9 + 6 + 7 + 5 = 27, impact 6, ease 5 < 6
    ];
    const ranked = rankFindings(list);
    expect(ranked.map((r) => [r.rank, r.finding.id, r.overall, r.horizon])).toEqual([
      [1, 'top', 37, 'short-term'],
      [2, 'tieA', 27, 'long-term'],
      [3, 'tieB', 27, 'later'],
      [4, 'tieC', 27, 'later'],
      [5, 'low', 14, 'later'],
    ]);
  });

  it('breaks a full tie by title, so the order never depends on the input order', () => {
    const a = { ...finding('1', 2, 5, 5, 5), title: 'Beta' };
    const b = { ...finding('2', 2, 5, 5, 5), title: 'Alpha' };
    expect(rankFindings([a, b]).map((r) => r.finding.title)).toEqual(['Alpha', 'Beta']);
    expect(rankFindings([b, a]).map((r) => r.finding.title)).toEqual(['Alpha', 'Beta']);
  });
});
