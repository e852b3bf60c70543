/**
 * The feature table as plain typed columns: what the training worker receives
 * (as an Arrow IPC stream, decoded there) and what the CLI passes in Node.
 */
import * as arrow from 'apache-arrow';

export interface RawDataset {
  ids: string[];
  /** 1 churned, 0 retained, -1 unknown (customers to score only). */
  label: Int8Array;
  /** Annual value, for ranking by risk × value. */
  value: Float64Array;
  /** Numeric features, NaN where missing. */
  numeric: { name: string; values: Float64Array }[];
  /** Text features, null where missing. */
  categorical: { name: string; values: (string | null)[] }[];
}

const FIXED = new Set(['customer_id', 'label', 'value']);

/** Read the result of a feature query (see features.ts) into columns. */
export function datasetFromArrow(table: arrow.Table): RawDataset {
  const n = table.numRows;
  const ids = stringColumn(table, 'customer_id').map((v) => v ?? '');
  const labelVector = table.getChild('label');
  const label = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const v = labelVector?.get(i);
    label[i] = v == null ? -1 : Number(v) ? 1 : 0;
  }
  const value = numberColumn(table, 'value');
  const numeric: RawDataset['numeric'] = [];
  const categorical: RawDataset['categorical'] = [];
  for (const field of table.schema.fields) {
    if (FIXED.has(field.name)) continue;
    if (arrow.DataType.isUtf8(field.type) || arrow.DataType.isLargeUtf8(field.type)) {
      categorical.push({ name: field.name, values: stringColumn(table, field.name) });
    } else {
      numeric.push({ name: field.name, values: numberColumn(table, field.name) });
    }
  }
  return { ids, label, value, numeric, categorical };
}

export function datasetFromIpc(bytes: Uint8Array): RawDataset {
  return datasetFromArrow(arrow.tableFromIPC(bytes));
}

function numberColumn(table: arrow.Table, name: string): Float64Array {
  const vector = table.getChild(name);
  const out = new Float64Array(table.numRows);
  if (!vector) return out.fill(Number.NaN);
  if (arrow.DataType.isFloat(vector.type) && vector.nullCount === 0) {
    out.set(vector.toArray() as Float64Array);
    return out;
  }
  for (let i = 0; i < out.length; i++) {
    const v = vector.get(i);
    out[i] = v == null ? Number.NaN : Number(v);
  }
  return out;
}

function stringColumn(table: arrow.Table, name: string): (string | null)[] {
  const vector = table.getChild(name);
  if (!vector) return new Array(table.numRows).fill(null);
  const out: (string | null)[] = new Array(table.numRows);
  for (let i = 0; i < out.length; i++) {
    const v = vector.get(i);
    out[i] = v == null ? null : String(v);
  }
  return out;
}

/** The rows of a dataset with a known label. */
export function labelledRows(data: RawDataset): Int32Array {
  const rows: number[] = [];
  for (let i = 0; i < data.label.length; i++) if (data.label[i] >= 0) rows.push(i);
  return Int32Array.from(rows);
}
