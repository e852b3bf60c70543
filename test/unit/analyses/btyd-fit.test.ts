import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  bgNbdExpected,
  bgNbdExpectedNew,
  bgNbdLogLikelihood,
  bgNbdPAlive,
  clv,
  fitBgNbd,
  fitGammaGamma,
  ggExpectedSpend,
  summaryColumns,
  type BgNbdData,
  type BgNbdFit,
  type GammaGammaData,
  type GammaGammaFit,
} from '../../../src/lib/analyses/btyd-fit.ts';
import { nelderMead } from '../../../src/lib/stats/optimize.ts';
import { gammaSign, hyp2f1, lgamma } from '../../../src/lib/stats/special.ts';
import { datasets } from '../../support/data.ts';

/** Header → column of numbers, by plain string splitting (the files use CRLF). */
function readCsv(file: string): Record<string, number[]> {
  const [head, ...lines] = readFileSync(join(inject('sharedData'), file), 'utf8')
    .trim()
    .split(/\r?\n/);
  const names = head.split(',');
  const cols: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const line of lines) line.split(',').forEach((v, i) => cols[names[i]].push(Number(v)));
  return cols;
}

const expectRel = (actual: number, expected: number, rel: number) =>
  expect(Math.abs(actual / expected - 1)).toBeLessThan(rel);

// Fader, Hardie & Lee (2005), Marketing Science 24(2), and data/cdnow/SOURCE.md.
const PUBLISHED = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const CUSTOMER_1 = { x: 2, tx: 30.43, T: 38.86 };

describe('lgamma', () => {
  it('matches known values', () => {
    expect(lgamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
    expect(lgamma(1)).toBe(0);
    expect(lgamma(2)).toBe(0);
    expect(lgamma(10)).toBeCloseTo(Math.log(362880), 13);
    expect(lgamma(3.5)).toBeCloseTo(Math.log((15 / 8) * Math.sqrt(Math.PI)), 13);
  });

  it('is accurate near 0 (Taylor series of lnΓ(1+ε) with ζ values)', () => {
    const e = 1e-3;
    const euler = 0.5772156649015329;
    const zeta3 = 1.2020569031595942;
    const ref =
      -Math.log(e) -
      euler * e +
      ((Math.PI ** 2 / 6) * e ** 2) / 2 -
      (zeta3 * e ** 3) / 3 +
      ((Math.PI ** 4 / 90) * e ** 4) / 4;
    expect(lgamma(e)).toBeCloseTo(ref, 13);
  });

  it('is accurate for large arguments', () => {
    let logFact170 = 0;
    for (let k = 2; k <= 170; k++) logFact170 += Math.log(k);
    expectRel(lgamma(171), logFact170, 1e-14);
    const x = 1e6;
    const stirling =
      (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3);
    expectRel(lgamma(x), stirling, 1e-14);
  });

  it('reflects to negative arguments and has poles at 0, −1, …', () => {
    expect(lgamma(-0.5)).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 13);
    expect(gammaSign(-0.5)).toBe(-1);
    expect(gammaSign(-1.5)).toBe(1);
    expect(gammaSign(-2)).toBe(0);
    expect(lgamma(0)).toBe(Infinity);
    expect(lgamma(-3)).toBe(Infinity);
  });
});

describe('hyp2f1', () => {
  it('2F1(1,1;2;z) = −ln(1−z)/z across the series and transformed ranges', () => {
    for (const z of [-5, -0.95, -0.3, 0.2, 0.5, 0.9, 0.95, 0.999, 0.999999]) {
      expectRel(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z, 1e-9);
    }
  });

  it('2F1(a,b;b;z) = (1−z)^(−a)', () => {
    for (const z of [-2, 0.3, 0.92, 0.99]) {
      expectRel(hyp2f1(0.7, 2.3, 2.3, z), Math.pow(1 - z, -0.7), 1e-12);
    }
  });

  it('matches arcsin and arctan closed forms', () => {
    const z = 0.99;
    expectRel(hyp2f1(0.5, 0.5, 1.5, z * z), Math.asin(z) / z, 1e-12);
    expectRel(hyp2f1(0.5, 1, 1.5, -4), Math.atan(2) / 2, 1e-12);
  });

  it('is NaN outside its domain', () => {
    expect(hyp2f1(1, 1, -2, 0.5)).toBeNaN();
    expect(hyp2f1(1, 1, 2, 1)).toBeNaN();
  });
});

