import type { SqlEngine } from '../engine/types.ts';
import { toRows } from '../engine/rows.ts';
import { ident, literal, options as sqlOptions, type SqlValue } from '../sql/quote.ts';
import {
  decodeHead,
  otherDelimiter,
  raggedRows,
  sniffDialect,
  sniffEncoding,
  splitRecords,
  splitWhitespace,
  unclosedQuote,
  DELIMITER_LABELS,
  type CsvDialect,
} from './dialect.ts';
import { ambiguousDateColumns, settleDateOrder } from './ambiguous-dates.ts';
import { explainEngineError, IngestError, raggedChoices } from './errors.ts';
import { collect, gunzip, streamHead, toUtf8, type InputFile } from './input.ts';
import { dedupe } from './names.ts';
import { refineTypes } from './refine.ts';

/** What the user may override, on top of what was sniffed. */
export interface CsvOptions extends Partial<CsvDialect> {
  /** What to do with rows whose field count differs: refuse (default), pad or skip. */
  badRows?: 'error' | 'pad' | 'skip';
  /** Read every column as text. */
  allText?: boolean;
}

export interface CsvLoad {
  dialect: CsvDialect;
  warnings: string[];
}

export interface StepHooks {
  signal?: AbortSignal;
  onProgress?: (fraction: number, label: string) => void;
}

const HEAD_BYTES = 256 * 1024;
/** Rows DuckDB samples to choose column types (its default is 20,480). */
const SAMPLE_ROWS = 100_000;

/** Whether DuckDB decodes this encoding itself; the others are transcoded to UTF-8 first. */
const NATIVE_ENCODING: Record<string, string | undefined> = {
  'utf-8': 'utf-8',
  'utf-16le': 'utf-16',
};

/**
 * Load a delimited text file into `table`. The dialect is sniffed in JavaScript
 * from the first 256 KB (DuckDB's own sniffer drops ragged rows silently), the
 * bytes are read by DuckDB itself, and column types are DuckDB's.
 */
export async function loadCsv(
  engine: SqlEngine,
  input: InputFile,
  table: string,
  options: CsvOptions,
  compressed: 'gzip' | undefined,
  hooks: StepHooks,
): Promise<CsvLoad> {
  const rawHead = compressed
    ? await streamHead(gunzip(input.stream()), HEAD_BYTES).catch((error: unknown) => {
        throw damagedGzip(input.name, error);
      })
    : await input.head(HEAD_BYTES);
  const encoding = options.encoding ?? sniffEncoding(rawHead);
  const text = decodeHead(rawHead, encoding);
  if (text.trim() === '') {
    throw new IngestError(
      input.name,
      'The file holds no text: only blank lines or spaces.',
      'Export the data again and check that the export finished.',
    );
  }
  const sniffed = sniffDialect(text, encoding);
  const dialect: CsvDialect = {
    ...sniffed,
    ...Object.fromEntries(
      Object.entries(options).filter(([k, v]) => v !== undefined && k in sniffed),
    ),
  } as CsvDialect;
  try {
    return await loadSniffed(
      engine,
      input,
      table,
      options,
      compressed,
      hooks,
      text,
      dialect,
      rawHead,
    );
  } catch (error) {
    if (error instanceof IngestError) error.dialect ??= { ...dialect };
    throw error;
  }
}

