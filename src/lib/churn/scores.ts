/**
 * The list a win-back campaign needs: every scored customer with risk, risk decile,
 * value, risk × value and their top drivers, sorted, exported as CSV, and written
 * to DuckDB as `churn_scores` so other cells can segment by risk decile.
 */
import { Table, tableToIPC } from 'apache-arrow';
import { numberVector, utf8Vector } from '../engine/arrow-columns.ts';
import type { SqlEngine } from '../engine/types.ts';
import { ident } from '../sql/quote.ts';
import { featureLabel } from './features.ts';
import type { ChurnScores } from './pipeline.ts';

export type ScoreSort = 'risk_x_value' | 'risk' | 'value';

export interface ScoreRow {
  customer_id: string;
  risk: number;
  risk_decile: number;
  value: number;
  risk_x_value: number;
  /** Known label: true churned, false retained, null unknown. */
  churned: boolean | null;
  driver_1: string | null;
  driver_2: string | null;
  driver_3: string | null;
}

/** Row indices sorted by the chosen key, largest first (ties by customer id). */
export function sortedScores(scores: ChurnScores, by: ScoreSort, activeOnly = false): Int32Array {
  const key =
    by === 'risk'
      ? (i: number) => scores.risk[i]
      : by === 'value'
        ? (i: number) => scores.value[i]
        : (i: number) => scores.risk[i] * scores.value[i];
  const rows: number[] = [];
  for (let i = 0; i < scores.ids.length; i++) {
    if (!activeOnly || scores.label[i] !== 1) rows.push(i);
  }
  return Int32Array.from(rows).sort(
    (a, b) => key(b) - key(a) || (scores.ids[a] < scores.ids[b] ? -1 : 1),
  );
}

export function scoreRow(scores: ChurnScores, groups: string[], i: number): ScoreRow {
  const driver = (k: number) => {
    const g = scores.drivers[i * 3 + k];
    return g >= 0 ? featureLabel(groups[g]) : null;
  };
  return {
    customer_id: scores.ids[i],
    risk: scores.risk[i],
    risk_decile: scores.decile[i],
    value: scores.value[i],
    risk_x_value: scores.risk[i] * scores.value[i],
    churned: scores.label[i] < 0 ? null : scores.label[i] === 1,
    driver_1: driver(0),
    driver_2: driver(1),
    driver_3: driver(2),
  };
}

export const SCORES_VIEW = 'churn_scores';
const SCORES_TABLE = '_retain_churn_scores';

/**
 * Write the scores as the view `churn_scores` (customer_id, risk, risk_decile, value,
 * risk_x_value, churned): SQL cells can join it to segment customers by risk.
 */
export async function saveScoresTable(engine: SqlEngine, scores: ChurnScores): Promise<void> {
  const n = scores.ids.length;
  // Built from buffers: Arrow's builders need `Function(...)`, which the page's CSP forbids.
  const table = new Table({
    customer_id: utf8Vector(scores.ids),
    risk: numberVector(Float64Array.from(scores.risk)),
    risk_decile: numberVector(Int32Array.from(scores.decile)),
    value: numberVector(Float64Array.from(scores.value)),
    risk_x_value: numberVector(
      Float64Array.from({ length: n }, (_, i) => scores.risk[i] * scores.value[i]),
    ),
    churned: numberVector(Int32Array.from(scores.label)),
  });
  await engine.exec(
    `DROP VIEW IF EXISTS ${ident(SCORES_VIEW)}; DROP TABLE IF EXISTS ${ident(SCORES_TABLE)}`,
  );
  await engine.insertArrow(SCORES_TABLE, tableToIPC(table, 'stream'), { create: true });
  await engine.exec(
    `CREATE OR REPLACE VIEW ${ident(SCORES_VIEW)} AS
     SELECT customer_id, risk, risk_decile, value, risk_x_value,
       CASE churned WHEN 1 THEN TRUE WHEN 0 THEN FALSE END AS churned
     FROM ${ident(SCORES_TABLE)}`,
  );
}
