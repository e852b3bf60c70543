import { toRows } from '../engine/rows.ts';
import type { SqlEngine } from '../engine/types.ts';
import { ident, literal } from '../sql/quote.ts';

/** d/m/y or m/d/y with the same separator twice, optionally followed by a time. */
const NUMERIC_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/;

/**
 * Columns of a sampled CSV whose dates read the same day-first or month-first
 * (03/04/2024 with no value above 12 in either place). DuckDB's sniffer would
 * silently pick one order from its own sample; these columns are read as text and
 * settled over every row by {@link settleDateOrder}. `rows` excludes the header.
 */
export function ambiguousDateColumns(rows: string[][]): number[] {
  const width = Math.max(0, ...rows.map((r) => r.length));
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const values = rows.map((r) => (r[i] ?? '').trim()).filter(Boolean);
    if (values.length === 0) continue;
    const parts = values.map((v) => NUMERIC_DATE.exec(v));
    if (parts.some((m) => !m)) continue;
    const fits = parts.every((m) => Number(m![1]) <= 12 && Number(m![3]) <= 12);
    const differs = parts.some((m) => m![1] !== m![3]);
    if (fits && differs) out.push(i);
  }
  return out;
}

/**
 * The strptime format of a numeric date like `example`, day first or month first
 * (`05/01/2024 10:30` → `%d/%m/%Y %H:%M`).
 */
export function numericDateFormat(example: string, dayFirst: boolean): string | undefined {
  const m = /^\d{1,2}([/.-])\d{1,2}\1(\d{4}|\d{2})(?:[ T](\d{1,2}:\d{2})(:\d{2})?)?$/.exec(
    example.trim(),
  );
  if (!m) return undefined;
  const [, sep, year, time, seconds] = m;
  const date =
    (dayFirst ? ['%d', '%m'] : ['%m', '%d']).join(sep) + sep + (year.length === 4 ? '%Y' : '%y');
  return time ? `${date} %H:%M${seconds ? ':%S' : ''}` : date;
}

/**
 * Settle the order of an ambiguous date column (kept as text) over ALL its rows,
 * not just the sniffed sample: a day above 12 in the first place means day first,
 * in the second place month first, and the column is then converted (only when
 * every value parses). Returns 'ambiguous' when the whole column fits both orders.
 */
export async function settleDateOrder(
  engine: SqlEngine,
  table: string,
  column: string,
  example: string,
): Promise<'day-first' | 'month-first' | 'ambiguous' | 'mixed'> {
  const col = `trim(${ident(column)})`;
  const [parts] = toRows(
    await engine.query(
      `SELECT max(TRY_CAST(regexp_extract(${col}, '^(\\d{1,2})[/.-]', 1) AS INTEGER))::INTEGER AS a,
              max(TRY_CAST(regexp_extract(${col}, '^\\d{1,2}[/.-](\\d{1,2})', 1) AS INTEGER))::INTEGER AS b
       FROM ${ident(table)}`,
    ),
  );
  const a = Number(parts.a);
  const b = Number(parts.b);
  if (a > 12 === b > 12) return a > 12 ? 'mixed' : 'ambiguous';
  const order = a > 12 ? 'day-first' : 'month-first';
  const format = numericDateFormat(example, order === 'day-first');
  if (!format) return 'mixed';
  const [check] = toRows(
    await engine.query(
      `SELECT count(*) FILTER (WHERE ${col} <> '' AND try_strptime(${col}, ${literal(format)}) IS NULL)::INTEGER AS bad
       FROM ${ident(table)}`,
    ),
  );
  if (Number(check.bad) > 0) return 'mixed';
  const type = format.includes('%H') ? 'TIMESTAMP' : 'DATE';
  await engine.exec(
    `ALTER TABLE ${ident(table)} ALTER ${ident(column)} TYPE ${type}
     USING CAST(strptime(nullif(${col}, ''), ${literal(format)}) AS ${type})`,
  );
  return order;
}
