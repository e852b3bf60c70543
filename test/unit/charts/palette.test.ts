import { describe, expect, it } from 'vitest';
import {
  CATEGORICAL,
  darkVariant,
  DIVERGING,
  SEQUENTIAL,
  sequentialScale,
  themeColor,
  themeColorScale,
} from '../../../src/lib/charts/palette.ts';

/** WCAG relative luminance and contrast ratio, from the WCAG 2.1 definition. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};

describe('chart palette', () => {
  it('has a dark counterpart for every categorical colour', () => {
    expect(CATEGORICAL.dark).toHaveLength(CATEGORICAL.light.length);
    CATEGORICAL.light.forEach((c, i) => expect(darkVariant(c)).toBe(CATEGORICAL.dark[i]));
    expect(darkVariant('#1F4E5F')).toBe('#6fb3c8');
  });

  it('leaves colours that are not its own alone', () => {
    expect(darkVariant('currentColor')).toBeUndefined();
    expect(darkVariant('none')).toBeUndefined();
    expect(darkVariant('#123456')).toBeUndefined();
    expect(themeColor('#123456', 'light')).toBeUndefined();
  });

  it('moves the old amber (2.9:1 on white) to the palette one in both themes', () => {
    expect(themeColor('#c98a12', 'light')).toBe(CATEGORICAL.light[1]);
    expect(themeColor('#c98a12', 'dark')).toBe(CATEGORICAL.dark[1]);
  });

  // WCAG 1.4.11 asks 3:1 for graphics; the light series on the light surface #ffffff and
  // the dark series on the dark surface #1d2326 (app.css) both clear it.
  it('keeps every series colour at 3:1 against its surface', () => {
    for (const c of CATEGORICAL.light) expect(contrast(c, '#ffffff')).toBeGreaterThanOrEqual(3);
    for (const c of CATEGORICAL.dark) expect(contrast(c, '#1d2326')).toBeGreaterThanOrEqual(3);
  });

  it('runs the dark sequential ramp from dark to bright, the light one from bright to dark', () => {
    expect(luminance(SEQUENTIAL.light[0])).toBeGreaterThan(luminance(SEQUENTIAL.light[1]));
    expect(luminance(SEQUENTIAL.dark[0])).toBeLessThan(luminance(SEQUENTIAL.dark[1]));
    // Both ends of the dark ramp stand apart from the dark surface.
    expect(contrast(SEQUENTIAL.dark[1], '#1d2326')).toBeGreaterThanOrEqual(7);
  });
});

describe('themeColorScale', () => {
  it('swaps a range of light palette colours for the dark ones', () => {
    const scale = { legend: true, domain: ['a', 'b'], range: ['#1f4e5f', '#c98a12'] };
    expect(themeColorScale(scale, 'dark')).toEqual({
      legend: true,
      domain: ['a', 'b'],
      range: ['#6fb3c8', '#f2c14e'],
    });
    expect(themeColorScale(scale, 'light')).toEqual({ ...scale, range: ['#1f4e5f', '#b07810'] });
  });

  it('swaps the sequential and diverging ramps as a whole', () => {
    expect(themeColorScale(sequentialScale(), 'dark')?.range).toEqual([...SEQUENTIAL.dark]);
    expect(themeColorScale({ range: [...DIVERGING.light] }, 'dark')?.range).toEqual([
      ...DIVERGING.dark,
    ]);
  });

  it("replaces Plot's defaults once the scale type is known", () => {
    expect(themeColorScale({ legend: true }, 'dark', 'ordinal')?.range).toEqual([
      ...CATEGORICAL.dark,
    ]);
    expect(themeColorScale(undefined, 'light', 'linear')).toEqual({
      range: [...SEQUENTIAL.light],
      interpolate: 'lab',
    });
    expect(themeColorScale({ scheme: 'blues', domain: [0, 1] }, 'dark', 'linear')).toEqual({
      domain: [0, 1],
      range: [...SEQUENTIAL.dark],
      interpolate: 'lab',
    });
    expect(themeColorScale(undefined, 'dark', 'diverging')?.range).toEqual([...DIVERGING.dark]);
  });

  it('keeps a scheme someone chose, and a scale with no known type', () => {
    expect(themeColorScale({ scheme: 'viridis' }, 'dark', 'linear')).toEqual({ scheme: 'viridis' });
    expect(themeColorScale({ legend: true }, 'dark')).toEqual({ legend: true });
    expect(themeColorScale(undefined, 'dark')).toBeUndefined();
  });
});
