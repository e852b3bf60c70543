/**
 * "Buy till you die" models fitted to the per-customer summary of btyd-summary.ts.
 * Pure numeric code: plain arrays in, plain objects out, no I/O.
 *
 * - BG/NBD: Fader, Hardie & Lee (2005), "Counting your customers the easy way: an
 *   alternative to the Pareto/NBD model", Marketing Science 24(2):275–284. Purchases
 *   follow Poisson(λ) while alive, λ ~ Gamma(r, α); after each purchase the customer
 *   drops out with probability p ~ Beta(a, b).
 * - Gamma-Gamma: Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for
 *   customer base analysis", JMR 42(4), and Fader & Hardie (2013), "The Gamma-Gamma model
 *   of monetary value". Transaction values ~ Gamma(p, ν), ν ~ Gamma(q, γ).
 *
 * Parameters are estimated by maximum likelihood over their logarithms (so they stay
 * positive) with BFGS and the analytic gradient (quasi-newton.ts) from several starting
 * points, keeping the best. (Nelder–Mead, derivative-free, needed thousands of passes
 * over the customers: minutes for 166,000 of them.)
 */
import type { PositiveFit } from '../stats/optimize.ts';
import { hyp2f1, lgamma } from '../stats/special.ts';
import type { CustomerSummaryRow } from './btyd-summary.ts';
import { digamma, minimizePositiveWithGradient } from './quasi-newton.ts';

type Num = ArrayLike<number>;

/** (x, t_x, T) per customer: repeat purchases, recency and age, in one time unit. */
export interface BgNbdData {
  x: Num;
  tx: Num;
  T: Num;
}

/** Repeat purchases x and mean repeat transaction value m per customer. */
export interface GammaGammaData {
  x: Num;
  m: Num;
}

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface FitStatus {
  logLikelihood: number;
  /** False when the optimiser hit its limits or the likelihood was not finite. */
  converged: boolean;
  /** False when a parameter ran off towards 0 or ∞ (|log parameter| > 15). */
  identified: boolean;
  iterations: number;
  /** Customers the model was fitted to. */
  customers: number;
  /** Plain-language reason when converged or identified is false. */
  message?: string;
}

export type BgNbdFit = BgNbdParams & FitStatus;
export type GammaGammaFit = GammaGammaParams & FitStatus;

export interface FitOptions {
  /** Iteration limit per starting point (BFGS iterations). Default 500. */
  maxIterations?: number;
}

const fitStatus = (r: PositiveFit) => ({
  converged: r.converged,
  identified: r.identified,
  iterations: r.iterations,
  ...(r.message === undefined ? {} : { message: r.message }),
});

/** Column arrays from summary rows (the zbar column becomes m). */
export function summaryColumns(rows: readonly CustomerSummaryRow[]): BgNbdData & GammaGammaData {
  return {
    x: Float64Array.from(rows, (r) => r.x),
    tx: Float64Array.from(rows, (r) => r.t_x),
    T: Float64Array.from(rows, (r) => r.T),
    m: Float64Array.from(rows, (r) => r.zbar),
  };
}

/** Customers with identical (x, t_x, T) pooled with a weight, x values indexed. */
interface Prepared {
  n: number;
  xs: number[]; // distinct x values
  xIndex: Int32Array;
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  w: Float64Array;
}

