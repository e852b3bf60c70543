import type { Cell } from './engine/rows.ts';

/** Number formats shared by every view, in the user's locale. */
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 4 });

export function formatCount(n: number): string {
  return integer.format(n);
}

const tick = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/**
 * A numeric chart tick in the user's locale ("1,250" in English, "1.250" in German).
 * Plot's own default is d3's US English format whatever the locale.
 */
export function formatTick(n: unknown): string {
  return typeof n === 'number' ? tick.format(n) : String(n);
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

/** Money in the mapping's currency, in the user's locale. */
export function formatMoney(n: number | null | undefined, currency = 'GBP', digits = 2): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      maximumFractionDigits: digits,
      minimumFractionDigits: digits,
    }).format(n);
  } catch {
    return `${n.toFixed(digits)} ${currency}`;
  }
}

/** A percentage given as 0–100. */
export function formatPercent(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n)} %`;
}

/** A plain number with a fixed number of decimals, or a dash. */
export function formatNumber(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return new Intl.NumberFormat(undefined, {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(n);
}

/** The label of a calendar period starting at `start` (UTC). */
export function formatPeriod(start: Date, period: 'month' | 'quarter' | 'year'): string {
  const y = start.getUTCFullYear();
  if (period === 'year') return String(y);
  if (period === 'quarter') return `${y} Q${Math.floor(start.getUTCMonth() / 3) + 1}`;
  return `${y}-${String(start.getUTCMonth() + 1).padStart(2, '0')}`;
}
