import { IngestError } from './errors.ts';
import { recordsToArrow, toIpc, type Record_ } from './records.ts';

export interface Parsed {
  ipc: Uint8Array;
  rows: number;
  warnings: string[];
}

/** Line and column of a character offset, for error messages. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/**
 * V8 names no position for some errors but quotes the text around it
 * (`Unexpected token ']', ..."C2"},\n]" is not valid JSON`); find that text.
 */
function locateSnippet(text: string, message: string): string | undefined {
  const quoted = /"(?:\.\.\.)?([\s\S]{4,}?)(?:\.\.\.)?" is not valid JSON/.exec(message)?.[1];
  const token = /Unexpected token '(.)'/.exec(message)?.[1];
  if (!quoted || !token) return undefined;
  const at = text.indexOf(quoted);
  const inSnippet = quoted.indexOf(token);
  return at >= 0 && inSnippet >= 0 ? String(at + inSnippet) : undefined;
}

function describeParseError(file: string, text: string, error: unknown, lineOffset?: number) {
  const message = error instanceof Error ? error.message : String(error);
  const pos = /position (\d+)/.exec(message)?.[1] ?? locateSnippet(text, message);
  // A comma before ] or } is the commonest hand-edit mistake; name it and point at the comma.
  const trailing =
    pos === undefined
      ? /,\s*[\]}]/.exec(text)
      : /[\]}]/.test(text[Number(pos)] ?? '')
        ? /,\s*$/.exec(text.slice(0, Number(pos)))
        : null;
  const where =
    lineOffset !== undefined
      ? `line ${lineOffset}`
      : trailing
        ? lineColumn(text, trailing.index)
        : pos !== undefined
          ? lineColumn(text, Number(pos))
          : (/line (\d+) column (\d+)/.exec(message)?.[0] ?? 'an unknown place');
  const truncated =
    text.trimEnd().length > 0 && /end of (JSON|data) input|Unterminated/i.test(message);
  return new IngestError(
    file,
    truncated
      ? `The JSON ends before it is complete (at ${where}); the file looks truncated.`
      : trailing
        ? `The JSON is not valid at ${where}: a comma before a closing bracket (trailing commas are not allowed in JSON).`
        : `The JSON is not valid at ${where}: ${message.replace(/^JSON\.parse: /, '')}.`,
    truncated
      ? 'Download or export the file again.'
      : trailing
        ? `Remove the comma at ${where}, or export the file again.`
        : 'Fix the file (a JSON validator shows the exact spot) or export it again.',
  );
}

function rowsFromValue(file: string, value: unknown, warnings: string[]): Record_[] {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw new IngestError(
        file,
        'The JSON list is empty: there are no records.',
        'Export the data again with its rows.',
      );
    }
    if (value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v)))
      return value as Record_[];
    if (value.every((v) => Array.isArray(v))) {
      const [header, ...rest] = value as unknown[][];
      if (header.every((h) => typeof h === 'string') && rest.length > 0) {
        return rest.map((r) => Object.fromEntries(header.map((h, i) => [h as string, r[i]])));
      }
    }
    warnings.push(
      `The JSON is a list of ${value.length.toLocaleString('en')} plain values, not records ({…}); each was read as a row of one column, “value”.`,
    );
    return value.map((v) => ({ value: v }));
  }
  if (value !== null && typeof value === 'object') {
    const arrays = Object.entries(value as Record_).filter(
      ([, v]) => Array.isArray(v) && v.length > 0 && typeof v[0] === 'object',
    ) as [string, unknown[]][];
    if (arrays.length > 0) {
      const [key, rows] = arrays.sort((a, b) => b[1].length - a[1].length)[0];
      warnings.push(`The file is a JSON object; its records were read from the "${key}" field.`);
      return rowsFromValue(file, rows, warnings);
    }
    throw new IngestError(
      file,
      'The JSON holds a single object, not a list of records.',
      'Load a JSON array of objects ([{…}, {…}]) or NDJSON (one object per line).',
    );
  }
  throw new IngestError(
    file,
    `The JSON holds a single ${value === null ? 'null' : typeof value}, not a list of records.`,
    'Load a JSON array of objects ([{…}, {…}]) or NDJSON (one object per line).',
  );
}

/** Parse a JSON document (an array of records, or an object holding one) into Arrow. */
export function parseJson(file: string, text: string): Parsed {
  if (text.replace(/^\uFEFF/, '').trim() === '') {
    throw new IngestError(
      file,
      'The JSON file holds no data: only spaces or blank lines.',
      'Export the data again and check that the export finished.',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw describeParseError(file, text, error);
  }
  const warnings: string[] = [];
  const rows = rowsFromValue(file, value, warnings);
  return { ipc: toIpc(recordsToArrow(rows)), rows: rows.length, warnings };
}

/** Parse NDJSON: one JSON object per line; blank lines are ignored. */
export function parseNdjson(file: string, text: string): Parsed {
  const rows: Record_[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw describeParseError(file, line, error, i + 1);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new IngestError(
        file,
        `Line ${i + 1} is not a JSON object.`,
        'Each line of an NDJSON file must be one object ({…}).',
      );
    }
    rows.push(value as Record_);
  }
  if (rows.length === 0) {
    throw new IngestError(file, 'The file has no records.', 'Export the data again with its rows.');
  }
  return { ipc: toIpc(recordsToArrow(rows)), rows: rows.length, warnings: [] };
}
