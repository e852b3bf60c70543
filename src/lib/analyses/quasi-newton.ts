/**
 * Gradient-based maximum likelihood for the BTYD fits (btyd-fit.ts): BFGS on the
 * logarithms of positive parameters, from several starting points, keeping the best.
 *
 * Method: Nocedal & Wright (2006), "Numerical Optimization", 2nd ed., Algorithm 6.1
 * (BFGS with the inverse-Hessian update, eq. 6.17, the first step scaled by eq. 6.20)
 * and a backtracking Armijo line search (Algorithm 3.1). With the analytic gradient a
 * four-parameter likelihood settles in a few dozen evaluations, where the derivative-free
 * Nelder–Mead search (stats/optimize.ts) needed thousands: on 166,000 customers that is
 * the difference between well under a second and many minutes.
 *
 * The result has the same shape and the same fences as `minimizePositive`: the search
 * stays within |ln θ| ≤ 30 (the objective is +Infinity outside), and a parameter with
 * |ln θ| > 15 at the optimum is reported as not identified, by name.
 */
import { LOG_BOUND, positiveFit, type PositiveFit } from '../stats/optimize.ts';

/** f and its gradient ∂f/∂θ at θ (all θ > 0). */
export type ValueAndGradient = (theta: readonly number[]) => { f: number; g: number[] };

export interface QuasiNewtonOptions {
  /** Iteration limit per starting point. Default 500. */
  maxIterations?: number;
  /** Converged when every |∂f/∂ln θ| is at most this. Default 1e-8. */
  gradientTolerance?: number;
}

const LOG_FENCE = 30;

interface Run {
  z: number[];
  f: number;
  iterations: number;
  converged: boolean;
}

/** BFGS on z = ln θ from one start. */
function bfgs(fg: ValueAndGradient, z0: number[], maxIter: number, gTol: number): Run {
  const n = z0.length;
  const evaluate = (z: readonly number[]) => {
    if (z.some((v) => !(Math.abs(v) <= LOG_FENCE))) return { f: Infinity, g: [] as number[] };
    const theta = z.map(Math.exp);
    const { f, g } = fg(theta);
    // chain rule: ∂f/∂z = θ · ∂f/∂θ
    return { f: Number.isFinite(f) ? f : Infinity, g: g.map((v, i) => v * theta[i]) };
  };
  let z = z0.slice();
  let { f, g } = evaluate(z);
  if (!Number.isFinite(f)) return { z, f, iterations: 0, converged: false };
  // H ≈ inverse Hessian, row-major n × n, starting from the identity
  let H = identity(n);
  let first = true;
  let stalled = 0;
  for (let it = 0; it < maxIter; it++) {
    if (g.every((v) => Math.abs(v) <= gTol)) return { z, f, iterations: it, converged: true };
    let p = H.map((row) => -dot(row, g));
    let slope = dot(g, p);
    if (!(slope < 0)) {
      H = identity(n);
      p = g.map((v) => -v);
      slope = dot(g, p);
    }
    // Armijo backtracking; a non-finite value (outside the fence) also backtracks
    let t = 1;
    let next = evaluate(z.map((v, i) => v + t * p[i]));
    let halvings = 0;
    while (!(next.f <= f + 1e-4 * t * slope) && halvings < 40) {
      t /= 2;
      halvings++;
      next = evaluate(z.map((v, i) => v + t * p[i]));
    }
    if (!(next.f <= f + 1e-4 * t * slope)) {
      // no descent along p at any step length: f is flat to rounding here
      return { z, f, iterations: it + 1, converged: g.every((v) => Math.abs(v) <= 1e3 * gTol) };
    }
    const s = p.map((v) => t * v);
    const y = next.g.map((v, i) => v - g[i]);
    z = z.map((v, i) => v + s[i]);
    // ten steps in a row that gain nothing above rounding: as close as doubles get
    stalled = f - next.f <= 1e-15 * (1 + Math.abs(f)) ? stalled + 1 : 0;
    f = next.f;
    g = next.g;
    if (stalled >= 10) {
      return { z, f, iterations: it + 1, converged: g.every((v) => Math.abs(v) <= 1e3 * gTol) };
    }
    // A parameter past the identified range only drifts further along a flat ridge
    // (e.g. a, b → ∞ with a/(a+b) fixed): the search has settled as far as the data
    // allows, so stop, and the parameter is reported as not identified.
    if (z.some((v) => Math.abs(v) > LOG_BOUND + 1)) {
      return { z, f, iterations: it + 1, converged: true };
    }
    const sy = dot(s, y);
    if (sy > 1e-16 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (first) {
        const scale = sy / dot(y, y); // N&W eq. 6.20
        H = H.map((row) => row.map((v) => v * scale));
        first = false;
      }
      H = bfgsUpdate(H, s, y, sy);
    }
  }
  return {
    z,
    f,
    iterations: maxIter,
    converged: g.every((v) => Math.abs(v) <= gTol),
  };
}

/** H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1 / (yᵀ s). */
function bfgsUpdate(H: number[][], s: number[], y: number[], sy: number): number[][] {
  const n = s.length;
  const rho = 1 / sy;
  const Hy = H.map((row) => dot(row, y));
  const yHy = dot(y, Hy);
  const out = identity(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      out[i][j] =
        H[i][j] - rho * (s[i] * Hy[j] + Hy[i] * s[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
    }
  }
  return out;
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  );
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Minimise f over positive parameters with BFGS on ln θ from each starting point,
 * keeping the best; see the module comment. Same result shape as `minimizePositive`.
 */
export function minimizePositiveWithGradient(
  fg: ValueAndGradient,
  starts: readonly (readonly number[])[],
  names: readonly string[],
  options: QuasiNewtonOptions = {},
): PositiveFit {
  const maxIter = options.maxIterations ?? 500;
  const gTol = options.gradientTolerance ?? 1e-8;
  let best: Run | null = null;
  let iterations = 0;
  // The lowest value wins, except that a converged run within rounding of it is preferred
  // to one that only crept lower while stuck at its limit.
  const tie = (u: number, v: number) => Math.abs(u - v) <= 1e-12 * (1 + Math.abs(v));
  for (const s of starts) {
    const run = bfgs(fg, s.map(Math.log), maxIter, gTol);
    iterations += run.iterations;
    if (
      !best ||
      (run.f < best.f && !(best.converged && !run.converged && tie(run.f, best.f))) ||
      (!best.converged && run.converged && (run.f <= best.f || tie(run.f, best.f)))
    ) {
      best = run;
    }
  }
  if (!best) throw new RangeError('At least one starting point is needed.');
  return positiveFit(names, best.z, best.f, best.converged, iterations, 'unless-off-bound');
}

/**
 * The digamma function ψ(x) = d/dx lnΓ(x) for x > 0: the recurrence ψ(x) = ψ(x+1) − 1/x
 * up to x ≥ 10, then the asymptotic series (Abramowitz & Stegun 6.3.18), about 1e-14.
 */
export function digamma(x: number): number {
  let acc = 0;
  while (x < 10) {
    acc -= 1 / x;
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (
    acc +
    Math.log(x) -
    0.5 * inv -
    inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))))
  );
}
