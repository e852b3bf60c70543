/**
 * Binary-classifier evaluation for churn models.
 *
 * Pure functions without dependencies. `scores` are predicted churn probabilities (0..1; the
 * ranking metrics accept any real numbers) and `labels` are 0/1 outcomes (1 = churned). Every
 * function validates its inputs and throws a `RangeError` when the arrays differ in length, are
 * empty, contain a label other than 0/1, or contain a NaN score.
 */

export type RocPoint = { fpr: number; tpr: number; threshold: number };
export type PrPoint = { recall: number; precision: number; threshold: number };
export type Confusion = {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  specificity: number;
};
/** offerCost: cost of one contact; savedValue: value of one saved churner; saveRate: 0..1. */
export type CostOptions = { offerCost: number; savedValue: number; saveRate?: number };
export type CostChoice = { threshold: number; expectedValue: number; contacted: number };
export type CalibrationBin = {
  bin: number;
  lo: number;
  hi: number;
  meanPredicted: number;
  observed: number;
  count: number;
};
export type GainsPoint = { share: number; captured: number; lift: number };

/** One group of tied scores, in descending score order, with cumulative counts after it. */
type Step = { score: number; tp: number; fp: number };

function validate(scores: ArrayLike<number>, labels: ArrayLike<number>, probs = false): number {
  const n = scores.length;
  if (n !== labels.length) {
    throw new RangeError(`scores and labels differ in length (${n} vs ${labels.length})`);
  }
  if (n === 0) throw new RangeError('scores and labels must not be empty');
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) throw new RangeError(`score at index ${i} is NaN`);
    if (probs && !(scores[i] >= 0 && scores[i] <= 1)) {
      throw new RangeError(`score at index ${i} is ${scores[i]}; probabilities must be in [0, 1]`);
    }
    if (labels[i] !== 0 && labels[i] !== 1) {
      throw new RangeError(`label at index ${i} is ${labels[i]}; labels must be 0 or 1`);
    }
  }
  return n;
}

function positiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}

/** Indices sorted by descending score; ties keep their input order (Array#sort is stable). */
function orderDesc(scores: ArrayLike<number>): number[] {
  const cmp = (a: number, b: number) =>
    scores[a] < scores[b] ? 1 : scores[a] > scores[b] ? -1 : 0;
  return Array.from({ length: scores.length }, (_, i) => i).sort(cmp);
}

/** Cumulative TP/FP after each distinct score, descending (O(n log n)). */
function steps(scores: ArrayLike<number>, labels: ArrayLike<number>): Step[] {
  const order = orderDesc(scores);
  const out: Step[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (labels[i] === 1) tp++;
    else fp++;
    if (k === order.length - 1 || scores[order[k + 1]] !== scores[i]) {
      out.push({ score: scores[i], tp, fp });
    }
  }
  return out;
}

function countPositives(labels: ArrayLike<number>): number {
  let p = 0;
  for (let i = 0; i < labels.length; i++) p += labels[i];
  return p;
}

/**
 * Area under the ROC curve as the Mann–Whitney U statistic divided by P·N (Hanley & McNeil
 * 1982): the probability that a random churner scores above a random non-churner, with ties
 * counted as 1/2. Computed in O(n log n): U = Σ over positives of the negatives scored below
 * plus half those tied, walking both classes' sorted scores.
 * Returns NaN when only one class is present.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = validate(scores, labels);
  const p = countPositives(labels);
  const neg = n - p;
  if (p === 0 || neg === 0) return NaN;
  // U = Σ over positives of (negatives scored below + ½ · negatives tied), from the two
  // classes' scores sorted natively (typed-array sort, no comparator: fast on large sets).
  const pos = new Float64Array(p);
  const negs = new Float64Array(neg);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (labels[i] === 1) pos[a++] = scores[i];
    else negs[b++] = scores[i];
  }
  pos.sort();
  negs.sort();
  let u = 0;
  let below = 0;
  let upTo = 0;
  for (let i = 0; i < p; i++) {
    const s = pos[i];
    while (below < neg && negs[below] < s) below++;
    if (upTo < below) upTo = below;
    while (upTo < neg && negs[upTo] === s) upTo++;
    u += below + (upTo - below) / 2;
  }
  return u / (p * neg);
}

/**
 * ROC curve: one point per distinct score (thresholds descending, predicted positive when
 * score ≥ threshold), starting at (0,0) with threshold Infinity and ending at (1,1). Tied scores
 * form one diagonal step, so the trapezoid area under the curve equals {@link rocAuc}.
 * With a single class the undefined rate (0/0) is NaN.
 */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): RocPoint[] {
  const n = validate(scores, labels);
  const p = countPositives(labels);
  const neg = n - p;
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  for (const s of steps(scores, labels)) {
    points.push({ fpr: s.fp / neg, tpr: s.tp / p, threshold: s.score });
  }
  return points;
}

/**
 * Precision–recall curve: one point per distinct threshold, descending (as scikit-learn's
 * `precision_recall_curve`, without its artificial (recall 0, precision 1) end point).
 * Recall is NaN when there are no positives.
 */
export function prCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): PrPoint[] {
  validate(scores, labels);
  const p = countPositives(labels);
  return steps(scores, labels).map((s) => ({
    recall: s.tp / p,
    precision: s.tp / (s.tp + s.fp),
    threshold: s.score,
  }));
}

