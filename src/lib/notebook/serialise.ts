import { validateAudit } from '../audit/validate.ts';
import { NotebookError } from './errors.ts';
import { isObject, list, object, optText, text, type Raw } from './fields.ts';
import { validateMappingShape } from './mapping-shape.ts';
import { NOTEBOOK_VERSION, type Notebook } from './types.ts';
import { validateCells, validateParameters } from './validate.ts';

/**
 * Notebooks as JSON text, for files and links. Reading treats the text as
 * hostile: every field is checked, unknown fields are dropped, sizes are
 * bounded, and anything wrong becomes a {@link NotebookError} with a sentence
 * to show. Old format versions are upgraded by {@link migrate}.
 */

/** Upper bounds on what a notebook may hold. */
export const LIMITS = {
  /** Characters in a notebook's JSON text. */
  text: 10_000_000,
  /** Characters in any one string, key or value. */
  string: 200_000,
  cells: 500,
  parameters: 200,
  /** Nesting of objects and lists. */
  depth: 40,
  /** Characters in a data address. */
  url: 2_000,
};

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Upgrades from one format version to the next: `MIGRATIONS[1]` turns a v1
 * document into v2, and so on. Version 1 is the only version so far.
 */
const MIGRATIONS: Record<number, (doc: Raw) => Raw> = {};

/**
 * The notebook as JSON text, with the column mapping only when asked for, and the
 * audit answers unless `includeAudit` is false (share links leave them out by default).
 */
export function serialiseNotebook(
  nb: Notebook,
  options: { includeMapping: boolean; includeAudit?: boolean; indent?: number },
): string {
  // Checking on the way out too keeps fields that were never part of the format out of files.
  const clean = notebookFromJson(nb);
  if (!options.includeMapping) delete clean.mapping;
  if (options.includeAudit === false) delete clean.audit;
  return JSON.stringify(clean, null, options.indent);
}

/** Read a notebook from JSON text (a file); throws a {@link NotebookError} for anything wrong. */
export function parseNotebook(text: string): Notebook {
  if (typeof text !== 'string') throw new NotebookError('A notebook must be read from text.');
  if (text.length > LIMITS.text) {
    throw new NotebookError('This file is too large to be a Retain notebook (over 10 MB).');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new NotebookError('This is not a Retain notebook: the text is not valid JSON.', {
      cause: error,
    });
  }
  return notebookFromJson(value);
}

/** Check and copy an already-parsed JSON value into a notebook. */
export function notebookFromJson(value: unknown): Notebook {
  try {
    checkTree(value);
    const doc = migrate(value);
    try {
      return validateNotebook(doc);
    } catch (error) {
      if (!(error instanceof NotebookError)) throw error;
      throw new NotebookError(`This notebook cannot be opened. ${error.message}`, { cause: error });
    }
  } catch (error) {
    if (error instanceof NotebookError) throw error;
    throw new NotebookError('This notebook cannot be opened: it is damaged.', { cause: error });
  }
}

/**
 * Bring a document of any known format version up to the current one. Throws
 * for a missing or unknown version, and for one made by a newer Retain.
 */
export function migrate(raw: unknown): Raw {
  if (!isObject(raw))
    throw new NotebookError('This is not a Retain notebook: it is not an object.');
  const version = raw.version;
  if (version === undefined) {
    throw new NotebookError('This is not a Retain notebook: it has no format version.');
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new NotebookError(
      `This notebook has an unknown format version (${JSON.stringify(version)}).`,
    );
  }
  if (version > NOTEBOOK_VERSION) {
    throw new NotebookError(
      `This notebook was made by a newer Retain (format version ${version}); ` +
        'update Retain to open it.',
    );
  }
  let doc = raw;
  for (let from = version; from < NOTEBOOK_VERSION; from++) {
    const step = MIGRATIONS[from];
    if (!step)
      throw new NotebookError(`Notebooks of format version ${from} can no longer be read.`);
    doc = step(doc);
  }
  return doc;
}

/** Reject forbidden keys, over-long strings and deep nesting anywhere in the tree, without recursion. */
function checkTree(root: unknown): void {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.length > LIMITS.string) {
        throw new NotebookError(
          `This notebook cannot be opened: it holds a text of more than ${LIMITS.string.toLocaleString('en')} characters.`,
        );
      }
    } else if (typeof value === 'object' && value !== null) {
      if (depth >= LIMITS.depth)
        throw new NotebookError('This notebook cannot be opened: it is nested too deeply.');
      for (const key of Object.keys(value)) {
        if (FORBIDDEN_KEYS.has(key)) {
          throw new NotebookError(
            `This notebook cannot be opened: it holds the forbidden key "${key}".`,
          );
        }
        stack.push([key, depth + 1], [(value as Raw)[key], depth + 1]);
      }
    }
  }
}

function validateNotebook(doc: Raw): Notebook {
  const where = 'the notebook';
  const id = text(doc, 'id', where);
  if (id.length === 0 || id.length > 100) throw bad('Its id must be 1 to 100 characters');
  const cells = doc.cells;
  if (!Array.isArray(cells)) throw bad('It has no list of cells');
  if (cells.length > LIMITS.cells) throw bad(`It has more than ${LIMITS.cells} cells`);
  const nb: Notebook = {
    version: NOTEBOOK_VERSION,
    id,
    title: text(doc, 'title', where),
    cells: validateCells(cells),
    parameters: validateParameters(
      list(doc, 'parameters', LIMITS.parameters, where, (p) => p),
      LIMITS.parameters,
    ),
    createdAt: timestamp(doc, 'createdAt'),
    updatedAt: timestamp(doc, 'updatedAt'),
  };
  if (doc.mapping !== undefined)
    nb.mapping = validateMappingShape(object(doc.mapping, 'the mapping'));
  const dataUrl = optText(doc, 'dataUrl', where);
  if (dataUrl !== undefined) nb.dataUrl = publicUrl(dataUrl);
  // Added within format version 1: optional, so older files open unchanged.
  if (doc.audit !== undefined) nb.audit = validateAudit(doc.audit);
  return nb;
}

function timestamp(doc: Raw, key: string): string {
  const value = text(doc, key, 'the notebook');
  if (!TIMESTAMP.test(value) || Number.isNaN(Date.parse(value))) {
    throw bad(`Its "${key}" is not a date and time`);
  }
  return value;
}

/** A data address must be a plain http(s) address, without a user name or password. */
function publicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad('Its data address is not a web address');
  }
  if (
    value.length > LIMITS.url ||
    !/^https?:$/.test(url.protocol) ||
    url.username ||
    url.password
  ) {
    throw bad('Its data address must be a public http or https address');
  }
  return value;
}

function bad(why: string): NotebookError {
  return new NotebookError(`${why}.`);
}
