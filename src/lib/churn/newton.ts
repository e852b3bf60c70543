/**
 * L2-regularised logistic regression fitted by Newton–Raphson, i.e. iteratively
 * reweighted least squares (McCullagh & Nelder 1989, "Generalized Linear Models",
 * §4.4; Hastie, Tibshirani & Friedman 2009, §4.4.1). The objective is convex, so
 * Newton's method reaches its minimum in a handful of iterations, exactly and the
 * same on every run, with no learning rate to tune.
 *
 * Objective: Σᵢ vᵢ·CE(yᵢ, σ(xᵢ·β + b)) ÷ Σᵢ vᵢ + (λ/2)·‖β‖², with class weights vᵢ
 * and the intercept b unpenalised. Per iteration, with pᵢ = σ(zᵢ):
 *   g = Xᵀ(v ⊙ (p − y)) ÷ Σv + λβ,   H = Xᵀ diag(v ⊙ p ⊙ (1 − p)) X ÷ Σv + λI,
 * then β ← β − H⁻¹g (step halved while the objective does not decrease).
 * The n-sized products run as TensorFlow.js ops; the small (d + 1)² system is solved
 * by Cholesky decomposition in plain JS.
 */
import * as tf from '@tensorflow/tfjs-core';
import { rocAuc } from './metrics.ts';
import type { EpochReport, Matrix } from './tf-model.ts';

export interface NewtonResult {
  /** Coefficients (d) then the intercept. */
  beta: Float64Array;
  history: EpochReport[];
  iterations: number;
}

export async function fitLogisticNewton(
  train: Matrix,
  weights: Float32Array,
  y: ArrayLike<number>,
  l2: number,
  validation: { data: Matrix; y: ArrayLike<number>; offset: number } | null,
  onIteration?: (report: EpochReport) => void | Promise<void>,
  maxIterations = 50,
  /**
   * Where to start (d coefficients, then the intercept), e.g. a fit on a subset of these
   * rows: the objective is convex, so the optimum is the same from any start, only
   * reached in fewer iterations from a close one. Default: all zero.
   */
  start?: Float64Array,
): Promise<NewtonResult> {
  const { n, d } = train;
  const k = d + 1;
  // The design with a column of ones for the intercept.
  const augmented = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    augmented.set(train.X.subarray(i * d, (i + 1) * d), i * k);
    augmented[i * k + d] = 1;
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i];
  const X = tf.tensor2d(augmented, [n, k]);
  // Products with a transposed operand are far slower on the WASM backend than with an
  // explicit transpose, so Xᵀ is built once.
  const XT = tf.transpose(X);
  const Y = tf.tensor2d(Float32Array.from(y), [n, 1]);
  const V = tf.tensor2d(weights, [n, 1]);
  const Xv = validation ? tf.tensor2d(appendOnes(validation.data), [validation.data.n, k]) : null;
  let beta: Float64Array<ArrayBufferLike> =
    start?.length === k && start.every(Number.isFinite)
      ? Float64Array.from(start)
      : new Float64Array(k);
  const history: EpochReport[] = [];
  const penalty = (b: Float64Array) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += b[j] * b[j];
    return (l2 / 2) * s;
  };
  const objective = async (b: Float64Array) => {
    const t = tf.tidy(() => {
      const z = tf.matMul(X, tf.tensor2d(Float32Array.from(b), [k, 1]));
      const ce = tf.sub(tf.add(tf.relu(z), tf.softplus(tf.neg(tf.abs(z)))), tf.mul(z, Y));
      return tf.sum(tf.mul(ce, V));
    });
    const value = (await t.data())[0] / total + penalty(b);
    t.dispose();
    return value;
  };
  let iterations = 0;
  try {
    let current = await objective(beta);
    for (let it = 1; it <= maxIterations; it++) {
      iterations = it;
      const [gT, hT] = tf.tidy(() => {
        const z = tf.matMul(X, tf.tensor2d(Float32Array.from(beta), [k, 1]));
        const p = tf.sigmoid(z);
        const g = tf.matMul(XT, tf.mul(V, tf.sub(p, Y)));
        const s = tf.mul(V, tf.mul(p, tf.sub(1, p)));
        const h = tf.matMul(tf.mul(XT, tf.reshape(s, [1, n])), X);
        return [g, h];
      });
      const g = Float64Array.from(await gT.data());
      const h = Float64Array.from(await hT.data());
      gT.dispose();
      hT.dispose();
      for (let j = 0; j < k; j++) {
        g[j] = g[j] / total + (j < d ? l2 * beta[j] : 0);
        for (let m = 0; m < k; m++) h[j * k + m] /= total;
        // A tiny ridge on the intercept too keeps H positive definite when a column is all zero.
        h[j * k + j] += j < d ? l2 : 1e-9;
      }
      const step = choleskySolve(h, g, k);
      let scale = 1;
      let next = beta;
      let value = current;
      for (let halvings = 0; halvings < 20; halvings++) {
        next = beta.map((b, j) => b - scale * step[j]);
        value = await objective(next);
        if (value <= current + 1e-12) break;
        scale /= 2;
      }
      const change = Math.abs(current - value);
      beta = next;
      current = value;
      let validationAuc = Number.NaN;
      let validationLoss = Number.NaN;
      if (Xv && validation) {
        const zt = tf.tidy(() => tf.matMul(Xv, tf.tensor2d(Float32Array.from(beta), [k, 1])));
        const z = (await zt.data()) as Float32Array;
        zt.dispose();
        validationAuc = rocAuc(z, validation.y);
        let s = 0;
        for (let i = 0; i < z.length; i++) {
          const v = z[i] - validation.offset;
          s += Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))) - validation.y[i] * v;
        }
        validationLoss = s / z.length;
      }
      const report = { epoch: it, loss: current, validationLoss, validationAuc };
      history.push(report);
      await onIteration?.(report);
      if (change < 1e-9 * Math.max(1, Math.abs(current))) break;
    }
  } finally {
    X.dispose();
    XT.dispose();
    Y.dispose();
    V.dispose();
    Xv?.dispose();
  }
  return { beta, history, iterations };
}

function appendOnes({ X, n, d }: Matrix): Float32Array {
  const out = new Float32Array(n * (d + 1));
  for (let i = 0; i < n; i++) {
    out.set(X.subarray(i * d, (i + 1) * d), i * (d + 1));
    out[i * (d + 1) + d] = 1;
  }
  return out;
}

/** Solve A x = b for a symmetric positive-definite A (row-major k × k) by Cholesky. */
export function choleskySolve(A: Float64Array, b: Float64Array, k: number): Float64Array {
  const L = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * k + j];
      for (let m = 0; m < j; m++) s -= L[i * k + m] * L[j * k + m];
      if (i === j) {
        if (!(s > 0))
          throw new RangeError(
            'The model’s equations are singular; remove constant or duplicate features.',
          );
        L[i * k + i] = Math.sqrt(s);
      } else L[i * k + j] = s / L[j * k + j];
    }
  }
  const x = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let m = 0; m < i; m++) s -= L[i * k + m] * x[m];
    x[i] = s / L[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = x[i];
    for (let m = i + 1; m < k; m++) s -= L[m * k + i] * x[m];
    x[i] = s / L[i * k + i];
  }
  return x;
}
