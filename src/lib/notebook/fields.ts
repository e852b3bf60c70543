import { NotebookError } from './errors.ts';

/**
 * Typed readers for untrusted objects: each returns the field when it has the
 * right type and throws a {@link NotebookError} naming the field otherwise.
 * `where` names the object in the sentence ("cell 3", "the parameter").
 */

/** A JSON object as read from untrusted input. */
export type Raw = Record<string, unknown>;

/** Whether `value` is an object that is neither null nor an array. */
export function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A NotebookError about field `key` of `where`. */
export function invalid(where: string, key: string, should: string): NotebookError {
  return new NotebookError(`${capitalise(where)}: "${key}" ${should}.`);
}

/** A NotebookError giving a whole-sentence `problem` with `where`, e.g. "Cell 3: The name … is reserved." */
export function located(where: string, problem: string): NotebookError {
  return new NotebookError(`${capitalise(where)}: ${problem}`);
}

/** `raw` as an object, or an error saying `where` is not one. */
export function object(raw: unknown, where: string): Raw {
  if (!isObject(raw)) throw new NotebookError(`${capitalise(where)} is not an object.`);
  return raw;
}

/** A required text field. */
export function text(o: Raw, key: string, where: string): string {
  if (typeof o[key] !== 'string') throw invalid(where, key, 'must be text');
  return o[key];
}

/** An optional text field: absent gives undefined; null or another type is an error. */
export function optText(o: Raw, key: string, where: string): string | undefined {
  return o[key] === undefined ? undefined : text(o, key, where);
}

/** An optional true/false field. */
export function optBool(o: Raw, key: string, where: string): boolean | undefined {
  if (o[key] === undefined) return undefined;
  if (typeof o[key] !== 'boolean') throw invalid(where, key, 'must be true or false');
  return o[key];
}

/** A required field whose value is one of `allowed`. */
export function oneOf<T extends string>(
  o: Raw,
  key: string,
  allowed: readonly T[],
  where: string,
): T {
  const value = o[key];
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(where, key, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** An array field of at most `max` items, each read by `item`. */
export function list<T>(
  o: Raw,
  key: string,
  max: number,
  where: string,
  item: (value: unknown, index: number) => T,
): T[] {
  const value = o[key];
  if (!Array.isArray(value)) throw invalid(where, key, 'must be a list');
  if (value.length > max) throw invalid(where, key, `has more than ${max} entries`);
  return value.map(item);
}

/** A list of text values. */
export function textList(o: Raw, key: string, max: number, where: string): string[] {
  return list(o, key, max, where, (v) => {
    if (typeof v !== 'string') throw invalid(where, key, 'must hold only text');
    return v;
  });
}

/** An object field whose values are all text. */
export function textRecord(o: Raw, key: string, where: string): Record<string, string> {
  const value = object(o[key] ?? null, `${where} "${key}"`);
  const entries = Object.entries(value);
  if (entries.some(([, v]) => typeof v !== 'string')) {
    throw invalid(where, key, 'must map names to text');
  }
  // fromEntries defines own properties, so even a "__proto__" key cannot touch a prototype.
  return Object.fromEntries(entries) as Record<string, string>;
}

/** `value` with its undefined fields removed, so optional fields are absent rather than undefined. */
export function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
