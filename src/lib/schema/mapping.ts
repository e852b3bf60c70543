import { ident, literal } from '../sql/quote.ts';
import { ROLES, type CanonicalTable, type ColumnType, type RoleSpec } from './canonical.ts';

/** How a text or number column becomes a canonical value. */
export interface ValueParse {
  /**
   * For timestamps: a strptime format for text ('%d/%m/%Y %H:%M'), '%Y%m%d' for
   * numbers written as YYYYMMDD, or 'epoch_s' / 'epoch_ms' for Unix times.
   */
  date?: string;
  /** For amounts written as text: the decimal mark ('1.234,56' uses ','). */
  decimal?: '.' | ',';
  /** For timestamps: the source is in UTC (a "(UTC)" header, a Z suffix) and is converted to the mapping's zone. */
  utc?: boolean;
}

/** Which source rows are cancellations or returns. */
export type CancellationRule =
  /** e.g. Online Retail: invoice numbers starting with "C". */
  | { kind: 'prefix'; column: string; prefix: string }
  /** e.g. a status column holding "cancelled" or "refunded". */
  | { kind: 'values'; column: string; values: string[] }
  /** e.g. Shopify's "Cancelled at", filled only for cancelled orders. */
  | { kind: 'not_null'; column: string }
  /** e.g. a quantity below zero. */
  | { kind: 'negative'; column: string }
  /** Several markers at once (Shopify: "Cancelled at" filled, or a refunded/voided status). */
  | { kind: 'any'; rules: CancellationRule[] };

/** How one raw table feeds one canonical table. */
export interface TableMapping {
  /** The raw (loaded) table. */
  source: string;
  kind: CanonicalTable;
  /** Canonical role (column name in the view) → source column. */
  columns: Record<string, string>;
  parse: Record<string, ValueParse>;
  /** Orders only: the amount is a column, or quantity × unit price. */
  amount?: 'column' | 'product';
  cancellation?: CancellationRule;
  /** Which rows count. Missing customer ids and unparseable values never count. */
  include: { cancelled: boolean; nonPositive: boolean; duplicates: boolean };
  /** Customers only: other columns carried into the view as attr_<name>. */
  attributes: string[];
}

export interface Mapping {
  version: 1;
  tables: TableMapping[];
  /** ISO 4217 code of the amounts, e.g. GBP. */
  currency: string;
  /**
   * The time zone the business reports in. Timestamps written as wall-clock time
   * are taken as they are; timestamps marked UTC are converted to it.
   */
  timeZone: string;
}

/** A column of a raw table, as the engine reports it. */
export interface SourceColumn {
  name: string;
  type: string;
}

export function roleSpec(kind: CanonicalTable, role: string): RoleSpec | undefined {
  return (ROLES[kind] as readonly RoleSpec[]).find((r) => r.column === role);
}

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL|REAL)/;
const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)/;

export const isNumeric = (type: string) => NUMERIC.test(type);
export const isInteger = (type: string) => INTEGER.test(type);
export const isTemporal = (type: string) => /^(DATE|TIMESTAMP)/.test(type);
export const isText = (type: string) => type === 'VARCHAR';

const TRUE_WORDS = [
  'yes',
  'y',
  'true',
  't',
  '1',
  'ja',
  'oui',
  'si',
  'sí',
  'churned',
  'left',
  'cancelled',
  'canceled',
];
const FALSE_WORDS = ['no', 'n', 'false', 'f', '0', 'nein', 'non', 'stayed', 'active', 'retained'];

/** The blank-as-null text of a column. */
function text(column: string): string {
  return `NULLIF(trim(CAST(${ident(column)} AS VARCHAR)), '')`;
}

/**
 * SQL: a value is written in the source column (not NULL and, as text, not blank).
 * Numbers, dates and yes/no values cannot be blank, so they skip the conversion to
 * text, which costs a string per row on every row of the table.
 */
export function writtenExpr(column: string, sourceType: string): string {
  const c = ident(column);
  return isNumeric(sourceType) || isTemporal(sourceType) || sourceType === 'BOOLEAN'
    ? `(${c} IS NOT NULL)`
    : `(${c} IS NOT NULL AND trim(CAST(${c} AS VARCHAR)) <> '')`;
}

/**
 * SQL that turns a source column into a canonical value of `target` type. The
 * result is NULL where the value is missing or does not parse; the caller counts those.
 */
