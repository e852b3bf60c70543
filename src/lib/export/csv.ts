import type { Cell } from '../engine/rows.ts';

export interface CsvOptions {
  /**
   * Column types (DuckDB names such as DATE, or Arrow names such as Date32<DAY>),
   * parallel to `columns`. A date column writes midnight-UTC values as YYYY-MM-DD.
   */
  types?: string[];
  /** Start with a UTF-8 byte-order mark, so Excel reads the file as UTF-8. Off by default. */
  bom?: boolean;
  /**
   * Lines written before the header as `# line` (e.g. `provenanceText(stamp)`). Not part
   * of RFC 4180: only for readers told to skip comments (DuckDB `comment = '#'`, pandas
   * `comment='#'`). Off by default.
   */
  comment?: string[];
}

const CRLF = '\r\n';
const BOM = '\uFEFF';

/**
 * Rows as RFC 4180 CSV: comma-separated, CRLF line ends, a header row, fields quoted
 * when they hold a quote, comma, CR or LF, inner quotes doubled. Dates are ISO 8601
 * (UTC), numbers plain JS numbers, null empty, lists and structs JSON.
 *
 * Text cells (and column names) that a spreadsheet would run as a formula get a
 * leading `'` (OWASP "CSV Injection"); numbers are never altered, so -5 stays -5.
 */
export function toCsv(columns: string[], rows: Cell[][], options: CsvOptions = {}): string {
  const types = options.types ?? [];
  const lines: string[] = [];
  for (const line of options.comment ?? []) {
    for (const part of line.split(/\r\n|\r|\n/)) lines.push(`# ${part}`.trimEnd());
  }
  lines.push(columns.map((name) => quote(defuse(name))).join(','));
  for (const row of rows) {
    lines.push(columns.map((_, c) => csvField(row[c] ?? null, types[c])).join(','));
  }
  return (options.bom ? BOM : '') + lines.join(CRLF) + CRLF;
}

/** One value as a CSV field, quoted and defused as {@link toCsv} describes. */
export function csvField(value: Cell, type = ''): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return isoDate(value, type);
  // JSON starts with [ or {, never with a formula trigger; Dates inside become ISO text.
  if (typeof value === 'object') return quote(JSON.stringify(value));
  return quote(defuse(value));
}

/** Triggers from OWASP's CSV Injection page: = + - @ tab and carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefix text a spreadsheet would evaluate with `'`, which makes it a literal. */
export function defuse(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * Empty text is written `""` and null as nothing, the PostgreSQL COPY convention, so
 * readers that care (DuckDB with `allow_quoted_nulls = false`) can tell them apart.
 */
function quote(field: string): string {
  return field === '' || /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

function isoDate(value: Date, type: string): string {
  if (Number.isNaN(value.getTime())) return '';
  const iso = value.toISOString();
  return /^date/i.test(type) && iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}
