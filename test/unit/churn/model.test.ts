import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { RawDataset } from '../../../src/lib/churn/dataset.ts';
import { datasetFromArrow } from '../../../src/lib/churn/dataset.ts';
import { featureSources, planFeatures } from '../../../src/lib/churn/features.ts';
import { choleskySolve, fitLogisticNewton } from '../../../src/lib/churn/newton.ts';
import {
  deciles,
  permutationImportance,
  runChurn,
  scoreCustomers,
  type ChurnModel,
} from '../../../src/lib/churn/pipeline.ts';
import { fitPreprocessor, transform } from '../../../src/lib/churn/prepare.ts';
import { stratifiedFolds, stratifiedSplit } from '../../../src/lib/churn/split.ts';
import { predict, trainModel, type ModelWeights } from '../../../src/lib/churn/tf-model.ts';
import { NodeEngine } from '../../../src/lib/engine/node.ts';
import { loadFile } from '../../../src/lib/ingest/load.ts';
import { fromPath, nodeDecoders } from '../../../src/lib/ingest/node-input.ts';
import { datasets } from '../../support/data.ts';
import { applyDetected } from '../../support/mapping.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

/** Rows of a one-feature design: `count` copies of (x, y). */
function design(groups: [x: number, y: number, count: number][]) {
  const X: number[] = [];
  const y: number[] = [];
  for (const [x, label, count] of groups) {
    for (let i = 0; i < count; i++) {
      X.push(x);
      y.push(label);
    }
  }
  return { data: { X: Float32Array.from(X), n: X.length, d: 1 }, y: Int8Array.from(y) };
}

describe('logistic regression by Newton–Raphson', () => {
  it('reaches the maximum-likelihood fit of a saturated two-group model', async () => {
    // x = 0: 1 churned of 4; x = 1: 3 of 4. The MLE is exact: b = logit(1/4) = −ln 3,
    // w = logit(3/4) − logit(1/4) = 2 ln 3. Classes are balanced, so the weights are 1.
    const { data, y } = design([
      [0, 1, 1],
      [0, 0, 3],
      [1, 1, 3],
      [1, 0, 1],
    ]);
    const fit = await trainModel(data, y, null, null, { kind: 'logistic', l2: 0 });
    expect(fit.weights.layers[0].b[0]).toBeCloseTo(-Math.log(3), 4);
    expect(fit.weights.layers[0].w[0]).toBeCloseTo(2 * Math.log(3), 4);
    expect(fit.weights.offset).toBe(0);
  });

  it('undoes the class weights in its probabilities (prior correction)', async () => {
    // x = 0: 1 of 8 churned; x = 1: 3 of 6. 4 churned of 14: weights 14/8 and 14/20.
    // The weighted saturated fit has log-odds ln(w₁·pos / w₀·neg) per group; subtracting
    // ln(w₁/w₀) gives back the observed rates 1/8 and 1/2.
    const { data, y } = design([
      [0, 1, 1],
      [0, 0, 7],
      [1, 1, 3],
      [1, 0, 3],
    ]);
    const fit = await trainModel(data, y, null, null, { kind: 'logistic', l2: 0 });
    expect(fit.weights.offset).toBeCloseTo(Math.log(1.75 / 0.7), 12);
    const p = await predict(fit.weights, { X: Float32Array.of(0, 1), n: 2, d: 1 });
    expect(p[0]).toBeCloseTo(1 / 8, 4);
    expect(p[1]).toBeCloseTo(1 / 2, 4);
  });

  it('solves a symmetric positive-definite system', () => {
    // [[4, 2], [2, 3]] x = [2, 1] → x = [1/2, 0]
    expect(
      Array.from(choleskySolve(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 1), 2)),
    ).toEqual([0.5, 0]);
    expect(() => choleskySolve(Float64Array.of(0, 0, 0, 0), Float64Array.of(1, 1), 2)).toThrow(
      /singular/,
    );
  });

  it('refuses training data with a single class', async () => {
    const { data, y } = design([[0, 1, 5]]);
    await expect(trainModel(data, y, null, null, { kind: 'logistic' })).rejects.toThrow(
      /same label/,
    );
  });
});

