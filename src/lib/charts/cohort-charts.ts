import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import { MUTED, SECOND, SERIES, sequentialScale } from './palette.ts';

/** The parts of a cohort result the charts draw (see analyses/cohorts.ts). */
export interface CohortCellLike {
  cohort: Date;
  slice: string | null;
  period: number;
  active: number;
  retention: number;
  retentionOrLater: number;
  revenueRetention: number | null;
  cumulativeRevenuePerCustomer: number;
  partial: boolean;
}

export interface CohortAverageLike {
  slice: string | null;
  period: number;
  retention: number;
  retentionOrLater: number;
  revenueRetention: number | null;
  ltv: number;
  partial: boolean;
}

export type CohortMeasure = 'retention' | 'retentionOrLater' | 'revenueRetention';

const label = (grain: string) => (d: Date) =>
  grain === 'quarter'
    ? `${d.getUTCFullYear()} Q${Math.floor(d.getUTCMonth() / 3) + 1}`
    : grain === 'week'
      ? d.toISOString().slice(0, 10)
      : d.toISOString().slice(0, 7);

/**
 * The cohort heatmap: one row per cohort, one column per period since the first
 * purchase, shaded by the share retained and labelled with the percentage and the
 * count. Partial periods are outlined, not filled, so they never read as a drop.
 */
export function cohortHeatmap(
  cells: CohortCellLike[],
  grain: string,
  measure: CohortMeasure,
): PlotOptions {
  const full = cells.filter((c) => !c.partial && c[measure] !== null);
  const partial = cells.filter((c) => c.partial);
  const sliced = cells.some((c) => c.slice !== null);
  return {
    marginLeft: 80,
    ...(sliced ? { fy: { label: null } } : {}),
    height: Math.max(160, new Set(cells.map((c) => +c.cohort)).size * 24 + 60),
    padding: 0.05,
    x: {
      type: 'band',
      label: `${grain === 'week' ? 'Weeks' : grain === 'quarter' ? 'Quarters' : 'Months'} since first purchase`,
      axis: 'top',
    },
    y: { type: 'band', tickFormat: label(grain), label: null },
    color: {
      ...sequentialScale(),
      // With percent, the domain is in percent: [0, 1] put every share above 1 % past the
      // ramp's end (black cells under black labels).
      domain: [0, 100],
      legend: true,
      label: 'Share of the cohort',
      percent: true,
    },
    marks: [
      Plot.cell(full, {
        x: 'period',
        y: 'cohort',
        fy: sliced ? 'slice' : undefined,
        fill: measure,
        tip: true,
      }),
      Plot.cell(partial, {
        x: 'period',
        y: 'cohort',
        fy: sliced ? 'slice' : undefined,
        fill: 'none',
        stroke: 'currentColor',
        strokeDasharray: '3,2',
      }),
      Plot.text(full, {
        x: 'period',
        y: 'cohort',
        fy: sliced ? 'slice' : undefined,
        text: (d: CohortCellLike) => `${Math.round((d[measure] ?? 0) * 100)}%`,
        // Text colour with a halo of the page's background: legible on every cell of the ramp
        // in both themes (no single black/white switch point reaches 4.5:1 on the dark ramp).
        fill: 'currentColor',
        stroke: 'var(--plot-background)',
        strokeWidth: 3,
        fontSize: 9,
      }),
    ],
  };
}

/** Retention curves: one faint line per cohort and the size-weighted average in bold. */
export function retentionCurves(
  cells: CohortCellLike[],
  average: CohortAverageLike[],
  measure: CohortMeasure,
  grain: string,
): PlotOptions {
  const full = cells.filter((c) => !c.partial && c.period > 0 && c[measure] !== null);
  const avg = average.filter((a) => !a.partial && a[measure] !== null);
  const key = measure;
  return {
    height: 260,
    marginLeft: 50,
    x: { type: 'linear', label: `${grain}s since first purchase`, grid: true },
    y: { type: 'linear', label: 'Retained', percent: true, grid: true, domain: [0, 1] },
    color: { legend: average.some((a) => a.slice !== null) },
    marks: [
      Plot.line(full, {
        x: 'period',
        y: measure,
        z: (d: CohortCellLike) => `${+d.cohort}|${d.slice}`,
        stroke: MUTED,
        strokeOpacity: 0.6,
      }),
      Plot.line(avg, {
        x: 'period',
        y: key,
        z: 'slice',
        stroke: avg.some((a) => a.slice !== null) ? 'slice' : SERIES,
        strokeWidth: 3,
        marker: 'circle',
        tip: true,
      }),
    ],
  };
}

/** Cumulative revenue per customer (the LTV curve) of each cohort, with the average. */
export function ltvCurves(
  cells: CohortCellLike[],
  average: CohortAverageLike[],
  grain: string,
  currency: string,
): PlotOptions {
  const full = cells.filter((c) => !c.partial);
  return {
    height: 260,
    marginLeft: 60,
    x: { type: 'linear', label: `${grain}s since first purchase`, grid: true },
    y: { type: 'linear', label: `Cumulative revenue per customer (${currency})`, grid: true },
    marks: [
      Plot.line(full, {
        x: 'period',
        y: 'cumulativeRevenuePerCustomer',
        z: (d: CohortCellLike) => `${+d.cohort}|${d.slice}`,
        stroke: MUTED,
        strokeOpacity: 0.6,
      }),
      Plot.line(
        average.filter((a) => !a.partial),
        {
          x: 'period',
          y: 'ltv',
          z: 'slice',
          stroke: average.some((a) => a.slice !== null) ? 'slice' : SECOND,
          strokeWidth: 3,
          marker: 'circle',
          tip: true,
        },
      ),
    ],
  };
}
