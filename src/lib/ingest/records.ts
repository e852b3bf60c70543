import * as arrow from 'apache-arrow';

/** A record as parsed from JSON or a spreadsheet row. */
export type Record_ = Record<string, unknown>;

type Kind = 'bool' | 'int' | 'float' | 'date' | 'timestamp' | 'string' | 'nested';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/;

function kindOf(value: unknown): Kind | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER
        ? 'int'
        : 'float';
    case 'bigint':
      return 'int';
    case 'string':
      if (ISO_DATE.test(value)) return 'date';
      if (ISO_TIMESTAMP.test(value)) return 'timestamp';
      return 'string';
    case 'object':
      if (value instanceof Date) {
        return value.getUTCHours() +
          value.getUTCMinutes() +
          value.getUTCSeconds() +
          value.getUTCMilliseconds() ===
          0
          ? 'date'
          : 'timestamp';
      }
      return 'nested';
  }
  return 'string';
}

/** The narrowest kind that holds both. */
function merge(a: Kind | undefined, b: Kind): Kind {
  if (a === undefined || a === b) return b;
  const pair = new Set([a, b]);
  if (pair.has('int') && pair.has('float')) return 'float';
  if (pair.has('date') && pair.has('timestamp')) return 'timestamp';
  if (pair.has('nested')) return 'nested';
  return 'string';
}

function parseTimestamp(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  const text = String(value).replace(' ', 'T');
  // ISO text without a zone is taken as UTC, never as the machine's local time.
  const ms = Date.parse(HAS_ZONE.test(text) || ISO_DATE.test(text) ? text : `${text}Z`);
  return Number.isNaN(ms) ? null : ms;
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Build an Arrow table from records, choosing each column's type from all its
 * values (not the first few rows: exports change type halfway down). Mixed
 * columns become text, nested values JSON text, integers Int64.
 */
export function recordsToArrow(records: Record_[], order?: string[]): arrow.Table {
  const kinds = new Map<string, Kind | undefined>();
  for (const name of order ?? []) kinds.set(name, undefined);
  for (const record of records) {
    for (const key in record) {
      const kind = kindOf(record[key]);
      const seen = kinds.get(key);
      if (kind === null) {
        if (!kinds.has(key)) kinds.set(key, undefined);
      } else kinds.set(key, merge(seen, kind));
    }
  }
  const vectors: Record<string, arrow.Vector> = {};
  for (const [name, kind] of kinds) {
    const values = records.map((r) => r[name]);
    vectors[name] = buildVector(values, kind ?? 'string');
  }
  return new arrow.Table(vectors);
}

function buildVector(values: unknown[], kind: Kind): arrow.Vector {
  switch (kind) {
    case 'bool':
      return arrow.vectorFromArray(
        values.map((v) => (v == null ? null : Boolean(v))),
        new arrow.Bool(),
      );
    case 'int':
      return arrow.vectorFromArray(
        values.map((v) => (v == null ? null : BigInt(v as number))),
        new arrow.Int64(),
      );
    case 'float':
      return arrow.vectorFromArray(
        values.map((v) => (v == null ? null : Number(v))),
        new arrow.Float64(),
      );
    case 'date':
      return arrow.vectorFromArray(values.map(parseTimestamp), new arrow.DateDay());
    case 'timestamp':
      return arrow.vectorFromArray(values.map(parseTimestamp), new arrow.TimestampMicrosecond());
    default:
      return arrow.vectorFromArray(values.map(asText), new arrow.Utf8());
  }
}

export function toIpc(table: arrow.Table): Uint8Array {
  return arrow.tableToIPC(table, 'stream');
}
