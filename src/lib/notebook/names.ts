import type { Cell, Parameter } from './types.ts';

/**
 * Names a person gives to parameters and SQL results. Both become SQL words
 * (`$start`, `FROM monthly`), so both follow one identifier rule. DuckDB folds
 * the case of identifiers, so uniqueness and the reserved list ignore case.
 */

/** Letters, digits and underscores, starting with a letter (ASCII only). */
export const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The canonical views a SQL cell's result must never shadow. */
export const RESERVED_NAMES: readonly string[] = [
  'orders',
  'orders_all',
  'customers',
  'subscriptions',
  'events',
  'feedback',
  'programme',
];

/** Internal tables and views are all prefixed with this. */
export const RESERVED_PREFIX = '_retain';

const RULE = 'use letters, digits and underscores, starting with a letter';

/** Whether `name` follows the identifier rule. */
export function isIdentifier(name: unknown): name is string {
  return typeof name === 'string' && IDENTIFIER.test(name);
}

/** Whether `name` is one of Retain's own tables or views (in any case). */
export function isReservedName(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_NAMES.includes(lower) || lower.startsWith(RESERVED_PREFIX);
}

/**
 * Why `name` cannot name the result of the SQL cell `selfId`, or null when it can.
 * The sentence is meant for the person typing the name.
 */
export function cellNameProblem(
  name: string,
  cells: readonly Cell[],
  selfId?: string,
): string | null {
  if (!isIdentifier(name)) return `The name "${name}" is not allowed: ${RULE}.`;
  if (isReservedName(name)) {
    return `The name "${name}" is reserved for Retain's own tables; choose another.`;
  }
  const lower = name.toLowerCase();
  const clash = cells.find(
    (c) => c.kind === 'sql' && c.id !== selfId && c.name?.toLowerCase() === lower,
  );
  return clash ? `Another cell is already named "${name}".` : null;
}

/** Why `name` cannot name a parameter (other than `self`), or null when it can. */
export function parameterNameProblem(
  name: string,
  parameters: readonly Parameter[],
  self?: string,
): string | null {
  if (!isIdentifier(name)) return `The parameter name "${name}" is not allowed: ${RULE}.`;
  const lower = name.toLowerCase();
  const clash = parameters.find((p) => p.name !== self && p.name.toLowerCase() === lower);
  return clash ? `There is already a parameter named "${clash.name}".` : null;
}

/**
 * A free name for a copy of the result named `name`: `name_2`, `name_3`, ….
 * A copy of `name_2` (when `name` exists) becomes `name_3`, not `name_2_2`.
 */
export function freeCellName(name: string, cells: readonly Cell[]): string {
  const taken = new Set(
    cells.flatMap((c) => (c.kind === 'sql' && c.name ? [c.name.toLowerCase()] : [])),
  );
  const suffixed = /^(.+)_(\d+)$/.exec(name);
  const base = suffixed && taken.has(suffixed[1].toLowerCase()) ? suffixed[1] : name;
  for (let n = 2; ; n++) {
    const candidate = `${base}_${n}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}
