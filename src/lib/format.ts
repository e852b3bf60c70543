import type { Cell } from './engine/rows.ts';

/** Number formats shared by every view, in the user's locale. */
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 4 });

export function formatCount(n: number): string {
  return integer.format(n);
}

/** "1 row", "541,909 rows". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A result cell as text for a grid: dates in ISO (UTC), numbers localised. */
export function formatCell(value: Cell, type = ''): string {
  if (value === null) return '';
  if (value instanceof Date) {
    const iso = value.toISOString();
    if (type === 'DATE') return iso.slice(0, 10);
    return iso.endsWith('T00:00:00.000Z') && type !== 'TIMESTAMP'
      ? iso.slice(0, 10)
      : iso.slice(0, 19).replace('T', ' ');
  }
  if (typeof value === 'number')
    return Number.isInteger(value) ? integer.format(value) : decimal.format(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

/** Whether a column type is numeric (right-aligned in grids). */
export function isNumericType(type: string): boolean {
  return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/.test(
    type,
  );
}
