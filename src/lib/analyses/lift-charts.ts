/**
 * Plot specifications for the programme lift cell: retention and revenue per customer
 * of both groups per period, and the treatment − holdout difference with its 95 %
 * interval. Built here so the cell stays a thin view.
 */
import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import { SECOND, SERIES } from '../charts/palette.ts';
import type { LiftPeriodRow } from './lift.ts';

const GROUPS = { domain: ['treatment', 'holdout'], range: [SERIES, SECOND] };

/** Which measure a chart shows. */
export type LiftMeasure = 'retention' | 'revenuePerCustomer';

/** The period label, e.g. "month 3". */
export const periodLabel = (period: 'month' | 'quarter', k: number) => `${period} ${k}`;

/** One line per group over the periods since the start. */
export function liftGroupsChart(
  rows: LiftPeriodRow[],
  measure: LiftMeasure,
  period: 'month' | 'quarter',
): PlotOptions {
  const data = rows.flatMap((r) =>
    (['treatment', 'holdout'] as const).map((g) => ({
      period: r.period,
      group: g,
      value: measure === 'retention' ? r[g].retention : r[g].revenuePerCustomer,
      customers: r[g].customers,
    })),
  );
  return {
    height: 260,
    marginLeft: 56,
    x: {
      label: `${period[0].toUpperCase()}${period.slice(1)}s since the start`,
      ticks: rows.length,
      tickFormat: 'd',
    },
    y:
      measure === 'retention'
        ? { label: 'Retained', domain: [0, 1], tickFormat: '.0%', grid: true }
        : { label: 'Revenue per customer', grid: true, zero: true },
    color: { legend: true, ...GROUPS },
    marks: [
      Plot.line(data, { x: 'period', y: 'value', stroke: 'group' }),
      Plot.dot(data, { x: 'period', y: 'value', fill: 'group', r: 3, tip: true }),
    ],
  };
}

/** The difference treatment − holdout per period, with the 95 % interval as a bar. */
export function liftDifferenceChart(
  rows: LiftPeriodRow[],
  measure: LiftMeasure,
  period: 'month' | 'quarter',
): PlotOptions {
  const data = rows.map((r) => {
    const d = measure === 'retention' ? r.retention : r.revenuePerCustomer;
    return { period: r.period, estimate: d.estimate, lower: d.lower, upper: d.upper };
  });
  const withInterval = data.filter((d) => d.lower !== null && d.upper !== null);
  return {
    height: 220,
    marginLeft: 56,
    x: {
      label: `${period[0].toUpperCase()}${period.slice(1)}s since the start`,
      ticks: rows.length,
      tickFormat: 'd',
    },
    y:
      measure === 'retention'
        ? { label: 'Treatment − holdout (points)', tickFormat: '+.0%', grid: true }
        : { label: 'Treatment − holdout', grid: true },
    marks: [
      Plot.ruleY([0], { stroke: 'currentColor', strokeOpacity: 0.6 }),
      Plot.ruleX(withInterval, {
        x: 'period',
        y1: 'lower',
        y2: 'upper',
        stroke: SERIES,
        strokeWidth: 3,
        strokeOpacity: 0.5,
      }),
      Plot.dot(data, { x: 'period', y: 'estimate', fill: SERIES, r: 4, tip: true }),
    ],
  };
}
