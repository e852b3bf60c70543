/**
 * The whole churn run on feature columns: split, prepare, train, evaluate on the
 * held-out test split, explain, cross-validate, and score every customer. The same
 * code runs in the browser's training worker and in the `retain churn` CLI.
 *
 * - Split: stratified 60 / 20 / 20 train / validation / test with a seed.
 *   Validation steers the MLP's early stopping; logistic regression, which converges
 *   to its optimum, is refitted on train + validation. Test is touched once, at the end.
 * - Drivers: permutation importance on the test split (Breiman 2001; Fisher, Rudin &
 *   Dominici 2019): the drop in ROC AUC when one feature's values are shuffled
 *   across customers, averaged over 3 shuffles; for logistic regression also the
 *   coefficients (per standard deviation of the feature, against the reference
 *   level for categories).
 * - Per-customer drivers: for each feature, the change in the customer's log-odds of
 *   churn when that feature is set to its baseline (the training mean for numbers,
 *   the most common level for categories); the three largest increases are the
 *   features that push the customer's risk up most. For logistic regression this is
 *   exactly coefficient × standardised value.
 * - k-fold cross-validation (optional): stratified folds; in each, 20 % of the
 *   training part steers early stopping and the fold is scored once.
 */
import { labelledRows, type RawDataset } from './dataset.ts';
import {
  averagePrecision,
  brier,
  calibration,
  gains,
  logLoss,
  prCurve,
  rocAuc,
  rocCurve,
} from './metrics.ts';
import { fitPreprocessor, transform, type Preprocessor } from './prepare.ts';
import { mulberry32, shuffle, stratifiedFolds, stratifiedSplit } from './split.ts';
import {
  logits,
  trainModel,
  type EpochReport,
  type Matrix,
  type ModelWeights,
  type TrainOptions,
} from './tf-model.ts';

export interface ChurnOptions extends TrainOptions {
  /** Cross-validation folds; 0 or undefined for none. */
  folds?: number;
}

export interface ChurnProgress {
  phase: 'prepare' | 'train' | 'evaluate' | 'cross-validate' | 'score';
  /** Overall progress, 0…1. */
  fraction: number;
  /** Set while a model trains. */
  epoch?: EpochReport;
  /** 1-based fold while cross-validating. */
  fold?: number;
  message: string;
}

/** What scoring needs: the preparation and the weights. */
export interface ChurnModel {
  preprocessor: Preprocessor;
  weights: ModelWeights;
}

export interface CurvePoint {
  x: number;
  y: number;
  threshold: number;
}

export interface ChurnScores {
  ids: string[];
  /** Churn probability. */
  risk: Float32Array;
  value: Float64Array;
  /** Known label (1, 0) or -1. */
  label: Int8Array;
  /** Risk decile among the scored customers, 10 = the riskiest tenth. */
  decile: Int8Array;
  /** Per customer, the indices (into `features.groups`) of the three top drivers, -1 if none. */
  drivers: Int16Array;
  /** Per customer, the log-odds each of those drivers adds. */
  contributions: Float32Array;
}

export interface ChurnResult {
  kind: TrainOptions['kind'];
  features: { groups: string[]; columns: string[]; dropped: Preprocessor['dropped'] };
  split: { train: number; validation: number; test: number; churnRate: number };
  history: EpochReport[];
  bestEpoch: number;
  test: {
    scores: Float32Array;
    labels: Int8Array;
    auc: number;
    prAuc: number;
    logLoss: number;
    brier: number;
    /** Thinned to at most ~200 points for charts. */
    roc: CurvePoint[];
    pr: CurvePoint[];
    calibration: ReturnType<typeof calibration>;
    gains: ReturnType<typeof gains>;
  };
  crossValidation: {
    folds: { auc: number; prAuc: number; epochs: number }[];
    meanAuc: number;
    sdAuc: number;
  } | null;
  importance: { feature: string; drop: number; sd: number }[];
  coefficients: { column: string; feature: string; weight: number }[] | null;
  model: ChurnModel;
  scores: ChurnScores;
}

type Progress = (p: ChurnProgress) => void;

