import type { PlotOptions } from '@observablehq/plot';
import { chartSpec } from '../charts/cell-chart.ts';
import type { Cell as Value } from '../engine/rows.ts';
import { isCancelled, type SqlEngine } from '../engine/types.ts';
import type { ReportCell, ReportTable } from '../export/report.ts';
import { resolveParameterRefs } from './analysis-params.ts';
import { NotebookError } from './errors.ts';
import { bindParameters } from './parameters.ts';
import { allRows, locateError, pageOf, runSql, type SqlResult } from './run.ts';
import type { Notebook, Parameter } from './types.ts';

/**
 * Run a whole notebook, top to bottom, without a browser: the engine behind
 * `retain run`. SQL cells go through the app's own runSql and bindParameters,
 * charts through the app's chartSpec, analysis cells through a registry of
 * {@link AnalysisRunner}s. No DOM here: markdown and chart drawing are passed in.
 * A failing cell is reported in its section and the run goes on, as in the app,
 * where a broken cell does not stop the cells below it.
 */

/** What an analysis produces for the report: the result (written as JSON) and a table to show. */
export interface AnalysisOutput {
  result: unknown;
  table?: ReportTable;
}

/** One analysis id's implementation for the runner (see src/cli/run-analyses.ts). */
export interface AnalysisRunner {
  title: string;
  run(
    engine: SqlEngine,
    params: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<AnalysisOutput>;
}

export interface RunNotebookOptions {
  analyses: Readonly<Record<string, AnalysisRunner>>;
  /** Markdown → sanitised HTML (renderMarkdown with a window). */
  renderMarkdown: (text: string) => string;
  /** Plot options → SVG markup drawn by Observable Plot. */
  renderChart: (spec: PlotOptions) => string;
  /** Rows of each SQL result shown in the report; the app's report shows 100. */
  reportRows?: number;
  signal?: AbortSignal;
  /** Called when a cell starts (for progress on stderr). */
  onCell?: (index: number, total: number, label: string) => void;
  /** Awaited after each cell (the CLI samples DuckDB's memory here). */
  afterCell?: () => Promise<void>;
}

/** What happened in one cell, for the summary and the result files. */
export interface CellOutcome {
  id: string;
  kind: Notebook['cells'][number]['kind'];
  elapsedMs: number;
  /** SQL: the result's name; analysis: its id. */
  name?: string;
  /** SQL: the temporary table holding the rows. */
  table?: string;
  rows?: number;
  /** Analysis: the whole result. */
  result?: unknown;
  error?: string;
  /** An analysis this version cannot run (not an error in the data). */
  unsupported?: boolean;
}

export interface NotebookRun {
  cells: ReportCell[];
  outcomes: CellOutcome[];
}

/** Charts are drawn from at most this many rows, as in the app (ChartCellView). */
const CHART_ROWS = 100_000;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function runNotebook(
  engine: SqlEngine,
  notebook: Notebook,
  options: RunNotebookOptions,
): Promise<NotebookRun> {
  const cells: ReportCell[] = [];
  const outcomes: CellOutcome[] = [];
  // Named results by lower-case name: DuckDB ignores the case of names, so does the app.
  const named = new Map<string, SqlResult>();
  const total = notebook.cells.length;
  for (const [index, cell] of notebook.cells.entries()) {
    options.signal?.throwIfAborted();
    const started = performance.now();
    const outcome: CellOutcome = { id: cell.id, kind: cell.kind, elapsedMs: 0 };
    const report: ReportCell = { id: cell.id, kind: cell.kind };
    options.onCell?.(index, total, label(cell));
    try {
      switch (cell.kind) {
        case 'markdown':
          report.html = options.renderMarkdown(cell.text);
          break;
        case 'sql': {
          report.title = cell.name;
          report.sql = cell.sql;
          outcome.name = cell.name;
          const bound = bindParameters(cell.sql, notebook.parameters);
          let result: SqlResult;
          try {
            result = await runSql(engine, cell, bound, { signal: options.signal });
          } catch (error) {
            if (isCancelled(error)) throw error;
            const where = locateError(message(error), cell.sql);
            throw new Error(
              where.line
                ? `Line ${where.line}, column ${where.column}: ${where.message}`
                : where.message,
            );
          }
          if (cell.name) named.set(cell.name.toLowerCase(), result);
          if (result.table) {
            outcome.table = result.table;
            outcome.rows = result.rowCount;
            report.table = await reportTable(engine, result, options.reportRows ?? 100);
          }
          break;
        }
        case 'chart': {
          report.title = cell.title;
          const source = named.get(cell.source.toLowerCase());
          if (!source?.table) {
            throw new Error(
              `The chart draws "${cell.source}", but no SQL cell above it produced a result by that name.`,
            );
          }
          const { rows } = await allRows(engine, source.table, CHART_ROWS);
          report.svg = options.renderChart(chartSpec(cell, source.columns, rows));
          break;
        }
        case 'analysis': {
          outcome.name = cell.analysis;
          const runner = Object.hasOwn(options.analyses, cell.analysis)
            ? options.analyses[cell.analysis]
            : undefined;
          if (!runner) {
            report.title = cell.analysis;
            outcome.unsupported = true;
            report.error = unsupported(cell.analysis, options.analyses);
            break;
          }
          report.title = runner.title;
          const params = resolveParameterRefs(cell.params, notebook.parameters);
          const output = await runner.run(engine, params, options.signal);
          outcome.result = output.result;
          report.table = output.table;
          break;
        }
      }
    } catch (error) {
      if (isCancelled(error) || options.signal?.aborted) throw error;
      outcome.error = message(error);
      report.error = outcome.error;
    }
    outcome.elapsedMs = performance.now() - started;
    if (report.table && report.table.elapsedMs === undefined && cell.kind === 'analysis')
      report.table.elapsedMs = outcome.elapsedMs;
    cells.push(report);
    outcomes.push(outcome);
    await options.afterCell?.();
  }
  return { cells, outcomes };
}

function label(cell: Notebook['cells'][number]): string {
  switch (cell.kind) {
    case 'sql':
      return cell.name ? `SQL ${cell.name}` : 'SQL';
    case 'chart':
      return `chart of ${cell.source}`;
    case 'analysis':
      return `analysis ${cell.analysis}`;
    default:
      return cell.kind;
  }
}

function unsupported(id: string, analyses: Readonly<Record<string, AnalysisRunner>>): string {
  return (
    `This version of retain does not run the analysis "${id}". ` +
    `It runs: ${Object.keys(analyses).join(', ')}. Update retain, or open the notebook in the app.`
  );
}

async function reportTable(
  engine: SqlEngine,
  result: SqlResult,
  limit: number,
): Promise<ReportTable> {
  const rows = await pageOf(engine, result.table!, { offset: 0, limit });
  return {
    columns: result.columns.map((c) => c.name),
    types: result.columns.map((c) => c.type),
    rows: rows.map((r) => result.columns.map((c) => r[c.name] ?? null)),
    rowCount: result.rowCount,
    elapsedMs: result.elapsedMs,
  };
}

/**
 * Objects → a report table: the columns are the keys of the first row (or those
 * given); nested values (lists, objects) are left out, since a report cell shows flat figures.
 */
export function rowsTable(rows: readonly object[], columns?: string[]): ReportTable {
  const records = rows as readonly Record<string, unknown>[];
  const keys =
    columns ??
    Object.keys(records[0] ?? {}).filter((k) => {
      const v = records[0][k];
      return v === null || typeof v !== 'object' || v instanceof Date;
    });
  return {
    columns: keys,
    rows: records.map((r) => keys.map((k) => flat(r[k]))),
    rowCount: records.length,
  };
}

function flat(value: unknown): Value {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean')
    return value;
  if (value instanceof Date) return value;
  return JSON.stringify(value);
}

/**
 * Override parameter values from text (`--param name=value`), parsed by type: a
 * number, a 'YYYY-MM-DD' date, one of a choice's options, or any text; an empty
 * value clears the parameter (bound as NULL). Throws a {@link NotebookError} that
 * names the parameter and what it accepts.
 */
export function overrideParameters(
  parameters: readonly Parameter[],
  overrides: Readonly<Record<string, string>>,
): Parameter[] {
  const out = parameters.map((p) => ({ ...p }));
  for (const [name, text] of Object.entries(overrides)) {
    const parameter = out.find((p) => p.name === name);
    if (!parameter) {
      const known = out.map((p) => p.name).join(', ');
      throw new NotebookError(
        `The notebook has no parameter "${name}"${known ? `; its parameters are: ${known}` : '; it has no parameters'}.`,
      );
    }
    parameter.value = parseValue(parameter, text);
  }
  return out;
}

function parseValue(p: Parameter, text: string): number | string | null {
  if (text === '') return null;
  switch (p.type) {
    case 'number': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n))
        throw new NotebookError(`The parameter "${p.name}" is a number; "${text}" is not.`);
      return n;
    }
    case 'date': {
      const d = new Date(`${text}T00:00:00Z`);
      if (
        !/^\d{4}-\d{2}-\d{2}$/.test(text) ||
        Number.isNaN(d.getTime()) ||
        d.toISOString().slice(0, 10) !== text
      )
        throw new NotebookError(
          `The parameter "${p.name}" is a date written YYYY-MM-DD, e.g. 2011-06-01; "${text}" is not.`,
        );
      return text;
    }
    case 'choice':
      if (p.options && !p.options.includes(text))
        throw new NotebookError(
          `The parameter "${p.name}" is one of: ${p.options.join(', ')}; "${text}" is not.`,
        );
      return text;
    case 'text':
      return text;
  }
}
