import * as Plot from '@observablehq/plot';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { cohortHeatmap, type CohortCellLike } from '../../../src/lib/charts/cohort-charts.ts';

const cell = (period: number, retention: number): CohortCellLike => ({
  cohort: new Date(Date.UTC(2011, 0, 1)),
  slice: null,
  period,
  active: 0,
  retention,
  retentionOrLater: retention,
  revenueRetention: null,
  cumulativeRevenuePerCustomer: 0,
  partial: false,
});

/** The heatmap drawn in jsdom (the legend needs a canvas, so it is left out). */
function draw(cells: CohortCellLike[]) {
  const options = cohortHeatmap(cells, 'month', 'retention');
  const document = new JSDOM('').window.document;
  return Plot.plot({
    ...options,
    color: { ...(options.color as object), legend: false },
    document,
  }) as unknown as SVGSVGElement;
}

describe('cohortHeatmap', () => {
  it('maps a share of 0 and of 1 to the two ends of the ramp (shares are not taken as percents twice)', () => {
    const svg = draw([cell(0, 1), cell(1, 0.5), cell(2, 0)]);
    const fills = [...svg.querySelectorAll('rect')].map((r) => r.getAttribute('fill'));
    // The light ramp runs #eef5f7 → #1f4e5f (palette.ts SEQUENTIAL.light): 100 % is its
    // dark end, rgb(31, 78, 95), and 0 % its light end, rgb(238, 245, 247).
    expect(fills[0]).toBe('rgb(31, 78, 95)');
    expect(fills[2]).toBe('rgb(238, 245, 247)');
    // Half way is neither end: before the fix every share above 1 % drew the dark end or black.
    expect(fills[1]).not.toBe(fills[0]);
    expect(fills[1]).not.toBe('rgb(0, 0, 0)');
  });

  it('labels each cell in the text colour on a halo of the chart background', () => {
    const svg = draw([cell(0, 1), cell(1, 0.37)]);
    const labels = [...svg.querySelectorAll('text')].filter((t) => /%$/.test(t.textContent ?? ''));
    expect(labels.map((t) => t.textContent)).toEqual(['100%', '37%']);
    const group = labels[0].parentElement!;
    // Plot leaves out fill when it is its default for text, currentColor.
    expect([null, 'currentColor']).toContain(group.getAttribute('fill'));
    expect(group.getAttribute('stroke')).toBe('var(--plot-background)');
    expect(Number(group.getAttribute('stroke-width'))).toBeGreaterThanOrEqual(2);
  });
});
