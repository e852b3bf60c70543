/**
 * From raw feature columns to the design matrix a model trains on.
 *
 * Fitted on the training rows only (so validation and test rows never inform it):
 * - numbers: missing values are replaced by the training mean, and a 0/1
 *   "missing" column is added when any training row is missing; non-negative
 *   columns with strong right skew (sample skewness > 2, e.g. spend, order counts)
 *   are taken as log(1 + x) first; then standardised to mean 0, sd 1.
 * - categories: one-hot columns for levels held by at least max(10, 1 %) of the
 *   training rows, at most 20 levels; rarer levels and unseen or missing values
 *   share an "other" column. The most common level is the reference (no column),
 *   so a logistic model's coefficients read against it. Columns that look like
 *   identifiers (more than half the rows distinct) are left out.
 *
 * Each design column belongs to a feature group (the user's feature), which is
 * what importance and per-customer drivers are reported for.
 */
import type { RawDataset } from './dataset.ts';

export interface NumericStep {
  name: string;
  log: boolean;
  mean: number;
  sd: number;
  /** Fill for missing values, on the transformed scale (the training mean). */
  fill: number;
  missingColumn: boolean;
}

export interface CategoricalStep {
  name: string;
  /** Levels that get a column; the reference level gets none. */
  levels: string[];
  reference: string;
  /** Whether an "other" column exists (rare, unseen and missing values). */
  other: boolean;
}

export interface Preprocessor {
  numeric: NumericStep[];
  categorical: CategoricalStep[];
  /** Design column names, in order. */
  columns: string[];
  /** Feature group of each design column (index into `groups`). */
  columnGroup: number[];
  /** Feature groups: one per raw feature used. */
  groups: string[];
  /** Raw features left out, with the reason. */
  dropped: { name: string; reason: string }[];
}

const MAX_LEVELS = 20;

export function fitPreprocessor(data: RawDataset, train: ArrayLike<number>): Preprocessor {
  const columns: string[] = [];
  const columnGroup: number[] = [];
  const groups: string[] = [];
  const dropped: Preprocessor['dropped'] = [];
  const numeric: NumericStep[] = [];
  const categorical: CategoricalStep[] = [];
  const n = train.length;
  if (n === 0) throw new RangeError('There are no training rows.');

  for (const { name, values } of data.numeric) {
    let count = 0;
    let min = Infinity;
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const v = values[train[i]];
      if (Number.isNaN(v)) missing++;
      else {
        count++;
        if (v < min) min = v;
      }
    }
    if (count === 0) {
      dropped.push({ name, reason: 'no values in the training rows' });
      continue;
    }
    const log = min >= 0 && skewness(values, train) > 2;
    const f = (v: number) => (log ? Math.log1p(v) : v);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = values[train[i]];
      if (!Number.isNaN(v)) sum += f(v);
    }
    const mean = sum / count;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const v = values[train[i]];
      if (!Number.isNaN(v)) ss += (f(v) - mean) ** 2;
    }
    const sd = Math.sqrt(ss / count);
    if (!(sd > 0) && missing === 0) {
      dropped.push({ name, reason: 'the same value for every training row' });
      continue;
    }
    const group = groups.push(name) - 1;
    const step: NumericStep = {
      name,
      log,
      mean,
      sd: sd > 0 ? sd : 1,
      fill: mean,
      missingColumn: missing > 0,
    };
    numeric.push(step);
    columns.push(log ? `log(1 + ${name})` : name);
    columnGroup.push(group);
    if (step.missingColumn) {
      columns.push(`${name} missing`);
      columnGroup.push(group);
    }
  }

  for (const { name, values } of data.categorical) {
    const counts = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const v = values[train[i]];
      if (v != null) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    if (counts.size > n / 2 && counts.size > 20) {
      dropped.push({ name, reason: 'looks like an identifier (mostly distinct values)' });
      continue;
    }
    const minCount = Math.max(10, 0.01 * n);
    const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const kept = sorted.filter(([, c]) => c >= minCount).slice(0, MAX_LEVELS + 1);
    if (kept.length === 0) {
      dropped.push({
        name,
        reason: `every value is rarer than ${Math.ceil(minCount)} training rows`,
      });
      continue;
    }
    if (kept.length === 1 && kept[0][1] === n) {
      dropped.push({ name, reason: 'a single value in the training rows' });
      continue;
    }
    const reference = kept[0][0];
    const levels = kept.slice(1).map(([level]) => level);
    const other = kept.reduce((s, [, c]) => s + c, 0) < n;
    const group = groups.push(name) - 1;
    categorical.push({ name, levels, reference, other });
    for (const level of levels) {
      columns.push(`${name} = ${level}`);
      columnGroup.push(group);
    }
    if (other) {
      columns.push(`${name} = other`);
      columnGroup.push(group);
    }
  }
  if (columns.length === 0) {
    throw new RangeError(
      'No usable feature: every column is empty, constant or an identifier in the training rows.',
    );
  }
  return { numeric, categorical, columns, columnGroup, groups, dropped };
}

/** The design matrix (row-major Float32) for the given rows of `data`. */
export function transform(
  pre: Preprocessor,
  data: RawDataset,
  rows: ArrayLike<number>,
): { X: Float32Array; n: number; d: number } {
  const d = pre.columns.length;
  const n = rows.length;
  const X = new Float32Array(n * d);
  let c = 0;
  for (const step of pre.numeric) {
    const values = data.numeric.find((f) => f.name === step.name)?.values;
    if (!values) throw new RangeError(`The data has no feature “${step.name}” the model needs.`);
    for (let i = 0; i < n; i++) {
      const raw = values[rows[i]];
      const missing = Number.isNaN(raw);
      const v = missing ? step.fill : step.log ? Math.log1p(Math.max(raw, 0)) : raw;
      X[i * d + c] = (v - step.mean) / step.sd;
      if (step.missingColumn) X[i * d + c + 1] = missing ? 1 : 0;
    }
    c += step.missingColumn ? 2 : 1;
  }
  for (const step of pre.categorical) {
    const values = data.categorical.find((f) => f.name === step.name)?.values;
    if (!values) throw new RangeError(`The data has no feature “${step.name}” the model needs.`);
    const index = new Map(step.levels.map((level, j) => [level, j]));
    for (let i = 0; i < n; i++) {
      const v = values[rows[i]];
      if (v === step.reference) continue;
      const j = v == null ? undefined : index.get(v);
      if (j !== undefined) X[i * d + c + j] = 1;
      else if (step.other) X[i * d + c + step.levels.length] = 1;
    }
    c += step.levels.length + (step.other ? 1 : 0);
  }
  return { X, n, d };
}

/** Sample skewness (Fisher–Pearson, g1) of the non-missing values of the rows. */
function skewness(values: Float64Array, rows: ArrayLike<number>): number {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = values[rows[i]];
    if (!Number.isNaN(v)) {
      n++;
      sum += v;
    }
  }
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = values[rows[i]];
    if (!Number.isNaN(v)) {
      m2 += (v - mean) ** 2;
      m3 += (v - mean) ** 3;
    }
  }
  m2 /= n;
  m3 /= n;
  return m2 > 0 ? m3 / m2 ** 1.5 : 0;
}