export async function runChurn(
  data: { train: RawDataset; score?: RawDataset | null },
  options: ChurnOptions,
  onProgress: Progress = () => {},
): Promise<ChurnResult> {
  const seed = options.seed ?? 1;
  const { train: raw } = data;
  const rows = labelledRows(raw);
  let churned = 0;
  for (const r of rows) churned += raw.label[r];
  if (rows.length < 20) {
    throw new RangeError(
      `Only ${rows.length} customers have a label; a churn model needs at least 20, with both churned and retained customers.`,
    );
  }
  if (churned < 5 || rows.length - churned < 5) {
    throw new RangeError(
      `${churned} of ${rows.length} customers churned: the model needs at least 5 of each kind. Try another cut-off or window.`,
    );
  }
  const folds = options.folds ?? 0;
  const share = { main: folds ? 0.45 : 0.75, cv: folds ? 0.35 : 0, score: 0.2 };
  onProgress({ phase: 'prepare', fraction: 0, message: 'Splitting and preparing the features…' });
  const split = stratifiedSplit(rows, raw.label, { seed });
  const labelsOf = (r: Int32Array) => Int8Array.from(r, (i) => raw.label[i]);
  const maxEpochs = options.maxEpochs ?? 200;

  /**
   * The MLP stops early on `valRows` and keeps its best epoch. Logistic regression
   * converges on `trainRows` (the validation AUC is reported as it goes) and is then
   * refitted on train + validation, preparation included.
   */
  async function fit(
    trainRows: Int32Array,
    valRows: Int32Array,
    report: (epoch: EpochReport, refit: boolean) => void,
  ) {
    const pre = fitPreprocessor(raw, trainRows);
    const t = (r: Int32Array) => transform(pre, raw, r);
    const stopped = await trainModel(
      t(trainRows),
      labelsOf(trainRows),
      t(valRows),
      labelsOf(valRows),
      options,
      (e) => report(e, false),
    );
    if (options.kind !== 'logistic') {
      // The MLP keeps the weights of its best validation epoch.
      return { model: { preprocessor: pre, weights: stopped.weights }, ...stopped };
    }
    const all = Int32Array.from([...trainRows, ...valRows]);
    const finalPre = fitPreprocessor(raw, all);
    // The fit on train is a close start for the refit (the standardisation moves a little;
    // a column new to the refit starts at 0): Newton then needs fewer iterations to the
    // same optimum.
    const trained = new Map(pre.columns.map((c, j) => [c, stopped.weights.layers[0].w[j]]));
    const start: ModelWeights = {
      ...stopped.weights,
      inputs: finalPre.columns.length,
      layers: [
        {
          ...stopped.weights.layers[0],
          w: Float32Array.from(finalPre.columns, (c) => trained.get(c) ?? 0),
        },
      ],
    };
    const refit = await trainModel(
      transform(finalPre, raw, all),
      labelsOf(all),
      null,
      null,
      options,
      (e) => report(e, true),
      start,
    );
    return {
      model: { preprocessor: finalPre, weights: refit.weights } as ChurnModel,
      history: stopped.history,
      bestEpoch: stopped.bestEpoch,
    };
  }

  const trained = await fit(split.train, split.validation, (epoch, refit) =>
    onProgress({
      phase: 'train',
      fraction: (share.main * (refit ? 0.7 : 0) + share.main * 0.7 * epoch.epoch) / maxEpochs,
      epoch: refit ? undefined : epoch,
      message: refit
        ? `Refitting on train + validation: epoch ${epoch.epoch}`
        : `Training: epoch ${epoch.epoch}, validation AUC ${epoch.validationAuc.toFixed(3)}`,
    }),
  );
  onProgress({ phase: 'evaluate', fraction: share.main, message: 'Evaluating on the test split…' });
  const model = trained.model;
  const pre = model.preprocessor;
  const Xte = transform(pre, raw, split.test);
  const yTest = labelsOf(split.test);
  const zTest = await logits(model.weights, Xte);
  const pTest = zTest.map(sigmoid);
  const importance = await permutationImportance(model, Xte, yTest, seed);

  let crossValidation: ChurnResult['crossValidation'] = null;
  if (folds) {
    const results: { auc: number; prAuc: number; epochs: number }[] = [];
    const parts = stratifiedFolds(rows, raw.label, folds, seed);
    for (const [f, part] of parts.entries()) {
      const inner = stratifiedSplit(part.train, raw.label, {
        validation: 0.2,
        test: 1e-9,
        seed: seed + f + 1,
      });
      const foldModel = await fit(
        Int32Array.from([...inner.train, ...inner.test]),
        inner.validation,
        (epoch, refit) =>
          onProgress({
            phase: 'cross-validate',
            fraction:
              share.main +
              share.cv * ((f + (refit ? 0.5 : 0) + epoch.epoch / maxEpochs / 2) / folds),
            fold: f + 1,
            message: `Cross-validation: fold ${f + 1} of ${folds}, ${refit ? 'refit ' : ''}epoch ${epoch.epoch}`,
          }),
      );
      const yFold = labelsOf(part.test);
      const z = await logits(
        foldModel.model.weights,
        transform(foldModel.model.preprocessor, raw, part.test),
      );
      results.push({
        auc: rocAuc(z, yFold),
        prAuc: averagePrecision(z, yFold),
        epochs: foldModel.bestEpoch,
      });
    }
    const aucs = results.map((r) => r.auc);
    const mean = aucs.reduce((a, b) => a + b, 0) / aucs.length;
    const sd = Math.sqrt(aucs.reduce((a, b) => a + (b - mean) ** 2, 0) / (aucs.length - 1));
    crossValidation = { folds: results, meanAuc: mean, sdAuc: sd };
  }

  onProgress({
    phase: 'score',
    fraction: 1 - share.score,
    message: 'Scoring every customer and finding their drivers…',
  });
  const scores = await scoreCustomers(model, data.score ?? raw);
  onProgress({ phase: 'score', fraction: 1, message: 'Done.' });

  return {
    kind: options.kind,
    features: { groups: pre.groups, columns: pre.columns, dropped: pre.dropped },
    split: {
      train: split.train.length,
      validation: split.validation.length,
      test: split.test.length,
      churnRate: churned / rows.length,
    },
    history: trained.history,
    bestEpoch: trained.bestEpoch,
    test: {
      scores: pTest,
      labels: yTest,
      auc: rocAuc(pTest, yTest),
      prAuc: averagePrecision(pTest, yTest),
      logLoss: logLoss(pTest, yTest),
      brier: brier(pTest, yTest),
      roc: thin(
        rocCurve(pTest, yTest).map((p) => ({ x: p.fpr, y: p.tpr, threshold: p.threshold })),
      ),
      pr: thin(
        prCurve(pTest, yTest).map((p) => ({ x: p.recall, y: p.precision, threshold: p.threshold })),
      ),
      calibration: calibration(pTest, yTest),
      gains: gains(pTest, yTest, 20),
    },
    crossValidation,
    importance,
    coefficients:
      options.kind === 'logistic'
        ? pre.columns
            .map((column, j) => ({
              column,
              feature: pre.groups[pre.columnGroup[j]],
              weight: model.weights.layers[0].w[j],
            }))
            .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
        : null,
    model,
    scores,
  };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Keep at most ~`max` points of a curve, always the first and last. */
function thin(points: CurvePoint[], max = 200): CurvePoint[] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]);
}

