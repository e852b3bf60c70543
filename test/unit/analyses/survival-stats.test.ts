import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import {
  kaplanMeier,
  kaplanMeierByGroup,
  logRank,
  survivalAt,
} from '../../../src/lib/analyses/survival-stats.ts';
import { chiSquareSurvival, normalQuantile } from '../../../src/lib/stats/chisq.ts';
import { datasets } from '../../support/data.ts';

// Expected values are hand arithmetic (shown) or published figures. Where a figure is
// marked "R", it was read from R 4.2.2 with survival 3.5-3 (survfit conf.type =
// "log-log", survdiff), an independent implementation.

describe('chi-square and normal distributions', () => {
  it('matches the printed chi-square critical values (any statistics table)', () => {
    expect(chiSquareSurvival(3.841, 1)).toBeCloseTo(0.05, 4);
    expect(chiSquareSurvival(5.991, 2)).toBeCloseTo(0.05, 4);
    expect(chiSquareSurvival(11.07, 5)).toBeCloseTo(0.05, 4);
    expect(chiSquareSurvival(6.635, 1)).toBeCloseTo(0.01, 4);
  });

  it('has the closed form exp(−x/2) on 2 df and tiny tails without cancellation', () => {
    expect(chiSquareSurvival(10, 2)).toBeCloseTo(Math.exp(-5), 14);
    // exp(−50) ≈ 1.93e-22: relative precision kept far below 1 − P.
    expect(chiSquareSurvival(100, 2) / Math.exp(-50)).toBeCloseTo(1, 10);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });

  it('gives the normal quantiles of the tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 9);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644853627, 9);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829304, 9);
    expect(normalQuantile(0.5)).toBe(0);
  });
});

describe('kaplanMeier on a hand fixture with ties and censoring', () => {
  // times 1 2 2 3 4 4 5 6, events 1 1 0 1 0 1 1 0 (0 = censored; at a tie the churn
  // comes first, so the customer censored at 2 is at risk at 2).
  //   t  n  d  c   S                    g = Σ d/(n(n−d))
  //   1  8  1  0   7/8        = 0.875   1/56
  //   2  7  1  1   0.875·6/7  = 0.75    1/56 + 1/42 = 1/24
  //   3  5  1  0   0.75·4/5   = 0.6     1/24 + 1/20 = 11/120
  //   4  4  1  1   0.6·3/4    = 0.45    11/120 + 1/12 = 7/40
  //   5  2  1  0   0.45·1/2   = 0.225   7/40 + 1/2 = 27/40
  //   6  1  0  1   0.225              27/40
  // Greenwood se = S·√g: 0.875·0.133631 = 0.116927; 0.75·0.204124 = 0.153093;
  // 0.6·0.302765 = 0.181659; 0.45·0.418330 = 0.188249; 0.225·0.821584 = 0.184856.
  // Log-log band with z = 1.959964, k = z·√g/|ln S|, lower = S^e^k, upper = S^e^−k:
  //   t=1: ln S = −0.133531, k = 1.961420, e^k = 7.109418 → lower 0.875^7.109 = 0.387000,
  //        e^−k = 0.140658 → upper 0.875^0.1407 = 0.981393
  //   t=2: ln S = −0.287682, k = 1.390688 → 0.75^4.017613 = 0.314807, 0.75^0.248904 = 0.930898
  //   t=3: ln S = −0.510826, k = 1.161666 → 0.6^3.195251 = 0.195496, 0.6^0.312964 = 0.852254
  //   t=4: ln S = −0.798508, k = 1.026805 → 0.45^2.792131 = 0.107578, 0.45^0.358149 = 0.751274
  //   t=5: ln S = −1.491655, k = 1.079522 → 0.225^2.943273 = 0.012396, 0.225^0.339758 = 0.602419
  // (R's survfit prints the same to 6 digits.)
  const time = [1, 2, 2, 3, 4, 4, 5, 6];
  const event = [1, 1, 0, 1, 0, 1, 1, 0];
  const km = kaplanMeier(time, event);
  const expected = [
    [0, 8, 0, 0, 1, 1, 1, 0],
    [1, 8, 1, 0, 0.875, 0.387, 0.981393, 0.116927],
    [2, 7, 1, 1, 0.75, 0.314807, 0.930898, 0.153093],
    [3, 5, 1, 0, 0.6, 0.195496, 0.852254, 0.181659],
    [4, 4, 1, 1, 0.45, 0.107578, 0.751274, 0.188249],
    [5, 2, 1, 0, 0.225, 0.012396, 0.602419, 0.184856],
    [6, 1, 0, 1, 0.225, 0.012396, 0.602419, 0.184856],
  ];

  it('has the start point and one point per distinct time', () => {
    expect(km.n).toBe(8);
    expect(km.events).toBe(5);
    expect(km.points.map((p) => [p.time, p.atRisk, p.events, p.censored])).toEqual(
      expected.map((row) => row.slice(0, 4)),
    );
  });

  it('gives the product-limit estimate, Greenwood se and log-log band', () => {
    km.points.forEach((p, i) => {
      const [, , , , s, lower, upper, se] = expected[i];
      expect(p.survival).toBeCloseTo(s, 12);
      expect(p.lower).toBeCloseTo(lower, 5);
      expect(p.upper).toBeCloseTo(upper, 5);
      expect(p.se).toBeCloseTo(se, 5);
    });
  });

  it('finds the median and its interval', () => {
    // S first ≤ 0.5 at t = 4 (0.45). Lower band ≤ 0.5 already at t = 1 (0.387); the
    // upper band never gets to 0.5 (last 0.602), so the upper limit is not reached.
    expect(km.median).toEqual({ time: 4, lower: 1, upper: null });
  });

  it('reads the step function with survivalAt', () => {
    expect(survivalAt(km, -1).survival).toBe(1);
    expect(survivalAt(km, 0.5)).toEqual({ time: 0.5, survival: 1, lower: 1, upper: 1, se: 0 });
    expect(survivalAt(km, 1).survival).toBeCloseTo(0.875, 12);
    expect(survivalAt(km, 2.5).survival).toBeCloseTo(0.75, 12);
    expect(survivalAt(km, 4).lower).toBeCloseTo(0.107578, 5);
    expect(survivalAt(km, 100).survival).toBeCloseTo(0.225, 12);
  });

  it('widens the band with the confidence level', () => {
    // 90 %: z = 1.644854, t=1: k = 1.644854·0.133631/0.133531 = 1.646076, e^k = 5.186587,
    // lower = 0.875^5.186587 = exp(−0.133531·5.186587) = exp(−0.692572) = 0.500288.
    expect(kaplanMeier(time, event, { alpha: 0.1 }).points[1].lower).toBeCloseTo(0.500288, 5);
  });
});