describe('splits', () => {
  const label = Int8Array.from({ length: 100 }, (_, i) => (i < 30 ? 1 : 0));
  const rows = Int32Array.from({ length: 100 }, (_, i) => i);

  it('stratified 60/20/20 keeps the churn rate in each part, disjoint, repeatable', () => {
    const s = stratifiedSplit(rows, label, { seed: 7 });
    // 30 churned: 6 test, 6 validation, 18 train; 70 retained: 14, 14, 42
    const churned = (r: Int32Array) => Array.from(r).filter((i) => label[i]).length;
    expect([s.train.length, s.validation.length, s.test.length]).toEqual([60, 20, 20]);
    expect([churned(s.train), churned(s.validation), churned(s.test)]).toEqual([18, 6, 6]);
    expect(new Set([...s.train, ...s.validation, ...s.test]).size).toBe(100);
    expect(stratifiedSplit(rows, label, { seed: 7 })).toEqual(s);
    expect(stratifiedSplit(rows, label, { seed: 8 }).test).not.toEqual(s.test);
  });

  it('k folds: every row tested once, 6 churned in each of 5 folds', () => {
    const folds = stratifiedFolds(rows, label, 5, 3);
    expect(folds.map((f) => f.test.length)).toEqual([20, 20, 20, 20, 20]);
    expect(folds.map((f) => Array.from(f.test).filter((i) => label[i]).length)).toEqual([
      6, 6, 6, 6, 6,
    ]);
    expect(new Set(folds.flatMap((f) => Array.from(f.test))).size).toBe(100);
    for (const f of folds) expect(f.train.length + f.test.length).toBe(100);
    expect(() => stratifiedFolds(rows, label, 1)).toThrow(/at least 2/);
  });
});

describe('preparation', () => {
  const data: RawDataset = {
    ids: ['a', 'b', 'c', 'd', 'e'],
    label: Int8Array.of(1, 0, 1, 0, 0),
    value: new Float64Array(5),
    numeric: [
      { name: 'spend', values: Float64Array.of(1, 3, Number.NaN, 5, 1000) },
      { name: 'constant', values: Float64Array.of(2, 2, 2, 2, 2) },
    ],
    categorical: [{ name: 'plan', values: ['A', 'A', 'B', null, 'C'] }],
  };

  it('fits on the training rows only: mean, sd, missing column, levels', () => {
    // training rows a b c d: spend 1, 3, missing, 5 → mean 3, sd √(8/3); e (1000) is not seen
    const pre = fitPreprocessor(data, [0, 1, 2, 3]);
    expect(pre.numeric).toEqual([
      { name: 'spend', log: false, mean: 3, sd: Math.sqrt(8 / 3), fill: 3, missingColumn: true },
    ]);
    expect(pre.dropped).toEqual([
      { name: 'constant', reason: 'the same value for every training row' },
      { name: 'plan', reason: 'every value is rarer than 10 training rows' },
    ]);
    // with 4 training rows every level is rarer than 10 rows: no level qualifies, the
    // plan is dropped as a single value
    expect(pre.groups).toEqual(['spend']);
    const { X } = transform(pre, data, [2, 4]);
    // c: missing → the mean → 0, missing flag 1; e: (1000 − 3) / √(8/3)
    expect(X[0]).toBe(0);
    expect(X[1]).toBe(1);
    expect(X[2]).toBeCloseTo(997 / Math.sqrt(8 / 3), 3);
    expect(X[3]).toBe(0);
  });

  it('one-hot against the most common level, rare and unseen levels as "other"', () => {
    const n = 100;
    const plans = Array.from({ length: n }, (_, i) => (i < 60 ? 'M' : i < 90 ? 'Y' : `rare${i}`));
    const big: RawDataset = {
      ids: plans.map((_, i) => String(i)),
      label: new Int8Array(n),
      value: new Float64Array(n),
      numeric: [],
      categorical: [{ name: 'plan', values: plans }],
    };
    const rows = Array.from({ length: n }, (_, i) => i);
    const pre = fitPreprocessor(big, rows);
    // M (60) is the reference; Y (30) gets a column; the ten rare levels (1 each, < 10) share "other"
    expect(pre.categorical).toEqual([{ name: 'plan', levels: ['Y'], reference: 'M', other: true }]);
    expect(pre.columns).toEqual(['plan = Y', 'plan = other']);
    const unseen = { ...big, categorical: [{ name: 'plan', values: ['M', 'Y', 'new', null] }] };
    expect(Array.from(transform(pre, unseen, [0, 1, 2, 3]).X)).toEqual([0, 0, 1, 0, 0, 1, 0, 1]);
  });

  it('leaves out identifier-like text columns', () => {
    const n = 50;
    const ids: RawDataset = {
      ids: [],
      label: new Int8Array(n),
      value: new Float64Array(n),
      numeric: [{ name: 'x', values: Float64Array.from({ length: n }, (_, i) => i) }],
      categorical: [{ name: 'email', values: Array.from({ length: n }, (_, i) => `${i}@x`) }],
    };
    const pre = fitPreprocessor(
      ids,
      Array.from({ length: n }, (_, i) => i),
    );
    expect(pre.dropped).toEqual([
      { name: 'email', reason: 'looks like an identifier (mostly distinct values)' },
    ]);
  });
});

