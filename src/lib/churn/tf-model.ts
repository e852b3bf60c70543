/**
 * The churn models, trained with TensorFlow.js ops (tfjs-core on the WASM backend in
 * the browser worker and in Node, the CPU backend as a fallback).
 *
 * - **logistic**: L2-regularised logistic regression, p = σ(x·w + b), fitted to
 *   convergence by Newton–Raphson (newton.ts); no early stopping is needed.
 * - **mlp**: one hidden layer of ReLU units, p = σ(relu(x·W₁ + b₁)·w₂ + b₂)
 *   (He et al. 2015 initialisation for the ReLU layer).
 *
 * Objective: the class-weighted mean binary cross-entropy plus (λ/2)·‖W‖² on the
 * weights (not the biases). Class weights are "balanced" (King & Zeng 2001; as in
 * scikit-learn): w_c = n ÷ (2·n_c), so both classes weigh the same in training.
 * Gradients are written out (backpropagation for this two-layer network, Rumelhart,
 * Hinton & Williams 1986) rather than taken from tfjs' autodiff registry, which keeps
 * the bundle small and the code the same in every runtime. The MLP's optimiser: Adam
 * (Kingma & Ba 2015) on mini-batches in a seeded order. Early stopping (Prechelt 1998): after
 * each epoch the validation ROC AUC is measured; training stops when it has not
 * improved for `patience` epochs, and the best epoch's weights are kept. Without a
 * validation split the model trains for exactly `maxEpochs` epochs: that is how the
 * final model is refitted on train + validation for the number of epochs early
 * stopping chose (a common practice, e.g. Goodfellow, Bengio & Courville 2016, §7.8).
 *
 * Weighting the classes shifts the model's log-odds by ln(w₁ ÷ w₀); the reported
 * probabilities undo that shift (prior correction, King & Zeng 2001), so they stay
 * calibrated while the ranking is unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';
import { rocAuc } from './metrics.ts';
import { fitLogisticNewton } from './newton.ts';
import { mulberry32, shuffle } from './split.ts';

export type ModelKind = 'logistic' | 'mlp';

export interface TrainOptions {
  kind: ModelKind;
  /**
   * L2 strength λ. Default: 1 ÷ n for logistic regression (the same penalty as
   * scikit-learn's default C = 1, whose objective is ½‖w‖² + C·Σ loss), 1e-3 for the MLP.
   */
  l2?: number;
  /** Hidden units of the MLP; default 32. */
  hidden?: number;
  learningRate?: number;
  maxEpochs?: number;
  patience?: number;
  /** Balanced class weights (default true). */
  classWeights?: boolean;
  seed?: number;
}

/** A trained model as plain arrays: saved, sent between workers, and scored anywhere. */
export interface ModelWeights {
  kind: ModelKind;
  inputs: number;
  /** Dense layers, first to last; `w` is row-major inputs × units. */
  layers: { w: Float32Array; b: Float32Array; units: number }[];
  /** Subtracted from the output log-odds: ln(w₁ ÷ w₀) of the class weights. */
  offset: number;
}

export interface EpochReport {
  epoch: number;
  loss: number;
  validationLoss: number;
  validationAuc: number;
}

export interface Trained {
  weights: ModelWeights;
  history: EpochReport[];
  bestEpoch: number;
}

export interface Matrix {
  X: Float32Array;
  n: number;
  d: number;
}

const defaults = {
  hidden: 32,
  maxEpochs: 200,
  patience: 15,
  classWeights: true,
  seed: 1,
};