describe('median conventions of R survfit', () => {
  it('takes the midpoint of a flat stretch at exactly 0.5', () => {
    // 1 2 3 4 all churn: S = 0.75, 0.5, 0.25, 0 → flat at 0.5 on [2, 3) → median 2.5.
    // Lower band at t=1 (g = 1/12, k = 1.959964·0.288675/0.287682 = 1.966730, e^k = 7.147)
    // = 0.75^7.147 = 0.1279 ≤ 0.5 → lower limit 1. Upper band at t=3 (g = 1/12 + 1/6 + 1/2
    // = 3/4, k = 1.959964·0.866025/1.386294 = 1.224400, e^−k = 0.293934) = 0.25^0.2939
    // = 0.6653 > 0.5, and at t=4 S = 0 leaves the band undefined → upper limit null.
    const km = kaplanMeier([1, 2, 3, 4], [1, 1, 1, 1]);
    expect(km.median).toEqual({ time: 2.5, lower: 1, upper: null });
    expect(km.points[3].upper).toBeCloseTo(0.6653, 4);
    expect(km.points[4]).toMatchObject({ survival: 0, lower: 0, upper: 0, se: 0 });
  });

  it('takes the first time when the curve ends flat at 0.5 (print.survfit)', () => {
    // S = 0.75, 0.5 and censored after: print.survfit gives 2 (quantile.survfit gives 3).
    expect(kaplanMeier([1, 2, 3, 4], [1, 1, 0, 0]).median.time).toBe(2);
  });
});

