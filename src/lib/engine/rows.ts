import * as arrow from 'apache-arrow';

/** A plain JS value from a result cell: what UIs, tests and the CLI work with. */
export type Cell = string | number | boolean | null | Date | Cell[] | { [key: string]: Cell };

export interface ColumnInfo {
  name: string;
  /** Arrow's type name, e.g. Int64, Utf8, Timestamp<MICROSECOND>. */
  type: string;
}

export interface RowsOptions {
  /** Turn date/timestamp columns into Date objects (default) or leave epoch milliseconds. */
  dates?: 'date' | 'ms';
}

/**
 * Normalise an Arrow result into plain rows, so both engines give the same JS values:
 * BIGINT and DECIMAL become numbers, dates become Date objects in UTC.
 */
export function toRows(table: arrow.Table, options: RowsOptions = {}): Record<string, Cell>[] {
  const fields = table.schema.fields;
  const converters = fields.map((f) => converter(f.type, options));
  const columns = fields.map((_, i) => table.getChildAt(i));
  const rows: Record<string, Cell>[] = new Array(table.numRows);
  for (let r = 0; r < table.numRows; r++) {
    const row: Record<string, Cell> = {};
    for (let c = 0; c < fields.length; c++) {
      row[fields[c].name] = converters[c](columns[c]?.get(r));
    }
    rows[r] = row;
  }
  return rows;
}

/** The values of one column, normalised like {@link toRows}. */
export function column(table: arrow.Table, name: string, options: RowsOptions = {}): Cell[] {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`No column ${name} in the result.`);
  const convert = converter(vector.type, options);
  return Array.from({ length: vector.length }, (_, i) => convert(vector.get(i)));
}

/**
 * A text column as strings (`missing` for NULL), decoded a chunk at a time: a chunk of
 * plain ASCII (IDs, codes, month labels) is decoded once and cut at its offsets, where
 * reading value by value took a tenth of a second per 100,000s of rows on the page.
 * Other types, and text with other characters, go value by value like {@link column}.
 */
export function textColumn(table: arrow.Table, name: string, missing = 'null'): string[] {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`No column ${name} in the result.`);
  if (!arrow.DataType.isUtf8(vector.type))
    return column(table, name).map((v) => (v === null ? missing : String(v)));
  const out = new Array<string>(vector.length);
  const decoder = new TextDecoder();
  let at = 0;
  for (const data of vector.data) {
    const offsets = data.valueOffsets as Int32Array;
    const start = offsets[0];
    const bytes = (data.values as Uint8Array).subarray(start, offsets[data.length]);
    const text = decoder.decode(bytes);
    // one UTF-16 unit per byte only when every byte is ASCII: offsets are then positions
    const ascii = text.length === bytes.length;
    for (let i = 0; i < data.length; i++, at++) {
      if (data.nullCount > 0 && !data.getValid(i)) out[at] = missing;
      else if (ascii) out[at] = text.slice(offsets[i] - start, offsets[i + 1] - start);
      else out[at] = decoder.decode(bytes.subarray(offsets[i] - start, offsets[i + 1] - start));
    }
  }
  return out;
}

/**
 * A numeric column as a Float64Array, `missing` for NULL (BIGINT and DECIMAL as numbers,
 * like {@link toRows}). Floating-point and ≤ 32-bit integer columns without NULLs are
 * copied straight from Arrow's buffers: per-customer inputs (hundreds of thousands of
 * rows) then skip building one object per row.
 */
export function numberColumn(table: arrow.Table, name: string, missing = NaN): Float64Array {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`No column ${name} in the result.`);
  const type = vector.type;
  const plain = arrow.DataType.isFloat(type) || (arrow.DataType.isInt(type) && type.bitWidth <= 32);
  if (plain && vector.nullCount === 0)
    return Float64Array.from(vector.toArray() as ArrayLike<number>);
  const convert = converter(type, {});
  const out = new Float64Array(vector.length);
  for (let i = 0; i < vector.length; i++) {
    const v = convert(vector.get(i));
    out[i] = v == null ? missing : Number(v);
  }
  return out;
}

export function columnsOf(table: arrow.Table): ColumnInfo[] {
  return table.schema.fields.map((f) => ({ name: f.name, type: String(f.type) }));
}

function converter(type: arrow.DataType, options: RowsOptions): (v: unknown) => Cell {
  if (arrow.DataType.isDecimal(type)) {
    const scale = type.scale;
    return (v) => (v == null ? null : Number(arrow.util.bigNumToNumber(v as never, scale)));
  }
  if (arrow.DataType.isInt(type) && type.bitWidth === 64) {
    return (v) => (v == null ? null : Number(v as bigint));
  }
  if (arrow.DataType.isDate(type) || arrow.DataType.isTimestamp(type)) {
    if (options.dates === 'ms') return (v) => (v == null ? null : Number(v));
    return (v) => (v == null ? null : new Date(Number(v)));
  }
  if (arrow.DataType.isList(type) || arrow.DataType.isFixedSizeList(type)) {
    const child = converter(type.children[0].type, options);
    return (v) => (v == null ? null : Array.from(v as Iterable<unknown>, child));
  }
  if (arrow.DataType.isStruct(type)) {
    const children = type.children.map((f) => [f.name, converter(f.type, options)] as const);
    return (v) => {
      if (v == null) return null;
      const src = v as Record<string, unknown>;
      return Object.fromEntries(children.map(([name, conv]) => [name, conv(src[name])]));
    };
  }
  if (arrow.DataType.isTime(type)) return (v) => (v == null ? null : String(v));
  if (arrow.DataType.isBinary(type))
    return (v) => (v == null ? null : `<${(v as Uint8Array).length} bytes>`);
  if (arrow.DataType.isInterval(type)) return (v) => (v == null ? null : String(v));
  return (v) => (v === undefined ? null : (v as Cell));
}
