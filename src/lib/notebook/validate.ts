import { NotebookError } from './errors.ts';
import {
  compact,
  invalid,
  isObject,
  located,
  object,
  oneOf,
  optBool,
  optText,
  text,
  textList,
  type Raw,
} from './fields.ts';
import { cellNameProblem, parameterNameProblem } from './names.ts';
import type { Cell, CellKind, ChartMark, Parameter, ParameterType } from './types.ts';

/**
 * Shape checks for cells and parameters, shared by the editor (every edit) and
 * the reader of files and links (hostile input). Each returns a fresh object
 * holding only the known fields, so unknown fields are dropped and nothing the
 * caller still holds is shared with the notebook.
 */

/** Every kind of cell, in the order the editor offers them. */
export const CELL_KINDS: readonly CellKind[] = ['markdown', 'sql', 'chart', 'analysis'];
/** The Observable Plot marks a chart cell can draw. */
export const CHART_MARKS: readonly ChartMark[] = [
  'bar',
  'line',
  'area',
  'dot',
  'heatmap',
  'histogram',
];
/** The kinds of value a parameter can hold. */
export const PARAMETER_TYPES: readonly ParameterType[] = ['number', 'date', 'choice', 'text'];

/** The fields each kind of cell may have besides `id`, `kind` and `collapsed`. */
export const CELL_FIELDS: Record<CellKind, readonly string[]> = {
  markdown: ['text'],
  sql: ['sql', 'name'],
  chart: ['source', 'mark', 'x', 'y', 'color', 'facet', 'title'],
  analysis: ['analysis', 'params'],
};

/** Cell ids end up in element ids and URLs, so they are kept to a safe alphabet. */
const CELL_ID = /^[A-Za-z0-9_-]{1,64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_OPTIONS = 1000;
const MAX_JSON_DEPTH = 32;

/** A checked copy of one cell. `where` names it in error messages. */
export function validateCell(raw: unknown, where: string): Cell {
  const o = object(raw, where);
  const id = text(o, 'id', where);
  if (!CELL_ID.test(id)) throw invalid(where, 'id', 'must be 1 to 64 letters, digits, - or _');
  const kind = oneOf(o, 'kind', CELL_KINDS, where);
  const base = { id, collapsed: optBool(o, 'collapsed', where) };
  switch (kind) {
    case 'markdown':
      return compact({ ...base, kind, text: text(o, 'text', where) });
    case 'sql': {
      const name = optText(o, 'name', where);
      const problem = name === undefined ? null : cellNameProblem(name, []);
      if (problem) throw located(where, problem);
      return compact({ ...base, kind, sql: text(o, 'sql', where), name });
    }
    case 'chart':
      return compact({
        ...base,
        kind,
        source: text(o, 'source', where),
        mark: oneOf(o, 'mark', CHART_MARKS, where),
        x: optText(o, 'x', where),
        y: optText(o, 'y', where),
        color: optText(o, 'color', where),
        facet: optText(o, 'facet', where),
        title: optText(o, 'title', where),
      });
    case 'analysis': {
      if (!isObject(o.params)) throw invalid(where, 'params', 'must be an object');
      const params = jsonCopy(o.params, `${where} "params"`, 0) as Raw;
      return compact({ ...base, kind, analysis: text(o, 'analysis', where), params });
    }
  }
}

/** Checked copies of a list of cells: ids and result names must be unique. */
export function validateCells(raw: readonly unknown[], where = 'cell'): Cell[] {
  const cells: Cell[] = [];
  const ids = new Set<string>();
  for (const [i, item] of raw.entries()) {
    const label = `${where} ${i + 1}`;
    const cell = validateCell(item, label);
    if (ids.has(cell.id)) throw invalid(label, 'id', `repeats the id of an earlier cell`);
    ids.add(cell.id);
    if (cell.kind === 'sql' && cell.name !== undefined) {
      const problem = cellNameProblem(cell.name, cells);
      if (problem) throw located(label, problem);
    }
    cells.push(cell);
  }
  return cells;
}

/**
 * A checked copy of one parameter. Its value must suit its type: a finite number,
 * a 'YYYY-MM-DD' date, or text; null (empty) is allowed for every type.
 */
export function validateParameter(raw: unknown, where: string): Parameter {
  const o = object(raw, where);
  const name = text(o, 'name', where);
  const problem = parameterNameProblem(name, []);
  if (problem) throw located(where, problem);
  const type = oneOf(o, 'type', PARAMETER_TYPES, where);
  const value = o.value;
  if (value !== null) {
    const ok =
      type === 'number'
        ? typeof value === 'number' && Number.isFinite(value)
        : type === 'date'
          ? typeof value === 'string' && isDate(value)
          : typeof value === 'string';
    if (!ok) throw invalid(where, 'value', `is not a valid ${type} (use null for none)`);
  }
  return compact({
    name,
    type,
    value: value as Parameter['value'],
    options: o.options === undefined ? undefined : textList(o, 'options', MAX_OPTIONS, where),
    label: optText(o, 'label', where),
  });
}

/** Checked copies of a list of parameters, with names unique. */
export function validateParameters(raw: readonly unknown[], max: number): Parameter[] {
  if (raw.length > max) throw new NotebookError(`A notebook can have at most ${max} parameters.`);
  const parameters: Parameter[] = [];
  for (const [i, item] of raw.entries()) {
    const where = `parameter ${i + 1}`;
    const parameter = validateParameter(item, where);
    const problem = parameterNameProblem(parameter.name, parameters);
    if (problem) throw located(where, problem);
    parameters.push(parameter);
  }
  return parameters;
}

/** Whether `value` is a real calendar date written 'YYYY-MM-DD'. */
export function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/** A deep copy of a JSON value (finite numbers, text, booleans, null, lists, objects). */
export function jsonCopy(value: unknown, where: string, depth: number): unknown {
  if (depth > MAX_JSON_DEPTH) throw located(where, 'it is nested too deeply.');
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
  } else if (Array.isArray(value)) {
    return value.map((v) => jsonCopy(v, where, depth + 1));
  } else if (isObject(value) && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, jsonCopy(v, where, depth + 1)]),
    );
  }
  throw located(where, `it holds a value that cannot be saved (${typeof value}).`);
}