describe('edge cases', () => {
  it('keeps survival at 1 with no churn', () => {
    const km = kaplanMeier([3, 1, 2], [0, 0, false]);
    expect(km.points.map((p) => p.survival)).toEqual([1, 1, 1, 1]);
    expect(km.points.every((p) => p.lower === 1 && p.upper === 1 && p.se === 0)).toBe(true);
    expect(km.median).toEqual({ time: null, lower: null, upper: null });
    expect(km.events).toBe(0);
  });

  it('drops to 0 when everyone churns at one time, without NaN', () => {
    // 3 at risk, 3 churn at t=5: S = 1 − 3/3 = 0; median 5, its interval undefined (R: NA).
    const km = kaplanMeier([5, 5, 5], [true, true, true]);
    expect(km.points).toEqual([
      { time: 0, atRisk: 3, events: 0, censored: 0, survival: 1, lower: 1, upper: 1, se: 0 },
      { time: 5, atRisk: 3, events: 3, censored: 0, survival: 0, lower: 0, upper: 0, se: 0 },
    ]);
    expect(km.median).toEqual({ time: 5, lower: null, upper: null });
  });

  it('records observations at time 0 in the first point', () => {
    // 4 customers, one churns and one is censored at 0: S(0) = 3/4, then 2 at risk at 1.
    const km = kaplanMeier([0, 0, 1, 2], [1, 0, 1, 0]);
    expect(km.points.map((p) => [p.time, p.atRisk, p.survival])).toEqual([
      [0, 4, 0.75],
      [1, 2, 0.375],
      [2, 1, 0.375],
    ]);
  });

  it('rejects empty and malformed input with a clear message', () => {
    expect(() => kaplanMeier([], [])).toThrow(/no observations/);
    expect(() => kaplanMeier([1, 2], [1])).toThrow(/2 values but event has 1/);
    expect(() => kaplanMeier([1, -2], [1, 1])).toThrow(/time\[1\]/);
    expect(() => kaplanMeier([1, NaN], [1, 1])).toThrow(/time\[1\]/);
    expect(() => kaplanMeier([1, 2], [1, 2])).toThrow(/event\[1\]/);
    expect(() => kaplanMeier([1], [1], { alpha: 0 })).toThrow(/alpha/);
    expect(() => logRank([1, 2], [1, 1], ['a', 'a'])).toThrow(/two groups/);
  });

  it('refuses more than 8 groups and advises grouping rarer levels', () => {
    const groups = 'abcdefghi'.split('');
    const time = groups.map((_, i) => i + 1);
    const event = groups.map(() => 1);
    expect(() => kaplanMeierByGroup(time, event, groups)).toThrow(/9 groups.*rarer levels/);
    expect(kaplanMeierByGroup(time, event, groups, { maxGroups: 9 })).toHaveLength(9);
  });

  it('gives each group its own curve, sorted by name', () => {
    const byGroup = kaplanMeierByGroup([1, 2, 3, 4], [1, 0, 1, 1], ['b', 'a', 'b', 'a']);
    expect(byGroup.map((g) => g.group)).toEqual(['a', 'b']);
    expect(byGroup[0]).toEqual({ group: 'a', ...kaplanMeier([2, 4], [0, 1]) });
    expect(byGroup[1]).toEqual({ group: 'b', ...kaplanMeier([1, 3], [1, 1]) });
  });
});

