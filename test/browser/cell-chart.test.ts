import * as Plot from '@observablehq/plot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chartSpec, defaultChart, type ChartColumn } from '../../src/lib/charts/cell-chart.ts';
import type { Cell } from '../../src/lib/engine/rows.ts';
import type { ChartCell } from '../../src/lib/notebook/types.ts';

/** Structural checks on charts rendered by Plot in Chromium: marks counted, scales read back. */

type Row = Record<string, Cell>;
const cell = (fields: Partial<ChartCell>): ChartCell => ({
  id: 'c1',
  kind: 'chart',
  source: 'result',
  mark: 'bar',
  ...fields,
});

function render(c: Partial<ChartCell>, columns: ChartColumn[], rows: Row[]) {
  const el = Plot.plot(chartSpec(cell(c), columns, rows));
  document.body.append(el);
  const marks = (label: string, shape: string) =>
    el.querySelectorAll(`g[aria-label="${label}"] ${shape}`).length;
  return { el, marks };
}

const day = (d: number) => new Date(Date.UTC(2024, 0, d));
const SALES: ChartColumn[] = [
  { name: 'region', type: 'VARCHAR' },
  { name: 'revenue', type: 'DOUBLE' },
];
const DAILY: ChartColumn[] = [
  { name: 'day', type: 'DATE' },
  { name: 'orders', type: 'BIGINT' },
  { name: 'channel', type: 'VARCHAR' },
];
const daily: Row[] = [3, 1, 5, 2, 4].flatMap((d) => [
  { day: day(d), orders: d * 10, channel: 'web' },
  { day: day(d), orders: d, channel: 'shop' },
]);

afterEach(() => document.body.replaceChildren());

