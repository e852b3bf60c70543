/**
 * Derivative-free minimisation: the Nelder–Mead downhill simplex.
 *
 * Method: Nelder & Mead (1965), "A simplex method for function minimization",
 * Computer Journal 7(4), in the form analysed by Lagarias, Reeds, Wright & Wright (1998),
 * "Convergence properties of the Nelder–Mead simplex method in low dimensions",
 * SIAM J. Optim. 9(1): reflection ρ = 1, expansion χ = 2, contraction γ = ½,
 * shrink σ = ½, with the inside/outside contraction rules and tie-breaking by order.
 * With `adaptive: true` the coefficients depend on the dimension n as proposed by
 * Gao & Han (2012), Comput. Optim. Appl. 51(1): χ = 1 + 2/n, γ = ¾ − 1/(2n), σ = 1 − 1/n
 * (better for n > 5). Stopping follows SciPy's `fmin`: the simplex must be both
 * small (max |xᵢ − x₀| ≤ xTol) and flat (max |fᵢ − f₀| ≤ fTol).
 *
 * Restarts: Nelder–Mead can stall on a collapsed simplex away from the minimum
 * (McKinnon 1998). After it stops, a fresh simplex is built around the best point and
 * the search repeated until a restart no longer improves f by more than fTol.
 *
 * Non-finite objective values are treated as +Infinity, i.e. worse than any finite
 * value, so an objective may return Infinity/NaN to fence off an infeasible region.
 */

export interface NelderMeadOptions {
  /** Tolerance on the simplex size (absolute, per coordinate). Default 1e-8. */
  xTol?: number;
  /** Tolerance on the spread of function values across the simplex. Default 1e-10. */
  fTol?: number;
  /** Maximum number of iterations over all restarts. Default 2000 × n. */
  maxIterations?: number;
  /** Maximum number of function evaluations over all restarts. Default 4000 × n. */
  maxEvaluations?: number;
  /** Maximum number of restarts after the first run. Default 5. */
  maxRestarts?: number;
  /** Initial step per coordinate: a number, or one per coordinate. Default 0.5 (or 5 % of |x|). */
  step?: number | readonly number[];
  /** Dimension-dependent coefficients (Gao & Han 2012). Default false. */
  adaptive?: boolean;
}

export interface NelderMeadResult {
  x: number[];
  fx: number;
  iterations: number;
  evaluations: number;
  restarts: number;
  /** True when the tolerances were met before the iteration/evaluation limits. */
  converged: boolean;
  message: string;
}

const finite = (v: number) => (Number.isFinite(v) ? v : Infinity);

/** Minimise `f` starting from `x0`; see the module comment for the method. */
export function nelderMead(
  f: (x: readonly number[]) => number,
  x0: readonly number[],
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const n = x0.length;
  if (n === 0) throw new RangeError('Nelder–Mead needs at least one parameter.');
  const xTol = options.xTol ?? 1e-8;
  const fTol = options.fTol ?? 1e-10;
  const maxIter = options.maxIterations ?? 2000 * n;
  const maxEval = options.maxEvaluations ?? 4000 * n;
  const maxRestarts = options.maxRestarts ?? 5;
  const rho = 1;
  const chi = options.adaptive ? 1 + 2 / n : 2;
  const gam = options.adaptive ? 0.75 - 1 / (2 * n) : 0.5;
  const sig = options.adaptive ? 1 - 1 / n : 0.5;

  let evaluations = 0;
  let iterations = 0;
  const evalf = (x: number[]) => {
    evaluations++;
    return finite(f(x));
  };

  const stepFor = (i: number, xi: number) => {
    const s = options.step;
    if (typeof s === 'number') return s;
    if (s) return s[i];
    return xi !== 0 ? 0.05 * Math.abs(xi) + 0.25 : 0.5;
  };

  /** One Nelder–Mead run from `start`; returns whether the tolerances were met. */
  const run = (start: number[]): { x: number[]; fx: number; converged: boolean } => {
    const simplex: number[][] = [start.slice()];
    for (let i = 0; i < n; i++) {
      const v = start.slice();
      v[i] += stepFor(i, start[i]);
      simplex.push(v);
    }
    const fs = simplex.map(evalf);
    const order = () => {
      const idx = simplex.map((_, i) => i).sort((i, j) => fs[i] - fs[j]);
      const s2 = idx.map((i) => simplex[i]);
      const f2 = idx.map((i) => fs[i]);
      for (let i = 0; i <= n; i++) {
        simplex[i] = s2[i];
        fs[i] = f2[i];
      }
    };
    order();
    while (iterations < maxIter && evaluations < maxEval) {
      let xSpread = 0;
      let fSpread = 0;
      for (let i = 1; i <= n; i++) {
        fSpread = Math.max(fSpread, Math.abs(fs[i] - fs[0]));
        for (let j = 0; j < n; j++) {
          xSpread = Math.max(xSpread, Math.abs(simplex[i][j] - simplex[0][j]));
        }
      }
      if (xSpread <= xTol && fSpread <= fTol) return { x: simplex[0], fx: fs[0], converged: true };
      iterations++;

      const centroid = new Array<number>(n).fill(0);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += simplex[i][j] / n;
      const worst = simplex[n];
      const along = (c: number) => centroid.map((cj, j) => cj + c * (cj - worst[j]));

      const xr = along(rho);
      const fr = evalf(xr);
      let replace: [number[], number] | null = null;
      if (fr < fs[0]) {
        const xe = along(rho * chi);
        const fe = evalf(xe);
        replace = fe < fr ? [xe, fe] : [xr, fr];
      } else if (fr < fs[n - 1]) {
        replace = [xr, fr];
      } else if (fr < fs[n]) {
        const xc = along(rho * gam); // outside contraction
        const fc = evalf(xc);
        if (fc <= fr) replace = [xc, fc];
      } else {
        const xcc = along(-gam); // inside contraction
        const fcc = evalf(xcc);
        if (fcc < fs[n]) replace = [xcc, fcc];
      }
      if (replace) {
        simplex[n] = replace[0];
        fs[n] = replace[1];
      } else {
        for (let i = 1; i <= n; i++) {
          simplex[i] = simplex[i].map((v, j) => simplex[0][j] + sig * (v - simplex[0][j]));
          fs[i] = evalf(simplex[i]);
        }
      }
      order();
    }
    return { x: simplex[0], fx: fs[0], converged: false };
  };

  let best = run(x0.slice());
  let restarts = 0;
  while (best.converged && restarts < maxRestarts && Number.isFinite(best.fx)) {
    const again = run(best.x);
    restarts++;
    const improved = best.fx - again.fx;
    if (again.fx <= best.fx) best = again;
    if (!(improved > fTol)) break;
  }
  const hitLimit = !best.converged;
  const message = !Number.isFinite(best.fx)
    ? 'The objective was not finite anywhere the search went.'
    : hitLimit
      ? `Stopped at the limit of ${maxIter} iterations or ${maxEval} evaluations before converging.`
      : 'Converged.';
  return {
    x: best.x,
    fx: best.fx,
    iterations,
    evaluations,
    restarts,
    converged: best.converged && Number.isFinite(best.fx),
    message,
  };
}

