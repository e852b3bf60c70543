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
 * positive) with Nelder–Mead from several starting points, keeping the best.
 */
import { minimizePositive, type PositiveFit } from '../stats/optimize.ts';
import { hyp2f1, lgamma } from '../stats/special.ts';
import type { CustomerSummaryRow } from './btyd-summary.ts';

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
  /** Iteration limit per starting point. Default 5000. */
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
  const groups = new Map<string, number>();
  const rows: [number, number, number][] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const ti = tx[i];
    const Ti = T[i];
    if (!Number.isInteger(xi) || xi < 0) {
      throw new RangeError(`Repeat purchases x must be whole numbers ≥ 0 (customer ${i + 1}).`);
    }
    if (!(ti >= 0 && Ti >= ti && Number.isFinite(Ti))) {
      throw new RangeError(`Need 0 ≤ t_x ≤ T, both finite (customer ${i + 1}).`);
    }
    const key = `${xi},${xi > 0 ? ti : 0},${Ti}`;
    const g = groups.get(key);
    if (g === undefined) {
      groups.set(key, rows.length);
      rows.push([xi, xi > 0 ? ti : 0, Ti]);
      weights.push(1);
    } else weights[g]++;
  }
  const xs = [...new Set(rows.map((r) => r[0]))].sort((u, v) => u - v);
  const pos = new Map(xs.map((v, i) => [v, i]));
  return {
    n,
    xs,
    xIndex: Int32Array.from(rows, (r) => pos.get(r[0]) ?? 0),
    x: Float64Array.from(rows, (r) => r[0]),
    tx: Float64Array.from(rows, (r) => r[1]),
    T: Float64Array.from(rows, (r) => r[2]),
    w: Float64Array.from(weights),
  };
}

/**
 * Σ log L over customers (FHL 2005 eq. 6): L = A1·A2·(A3 + δ_{x>0}·A4) with, in logs,
 * A1 = lnΓ(r+x) − lnΓ(r) + r ln α, A2 = lnB(a, b+x) − lnB(a, b),
 * A3 = −(r+x) ln(α+T), A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x),
 * the sum A3 + A4 taken with log-sum-exp. Terms depending only on x are computed once
 * per distinct x.
 */
function bgNbdLL(prep: Prepared, { r, alpha, a, b }: BgNbdParams): number {
  const { xs } = prep;
  const k = xs.length;
  const c12 = new Float64Array(k);
  const c4 = new Float64Array(k);
  const base = -lgamma(r) + r * Math.log(alpha) + lgamma(a + b) - lgamma(b);
  for (let j = 0; j < k; j++) {
    const xj = xs[j];
    c12[j] = base + lgamma(r + xj) + lgamma(b + xj) - lgamma(a + b + xj);
    c4[j] = xj > 0 ? Math.log(a) - Math.log(b + xj - 1) : -Infinity;
  }
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
  const negMeanLL = ([r, alpha, a, b]: readonly number[]) =>
    -bgNbdLL(prep, { r, alpha, a, b }) / prep.n;
  const res = minimizePositive(negMeanLL, starts, names, options);
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
  const xIdx = Int32Array.from(xs, (v) => distinct.indexOf(v));
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
  const res = minimizePositive(
    ([p, q, gamma]) => -ll({ p, q, gamma }) / n,
    starts,
    ['p', 'q', 'gamma'],
    options,
  );
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