/**
 * Average precision as in scikit-learn `average_precision_score`: AP = Σ (R_n − R_{n−1}) P_n
 * over distinct thresholds (tied scores form one threshold), step-wise with no interpolation,
 * R_0 = 0. Returns NaN when there are no positives.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const curve = prCurve(scores, labels);
  if (countPositives(labels) === 0) return NaN;
  let ap = 0;
  let prevRecall = 0;
  for (const pt of curve) {
    ap += (pt.recall - prevRecall) * pt.precision;
    prevRecall = pt.recall;
  }
  return ap;
}

/**
 * Confusion matrix at a threshold (predicted positive when score ≥ threshold) with derived
 * rates. Zero-division convention (scikit-learn `zero_division=0`): precision = 0 when nothing is
 * predicted positive, recall = 0 when there are no positives, specificity = 0 when there are no
 * negatives, and f1 = 0 when precision + recall = 0.
 */
export function confusion(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
): Confusion {
  const n = validate(scores, labels);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < n; i++) {
    const predicted = scores[i] >= threshold;
    if (labels[i] === 1) {
      if (predicted) tp++;
      else fn++;
    } else if (predicted) fp++;
    else tn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const specificity = tn + fp === 0 ? 0 : tn / (tn + fp);
  return { tp, fp, tn, fn, precision, recall, f1, accuracy: (tp + tn) / n, specificity };
}

/**
 * Cost-sensitive threshold choice (expected-value decision rule). Contacting every customer with
 * score ≥ t is worth value(t) = TP·saveRate·savedValue − (TP+FP)·offerCost. Candidates are every
 * distinct score plus "contact nobody" (threshold Infinity, value 0). Ties in value go to the
 * higher threshold (contact fewer customers).
 */
export function thresholdByCost(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: CostOptions,
): CostChoice {
  validate(scores, labels);
  const { offerCost, savedValue, saveRate = 1 } = options;
  for (const [name, v] of Object.entries({ offerCost, savedValue })) {
    if (!Number.isFinite(v) || v < 0) {
      throw new RangeError(`${name} must be finite and ≥ 0, got ${v}`);
    }
  }
  if (!(saveRate >= 0 && saveRate <= 1)) {
    throw new RangeError(`saveRate must be in [0, 1], got ${saveRate}`);
  }
  let best: CostChoice = { threshold: Infinity, expectedValue: 0, contacted: 0 };
  for (const s of steps(scores, labels)) {
    const value = s.tp * saveRate * savedValue - (s.tp + s.fp) * offerCost;
    if (value > best.expectedValue) {
      best = { threshold: s.score, expectedValue: value, contacted: s.tp + s.fp };
    }
  }
  return best;
}

/**
 * Threshold (one of the distinct scores) maximising F1 = 2TP / (2TP + FP + FN); ties go to the
 * higher threshold. Returns NaN when there are no positives (F1 is 0 everywhere).
 */
export function bestF1Threshold(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  validate(scores, labels);
  const p = countPositives(labels);
  if (p === 0) return NaN;
  let best = NaN;
  let bestF1 = -1;
  for (const s of steps(scores, labels)) {
    const f1 = (2 * s.tp) / (s.tp + s.fp + p); // FN = P − TP
    if (f1 > bestF1) {
      bestF1 = f1;
      best = s.score;
    }
  }
  return best;
}

/**
 * Reliability diagram (Niculescu-Mizil & Caruana 2005): equal-width bins over [0, 1], bin b
 * covering [b/bins, (b+1)/bins) and the last bin also holding a score of exactly 1. Each bin
 * reports the mean predicted probability and the observed churn rate. Empty bins are omitted.
 */
export function calibration(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  bins = 10,
): CalibrationBin[] {
  const n = validate(scores, labels, true);
  positiveInteger(bins, 'bins');
  const sums = new Float64Array(bins);
  const hits = new Float64Array(bins);
  const counts = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const b = Math.min(Math.floor(scores[i] * bins), bins - 1);
    sums[b] += scores[i];
    hits[b] += labels[i];
    counts[b]++;
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    if (counts[b] === 0) continue;
    out.push({
      bin: b,
      lo: b / bins,
      hi: (b + 1) / bins,
      meanPredicted: sums[b] / counts[b],
      observed: hits[b] / counts[b],
      count: counts[b],
    });
  }
  return out;
}

/**
 * Cumulative gains and lift. Customers are sorted by descending score; tied scores keep their
 * input order (stable sort), so ties are not averaged. For share = k/points (k = 1..points) the
 * top Math.round(share·n) customers are taken; captured = fraction of all positives among them
 * and lift = captured / share. Captured and lift are NaN when there are no positives.
 */
export function gains(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  points = 10,
): GainsPoint[] {
  const n = validate(scores, labels);
  positiveInteger(points, 'points');
  const p = countPositives(labels);
  const order = orderDesc(scores);
  const out: GainsPoint[] = [];
  let taken = 0;
  let hits = 0;
  for (let k = 1; k <= points; k++) {
    const share = k / points;
    const m = Math.round((k * n) / points); // = Math.round(share·n) without float error
    for (; taken < m; taken++) hits += labels[order[taken]];
    const captured = hits / p;
    out.push({ share, captured, lift: captured / share });
  }
  return out;
}

/**
 * Log loss (binary cross-entropy): mean of −[y·ln p + (1−y)·ln(1−p)], with p clipped to
 * [eps, 1 − eps] so that confident mistakes stay finite.
 */
export function logLoss(scores: ArrayLike<number>, labels: ArrayLike<number>, eps = 1e-7): number {
  const n = validate(scores, labels, true);
  if (!(eps > 0 && eps < 0.5)) throw new RangeError(`eps must be in (0, 0.5), got ${eps}`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.min(Math.max(scores[i], eps), 1 - eps);
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / n;
}

/** Brier score (Brier 1950): mean squared difference between probability and outcome. */
export function brier(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = validate(scores, labels, true);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (scores[i] - labels[i]) ** 2;
  return sum / n;
}
