/**
 * Confidence intervals for a treatment − holdout comparison, and the sample size
 * needed to detect a difference of two proportions. Pure numeric code.
 */
import { normalQuantile } from './chisq.ts';
import { lgamma } from './special.ts';

/** An estimate with its two-sided interval; bounds are null when it cannot be formed. */
export interface Interval {
  estimate: number;
  lower: number | null;
  upper: number | null;
}

/**
 * The regularised incomplete beta function I_x(a, b), by the continued fraction of
 * Numerical Recipes (3rd ed., §6.4, `betacf`, modified Lentz), using the symmetry
 * I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly.
 */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1)) return NaN;
  if (x === 0 || x === 1) return x;
  const front = Math.exp(
    lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedBeta(1 - x, b, a);
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return (front * h) / a;
}

/** Student's t CDF with `df` (> 0, not necessarily whole) degrees of freedom: 1 − I_{df/(df+t²)}(df/2, 1/2) / 2 for t ≥ 0. */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0) || Number.isNaN(t)) return NaN;
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Student's t quantile: the t with CDF p, by bisection on {@link studentTCdf} (monotone, so it always converges). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile needs 0 < p < 1, got ${p}`);
  if (!(df > 0)) throw new RangeError(`studentTQuantile needs df > 0, got ${df}`);
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Wilson's score interval for one proportion x/n (Wilson 1927, "Probable inference,
 * the law of succession, and statistical inference", JASA 22:209):
 * (2x + z² ± z·√(z² + 4x(1 − x/n))) ÷ (2(n + z²)).
 */
export function wilsonInterval(x: number, n: number, z: number): [number, number] {
  const q = 1 - x / n;
  const root = z * Math.sqrt(z * z + 4 * x * q);
  const denominator = 2 * (n + z * z);
  return [(2 * x + z * z - root) / denominator, (2 * x + z * z + root) / denominator];
}

/** The difference p₁ − p₂ of two proportions x₁/n₁ and x₂/n₂ with two intervals. */
export interface ProportionDifference {
  p1: number;
  p2: number;
  /** p₁ − p₂ with the Wald interval d ± z·√(p₁q₁/n₁ + p₂q₂/n₂). */
  wald: Interval;
  /** Standard error of the Wald interval. */
  se: number;
  /** p₁ − p₂ with Newcombe's hybrid score interval (his method 10). */
  newcombe: Interval;
}

/**
 * The difference of two independent proportions with a two-sided interval at
 * `level` (0.95 by default), in two ways:
 *
 * - Wald: d ± z·SE, SE = √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂), the textbook normal
 *   approximation (e.g. Agresti, *Categorical Data Analysis*, 3rd ed., §1.4 / §3.1.2);
 * - Newcombe's hybrid score interval (R. G. Newcombe 1998, "Interval estimation for the
 *   difference between independent proportions: comparison of eleven methods",
 *   Statistics in Medicine 17:873–890, method 10): with Wilson intervals (l₁, u₁) and
 *   (l₂, u₂), lower = d − √((p₁−l₁)² + (u₂−p₂)²), upper = d + √((u₁−p₁)² + (p₂−l₂)²).
 *   It stays inside [−1, 1] and behaves well for small groups and extreme rates, where
 *   Wald does not.
 */
export function proportionDifference(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  level = 0.95,
): ProportionDifference {
  if (!(n1 > 0 && n2 > 0)) throw new RangeError('Both groups need at least one customer.');
  const z = normalQuantile(1 - (1 - level) / 2);
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const d = p1 - p2;
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  const [l1, u1] = wilsonInterval(x1, n1, z);
  const [l2, u2] = wilsonInterval(x2, n2, z);
  return {
    p1,
    p2,
    se,
    wald: { estimate: d, lower: d - z * se, upper: d + z * se },
    newcombe: {
      estimate: d,
      lower: d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
      upper: d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    },
  };
}

/** A group's sample for a mean: size, mean and sample variance (n − 1 denominator). */
export interface MeanSample {
  n: number;
  mean: number;
  variance: number;
}

/** The difference of two means with Welch's interval. */
export interface MeanDifference extends Interval {
  se: number;
  /** Welch–Satterthwaite degrees of freedom; null when they cannot be formed. */
  df: number | null;
}

/**
 * The difference of two means m₁ − m₂ with Welch's t interval at `level` (B. L. Welch
 * 1947, "The generalization of 'Student's' problem when several different population
 * variances are involved", Biometrika 34:28–35; df by F. E. Satterthwaite 1946):
 * SE = √(s₁²/n₁ + s₂²/n₂), df = SE⁴ ÷ ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1)),
 * interval = d ± t_{df, 1−α/2}·SE. No equal-variance assumption. Bounds are null when
 * a group has fewer than 2 members; with zero variance in both groups the interval is
 * the point itself.
 */
export function meanDifference(a: MeanSample, b: MeanSample, level = 0.95): MeanDifference {
  const estimate = a.mean - b.mean;
  if (a.n < 2 || b.n < 2) return { estimate, lower: null, upper: null, se: NaN, df: null };
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { estimate, lower: estimate, upper: estimate, se: 0, df: null };
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const t = studentTQuantile(1 - (1 - level) / 2, df);
  return { estimate, lower: estimate - t * se, upper: estimate + t * se, se, df };
}

/**
 * Customers needed per group to detect an absolute difference `lift` between a
 * baseline proportion p₁ and p₂ = p₁ + lift with a two-sided test at significance
 * `alpha` and `power` (the normal-approximation formula for two independent
 * proportions, e.g. Fleiss, Levin & Paik, *Statistical Methods for Rates and
 * Proportions*, 3rd ed., eq. 4.14 without continuity correction; Chow, Shao & Wang,
 * *Sample Size Calculations in Clinical Research*, §4.2):
 *
 *   n = (z_{1−α/2}·√(2·p̄(1−p̄)) + z_{power}·√(p₁(1−p₁) + p₂(1−p₂)))² ÷ lift², p̄ = (p₁+p₂)/2,
 *
 * rounded up. Null when p₂ falls outside (0, 1).
 */
export function sampleSizeTwoProportions(
  p1: number,
  lift: number,
  alpha = 0.05,
  power = 0.8,
): number | null {
  const p2 = p1 + lift;
  if (!(lift !== 0 && p1 >= 0 && p1 <= 1 && p2 > 0 && p2 < 1)) return null;
  const za = normalQuantile(1 - alpha / 2);
  const zb = normalQuantile(power);
  const pBar = (p1 + p2) / 2;
  const n =
    (za * Math.sqrt(2 * pBar * (1 - pBar)) + zb * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 /
    lift ** 2;
  // round first so that float noise (387.0000000001) does not add a customer
  return Math.ceil(Math.round(n * 1e6) / 1e6);
}