function prepareBgNbd({ x, tx, T }: BgNbdData): Prepared {
  const n = x.length;
  if (n === 0) throw new RangeError('There are no customers to fit the BG/NBD model to.');
  if (tx.length !== n || T.length !== n) {
    throw new RangeError('x, t_x and T must have one value per customer.');
  }
  // Pool on (x, t_x, T) with Maps keyed by the numbers themselves: a string key per
  // customer (number → text) cost more than the whole fit on 166,000 customers.
  const groups = new Map<number, Map<number, Map<number, number>>>();
  const px: number[] = [];
  const ptx: number[] = [];
  const pT: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const Ti = T[i];
    if (!Number.isInteger(xi) || xi < 0) {
      throw new RangeError(`Repeat purchases x must be whole numbers ≥ 0 (customer ${i + 1}).`);
    }
    if (!(tx[i] >= 0 && Ti >= tx[i] && Number.isFinite(Ti))) {
      throw new RangeError(`Need 0 ≤ t_x ≤ T, both finite (customer ${i + 1}).`);
    }
    const ti = xi > 0 ? tx[i] : 0;
    let byTx = groups.get(xi);
    if (byTx === undefined) groups.set(xi, (byTx = new Map()));
    let byT = byTx.get(ti);
    if (byT === undefined) byTx.set(ti, (byT = new Map()));
    const g = byT.get(Ti);
    if (g === undefined) {
      byT.set(Ti, px.length);
      px.push(xi);
      ptx.push(ti);
      pT.push(Ti);
      weights.push(1);
    } else weights[g]++;
  }
  const xs = [...groups.keys()].sort((u, v) => u - v);
  const pos = new Map(xs.map((v, i) => [v, i]));
  return {
    n,
    xs,
    xIndex: Int32Array.from(px, (v) => pos.get(v) ?? 0),
    x: Float64Array.from(px),
    tx: Float64Array.from(ptx),
    T: Float64Array.from(pT),
    w: Float64Array.from(weights),
  };
}

/**
 * The terms of the BG/NBD log-likelihood that depend only on the frequency x, once per
 * distinct x: c12 = A1 + A2, and c4 = ln a − ln(b+x−1), the part of A4 without t_x
 * (−∞ when x = 0, where A4 does not apply).
 */
function frequencyTerms(
  prep: Prepared,
  { r, alpha, a, b }: BgNbdParams,
): { c12: Float64Array; c4: Float64Array } {
  const { xs } = prep;
  const c12 = new Float64Array(xs.length);
  const c4 = new Float64Array(xs.length);
  const base = -lgamma(r) + r * Math.log(alpha) + lgamma(a + b) - lgamma(b);
  for (let j = 0; j < xs.length; j++) {
    const xj = xs[j];
    c12[j] = base + lgamma(r + xj) + lgamma(b + xj) - lgamma(a + b + xj);
    c4[j] = xj > 0 ? Math.log(a) - Math.log(b + xj - 1) : -Infinity;
  }
  return { c12, c4 };
}

/**
 * Σ log L over customers (FHL 2005 eq. 6): L = A1·A2·(A3 + δ_{x>0}·A4) with, in logs,
 * A1 = lnΓ(r+x) − lnΓ(r) + r ln α, A2 = lnB(a, b+x) − lnB(a, b),
 * A3 = −(r+x) ln(α+T), A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x),
 * the sum A3 + A4 taken with log-sum-exp. Terms depending only on x are computed once
 * per distinct x.
 */
function bgNbdLL(prep: Prepared, { r, alpha, a, b }: BgNbdParams): number {
  const { c12, c4 } = frequencyTerms(prep, { r, alpha, a, b });
  let ll = 0;
  for (let i = 0; i < prep.x.length; i++) {
    const j = prep.xIndex[i];
    const rx = r + prep.x[i];
    const l3 = -rx * Math.log(alpha + prep.T[i]);
    let s = l3;
    if (prep.x[i] > 0) {
      const l4 = c4[j] - rx * Math.log(alpha + prep.tx[i]);
      const hi = Math.max(l3, l4);
      s = hi + Math.log(Math.exp(l3 - hi) + Math.exp(l4 - hi));
    }
    ll += prep.w[i] * (c12[j] + s);
  }
  return ll;
}

/**
 * {@link bgNbdLL} and its gradient (∂/∂r, ∂/∂α, ∂/∂a, ∂/∂b) in one pass. With
 * p₄ = e^{A4} / (e^{A3} + e^{A4}) the share of the "dropped out at t_x" term and p₃ = 1 − p₄:
 * ∂/∂r = ψ(r+x) − ψ(r) + ln α − p₃ ln(α+T) − p₄ ln(α+t_x),
 * ∂/∂α = r/α − (r+x)(p₃/(α+T) + p₄/(α+t_x)), ∂/∂a = ψ(a+b) − ψ(a+b+x) + p₄/a,
 * ∂/∂b = ψ(a+b) − ψ(b) + ψ(b+x) − ψ(a+b+x) − p₄/(b+x−1); ψ is the digamma function.
 */
