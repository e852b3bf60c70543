/**
 * Special functions for the "buy till you die" models: log-gamma and the Gauss
 * hypergeometric function 2F1. Pure numeric code, no dependencies.
 */

/**
 * Lanczos coefficients for g = 7, n = 9 (the set published by P. Godfrey and used by
 * Numerical Recipes 3rd ed. §6.1 and many libraries): about 15 significant digits for
 * Γ(x) with x ≥ 0.5.
 */
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * log |Γ(x)|. Lanczos approximation for x ≥ 0.5; the reflection formula
 * Γ(x)Γ(1−x) = π / sin(πx) below that. Returns +Infinity at 0 and the negative
 * integers (the poles) and NaN for NaN.
 */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x === 1 || x === 2) return 0;
  if (x < 0.5) {
    if (Number.isInteger(x)) return Infinity;
    // |sin(πx)| = |sin(π(x − round x))|: the exact reduced argument keeps full precision
    // near the poles and for large |x|.
    const s = Math.abs(Math.sin(Math.PI * (x - Math.round(x))));
    return Math.log(Math.PI / s) - lgamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The sign of Γ(x): 1 for x > 0, ±1 between the poles, 0 at a pole (so 1/Γ = 0). */
export function gammaSign(x: number): number {
  if (x > 0) return 1;
  if (Number.isInteger(x)) return 0;
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

export interface Hyp2f1Options {
  /** Relative tolerance on the series terms. Default 1e-15. */
  tolerance?: number;
  /** Maximum number of series terms before giving up (returns NaN). Default 500,000. */
  maxTerms?: number;
}

/**
 * The plain power series Σ (a)_n (b)_n / ((c)_n n!) zⁿ, stopped once two consecutive
 * terms are below `tolerance` × |sum|. NaN if it does not settle within `maxTerms`.
 */
function series(a: number, b: number, c: number, z: number, tol: number, maxTerms: number) {
  let term = 1;
  let sum = 1;
  let small = 0;
  for (let n = 0; n < maxTerms; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    if (term === 0) return sum;
    if (Math.abs(term) <= tol * Math.abs(sum)) {
      if (++small >= 2) return sum;
    } else small = 0;
  }
  return NaN;
}

/** Γ(p1)Γ(p2) / (Γ(q1)Γ(q2)) with signs, computed in log space; 0 if a denominator is a pole. */
function gammaRatio(p1: number, p2: number, q1: number, q2: number): number {
  const sign = gammaSign(p1) * gammaSign(p2) * gammaSign(q1) * gammaSign(q2);
  if (gammaSign(q1) === 0 || gammaSign(q2) === 0) return 0;
  return sign * Math.exp(lgamma(p1) + lgamma(p2) - lgamma(q1) - lgamma(q2));
}

/**
 * Gauss hypergeometric function ₂F₁(a, b; c; z) for real arguments and z < 1.
 *
 * - |z| ≤ 0.9: the defining power series with a relative convergence check.
 * - −∞ < z < −0.9: Pfaff's transformation (Abramowitz & Stegun 15.3.4)
 *   ₂F₁(a,b;c;z) = (1−z)^(−a) ₂F₁(a, c−b; c; z/(z−1)), whose argument lies in [0.47, 1).
 * - 0.9 < z < 1: the linear transformation to 1 − z (A&S 15.3.6), which converges fast;
 *   when c − a − b is within 1e-4 of an integer that formula is singular (A&S 15.3.10–12
 *   would be needed), so the direct series is summed instead — it still converges for
 *   z < 1, only more slowly. If it needs more than `maxTerms` terms (z within ~1e-5 of 1),
 *   15.3.6 is used anyway when c − a − b is ≥ 1e-6 off the integer k, and otherwise the
 *   value is interpolated linearly in c between the regular neighbours c − a − b = k ± 1e-6;
 *   cancellation between the two large terms then costs about 6 digits (relative error
 *   ~1e-9 instead of ~1e-15).
 *
 * Returns NaN if c is a non-positive integer, z ≥ 1, or the series does not converge.
 */
export function hyp2f1(
  a: number,
  b: number,
  c: number,
  z: number,
  opts: Hyp2f1Options = {},
): number {
  const tol = opts.tolerance ?? 1e-15;
  const maxTerms = opts.maxTerms ?? 500_000;
  if (![a, b, c, z].every(Number.isFinite) || z >= 1) return NaN;
  if (c <= 0 && Number.isInteger(c)) return NaN;
  if (z === 0 || a === 0 || b === 0) return 1;
  if (Math.abs(z) <= 0.9) return series(a, b, c, z, tol, maxTerms);
  if (z < 0) {
    return Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, z / (z - 1), opts);
  }
  const s = c - a - b;
  const k = Math.round(s);
  if (Math.abs(s - k) >= NEAR_INTEGER) return oneMinusZ(a, b, c, z, tol, maxTerms);
  const direct = series(a, b, c, z, tol, maxTerms);
  if (!Number.isNaN(direct)) return direct;
  // Too slow to sum: use 15.3.6 as it is if c − a − b is at least 1e-6 off the integer,
  // else interpolate in c between c − a − b = k ± 1e-6, where it is regular.
  if (Math.abs(s - k) >= INTERP_EPS) return oneMinusZ(a, b, c, z, tol, maxTerms);
  const ck = c - (s - k);
  const lo = oneMinusZ(a, b, ck - INTERP_EPS, z, tol, maxTerms);
  const hi = oneMinusZ(a, b, ck + INTERP_EPS, z, tol, maxTerms);
  return (lo + hi) / 2 + ((s - k) * (hi - lo)) / (2 * INTERP_EPS);
}

const NEAR_INTEGER = 1e-4;
const INTERP_EPS = 1e-6;

/** A&S 15.3.6: ₂F₁ at z through two series in 1 − z; needs c − a − b not an integer. */
function oneMinusZ(a: number, b: number, c: number, z: number, tol: number, maxTerms: number) {
  const s = c - a - b;
  const w = 1 - z;
  const t1 = gammaRatio(c, s, c - a, c - b);
  const t2 = gammaRatio(c, -s, a, b);
  const f1 = t1 === 0 ? 0 : t1 * series(a, b, 1 - s, w, tol, maxTerms);
  const f2 = t2 === 0 ? 0 : t2 * Math.pow(w, s) * series(c - a, c - b, s + 1, w, tol, maxTerms);
  return f1 + f2;
}