/** Columns of the design matrix per feature group. */
function groupColumns(pre: Preprocessor): number[][] {
  const out: number[][] = pre.groups.map(() => []);
  pre.columnGroup.forEach((g, j) => out[g].push(j));
  return out;
}

/**
 * A linear model's input weights (logistic regression: z = x·w + b − offset), or null
 * for an MLP. For a linear model, changing some columns of x changes z by exactly the
 * change in those columns times their weights, so permuting or zeroing one feature
 * needs no new pass through the model.
 */
function linearWeights(weights: ModelWeights): Float32Array | null {
  return weights.layers.length === 1 && weights.layers[0].units === 1 ? weights.layers[0].w : null;
}

export async function permutationImportance(
  model: ChurnModel,
  X: Matrix,
  y: Int8Array,
  seed: number,
  repeats = 3,
): Promise<ChurnResult['importance']> {
  const z = await logits(model.weights, X);
  const base = rocAuc(z, y);
  const columns = groupColumns(model.preprocessor);
  const random = mulberry32(seed + 7919);
  const out: ChurnResult['importance'] = [];
  const w = linearWeights(model.weights);
  const copy = w ? null : { ...X, X: new Float32Array(X.X) };
  const permuted = new Float32Array(X.n);
  const { n, d } = X;
  for (const [g, cols] of columns.entries()) {
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const order = shuffle(
        Int32Array.from({ length: n }, (_, i) => i),
        random,
      );
      if (w) {
        for (let i = 0; i < n; i++) {
          let s = z[i];
          for (const j of cols) s += (X.X[order[i] * d + j] - X.X[i * d + j]) * w[j];
          permuted[i] = s;
        }
        drops.push(base - rocAuc(permuted, y));
      } else if (copy) {
        for (let i = 0; i < n; i++) for (const j of cols) copy.X[i * d + j] = X.X[order[i] * d + j];
        drops.push(base - rocAuc(await logits(model.weights, copy), y));
      }
    }
    if (copy) for (let i = 0; i < n; i++) for (const j of cols) copy.X[i * d + j] = X.X[i * d + j];
    const mean = drops.reduce((a, b) => a + b, 0) / repeats;
    const sd = Math.sqrt(drops.reduce((a, b) => a + (b - mean) ** 2, 0) / (repeats - 1));
    out.push({ feature: model.preprocessor.groups[g], drop: mean, sd });
  }
  return out.sort((a, b) => b.drop - a.drop);
}