describe('chartSpec renders each mark', () => {
  it('bar: one rect per row, numeric strings read as numbers, sorted by y descending', () => {
    const rows = [
      { region: 'a', revenue: '10' },
      { region: 'b', revenue: '30.5' },
      { region: 'c', revenue: 20 },
    ];
    const { el, marks } = render({ mark: 'bar', x: 'region', y: 'revenue' }, SALES, rows);
    expect(marks('bar', 'rect')).toBe(3);
    expect(el.scale('y')?.type).toBe('linear');
    expect(el.scale('y')?.domain).toEqual([0, 30.5]);
    expect(el.scale('x')?.domain).toEqual(['b', 'c', 'a']);
  });

  it('bar: keeps the 50 largest categories and says so', () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ region: `r${i}`, revenue: i }));
    const { el, marks } = render({ mark: 'bar', x: 'region', y: 'revenue' }, SALES, rows);
    expect(marks('bar', 'rect')).toBe(50);
    expect([...(el.scale('x')?.domain ?? [])][0]).toBe('r59');
    expect(el.scale('x')?.domain).not.toContain('r9');
    expect(el.querySelector('figcaption')?.textContent).toMatch(/50 largest of 60/);
  });

  it('bar: horizontal when x is numeric and y is text', () => {
    const rows = [
      { region: 'a', revenue: 1 },
      { region: 'b', revenue: 2 },
    ];
    const { el, marks } = render({ mark: 'bar', x: 'revenue', y: 'region' }, SALES, rows);
    expect(marks('bar', 'rect')).toBe(2);
    expect(el.scale('y')?.type).toBe('band');
    expect(el.scale('x')?.type).toBe('linear');
  });

  it('bar: dates on a band axis stay Dates, with readable ticks and no warning', () => {
    const warn = vi.spyOn(console, 'warn');
    const web = daily.filter((d) => d.channel === 'web');
    const { el, marks } = render({ mark: 'bar', x: 'day', y: 'orders' }, DAILY, web);
    expect(marks('bar', 'rect')).toBe(5);
    expect([...(el.scale('x')?.domain ?? [])][0]).toEqual(day(1));
    const ticks = [...el.querySelectorAll('g[aria-label="x-axis tick label"] text')];
    expect(ticks).toHaveLength(5);
    for (const t of ticks) expect(t.textContent).not.toMatch(/GMT|T00:00|^\d{10,}$/);
    expect(warn).not.toHaveBeenCalled();
  });

  it('line: one path per colour series, over a UTC time axis, in x order', () => {
    const warn = vi.spyOn(console, 'warn');
    const one = render(
      { mark: 'line', x: 'day', y: 'orders' },
      DAILY,
      daily.filter((d) => d.channel === 'web'),
    );
    expect(one.marks('line', 'path')).toBe(1);
    expect(one.el.scale('x')?.type).toBe('utc');
    const xs = [
      ...one.el
        .querySelector('g[aria-label="line"] path')!
        .getAttribute('d')!
        .matchAll(/[ML]([\d.]+),/g),
    ].map((m) => Number(m[1]));
    expect(xs).toHaveLength(5);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    const two = render({ mark: 'line', x: 'day', y: 'orders', color: 'channel' }, DAILY, daily);
    expect(two.marks('line', 'path')).toBe(2);
    expect(two.el.querySelector('[class*="-swatches"]')).not.toBeNull();
    expect(warn).not.toHaveBeenCalled();
  });

  it('line: dates arriving as strings become Dates (no Plot warning)', () => {
    const warn = vi.spyOn(console, 'warn');
    const rows = [
      { day: '2024-01-02', orders: '3' },
      { day: '2024-01-01', orders: '5' },
    ];
    const { el, marks } = render({ mark: 'line', x: 'day', y: 'orders' }, DAILY, rows);
    expect(marks('line', 'path')).toBe(1);
    expect(el.scale('x')?.type).toBe('utc');
    expect(el.scale('x')?.domain).toEqual([day(1), day(2)]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('area: one path, or one per colour series', () => {
    const web = daily.filter((d) => d.channel === 'web');
    expect(render({ mark: 'area', x: 'day', y: 'orders' }, DAILY, web).marks('area', 'path')).toBe(
      1,
    );
    expect(
      render({ mark: 'area', x: 'day', y: 'orders', color: 'channel' }, DAILY, daily).marks(
        'area',
        'path',
      ),
    ).toBe(2);
  });

  it('dot: one circle per row', () => {
    const { marks } = render(
      { mark: 'dot', x: 'day', y: 'orders', color: 'channel' },
      DAILY,
      daily,
    );
    expect(marks('dot', 'circle')).toBe(10);
  });

  it('heatmap: one cell per (x, y), filled by the numeric column', () => {
    const columns = [...SALES, { name: 'plan', type: 'VARCHAR' }];
    const rows = ['a', 'b'].flatMap((region, i) =>
      ['free', 'pro', 'team'].map((plan, j) => ({ region, plan, revenue: i * 3 + j })),
    );
    const { el, marks } = render(
      { mark: 'heatmap', x: 'region', y: 'plan', color: 'revenue' },
      columns,
      rows,
    );
    expect(marks('cell', 'rect')).toBe(6);
    expect(el.scale('color')?.domain).toEqual([0, 5]);
    expect(el.querySelector('[class$="-ramp"]')).not.toBeNull();
  });

  it('histogram: binned counts on y', () => {
    const rows = [...Array.from({ length: 10 }, () => ({ revenue: 5 })), { revenue: 100 }];
    const { el, marks } = render({ mark: 'histogram', x: 'revenue' }, SALES, rows);
    expect(marks('rect', 'rect')).toBe(2);
    expect(el.scale('y')?.domain).toEqual([0, 10]);
  });

  it('facet: one panel per value on fy', () => {
    const { el, marks } = render(
      { mark: 'dot', x: 'day', y: 'orders', facet: 'channel' },
      DAILY,
      daily,
    );
    expect(el.scale('fy')?.domain).toEqual(['shop', 'web']);
    expect(marks('dot', 'circle')).toBe(10);
  });
});

describe('defaultChart', () => {
  it('time and number → a line over time', () => {
    expect(defaultChart(DAILY.slice(0, 2))).toEqual({
      mark: 'line',
      x: 'day',
      y: 'orders',
      color: undefined,
    });
    expect(
      defaultChart([
        { name: 't', type: 'Timestamp<MICROSECOND>' },
        { name: 'n', type: 'Float64' },
      ]),
    ).toMatchObject({ mark: 'line', x: 't', y: 'n' });
  });
  it('text and number → bars', () => {
    expect(defaultChart(SALES)).toMatchObject({ mark: 'bar', x: 'region', y: 'revenue' });
    expect(
      defaultChart([
        { name: 's', type: 'Utf8' },
        { name: 'n', type: 'DECIMAL(18,2)' },
      ]),
    ).toMatchObject({ mark: 'bar', x: 's', y: 'n' });
  });
  it('a single number → a histogram', () => {
    expect(defaultChart([{ name: 'n', type: 'INTEGER' }])).toEqual({
      mark: 'histogram',
      x: 'n',
    });
  });
  it('two texts and a number → a heatmap', () => {
    const columns = [
      { name: 'a', type: 'VARCHAR' },
      { name: 'b', type: 'VARCHAR' },
      { name: 'n', type: 'HUGEINT' },
    ];
    expect(defaultChart(columns)).toEqual({ mark: 'heatmap', x: 'a', y: 'b', color: 'n' });
  });
  it('an INTERVAL is not numeric', () => {
    expect(
      defaultChart([
        { name: 'i', type: 'INTERVAL' },
        { name: 'n', type: 'DOUBLE' },
      ]),
    ).toMatchObject({ mark: 'histogram', x: 'n' });
  });
  it('each default renders', () => {
    const fields = defaultChart(SALES);
    expect(() =>
      Plot.plot(chartSpec(cell(fields), SALES, [{ region: 'a', revenue: 1 }])),
    ).not.toThrow();
  });
});

describe('chartSpec rejects bad cells', () => {
  it('names a column that is not in the result', () => {
    expect(() => chartSpec(cell({ x: 'region', y: 'profit' }), SALES, [])).toThrow(/"profit"/);
    expect(() => chartSpec(cell({ x: 'region', y: 'revenue', facet: 'nope' }), SALES, [])).toThrow(
      /"nope"/,
    );
  });
  it('says which axis a mark needs', () => {
    expect(() => chartSpec(cell({ mark: 'line', x: 'day' }), DAILY, [])).toThrow(
      'A line chart needs a y column',
    );
    expect(() => chartSpec(cell({ mark: 'area', x: 'day' }), DAILY, [])).toThrow(
      'An area chart needs a y column',
    );
    expect(() => chartSpec(cell({ mark: 'dot', y: 'orders' }), DAILY, [])).toThrow(
      'A dot chart needs an x column',
    );
  });
  it('refuses a histogram of text', () => {
    expect(() => chartSpec(cell({ mark: 'histogram', x: 'region' }), SALES, [])).toThrow(
      /histogram needs a numeric or date x/,
    );
  });
});