describe('nelderMead', () => {
  const rosenbrock = ([x, y]: readonly number[]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;

  it('reaches the Rosenbrock minimum (1, 1)', () => {
    const res = nelderMead(rosenbrock, [-1.2, 1]);
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(1, 5);
    expect(res.x[1]).toBeCloseTo(1, 5);
    expect(res.fx).toBeLessThan(1e-10);
  });

  it('reports an iteration limit', () => {
    const res = nelderMead(rosenbrock, [-1.2, 1], { maxIterations: 10 });
    expect(res.converged).toBe(false);
    expect(res.message).toMatch(/limit/);
  });
});

describe('BG/NBD on CDNOW', () => {
  let data: BgNbdData;
  let fit: BgNbdFit;
  beforeAll(() => {
    const c = readCsv(datasets.cdnowSummary);
    data = { x: c.frequency, tx: c.recency, T: c.T };
    fit = fitBgNbd(data);
  });

  it('reproduces the published estimates', () => {
    expect(fit.customers).toBe(2357);
    expect(fit.converged).toBe(true);
    expect(fit.identified).toBe(true);
    expect(fit.message).toBeUndefined();
    expectRel(fit.r, PUBLISHED.r, 0.003);
    expectRel(fit.alpha, PUBLISHED.alpha, 0.003);
    expectRel(fit.a, PUBLISHED.a, 0.003);
    expectRel(fit.b, PUBLISHED.b, 0.003);
    expect(Math.abs(fit.logLikelihood - -9582.4)).toBeLessThan(0.1);
  });

  it('gives the published log-likelihood at the published estimates', () => {
    expect(Math.abs(bgNbdLogLikelihood(PUBLISHED, data) - -9582.4)).toBeLessThan(0.1);
  });

  it('accepts Float64Array columns', () => {
    const typed = {
      x: Float64Array.from(data.x),
      tx: Float64Array.from(data.tx),
      T: Float64Array.from(data.T),
    };
    expect(bgNbdLogLikelihood(fit, typed)).toBeCloseTo(fit.logLikelihood, 8);
  });

  it('expects 1.226 purchases in the next 39 weeks from customer x=2, t_x=30.43, T=38.86', () => {
    const { x, tx, T } = CUSTOMER_1;
    expect(Math.abs(bgNbdExpected(PUBLISHED, 39, x, tx, T) - 1.226)).toBeLessThan(0.001);
    expect(Math.abs(bgNbdExpected(fit, 39, x, tx, T) - 1.226)).toBeLessThan(0.001);
    expect(bgNbdExpected(fit, 0, x, tx, T)).toBe(0);
  });

  it('a customer with no history is a new customer (eq. 10 with x = t_x = T = 0 is eq. 7)', () => {
    for (const t of [1, 39, 78, 500]) {
      expectRel(bgNbdExpected(fit, t, 0, 0, 0), bgNbdExpectedNew(fit, t), 1e-12);
    }
    // E[X(t)] ≈ t·E[λ] = t·r/α for small t, and grows with t.
    expectRel(bgNbdExpectedNew(fit, 1e-6) / 1e-6, fit.r / fit.alpha, 1e-4);
    expect(bgNbdExpectedNew(fit, 78)).toBeGreaterThan(bgNbdExpectedNew(fit, 39));
  });

  it('P(alive) is 1 for x = 0 and falls as T grows', () => {
    expect(bgNbdPAlive(fit, 0, 0, 38.86)).toBe(1);
    const { x, tx } = CUSTOMER_1;
    const p = [38.86, 50, 70, 100].map((T) => bgNbdPAlive(fit, x, tx, T));
    for (let i = 1; i < p.length; i++) expect(p[i]).toBeLessThan(p[i - 1]);
    for (const v of p) expect(v).toBeGreaterThan(0);
    expect(p[0]).toBeLessThan(1);
  });
});

describe('BG/NBD edge inputs', () => {
  it('flags a fit where nobody repeats', () => {
    const fit = fitBgNbd({ x: [0, 0, 0, 0], tx: [0, 0, 0, 0], T: [10, 20, 30, 39] });
    expect(fit.identified && fit.converged).toBe(false);
    expect(fit.message).toMatch(/repeat/);
  });

  it('rejects empty and malformed input with a clear error', () => {
    expect(() => fitBgNbd({ x: [], tx: [], T: [] })).toThrow(/no customers/i);
    expect(() => fitBgNbd({ x: [1], tx: [1, 2], T: [3] })).toThrow(RangeError);
    expect(() => fitBgNbd({ x: [1.5], tx: [1], T: [3] })).toThrow(/whole numbers/);
    expect(() => fitBgNbd({ x: [1], tx: [4], T: [3] })).toThrow(/t_x/);
  });

  it('builds columns from summary rows', () => {
    const cols = summaryColumns([
      { customer_id: 'a', x: 2, t_x: 3, T: 5, zbar: 10 },
      { customer_id: 'b', x: 0, t_x: 0, T: 4, zbar: 0 },
    ]);
    expect(Array.from(cols.x)).toEqual([2, 0]);
    expect(Array.from(cols.tx)).toEqual([3, 0]);
    expect(Array.from(cols.T)).toEqual([5, 4]);
    expect(Array.from(cols.m)).toEqual([10, 0]);
  });
});

describe('Gamma-Gamma on CDNOW', () => {
  let data: GammaGammaData;
  let gg: GammaGammaFit;
  let bg: BgNbdFit;
  beforeAll(() => {
    const c = readCsv(datasets.cdnowSummaryTx);
    data = { x: c.x, m: c.zbar };
    gg = fitGammaGamma(data);
    bg = fitBgNbd({ x: c.x, tx: c.t_x, T: c.T });
  });

  it('reproduces the published estimates on the 946 repeat customers', () => {
    expect(gg.customers).toBe(946);
    expect(gg.converged).toBe(true);
    expect(gg.identified).toBe(true);
    expect(Math.abs(gg.p - 6.25)).toBeLessThan(0.01);
    expect(Math.abs(gg.q - 3.74)).toBeLessThan(0.01);
    expect(Math.abs(gg.gamma - 15.44)).toBeLessThan(0.02);
  });

  it('shrinks a customer mean towards the population mean', () => {
    const population = (gg.p * gg.gamma) / (gg.q - 1);
    expect(ggExpectedSpend(gg, 0, 0)).toBeCloseTo(population, 12);
    const own = 100;
    const e = ggExpectedSpend(gg, 2, own);
    expect(e).toBeGreaterThan(population);
    expect(e).toBeLessThan(own);
    expect(ggExpectedSpend(gg, 50, own)).toBeGreaterThan(e);
    expect(ggExpectedSpend({ p: 1, q: 0.5, gamma: 1 }, 0, 0)).toBeNaN();
  });

  it('refuses to fit without repeat customers', () => {
    expect(() => fitGammaGamma({ x: [0, 0], m: [0, 0] })).toThrow(/repeat purchase/);
  });

  it('CLV telescopes to E[Y(t)]·E[M]·margin without discounting, and discounting lowers it', () => {
    const customer = { ...CUSTOMER_1, m: 22.35 };
    const undiscounted = clv(bg, gg, customer, {
      periods: 39,
      margin: 0.3,
      discountRatePerPeriod: 0,
    });
    const { x, tx, T, m } = customer;
    const direct = bgNbdExpected(bg, 39, x, tx, T) * ggExpectedSpend(gg, x, m) * 0.3;
    expectRel(undiscounted, direct, 1e-12);
    const discounted = clv(bg, gg, customer, {
      periods: 39,
      margin: 0.3,
      discountRatePerPeriod: 0.01,
    });
    expect(discounted).toBeLessThan(undiscounted);
    expect(discounted).toBeGreaterThan(undiscounted / 1.01 ** 39);
    expect(clv(bg, gg, customer, { periods: 0, margin: 0.3, discountRatePerPeriod: 0 })).toBe(0);
    expect(() =>
      clv(bg, gg, customer, { periods: 1.5, margin: 0.3, discountRatePerPeriod: 0 }),
    ).toThrow(RangeError);
  });
});