/** Train on `train`, stopping early on `validation`. `onEpoch` may return true to stop. */
export async function trainModel(
  train: Matrix,
  trainY: ArrayLike<number>,
  validation: Matrix | null,
  validationY: ArrayLike<number> | null,
  options: TrainOptions,
  onEpoch?: (report: EpochReport) => void | Promise<void>,
  /** Logistic regression only: a model over the same columns to start Newton's method from. */
  start?: ModelWeights,
): Promise<Trained> {
  const o = { ...defaults, ...options };
  const lr = o.learningRate ?? 0.003;
  const { n, d } = train;
  if (n === 0 || validation?.n === 0) throw new RangeError('Training needs rows in every split.');
  let pos = 0;
  for (let i = 0; i < n; i++) pos += trainY[i];
  if (pos === 0 || pos === n) {
    throw new RangeError(
      'Every training customer has the same label: the model needs both churned and retained customers.',
    );
  }
  const w1 = o.classWeights ? n / (2 * pos) : 1;
  const w0 = o.classWeights ? n / (2 * (n - pos)) : 1;
  const offset = Math.log(w1 / w0);
  const sampleWeight = new Float32Array(n);
  for (let i = 0; i < n; i++) sampleWeight[i] = trainY[i] ? w1 : w0;
  if (o.kind === 'logistic') {
    const fit = await fitLogisticNewton(
      train,
      sampleWeight,
      trainY,
      o.l2 ?? 1 / n,
      validation && validationY ? { data: validation, y: validationY, offset } : null,
      onEpoch,
      undefined,
      start?.kind === 'logistic' && start.inputs === d
        ? Float64Array.from([...start.layers[0].w, start.layers[0].b[0]])
        : undefined,
    );
    return {
      weights: {
        kind: 'logistic',
        inputs: d,
        layers: [
          {
            w: Float32Array.from(fit.beta.subarray(0, d)),
            b: Float32Array.of(fit.beta[d]),
            units: 1,
          },
        ],
        offset,
      },
      history: fit.history,
      bestEpoch: fit.iterations,
    };
  }
  const random = mulberry32(o.seed);

  // Weights, initialised in JS from the seed so runs repeat exactly.
  const shapes = [
    [d, o.hidden],
    [o.hidden, 1],
  ];
  const params = shapes.map(([inputs, units], layer) => {
    const init = new Float32Array(inputs * units);
    const scale = Math.sqrt(2 / inputs) * (layer === shapes.length - 1 ? 0.5 : 1);
    for (let i = 0; i < init.length; i++) init[i] = gaussian(random) * scale;
    return {
      w: tf.variable(tf.tensor2d(init, [inputs, units])),
      b: tf.variable(tf.zeros([1, units])),
    };
  });
  const optimizer = tf.train.adam(lr);
  const Xv = validation ? tf.tensor2d(validation.X, [validation.n, d]) : null;
  const batchSize = Math.min(n, Math.max(256, Math.ceil(n / 40)));
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const xBuf = new Float32Array(batchSize * d);
  const yBuf = new Float32Array(batchSize);
  const wBuf = new Float32Array(batchSize);
  const history: EpochReport[] = [];
  let best = { auc: -Infinity, epoch: 0, weights: snapshot(params) };
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += sampleWeight[i];

  try {
    for (let epoch = 1; epoch <= o.maxEpochs; epoch++) {
      shuffle(order, random);
      const losses: tf.Scalar[] = [];
      for (let start = 0; start < n; start += batchSize) {
        const idx = order.subarray(start, Math.min(n, start + batchSize));
        // Rows copied in JS: tf.gather is slow on the WASM backend.
        const m = idx.length;
        for (let r = 0; r < m; r++) {
          const row = idx[r];
          xBuf.set(train.X.subarray(row * d, (row + 1) * d), r * d);
          yBuf[r] = trainY[row];
          wBuf[r] = sampleWeight[row];
        }
        const batchLoss = tf.tidy(() => {
          const xb = tf.tensor2d(xBuf.subarray(0, m * d), [m, d]);
          const yb = tf.tensor2d(yBuf.subarray(0, m), [m, 1]);
          const wb = tf.tensor2d(wBuf.subarray(0, m), [m, 1]);
          const { loss, grads } = lossAndGrads(params, xb, yb, wb, totalWeight / n, o.l2 ?? 1e-3);
          const named = params.flatMap((p, l) => [
            { name: p.w.name, tensor: grads[l].w },
            { name: p.b.name, tensor: grads[l].b },
          ]);
          optimizer.applyGradients(named);
          return tf.mul(loss, idx.length) as tf.Scalar;
        });
        losses.push(batchLoss);
      }
      const epochLoss = tf.addN(losses);
      const lossSum = (await epochLoss.data())[0];
      epochLoss.dispose();
      for (const l of losses) l.dispose();
      let validationAuc = Number.NaN;
      let validationLoss = Number.NaN;
      if (Xv && validationY) {
        const logits = tf.tidy(() => forward(params, Xv));
        const z = (await logits.data()) as Float32Array;
        logits.dispose();
        validationAuc = rocAuc(z, validationY);
        validationLoss = meanLogLoss(z, validationY, offset);
      }
      const report: EpochReport = { epoch, loss: lossSum / n, validationLoss, validationAuc };
      history.push(report);
      // Without a validation split, the last epoch is kept.
      if (!Xv || validationAuc > best.auc + 1e-5) {
        best = { auc: validationAuc, epoch, weights: snapshot(params) };
      }
      await onEpoch?.(report);
      if (epoch - best.epoch >= o.patience) break;
    }
  } finally {
    Xv?.dispose();
    optimizer.dispose();
    for (const p of params) {
      p.w.dispose();
      p.b.dispose();
    }
  }
  return {
    weights: {
      kind: o.kind,
      inputs: d,
      layers: best.weights.map((l, i) => ({ ...l, units: shapes[i][1] })),
      offset,
    },
    history,
    bestEpoch: best.epoch,
  };
}

