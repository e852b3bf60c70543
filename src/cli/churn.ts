/**
 * `retain churn`: train and evaluate a churn model with the same code as the app
 * (features.ts → dataset.ts → pipeline.ts), on native DuckDB and TensorFlow.js in Node.
 * TensorFlow.js and the pipeline are imported on first use, so the other commands do
 * not load them.
 */
import { scoreRow, sortedScores } from '../lib/churn/scores.ts';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { datasetFromArrow } from '../lib/churn/dataset.ts';
import { featureSources, planFeatures, type LabelSource } from '../lib/churn/features.ts';
import { bestF1Threshold, confusion, thresholdByCost } from '../lib/churn/metrics.ts';
import type { ChurnResult } from '../lib/churn/pipeline.ts';
import type { ModelKind } from '../lib/churn/tf-model.ts';
import type { NodeEngine } from '../lib/engine/node.ts';
import type { Cell } from '../lib/engine/rows.ts';
import { toCsv } from '../lib/export/csv.ts';
import { numberFlag, UsageError, type Parsed } from './args.ts';
import { loadAndMap } from './model.ts';

export const CHURN_FLAGS = [
  'mapping',
  'model',
  'folds',
  'seed',
  'label',
  'cutoff',
  'window',
  'threshold',
  'offer-cost',
  'saved-value',
  'scores',
];

export interface ChurnFlags {
  kind: ModelKind;
  folds: number;
  seed: number;
  label: LabelSource | 'auto';
  cutoff: Date | undefined;
  windowDays: number | undefined;
  threshold: number | undefined;
  cost: { offerCost: number; savedValue: number } | undefined;
  scoresFile: string | undefined;
}

/** Check the flags before any file is read; throws a UsageError on the first bad one. */
export function churnFlags(flags: Record<string, string>): ChurnFlags {
  const kind = (flags.model ?? 'logistic') as ModelKind;
  if (!['logistic', 'mlp'].includes(kind))
    throw new UsageError(`--model must be logistic or mlp, not "${flags.model}"`);
  const folds =
    numberFlag(
      flags,
      'folds',
      (n) => Number.isInteger(n) && (n === 0 || (n >= 2 && n <= 20)),
      'a whole number from 2 to 20 (or 0 for no cross-validation)',
    ) ?? 0;
  const seed =
    numberFlag(flags, 'seed', (n) => Number.isInteger(n) && n >= 0, 'a whole number ≥ 0') ?? 1;
  const label = (flags.label ?? 'auto') as ChurnFlags['label'];
  if (!['auto', 'column', 'derived'].includes(label))
    throw new UsageError(`--label must be auto, column or derived, not "${flags.label}"`);
  let cutoff: Date | undefined;
  if (flags.cutoff !== undefined) {
    cutoff = new Date(`${flags.cutoff}T00:00:00Z`);
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(flags.cutoff) ||
      Number.isNaN(cutoff.getTime()) ||
      cutoff.toISOString().slice(0, 10) !== flags.cutoff
    )
      throw new UsageError(`--cutoff must be a date such as 1998-01-01, not "${flags.cutoff}"`);
  }
  const windowDays = numberFlag(flags, 'window', (n) => n > 0, 'a positive number of days');
  const threshold = numberFlag(
    flags,
    'threshold',
    (n) => n > 0 && n < 1,
    'a probability between 0 and 1 (exclusive)',
  );
  const offerCost = numberFlag(flags, 'offer-cost', (n) => n >= 0, 'an amount ≥ 0');
  const savedValue = numberFlag(flags, 'saved-value', (n) => n >= 0, 'an amount ≥ 0');
  if ((offerCost === undefined) !== (savedValue === undefined))
    throw new UsageError('--offer-cost and --saved-value go together: give both, or neither');
  if (threshold !== undefined && offerCost !== undefined)
    throw new UsageError(
      'give either --threshold or --offer-cost with --saved-value (which choose the threshold), not both',
    );
  if (flags.scores !== undefined && flags.scores.trim() === '')
    throw new UsageError('--scores needs a file name, e.g. --scores scores.csv');
  return {
    kind,
    folds,
    seed,
    label,
    cutoff,
    windowDays,
    threshold,
    cost: offerCost !== undefined ? { offerCost, savedValue: savedValue! } : undefined,
    scoresFile: flags.scores,
  };
}

let backend: Promise<string> | undefined;
/** TensorFlow.js on its WASM backend, or the plain JS one when WebAssembly cannot start. */
export function tfBackend(): Promise<string> {
  return (backend ??= (async () => {
    const tf = await import('@tensorflow/tfjs-core');
    try {
      await import('@tensorflow/tfjs-backend-wasm');
      if (await tf.setBackend('wasm')) return 'wasm';
    } catch {
      // fall through to the CPU backend
    }
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    return 'cpu';
  })());
}

