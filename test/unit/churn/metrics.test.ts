import { describe, expect, test } from 'vitest';
import {
  averagePrecision,
  bestF1Threshold,
  brier,
  calibration,
  confusion,
  gains,
  logLoss,
  prCurve,
  rocAuc,
  rocCurve,
  thresholdByCost,
  type RocPoint,
} from '../../../src/lib/churn/metrics.ts';

// Shared fixture with ties across classes.
// positives (label 1): 0.9, 0.8, 0.6, 0.3   → P = 4
// negatives (label 0): 0.8, 0.6, 0.6, 0.1   → N = 4
const S = [0.9, 0.8, 0.8, 0.6, 0.6, 0.6, 0.3, 0.1];
const L = [1, 1, 0, 1, 0, 0, 1, 0];

function trapezoid(points: RocPoint[]): number {
  let area = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    area += ((b.fpr - a.fpr) * (a.tpr + b.tpr)) / 2;
  }
  return area;
}

describe('rocAuc', () => {
  test('tied fixture: pair counting with ties = 1/2', () => {
    // pos 0.9 vs negs {0.8,0.6,0.6,0.1}: 4 wins                  = 4
    // pos 0.8 vs negs: tie with 0.8 (½) + wins over 0.6,0.6,0.1   = 3.5
    // pos 0.6 vs negs: loss to 0.8 + ties with 0.6,0.6 (½+½) + win over 0.1 = 2
    // pos 0.3 vs negs: only beats 0.1                              = 1
    // U = 4 + 3.5 + 2 + 1 = 10.5; AUC = 10.5 / (4·4) = 0.65625
    expect(rocAuc(S, L)).toBeCloseTo(0.65625, 12);
  });

  test('tied fixture: rank-sum view agrees', () => {
    // ascending ranks: 0.1→1, 0.3→2, 0.6×3→avg(3,4,5)=4, 0.8×2→avg(6,7)=6.5, 0.9→8
    // positive rank sum = 8 + 6.5 + 4 + 2 = 20.5; U = 20.5 − 4·5/2 = 10.5 → 10.5/16
    expect(rocAuc(S, L)).toBe(10.5 / 16);
  });

  test('perfect and inverted classifiers', () => {
    // every positive above every negative: U = P·N → 1
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toBe(1);
    // every positive below every negative: U = 0 → 0
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
  });

  test('all scores tied → 0.5', () => {
    // 2·2 = 4 pairs, all ties: U = 4·½ = 2 → 2/4
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBe(0.5);
  });

  test('single class → NaN', () => {
    expect(rocAuc([0.1, 0.2, 0.3], [1, 1, 1])).toBeNaN();
    expect(rocAuc([0.1, 0.2, 0.3], [0, 0, 0])).toBeNaN();
  });

  test('accepts typed arrays and unsorted input', () => {
    // same fixture shuffled: [0.1(0), 0.6(1), 0.9(1), 0.6(0), 0.3(1), 0.8(0), 0.6(0), 0.8(1)]
    const s = Float64Array.from([0.1, 0.6, 0.9, 0.6, 0.3, 0.8, 0.6, 0.8]);
    const l = Uint8Array.from([0, 1, 1, 0, 1, 0, 0, 1]);
    expect(rocAuc(s, l)).toBe(10.5 / 16);
  });
});