type Params = { w: tf.Variable; b: tf.Variable }[];

function forward(params: Params | { w: tf.Tensor; b: tf.Tensor }[], x: tf.Tensor2D): tf.Tensor2D {
  let h: tf.Tensor2D = x;
  params.forEach((p, l) => {
    h = tf.add(tf.matMul(h, p.w as tf.Tensor2D), p.b);
    if (l < params.length - 1) h = tf.relu(h);
  });
  return h;
}

/** The weighted cross-entropy and its gradient, written out for one or two layers. */
function lossAndGrads(
  params: Params,
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  w: tf.Tensor2D,
  meanWeight: number,
  l2: number,
) {
  const m = x.shape[0];
  const acts: tf.Tensor2D[] = [x];
  let h: tf.Tensor2D = x;
  params.forEach((p, l) => {
    h = tf.add(tf.matMul(h, p.w), p.b);
    if (l < params.length - 1) {
      h = tf.relu(h);
      acts.push(h);
    }
  });
  const z = h;
  // Stable cross-entropy: max(z, 0) − z·y + log(1 + e^(−|z|)).
  const ce = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.softplus(tf.neg(tf.abs(z))));
  const scale = 1 / (m * meanWeight);
  let loss = tf.mul(tf.sum(tf.mul(ce, w)), scale);
  // d loss / dz = w (σ(z) − y) / Σ…
  let delta: tf.Tensor2D = tf.mul(tf.mul(tf.sub(tf.sigmoid(z), y), w), scale);
  const grads: { w: tf.Tensor; b: tf.Tensor }[] = new Array(params.length);
  for (let l = params.length - 1; l >= 0; l--) {
    const input = acts[l];
    grads[l] = {
      w: tf.add(tf.matMul(tf.transpose(input), delta), tf.mul(params[l].w, l2)),
      b: tf.sum(delta, 0, true),
    };
    if (l > 0) {
      delta = tf.mul(tf.matMul(delta, tf.transpose(params[l].w)), tf.step(input));
    }
  }
  for (const p of params) loss = tf.add(loss, tf.mul(tf.sum(tf.square(p.w)), l2 / 2));
  return { loss, grads };
}

function snapshot(params: Params): { w: Float32Array; b: Float32Array }[] {
  return params.map((p) => ({
    w: p.w.dataSync() as Float32Array,
    b: p.b.dataSync() as Float32Array,
  }));
}

/** Churn probabilities for the rows of `data`, predicted in large batches. */
export async function predict(weights: ModelWeights, data: Matrix): Promise<Float32Array> {
  const z = await logits(weights, data);
  for (let i = 0; i < z.length; i++) z[i] = 1 / (1 + Math.exp(-z[i]));
  return z;
}

/** Prior-corrected log-odds for the rows of `data`. */
export async function logits(weights: ModelWeights, data: Matrix): Promise<Float32Array> {
  if (data.d !== weights.inputs) {
    throw new RangeError(
      `The model expects ${weights.inputs} input columns; the data gives ${data.d}.`,
    );
  }
  const out = new Float32Array(data.n);
  const params = weights.layers.map((l, i) => ({
    w: tf.tensor2d(l.w, [i === 0 ? weights.inputs : weights.layers[i - 1].units, l.units]),
    b: tf.tensor2d(l.b, [1, l.units]),
  }));
  const batch = 65_536;
  try {
    for (let start = 0; start < data.n; start += batch) {
      const rows = Math.min(batch, data.n - start);
      const z = tf.tidy(() =>
        forward(
          params,
          tf.tensor2d(data.X.subarray(start * data.d, (start + rows) * data.d), [rows, data.d]),
        ),
      );
      out.set((await z.data()) as Float32Array, start);
      z.dispose();
    }
  } finally {
    for (const p of params) {
      p.w.dispose();
      p.b.dispose();
    }
  }
  for (let i = 0; i < out.length; i++) out[i] -= weights.offset;
  return out;
}

function meanLogLoss(z: Float32Array, y: ArrayLike<number>, offset: number): number {
  let s = 0;
  for (let i = 0; i < z.length; i++) {
    const v = z[i] - offset;
    // −[y log σ(v) + (1 − y) log(1 − σ(v))] = softplus(v) − y·v
    s += Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))) - y[i] * v;
  }
  return s / z.length;
}

/** Standard normal draws (Box–Muller). */
function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
