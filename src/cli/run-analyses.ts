/**
 * The analyses `retain run` can execute, one row per analysis id of the app's
 * analysis cells. Each row turns the cell's saved params into the module's
 * arguments (src/lib/notebook/analysis-params.ts, the same conversion the cells
 * use), runs the same src/lib module as the cell, and picks the table the report
 * shows. To support a new analysis cell, add one row; an id missing here gets a
 * "this version of retain does not run analysis X" section in the report.
 */
import { cohortAnalysis } from '../lib/analyses/cohorts.ts';
import { kpiSummary, kpisByPeriod, suggestWindow } from '../lib/analyses/kpis.ts';
import { purchaseJourney } from '../lib/analyses/purchases.ts';
import { rfm } from '../lib/analyses/rfm.ts';
import { behaviouralSegments } from '../lib/analyses/segments.ts';
import { unitEconomics } from '../lib/analyses/unit-economics.ts';
import { datasetFromArrow } from '../lib/churn/dataset.ts';
import { featureSources, planFeatures } from '../lib/churn/features.ts';
import { bestF1Threshold, confusion } from '../lib/churn/metrics.ts';
import type { SqlEngine } from '../lib/engine/types.ts';
import {
  churnArgs,
  cohortsArgs,
  kpisArgs,
  purchasesArgs,
  rfmArgs,
  segmentsArgs,
  unitEconomicsArgs,
} from '../lib/notebook/analysis-params.ts';
import { rowsTable, type AnalysisRunner } from '../lib/notebook/runner.ts';
import { tfBackend } from './churn.ts';

type Params = Record<string, unknown>;

/** analysis id → how to run it. */
export const RUN_ANALYSES: Record<string, AnalysisRunner> = {
  kpis: {
    title: 'Retention overview',
    async run(engine: SqlEngine, params: Params, signal?: AbortSignal) {
      const args = kpisArgs(params);
      const windowDays = args.windowDays ?? (await suggestWindow(engine)).days;
      signal?.throwIfAborted();
      const summary = await kpiSummary(engine, {
        windowDays,
        margin: args.margin,
        lifespanYears: args.lifespanYears,
      });
      signal?.throwIfAborted();
      const periods = await kpisByPeriod(engine, { period: args.period, windowDays });
      return {
        result: { ...summary, period: args.period, periods: periods.rows },
        table: rowsTable([
          { figure: 'customers', value: summary.customers },
          { figure: 'orders', value: summary.orders },
          { figure: 'revenue', value: summary.revenue },
          { figure: 'aov', value: summary.aov },
          { figure: 'purchaseFrequency', value: summary.purchaseFrequency },
          { figure: 'repeatPurchaseRate', value: summary.repeatPurchaseRate },
          { figure: 'churn.windowDays', value: summary.churn.windowDays },
          { figure: 'churn.annualChurnRate', value: summary.churn.annualChurnRate },
          { figure: 'cltv.value', value: summary.cltv.value },
        ]),
      };
    },
  },
  cohorts: {
    title: 'Cohort retention',
    async run(engine, params) {
      const result = await cohortAnalysis(engine, cohortsArgs(params));
      return { result, table: rowsTable(result.average) };
    },
  },
  rfm: {
    title: 'RFM segments',
    async run(engine, params) {
      const result = await rfm(engine, rfmArgs(params));
      return { result, table: rowsTable(result.segments) };
    },
  },
  segments: {
    title: 'Behavioural segments',
    async run(engine, params) {
      const args = segmentsArgs(params);
      const windowDays = args.windowDays ?? (await suggestWindow(engine)).days;
      const result = await behaviouralSegments(engine, { ...args, windowDays });
      return {
        result: { ...result, windowDays },
        table: rowsTable(result.segments, ['segment', 'label', 'customers', 'share', 'revenue']),
      };
    },
  },
  purchases: {
    title: 'First and second purchase',
    async run(engine, params) {
      const result = await purchaseJourney(engine, purchasesArgs(params));
      return { result, table: rowsTable(result.topFirst) };
    },
  },
  churn: {
    title: 'Churn prediction',
    async run(engine, params) {
      // The cell trains when asked; a notebook run trains at once with the saved settings.
      const args = churnArgs(params);
      const plan = planFeatures(await featureSources(engine), args);
      const train = datasetFromArrow(await engine.query(plan.trainSql));
      const score = plan.scoreSql ? datasetFromArrow(await engine.query(plan.scoreSql)) : null;
      await tfBackend();
      const { runChurn } = await import('../lib/churn/pipeline.ts');
      const r = await runChurn(
        { train, score },
        { kind: args.model, folds: args.folds, seed: args.seed },
      );
      const threshold = bestF1Threshold(r.test.scores, r.test.labels);
      const c = confusion(r.test.scores, r.test.labels, threshold);
      const result = {
        label: plan.label,
        explanation: plan.explanation,
        model: r.kind,
        seed: args.seed,
        auc: r.test.auc,
        pr_auc: r.test.prAuc,
        log_loss: r.test.logLoss,
        brier: r.test.brier,
        threshold,
        precision: c.precision,
        recall: c.recall,
        f1: c.f1,
        scored: r.scores.ids.length,
        importance: r.importance.map((i) => ({ feature: i.feature, auc_drop: i.drop })),
      };
      const figures = ['auc', 'pr_auc', 'log_loss', 'brier', 'threshold', 'f1', 'scored'] as const;
      return {
        result,
        table: rowsTable(figures.map((f) => ({ figure: f, value: result[f] }))),
      };
    },
  },
  'unit-economics': {
    title: 'Acquisition versus retention',
    async run(_engine, params) {
      const result = unitEconomics(unitEconomicsArgs(params));
      return { result, table: rowsTable(result.rows) };
    },
  },
};
