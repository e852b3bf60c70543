import { toRows } from '../engine/rows.ts';
import type { SqlEngine } from '../engine/types.ts';
import { ident } from '../sql/quote.ts';

/** Beyond this many text columns, type inference is skipped (very wide files stay text). */
const MAX_COLUMNS = 400;

type Target = 'BIGINT' | 'DOUBLE' | 'DATE' | 'TIMESTAMP' | 'BOOLEAN';
const TARGETS: Target[] = ['BIGINT', 'DOUBLE', 'DATE', 'TIMESTAMP', 'BOOLEAN'];

/**
 * Give text columns a proper type when every non-empty value converts: integer,
 * then double, date, timestamp, boolean. Values with leading zeros (IDs such as
 * 00042) stay text so the zeros are kept. One scan computes all checks.
 */
export async function refineTypes(engine: SqlEngine, table: string, signal?: AbortSignal) {
  const columns = toRows(
    await engine.query(
      `SELECT column_name AS name, data_type AS type FROM duckdb_columns()
       WHERE table_name = ? AND schema_name = 'main' ORDER BY column_index`,
      { params: [table] },
    ),
  ).map((r) => ({ name: String(r.name), type: String(r.type) }));
  const text = columns.filter((c) => c.type === 'VARCHAR');
  if (text.length === 0 || text.length > MAX_COLUMNS) return;
  const checks: string[] = [];
  text.forEach((c, i) => {
    const v = `NULLIF(trim(${ident(c.name)}), '')`;
    checks.push(`count(${v})::BIGINT AS n${i}`);
    checks.push(`bool_or(regexp_matches(${v}, '^[-+]?0[0-9]'))::INTEGER AS z${i}`);
    for (const t of TARGETS) {
      // DuckDB rounds '11.77' to 12 when casting to BIGINT, so integers are matched by pattern too.
      const fails =
        t === 'BIGINT'
          ? `NOT regexp_full_match(${v}, '[-+]?[0-9]+') OR TRY_CAST(${v} AS BIGINT) IS NULL`
          : `TRY_CAST(${v} AS ${t}) IS NULL`;
      checks.push(`count(*) FILTER (WHERE ${v} IS NOT NULL AND (${fails}))::BIGINT AS ${t}${i}`);
    }
  });
  const [stats] = toRows(
    await engine.query(`SELECT ${checks.join(', ')} FROM ${ident(table)}`, { signal }),
  );
  const select = columns.map((c) => {
    const i = text.indexOf(c);
    if (i < 0 || Number(stats[`n${i}`]) === 0) return ident(c.name);
    const leadingZeros = Number(stats[`z${i}`]) === 1;
    const target = TARGETS.find((t) => {
      const numeric = t === 'BIGINT' || t === 'DOUBLE';
      return Number(stats[`${t}${i}`]) === 0 && !(numeric && leadingZeros);
    });
    if (!target) return ident(c.name);
    return `TRY_CAST(NULLIF(trim(${ident(c.name)}), '') AS ${target}) AS ${ident(c.name)}`;
  });
  if (select.every((s, i) => s === ident(columns[i].name))) return;
  await engine.exec(
    `CREATE OR REPLACE TABLE ${ident(table)} AS SELECT ${select.join(', ')} FROM ${ident(table)}`,
    {
      signal,
    },
  );
}

/**
 * Arrow sources (Parquet, JSON, Excel) can carry second, milli- or nanosecond
 * timestamps; DuckDB keeps those as TIMESTAMP_S/_MS/_NS. Make them plain
 * TIMESTAMP so every engine and every format gives the same types.
 */
export async function normalizeTimestamps(engine: SqlEngine, table: string) {
  const columns = toRows(
    await engine.query(
      `SELECT column_name AS name FROM duckdb_columns()
       WHERE table_name = ? AND schema_name = 'main' AND data_type IN ('TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS')`,
      { params: [table] },
    ),
  );
  for (const c of columns) {
    await engine.exec(`ALTER TABLE ${ident(table)} ALTER ${ident(String(c.name))} TYPE TIMESTAMP`);
  }
}