export function valueExpr(
  column: string,
  sourceType: string,
  target: ColumnType,
  parse: ValueParse = {},
): string {
  const c = ident(column);
  switch (target) {
    case 'VARCHAR':
      if (/^(DOUBLE|FLOAT|REAL|DECIMAL)/.test(sourceType)) {
        // IDs read from spreadsheets or Parquet as 17850.0 must read 17850.
        return `CASE WHEN ${c} = floor(${c}) AND abs(${c}) < 1e15 THEN CAST(CAST(${c} AS BIGINT) AS VARCHAR) ELSE CAST(${c} AS VARCHAR) END`;
      }
      return text(column);
    case 'TIMESTAMP':
      if (parse.date === 'epoch_s') return `make_timestamp(CAST(${c} AS BIGINT) * 1000000)`;
      if (parse.date === 'epoch_ms') return `make_timestamp(CAST(${c} AS BIGINT) * 1000)`;
      if (isTemporal(sourceType)) return `CAST(${c} AS TIMESTAMP)`;
      if (parse.date) return `TRY_STRPTIME(${wallClock(text(column))}, ${literal(parse.date)})`;
      return `TRY_CAST(${wallClock(text(column))} AS TIMESTAMP)`;
    case 'DOUBLE':
      if (isNumeric(sourceType)) return `CAST(${c} AS DOUBLE)`;
      if (sourceType === 'BOOLEAN') return `CAST(${c} AS DOUBLE)`;
      return numberFromText(text(column), parse.decimal ?? '.');
    case 'BOOLEAN':
      if (sourceType === 'BOOLEAN') return c;
      if (isNumeric(sourceType)) return `(${c} <> 0)`;
      return `CASE WHEN lower(${text(column)}) IN (${TRUE_WORDS.map(literal).join(', ')}) THEN TRUE
                   WHEN lower(${text(column)}) IN (${FALSE_WORDS.map(literal).join(', ')}) THEN FALSE END`;
  }
}

/**
 * Text timestamps with a UTC offset ("2024-03-05 14:22:10 +0100", "…T14:22:10Z")
 * are read as the wall-clock time written, which is the shop's local time.
 */
function wallClock(expr: string): string {
  return `regexp_replace(${expr}, '(\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)\\s*(Z|[+-]\\d{2}:?\\d{2}|UTC|GMT)$', '\\1')`;
}

/**
 * Amounts written as text: currency symbols, spaces and thousands separators are
 * dropped, "(12.50)" and "12.50-" are negative, and the decimal mark is honoured.
 */
export function numberFromText(expr: string, decimal: '.' | ','): string {
  const negative = `(regexp_matches(${expr}, '^\\(.*\\)$') OR regexp_matches(${expr}, '^-|-$'))`;
  let digits = `regexp_replace(${expr}, '[^0-9.,eE]', '', 'g')`;
  digits =
    decimal === ','
      ? `replace(replace(${digits}, '.', ''), ',', '.')`
      : `replace(${digits}, ',', '')`;
  return `(CASE WHEN ${negative} THEN -1 ELSE 1 END) * TRY_CAST(NULLIF(${digits}, '') AS DOUBLE)`;
}

/** SQL for "this source row is a cancellation or return" (never NULL). */
export function cancellationExpr(
  rule: CancellationRule | undefined,
  columns: SourceColumn[],
): string {
  if (!rule) return 'FALSE';
  if (rule.kind === 'any') {
    return rule.rules.length
      ? `(${rule.rules.map((r) => cancellationExpr(r, columns)).join(' OR ')})`
      : 'FALSE';
  }
  const c = ident(rule.column);
  const type = columns.find((x) => x.name === rule.column)?.type ?? 'VARCHAR';
  switch (rule.kind) {
    case 'prefix':
      return `coalesce(starts_with(upper(CAST(${c} AS VARCHAR)), ${literal(rule.prefix.toUpperCase())}), FALSE)`;
    case 'values':
      return `coalesce(lower(trim(CAST(${c} AS VARCHAR))) IN (${rule.values.map((v) => literal(v.toLowerCase())).join(', ')}), FALSE)`;
    case 'not_null':
      return writtenExpr(rule.column, type);
    case 'negative':
      return isNumeric(type)
        ? `coalesce(${c} < 0, FALSE)`
        : `coalesce(${numberFromText(text(rule.column), '.')} < 0, FALSE)`;
  }
}

/** A mapping that maps nothing yet, with the defaults a careful analyst would pick. */
export function emptyTableMapping(source: string, kind: CanonicalTable): TableMapping {
  return {
    source,
    kind,
    columns: {},
    parse: {},
    amount: kind === 'orders' ? 'column' : undefined,
    include: { cancelled: false, nonPositive: false, duplicates: true },
    attributes: [],
  };
}

export function defaultTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
