/**
 * The one chart palette of the app, with a light and a dark variant of each colour.
 *
 * Chart builders (src/lib/charts/*, src/lib/analyses/*-charts.ts, the analysis cells)
 * are pure and do not know the theme: they name the light colours below. PlotChart
 * then adapts a specification to the theme in force (themeColorScale, darkVariant), so
 * every chart redraws in the dark palette when the theme changes, and the standalone
 * reports (always printed on white) keep the light one.
 */

/** The two looks the app can be in (see src/state/theme.svelte.ts). */
export type ChartTheme = 'light' | 'dark';

/**
 * Brand teal, accent amber, then five quieter hues: the order series are coloured in.
 * Each light colour keeps at least 3:1 against white (WCAG 1.4.11 for graphics).
 */
export const CATEGORICAL: Record<ChartTheme, readonly string[]> = {
  light: ['#1f4e5f', '#b07810', '#7a3e9d', '#2e8540', '#b03a2e', '#3a6fb0', '#8a6d3b'],
  // Lighter, a little less saturated: each keeps at least 4.5:1 against the dark surface #1d2326.
  dark: ['#6fb3c8', '#f2c14e', '#c39be0', '#6cc08b', '#ff8a80', '#8cb8f0', '#d2b48c'],
};

/** The main series colour (brand) and the second one (accent), by name for readability. */
export const SERIES = CATEGORICAL.light[0];
export const SECOND = CATEGORICAL.light[1];
/** Faint context lines and partial periods, behind the main series. */
export const MUTED = '#9fb7bf';
/** "Other" and "(unknown)" groups: no hue, so they never read as a real group. */
export const NEUTRAL = '#8c8c8c';
/** Outcomes with a meaning of their own (journeys, NPS by outcome). */
export const CHURNED = '#a23b2a';
export const RETAINED = '#2f7d4f';

/**
 * Sequential ramp (shares, counts): light to dark teal on white; on a dark page the ramp
 * runs the other way (dark to bright), so "more" is always the colour that stands out.
 */
export const SEQUENTIAL: Record<ChartTheme, readonly [string, string]> = {
  light: ['#eef5f7', '#1f4e5f'],
  dark: ['#2b4651', '#9ddcec'],
};

/** Diverging ramp (differences around zero): red, a neutral middle, teal. */
export const DIVERGING: Record<ChartTheme, readonly [string, string, string]> = {
  light: ['#b03a2e', '#f4f1ea', '#1f4e5f'],
  dark: ['#ff8a80', '#2a3236', '#6fb3c8'],
};

/** A sequential colour scale in the light palette, for builders (PlotChart adapts it). */
export function sequentialScale(): { type: 'linear'; range: string[]; interpolate: 'lab' } {
  return { type: 'linear', range: [...SEQUENTIAL.light], interpolate: 'lab' };
}

/** Light colour → its dark counterpart, for colours a builder names directly. */
const DARK: ReadonlyMap<string, string> = new Map<string, string>([
  ...CATEGORICAL.light.map((c, i): [string, string] => [c, CATEGORICAL.dark[i]]),
  [MUTED, '#56727b'],
  [NEUTRAL, '#9aa3a7'],
  [CHURNED, '#ff8a80'],
  [RETAINED, '#6cc08b'],
  // Text on heatmap cells: the dark ramp runs the other way, so the label colours swap too.
  ['white', '#10181b'],
  ['#ffffff', '#10181b'],
  ['black', '#f0f4f5'],
  ['#000000', '#f0f4f5'],
  // The amber the charts used before this palette (2.9:1 on white), still named by some cells.
  ['#c98a12', CATEGORICAL.dark[1]],
]);

/** Colours from before this palette, in their light-theme replacement. */
const LEGACY: ReadonlyMap<string, string> = new Map([['#c98a12', CATEGORICAL.light[1]]]);

/**
 * The dark-theme counterpart of a colour a chart names, or undefined when the colour
 * is not one of the palette's (currentColor, none, a user's own colour stay as they are).
 */
export function darkVariant(color: string): string | undefined {
  return DARK.get(color.trim().toLowerCase());
}

/** A colour a chart names, in the theme's palette; undefined when it is not the palette's. */
export function themeColor(color: string, theme: ChartTheme): string | undefined {
  return theme === 'dark' ? darkVariant(color) : LEGACY.get(color.trim().toLowerCase());
}

/** The options of a Plot colour scale that PlotChart reads and rewrites. */
export interface ColorScaleLike {
  type?: string;
  scheme?: string;
  range?: readonly unknown[];
  interpolate?: unknown;
  [key: string]: unknown;
}

const CONTINUOUS = new Set(['linear', 'sqrt', 'pow', 'log', 'symlog', 'quantize', 'quantile']);

const same = (a: readonly unknown[] | undefined, b: readonly string[]) =>
  a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * A colour scale in the theme's palette. `resolvedType` is the type Plot chose when the
 * options leave it open (read from a first render); undefined when not known.
 *
 * - A range made of light palette colours becomes the same colours in the theme.
 * - No range and no scheme: categorical scales get CATEGORICAL, continuous ones the
 *   sequential ramp and diverging ones the diverging ramp, instead of Plot's defaults
 *   (tableau10, turbo, rdbu), which clash with the rest of the app.
 * - Plot's own "blues" (the old heatmap default) becomes the sequential ramp.
 * Other schemes a user picked are left as they are.
 */
export function themeColorScale(
  color: ColorScaleLike | undefined,
  theme: ChartTheme,
  resolvedType?: string,
): ColorScaleLike | undefined {
  if (!color && !resolvedType) return color;
  const c: ColorScaleLike = { ...color };
  const type = c.type ?? resolvedType;
  if (c.range) {
    if (same(c.range, SEQUENTIAL.light)) c.range = [...SEQUENTIAL[theme]];
    else if (same(c.range, DIVERGING.light)) c.range = [...DIVERGING[theme]];
    else c.range = c.range.map((x) => (typeof x === 'string' ? (themeColor(x, theme) ?? x) : x));
    return c;
  }
  if (c.interpolate !== undefined) return c;
  if (c.scheme !== undefined && c.scheme.toLowerCase() !== 'blues') return c;
  if (type === undefined) return c;
  if (type === 'diverging') {
    delete c.scheme;
    return { ...c, range: [...DIVERGING[theme]], interpolate: 'lab' };
  }
  if (CONTINUOUS.has(type) || c.scheme !== undefined) {
    delete c.scheme;
    return { ...c, range: [...SEQUENTIAL[theme]], interpolate: 'lab' };
  }
  if (type === 'ordinal' || type === 'categorical') return { ...c, range: [...CATEGORICAL[theme]] };
  return c;
}
