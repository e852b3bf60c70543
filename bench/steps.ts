/**
 * The analysis steps `npm run bench` times, shared by the tab (src/state/bench-hook.ts,
 * through the app's own DuckDB worker) and native DuckDB (scripts/bench/native.ts), so
 * both run exactly the same src/lib modules with the parameters a fresh cell uses.
 * Every step reads the canonical views the mapping built, as the cells do.
 */
import { clvAnalysis, type ClvFitter } from '../src/lib/analyses/clv.ts';
import { cohortAnalysis } from '../src/lib/analyses/cohorts.ts';
import { kpiSummary, kpisByPeriod, suggestWindow } from '../src/lib/analyses/kpis.ts';
import { rfm } from '../src/lib/analyses/rfm.ts';
import { featureSources, planFeatures } from '../src/lib/churn/features.ts';
import type { SqlEngine } from '../src/lib/engine/types.ts';
import {
  churnArgs,
  clvArgs,
  cohortsArgs,
  kpisArgs,
  rfmArgs,
} from '../src/lib/notebook/analysis-params.ts';

/** What a step reports besides its time: how many result rows it produced (a sanity check). */
export interface StepOutcome {
  rows: number;
}

/** Per-engine choices: where the BG/NBD fit runs (the tab uses the app's fit worker). */
export interface StepContext {
  fitter?: ClvFitter;
}

export type StepName = 'kpis' | 'cohorts' | 'rfm' | 'churn-features' | 'bgnbd';

/** The built-in analyses, in the order they are run, with the label the report prints. */
export const STEPS: { name: StepName; label: string }[] = [
  { name: 'kpis', label: 'KPIs (overview)' },
  { name: 'cohorts', label: 'cohorts (month)' },
  { name: 'rfm', label: 'RFM' },
  { name: 'churn-features', label: 'churn features' },
  { name: 'bgnbd', label: 'BG/NBD fit (CLV)' },
];

/** Run one step on `engine`, as its cell would with default parameters. */
export async function runStep(
  engine: SqlEngine,
  name: StepName,
  context: StepContext = {},
): Promise<StepOutcome> {
  switch (name) {
    case 'kpis': {
      // What the overview does: the suggested window, the summary, the figures by month.
      const args = kpisArgs({});
      const windowDays = args.windowDays ?? (await suggestWindow(engine)).days;
      await kpiSummary(engine, {
        windowDays,
        margin: args.margin,
        lifespanYears: args.lifespanYears,
      });
      const periods = await kpisByPeriod(engine, { period: args.period, windowDays });
      return { rows: periods.rows.length };
    }
    case 'cohorts': {
      const result = await cohortAnalysis(engine, cohortsArgs({}));
      return { rows: result.cohorts.length };
    }
    case 'rfm': {
      const result = await rfm(engine, rfmArgs({}));
      return { rows: result.segments.length };
    }
    case 'churn-features': {
      // The churn cell's SQL: training examples and the customers to score, as Arrow.
      const plan = planFeatures(await featureSources(engine), churnArgs({}));
      const train = await engine.query(plan.trainSql);
      const score = plan.scoreSql ? await engine.query(plan.scoreSql) : null;
      return { rows: train.numRows + (score?.numRows ?? 0) };
    }
    case 'bgnbd': {
      const args = clvArgs({});
      const result = await clvAnalysis(engine, args.params, args.options, context.fitter);
      return { rows: result.totals.customers };
    }
  }
}
