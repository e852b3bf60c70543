import { parameterReferences } from './parameters.ts';
import { isWordChar, scanSql } from './sql-scan.ts';
import type { Cell, Notebook } from './types.ts';

/**
 * Which cells read which: the order in which a notebook re-runs after an edit.
 * A SQL cell reads the parameters it writes as `$name` and the named SQL
 * results whose names appear in its code as words (DuckDB ignores the case of
 * names, and so does this); a chart reads its `source`; an analysis reads the
 * parameters given as `{ "$param": "name" }` anywhere in its params. A cell can
 * only read cells above it; see {@link checkOrder} for the ones that do not.
 */

/** What one cell reads. */
export interface CellDependencies {
  /** Parameter names, each once, in order of first use (known or not). */
  parameters: string[];
  /** Ids of the cells above whose results it reads, in notebook order. */
  cells: string[];
}

/** A problem with the order or the references of a cell, as a sentence to show. */
export interface OrderProblem {
  cellId: string;
  message: string;
}

interface References {
  parameters: string[];
  /** Names of results read (lower case); for a chart, its source. */
  names: string[];
}

const WORD = /[A-Za-z_][A-Za-z0-9_$]*/g;

/** Lower-case words used as names in the code and quoted identifiers of `sql`. */
function sqlNames(sql: string): string[] {
  const names = new Set<string>();
  for (const { kind, start, end } of scanSql(sql)) {
    if (kind === 'identifier') {
      const closed = end - start > 1 && sql[end - 1] === '"';
      names.add(
        sql
          .slice(start + 1, closed ? end - 1 : end)
          .replaceAll('""', '"')
          .toLowerCase(),
      );
    } else if (kind === 'code') {
      for (const match of sql.slice(start, end).matchAll(WORD)) {
        // Skip `$name` (a parameter) and the tail of a longer word.
        if (!isWordChar(sql[start + match.index - 1])) names.add(match[0].toLowerCase());
      }
    }
  }
  return [...names];
}

/** Parameter names given as `{ "$param": "name" }` anywhere inside `value`. */
export function analysisParameterRefs(value: unknown, found = new Set<string>()): string[] {
  if (Array.isArray(value)) {
    for (const item of value) analysisParameterRefs(item, found);
  } else if (typeof value === 'object' && value !== null) {
    const ref = (value as Record<string, unknown>).$param;
    if (typeof ref === 'string') found.add(ref);
    for (const item of Object.values(value)) analysisParameterRefs(item, found);
  }
  return [...found];
}

function references(cell: Cell): References {
  switch (cell.kind) {
    case 'sql':
      return { parameters: parameterReferences(cell.sql), names: sqlNames(cell.sql) };
    case 'chart':
      return { parameters: [], names: cell.source ? [cell.source.toLowerCase()] : [] };
    case 'analysis':
      return { parameters: analysisParameterRefs(cell.params), names: [] };
    case 'markdown':
      return { parameters: [], names: [] };
  }
}

/** Position of each named SQL result, by lower-case name. */
function namedResults(nb: Notebook): Map<string, number> {
  const named = new Map<string, number>();
  nb.cells.forEach((c, i) => {
    if (c.kind === 'sql' && c.name) named.set(c.name.toLowerCase(), i);
  });
  return named;
}

/** What each cell reads, by cell id. References to cells below are left out. */
export function cellDependencies(nb: Notebook): Map<string, CellDependencies> {
  const named = namedResults(nb);
  return new Map(
    nb.cells.map((cell, i) => {
      const refs = references(cell);
      const above = refs.names.flatMap((n) => {
        const at = named.get(n);
        return at !== undefined && at < i ? [at] : [];
      });
      const cells = [...new Set(above)].sort((a, b) => a - b).map((at) => nb.cells[at].id);
      return [cell.id, { parameters: refs.parameters, cells }];
    }),
  );
}

/**
 * The ids of every cell that must re-run, in notebook order, after the given
 * parameters changed or the given cells produced a new result. Follows
 * dependencies transitively. A changed cell is listed only when it also reads
 * something that changed.
 */
export function dependentsOf(
  nb: Notebook,
  changed: { parameters?: readonly string[]; cells?: readonly string[] },
): string[] {
  const parameters = new Set(changed.parameters);
  const dirty = new Set(changed.cells);
  const rerun: string[] = [];
  const dependencies = cellDependencies(nb);
  // Dependencies point only upwards, so one pass from the top settles everything.
  for (const cell of nb.cells) {
    const deps = dependencies.get(cell.id)!;
    if (deps.parameters.some((p) => parameters.has(p)) || deps.cells.some((c) => dirty.has(c))) {
      rerun.push(cell.id);
      dirty.add(cell.id);
    }
  }
  return rerun;
}

/**
 * Problems with the cells' references, one sentence each, in notebook order:
 * a cell reading a result made below it, a chart without a source or whose source
 * does not exist, and parameters that do not exist. An empty list means the
 * notebook runs top to bottom.
 */
export function checkOrder(nb: Notebook): OrderProblem[] {
  const named = namedResults(nb);
  const parameters = new Set(nb.parameters.map((p) => p.name));
  const problems: OrderProblem[] = [];
  nb.cells.forEach((cell, i) => {
    const add = (message: string) => problems.push({ cellId: cell.id, message });
    const refs = references(cell);
    for (const name of refs.names) {
      const at = named.get(name);
      if (at !== undefined && at > i) {
        const below = nb.cells[at];
        const shown = below.kind === 'sql' ? below.name : name;
        add(
          `Cell ${i + 1} uses ${shown}, which cell ${at + 1} makes further down; ` +
            `move cell ${at + 1} above cell ${i + 1}.`,
        );
      }
    }
    if (cell.kind === 'chart') {
      if (!cell.source) add(`The chart in cell ${i + 1} has no source; choose a named SQL result.`);
      else if (!named.has(cell.source.toLowerCase())) {
        add(`The chart in cell ${i + 1} draws ${cell.source}, but no SQL cell has that name.`);
      }
    }
    for (const p of refs.parameters) {
      if (!parameters.has(p)) add(`Cell ${i + 1} uses the parameter ${p}, which does not exist.`);
    }
  });
  return problems;
}
