import { resolve } from 'node:path';
import { NodeEngine } from '../lib/engine/node.ts';
import { IngestError } from '../lib/ingest/errors.ts';
import { loadFile } from '../lib/ingest/load.ts';
import { fromPath, nodeDecoders } from '../lib/ingest/node-input.ts';

const USAGE = `retain: retention analytics on native DuckDB, with the same code as the app.

Usage:
  retain profile FILE...     Load each file and print, per table, its columns, types and row count (JSON).
  retain help                Show this help.

Files may be CSV/TSV/text (any delimiter, encoding, gzip), Parquet, JSON, NDJSON or Excel (.xlsx).`;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const stdio: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** Run the CLI; returns the exit code (0 ok, 1 a file failed, 2 bad usage). */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'profile':
      return profile(args, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.err(`retain: unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

async function profile(files: string[], io: Io): Promise<number> {
  if (files.length === 0) {
    io.err('retain profile: name at least one file, e.g. retain profile orders.csv');
    return 2;
  }
  const engine = await NodeEngine.create();
  const tables: unknown[] = [];
  const errors: unknown[] = [];
  try {
    for (const file of files) {
      try {
        const result = await loadFile(engine, nodeDecoders, await fromPath(resolve(file)));
        for (const t of result.tables) {
          tables.push({
            file,
            table: t.name,
            format: result.format,
            ...(t.source?.sheet ? { sheet: t.source.sheet } : {}),
            rows: t.rows,
            columns: t.columns,
            ...(result.dialect ? { dialect: result.dialect } : {}),
            ...(result.warnings.length ? { warnings: result.warnings } : {}),
          });
        }
      } catch (error) {
        const detail =
          error instanceof IngestError
            ? { file, problem: error.problem, fix: error.fix }
            : { file, problem: error instanceof Error ? error.message : String(error) };
        errors.push(detail);
        io.err(
          `retain profile: ${file}: ${detail.problem}${'fix' in detail ? ` ${detail.fix}` : ''}`,
        );
      }
    }
  } finally {
    await engine.close();
  }
  io.out(JSON.stringify({ tables, ...(errors.length ? { errors } : {}) }, null, 2));
  return errors.length ? 1 : 0;
}
