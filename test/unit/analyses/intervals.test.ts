import { describe, expect, it } from 'vitest';
import {
  meanDifference,
  proportionDifference,
  sampleSizeTwoProportions,
  studentTQuantile,
} from '../../../src/lib/stats/intervals.ts';

describe('intervals', () => {
  it("Student's t quantiles match a printed t table (two-sided 95 %)", () => {
    // t(0.975; df) from any t table: 12.706, 2.776, 2.228, 2.042; and z = 1.960 as df → ∞
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706, 3);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776, 3);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228, 3);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042, 3);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.96, 3);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.776, 3);
  });

  it("Newcombe's hybrid score interval reproduces his published examples", () => {
    // Newcombe (1998), Statistics in Medicine 17:873, Table II, method 10:
    // 56/70 − 48/80 = 0.2000: 0.0524 to 0.3339; 9/10 − 3/10 = 0.6000: 0.1705 to 0.8090
    const a = proportionDifference(56, 70, 48, 80).newcombe;
    expect([a.lower, a.upper].map((x) => x!.toFixed(4))).toEqual(['0.0524', '0.3339']);
    const b = proportionDifference(9, 10, 3, 10).newcombe;
    expect([b.lower, b.upper].map((x) => x!.toFixed(4))).toEqual(['0.1705', '0.8090']);
  });

  it('Wald: 40/100 vs 30/100 (the issue’s example)', () => {
    // d = 0.10, SE = √(0.4·0.6/100 + 0.3·0.7/100) = √0.0045 = 0.067082;
    // 0.10 ± 1.959964 · 0.067082 = 0.10 ± 0.131478 → [−0.031478, 0.231478]
    const { wald, se } = proportionDifference(40, 100, 30, 100);
    expect(se).toBeCloseTo(0.067082, 6);
    expect(wald.lower).toBeCloseTo(-0.031478, 6);
    expect(wald.upper).toBeCloseTo(0.231478, 6);
  });

  it('Welch with equal variances and sizes has df = 2(n − 1)', () => {
    // [10, 20, 30] vs [0, 10, 20]: means 20 and 10, s² = 100 each; SE = √(100/3 + 100/3) = 8.164966
    // df = (66.667)² ÷ (33.333²/2 + 33.333²/2) = 4; t(0.975; 4) = 2.776 → 10 ± 22.67
    const r = meanDifference({ n: 3, mean: 20, variance: 100 }, { n: 3, mean: 10, variance: 100 });
    expect(r.df).toBeCloseTo(4, 10);
    expect(r.se).toBeCloseTo(8.164966, 6);
    expect(r.lower).toBeCloseTo(10 - 2.776445 * 8.164966, 4);
    expect(r.upper).toBeCloseTo(10 + 2.776445 * 8.164966, 4);
  });

  it('sample size: 50 % → 60 % needs 388 per group', () => {
    // (1.959964·√(2·0.55·0.45) + 0.841621·√(0.25 + 0.24))² ÷ 0.1² = (1.378951 + 0.589135)² ÷ 0.01 = 387.3 → 388
    // (the textbook figure for this case, e.g. Fleiss, Levin & Paik without continuity correction)
    expect(sampleSizeTwoProportions(0.5, 0.1)).toBe(388);
    expect(sampleSizeTwoProportions(0.98, 0.05)).toBeNull();
  });
});