async function loadSniffed(
  engine: SqlEngine,
  input: InputFile,
  table: string,
  options: CsvOptions,
  compressed: 'gzip' | undefined,
  hooks: StepHooks,
  text: string,
  dialect: CsvDialect,
  rawHead: Uint8Array,
): Promise<CsvLoad> {
  const { encoding } = dialect;
  const complete = rawHead.length < HEAD_BYTES && !compressed && input.size <= HEAD_BYTES;
  const records =
    dialect.delimiter === 'whitespace'
      ? splitWhitespace(text)
      : splitRecords(text, dialect.delimiter, dialect.quote, 500, !complete);
  const body = records.slice(dialect.skip);
  if (body.length === 0 || (dialect.header && body.length === 1 && complete)) {
    throw new IngestError(
      input.name,
      body.length === 0
        ? 'The file has no rows.'
        : `The file has a header (${body[0].slice(0, 5).join(', ')}${body[0].length > 5 ? ', …' : ''}) but no rows of data.`,
      'Export the data again with its rows; check any filters applied in the exporting tool.',
    );
  }
  const badRows = options.badRows ?? 'error';
  const open = complete && dialect.delimiter !== 'whitespace' && unclosedQuote(text, dialect.quote);
  if (open && badRows === 'error') {
    throw new IngestError(
      input.name,
      `Line ${open} opens a quoted field (${dialect.quote}) that is never closed, so everything after it would be read as one value.`,
      `Close the quote on line ${open} (a quote inside a value is written twice: ""), or choose “no quote character” if the file does not quote its values.`,
    );
  }
  const ragged = raggedRows(records, dialect.skip);
  if (ragged.length > 0 && badRows === 'error') {
    const first = ragged[0];
    const where = ragged
      .slice(0, 3)
      .map((r) => `row ${r.line} has ${r.fields}`)
      .join(', ');
    const shown = ragged.slice(0, 3).map((r) => records[r.line - 1]);
    const other = otherDelimiter(shown, dialect.delimiter, first.expected);
    throw new IngestError(
      input.name,
      `Rows do not all have the same number of fields when split on ${DELIMITER_LABELS[dialect.delimiter]}: the first row has ${first.expected}, but ${where}${ragged.length > 3 ? ` (and ${ragged.length - 3} more in the first rows)` : ''}.${other ? ` Those rows are split by ${DELIMITER_LABELS[other]} instead: the file mixes delimiters.` : ''}`,
      other
        ? `Export the file again with one delimiter, or load anyway by skipping the rows that do not fit.`
        : 'Check the delimiter and quote character, or load anyway by padding short rows with empty values or skipping rows that do not fit.',
      raggedChoices,
    );
  }

  const ref = await registerText(engine, input, encoding, compressed, hooks);
  const warnings: string[] = [];
  try {
    if (dialect.delimiter === 'whitespace') {
      await loadWhitespace(engine, input.name, ref, table, dialect, body, options, hooks, warnings);
    } else {
      const header = dialect.header ? body[0] : undefined;
      const textDates =
        header && !options.allText
          ? ambiguousDateColumns(body.slice(1)).filter((i) => header[i]?.trim())
          : [];
      const types = Object.fromEntries(textDates.map((i) => [header![i], 'VARCHAR']));
      await loadDelimited(engine, ref, table, dialect, options, hooks, warnings, types);
      for (const i of textDates) {
        const example = body
          .slice(1)
          .find((r) => r[i]?.trim())
          ?.[i]?.trim();
        const order = await settleDateOrder(engine, table, header![i], example ?? '');
        if (order === 'ambiguous') {
          warnings.push(
            `Column “${header![i]}”: dates such as ${example} read the same day first or month first in every row, so they are kept as text; the mapping step reads them day first and flags the column for you to check.`,
          );
        }
      }
      if (dialect.header) warnings.push(...(await renamedHeaders(engine, table, body[0])));
    }
  } catch (error) {
    await engine.exec(`DROP TABLE IF EXISTS ${ident(table)}`).catch(() => undefined);
    throw explainEngineError(input.name, error) ?? error;
  } finally {
    await engine.dropFile(refName(input)).catch(() => undefined);
  }
  return { dialect, warnings };
}

function damagedGzip(file: string, error: unknown): IngestError {
  const detail = error instanceof Error ? error.message : String(error);
  return new IngestError(
    file,
    `The gzip-compressed file cannot be decompressed (${detail}): it is damaged or was cut off.`,
    'Download or compress the file again; if it is plain text, remove the .gz from its name.',
  );
}

/**
 * Header names DuckDB had to change (blank or repeated, which it makes unique), so
 * the user knows which column is which before mapping.
 */
async function renamedHeaders(engine: SqlEngine, table: string, header: string[]) {
  const names = toRows(
    await engine.query(
      `SELECT column_name AS name FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main' ORDER BY column_index`,
      { params: [table] },
    ),
  ).map((r) => String(r.name));
  const changes: string[] = [];
  header.forEach((raw, i) => {
    const name = names[i];
    if (name === undefined || name === raw) return;
    changes.push(
      raw.trim() === ''
        ? `column ${i + 1} has no name and was called “${name}”`
        : `“${raw}” (column ${i + 1}) repeats an earlier name and was renamed “${name}”`,
    );
  });
  if (changes.length === 0) return [];
  const more = changes.length > 5 ? ` (and ${changes.length - 5} more)` : '';
  return [
    `Header: ${changes.slice(0, 5).join('; ')}${more}. Rename the columns in the file if you want other names.`,
  ];
}

function refName(input: InputFile): string {
  return `ingest/${input.name}`;
}

/** Register the bytes with the engine, transcoding to UTF-8 when DuckDB cannot decode them. */
async function registerText(
  engine: SqlEngine,
  input: InputFile,
  encoding: string,
  compressed: 'gzip' | undefined,
  hooks: StepHooks,
): Promise<string> {
  const name = refName(input);
  if (NATIVE_ENCODING[encoding] && !(compressed && encoding !== 'utf-8')) {
    // DuckDB decompresses gzip itself when the name says so.
    return engine.registerFile(compressed ? `${name}.gz` : name, input.source);
  }
  let stream = input.stream();
  if (compressed) stream = gunzip(stream);
  const utf8 = await collect(
    toUtf8(stream, encoding),
    (n) =>
      hooks.onProgress?.(Math.min(0.5, n / Math.max(1, input.size) / 2), 'Converting to UTF-8'),
    hooks.signal,
  );
  return engine.registerFile(name, utf8);
}