describe('rocCurve', () => {
  test('tied fixture: points by hand', () => {
    // cumulative (tp, fp) after each distinct score, P = N = 4:
    // 0.9: (1,0) → fpr 0,    tpr 0.25
    // 0.8: (2,1) → fpr 0.25, tpr 0.5
    // 0.6: (3,3) → fpr 0.75, tpr 0.75
    // 0.3: (4,3) → fpr 0.75, tpr 1
    // 0.1: (4,4) → fpr 1,    tpr 1
    expect(rocCurve(S, L)).toEqual([
      { fpr: 0, tpr: 0, threshold: Infinity },
      { fpr: 0, tpr: 0.25, threshold: 0.9 },
      { fpr: 0.25, tpr: 0.5, threshold: 0.8 },
      { fpr: 0.75, tpr: 0.75, threshold: 0.6 },
      { fpr: 0.75, tpr: 1, threshold: 0.3 },
      { fpr: 1, tpr: 1, threshold: 0.1 },
    ]);
  });

  test('trapezoid area equals rocAuc', () => {
    // segments: 0 + 0.25·(0.25+0.5)/2 + 0.5·(0.5+0.75)/2 + 0 + 0.25·(1+1)/2
    //         = 0.09375 + 0.3125 + 0.25 = 0.65625
    expect(trapezoid(rocCurve(S, L))).toBeCloseTo(0.65625, 12);
    expect(trapezoid(rocCurve(S, L))).toBeCloseTo(rocAuc(S, L), 12);
  });

  test('all tied → one diagonal step, area 0.5', () => {
    const pts = rocCurve([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0]);
    // (0,0) → (1,1) in one step; area = 1·(0+1)/2 = 0.5
    expect(pts).toEqual([
      { fpr: 0, tpr: 0, threshold: Infinity },
      { fpr: 1, tpr: 1, threshold: 0.5 },
    ]);
    expect(trapezoid(pts)).toBe(0.5);
  });
});

