import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { tfBackend } from '../../src/cli/churn.ts';
import { main } from '../../src/cli/main.ts';
import { loadAndMap } from '../../src/cli/model.ts';
import { datasetFromArrow } from '../../src/lib/churn/dataset.ts';
import { featureLabel, featureSources, planFeatures } from '../../src/lib/churn/features.ts';
import { bestF1Threshold, confusion } from '../../src/lib/churn/metrics.ts';
import { runChurn } from '../../src/lib/churn/pipeline.ts';
import { NodeEngine } from '../../src/lib/engine/node.ts';
import { datasets } from '../support/data.ts';

const run = async (argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, json: out.length ? JSON.parse(out.join('\n')) : undefined, err: err.join('\n') };
};
const telco = () => join(inject('sharedData'), datasets.telco);
const cdnow = () => join(inject('sharedData'), datasets.cdnowMaster);

describe('retain churn (Telco: a churn column)', () => {
  it('5-fold logistic regression reaches scikit-learn’s 0.845 mean AUC; scores to CSV', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'retain-churn-'));
    const file = join(dir, 'scores.csv');
    const { code, json, err } = await run(['churn', telco(), '--folds', '5', '--scores', file]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(json.label).toBe('column');
    expect(json.cutoff).toBeNull();
    expect(json.model).toBe('logistic');
    expect(json.customers).toBe(7_043);
    expect(json.churned).toBe(1_869);
    expect(json.churn_rate).toBe(1_869 / 7_043);
    expect(json.split).toEqual({ train: 4_225, validation: 1_409, test: 1_409 });
    expect(json.cv.folds).toBe(5);
    expect(json.cv.aucs).toHaveLength(5);
    expect(json.cv.mean_auc).toBeGreaterThanOrEqual(0.845);
    expect(json.importance[0].feature).toBe('tenure_months');
    expect(json.threshold_rule).toBe('best_f1');
    expect(json.threshold).toBeGreaterThan(0);
    expect(json.threshold).toBeLessThan(1);
    const { tp, fp, tn, fn } = json.confusion;
    expect(tp + fp + tn + fn).toBe(1_409);
    expect(json.coefficients.length).toBeGreaterThan(0);
    expect(json.scored).toBe(7_043);

    const lines = (await readFile(file, 'utf8')).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^customer_id,risk,risk_decile/);
    expect(lines[0]).toBe(
      'customer_id,risk,risk_decile,value,risk_x_value,churned,driver_1,driver_2,driver_3',
    );
    expect(lines).toHaveLength(1 + 7_043);
    // Sorted by risk × value, highest first; the label known for every Telco customer.
    const rows = lines.slice(1).map((l) => l.split(','));
    const rv = rows.map((r) => Number(r[4]));
    for (let i = 1; i < rv.length; i++) expect(rv[i]).toBeLessThanOrEqual(rv[i - 1]);
    expect(rows.every((r) => r[5] === 'true' || r[5] === 'false')).toBe(true);
    expect(json.features.map(featureLabel)).toContain(rows[0][6]);
  }, 120_000);

  it('prints the same numbers as the library in-process (same data, same options)', async () => {
    const options = { kind: 'mlp' as const, folds: 3, seed: 7 };
    const { code, json } = await run([
      'churn',
      telco(),
      '--model',
      'mlp',
      '--folds',
      '3',
      '--seed',
      '7',
    ]);
    expect(code).toBe(0);
    const engine = await NodeEngine.create();
    try {
      await loadAndMap(engine, [telco()]);
      const plan = planFeatures(await featureSources(engine));
      const train = datasetFromArrow(await engine.query(plan.trainSql));
      await tfBackend();
      const r = await runChurn({ train }, options);
      expect(json.backend).toBe(await tfBackend());
      expect(json.auc).toBe(r.test.auc);
      expect(json.pr_auc).toBe(r.test.prAuc);
      expect(json.log_loss).toBe(r.test.logLoss);
      expect(json.brier).toBe(r.test.brier);
      expect(json.best_epoch).toBe(r.bestEpoch);
      expect(json.cv.aucs).toEqual(r.crossValidation!.folds.map((f) => f.auc));
      expect(json.cv.mean_auc).toBe(r.crossValidation!.meanAuc);
      expect(json.importance.map((i: { auc_drop: number }) => i.auc_drop)).toEqual(
        r.importance.map((i) => i.drop),
      );
      expect(json.coefficients).toBeNull();
      const threshold = bestF1Threshold(r.test.scores, r.test.labels);
      expect(json.threshold).toBe(threshold);
      const c = confusion(r.test.scores, r.test.labels, threshold);
      expect(json.confusion).toEqual({ tp: c.tp, fp: c.fp, tn: c.tn, fn: c.fn });
      expect(json.f1).toBe(c.f1);

      // Logistic regression too, with its coefficients.
      const logistic = await run(['churn', telco()]);
      const l = await runChurn({ train }, { kind: 'logistic', folds: 0, seed: 1 });
      expect(logistic.json.auc).toBe(l.test.auc);
      expect(logistic.json.cv).toBeNull();
      expect(logistic.json.coefficients).toEqual(l.coefficients);
    } finally {
      await engine.close();
    }
  }, 120_000);

  it('chooses the threshold as told: given, or by the cost of an offer', async () => {
    const given = await run(['churn', telco(), '--threshold', '0.5']);
    expect(given.code).toBe(0);
    expect(given.json.threshold).toBe(0.5);
    expect(given.json.threshold_rule).toBe('given');
    const cost = await run(['churn', telco(), '--offer-cost', '10', '--saved-value', '500']);
    expect(cost.code).toBe(0);
    expect(cost.json.threshold_rule).toBe('cost');
    // A cheap offer and a valuable customer: contact more than at the 0.5 threshold.
    expect(cost.json.threshold).toBeLessThan(0.5);
    expect(cost.json.recall).toBeGreaterThan(given.json.recall);
  }, 120_000);
});