function bgNbdLLGradient(
  prep: Prepared,
  { r, alpha, a, b }: BgNbdParams,
): { ll: number; grad: number[] } {
  const { xs } = prep;
  const k = xs.length;
  const { c12, c4 } = frequencyTerms(prep, { r, alpha, a, b });
  const weightX = new Float64Array(k); // Σ w per distinct x
  const p4X = new Float64Array(k); // Σ w·p₄ per distinct x
  let ll = 0;
  let dr = 0;
  let dAlpha = 0;
  for (let i = 0; i < prep.x.length; i++) {
    const j = prep.xIndex[i];
    const w = prep.w[i];
    const rx = r + prep.x[i];
    const logT = Math.log(alpha + prep.T[i]);
    const l3 = -rx * logT;
    let s = l3;
    let p4 = 0;
    let logTx = 0;
    if (prep.x[i] > 0) {
      logTx = Math.log(alpha + prep.tx[i]);
      const l4 = c4[j] - rx * logTx;
      const e = Math.exp(-Math.abs(l4 - l3));
      s = Math.max(l3, l4) + Math.log1p(e);
      p4 = l4 >= l3 ? 1 / (1 + e) : e / (1 + e);
    }
    const p3 = 1 - p4;
    ll += w * (c12[j] + s);
    weightX[j] += w;
    p4X[j] += w * p4;
    dr -= w * (p3 * logT + p4 * logTx);
    dAlpha -= w * rx * (p3 / (alpha + prep.T[i]) + (p4 > 0 ? p4 / (alpha + prep.tx[i]) : 0));
  }
  const psiR = digamma(r);
  const psiB = digamma(b);
  const psiAB = digamma(a + b);
  let da = 0;
  let db = 0;
  for (let j = 0; j < k; j++) {
    const xj = xs[j];
    const W = weightX[j];
    const psiABX = digamma(a + b + xj);
    dr += W * (digamma(r + xj) - psiR + Math.log(alpha));
    dAlpha += (W * r) / alpha;
    da += W * (psiAB - psiABX) + p4X[j] / a;
    db += W * (psiAB - psiB + digamma(b + xj) - psiABX) - (xj > 0 ? p4X[j] / (b + xj - 1) : 0);
  }
  return { ll, grad: [dr, dAlpha, da, db] };
}

/** The BG/NBD log-likelihood of the data at the given parameters (sum over customers). */
export function bgNbdLogLikelihood(params: BgNbdParams, data: BgNbdData): number {
  return bgNbdLL(prepareBgNbd(data), params);
}

/** Maximum-likelihood BG/NBD fit. Throws RangeError on empty or invalid data. */
export function fitBgNbd(data: BgNbdData, options: FitOptions = {}): BgNbdFit {
  const prep = prepareBgNbd(data);
  let meanT = 0;
  for (let i = 0; i < prep.T.length; i++) meanT += (prep.w[i] * prep.T[i]) / prep.n;
  const scale = meanT > 0 ? meanT : 1;
  const starts = [
    [1, scale, 1, 1],
    [0.5, scale / 2, 0.5, 2],
    [0.25, scale / 8, 1, 3],
    [2, 2 * scale, 2, 0.5],
  ];
  const names = ['r', 'alpha', 'a', 'b'];
  const negMeanLL = ([r, alpha, a, b]: readonly number[]) => {
    const { ll, grad } = bgNbdLLGradient(prep, { r, alpha, a, b });
    return { f: -ll / prep.n, g: grad.map((v) => -v / prep.n) };
  };
  const res = minimizePositiveWithGradient(negMeanLL, starts, names, options);
  const [r, alpha, a, b] = res.theta;
  const fit: BgNbdFit = {
    r,
    alpha,
    a,
    b,
    logLikelihood: bgNbdLL(prep, { r, alpha, a, b }),
    customers: prep.n,
    ...fitStatus(res),
  };
  if (prep.xs.every((v) => v === 0)) {
    fit.identified = false;
    fit.message =
      'Nobody made a repeat purchase, so the purchase and drop-out rates cannot be estimated.';
  }
  return fit;
}

