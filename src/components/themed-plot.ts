import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { needsSecondRender, themePlotOptions } from '../lib/charts/chart-theme.ts';
import { themeColor, type ChartTheme } from '../lib/charts/palette.ts';

/**
 * Draws a chart in the theme's palette with locale ticks (themePlotOptions). Scale types
 * Plot infers are only known after a render, so that case draws twice. Colours a builder
 * names directly (a constant fill or stroke) are then swapped for the theme's.
 * Used by PlotChart and the notebook's chart cells, so every chart looks the same.
 */
export function themedPlot(options: PlotOptions, look: ChartTheme): ReturnType<typeof Plot.plot> {
  const render = (spec: PlotOptions) =>
    Plot.plot({ ...spec, style: { background: 'transparent', color: 'currentColor' } });
  let chart = render(themePlotOptions(options, look));
  const resolved = {
    color: chart.scale('color')?.type,
    x: chart.scale('x')?.type,
    y: chart.scale('y')?.type,
  };
  if (needsSecondRender(options, resolved))
    chart = render(themePlotOptions(options, look, resolved));
  recolour(chart, look);
  return chart;
}

function recolour(root: Element, look: ChartTheme) {
  for (const el of root.querySelectorAll('[fill], [stroke]')) {
    for (const attr of ['fill', 'stroke']) {
      const value = el.getAttribute(attr);
      const next = value && themeColor(value, look);
      // White/black swap only on text (heatmap labels); a white stroke elsewhere is a halo.
      if (next && (el.tagName === 'text' || !/^(white|black|#ffffff|#000000)$/i.test(value)))
        el.setAttribute(attr, next);
    }
  }
}