describe('prCurve and averagePrecision', () => {
  test('no ties: AP by hand', () => {
    // sorted: 0.9(1) 0.8(0) 0.7(1) 0.6(0) 0.5(1), P = 3; given shuffled
    const s = [0.6, 0.9, 0.5, 0.8, 0.7];
    const l = [0, 1, 1, 0, 1];
    // 0.9: tp1 fp0 → R 1/3, P 1
    // 0.8: tp1 fp1 → R 1/3, P 1/2
    // 0.7: tp2 fp1 → R 2/3, P 2/3
    // 0.6: tp2 fp2 → R 2/3, P 1/2
    // 0.5: tp3 fp2 → R 1,   P 3/5
    const curve = prCurve(s, l);
    expect(curve.map((p) => p.threshold)).toEqual([0.9, 0.8, 0.7, 0.6, 0.5]);
    expect(curve.map((p) => p.recall)).toEqual([1 / 3, 1 / 3, 2 / 3, 2 / 3, 1]);
    expect(curve.map((p) => p.precision)).toEqual([1, 1 / 2, 2 / 3, 1 / 2, 3 / 5]);
    // AP = 1/3·1 + 0·½ + 1/3·2/3 + 0·½ + 1/3·3/5 = (1 + 2/3 + 3/5)/3 = (34/15)/3 = 34/45
    expect(averagePrecision(s, l)).toBeCloseTo(34 / 45, 12);
  });

  test('ties form one threshold (sklearn)', () => {
    // 0.9: tp1 fp0 → R 1/4, P 1
    // 0.8: tp2 fp1 → R 2/4, P 2/3
    // 0.6: tp3 fp3 → R 3/4, P 3/6
    // 0.3: tp4 fp3 → R 1,   P 4/7
    // 0.1: tp4 fp4 → R 1,   P 4/8
    const curve = prCurve(S, L);
    expect(curve).toHaveLength(5);
    expect(curve.map((p) => p.recall)).toEqual([0.25, 0.5, 0.75, 1, 1]);
    expect(curve.map((p) => p.precision)).toEqual([1, 2 / 3, 0.5, 4 / 7, 0.5]);
    // AP = ¼(1 + 2/3 + 1/2 + 4/7) + 0·½ = ¼·(42 + 28 + 21 + 24)/42 = ¼·115/42 = 115/168
    expect(averagePrecision(S, L)).toBeCloseTo(115 / 168, 12);
  });

  test('perfect ranking → AP 1; no positives → NaN', () => {
    // R jumps 0→½ at P 1 and ½→1 at P 1 → AP = 1
    expect(averagePrecision([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toBe(1);
    expect(averagePrecision([0.9, 0.8], [0, 0])).toBeNaN();
  });
});

describe('confusion', () => {
  test('threshold 0.6 (ties included as positive)', () => {
    // predicted positive: 0.9(1) 0.8(1) 0.8(0) 0.6(1) 0.6(0) 0.6(0) → tp 3, fp 3
    // predicted negative: 0.3(1) 0.1(0) → fn 1, tn 1
    // precision 3/6, recall 3/4, f1 = 2·½·¾/(½+¾) = 0.75/1.25 = 0.6
    // accuracy (3+1)/8 = 0.5, specificity 1/(1+3) = 0.25
    const c = confusion(S, L, 0.6);
    expect(c).toMatchObject({ tp: 3, fp: 3, tn: 1, fn: 1 });
    expect(c.precision).toBe(0.5);
    expect(c.recall).toBe(0.75);
    expect(c.f1).toBeCloseTo(0.6, 12);
    expect(c.accuracy).toBe(0.5);
    expect(c.specificity).toBe(0.25);
  });

  test('threshold 0.8', () => {
    // tp 2 (0.9, 0.8), fp 1 (0.8), fn 2 (0.6, 0.3), tn 3 (0.6, 0.6, 0.1)
    // precision 2/3, recall 2/4, f1 = 2·2/(2·2+1+2) = 4/7
    // accuracy 5/8, specificity 3/4
    const c = confusion(S, L, 0.8);
    expect(c).toMatchObject({ tp: 2, fp: 1, tn: 3, fn: 2 });
    expect(c.precision).toBeCloseTo(2 / 3, 12);
    expect(c.recall).toBe(0.5);
    expect(c.f1).toBeCloseTo(4 / 7, 12);
    expect(c.accuracy).toBe(5 / 8);
    expect(c.specificity).toBe(0.75);
  });

  test('threshold above all scores → precision 0, recall 0, f1 0', () => {
    // nothing predicted positive: tp 0, fp 0, fn 4, tn 4
    expect(confusion(S, L, 0.95)).toEqual({
      tp: 0,
      fp: 0,
      tn: 4,
      fn: 4,
      precision: 0,
      recall: 0,
      f1: 0,
      accuracy: 0.5, // 4/8
      specificity: 1, // 4/4
    });
  });

  test('threshold 0 → everyone positive', () => {
    // tp 4, fp 4: precision ½, recall 1, f1 = 8/(8+4+0) = 2/3, specificity 0/4
    const c = confusion(S, L, 0);
    expect(c).toMatchObject({ tp: 4, fp: 4, tn: 0, fn: 0, precision: 0.5, recall: 1 });
    expect(c.f1).toBeCloseTo(2 / 3, 12);
    expect(c.specificity).toBe(0);
  });
});

describe('thresholdByCost', () => {
  test('offerCost 10, savedValue 100 (saveRate 1)', () => {
    // value = 100·TP − 10·(TP+FP)
    // 0.9: tp1 fp0 → 100 − 10 = 90
    // 0.8: tp2 fp1 → 200 − 30 = 170
    // 0.6: tp3 fp3 → 300 − 60 = 240
    // 0.3: tp4 fp3 → 400 − 70 = 330   ← best
    // 0.1: tp4 fp4 → 400 − 80 = 320
    expect(thresholdByCost(S, L, { offerCost: 10, savedValue: 100 })).toEqual({
      threshold: 0.3,
      expectedValue: 330,
      contacted: 7,
    });
  });

  test('saveRate 0.5', () => {
    // value = 50·TP − 10·(TP+FP): 0.9: 40, 0.8: 100−30=70, 0.6: 150−60=90,
    // 0.3: 200−70=130 ← best, 0.1: 200−80=120
    expect(thresholdByCost(S, L, { offerCost: 10, savedValue: 100, saveRate: 0.5 })).toEqual({
      threshold: 0.3,
      expectedValue: 130,
      contacted: 7,
    });
  });

  test('ties in value → higher threshold', () => {
    // offerCost 50: value = 100·TP − 50·(TP+FP) = 50·(TP − FP)
    // 0.9: 50·1 = 50, 0.8: 50·(2−1) = 50, 0.6: 0, 0.3: 50·(4−3) = 50, 0.1: 0
    // 0.9, 0.8 and 0.3 tie at 50 → 0.9 (contact 1)
    expect(thresholdByCost(S, L, { offerCost: 50, savedValue: 100 })).toEqual({
      threshold: 0.9,
      expectedValue: 50,
      contacted: 1,
    });
  });

  test('tie with contacting nobody → Infinity', () => {
    // saveRate 0.1: value = 10·TP − 10·(TP+FP) = −10·FP; 0.9 gives 0 = "nobody" → nobody wins
    expect(thresholdByCost(S, L, { offerCost: 10, savedValue: 100, saveRate: 0.1 })).toEqual({
      threshold: Infinity,
      expectedValue: 0,
      contacted: 0,
    });
  });

  test('offer too expensive → contact nobody', () => {
    // 0.9: 100 − 200 = −100 and every other candidate is lower still
    expect(thresholdByCost(S, L, { offerCost: 200, savedValue: 100 })).toEqual({
      threshold: Infinity,
      expectedValue: 0,
      contacted: 0,
    });
  });

  test('invalid options', () => {
    expect(() => thresholdByCost(S, L, { offerCost: -1, savedValue: 100 })).toThrow(RangeError);
    expect(() => thresholdByCost(S, L, { offerCost: 1, savedValue: NaN })).toThrow(RangeError);
    expect(() => thresholdByCost(S, L, { offerCost: 1, savedValue: 1, saveRate: 1.5 })).toThrow(
      /saveRate/,
    );
  });
});

describe('bestF1Threshold', () => {
  test('tied fixture', () => {
    // F1 = 2TP/(TP+FP+P), P = 4
    // 0.9: 2/(1+4) = 0.4; 0.8: 4/(3+4) ≈ 0.571; 0.6: 6/(6+4) = 0.6;
    // 0.3: 8/(7+4) ≈ 0.727 ← best; 0.1: 8/(8+4) ≈ 0.667
    expect(bestF1Threshold(S, L)).toBe(0.3);
  });

  test('ties go to the higher threshold; no positives → NaN', () => {
    // [0.9(1), 0.5(0), 0.4(1)], P = 2, F1 = 2TP/(TP+FP+P):
    // 0.9: tp1 fp0 → 2/(1+2) = 2/3; 0.5: tp1 fp1 → 2/(2+2) = 0.5;
    // 0.4: tp2 fp1 → 4/(3+2) = 0.8 ← best
    expect(bestF1Threshold([0.9, 0.5, 0.4], [1, 0, 1])).toBe(0.4);
    // [0.9(1), 0.8(0), 0.7(0), 0.6(1)], P = 2:
    // 0.9: 2/(1+2) = 2/3; 0.8: 2/4; 0.7: 2/5; 0.6: 4/(4+2) = 2/3 → tie, keep 0.9
    expect(bestF1Threshold([0.9, 0.8, 0.7, 0.6], [1, 0, 0, 1])).toBe(0.9);
    expect(bestF1Threshold([0.9, 0.8], [0, 0])).toBeNaN();
  });
});

describe('calibration', () => {
  test('10 bins by hand, empty bins omitted, 1.0 in the last bin', () => {
    const s = [0.05, 0.15, 0.12, 0.55, 0.95, 1.0];
    const l = [0, 0, 1, 1, 1, 0];
    // bin = floor(10·s): 0.05→0, 0.15→1, 0.12→1, 0.55→5, 0.95→9, 1.0→10→clamped to 9
    const bins = calibration(s, l);
    expect(bins.map((b) => b.bin)).toEqual([0, 1, 5, 9]);
    expect(bins.map((b) => b.count)).toEqual([1, 2, 1, 2]);
    // observed: bin0 0/1, bin1 1/2, bin5 1/1, bin9 1/2
    expect(bins.map((b) => b.observed)).toEqual([0, 0.5, 1, 0.5]);
    // meanPredicted: 0.05, (0.15+0.12)/2 = 0.135, 0.55, (0.95+1)/2 = 0.975
    const expected = [0.05, 0.135, 0.55, 0.975];
    bins.forEach((b, i) => expect(b.meanPredicted).toBeCloseTo(expected[i], 12));
    // edges: [0,0.1), [0.1,0.2), [0.5,0.6), [0.9,1]
    const edges = [
      [0, 0.1],
      [0.1, 0.2],
      [0.5, 0.6],
      [0.9, 1],
    ];
    bins.forEach((b, i) => {
      expect(b.lo).toBeCloseTo(edges[i][0], 12);
      expect(b.hi).toBeCloseTo(edges[i][1], 12);
    });
  });

  test('4 bins: bin edges are left-closed', () => {
    // floor(4·s): 0.25→1, 0.5→2, 0.2→0, 0.75→3
    expect(calibration([0.25, 0.5, 0.2, 0.75], [1, 0, 0, 1], 4)).toEqual([
      { bin: 0, lo: 0, hi: 0.25, meanPredicted: 0.2, observed: 0, count: 1 },
      { bin: 1, lo: 0.25, hi: 0.5, meanPredicted: 0.25, observed: 1, count: 1 },
      { bin: 2, lo: 0.5, hi: 0.75, meanPredicted: 0.5, observed: 0, count: 1 },
      { bin: 3, lo: 0.75, hi: 1, meanPredicted: 0.75, observed: 1, count: 1 },
    ]);
  });

  test('rejects scores outside [0,1] and bad bin counts', () => {
    expect(() => calibration([1.2], [1])).toThrow(RangeError);
    expect(() => calibration([0.5], [1], 0)).toThrow(/bins/);
    expect(() => calibration([0.5], [1], 2.5)).toThrow(/bins/);
  });
});

describe('gains', () => {
  test('cumulative gains and lift by hand', () => {
    // sorted desc labels: 1 1 0 1 0 0 1 0 0 0 (n = 10, P = 4); given shuffled
    const s = [0.05, 0.9, 0.3, 0.6, 0.8, 0.1, 0.5, 0.7, 0.2, 0.4];
    const l = [0, 1, 1, 1, 1, 0, 0, 0, 0, 0];
    // points 5 → top 2, 4, 6, 8, 10 customers:
    // top2: 2 pos → 2/4 = 0.5,  lift 0.5/0.2 = 2.5
    // top4: 3 pos → 0.75,       lift 0.75/0.4 = 1.875
    // top6: 3 pos → 0.75,       lift 0.75/0.6 = 1.25
    // top8: 4 pos → 1,          lift 1/0.8 = 1.25
    // top10: 4 pos → 1,         lift 1
    const g = gains(s, l, 5);
    expect(g.map((p) => p.share)).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    expect(g.map((p) => p.captured)).toEqual([0.5, 0.75, 0.75, 1, 1]);
    const lifts = [2.5, 1.875, 1.25, 1.25, 1];
    g.forEach((p, i) => expect(p.lift).toBeCloseTo(lifts[i], 12));
    expect(gains(s, l)).toHaveLength(10);
  });

  test('Math.round(share·n) customers, ties in stable order', () => {
    // n = 3, points 2: share ½ → round(1.5) = 2 customers: 0.9(0), 0.8(1) → 1/1 captured
    expect(gains([0.8, 0.9, 0.1], [1, 0, 0], 2)[0]).toEqual({ share: 0.5, captured: 1, lift: 2 });
    // tied scores keep input order: top 1 of [0.5(0), 0.5(1)] is the label-0 row → 0 captured
    expect(gains([0.5, 0.5], [0, 1], 2)[0]).toEqual({ share: 0.5, captured: 0, lift: 0 });
    expect(gains([0.5, 0.5], [1, 0], 2)[0]).toEqual({ share: 0.5, captured: 1, lift: 2 });
  });

  test('rejects a bad point count', () => {
    expect(() => gains(S, L, 0)).toThrow(/points/);
  });
});

describe('logLoss and brier', () => {
  const s = [0.9, 0.2, 0.6, 0.5];
  const l = [1, 0, 0, 1];

  test('logLoss by hand', () => {
    // probabilities of the true class: 0.9, 1−0.2 = 0.8, 1−0.6 = 0.4, 0.5
    // product 0.9·0.8·0.4·0.5 = 0.144; loss = −ln(0.144)/4
    // ≈ (0.1053605 + 0.2231436 + 0.9162907 + 0.6931472)/4 = 1.9379420/4 ≈ 0.4844855
    expect(logLoss(s, l)).toBeCloseTo(0.4844855, 6);
  });

  test('logLoss clips with eps', () => {
    // p = 0 clipped to 1e-7: −ln(1e-7) = 7·ln 10 ≈ 7·2.302585093 = 16.11809565
    expect(logLoss([0], [1])).toBeCloseTo(16.11809565, 6);
    // eps 0.1: p = 1, y = 0 → 1 − 0.9 = 0.1 → −ln 0.1 = ln 10 ≈ 2.302585093
    expect(logLoss([1], [0], 0.1)).toBeCloseTo(2.302585093, 8);
    // perfect confident predictions stay near 0: −ln(1 − 1e-7) ≈ 1e-7
    expect(logLoss([1, 0], [1, 0])).toBeCloseTo(1e-7, 12);
  });

  test('brier by hand', () => {
    // (0.9−1)² + (0.2−0)² + (0.6−0)² + (0.5−1)² = 0.01 + 0.04 + 0.36 + 0.25 = 0.66; /4 = 0.165
    expect(brier(s, l)).toBeCloseTo(0.165, 12);
    // perfect: 0; worst: (1−0)² = 1
    expect(brier([1, 0], [1, 0])).toBe(0);
    expect(brier([1, 0], [0, 1])).toBe(1);
  });
});

describe('input validation', () => {
  const all = [
    rocAuc,
    rocCurve,
    prCurve,
    averagePrecision,
    bestF1Threshold,
    calibration,
    gains,
    logLoss,
    brier,
    (s: ArrayLike<number>, l: ArrayLike<number>) => confusion(s, l, 0.5),
    (s: ArrayLike<number>, l: ArrayLike<number>) =>
      thresholdByCost(s, l, { offerCost: 1, savedValue: 10 }),
  ];

  test.each(all.map((fn, i) => [i, fn] as const))('function #%i validates inputs', (_, fn) => {
    expect(() => fn([0.1, 0.2], [1])).toThrow(RangeError);
    expect(() => fn([0.1, 0.2], [1])).toThrow(/differ in length/);
    expect(() => fn([], [])).toThrow(/empty/);
    expect(() => fn([0.1, 0.2], [1, 2])).toThrow(/labels must be 0 or 1/);
    expect(() => fn([0.1, 0.2], [1, 0.5])).toThrow(RangeError);
    expect(() => fn([0.1, NaN], [1, 0])).toThrow(/NaN/);
  });

  test('logLoss and brier reject non-probabilities', () => {
    expect(() => logLoss([-0.1], [0])).toThrow(/\[0, 1\]/);
    expect(() => brier([1.5], [1])).toThrow(RangeError);
    expect(() => logLoss([0.5], [1], 0)).toThrow(/eps/);
  });
});
