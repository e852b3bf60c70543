/**
 * Plot specifications for the scenario forecast cell: customers and revenue per
 * period, one line per scenario. Built here so the cell stays a thin view.
 */
import type { PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import type { Scenario } from './forecast.ts';

/** A scenario's legend label: "current 4.2 %" or "what-if 3 %". */
export function scenarioLabel(s: Scenario): string {
  const rate = Math.round(s.churnRate * 1000) / 10;
  return `${s.kind === 'current' ? 'current' : 'what-if'} ${rate} %`;
}

/** One line per scenario of customers at the end of each period, or of revenue in it. */
export function forecastChart(
  scenarios: Scenario[],
  measure: 'customers' | 'revenue',
): PlotOptions {
  const data = scenarios.flatMap((s) =>
    s.periods.map((p) => ({
      scenario: scenarioLabel(s),
      current: s.kind === 'current',
      end: p.end,
      value: measure === 'customers' ? p.customersAtEnd : p.revenue,
    })),
  );
  const names = scenarios.map(scenarioLabel);
  return {
    height: 260,
    marginLeft: 64,
    x: { label: 'Period end', type: 'utc' },
    y: {
      label: measure === 'customers' ? 'Customers' : 'Revenue per period',
      grid: true,
      zero: true,
    },
    color: { legend: true, domain: names },
    marks: [
      // today's churn solid, what-if rates dashed
      Plot.line(
        data.filter((d) => d.current),
        { x: 'end', y: 'value', stroke: 'scenario', strokeWidth: 2 },
      ),
      Plot.line(
        data.filter((d) => !d.current),
        { x: 'end', y: 'value', stroke: 'scenario', strokeDasharray: '5 3' },
      ),
      Plot.dot(data, { x: 'end', y: 'value', fill: 'scenario', r: 2.5, tip: true }),
    ],
  };
}
