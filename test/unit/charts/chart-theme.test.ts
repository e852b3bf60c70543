import type { PlotOptions } from '@observablehq/plot';
import { describe, expect, it } from 'vitest';
import { needsSecondRender, themePlotOptions } from '../../../src/lib/charts/chart-theme.ts';
import { formatTick } from '../../../src/lib/format.ts';

describe('themePlotOptions', () => {
  it('labels numeric axes in the locale, but keeps a tick format of the chart’s own', () => {
    const own = (d: number) => `${d}!`;
    const out = themePlotOptions({ x: { type: 'band' }, y: { tickFormat: own } }, 'light', {
      x: 'band',
      y: 'linear',
    });
    expect((out.x as { tickFormat?: unknown }).tickFormat).toBeUndefined();
    expect((out.y as { tickFormat?: unknown }).tickFormat).toBe(own);
    const open = themePlotOptions({}, 'light', { y: 'linear', x: 'utc' });
    expect((open.y as { tickFormat?: unknown }).tickFormat).toBe(formatTick);
    expect(open.x).toBeUndefined();
  });

  it('colours the scale in the theme', () => {
    const out = themePlotOptions({ color: { range: ['#1f4e5f'] } }, 'dark');
    expect((out.color as { range: string[] }).range).toEqual(['#6fb3c8']);
  });
});

describe('needsSecondRender', () => {
  it('is needed only when Plot chose a type the options left open', () => {
    const spec: PlotOptions = { y: { grid: true }, color: { legend: true } };
    expect(needsSecondRender(spec, { y: 'linear' })).toBe(true);
    expect(needsSecondRender(spec, { color: 'ordinal' })).toBe(true);
    expect(needsSecondRender(spec, { y: 'band', x: 'utc', color: null })).toBe(false);
    expect(needsSecondRender({ y: { tickFormat: '.0%' } }, { y: 'linear' })).toBe(false);
    expect(needsSecondRender({ color: { scheme: 'viridis' } }, { color: 'linear' })).toBe(false);
  });
});

describe('formatTick', () => {
  // Expected strings written from Intl's documented grouping for each locale, computed here
  // with the same locale so the test holds under any default locale the runner has.
  it('groups thousands in the user’s locale', () => {
    const en = new Intl.NumberFormat(undefined).resolvedOptions().locale.startsWith('en');
    if (en) expect(formatTick(1234.5)).toBe('1,234.5');
    expect(formatTick(1234.5)).toBe(
      new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(1234.5),
    );
    expect(formatTick('2024-01')).toBe('2024-01');
  });
});
