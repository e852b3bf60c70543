import type { PlotOptions, ScaleOptions } from '@observablehq/plot';
import { formatTick } from '../format.ts';
import { themeColorScale, type ChartTheme, type ColorScaleLike } from './palette.ts';

/** Scale types whose ticks are plain numbers (log ticks keep Plot's own, sparser labels). */
const NUMERIC = new Set(['linear', 'sqrt', 'pow', 'symlog']);

/** What a first render told about the scales the options left open (Plot's `chart.scale(…)`). */
export interface ResolvedScales {
  color?: string | null;
  x?: string | null;
  y?: string | null;
}

/**
 * A chart specification in the theme's palette and the user's number format: the colour
 * scale through themeColorScale, and numeric x/y axes without a tickFormat of their own
 * labelled with formatTick (Plot's default is d3's US English format, "1,234.5", whatever
 * the locale). `resolved` carries the scale types Plot picked, from a first render.
 */
export function themePlotOptions(
  options: PlotOptions,
  theme: ChartTheme,
  resolved: ResolvedScales = {},
): PlotOptions {
  const out: PlotOptions = { ...options };
  const color = themeColorScale(
    options.color as ColorScaleLike | undefined,
    theme,
    (options.color as ColorScaleLike | undefined)?.type ?? resolved.color ?? undefined,
  );
  if (color) out.color = color as ScaleOptions;
  for (const axis of ['x', 'y'] as const) {
    const scale = options[axis] as ScaleOptions | undefined;
    const type = scale?.type ?? resolved[axis];
    if (scale?.tickFormat !== undefined || !type || !NUMERIC.has(type)) continue;
    out[axis] = { ...scale, tickFormat: formatTick };
  }
  return out;
}

/**
 * Whether a first render leaves something to adapt, so a second render is needed: a
 * colour scale whose type only Plot knew and that gets a palette, or a numeric axis
 * whose type only Plot knew and that gets locale ticks.
 */
export function needsSecondRender(options: PlotOptions, resolved: ResolvedScales): boolean {
  const color = options.color as ColorScaleLike | undefined;
  const open = (c: ColorScaleLike | undefined) => JSON.stringify(themeColorScale(c, 'light'));
  if (!color?.type && resolved.color) {
    const known = JSON.stringify(themeColorScale(color, 'light', resolved.color));
    if (known !== open(color)) return true;
  }
  return (['x', 'y'] as const).some((axis) => {
    const scale = options[axis] as ScaleOptions | undefined;
    const type = resolved[axis];
    return !scale?.type && scale?.tickFormat === undefined && !!type && NUMERIC.has(type);
  });
}
