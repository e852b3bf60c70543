/**
 * The one place where text becomes SQL. Every identifier goes through `ident`,
 * every value that is not bound as a parameter goes through `literal`.
 * Nothing else in the code base may build SQL out of user text.
 */

/** Quote an identifier for DuckDB: wrap in double quotes, double any inner quote. */
export function ident(name: string): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypeError('An SQL identifier must be a non-empty string.');
  }
  if (name.includes('\u0000')) throw new TypeError('An SQL identifier cannot contain NUL.');
  return `"${name.replaceAll('"', '""')}"`;
}

/** A dotted name (`schema.table`), each part quoted. */
export function qualified(...parts: string[]): string {
  return parts.map(ident).join('.');
}

export type SqlValue = string | number | bigint | boolean | null | Date;

/**
 * A SQL literal for a value. Strings use single quotes with inner quotes
 * doubled; numbers must be finite; dates become TIMESTAMP literals in UTC.
 */
export function literal(value: SqlValue): string {
  if (value === null) return 'NULL';
  switch (typeof value) {
    case 'string':
      if (value.includes('\u0000')) throw new TypeError('An SQL string cannot contain NUL.');
      return `'${value.replaceAll("'", "''")}'`;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`Not a finite number: ${value}`);
      return Object.is(value, -0) ? '0' : String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'object':
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new TypeError('Invalid date.');
        return `TIMESTAMP '${value.toISOString().replace('T', ' ').replace('Z', '')}'`;
      }
  }
  throw new TypeError(`Cannot write ${String(value)} as an SQL literal.`);
}

/** A DuckDB struct/map-free option list: `key=value, …` with quoted values. */
export function options(entries: Record<string, SqlValue | SqlValue[] | undefined>): string {
  return Object.entries(entries)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(k)) throw new TypeError(`Bad option name: ${k}`);
      const value = Array.isArray(v) ? `[${v.map(literal).join(', ')}]` : literal(v as SqlValue);
      return `${k} = ${value}`;
    })
    .join(', ');
}