/** `extra` is a fragment built in this file; any user text in it went through literal(). */
function readCsvCall(
  ref: string,
  settings: Record<string, SqlValue | undefined>,
  extra = '',
): string {
  return `read_csv(${literal(ref)}, ${sqlOptions(settings)}${extra})`;
}

async function loadDelimited(
  engine: SqlEngine,
  ref: string,
  table: string,
  dialect: CsvDialect,
  options: CsvOptions,
  hooks: StepHooks,
  warnings: string[],
  types: Record<string, string> = {},
) {
  const badRows = options.badRows ?? 'error';
  const native = NATIVE_ENCODING[dialect.encoding] ?? 'utf-8';
  const settings: Record<string, SqlValue | undefined> = {
    delim: dialect.delimiter,
    quote: dialect.quote,
    escape: dialect.quote,
    header: dialect.header,
    skip: dialect.skip,
    encoding: native,
    sample_size: SAMPLE_ROWS,
    all_varchar: options.allText ? true : undefined,
    null_padding: badRows === 'pad' ? true : undefined,
    strict_mode: badRows === 'pad' ? false : undefined,
    ignore_errors: badRows === 'skip' ? true : undefined,
    store_rejects: badRows === 'skip' ? true : undefined,
  };
  // Column names are user text: the struct is built with the one literal helper.
  const named = Object.entries(types);
  const extra = named.length
    ? `, types = {${named.map(([k, v]) => `${literal(k)}: ${literal(v)}`).join(', ')}}`
    : '';
  await engine.exec(
    `CREATE TABLE ${ident(table)} AS SELECT * FROM ${readCsvCall(ref, settings, extra)}`,
    {
      signal: hooks.signal,
      onProgress: (f) => hooks.onProgress?.(f, 'Reading rows'),
    },
  );
  if (badRows === 'skip') {
    const [row] = toRows(
      await engine.query(
        'SELECT count(DISTINCT line)::INTEGER AS n, min(line)::BIGINT AS first FROM reject_errors',
      ),
    );
    if (Number(row.n) > 0) {
      warnings.push(
        `Skipped ${row.n} row(s) that did not fit the columns (the first at line ${row.first}).`,
      );
    }
  }
}

/**
 * Aligned columns separated by runs of spaces (CDNOW's .txt files): DuckDB reads
 * whole lines, SQL splits them, and column types are then inferred in SQL.
 */
async function loadWhitespace(
  engine: SqlEngine,
  file: string,
  ref: string,
  table: string,
  dialect: CsvDialect,
  body: string[][],
  options: CsvOptions,
  hooks: StepHooks,
  warnings: string[],
) {
  const width = body[0].length;
  const names = dialect.header
    ? dedupe(body[0].map((n, i) => n || `column${i}`))
    : Array.from({ length: width }, (_, i) => `column${i}`);
  const lines = readCsvCall(
    ref,
    {
      delim: '\u001f',
      quote: '',
      escape: '',
      header: false,
      auto_detect: false,
      skip: dialect.skip + (dialect.header ? 1 : 0),
      encoding: NATIVE_ENCODING[dialect.encoding] ?? 'utf-8',
    },
    `, columns = {'line': 'VARCHAR'}`,
  );
  const split = `SELECT string_split_regex(trim(line), '\\s+') AS parts FROM ${lines} WHERE trim(line) <> ''`;
  const badRows = options.badRows ?? 'error';
  const [check] = toRows(
    await engine.query(
      `SELECT count(*) FILTER (WHERE len(parts) <> ${width})::INTEGER AS bad FROM (${split})`,
      { signal: hooks.signal },
    ),
  );
  const bad = Number(check.bad);
  if (bad > 0 && badRows === 'error') {
    throw new IngestError(
      file,
      `${bad} row(s) do not have ${width} space-separated fields.`,
      'Load anyway by padding short rows or skipping rows that do not fit.',
      raggedChoices,
    );
  }
  const filter = bad > 0 && badRows === 'skip' ? `WHERE len(parts) = ${width}` : '';
  if (filter) warnings.push(`Skipped ${bad} row(s) that did not have ${width} fields.`);
  const select = names.map((n, i) => `parts[${i + 1}] AS ${ident(n)}`).join(', ');
  await engine.exec(`CREATE TABLE ${ident(table)} AS SELECT ${select} FROM (${split}) ${filter}`, {
    signal: hooks.signal,
    onProgress: (f) => hooks.onProgress?.(f, 'Reading rows'),
  });
  if (!options.allText) await refineTypes(engine, table, hooks.signal);
}