describe('deciles', () => {
  it('ranks risk into tenths, the riskiest is 10, ties share a decile', () => {
    const risk = Float32Array.from({ length: 20 }, (_, i) => i / 20);
    // 20 customers: ranks 0–1 → 1, …, ranks 18–19 → 10
    expect(Array.from(deciles(risk))).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
    ]);
    expect(Array.from(deciles(Float32Array.of(0.5, 0.5, 0.5, 0.9)))).toEqual([1, 1, 1, 8]);
  });
});

describe('Telco churn (IBM sample), the whole pipeline in Node', () => {
  let data: RawDataset;
  beforeAll(async () => {
    const engine = await NodeEngine.create();
    const input = await fromPath(join(inject('sharedData'), datasets.telco));
    const table = (await loadFile(engine, nodeDecoders, input)).tables[0].name;
    await applyDetected(engine, table, 'USD');
    data = datasetFromArrow(
      await engine.query(planFeatures(await featureSources(engine)).trainSql),
    );
    await engine.close();
  }, 60_000);

  it('logistic regression: 5-fold mean test ROC AUC ≥ 0.845 (scikit-learn: 0.845)', async () => {
    const r = await runChurn({ train: data }, { kind: 'logistic', folds: 5, seed: 1 });
    expect(r.crossValidation!.folds).toHaveLength(5);
    expect(r.crossValidation!.meanAuc).toBeGreaterThanOrEqual(0.845);
    expect(r.test.auc).toBeGreaterThan(0.84);
    expect(r.split).toEqual({ train: 4225, validation: 1409, test: 1409, churnRate: 1869 / 7043 });
    // tenure and the contract are the strongest drivers on this data set
    expect(r.importance.slice(0, 2).map((i) => i.feature)).toEqual(['tenure_months', 'plan']);
    // Month-to-month is the reference level; longer contracts lower the risk
    const coef = (c: string) => r.coefficients!.find((x) => x.column === c)!.weight;
    expect(coef('plan = Two year')).toBeLessThan(coef('plan = One year'));
    expect(coef('plan = One year')).toBeLessThan(0);
    // every customer scored, with drivers; for logistic regression a driver's
    // contribution is exactly coefficient × standardised value
    expect(r.scores.risk.length).toBe(7043);
    const i = r.scores.risk.indexOf(Math.max(...r.scores.risk));
    expect(r.scores.decile[i]).toBe(10);
    const top = r.scores.drivers[i * 3];
    expect(top).toBeGreaterThanOrEqual(0);
    const cols = r.model.preprocessor.columnGroup
      .map((g, j) => [g, j])
      .filter(([g]) => g === top)
      .map(([, j]) => j);
    const X = transform(r.model.preprocessor, data, [i]).X;
    const expected = cols.reduce((s, j) => s + r.model.weights.layers[0].w[j] * X[j], 0);
    expect(r.scores.contributions[i * 3]).toBeCloseTo(expected, 3);
    // a saved model scores the same data to the same risks
    const again = await scoreCustomers(r.model, data);
    expect(Array.from(again.risk.slice(0, 50))).toEqual(Array.from(r.scores.risk.slice(0, 50)));
  }, 60_000);

  it('logistic regression: drivers and permutation importance are those of a pass through the model', async () => {
    // Logistic regression's drivers and importance are computed from its weights alone. The
    // same function as a two-layer ReLU network, z = relu(x·w + b) − relu(−x·w − b), goes
    // through the general path (the model run again on changed inputs): both must agree.
    const r = await runChurn({ train: data }, { kind: 'logistic', seed: 3 });
    const [layer] = r.model.weights.layers;
    const d = r.model.weights.inputs;
    const w1 = new Float32Array(d * 2);
    for (let j = 0; j < d; j++) {
      w1[j * 2] = layer.w[j];
      w1[j * 2 + 1] = -layer.w[j];
    }
    const asNetwork: ModelWeights = {
      ...r.model.weights,
      kind: 'mlp',
      layers: [
        { w: w1, b: Float32Array.of(layer.b[0], -layer.b[0]), units: 2 },
        { w: Float32Array.of(1, -1), b: Float32Array.of(0), units: 1 },
      ],
    };
    const network: ChurnModel = { ...r.model, weights: asNetwork };
    const linear = await scoreCustomers(r.model, data);
    const general = await scoreCustomers(network, data);
    for (let i = 0; i < linear.risk.length; i++)
      expect(linear.risk[i]).toBeCloseTo(general.risk[i], 5);
    let same = 0;
    for (let k = 0; k < linear.drivers.length; k++) {
      expect(linear.contributions[k]).toBeCloseTo(general.contributions[k], 4);
      if (linear.drivers[k] === general.drivers[k]) same++;
    }
    // Float32 rounding may swap two drivers of (almost) equal weight, nothing more.
    expect(same / linear.drivers.length).toBeGreaterThan(0.999);
    const rows = Int32Array.from({ length: 2000 }, (_, i) => i * 3);
    const X = transform(r.model.preprocessor, data, rows);
    const y = Int8Array.from(rows, (i) => data.label[i]);
    const fast = await permutationImportance(r.model, X, y, 5);
    const slow = await permutationImportance(network, X, y, 5);
    expect(fast.map((f) => f.feature)).toEqual(slow.map((f) => f.feature));
    for (const [k, f] of fast.entries()) {
      expect(f.drop).toBeCloseTo(slow[k].drop, 5);
      expect(f.sd).toBeCloseTo(slow[k].sd, 5);
    }
    expect(fast[0].drop).toBeGreaterThan(0.01);
  }, 60_000);

  it('Newton–Raphson from a close start reaches the same optimum in fewer iterations', async () => {
    // The refit on train + validation starts from the fit on train; the objective is convex,
    // so the optimum must not depend on the start.
    const rows = Array.from({ length: data.ids.length }, (_, i) => i);
    const pre = fitPreprocessor(data, rows);
    const X = transform(pre, data, rows);
    const ones = new Float32Array(X.n).fill(1);
    const fullFit = (start?: Float64Array) =>
      fitLogisticNewton(X, ones, data.label, 1 / X.n, null, undefined, 50, start);
    const fromZero = await fullFit();
    const half = rows.filter((i) => i % 2 === 0);
    const preHalf = fitPreprocessor(data, half);
    expect(preHalf.columns).toEqual(pre.columns);
    const start = await fitLogisticNewton(
      transform(preHalf, data, half),
      new Float32Array(half.length).fill(1),
      Int8Array.from(half, (i) => data.label[i]),
      1 / half.length,
      null,
    );
    const warm = await fullFit(start.beta);
    expect(warm.iterations).toBeLessThan(fromZero.iterations);
    for (let j = 0; j < fromZero.beta.length; j++)
      expect(warm.beta[j]).toBeCloseTo(fromZero.beta[j], 4);
    // A start of the wrong length is ignored.
    const ignored = await fullFit(Float64Array.of(1, 2));
    expect(ignored.iterations).toBe(fromZero.iterations);
  }, 60_000);

  it('MLP with early stopping: 5-fold mean test ROC AUC ≥ 0.84', async () => {
    const r = await runChurn({ train: data }, { kind: 'mlp', folds: 5, seed: 1 });
    expect(r.crossValidation!.meanAuc).toBeGreaterThanOrEqual(0.84);
    expect(r.bestEpoch).toBeLessThan(r.history.length + 1);
    expect(r.coefficients).toBeNull();
  }, 120_000);
});
