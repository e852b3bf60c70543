import { toRows } from '../engine/rows.ts';
import { formatCount } from '../format.ts';
import type { SqlEngine } from '../engine/types.ts';
import { ident } from '../sql/quote.ts';
import { ROLES, type ColumnType, type RoleSpec } from './canonical.ts';
import {
  isNumeric,
  isTemporal,
  valueExpr,
  writtenExpr,
  type Mapping,
  type TableMapping,
  type ValueParse,
} from './mapping.ts';
import { roleSpec } from './mapping.ts';
import { sourceColumns } from './views.ts';
import { isValidTimeZone } from './timezone.ts';

export interface MappingProblem {
  source: string;
  role: string;
  column?: string;
  /** What is wrong, in a sentence, with counts. */
  problem: string;
  /** Rows whose value is present but cannot be read as the role's type. */
  failing: number;
  /** Rows with a value present. */
  present: number;
  examples: { row: number; value: string }[];
  /** A fatal problem refuses the mapping; otherwise the failing rows are excluded and counted. */
  fatal: boolean;
}

const TYPE_WORDS: Record<string, string> = {
  TIMESTAMP: 'a date',
  DOUBLE: 'a number',
  BOOLEAN: 'yes/no',
  VARCHAR: 'text',
};

/** Share of present values that may fail to parse before a mapping is refused. */
const FATAL_SHARE = 0.5;

/**
 * Check a mapping against the data before any view is built: required roles
 * mapped, every mapped column existing, values that parse as the role's type.
 * Failing rows are counted with examples; a role where most values fail (text
 * mapped as an amount, dates in another format, an ID column of nulls) is fatal.
 */
export async function validateMapping(
  engine: SqlEngine,
  mapping: Mapping,
): Promise<MappingProblem[]> {
  const problems: MappingProblem[] = [];
  if (!isValidTimeZone(mapping.timeZone)) {
    problems.push({
      source: '',
      role: 'timeZone',
      problem: `“${mapping.timeZone}” is not a time zone this browser knows.`,
      failing: 0,
      present: 0,
      examples: [],
      fatal: true,
    });
  }
  for (const tm of mapping.tables) problems.push(...(await validateTable(engine, tm)));
  return problems;
}

/**
 * Whether reading a written value of `sourceType` as `target` can fail (give NULL):
 * only text read as a number, date or yes/no, and numbers read as epoch times.
 * Anything read as text, numbers as numbers and dates as dates always succeed, so
 * their failures are not counted row by row.
 */
function canFail(sourceType: string, target: ColumnType, parse: ValueParse = {}): boolean {
  switch (target) {
    case 'VARCHAR':
      return false;
    case 'TIMESTAMP':
      return !isTemporal(sourceType) || Boolean(parse.date);
    case 'DOUBLE':
      return !isNumeric(sourceType) && sourceType !== 'BOOLEAN';
    case 'BOOLEAN':
      return !isNumeric(sourceType) && sourceType !== 'BOOLEAN';
  }
}

async function validateTable(engine: SqlEngine, tm: TableMapping): Promise<MappingProblem[]> {
  const problems: MappingProblem[] = [];
  const columns = await sourceColumns(engine, tm.source);
  if (columns.length === 0) {
    return [
      {
        source: tm.source,
        role: '',
        problem: `The table ${tm.source} no longer exists.`,
        failing: 0,
        present: 0,
        examples: [],
        fatal: true,
      },
    ];
  }
  const specs = ROLES[tm.kind] as readonly RoleSpec[];
  for (const spec of specs) {
    const productAmount =
      tm.kind === 'orders' && spec.column === 'amount' && tm.amount === 'product';
    if (productAmount) {
      for (const part of ['quantity', 'unit_price']) {
        if (!tm.columns[part]) {
          problems.push({
            source: tm.source,
            role: part,
            problem: `Amount is quantity × unit price, but no ${part === 'quantity' ? 'quantity' : 'unit price'} column is chosen.`,
            failing: 0,
            present: 0,
            examples: [],
            fatal: true,
          });
        }
      }
      continue;
    }
    if (spec.required && !tm.columns[spec.column]) {
      problems.push({
        source: tm.source,
        role: spec.column,
        problem: `${spec.label} is required for ${tm.kind}: choose the column that holds it.`,
        failing: 0,
        present: 0,
        examples: [],
        fatal: true,
      });
    }
  }
  const mapped = Object.entries(tm.columns).filter(
    ([role, column]) => column && roleSpec(tm.kind, role),
  );
  for (const [role, column] of mapped) {
    if (!columns.some((c) => c.name === column)) {
      problems.push({
        source: tm.source,
        role,
        column,
        problem: `The column “${column}” does not exist in ${tm.source}.`,
        failing: 0,
        present: 0,
        examples: [],
        fatal: true,
      });
    }
  }
  const checkable = mapped.filter(([, column]) => columns.some((c) => c.name === column));
  if (checkable.length === 0) return problems;
  const exprs = checkable.map(([role, column]) => {
    const spec = roleSpec(tm.kind, role)!;
    const type = columns.find((c) => c.name === column)!.type;
    const value = valueExpr(column, type, spec.type, tm.parse[role]);
    const has = writtenExpr(column, type);
    return { role, column, spec, value, has, canFail: canFail(type, spec.type, tm.parse[role]) };
  });
  const [counts] = toRows(
    await engine.query(
      `SELECT count(*)::DOUBLE AS rows, ${exprs
        .map(
          (e, i) =>
            `count(*) FILTER (WHERE ${e.has})::DOUBLE AS p${i}, ${e.canFail ? `count(*) FILTER (WHERE ${e.has} AND (${e.value}) IS NULL)::DOUBLE` : '0::DOUBLE'} AS f${i}`,
        )
        .join(', ')} FROM ${ident(tm.source)}`,
    ),
  );
  const rows = Number(counts.rows);
  for (const [i, e] of exprs.entries()) {
    const present = Number(counts[`p${i}`]);
    const failing = Number(counts[`f${i}`]);
    if (present === 0 && rows > 0) {
      problems.push({
        source: tm.source,
        role: e.role,
        column: e.column,
        problem: `${e.column} is empty in all ${formatCount(rows)} rows, so it cannot be the ${e.spec.label.toLowerCase()}.`,
        failing: 0,
        present: 0,
        examples: [],
        fatal: e.spec.required,
      });
      continue;
    }
    if (failing === 0) continue;
    const examples = toRows(
      await engine.query(
        `SELECT CAST(rowid + 1 AS DOUBLE) AS row, CAST(${ident(e.column)} AS VARCHAR) AS value FROM ${ident(tm.source)}
         WHERE ${e.has} AND (${e.value}) IS NULL LIMIT 5`,
      ),
    ).map((r) => ({ row: Number(r.row), value: String(r.value) }));
    const fatal = e.spec.required && failing > present * FATAL_SHARE;
    problems.push({
      source: tm.source,
      role: e.role,
      column: e.column,
      problem: `${formatCount(failing)} of ${formatCount(present)} values in ${e.column} cannot be read as ${TYPE_WORDS[e.spec.type]} for ${e.spec.label.toLowerCase()}${fatal ? '' : '; those rows are left out and counted'}.`,
      failing,
      present,
      examples,
      fatal,
    });
  }
  return problems;
}