/** Score every customer of `data` with a trained model, with deciles and top drivers. */
export async function scoreCustomers(model: ChurnModel, data: RawDataset): Promise<ChurnScores> {
  const rows = Int32Array.from({ length: data.ids.length }, (_, i) => i);
  const X = transform(model.preprocessor, data, rows);
  const z = await logits(model.weights, X);
  const n = X.n;
  const d = X.d;
  const TOP = 3;
  const drivers = new Int16Array(n * TOP).fill(-1);
  const contributions = new Float32Array(n * TOP);
  const w = linearWeights(model.weights);
  const copy = w ? null : { ...X, X: new Float32Array(X.X) };
  /** Keep feature g among customer i's three largest contributions c (largest first). */
  const insert = (i: number, g: number, c: number) => {
    if (!(c > 1e-6)) return;
    let k = TOP - 1;
    if (drivers[i * TOP + k] !== -1 && contributions[i * TOP + k] >= c) return;
    while (k > 0 && (drivers[i * TOP + k - 1] === -1 || contributions[i * TOP + k - 1] < c)) {
      drivers[i * TOP + k] = drivers[i * TOP + k - 1];
      contributions[i * TOP + k] = contributions[i * TOP + k - 1];
      k--;
    }
    drivers[i * TOP + k] = g;
    contributions[i * TOP + k] = c;
  };
  // The log-odds a feature adds over its baseline (its columns at 0 once prepared).
  const groups = groupColumns(model.preprocessor);
  if (w) {
    // Linear: its columns times their weights, one customer's row at a time.
    const columnGroup = model.preprocessor.columnGroup;
    const added = new Float64Array(groups.length);
    for (let i = 0; i < n; i++) {
      added.fill(0);
      for (let j = 0; j < d; j++) added[columnGroup[j]] += X.X[i * d + j] * w[j];
      for (let g = 0; g < groups.length; g++) insert(i, g, added[g]);
    }
  } else if (copy) {
    for (const [g, cols] of groups.entries()) {
      for (let i = 0; i < n; i++) for (const j of cols) copy.X[i * d + j] = 0;
      const zBase = await logits(model.weights, copy);
      for (let i = 0; i < n; i++) {
        for (const j of cols) copy.X[i * d + j] = X.X[i * d + j];
        insert(i, g, z[i] - zBase[i]);
      }
    }
  }
  const risk = z.map(sigmoid);
  return {
    ids: data.ids,
    risk,
    value: data.value,
    label: data.label,
    decile: deciles(risk),
    drivers,
    contributions,
  };
}

/** Deciles by rank: the riskiest tenth is 10; ties share the decile of their first rank. */
export function deciles(risk: Float32Array): Int8Array {
  const n = risk.length;
  // A value's first rank is the number of values below it: found by binary search in a
  // natively sorted copy (no comparator sort).
  const sorted = Float32Array.from(risk).sort();
  const out = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const v = risk[i];
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    out[i] = Math.min(10, Math.floor((lo * 10) / n) + 1);
  }
  return out;
}
