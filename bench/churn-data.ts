/**
 * Seeded synthetic churn data for `npm run bench:churn`, shared by the browser page
 * (bench/churn-page.ts) and the Node side (scripts/bench-churn.ts) so both train on
 * identical tables.
 *
 * The Arrow layout is the one the churn pipeline reads (src/lib/churn/dataset.ts):
 * `customer_id` Utf8, `label` Int8 (1 churned / 0 retained), `value` Float64, then
 * 26 numeric features (Float64, ~2 % missing as null) and 4 categorical ones (Utf8).
 * Numbers: 8 roughly normal, 8 log-normal (right-skewed), 6 counts (Poisson) and
 * 4 shares in (0, 1), several of them driven by two latent traits (engagement,
 * spend) so they correlate. The label is drawn from a logistic model on some of the
 * features (linear terms, one squared term, two categories), with the intercept
 * solved for a churn rate of 25 %.
 */
import * as arrow from 'apache-arrow';
import { mulberry32 } from '../src/lib/churn/split.ts';
import type { ChurnProgress } from '../src/lib/churn/pipeline.ts';

export const CHURN_RATE = 0.25;
const MISSING = 0.02;

const CATEGORIES: Record<string, string[]> = {
  plan: ['basic', 'standard', 'premium'],
  contract: ['monthly', 'quarterly', 'annual', 'two-year'],
  channel: ['web', 'app', 'store', 'phone', 'partner'],
  region: ['north', 'south', 'east', 'west', 'central', 'coast', 'mountain', 'islands'],
};