export interface PositiveFit {
  /** The best parameters found (all > 0). */
  theta: number[];
  /** Objective value at theta. */
  fx: number;
  /** Iterations over all starting points. */
  iterations: number;
  /** False when the best run hit its limits or the objective was not finite. */
  converged: boolean;
  /** False when a parameter ran off towards 0 or ∞ (|ln θ| > 15). */
  identified: boolean;
  /** Plain-language reason when converged or identified is false. */
  message?: string;
}

/** |ln θ| beyond which a parameter is reported as not identified. */
export const LOG_BOUND = 15;
const LOG_FENCE = 30;

/**
 * The result of a search over z = ln θ (for the optimizers here and in quasi-newton.ts):
 * θ = exp(z); converged and identified only where the objective is finite; a parameter
 * with |z| > LOG_BOUND named as not identified; the iteration-limit note when the search
 * did not converge (`limitNote` 'always'), or only when no parameter also ran off
 * ('unless-off-bound': running off is then the reason it did not settle).
 */
export function positiveFit(
  names: readonly string[],
  z: readonly number[],
  fx: number,
  converged: boolean,
  iterations: number,
  limitNote: 'always' | 'unless-off-bound',
): PositiveFit {
  const offBound = names.filter((_, i) => Math.abs(z[i]) > LOG_BOUND);
  const finite = Number.isFinite(fx);
  const out: PositiveFit = {
    theta: z.map(Math.exp),
    fx,
    iterations,
    converged: finite && converged,
    identified: finite && offBound.length === 0,
  };
  const notes: string[] = [];
  if (!finite) {
    notes.push('The likelihood could not be evaluated (not finite) anywhere the search went.');
  } else if (!converged && (limitNote === 'always' || offBound.length === 0)) {
    notes.push(
      'The fit stopped at its iteration limit before settling; the estimates are unreliable.',
    );
  }
  if (finite && offBound.length > 0) {
    notes.push(
      `The data cannot pin down ${offBound.join(', ')}: the estimate ran off towards 0 or infinity.`,
    );
  }
  if (notes.length > 0) out.message = notes.join(' ');
  return out;
}

/**
 * Minimise f over positive parameters: Nelder–Mead on ln θ from each starting point,
 * keeping the best. The search is fenced to |ln θ| ≤ 30 (f is +Infinity outside), and a
 * parameter with |ln θ| > 15 at the optimum is reported as not identified, naming it.
 * Intended for (mean) negative log-likelihoods, hence the tight tolerances.
 */
export function minimizePositive(
  f: (theta: readonly number[]) => number,
  starts: readonly (readonly number[])[],
  names: readonly string[],
  options: { maxIterations?: number } = {},
): PositiveFit {
  const objective = (z: readonly number[]) =>
    z.some((v) => Math.abs(v) > LOG_FENCE) ? Infinity : f(z.map(Math.exp));
  const maxIterations = options.maxIterations ?? 5000;
  let best: NelderMeadResult | null = null;
  let iterations = 0;
  for (const s of starts) {
    const res = nelderMead(objective, s.map(Math.log), {
      xTol: 1e-9,
      fTol: 1e-12,
      maxIterations,
      maxEvaluations: 2 * maxIterations,
    });
    iterations += res.iterations;
    if (!best || res.fx < best.fx || (!best.converged && res.converged && res.fx <= best.fx)) {
      best = res;
    }
  }
  if (!best) throw new RangeError('At least one starting point is needed.');
  return positiveFit(names, best.x, best.fx, best.converged, iterations, 'always');
}
