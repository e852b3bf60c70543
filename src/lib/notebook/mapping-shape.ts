import { TABLE_LABELS, type CanonicalTable } from '../schema/canonical.ts';
import type { CancellationRule, Mapping, TableMapping, ValueParse } from '../schema/mapping.ts';
import { NotebookError } from './errors.ts';
import {
  compact,
  invalid,
  list,
  object,
  oneOf,
  optBool,
  optText,
  text,
  textList,
  textRecord,
  type Raw,
} from './fields.ts';

/**
 * The shape of a column mapping read from a file or link. This checks types
 * only; whether the columns exist in the loaded data is for
 * `schema/validate.ts`, once data is loaded.
 */

const KINDS = Object.keys(TABLE_LABELS) as CanonicalTable[];
const MAX_TABLES = 50;
const MAX_ATTRIBUTES = 500;
const MAX_RULE_DEPTH = 8;

/** A checked copy of a mapping, holding only the known fields. */
export function validateMappingShape(raw: unknown): Mapping {
  const where = 'the mapping';
  const o = object(raw, where);
  if (o.version !== 1) throw invalid(where, 'version', 'must be 1');
  return {
    version: 1,
    tables: list(o, 'tables', MAX_TABLES, where, (t, i) => table(t, `mapped table ${i + 1}`)),
    currency: text(o, 'currency', where),
    timeZone: text(o, 'timeZone', where),
  };
}

function table(raw: unknown, where: string): TableMapping {
  const o = object(raw, where);
  const parseRaw = object(o.parse, `${where} "parse"`);
  const include = object(o.include, `${where} "include"`);
  const flag = (key: string) => {
    if (typeof include[key] !== 'boolean')
      throw invalid(where, `include.${key}`, 'must be true or false');
    return include[key];
  };
  return compact({
    source: text(o, 'source', where),
    kind: oneOf(o, 'kind', KINDS, where),
    columns: textRecord(o, 'columns', where),
    parse: Object.fromEntries(
      Object.entries(parseRaw).map(([k, v]) => [k, valueParse(v, `${where} parse "${k}"`)]),
    ),
    amount:
      o.amount === undefined
        ? undefined
        : oneOf(o, 'amount', ['column', 'product'] as const, where),
    cancellation:
      o.cancellation === undefined ? undefined : rule(o.cancellation, `${where} cancellation`, 0),
    include: {
      cancelled: flag('cancelled'),
      nonPositive: flag('nonPositive'),
      duplicates: flag('duplicates'),
    },
    attributes: textList(o, 'attributes', MAX_ATTRIBUTES, where),
  });
}

function valueParse(raw: unknown, where: string): ValueParse {
  const o = object(raw, where);
  return compact({
    date: optText(o, 'date', where),
    decimal: o.decimal === undefined ? undefined : oneOf(o, 'decimal', ['.', ','] as const, where),
    utc: optBool(o, 'utc', where),
  });
}

function rule(raw: unknown, where: string, depth: number): CancellationRule {
  if (depth > MAX_RULE_DEPTH) throw new NotebookError(`${where} is nested too deeply.`);
  const o: Raw = object(raw, where);
  const kind = oneOf(
    o,
    'kind',
    ['prefix', 'values', 'not_null', 'negative', 'any'] as const,
    where,
  );
  switch (kind) {
    case 'prefix':
      return { kind, column: text(o, 'column', where), prefix: text(o, 'prefix', where) };
    case 'values':
      return { kind, column: text(o, 'column', where), values: textList(o, 'values', 1000, where) };
    case 'not_null':
    case 'negative':
      return { kind, column: text(o, 'column', where) };
    case 'any':
      return { kind, rules: list(o, 'rules', 20, where, (r) => rule(r, where, depth + 1)) };
  }
}
