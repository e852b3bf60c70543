import type { Markish, PlotOptions } from '@observablehq/plot';
import * as Plot from '@observablehq/plot';
import type { Cell } from '../engine/rows.ts';
import type { ChartCell, ChartMark } from '../notebook/types.ts';

/**
 * Chart cells: (cell, columns, rows) → Observable Plot options, no DOM. Column
 * types decide the defaults and how values are read: numeric columns become
 * numbers even when they arrive as strings, temporal ones Date objects (Plot
 * warns about, and mis-scales, string dates).
 */

export interface ChartColumn {
  name: string;
  /** DuckDB (`BIGINT`, `VARCHAR`, `TIMESTAMP`) or Arrow (`Int64`, `Utf8`) type name. */
  type: string;
}

export type ChartFields = Pick<ChartCell, 'mark' | 'x' | 'y' | 'color'>;

type Kind = 'numeric' | 'temporal' | 'text' | 'other';

const NUMERIC = /^(u?(tiny|small|big|huge)?int(eger)?\d*|float\d*|double|decimal|numeric|real)\b/i;
const TEMPORAL = /^(date|timestamp)/i;
const TEXT = /^(varchar|text|string|char|bpchar|enum|uuid|bool(ean)?|(large)?utf8|dictionary)/i;

/** The broad kind of a column type; `INTERVAL`, lists, structs and blobs are 'other'. */
export function columnKind(type: string): Kind {
  if (NUMERIC.test(type)) return 'numeric';
  if (TEMPORAL.test(type)) return 'temporal';
  if (TEXT.test(type)) return 'text';
  return 'other';
}

/** Categories beyond this are cut from a bar chart (the largest kept, with a caption). */
export const MAX_BARS = 50;

/**
 * A first chart for a result, from its column types: a temporal and a numeric
 * column → a line over time (split by a text column if there is one); two text
 * columns and a numeric → a heatmap; text and numeric → bars; numbers only → a
 * histogram of the first, or a scatter of the first two.
 */
export function defaultChart(columns: ChartColumn[]): ChartFields {
  const of = (kind: Kind) => columns.filter((c) => columnKind(c.type) === kind).map((c) => c.name);
  const [numeric, temporal, text] = [of('numeric'), of('temporal'), of('text')];
  if (temporal.length && numeric.length)
    return { mark: 'line', x: temporal[0], y: numeric[0], color: text[0] };
  if (text.length >= 2 && numeric.length)
    return { mark: 'heatmap', x: text[0], y: text[1], color: numeric[0] };
  if (text.length && numeric.length) return { mark: 'bar', x: text[0], y: numeric[0] };
  if (numeric.length >= 2) return { mark: 'dot', x: numeric[0], y: numeric[1], color: text[0] };
  if (numeric.length) return { mark: 'histogram', x: numeric[0] };
  return { mark: 'bar', x: columns[0]?.name };
}

const NAMES: Record<ChartMark, string> = {
  bar: 'A bar chart',
  line: 'A line chart',
  area: 'An area chart',
  dot: 'A dot chart',
  heatmap: 'A heatmap',
  histogram: 'A histogram',
};

