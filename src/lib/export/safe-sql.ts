import { Table, tableToIPC } from 'apache-arrow';
import { utf8Vector } from '../engine/arrow-columns.ts';
import { toRows } from '../engine/rows.ts';
import type { SqlEngine } from '../engine/types.ts';
import { ident, literal } from '../sql/quote.ts';
import { countColumn, idColumns, pseudonymiser, type SafeSharing } from './safe-sharing.ts';

export interface SafeView {
  /** What to export: the table itself when nothing applies, else a temporary view. */
  name: string;
  hiddenGroups: number;
  notes: string[];
  /** Drop the helper tables and view (call after the export). */
  release: () => Promise<void>;
}

/**
 * The rules of safe-sharing.ts applied to a whole result table inside DuckDB, so
 * CSV and Parquet exports of large results get them too: ids are hashed once per
 * distinct value in JavaScript (WebCrypto HMAC), joined back in SQL, and small groups
 * are filtered out in SQL. Row order is kept.
 */
export async function safeView(
  engine: SqlEngine,
  table: string,
  columns: readonly string[],
  settings: SafeSharing,
): Promise<SafeView> {
  const ids = settings.pseudonymise ? idColumns(columns) : [];
  const count = countColumn(columns);
  const k = Math.floor(settings.minGroupSize);
  const suppress = k > 1 && count >= 0 && idColumns(columns).length === 0;
  if (!ids.length && !suppress) {
    return { name: table, hiddenGroups: 0, notes: [], release: async () => {} };
  }
  const helpers: string[] = [];
  const notes: string[] = [];
  const joins: string[] = [];
  const replace: string[] = [];
  if (ids.length) {
    const hash = await pseudonymiser(settings.secret);
    for (const [j, c] of ids.entries()) {
      const column = ident(columns[c]);
      const distinct = toRows(
        await engine.query(
          `SELECT DISTINCT CAST(${column} AS VARCHAR) AS v FROM ${ident(table)} WHERE ${column} IS NOT NULL`,
        ),
      ).map((r) => String(r.v));
      const pseudonyms: string[] = [];
      for (const v of distinct) pseudonyms.push(await hash(v));
      const map = `_retain_pseudonyms_${j}`;
      await engine.exec(`DROP TABLE IF EXISTS ${ident(map)}`);
      await engine.insertArrow(
        map,
        tableToIPC(new Table({ v: utf8Vector(distinct), p: utf8Vector(pseudonyms) }), 'stream'),
        { create: true },
      );
      helpers.push(map);
      joins.push(`LEFT JOIN ${ident(map)} m${j} ON m${j}.v = CAST(t.${column} AS VARCHAR)`);
      replace.push(`m${j}.p AS ${column}`);
    }
    notes.push(
      `Customer ids (${ids.map((c) => columns[c]).join(', ')}) are replaced by keyed pseudonyms (HMAC-SHA-256).`,
    );
  }
  let hiddenGroups = 0;
  let where = '';
  if (suppress) {
    const n = `t.${ident(columns[count])}`;
    where = `WHERE NOT (${n} IS NOT NULL AND TRY_CAST(${n} AS DOUBLE) < ${literal(k)})`;
    const [row] = toRows(
      await engine.query(
        `SELECT count(*)::DOUBLE AS n FROM ${ident(table)} t WHERE TRY_CAST(${n} AS DOUBLE) < ?`,
        { params: [k] },
      ),
    );
    hiddenGroups = Number(row.n);
    notes.push(
      `Groups of fewer than ${k} customers (column ${columns[count]}) are hidden: ${hiddenGroups} left out.`,
    );
  }
  const view = `_retain_safe_${table.replace(/[^A-Za-z0-9_]/g, '')}`.slice(0, 60);
  await engine.exec(
    `CREATE OR REPLACE TEMP VIEW ${ident(view)} AS
     SELECT t.* EXCLUDE (_retain_row)${replace.length ? ` REPLACE (${replace.join(', ')})` : ''}
     FROM (SELECT *, row_number() OVER () AS _retain_row FROM ${ident(table)}) t
     ${joins.join('\n     ')}
     ${where}
     ORDER BY t._retain_row`,
  );
  return {
    name: view,
    hiddenGroups,
    notes,
    release: async () => {
      await engine.exec(`DROP VIEW IF EXISTS ${ident(view)}`);
      for (const h of helpers) await engine.exec(`DROP TABLE IF EXISTS ${ident(h)}`);
    },
  };
}
