import { describe, expect, it } from 'vitest';
import { bgNbdLogLikelihood, fitBgNbd } from '../../../src/lib/analyses/btyd-fit.ts';
import { digamma, minimizePositiveWithGradient } from '../../../src/lib/analyses/quasi-newton.ts';

const EULER_GAMMA = 0.5772156649015329;

describe('digamma', () => {
  it('matches closed forms (Abramowitz & Stegun 6.3.2, 6.3.3, 6.3.5)', () => {
    expect(digamma(1)).toBeCloseTo(-EULER_GAMMA, 12);
    expect(digamma(0.5)).toBeCloseTo(-EULER_GAMMA - 2 * Math.log(2), 12);
    // ψ(n) = −γ + Σ_{k=1}^{n−1} 1/k: ψ(4) = −γ + 1 + 1/2 + 1/3
    expect(digamma(4)).toBeCloseTo(-EULER_GAMMA + 11 / 6, 12);
    // ψ(x + 1) = ψ(x) + 1/x, across the switch to the asymptotic series at 10
    expect(digamma(10.5)).toBeCloseTo(digamma(9.5) + 1 / 9.5, 12);
    expect(digamma(1000)).toBeCloseTo(Math.log(1000) - 1 / 2000 - 1 / 12e6, 12);
  });
});

describe('BFGS on positive parameters', () => {
  it('finds the minimum of a separable function with known optimum θ = (2, 0.5)', () => {
    // f = Σ (ln θᵢ − ln cᵢ)², ∂f/∂θᵢ = 2 (ln θᵢ − ln cᵢ) / θᵢ
    const c = [2, 0.5];
    const fit = minimizePositiveWithGradient(
      (t) => ({
        f: t.reduce((s, v, i) => s + (Math.log(v) - Math.log(c[i])) ** 2, 0),
        g: t.map((v, i) => (2 * (Math.log(v) - Math.log(c[i]))) / v),
      }),
      [[1, 1]],
      ['u', 'v'],
    );
    expect(fit.converged && fit.identified).toBe(true);
    expect(fit.theta[0]).toBeCloseTo(2, 8);
    expect(fit.theta[1]).toBeCloseTo(0.5, 8);
  });

  it('reports a parameter that runs off to infinity as not identified, by name', () => {
    // f = 1/θ decreases for ever as θ → ∞
    const fit = minimizePositiveWithGradient(
      (t) => ({ f: 1 / t[0], g: [-1 / t[0] ** 2] }),
      [[1]],
      ['p'],
    );
    expect(fit.identified).toBe(false);
    expect(fit.message).toMatch(/cannot pin down p/);
  });
});

describe('the BG/NBD fit reaches the maximum of the likelihood', () => {
  // A small hand-made summary: x repeat purchases, t_x and T in weeks.
  const data = {
    x: [0, 1, 2, 0, 4, 1, 0, 3, 6, 0, 2, 1],
    tx: [0, 5, 20, 0, 30, 2, 0, 35, 38, 0, 10, 25],
    T: [39, 38, 37, 36, 39, 30, 20, 38, 39, 15, 33, 39],
  };

  it('BG/NBD: no small move of any parameter raises the log-likelihood', () => {
    const fit = fitBgNbd(data);
    expect(fit.converged).toBe(true);
    const ll = bgNbdLogLikelihood(fit, data);
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      for (const factor of [0.999, 1.001]) {
        const moved = { ...fit, [key]: fit[key] * factor };
        expect(bgNbdLogLikelihood(moved, data)).toBeLessThanOrEqual(ll + 1e-9);
      }
    }
  });
});
