import {
  listTables,
  recordSource,
  RESERVED_NAMES,
  tableNames,
  type TableSummary,
} from '../catalog/tables.ts';
import { isCancelled, QueryCancelledError, type SqlEngine } from '../engine/types.ts';
import { ident } from '../sql/quote.ts';
import { loadCsv, type CsvOptions, type StepHooks } from './csv.ts';
import type { Decoders } from './decoders.ts';
import { detectFormat, unknownFormatMessage, type Format } from './detect.ts';
import type { CsvDialect } from './dialect.ts';
import { explainEngineError, formatBytes, IngestError } from './errors.ts';
import type { InputFile } from './input.ts';
import { tableNameFor } from './names.ts';
import { sha256Hex } from './sha256.ts';
import { normalizeTimestamps } from './refine.ts';

export interface LoadOptions extends CsvOptions {
  /** Force a format instead of detecting it. */
  format?: Format;
  /** The table name to create (made unique); derived from the file name when omitted. */
  table?: string;
}

export interface LoadResult {
  file: string;
  format: Format;
  tables: TableSummary[];
  warnings: string[];
  /** For text files: how the file was read, so the user can adjust and reload. */
  dialect?: CsvDialect;
}

/** JSON and XLSX are parsed in JavaScript; beyond this they would not fit in a tab. */
const MAX_PARSED_BYTES = 512 * 1024 * 1024;

/**
 * Load one file into one table (one per sheet for workbooks): detect the format,
 * read it with DuckDB where DuckDB can, otherwise decode it to Arrow first, then
 * record where it came from and make it durable. A failure leaves no partial table
 * and never touches tables loaded before.
 */
export async function loadFile(
  engine: SqlEngine,
  decoders: Decoders,
  input: InputFile,
  options: LoadOptions = {},
  hooks: StepHooks = {},
): Promise<LoadResult> {
  const head = await input.head(64 * 1024);
  const detected = detectFormat(input.name, head, input.size);
  if (detected.format === 'unknown' && !options.format) {
    const { problem, fix } = unknownFormatMessage(detected.reason, head);
    throw new IngestError(input.name, problem, fix);
  }
  const format: Format = options.format ?? (detected.format as Format);
  const compressed = 'compressed' in detected ? detected.compressed : undefined;
  if (
    (format === 'json' || format === 'ndjson' || format === 'xlsx') &&
    input.size > MAX_PARSED_BYTES
  ) {
    throw new IngestError(
      input.name,
      `At ${formatBytes(input.size)} this ${format.toUpperCase()} file is too large to read in a browser tab.`,
      'Convert it to CSV or Parquet, which Retain reads without holding the whole file in memory.',
    );
  }
  const taken = new Set([...(await tableNames(engine)), ...RESERVED_NAMES]);
  const created: string[] = [];
  const warnings: string[] = [];
  let dialect: CsvDialect | undefined;
  const name = (suffix?: string) => {
    const n = tableNameFor(options.table ?? input.name, taken, suffix);
    taken.add(n);
    created.push(n);
    return n;
  };
  const sheets: Record<string, string> = {};
  // The file's SHA-256 is computed while DuckDB reads it (in the browser in a worker of
  // its own), instead of after: on a 1M-row CSV that took about 0.3–0.5 s more.
  const sha256 = checksum(input, decoders);
  sha256.catch(() => undefined);
  try {
    switch (format) {
      case 'csv': {
        const result = await loadCsv(engine, input, name(), options, compressed, hooks);
        dialect = result.dialect;
        warnings.push(...result.warnings);
        break;
      }
      case 'parquet': {
        const table = name();
        if (engine.capabilities.readParquet) {
          const ref = await engine.registerFile(`ingest/${input.name}`, input.source);
          await engine.exec(`CREATE TABLE ${ident(table)} AS SELECT * FROM read_parquet(?)`, {
            params: [ref],
            signal: hooks.signal,
            onProgress: (f) => hooks.onProgress?.(f, 'Reading rows'),
          });
        } else {
          let first = true;
          await decoders.parquet(input.name, await input.data(), async (ipc, done, total) => {
            if (hooks.signal?.aborted) throw new QueryCancelledError();
            await engine.insertArrow(table, ipc, { create: first });
            first = false;
            hooks.onProgress?.(total ? done / total : 0, `Read ${done.toLocaleString('en')} rows`);
          });
          if (first)
            throw new IngestError(
              input.name,
              'The Parquet file has no rows.',
              'Export the data again with its rows.',
            );
        }
        break;
      }
      case 'json':
      case 'ndjson': {
        hooks.onProgress?.(0, 'Parsing JSON');
        const parsed = await decoders.json(input.name, await input.data(), format);
        if (hooks.signal?.aborted) throw new QueryCancelledError();
        await engine.insertArrow(name(), parsed.ipc, { create: true });
        warnings.push(...parsed.warnings);
        break;
      }
      case 'xlsx': {
        hooks.onProgress?.(0, 'Reading the workbook');
        const parsed = await decoders.xlsx(input.name, await input.data());
        for (const sheet of parsed) {
          if (hooks.signal?.aborted) throw new QueryCancelledError();
          const table = name(parsed.length > 1 ? sheet.name : undefined);
          sheets[table] = sheet.name;
          await engine.insertArrow(table, sheet.ipc, { create: true });
          warnings.push(...sheet.warnings);
        }
        break;
      }
    }
    const digest = await sha256;
    // A cancel that came after the rows were read (while the file was still being hashed,
    // say) still cancels: the tables are dropped below, as for one during the read.
    if (hooks.signal?.aborted) throw new QueryCancelledError();
    for (const table of created) {
      await normalizeTimestamps(engine, table);
      await recordSource(engine, table, {
        file: input.name,
        format,
        sheet: sheets[table] ?? null,
        size: input.size,
        loadedAt: new Date(),
        options: JSON.stringify(dialect ?? {}),
        warnings,
        sha256: digest,
      });
    }
    await engine.checkpoint();
  } catch (error) {
    for (const table of created) {
      await engine.exec(`DROP TABLE IF EXISTS ${ident(table)}`).catch(() => undefined);
    }
    if (isCancelled(error) || hooks.signal?.aborted)
      throw new QueryCancelledError('Loading was cancelled.');
    const explained = error instanceof IngestError ? error : explainEngineError(input.name, error);
    if (!explained) throw error;
    explained.format ??= format;
    throw explained;
  }
  const all = await listTables(engine);
  return {
    file: input.name,
    format,
    tables: all.filter((t) => created.includes(t.name)),
    warnings,
    dialect,
  };
}

/** Files up to this size get a SHA-256 for provenance (hashing needs the whole file in memory). */
const MAX_HASHED_BYTES = 1024 * 1024 * 1024;

async function checksum(input: InputFile, decoders: Decoders): Promise<string | null> {
  if (input.size > MAX_HASHED_BYTES || !globalThis.crypto?.subtle) return null;
  const data = await input.data();
  return decoders.sha256 ? decoders.sha256(data) : sha256Hex(data);
}
