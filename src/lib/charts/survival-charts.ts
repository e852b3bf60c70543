import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import { CATEGORICAL, NEUTRAL } from './palette.ts';

/** The parts of a survival group the chart draws (see analyses/survival.ts). */
export interface SurvivalCurveLike {
  group: string;
  points: { time: number; survival: number; lower: number; upper: number; atRisk: number }[];
}

/** Colours for the curves ("Other" and "(unknown)" are drawn grey). */
const PALETTE = CATEGORICAL.light;

/**
 * Kaplan–Meier step curves, one per group, each with its 95 % band shaded. The
 * estimate is a right-continuous step function, so lines and bands use Plot's
 * "step-after" curve: Ŝ holds its value until the next churn time. A dashed rule at
 * 0.5 shows where each curve's median is read.
 */
export function survivalCurves(groups: SurvivalCurveLike[], unit: string): PlotOptions {
  const rows = groups.flatMap((g) => g.points.map((p) => ({ group: g.group, ...p })));
  const names = groups.map((g) => g.group);
  let k = 0;
  const range = names.map((n) =>
    n === 'Other' || n === '(unknown)' ? NEUTRAL : PALETTE[k++ % PALETTE.length],
  );
  return {
    height: 340,
    marginLeft: 50,
    x: {
      type: 'linear',
      label: `${unit[0].toUpperCase()}${unit.slice(1)}s since the start`,
      grid: true,
    },
    // Ŝ is a share 0…1; the ticks read as percentages (Plot's `percent` would rescale the data).
    y: { label: 'Still a customer', domain: [0, 1], tickFormat: '.0%', grid: true },
    color: { legend: names.length > 1, domain: names, range },
    marks: [
      Plot.areaY(rows, {
        x: 'time',
        y1: 'lower',
        y2: 'upper',
        fill: 'group',
        fillOpacity: 0.15,
        curve: 'step-after',
      }),
      Plot.line(rows, { x: 'time', y: 'survival', stroke: 'group', curve: 'step-after' }),
      Plot.ruleY([0.5], { strokeDasharray: '4 3', stroke: 'currentColor', strokeOpacity: 0.5 }),
      Plot.tip(
        rows,
        Plot.pointerX({
          x: 'time',
          y: 'survival',
          stroke: 'group',
          title: (d: {
            group: string;
            time: number;
            survival: number;
            lower: number;
            upper: number;
            atRisk: number;
          }) =>
            `${d.group}\n${unit} ${Math.round(d.time * 10) / 10}: ${(d.survival * 100).toFixed(1)} % ` +
            `(${(d.lower * 100).toFixed(1)}–${(d.upper * 100).toFixed(1)} %), ${d.atRisk} at risk`,
        }),
      ),
    ],
  };
}