describe('logRank', () => {
  it('matches a hand computation for three groups', () => {
    // A: 1, 2 (churn); B: 1, 3 (churn); C: 2 censored, 3 churn.
    // t=1: n = 2,2,2 (N 6), d = 2 → E += 2/3 each; f = d(N−d)/(N−1) = 8/5,
    //      V_jj += f·(1/3)(2/3) = 16/45, V_jl += f·(1/3)(−1/3) = −8/45.
    // t=2: n = 1,1,2 (N 4), d = 1 (A) → E += 1/4, 1/4, 1/2; f = 1·3/3 = 1,
    //      V_BB += 3/16, V_CC += 1/4, V_BC += (1/4)(−1/2) = −1/8.
    // t=3: n = 0,1,1 (N 2), d = 2 → E_B, E_C += 1; f = 2·0/1 = 0.
    // O = 2, 2, 1; E = 11/12, 23/12, 13/6 (Σ = 5 = ΣO).
    // Drop A: u = O−E = (1/12, −14/12); V = (1/720)[[391, −218], [−218, 436]],
    // det = 391·436 − 218² = 122952, V⁻¹ = (720/122952)[[436, 218], [218, 391]];
    // u′[[436, 218], [218, 391]]u = (436 − 2·218·14 + 391·196)/144 = 70968/144, so
    // χ² = 720·70968/(144·122952) = 14785/5123 = 2.886004;
    // p on 2 df = exp(−χ²/2) = 0.236218.
    const r = logRank([1, 2, 1, 3, 2, 3], [1, 1, 1, 1, 0, 1], ['A', 'A', 'B', 'B', 'C', 'C']);
    expect(r.df).toBe(2);
    expect(r.chiSquare).toBeCloseTo(14785 / 5123, 10);
    expect(r.p).toBeCloseTo(0.236218, 6);
    expect(r.groups.map((g) => g.group)).toEqual(['A', 'B', 'C']);
    expect(r.groups.map((g) => g.observed)).toEqual([2, 2, 1]);
    r.groups.forEach((g, i) => expect(g.expected).toBeCloseTo([11 / 12, 23 / 12, 13 / 6][i], 12));
  });

  // Freireich et al. (1963) 6-MP vs placebo remission times (Gehan 1965; R MASS::gehan).
  // Published: log-rank χ² = 16.79 on 1 df, p = 4.2e-05; observed 9 vs expected 19.25
  // (6-MP) and 21 vs 10.75 (placebo) — Kleinbaum & Klein, Survival Analysis (ch. 2);
  // R survdiff: 16.7929, p = 4.1688e-05. KM medians 23 (6-MP) and 8 (placebo).
  // negative = censored
  const sixMp = [
    6, 6, 6, -6, 7, -9, 10, -10, -11, 13, 16, -17, -19, -20, 22, 23, -25, -32, -32, -34, -35,
  ];
  const placebo = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23];
  const time = [...sixMp.map(Math.abs), ...placebo];
  const event = [...sixMp.map((t) => (t > 0 ? 1 : 0)), ...placebo.map(() => 1)];
  const group = [...sixMp.map(() => '6-MP'), ...placebo.map(() => 'placebo')];

  it('reproduces the Gehan leukaemia log-rank test', () => {
    const r = logRank(time, event, group);
    expect(r.df).toBe(1);
    expect(r.chiSquare).toBeCloseTo(16.7929, 4);
    expect(r.p).toBeCloseTo(4.1688e-5, 8);
    expect(r.groups[0]).toMatchObject({ group: '6-MP', observed: 9 });
    expect(r.groups[0].expected).toBeCloseTo(19.2505, 4);
    expect(r.groups[1]).toMatchObject({ group: 'placebo', observed: 21 });
    expect(r.groups[1].expected).toBeCloseTo(10.7495, 4);
  });

  it('gives the Gehan KM medians', () => {
    // Placebo: 13 of 21 relapsed by 8 → S(8) = 8/21 = 0.381, S(5) = 12/21 = 0.571 → 8.
    // 6-MP: S(22) = 0.538, S(23) = 0.538·5/6 = 0.448 → 23. R (log-log): CI 4–11 and 13–NA.
    const [m6, pl] = kaplanMeierByGroup(time, event, group);
    expect(m6.median).toEqual({ time: 23, lower: 13, upper: null });
    expect(pl.median).toEqual({ time: 8, lower: 4, upper: 11 });
  });
});

describe('Telco customer churn (IBM sample data)', () => {
  const lines = readFileSync(join(inject('sharedData'), datasets.telco), 'utf8')
    .trim()
    .split('\n');
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((line) => line.split(','));
  const col = (name: string) => header.indexOf(name);
  const tenure = rows.map((r) => Number(r[col('tenure')]));
  const churn = rows.map((r) => (r[col('Churn')] === 'Yes' ? 1 : 0));
  const contract = rows.map((r) => r[col('Contract')]);

  it('has the 7,043 customers and 1,869 churners of the data set (SOURCE.md)', () => {
    const km = kaplanMeier(tenure, churn);
    expect(km.n).toBe(7043);
    expect(km.events).toBe(1869);
    // Overall survival at 72 months: 0.593 (R summary(survfit(...), times = 72)).
    expect(survivalAt(km, 72).survival).toBeCloseTo(0.593, 3);
  });

  it('gives month-to-month a median lifetime of 35 months (95 % CI 32–38)', () => {
    const byContract = kaplanMeierByGroup(tenure, churn, contract);
    expect(byContract.map((g) => [g.group, g.n])).toEqual([
      ['Month-to-month', 3875],
      ['One year', 1473],
      ['Two year', 1695],
    ]);
    expect(byContract[0].median).toEqual({ time: 35, lower: 32, upper: 38 });
    // R: one-year median not reached, lower limit 72; two-year nothing reached.
    expect(byContract[1].median).toEqual({ time: null, lower: 72, upper: null });
    expect(byContract[2].median).toEqual({ time: null, lower: null, upper: null });
  });

  it('finds the contract types hugely different by the log-rank test', () => {
    const r = logRank(tenure, churn, contract);
    expect(r.df).toBe(2);
    expect(r.p).toBeLessThan(1e-10);
    // R survdiff: χ² = 2352.9 on 2 df; observed 1655 / 166 / 48, expected 708.4 / 470.7 / 689.8.
    expect(r.chiSquare).toBeCloseTo(2352.87, 1);
    expect(r.groups.map((g) => g.observed)).toEqual([1655, 166, 48]);
    expect(r.groups.map((g) => Math.round(g.expected * 10) / 10)).toEqual([708.4, 470.7, 689.8]);
  });
});