/** Standard normal draw (Box–Muller). */
function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Poisson draw (Knuth's multiplication method; fine for the small means used here). */
function poisson(lambda: number, random: () => number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function standardise(x: Float64Array): Float64Array {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let ss = 0;
  for (const v of x) ss += (v - mean) ** 2;
  const sd = Math.sqrt(ss / x.length) || 1;
  return x.map((v) => (v - mean) / sd);
}

/** Pick a level index with the given (unnormalised) weights. */
function pick(weights: number[], random: () => number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = random() * total;
  for (let k = 0; k < weights.length; k++) {
    u -= weights[k];
    if (u < 0) return k;
  }
  return weights.length - 1;
}

export interface ChurnData {
  table: arrow.Table;
  /** Share of churned customers. */
  churnRate: number;
  /** A cheap fingerprint of labels and features, to show both sides built the same data. */
  checksum: string;
}

/** `n` customers × 30 features from `seed`; the same seed gives the same table everywhere. */
export function churnData(n: number, seed = 42): ChurnData {
  const random = mulberry32(seed);
  const engagement = Float64Array.from({ length: n }, () => gaussian(random));
  const spend = Float64Array.from({ length: n }, () => gaussian(random));
  const numeric: [string, Float64Array][] = [];

  // Roughly normal: the first three load on engagement, two on spend.
  const loadings = [0.7, -0.5, 0.4, 0, 0.3, 0, 0, 0];
  const spendLoadings = [0, 0, 0, 0.5, 0, 0.6, 0, 0];
  for (let k = 0; k < 8; k++) {
    const a = loadings[k];
    const b = spendLoadings[k];
    const rest = Math.sqrt(Math.max(0, 1 - a * a - b * b));
    const centre = 10 * (k + 1);
    const scale = 1 + k;
    numeric.push([
      `normal_${k + 1}`,
      Float64Array.from(
        { length: n },
        (_, i) => centre + scale * (a * engagement[i] + b * spend[i] + rest * gaussian(random)),
      ),
    ]);
  }
  // Log-normal, right-skewed (spend-like amounts).
  for (let k = 0; k < 8; k++) {
    const b = k < 4 ? 0.6 : 0.2;
    const sigma = 0.6 + 0.1 * k;
    numeric.push([
      `skewed_${k + 1}`,
      Float64Array.from({ length: n }, (_, i) =>
        Math.exp(3 + sigma * (b * spend[i] + Math.sqrt(1 - b * b) * gaussian(random))),
      ),
    ]);
  }
  // Counts (orders, logins, tickets…), means driven by engagement.
  for (let k = 0; k < 6; k++) {
    const base = 0.3 + 0.35 * k;
    const load = k % 2 === 0 ? 0.5 : -0.3;
    numeric.push([
      `count_${k + 1}`,
      Float64Array.from({ length: n }, (_, i) =>
        poisson(Math.min(40, Math.exp(base + load * engagement[i])), random),
      ),
    ]);
  }
  // Shares in (0, 1) (discount share, returns share…).
  for (let k = 0; k < 4; k++) {
    const load = k === 0 ? -0.8 : 0.2 * k;
    numeric.push([
      `ratio_${k + 1}`,
      Float64Array.from({ length: n }, (_, i) =>
        sigmoid(-1 + load * engagement[i] + 0.8 * gaussian(random)),
      ),
    ]);
  }

  const levelWeights: Record<string, number[]> = {
    plan: [5, 3, 2],
    contract: [6, 2, 3, 1],
    channel: [5, 4, 2, 1, 1],
    region: [3, 3, 3, 3, 2, 2, 1, 1],
  };
  const categorical: [string, Int8Array][] = Object.keys(CATEGORIES).map((name) => [
    name,
    Int8Array.from({ length: n }, () => pick(levelWeights[name], random)),
  ]);

  // The label's log-odds, on the complete (pre-missingness) values.
  const f = Object.fromEntries(numeric);
  const z1 = standardise(f.normal_1);
  const z2 = standardise(f.normal_2);
  const z3 = standardise(f.normal_3);
  const s1 = standardise(f.skewed_1.map(Math.log));
  const s5 = standardise(f.skewed_5.map(Math.log));
  const c1 = standardise(f.count_1.map(Math.log1p));
  const c2 = standardise(f.count_2.map(Math.log1p));
  const r1 = standardise(f.ratio_1);
  const planEffect = [0.4, 0, -0.5];
  const contractEffect = [0.8, 0.2, -0.6, -1.0];
  const plan = categorical[0][1];
  const contract = categorical[1][1];
  const z = Float64Array.from(
    { length: n },
    (_, i) =>
      -0.7 * z1[i] +
      0.4 * z2[i] +
      0.35 * z3[i] * z3[i] -
      0.5 * s1[i] +
      0.2 * s5[i] -
      0.45 * c1[i] +
      0.25 * c2[i] +
      0.5 * r1[i] +
      planEffect[plan[i]] +
      contractEffect[contract[i]],
  );
  // Intercept for the target churn rate, by bisection on the mean probability.
  let lo = -10;
  let hi = 10;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += sigmoid(z[i] + mid);
    if (mean / n > CHURN_RATE) hi = mid;
    else lo = mid;
  }
  const intercept = (lo + hi) / 2;
  const label = Int8Array.from({ length: n }, (_, i) =>
    random() < sigmoid(z[i] + intercept) ? 1 : 0,
  );
  const value = Float64Array.from(
    { length: n },
    (_, i) => Math.round(Math.exp(5 + 0.5 * spend[i] + 0.3 * gaussian(random)) * 100) / 100,
  );

  // Missing values: ~2 % of each numeric feature, ~1 % of the channel.
  const columns: Record<string, arrow.Vector> = {
    customer_id: arrow.vectorFromArray(
      Array.from({ length: n }, (_, i) => `C${String(i + 1).padStart(7, '0')}`),
      new arrow.Utf8(),
    ),
    label: arrow.vectorFromArray(Array.from(label), new arrow.Int8()),
    value: arrow.vectorFromArray(Array.from(value), new arrow.Float64()),
  };
  let hash = 2166136261;
  const mix = (v: number) => {
    hash = Math.imul(hash ^ (v | 0), 16777619) >>> 0;
  };
  for (const v of label) mix(v);
  for (const [name, values] of numeric) {
    const withNulls = Array.from(values, (v) => (random() < MISSING ? null : v));
    for (let i = 0; i < n; i += 97) mix(withNulls[i] === null ? -1 : withNulls[i]! * 1000);
    columns[name] = arrow.vectorFromArray(withNulls, new arrow.Float64());
  }
  for (const [name, codes] of categorical) {
    const levels = CATEGORIES[name];
    const missing = name === 'channel' ? 0.01 : 0;
    const values = Array.from(codes, (c) => (missing && random() < missing ? null : levels[c]));
    for (let i = 0; i < n; i += 97) mix(values[i] === null ? -1 : codes[i]);
    columns[name] = arrow.vectorFromArray(values, new arrow.Utf8());
  }
  let churned = 0;
  for (const v of label) churned += v;
  return {
    table: new arrow.Table(columns),
    churnRate: churned / n,
    checksum: hash.toString(16).padStart(8, '0'),
  };
}

/** Milliseconds spent in each part of one training run, from its progress events. */
export interface Phases {
  /** Call → first progress event: serialising, worker and wasm start-up, decoding (browser only). */
  startup?: number;
  /** Split, preparation and training, refit included (until evaluation starts). */
  train: number;
  /** Of `train`: split, preparation and the first epoch / Newton iteration. */
  firstEpoch: number;
  /** Test-split evaluation and permutation importance. */
  evaluate: number;
  /** Scoring every customer with per-customer drivers. */
  score: number;
  /** Last progress event → resolved: sending the result back (browser only). */
  finish?: number;
  /** Epochs (MLP) or Newton iterations (logistic), then those of the refit (logistic). */
  epochs: number;
  refitEpochs: number;
}

export interface ProgressMark {
  t: number;
  phase: ChurnProgress['phase'];
  epoch: boolean;
  refit: boolean;
}

export function progressMark(t: number, p: ChurnProgress): ProgressMark {
  return { t, phase: p.phase, epoch: !!p.epoch, refit: p.message.startsWith('Refitting') };
}

/** Phase durations from the progress marks of one run started at `t0`, resolved at `t1`. */
export function phases(marks: ProgressMark[], t0: number, t1: number, browser: boolean): Phases {
  const first = (phase: ProgressMark['phase']) => marks.find((m) => m.phase === phase)?.t ?? NaN;
  const prepare = first('prepare');
  const train = first('train');
  const evaluate = first('evaluate');
  const score = first('score');
  const done = marks.at(-1)?.t ?? NaN;
  return {
    ...(browser ? { startup: prepare - t0 } : {}),
    train: evaluate - prepare,
    firstEpoch: train - prepare,
    evaluate: score - evaluate,
    score: done - score,
    ...(browser ? { finish: t1 - done } : {}),
    epochs: marks.filter((m) => m.phase === 'train' && m.epoch).length,
    refitEpochs: marks.filter((m) => m.phase === 'train' && m.refit).length,
  };
}

/** The median (the mean of the middle two for an even count); NaN when empty. */
export function median(xs: number[]): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