describe('retain churn (CDNOW: no churn column, the label derived from orders)', () => {
  it('derives the label at a cut-off and says so', async () => {
    const { code, json } = await run(['churn', cdnow()]);
    expect(code).toBe(0);
    expect(json.label).toBe('derived');
    expect(json.cutoff).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(json.window_days).toBe(90);
    expect(json.explanation).toContain('90 days');
    expect(json.explanation).toContain(json.cutoff);
    expect(json.customers).toBeGreaterThan(0);
    expect(json.churned).toBeGreaterThan(0);
    expect(json.churned).toBeLessThan(json.customers);
    expect(json.scored).toBeGreaterThan(0);
    expect(json.auc).toBeGreaterThan(0.5);
  }, 120_000);

  it('refuses a cut-off too late for the window', async () => {
    const { code, json, err } = await run([
      'churn',
      cdnow(),
      '--cutoff',
      '1998-06-20',
      '--window',
      '30',
    ]);
    expect(code).not.toBe(0);
    expect(json).toBeUndefined();
    expect(err).toMatch(/^retain churn: The cut-off 1998-06-20 is too late/);
  });
});

describe('retain churn: bad flags', () => {
  it('refuses them with a usage error before reading any file', async () => {
    const bad: [string[], RegExp][] = [
      [['--model', 'tree'], /--model must be logistic or mlp/],
      [['--folds', '1'], /--folds must be a whole number from 2 to 20/],
      [['--folds', '2.5'], /--folds must be/],
      [['--window', '0'], /--window must be a positive number/],
      [['--cutoff', '1998-02-30'], /--cutoff must be a date/],
      [['--threshold', '1'], /--threshold must be a probability/],
      [['--label', 'guess'], /--label must be auto, column or derived/],
      [['--offer-cost', '5'], /--offer-cost and --saved-value go together/],
      [['--threshold', '0.3', '--offer-cost', '5', '--saved-value', '50'], /either --threshold/],
      [['--trees', '100'], /unknown option --trees/],
    ];
    for (const [flags, message] of bad) {
      const { code, err } = await run(['churn', 'no-such-file.csv', ...flags]);
      expect(code, flags.join(' ')).toBe(2);
      expect(err, flags.join(' ')).toMatch(message);
    }
    expect((await run(['churn'])).code).toBe(2);
  });
});
