import * as arrow from 'apache-arrow';
import { DuckDBTypeId, type DuckDBResultReader } from '@duckdb/node-api';

/**
 * Arrow types for native DuckDB result columns, chosen to match what DuckDB-WASM
 * returns where it matters (BIGINT stays Int64/bigint, dates and timestamps are
 * epoch milliseconds). DECIMAL becomes Float64 here but Decimal in WASM, which is
 * why analyses cast to DOUBLE in SQL. Nested and exotic types become text.
 */
function arrowType(id: DuckDBTypeId): arrow.DataType | null {
  switch (id) {
    case DuckDBTypeId.BOOLEAN:
      return new arrow.Bool();
    case DuckDBTypeId.TINYINT:
      return new arrow.Int8();
    case DuckDBTypeId.SMALLINT:
      return new arrow.Int16();
    case DuckDBTypeId.INTEGER:
      return new arrow.Int32();
    case DuckDBTypeId.BIGINT:
      return new arrow.Int64();
    case DuckDBTypeId.UTINYINT:
      return new arrow.Uint8();
    case DuckDBTypeId.USMALLINT:
      return new arrow.Uint16();
    case DuckDBTypeId.UINTEGER:
      return new arrow.Uint32();
    case DuckDBTypeId.UBIGINT:
      return new arrow.Uint64();
    case DuckDBTypeId.FLOAT:
      return new arrow.Float32();
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return new arrow.Float64();
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
    case DuckDBTypeId.UUID:
      return new arrow.Utf8();
    case DuckDBTypeId.BLOB:
      return new arrow.Binary();
    case DuckDBTypeId.DATE:
      return new arrow.DateDay();
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return new arrow.TimestampMillisecond();
    case DuckDBTypeId.TIMESTAMP_TZ:
      return new arrow.TimestampMillisecond('UTC');
    case DuckDBTypeId.SQLNULL:
      return new arrow.Null();
    default:
      return null;
  }
}

/** Convert a fully read native result to an Arrow table. */
export function readerToArrow(reader: DuckDBResultReader): arrow.Table {
  const names = reader.deduplicatedColumnNames();
  const count = reader.columnCount;
  const jsColumns = reader.getColumnsJS();
  let raw: ReturnType<DuckDBResultReader['getColumns']> | undefined;
  const vectors: Record<string, arrow.Vector> = {};
  for (let i = 0; i < count; i++) {
    const type = arrowType(reader.columnTypeId(i));
    let values: unknown[] = jsColumns[i] ?? [];
    if (type === null) {
      raw ??= reader.getColumns();
      values = raw[i].map((v) => (v === null ? null : String(v)));
    } else if (type instanceof arrow.Float64) {
      values = values.map((v) => (typeof v === 'bigint' ? Number(v) : v));
    } else if (type instanceof arrow.DateDay || type instanceof arrow.TimestampMillisecond) {
      values = values.map((v) => (v instanceof Date ? v.getTime() : v));
    }
    vectors[names[i]] = arrow.vectorFromArray(values, type ?? new arrow.Utf8());
  }
  return new arrow.Table(vectors);
}
