import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import { MUTED, SECOND, SERIES } from './palette.ts';
import type { PeriodKpis } from '../analyses/kpis.ts';

/**
 * Chart specifications for the KPI overview: (rows, options) → Plot options, no
 * DOM. Periods are bands of Date values (Plot formats them), and a partial last
 * or first period is drawn hollow, so an incomplete month never reads as a drop.
 */

export interface ChartText {
  title: string;
  /** A sentence describing the chart, for screen readers and the data table. */
  description: string;
}

const tick = (period: 'month' | 'quarter' | 'year') => (d: Date) =>
  period === 'year'
    ? String(d.getUTCFullYear())
    : period === 'quarter'
      ? `Q${Math.floor(d.getUTCMonth() / 3) + 1} ${d.getUTCFullYear()}`
      : d.toISOString().slice(0, 7);

/**
 * The periods that get a tick label: all of them up to 8, else every k-th, so 13 months
 * of "2011-01" labels do not run into each other in a half-width chart.
 */
export function tickPeriods(rows: PeriodKpis[], most = 8): Date[] {
  const step = Math.ceil(rows.length / most);
  return rows.filter((_, i) => i % step === 0).map((d) => d.start);
}

export function revenueChart(
  rows: PeriodKpis[],
  period: 'month' | 'quarter' | 'year',
  currency: string,
): PlotOptions {
  return {
    height: 240,
    marginLeft: 70,
    x: { type: 'band', tickFormat: tick(period), ticks: tickPeriods(rows), label: null },
    y: { type: 'linear', grid: true, label: `Revenue (${currency})` },
    marks: [
      Plot.barY(rows, {
        x: 'start',
        y: 'revenue',
        fill: (d: PeriodKpis) => (d.partial ? 'none' : SERIES),
        stroke: SERIES,
        title: (d: PeriodKpis) =>
          `${tick(period)(d.start)}${d.partial ? ' (partial)' : ''}: ${d.revenue.toFixed(2)}`,
      }),
      Plot.ruleY([0]),
    ],
  };
}

export function ratesChart(rows: PeriodKpis[], period: 'month' | 'quarter' | 'year'): PlotOptions {
  const long = rows
    .flatMap((d) => [
      { start: d.start, rate: d.churnRate, kind: 'Churn rate', partial: d.partial },
      { start: d.start, rate: d.retentionRate, kind: 'Retention rate', partial: d.partial },
    ])
    .filter((d) => d.rate !== null);
  return {
    height: 240,
    marginLeft: 50,
    x: { type: 'band', tickFormat: tick(period), ticks: tickPeriods(rows), label: null },
    y: { type: 'linear', grid: true, label: 'Rate (%)', domain: [0, 100] },
    color: {
      legend: true,
      domain: ['Retention rate', 'Churn rate'],
      range: [SERIES, SECOND],
    },
    marks: [
      Plot.line(
        long.filter((d) => !d.partial),
        { x: 'start', y: 'rate', stroke: 'kind', marker: 'circle' },
      ),
      Plot.dot(
        long.filter((d) => d.partial),
        {
          x: 'start',
          y: 'rate',
          stroke: 'kind',
          fill: 'none',
          r: 4,
          title: () => 'partial period',
        },
      ),
    ],
  };
}

export function activeChart(rows: PeriodKpis[], period: 'month' | 'quarter' | 'year'): PlotOptions {
  return {
    height: 220,
    marginLeft: 60,
    x: { type: 'band', tickFormat: tick(period), ticks: tickPeriods(rows), label: null },
    y: { type: 'linear', grid: true, label: 'Customers' },
    color: {
      legend: true,
      domain: ['Active in the period', 'New in the period'],
      range: [SERIES, SECOND],
    },
    marks: [
      Plot.barY(rows, {
        x: 'start',
        y: 'activeCustomers',
        fill: (d: PeriodKpis) => (d.partial ? MUTED : SERIES),
      }),
      Plot.line(rows, {
        x: 'start',
        y: 'newCustomers',
        stroke: () => 'New in the period',
        marker: 'dot',
      }),
      Plot.ruleY([0]),
    ],
  };
}