/** log of the odds term δ_{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x); −∞ when x = 0. */
function logDeadOdds({ r, alpha, a, b }: BgNbdParams, x: number, tx: number, T: number) {
  if (x <= 0) return -Infinity;
  return Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
}

/**
 * P(alive | x, t_x, T) (FHL 2005, eq. A10 / Fader, Hardie & Lee 2008 note):
 * 1 / (1 + δ_{x>0} a/(b+x−1) ((α+T)/(α+t_x))^(r+x)). It is 1 for x = 0 — in the model a
 * customer can only drop out right after a purchase.
 */
export function bgNbdPAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  return 1 / (1 + Math.exp(logDeadOdds(params, x, tx, T)));
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in the next t periods (FHL 2005, eq. 10):
 * (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
 * / (1 + δ_{x>0} a/(b+x−1) ((α+T)/(α+t_x))^(r+x)). Undefined (NaN) at exactly a = 1.
 */
export function bgNbdExpected(
  params: BgNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  if (t <= 0) return 0;
  const { r, alpha, a, b } = params;
  const rx = r + x;
  const z = t / (alpha + T + t);
  const f = hyp2f1(rx, b + x, a + b + x - 1, z);
  const head = ((a + b + x - 1) / (a - 1)) * (1 - Math.exp(rx * Math.log1p(-z)) * f);
  return head / (1 + Math.exp(logDeadOdds(params, x, tx, T)));
}

/**
 * E[X(t)] for a customer picked at random at time 0 (FHL 2005, eq. 7):
 * (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))].
 */
export function bgNbdExpectedNew(params: BgNbdParams, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, a, b } = params;
  const z = t / (alpha + t);
  const f = hyp2f1(r, b, a + b - 1, z);
  return ((a + b - 1) / (a - 1)) * (1 - Math.exp(r * Math.log1p(-z)) * f);
}

/**
 * Maximum-likelihood Gamma-Gamma fit on the customers with x > 0 and m > 0 (the mean
 * of x repeat transactions; a zero mean has no Gamma density). Per customer
 * (Fader & Hardie 2013, eq. 3):
 * ln f = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + x m).
 * Throws RangeError when no customer qualifies.
 */
export function fitGammaGamma(data: GammaGammaData, options: FitOptions = {}): GammaGammaFit {
  const { x, m } = data;
  if (x.length !== m.length) throw new RangeError('x and m must have one value per customer.');
  const xs: number[] = [];
  const ms: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (x[i] > 0 && m[i] > 0 && Number.isFinite(m[i]) && Number.isFinite(x[i])) {
      xs.push(x[i]);
      ms.push(m[i]);
    }
  }
  const n = xs.length;
  if (n === 0) {
    throw new RangeError(
      'No customer made a repeat purchase with a positive value, so the Gamma-Gamma model cannot be fitted.',
    );
  }
  const distinct = [...new Set(xs)];
  const position = new Map(distinct.map((v, j) => [v, j]));
  const xIdx = Int32Array.from(xs, (v) => position.get(v) ?? 0);
  // Parameter-free parts: Σ[−ln m + x ln m + x ln x] split into ln m and x(ln m + ln x).
  let sumLogM = 0;
  const xLogXm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    sumLogM += Math.log(ms[i]);
    xLogXm[i] = xs[i] * (Math.log(ms[i]) + Math.log(xs[i]));
  }
  const ll = ({ p, q, gamma }: GammaGammaParams) => {
    const lg = distinct.map((v) => lgamma(p * v + q) - lgamma(p * v));
    let s = n * (q * Math.log(gamma) - lgamma(q)) - sumLogM;
    for (let i = 0; i < n; i++) {
      const px = p * xs[i];
      s += lg[xIdx[i]] + p * xLogXm[i] - (px + q) * Math.log(gamma + xs[i] * ms[i]);
    }
    return s;
  };
  let meanM = 0;
  for (const v of ms) meanM += v / n;
  const starts = [
    [1, 1, 1],
    [2, 3, meanM],
    [5, 5, 4 * meanM],
  ];
  // Gradient of ln f (Fader & Hardie 2013, eq. 3) per customer, ψ the digamma function:
  // ∂/∂p = x[ψ(px+q) − ψ(px)] + x(ln m + ln x) − x ln(γ + x m),
  // ∂/∂q = ψ(px+q) − ψ(q) + ln γ − ln(γ + x m), ∂/∂γ = q/γ − (px+q)/(γ + x m).
  const llGradient = ([p, q, gamma]: readonly number[]) => {
    const k = distinct.length;
    const lg = new Float64Array(k);
    const dpX = new Float64Array(k);
    const dqX = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      const v = distinct[j];
      lg[j] = lgamma(p * v + q) - lgamma(p * v);
      const psiPXQ = digamma(p * v + q);
      dpX[j] = v * (psiPXQ - digamma(p * v));
      dqX[j] = psiPXQ;
    }
    const logGamma = Math.log(gamma);
    const psiQ = digamma(q);
    let f = n * (q * logGamma - lgamma(q)) - sumLogM;
    let dp = 0;
    let dq = n * (logGamma - psiQ);
    let dg = (n * q) / gamma;
    for (let i = 0; i < n; i++) {
      const j = xIdx[i];
      const px = p * xs[i];
      const denom = gamma + xs[i] * ms[i];
      const logDenom = Math.log(denom);
      f += lg[j] + p * xLogXm[i] - (px + q) * logDenom;
      dp += dpX[j] + xLogXm[i] - xs[i] * logDenom;
      dq += dqX[j] - logDenom;
      dg -= (px + q) / denom;
    }
    return { f: -f / n, g: [-dp / n, -dq / n, -dg / n] };
  };
  const res = minimizePositiveWithGradient(llGradient, starts, ['p', 'q', 'gamma'], options);
  const [p, q, gamma] = res.theta;
  const fit: GammaGammaFit = {
    p,
    q,
    gamma,
    logLikelihood: ll({ p, q, gamma }),
    customers: n,
    ...fitStatus(res),
  };
  return fit;
}

