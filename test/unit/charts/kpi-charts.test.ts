import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import type { PeriodKpis } from '../../../src/lib/analyses/kpis.ts';
import { needsSecondRender } from '../../../src/lib/charts/chart-theme.ts';
import {
  cohortHeatmap,
  ltvCurves,
  retentionCurves,
  type CohortAverageLike,
  type CohortCellLike,
} from '../../../src/lib/charts/cohort-charts.ts';
import {
  activeChart,
  ratesChart,
  revenueChart,
  tickPeriods,
} from '../../../src/lib/charts/kpi-charts.ts';

const months = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => ({ start: new Date(Date.UTC(2010, 11 + i, 1)) }) as PeriodKpis,
  );

describe('tickPeriods', () => {
  it('labels every period up to eight', () => {
    expect(tickPeriods(months(8))).toHaveLength(8);
  });

  it('labels every second of 13 months (Dec 2010 – Dec 2011): 7 labels from the first', () => {
    // ceil(13 / 8) = 2, so periods 0, 2, …, 12: Dec 2010, Feb, Apr, Jun, Aug, Oct, Dec 2011.
    const ticks = tickPeriods(months(13)).map((d) => d.toISOString().slice(0, 7));
    expect(ticks).toEqual([
      '2010-12',
      '2011-02',
      '2011-04',
      '2011-06',
      '2011-08',
      '2011-10',
      '2011-12',
    ]);
  });
});

describe('the built-in charts draw once', () => {
  // themedPlot draws a second time when Plot had to pick a scale type the theme depends
  // on (a numeric axis without a type gets locale ticks only then). The overview's charts
  // name their types, so each is drawn once: checked with the types Plot picks itself.
  const document = new JSDOM('').window.document;
  const resolved = (options: PlotOptions) => {
    const chart = Plot.plot({
      ...options,
      color: { ...(options.color as object), legend: false },
      document,
    });
    return {
      color: chart.scale('color')?.type,
      x: chart.scale('x')?.type,
      y: chart.scale('y')?.type,
    };
  };
  const rows = months(6).map(
    (r, i) =>
      ({
        ...r,
        partial: i === 5,
        revenue: 100 * (i + 1),
        churnRate: 10 + i,
        retentionRate: 80 - i,
        activeCustomers: 20 + i,
        newCustomers: 5,
      }) as PeriodKpis,
  );
  const cells: CohortCellLike[] = [0, 1, 2].map((period) => ({
    cohort: new Date(Date.UTC(2011, 0, 1)),
    slice: null,
    period,
    active: 10 - period,
    retention: 1 - period / 10,
    retentionOrLater: 1 - period / 10,
    revenueRetention: null,
    cumulativeRevenuePerCustomer: 10 * (period + 1),
    partial: false,
  }));
  const average: CohortAverageLike[] = cells.map((c) => ({
    ...c,
    ltv: c.cumulativeRevenuePerCustomer,
  }));
  const charts: [string, PlotOptions][] = [
    ['revenue', revenueChart(rows, 'month', 'GBP')],
    ['rates', ratesChart(rows, 'month')],
    ['active', activeChart(rows, 'month')],
    ['cohort heatmap', cohortHeatmap(cells, 'month', 'retention')],
    ['retention curves', retentionCurves(cells, average, 'retention', 'month')],
    ['LTV curves', ltvCurves(cells, average, 'month', 'GBP')],
  ];
  it.each(charts)('%s', (_name, options) => {
    const types = resolved(options);
    expect(types.x ?? types.y).toBeTruthy();
    expect(needsSecondRender(options, types)).toBe(false);
  });
});
