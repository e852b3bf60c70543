import { toRows, type Cell } from '../engine/rows.ts';
import type { SqlEngine } from '../engine/types.ts';
import { ident, literal } from '../sql/quote.ts';

/** Where Retain keeps what it knows about loaded tables, inside the database itself (so it persists with it). */
export const SOURCES_TABLE = '_retain_sources';

export interface Column {
  name: string;
  /** DuckDB's type name: VARCHAR, BIGINT, DOUBLE, TIMESTAMP, … */
  type: string;
}

export interface SourceInfo {
  file: string;
  format: string;
  sheet: string | null;
  size: number;
  loadedAt: Date;
  /** The options the file was read with, as JSON. */
  options: string;
  warnings: string[];
  /** SHA-256 of the file's bytes (hex), for provenance; null when not computed. */
  sha256?: string | null;
}

export interface TableSummary {
  name: string;
  rows: number;
  columns: Column[];
  source?: SourceInfo;
}

export async function ensureSourcesTable(engine: SqlEngine): Promise<void> {
  await engine.exec(
    `CREATE TABLE IF NOT EXISTS ${ident(SOURCES_TABLE)} (
       table_name VARCHAR PRIMARY KEY, file VARCHAR, format VARCHAR, sheet VARCHAR,
       size BIGINT, loaded_at TIMESTAMP, options VARCHAR, warnings VARCHAR)`,
  );
  // Databases saved by earlier versions lack the checksum column.
  await engine.exec(`ALTER TABLE ${ident(SOURCES_TABLE)} ADD COLUMN IF NOT EXISTS sha256 VARCHAR`);
}

export async function recordSource(engine: SqlEngine, table: string, info: SourceInfo) {
  await ensureSourcesTable(engine);
  await engine.exec(`DELETE FROM ${ident(SOURCES_TABLE)} WHERE table_name = ?`, {
    params: [table],
  });
  await engine.exec(
    `INSERT INTO ${ident(SOURCES_TABLE)} (table_name, file, format, sheet, size, loaded_at, options, warnings, sha256)
     VALUES (?, ?, ?, ?, ?, ?::TIMESTAMP, ?, ?, ?)`,
    {
      params: [
        table,
        info.file,
        info.format,
        info.sheet,
        info.size,
        info.loadedAt.toISOString().replace('T', ' ').replace('Z', ''),
        info.options,
        JSON.stringify(info.warnings),
        info.sha256 ?? null,
      ],
    },
  );
}

/**
 * Names Retain creates itself: the canonical relations the mapping builds. A raw
 * table never takes one of these names (orders.csv loads as orders_2).
 */
export const RESERVED_NAMES = [
  'orders',
  'orders_all',
  'order_facts',
  'customers',
  'subscriptions',
  'events',
  'feedback',
  'programme',
];

/** Names of the user's tables (Retain's own bookkeeping and canonical tables are hidden). */
export async function tableNames(engine: SqlEngine): Promise<string[]> {
  const rows = toRows(
    await engine.query(
      `SELECT table_name AS name FROM duckdb_tables()
       WHERE schema_name = 'main' AND database_name = current_database() AND NOT internal AND NOT temporary
         AND table_name NOT LIKE '\\_retain%' ESCAPE '\\'
       ORDER BY table_name`,
    ),
  );
  return rows.map((r) => String(r.name)).filter((n) => !RESERVED_NAMES.includes(n));
}

/** Every user table with its exact row count, columns and types, and where it came from. */
export async function listTables(engine: SqlEngine): Promise<TableSummary[]> {
  const names = await tableNames(engine);
  if (names.length === 0) return [];
  const counts = toRows(
    await engine.query(
      names
        .map((n) => `SELECT ${literal(n)} AS name, count(*)::BIGINT AS n FROM ${ident(n)}`)
        .join(' UNION ALL '),
    ),
  );
  const columns = toRows(
    await engine.query(
      `SELECT table_name AS t, column_name AS name, data_type AS type FROM duckdb_columns()
       WHERE schema_name = 'main' AND database_name = current_database() ORDER BY table_name, column_index`,
    ),
  );
  const sources = await readSources(engine);
  return names.map((name) => ({
    name,
    rows: Number(counts.find((c) => c.name === name)?.n ?? 0),
    columns: columns
      .filter((c) => c.t === name)
      .map((c) => ({ name: String(c.name), type: String(c.type) })),
    source: sources.get(name),
  }));
}