/**
 * E[M | p, q, γ, m, x], the expected mean transaction value (Fader & Hardie 2013, eq. 5):
 * p(γ + x m) / (p x + q − 1), a weighted mix of the population mean p γ/(q−1) and the
 * customer's own mean m. For x = 0 the population mean, NaN when q ≤ 1 (it does not exist).
 */
export function ggExpectedSpend(params: GammaGammaParams, x: number, m: number): number {
  const { p, q, gamma } = params;
  if (!(x > 0)) return q > 1 ? (p * gamma) / (q - 1) : NaN;
  const den = p * x + q - 1;
  return den > 0 ? (p * (gamma + x * m)) / den : NaN;
}

export interface ClvCustomer {
  x: number;
  tx: number;
  T: number;
  /** Mean repeat transaction value (zbar); ignored when x = 0. */
  m: number;
}

export interface ClvOptions {
  /** Number of future periods, in the time unit of the BG/NBD fit. */
  periods: number;
  /** Profit margin applied to spend, e.g. 0.3. */
  margin: number;
  /** Discount rate per period, e.g. 0.01 per week. */
  discountRatePerPeriod: number;
}

/**
 * Customer lifetime value over `periods` future periods, the discrete approximation
 * of the `lifetimes` library's `customer_lifetime_value`:
 * Σ_{i=1..periods} (E[Y(i)] − E[Y(i−1)]) · E[M] · margin / (1 + d)^i,
 * with E[Y] from {@link bgNbdExpected} and E[M] from {@link ggExpectedSpend}. Purchases
 * expected during period i are discounted as if they all happened at its end.
 */
export function clv(
  bg: BgNbdParams,
  gg: GammaGammaParams,
  customer: ClvCustomer,
  { periods, margin, discountRatePerPeriod }: ClvOptions,
): number {
  if (!(Number.isInteger(periods) && periods >= 0)) {
    throw new RangeError('The number of periods must be a whole number ≥ 0.');
  }
  const { x, tx, T, m } = customer;
  const spend = ggExpectedSpend(gg, x, m) * margin;
  let total = 0;
  let prev = 0;
  for (let i = 1; i <= periods; i++) {
    const cur = bgNbdExpected(bg, i, x, tx, T);
    total += ((cur - prev) * spend) / Math.pow(1 + discountRatePerPeriod, i);
    prev = cur;
  }
  return total;
}