/** `retain churn FILE... [--mapping M] [--model logistic|mlp] [--folds K] [--seed N] [--label …] [--cutoff DATE] [--window DAYS] [--threshold P | --offer-cost C --saved-value V] [--scores OUT.csv]` */
export async function churnCommand(engine: NodeEngine, { files, flags }: Parsed) {
  const options = churnFlags(flags);
  const { notes } = await loadAndMap(engine, files, flags.mapping);
  const plan = planFeatures(await featureSources(engine), {
    label: options.label,
    cutoff: options.cutoff,
    windowDays: options.windowDays,
  });
  const train = datasetFromArrow(await engine.query(plan.trainSql));
  const score = plan.scoreSql ? datasetFromArrow(await engine.query(plan.scoreSql)) : null;
  const backendName = await tfBackend();
  const { runChurn } = await import('../lib/churn/pipeline.ts');
  const result = await runChurn(
    { train, score },
    { kind: options.kind, folds: options.folds, seed: options.seed },
  );

  let customers = 0;
  let churned = 0;
  for (const l of train.label) {
    if (l < 0) continue;
    customers++;
    churned += l;
  }
  const { scores: pTest, labels: yTest } = result.test;
  let threshold: number;
  let rule: 'given' | 'cost' | 'best_f1';
  let cost = null;
  if (options.threshold !== undefined) {
    threshold = options.threshold;
    rule = 'given';
  } else if (options.cost) {
    const choice = thresholdByCost(pTest, yTest, options.cost);
    threshold = choice.threshold;
    rule = 'cost';
    cost = {
      offer_cost: options.cost.offerCost,
      saved_value: options.cost.savedValue,
      expected_value: choice.expectedValue,
      contacted: choice.contacted,
    };
  } else {
    threshold = bestF1Threshold(pTest, yTest);
    rule = 'best_f1';
  }
  const c = confusion(pTest, yTest, threshold);

  if (options.scoresFile) await writeScores(resolve(options.scoresFile), result);

  return {
    label: plan.label,
    explanation: plan.explanation,
    cutoff: plan.cutoff ? plan.cutoff.toISOString().slice(0, 10) : null,
    window_days: plan.windowDays,
    model: result.kind,
    backend: backendName,
    seed: options.seed,
    customers,
    churned,
    churn_rate: result.split.churnRate,
    features: result.features.groups,
    dropped: result.features.dropped.map((d) => ({ name: d.name, reason: d.reason })),
    split: {
      train: result.split.train,
      validation: result.split.validation,
      test: result.split.test,
    },
    best_epoch: result.bestEpoch,
    auc: result.test.auc,
    pr_auc: result.test.prAuc,
    log_loss: result.test.logLoss,
    brier: result.test.brier,
    // "Contact nobody" (the cost rule's Infinity) has no JSON number: null.
    threshold: Number.isFinite(threshold) ? threshold : null,
    threshold_rule: rule,
    ...(cost ? { cost } : {}),
    precision: c.precision,
    recall: c.recall,
    f1: c.f1,
    accuracy: c.accuracy,
    confusion: { tp: c.tp, fp: c.fp, tn: c.tn, fn: c.fn },
    cv: result.crossValidation
      ? {
          folds: result.crossValidation.folds.length,
          aucs: result.crossValidation.folds.map((f) => f.auc),
          mean_auc: result.crossValidation.meanAuc,
          sd_auc: result.crossValidation.sdAuc,
        }
      : null,
    importance: result.importance.map((i) => ({ feature: i.feature, auc_drop: i.drop, sd: i.sd })),
    coefficients: result.coefficients
      ? result.coefficients.map((k) => ({ column: k.column, feature: k.feature, weight: k.weight }))
      : null,
    scored: result.scores.ids.length,
    scores_file: options.scoresFile ?? null,
    notes,
  };
}

/** Every scored customer (the app's call-list rows), by risk × value, highest first. */
export function scoreRows(result: ChurnResult): Record<string, Cell>[] {
  const order = sortedScores(result.scores, 'risk_x_value');
  return Array.from(order, (i) => ({ ...scoreRow(result.scores, result.features.groups, i) }));
}

async function writeScores(file: string, result: ChurnResult) {
  try {
    const rows = scoreRows(result);
    const columns = Object.keys(rows[0] ?? scoreRow(result.scores, [], 0));
    await writeFile(
      file,
      toCsv(
        columns,
        rows.map((r) => columns.map((c) => r[c])),
      ),
    );
  } catch (error) {
    throw new Error(
      `cannot write the scores to ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
