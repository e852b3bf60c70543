/**
 * The analyses `retain run` can execute, one row per analysis id of the app's
 * analysis cells. Each row turns the cell's saved params into the module's
 * arguments (src/lib/notebook/analysis-params.ts, the same conversion the cells
 * use), runs the same src/lib module as the cell, and picks the table the report
 * shows. To support a new analysis cell, add one row; an id missing here gets a
 * "this version of retain does not run analysis X" section in the report.
 */
import { clvAnalysis } from '../lib/analyses/clv.ts';
import { cohortAnalysis } from '../lib/analyses/cohorts.ts';
import { scenarioForecast } from '../lib/analyses/forecast.ts';
import { journeys } from '../lib/analyses/journeys.ts';
import { kpiSummary, kpisByPeriod, suggestWindow } from '../lib/analyses/kpis.ts';
import { programmeLift } from '../lib/analyses/lift.ts';
import { npsAnalysis } from '../lib/analyses/nps.ts';
import { purchaseJourney } from '../lib/analyses/purchases.ts';
import { rfm } from '../lib/analyses/rfm.ts';
import { behaviouralSegments } from '../lib/analyses/segments.ts';
import { survivalAnalysis, survivalOptions } from '../lib/analyses/survival.ts';
import { unitEconomics } from '../lib/analyses/unit-economics.ts';
import { datasetFromArrow } from '../lib/churn/dataset.ts';
import { featureSources, planFeatures } from '../lib/churn/features.ts';
import { bestF1Threshold, confusion } from '../lib/churn/metrics.ts';
import type { SqlEngine } from '../lib/engine/types.ts';
import {
  churnArgs,
  clvArgs,
  cohortsArgs,
  forecastArgs,
  journeysArgs,
  kpisArgs,
  liftArgs,
  npsArgs,
  purchasesArgs,
  rfmArgs,
  segmentsArgs,
  survivalArgs,
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
  clv: {
    title: 'Customer future value (BG/NBD)',
    async run(engine, params, signal) {
      // The cell fits in a worker (fit-client.ts); here the same clvModel runs in-process,
      // as in `retain clv`.
      const args = clvArgs(params);
      const result = await clvAnalysis(engine, args.params, args.options, undefined, () =>
        signal?.throwIfAborted(),
      );
      const bg = result.bgnbd;
      const gg = result.gammaGamma;
      // Parameters only when the fit can be trusted, as the cell and `retain clv` show them.
      const figures = result.usable
        ? [
            ['r', bg.r],
            ['alpha', bg.alpha],
            ['a', bg.a],
            ['b', bg.b],
            ['logLikelihood', bg.logLikelihood],
            ...(gg && result.totals.clv !== null
              ? [
                  ['p', gg.p],
                  ['q', gg.q],
                  ['gamma', gg.gamma],
                ]
              : []),
            ['customers', result.totals.customers],
            ['expectedPurchases', result.totals.expectedPurchases],
            ['clv', result.totals.clv],
          ]
        : [['customers', result.totals.customers]];
      return {
        result: {
          ...result,
          horizon: args.options.horizon,
          margin: args.options.margin,
          discount: args.options.annualDiscount,
        },
        table: rowsTable(figures.map(([figure, value]) => ({ figure, value }))),
      };
    },
  },
  survival: {
    title: 'Survival (time to churn)',
    async run(engine, params, signal) {
      // The cell sends no unit for tenure data, so which source 'auto' picks matters here too.
      const saved = survivalArgs(params, null).source;
      const effective = saved === 'auto' ? (await survivalOptions(engine, { signal })).auto : saved;
      const result = await survivalAnalysis(engine, survivalArgs(params, effective), { signal });
      return {
        result,
        table: rowsTable(
          result.groups.map((g) => ({
            group: g.group,
            n: g.n,
            events: g.events,
            median: g.median.time,
            median_lower: g.median.lower,
            median_upper: g.median.upper,
          })),
        ),
      };
    },
  },
  nps: {
    title: 'NPS and what precedes churn',
    async run(engine, params, signal) {
      const result = await npsAnalysis(engine, { ...npsArgs(params), signal });
      return { result, table: rowsTable(result.periods) };
    },
  },
  journeys: {
    title: 'Customer journeys',
    async run(engine, params, signal) {
      const result = await journeys(engine, { ...journeysArgs(params), signal });
      return { result, table: rowsTable(result.paths) };
    },
  },
  lift: {
    title: 'Programme lift (treatment vs holdout)',
    async run(engine, params, signal) {
      const result = await programmeLift(engine, liftArgs(params), { signal });
      return {
        result,
        table: rowsTable(
          result.periods.map((p) => ({
            period: p.period,
            treatment_customers: p.treatment.customers,
            treatment_retained: p.treatment.retained,
            holdout_customers: p.holdout.customers,
            holdout_retained: p.holdout.retained,
            lift: p.retention.estimate,
            lift_lower: p.retention.lower,
            lift_upper: p.retention.upper,
            revenue_difference: p.revenuePerCustomer.estimate,
          })),
        ),
      };
    },
  },
  forecast: {
    title: 'Scenario forecast',
    async run(engine, params, signal) {
      const { whatIf, ...args } = forecastArgs(params);
      // The cell waits for rates it can read; a notebook run says which field to fix.
      if (whatIf === null)
        throw new Error(
          `The what-if churn rates "${String(params.whatIf)}" are not percentages from 0 to 100 ` +
            'separated by commas (e.g. 3, 2.5); fix them in the forecast cell.',
        );
      const result = await scenarioForecast(engine, { ...args, whatIf }, { signal });
      return {
        result,
        table: rowsTable(
          result.scenarios.flatMap((s) =>
            s.periods.map((p) => ({
              scenario: s.kind,
              churn_rate: s.churnRate,
              start: p.start,
              customers_at_end: p.customersAtEnd,
              revenue: p.revenue,
              cumulative_revenue: p.cumulativeRevenue,
            })),
          ),
        ),
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