/** Plot options for a chart cell over its source's rows. Throws a readable Error on a bad cell. */
export function chartSpec(
  cell: ChartCell,
  columns: ChartColumn[],
  rows: Record<string, Cell>[],
): PlotOptions {
  const kinds = new Map(columns.map((c) => [c.name, columnKind(c.type)]));
  for (const field of ['x', 'y', 'color', 'facet'] as const) {
    const name = cell[field];
    if (name !== undefined && !kinds.has(name))
      throw new Error(`The column "${name}" (${field}) is not in the result of ${cell.source}.`);
  }
  const { mark, x, y, color, facet } = cell;
  if (!x) throw new Error(`${NAMES[mark]} needs an x column.`);
  if (!y && mark !== 'histogram') throw new Error(`${NAMES[mark]} needs a y column.`);
  if (mark === 'histogram' && !['numeric', 'temporal'].includes(kinds.get(x)!))
    throw new Error(`A histogram needs a numeric or date x column; "${x}" is not.`);

  // Value axes must be numbers whatever the column type says (e.g. a VARCHAR of "12.5").
  const quantitative = new Set<string>();
  const horizontal = mark === 'bar' && kinds.get(x) === 'numeric' && kinds.get(y!) === 'text';
  if (mark === 'bar') quantitative.add(horizontal ? x : y!);
  if (mark === 'line' || mark === 'area') quantitative.add(y!);
  const used = [x, y, color, facet].filter((c): c is string => c !== undefined);
  let data = normalise(rows, kinds, used, quantitative);

  const options: PlotOptions = {
    title: cell.title,
    marginLeft: 60,
    grid: true,
    color: color ? { legend: true } : undefined,
  };
  const fy = facet;
  let marks: Markish[];
  switch (mark) {
    case 'bar': {
      const [band, value] = horizontal ? [y!, x] : [x, y!];
      let domain: Cell[] | undefined;
      if (kinds.get(band) === 'text') {
        const ranked = rank(data, band, value);
        domain = ranked.slice(0, MAX_BARS);
        if (ranked.length > MAX_BARS) {
          const kept = new Set(domain);
          data = data.filter((d) => kept.has(d[band]));
          options.caption = `Showing the ${MAX_BARS} largest of ${ranked.length} ${band} values by ${value}.`;
        }
      }
      if (horizontal) {
        options.y = { type: 'band', domain, label: y };
        options.marginLeft = 120;
        marks = [Plot.barX(data, { x, y, fill: color, fy, tip: true }), Plot.ruleX([0])];
      } else {
        options.x = { type: 'band', domain, label: x };
        marks = [Plot.barY(data, { x, y, fill: color, fy, tip: true }), Plot.ruleY([0])];
      }
      break;
    }
    case 'line':
    case 'area': {
      data = sortBy(data, x);
      marks =
        mark === 'line'
          ? [Plot.line(data, { x, y, stroke: color, fy, tip: true })]
          : [Plot.areaY(data, { x, y, fill: color, fy, tip: true }), Plot.ruleY([0])];
      break;
    }
    case 'dot':
      marks = [Plot.dot(data, { x, y, stroke: color, fy, tip: true })];
      break;
    case 'heatmap':
      options.x = { type: 'band', label: x };
      options.y = { type: 'band', label: y };
      options.grid = false;
      options.color = { legend: true, scheme: color ? undefined : 'blues' };
      marks = color
        ? [Plot.cell(data, { x, y, fill: color, fy, tip: true })]
        : [Plot.cell(data, Plot.group({ fill: 'count' }, { x, y, fy, tip: true }))];
      break;
    case 'histogram':
      options.y = { label: 'Count' };
      marks = [
        Plot.rectY(
          data,
          Plot.binX<Plot.RectYOptions>({ y: 'count' }, { x, fill: color, fy, tip: true }),
        ),
        Plot.ruleY([0]),
      ];
      break;
  }
  return { ...options, marks };
}

/** Rows whose charted numeric columns are numbers and temporal ones Dates; others untouched. */
function normalise(
  rows: Record<string, Cell>[],
  kinds: Map<string, Kind>,
  used: string[],
  quantitative: Set<string>,
): Record<string, Cell>[] {
  const convert: [string, (v: Cell) => Cell][] = [];
  for (const name of used) {
    const kind = kinds.get(name);
    if (kind === 'temporal') convert.push([name, toDate]);
    else if (kind === 'numeric' || quantitative.has(name)) convert.push([name, toNumber]);
  }
  if (!convert.length) return rows;
  return rows.map((row) => {
    const out = { ...row };
    for (const [name, f] of convert) if (name in out) out[name] = f(out[name]);
    return out;
  });
}

function toNumber(v: Cell): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  if (typeof v === 'boolean') return Number(v);
  if (v instanceof Date) return v.getTime();
  return null;
}

function toDate(v: Cell): Date | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v === 'number' || typeof v === 'string') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/** The distinct values of `band`, largest total `value` first. */
function rank(rows: Record<string, Cell>[], band: string, value: string): Cell[] {
  const totals = new Map<Cell, number>();
  for (const row of rows) {
    const v = row[value];
    totals.set(row[band], (totals.get(row[band]) ?? 0) + (typeof v === 'number' ? v : 0));
  }
  return [...totals].sort((a, b) => b[1] - a[1]).map(([key]) => key);
}

/** Lines join points in data order, so order them along x (nulls last). */
function sortBy(rows: Record<string, Cell>[], key: string): Record<string, Cell>[] {
  const value = (v: Cell) => (v instanceof Date ? v.getTime() : v);
  return [...rows].sort((a, b) => {
    const [p, q] = [value(a[key]), value(b[key])];
    if (p == null || q == null) return p == null ? (q == null ? 0 : 1) : -1;
    return p < q ? -1 : p > q ? 1 : 0;
  });
}
