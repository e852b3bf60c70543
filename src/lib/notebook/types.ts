import type { AuditDocument } from '../audit/types.ts';
import type { Mapping } from '../schema/mapping.ts';

/**
 * The notebook document: what a consultant writes, saves, shares as a link and
 * exports. It holds cells, parameters and (optionally) the mapping, never rows
 * of data. The format is versioned; see serialise.ts for reading old versions.
 */
export const NOTEBOOK_VERSION = 1;

export type CellKind = 'markdown' | 'sql' | 'chart' | 'analysis';

interface CellBase {
  /** Stable, unique within the notebook. */
  id: string;
  kind: CellKind;
  /** Collapsed cells show only their header. */
  collapsed?: boolean;
}

export interface MarkdownCell extends CellBase {
  kind: 'markdown';
  text: string;
}

/**
 * SQL run against the loaded data. `$name` refers to a parameter and is always
 * bound as a value. With a `name`, the result becomes a table later cells can query.
 */
export interface SqlCell extends CellBase {
  kind: 'sql';
  sql: string;
  name?: string;
}

export type ChartMark = 'bar' | 'line' | 'area' | 'dot' | 'heatmap' | 'histogram';

/** An Observable Plot chart over the named result of a SQL cell. */
export interface ChartCell extends CellBase {
  kind: 'chart';
  /** The `name` of the SQL cell whose result is drawn. */
  source: string;
  mark: ChartMark;
  x?: string;
  y?: string;
  color?: string;
  facet?: string;
  title?: string;
}

/**
 * A built-in analysis (the KPI overview, cohorts, RFM, …) with its own parameter
 * form. A parameter value `{ "$param": "name" }` takes the notebook parameter's value.
 */
export interface AnalysisCell extends CellBase {
  kind: 'analysis';
  analysis: string;
  params: Record<string, unknown>;
}

export type Cell = MarkdownCell | SqlCell | ChartCell | AnalysisCell;

export type ParameterType = 'number' | 'date' | 'choice' | 'text';

/** A named input; SQL uses it as `$name`, always bound, never pasted into the text. */
export interface Parameter {
  name: string;
  type: ParameterType;
  /** Numbers as numbers; dates as 'YYYY-MM-DD'; choices and text as strings. */
  value: number | string | null;
  /** The choices of a 'choice' parameter. */
  options?: string[];
  label?: string;
}

export interface Notebook {
  version: typeof NOTEBOOK_VERSION;
  id: string;
  title: string;
  cells: Cell[];
  parameters: Parameter[];
  /** The column mapping, when the author chose to include it. */
  mapping?: Mapping;
  /** A public data address to load when the notebook is opened (never private data). */
  dataUrl?: string;
  /**
   * The 360° retention audit's answers and findings (src/lib/audit). Optional, so
   * files written before it existed still open; kept in files, in links only on request.
   */
  audit?: AuditDocument;
  createdAt: string;
  updatedAt: string;
}
