import type { SqlValue } from '../sql/quote.ts';
import { NotebookError } from './errors.ts';
import { isWordChar, scanSql } from './sql-scan.ts';
import type { Parameter } from './types.ts';

/** SQL with its `$name` references replaced by `?`, ready for `engine.query(sql, { params: values })`. */
export interface BoundSql {
  sql: string;
  /** One value per `?`, in order of appearance. */
  values: SqlValue[];
  /** The parameter names used, each once, in order of first use. */
  used: string[];
}

/** A `$name` reference: where it sits in the text and the name without `$`. */
interface Reference {
  start: number;
  end: number;
  name: string;
}

const REFERENCE = /\$([A-Za-z][A-Za-z0-9_]*)/g;

/** Every `$name` in the code parts of `sql` (not in strings, quoted identifiers or comments). */
function references(sql: string): Reference[] {
  const found: Reference[] = [];
  for (const segment of scanSql(sql)) {
    if (segment.kind !== 'code') continue;
    const code = sql.slice(segment.start, segment.end);
    for (const match of code.matchAll(REFERENCE)) {
      const at = segment.start + match.index;
      // `a$b` is one identifier in DuckDB, not `a` followed by a parameter.
      if (isWordChar(sql[at - 1])) continue;
      found.push({ start: at, end: at + match[0].length, name: match[1] });
    }
  }
  return found;
}

/** The parameter names `sql` refers to as `$name`, each once, in order of first use. */
export function parameterReferences(sql: string): string[] {
  return [...new Set(references(sql).map((r) => r.name))];
}

/**
 * Replace each `$name` in `sql` by a `?` placeholder and collect the values to
 * bind, so a parameter's value never becomes SQL text. Text inside strings,
 * quoted identifiers and comments is left alone.
 *
 * Values are bound as they are stored: numbers as numbers, text and choices as
 * strings, dates as 'YYYY-MM-DD' strings, and an empty parameter (null) as NULL.
 * A date parameter should therefore be cast where it is used, `$start::DATE`,
 * so DuckDB compares dates rather than text.
 *
 * Throws a {@link NotebookError} for a `$name` that is not a parameter, or for a
 * bare `?`, which would shift every placeholder after it.
 */
export function bindParameters(sql: string, parameters: readonly Parameter[]): BoundSql {
  const byName = new Map(parameters.map((p) => [p.name, p]));
  for (const segment of scanSql(sql)) {
    if (segment.kind === 'code' && sql.slice(segment.start, segment.end).includes('?')) {
      throw new NotebookError('Write parameters as $name: a bare ? in the SQL cannot be bound.');
    }
  }
  let out = '';
  let from = 0;
  const values: SqlValue[] = [];
  const used = new Set<string>();
  for (const ref of references(sql)) {
    const parameter = byName.get(ref.name);
    if (!parameter) throw unknownParameter(ref.name, parameters);
    out += sql.slice(from, ref.start) + '?';
    from = ref.end;
    values.push(parameter.value);
    used.add(ref.name);
  }
  return { sql: out + sql.slice(from), values, used: [...used] };
}

function unknownParameter(name: string, parameters: readonly Parameter[]): NotebookError {
  const known = parameters.map((p) => `$${p.name}`).join(', ');
  return new NotebookError(
    `There is no parameter named $${name}. ` +
      (known ? `The parameters are: ${known}.` : 'This notebook has no parameters yet.'),
  );
}