async function readSources(engine: SqlEngine): Promise<Map<string, SourceInfo>> {
  await ensureSourcesTable(engine);
  const rows = toRows(
    await engine.query(
      `SELECT table_name, file, format, sheet, size::DOUBLE AS size, loaded_at, options, warnings, sha256 FROM ${ident(SOURCES_TABLE)}`,
    ),
  );
  return new Map(
    rows.map((r) => [
      String(r.table_name),
      {
        file: String(r.file),
        format: String(r.format),
        sheet: r.sheet === null ? null : String(r.sheet),
        size: Number(r.size),
        loadedAt: r.loaded_at as Date,
        options: String(r.options),
        warnings: JSON.parse(String(r.warnings ?? '[]')) as string[],
        sha256: r.sha256 === null ? null : String(r.sha256),
      },
    ]),
  );
}

export interface Preview {
  columns: Column[];
  rows: Cell[][];
}

/** The first rows of a table, every value as display-ready JS. */
export async function previewTable(
  engine: SqlEngine,
  table: string,
  limit = 100,
  offset = 0,
): Promise<Preview> {
  const result = await engine.query(`SELECT * FROM ${ident(table)} LIMIT ? OFFSET ?`, {
    params: [limit, offset],
  });
  const columns = toRows(
    await engine.query(
      `SELECT column_name AS name, data_type AS type FROM duckdb_columns()
       WHERE schema_name = 'main' AND database_name = current_database() AND table_name = ? ORDER BY column_index`,
      { params: [table] },
    ),
  ).map((c) => ({ name: String(c.name), type: String(c.type) }));
  const names = result.schema.fields.map((f) => f.name);
  return { columns, rows: toRows(result).map((r) => names.map((n) => r[n])) };
}

export async function dropTable(engine: SqlEngine, table: string): Promise<void> {
  await engine.exec(`DROP TABLE IF EXISTS ${ident(table)}`);
  await ensureSourcesTable(engine);
  await engine.exec(`DELETE FROM ${ident(SOURCES_TABLE)} WHERE table_name = ?`, {
    params: [table],
  });
  await engine.checkpoint();
}

/** Drop every table and view in the database, Retain's own included. */
export async function dropEverything(engine: SqlEngine): Promise<void> {
  const rows = toRows(
    await engine.query(
      `SELECT 'VIEW' AS kind, view_name AS name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal AND database_name = current_database()
       UNION ALL
       SELECT 'TABLE', table_name FROM duckdb_tables() WHERE schema_name = 'main' AND database_name = current_database()`,
    ),
  );
  for (const r of rows)
    await engine.exec(
      `DROP ${r.kind === 'VIEW' ? 'VIEW' : 'TABLE'} IF EXISTS ${ident(String(r.name))} CASCADE`,
    );
  await engine.checkpoint();
}

/**
 * Put `replacement` in the place of `target` (a file read again with other
 * options): the old table goes only once the new one exists.
 */
export async function replaceTable(engine: SqlEngine, target: string, replacement: string) {
  await ensureSourcesTable(engine);
  await engine.exec(`DROP TABLE IF EXISTS ${ident(target)}`);
  await engine.exec(`DELETE FROM ${ident(SOURCES_TABLE)} WHERE table_name = ?`, {
    params: [target],
  });
  await engine.exec(`ALTER TABLE ${ident(replacement)} RENAME TO ${ident(target)}`);
  await engine.exec(`UPDATE ${ident(SOURCES_TABLE)} SET table_name = ? WHERE table_name = ?`, {
    params: [target, replacement],
  });
  await engine.checkpoint();
}
