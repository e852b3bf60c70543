import { columnsOf, toRows, type Cell } from '../engine/rows.ts';
import { SqlError, type SqlEngine } from '../engine/types.ts';
import { ident } from '../sql/quote.ts';
import type { SqlValue } from '../sql/quote.ts';

/** Where a SQL cell's result lives: a temporary table, so the grid can page and sort it in DuckDB. */
export function resultTable(cellId: string): string {
  return `_retain_cell_${cellId.replace(/[^A-Za-z0-9]/g, '')}`;
}

export interface SqlResult {
  /** The temporary table holding the rows, or null for statements without rows. */
  table: string | null;
  columns: { name: string; type: string }[];
  rowCount: number;
  elapsedMs: number;
  /** What ran, with parameters as `?`. */
  sql: string;
}

export interface SqlRunError {
  message: string;
  /** 1-based line and column in the cell's text, when DuckDB says where. */
  line?: number;
  column?: number;
}

/** Statements that return rows (and so are kept as a result table). */
const QUERY =
  /^\s*(\(?\s*)(SELECT|WITH|FROM|VALUES|TABLE|PIVOT|UNPIVOT|SUMMARIZE|DESCRIBE|SHOW)\b/i;

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
}

/**
 * Run one SQL cell. A query's rows go into a temporary table (so a 1M-row result
 * is paged and sorted by DuckDB, not held in JavaScript); a named cell also gets a
 * view under its name for later cells. Parameters arrive already bound as `?`.
 */
export async function runSql(
  engine: SqlEngine,
  cell: { id: string; name?: string },
  bound: { sql: string; values: SqlValue[] },
  options: { signal?: AbortSignal } = {},
): Promise<SqlResult> {
  const started = performance.now();
  const text = bound.sql.trim().replace(/;\s*$/, '');
  if (!text) throw new SqlError('The cell is empty: write a query first.', bound.sql);
  const isQuery = QUERY.test(stripComments(text));
  if (!isQuery) {
    await engine.exec(text, { params: bound.values, signal: options.signal });
    return {
      table: null,
      columns: [],
      rowCount: 0,
      elapsedMs: performance.now() - started,
      sql: text,
    };
  }
  const table = resultTable(cell.id);
  // The query starts on its own line, so DuckDB's line numbers are the cell's plus one.
  await engine.exec(`CREATE OR REPLACE TEMP TABLE ${ident(table)} AS\n${text}`, {
    params: bound.values,
    signal: options.signal,
  });
  if (cell.name) {
    await engine.exec(
      `CREATE OR REPLACE TEMP VIEW ${ident(cell.name)} AS SELECT * FROM ${ident(table)}`,
    );
  }
  const [count] = toRows(await engine.query(`SELECT count(*)::DOUBLE AS n FROM ${ident(table)}`));
  const columns = toRows(
    await engine.query(
      `SELECT column_name AS name, data_type AS type FROM duckdb_columns()
       WHERE table_name = ? AND database_name = 'temp' ORDER BY column_index`,
      { params: [table] },
    ),
  ).map((r) => ({ name: String(r.name), type: String(r.type) }));
  return {
    table,
    columns,
    rowCount: Number(count.n),
    elapsedMs: performance.now() - started,
    sql: text,
  };
}

export interface PageRequest {
  offset: number;
  limit: number;
  sort?: { column: string; descending: boolean };
}

/** One window of a result, sorted by DuckDB. */
export async function pageOf(
  engine: SqlEngine,
  table: string,
  page: PageRequest,
): Promise<Record<string, Cell>[]> {
  const order = page.sort
    ? ` ORDER BY ${ident(page.sort.column)} ${page.sort.descending ? 'DESC' : 'ASC'} NULLS LAST`
    : '';
  return toRows(
    await engine.query(`SELECT * FROM ${ident(table)}${order} LIMIT ? OFFSET ?`, {
      params: [Math.max(0, Math.floor(page.limit)), Math.max(0, Math.floor(page.offset))],
    }),
  );
}

/** All rows of a result as an Arrow table (for CSV/Parquet export and charts). */
export async function allRows(engine: SqlEngine, table: string, limit = 5_000_000) {
  const result = await engine.query(`SELECT * FROM ${ident(table)} LIMIT ?`, { params: [limit] });
  return { columns: columnsOf(result), rows: toRows(result), arrow: result };
}

/**
 * Where in the cell an error is: DuckDB prints "LINE n: <text>" and a caret under
 * the spot. The query runs one line below the wrapper, so line n is line n − 1 of
 * the cell; the caret's column is found back in the cell's own line.
 */
export function locateError(message: string, cellSql: string, wrapped = true): SqlRunError {
  const match = /LINE (\d+): (.*)\n(\s*)\^/.exec(message);
  const first = message
    .split('\n')[0]
    .replace(/^Failed to extract statements: /, '')
    .trim();
  if (!match) return { message: first };
  const line = Number(match[1]) - (wrapped ? 1 : 0);
  const shown = match[2];
  const caret = match[3].length - `LINE ${match[1]}: `.length;
  const lines = cellSql.split('\n');
  const source = lines[line - 1];
  if (line < 1 || source === undefined) return { message: first };
  // DuckDB may elide the start of a long line with "...".
  const snippet = shown.replace(/^\.\.\./, '');
  const shift = shown.length - snippet.length;
  const at = source.indexOf(snippet.slice(0, 20));
  const column = (at >= 0 ? at : 0) + Math.max(0, caret - shift) + 1;
  return { message: first, line, column };
}
