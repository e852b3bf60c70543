import { orderFactsSql } from '../analyses/kpis-sql.ts';
import { RESERVED_NAMES } from '../catalog/tables.ts';
import { toRows } from '../engine/rows.ts';
import type { SqlEngine } from '../engine/types.ts';
import { ident, literal } from '../sql/quote.ts';
import { ROLES, type CanonicalTable, type Exclusion, type RoleSpec } from './canonical.ts';
import {
  cancellationExpr,
  valueExpr,
  writtenExpr,
  type Mapping,
  type SourceColumn,
  type TableMapping,
} from './mapping.ts';
import { utcToZoneSql } from './timezone.ts';

/** Where the confirmed mapping is kept, inside the database so it persists with the data. */
export const MAPPING_TABLE = '_retain_mapping';

/** The canonical views and tables Retain creates (and drops when unmapped). */
export const CANONICAL_RELATIONS = RESERVED_NAMES;

export async function sourceColumns(engine: SqlEngine, table: string): Promise<SourceColumn[]> {
  return toRows(
    await engine.query(
      `SELECT column_name AS name, data_type AS type FROM duckdb_columns()
       WHERE table_name = ? AND schema_name = 'main' ORDER BY column_index`,
      { params: [table] },
    ),
  ).map((r) => ({ name: String(r.name), type: String(r.type) }));
}

function typeOf(columns: SourceColumn[], name: string): string {
  const column = columns.find((c) => c.name === name);
  if (!column) throw new Error(`The column “${name}” does not exist in this table.`);
  return column.type;
}

/** Context for building one source's SELECT: its columns and the UTC→zone conversions. */
interface Build {
  columns: SourceColumn[];
  zone: (role: string, expr: string) => string;
  /** Orders: whether some row leaves the amount blank (a continuation line may). */
  blankAmounts?: boolean;
}

/** The canonical expression for one role of a table mapping, or NULL when unmapped. */
export function roleExpr(tm: TableMapping, role: string, build: Build): string {
  const spec = (ROLES[tm.kind] as readonly RoleSpec[]).find((r) => r.column === role);
  if (!spec) throw new Error(`${tm.kind} has no role ${role}.`);
  if (tm.kind === 'orders' && role === 'amount' && tm.amount === 'product') {
    const q = tm.columns.quantity;
    const p = tm.columns.unit_price;
    if (!q || !p) return `CAST(NULL AS DOUBLE)`;
    return `(${roleExpr(tm, 'quantity', build)} * ${roleExpr(tm, 'unit_price', build)})`;
  }
  const column = tm.columns[role];
  if (!column) return `CAST(NULL AS ${spec.type})`;
  const expr = valueExpr(column, typeOf(build.columns, column), spec.type, tm.parse[role]);
  return spec.type === 'TIMESTAMP' && tm.parse[role]?.utc ? build.zone(role, expr) : expr;
}

/** SQL: the source value of a role is written (not NULL, not blank); TRUE for a computed amount. */
function present(tm: TableMapping, role: string, build: Build): string {
  if (tm.kind === 'orders' && role === 'amount' && tm.amount === 'product') return 'TRUE';
  const column = tm.columns[role];
  return column ? writtenExpr(column, typeOf(build.columns, column)) : 'FALSE';
}

/**
 * The orders rows of one source with every canonical column, its row number, the
 * flags the exclusion rules read (`is_cancelled`, `is_duplicate`, `continuation`),
 * before any rule is applied.
 *
 * Duplicates: a row is a duplicate when an earlier row of the source has the same
 * value in every column. Rows are first grouped on a hash of all their columns; only
 * rows whose hash occurs more than once (usually none) are compared column by column,
 * in source order, so a hash collision can never mark a row that is not a copy.
 */
function ordersRows(tm: TableMapping, build: Build): string {
  const roles = (ROLES.orders as readonly RoleSpec[]).map((r) => r.column);
  const columns = roles.map((r) => `${roleExpr(tm, r, build)} AS ${ident(r)}`);
  const allColumns = build.columns.map((c) => ident(c.name)).join(', ');
  const source = ident(tm.source);
  const copies = `SELECT rowid AS _retain_row,
        row_number() OVER (PARTITION BY ${allColumns} ORDER BY rowid) > 1 AS _retain_copy
      FROM ${source}
      WHERE hash(${allColumns}) IN (SELECT hash(${allColumns}) AS h FROM ${source} GROUP BY h HAVING count(*) > 1)`;
  const rows = `SELECT ${literal(tm.source)} AS source_table, CAST(${source}.rowid + 1 AS BIGINT) AS source_row, ${columns.join(', ')},
      ${cancellationExpr(tm.cancellation, build.columns)} AS row_cancelled,
      ${present(tm, 'amount', build)} AS amount_written,
      coalesce(_retain_copies._retain_copy, FALSE) AS is_duplicate
    FROM ${source} LEFT JOIN (${copies}) AS _retain_copies ON _retain_copies._retain_row = ${source}.rowid`;
  // Exports with one row per order line often write order-level values on the first
  // line only (Shopify's Total, Cancelled at, Financial Status): with an order ID, a
  // blank amount on another line of an order that has one is 0, and a cancellation
  // marker applies to every line of its order. Each needs a pass over the orders, made
  // only when the source has blank amounts or a cancellation rule.
  const continuation =
    tm.columns.order_id && build.blankAmounts
      ? `(amount IS NULL AND NOT amount_written AND order_id IS NOT NULL
            AND count(amount) OVER (PARTITION BY order_id) > 0)`
      : '';
  const cancelledByOrder = tm.columns.order_id && tm.cancellation;
  return `SELECT * REPLACE (${continuation ? `CASE WHEN ${continuation} THEN 0 ELSE amount END` : 'amount'} AS amount),
      ${continuation || 'FALSE'} AS continuation,
      ${
        cancelledByOrder
          ? `CASE WHEN order_id IS NULL THEN row_cancelled
               ELSE bool_or(row_cancelled) OVER (PARTITION BY order_id) END`
          : 'row_cancelled'
      } AS is_cancelled
    FROM (${rows})`;
}

/** SQL: the reason a row of {@link ordersRows} does not count under `include`, NULL when it counts. */
function exclusionCase(include: TableMapping['include']): string {
  const reason = (r: Exclusion) => literal(r);
  return `CASE
        WHEN customer_id IS NULL THEN ${reason('missing_customer')}
        WHEN order_ts IS NULL THEN ${reason('bad_date')}
        WHEN amount IS NULL OR isnan(amount) THEN ${reason('bad_amount')}
        WHEN is_cancelled AND ${!include.cancelled} THEN ${reason('cancelled')}
        WHEN NOT is_cancelled AND NOT continuation AND amount <= 0 AND ${!include.nonPositive} THEN ${reason('non_positive')}
        WHEN is_duplicate AND ${!include.duplicates} THEN ${reason('duplicate')}
      END`;
}

/**
 * The orders rows of one source with every canonical column, its row number, and
 * the reason it does not count (NULL when it does). Reasons are checked in a fixed
 * order, so each excluded row is counted once, under its first reason.
 */
export function ordersSelect(tm: TableMapping, build: Build): string {
  return `SELECT source_table, source_row, customer_id,
      coalesce(order_id, customer_id || ' @ ' || strftime(order_ts, '%Y-%m-%d %H:%M:%S')) AS order_id,
      order_ts, amount, quantity, unit_price, product, category, channel, discount_code, status,
      is_cancelled, is_duplicate,
      ${exclusionCase(tm.include)} AS exclusion
    FROM (${ordersRows(tm, build)})`;
}

/** Customers, subscriptions, events, feedback, programme: canonical columns, rows with a customer. */
export function otherSelect(tm: TableMapping, build: Build): string {
  const roles = (ROLES[tm.kind] as readonly RoleSpec[]).map((r) => r.column);
  const columns = roles.map((r) => `${roleExpr(tm, r, build)} AS ${ident(r)}`);
  if (tm.kind === 'customers') {
    for (const a of tm.attributes) columns.push(`${ident(a)} AS ${ident(attributeName(a))}`);
  }
  const required = (ROLES[tm.kind] as readonly RoleSpec[])
    .filter((r) => r.required)
    .map((r) => r.column);
  return `SELECT ${columns.join(', ')} FROM ${ident(tm.source)}
    WHERE ${required.map((r) => `${roleExpr(tm, r, build)} IS NOT NULL`).join(' AND ')}`;
}

/** Customer attributes carried into the view: attr_ plus a snake_case form of the column name. */
export function attributeName(column: string): string {
  const snake = column
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  return `attr_${snake || 'column'}`;
}

/** Prepare the UTC → local conversions a table mapping needs (one range query per UTC role). */
async function prepare(engine: SqlEngine, tm: TableMapping, zone: string): Promise<Build> {
  const columns = await sourceColumns(engine, tm.source);
  let blankAmounts = false;
  const amountColumn = tm.kind === 'orders' && tm.amount !== 'product' && tm.columns.amount;
  if (amountColumn && tm.columns.order_id && columns.some((c) => c.name === amountColumn)) {
    const [r] = toRows(
      await engine.query(
        `SELECT EXISTS (SELECT 1 FROM ${ident(tm.source)} WHERE NOT ${writtenExpr(amountColumn, typeOf(columns, amountColumn))}) AS blank`,
      ),
    );
    blankAmounts = r.blank === true;
  }
  const plain: Build = { columns, zone: (_role, expr) => expr, blankAmounts };
  const utcRoles = Object.entries(tm.parse)
    .filter(([role, p]) => p.utc && tm.columns[role])
    .map(([role]) => role);
  if (zone === 'UTC' || utcRoles.length === 0) return plain;
  const ranges = new Map<string, [number, number]>();
  for (const role of utcRoles) {
    const [r] = toRows(
      await engine.query(
        `SELECT epoch_ms(min(v))::DOUBLE AS lo, epoch_ms(max(v))::DOUBLE AS hi FROM (SELECT ${roleExpr(tm, role, plain)} AS v FROM ${ident(tm.source)})`,
      ),
    );
    if (r.lo !== null) ranges.set(role, [Number(r.lo), Number(r.hi)]);
  }
  return {
    columns,
    blankAmounts,
    zone: (role, expr) => {
      const range = ranges.get(role);
      return range ? utcToZoneSql(expr, zone, range[0], range[1]) : expr;
    },
  };
}

export interface AppliedViews {
  /** Every statement run, in order: what "show SQL" shows. */
  sql: string[];
  tables: CanonicalTable[];
}

/**
 * Create the canonical relations from a mapping: `orders_all` (a table: every
 * source row with its exclusion reason), the `orders` view over it (rows that
 * count), the `order_facts` table (every order once: kpis-sql.ts `orderFactsSql`),
 * and the views `customers`, `subscriptions`, `events`, `feedback`,
 * `programme`. Unmapped ones are dropped. The mapping is saved in the database.
 */
export async function applyMapping(engine: SqlEngine, mapping: Mapping): Promise<AppliedViews> {
  const sql: string[] = [];
  const run = async (statement: string) => {
    sql.push(statement);
    await engine.exec(statement);
  };
  const byKind = new Map<CanonicalTable, TableMapping[]>();
  for (const tm of mapping.tables) byKind.set(tm.kind, [...(byKind.get(tm.kind) ?? []), tm]);
  await dropCanonical(engine);
  const orders = byKind.get('orders') ?? [];
  if (orders.length) {
    const selects = [];
    for (const tm of orders)
      selects.push(ordersSelect(tm, await prepare(engine, tm, mapping.timeZone)));
    await run(`CREATE TABLE orders_all AS ${selects.join('\nUNION ALL BY NAME\n')}`);
    await run(
      `CREATE VIEW orders AS SELECT customer_id, order_id, order_ts, amount, quantity, unit_price, product, category, channel, discount_code, status
       FROM orders_all WHERE exclusion IS NULL`,
    );
    // Every order once, keyed and sequenced, for the order-level analyses.
    await run(orderFactsSql());
  }
  for (const kind of ['customers', 'subscriptions', 'events', 'feedback', 'programme'] as const) {
    const list = byKind.get(kind) ?? [];
    if (!list.length) continue;
    const selects = [];
    for (const tm of list)
      selects.push(otherSelect(tm, await prepare(engine, tm, mapping.timeZone)));
    await run(`CREATE VIEW ${ident(kind)} AS ${selects.join('\nUNION ALL BY NAME\n')}`);
  }
  await saveMapping(engine, mapping);
  await engine.checkpoint();
  return { sql, tables: [...byKind.keys()] };
}

/** Drop the canonical views and tables (views first: they depend on orders_all). */
export async function dropCanonical(engine: SqlEngine) {
  const existing = toRows(
    await engine.query(
      `SELECT view_name AS name, 'VIEW' AS kind FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal
       UNION ALL SELECT table_name, 'TABLE' FROM duckdb_tables() WHERE schema_name = 'main'`,
    ),
  );
  const names = new Set<string>(CANONICAL_RELATIONS);
  for (const kind of ['VIEW', 'TABLE']) {
    for (const r of existing) {
      if (r.kind === kind && names.has(String(r.name)))
        await engine.exec(`DROP ${kind} IF EXISTS ${ident(String(r.name))}`);
    }
  }
}

export async function saveMapping(engine: SqlEngine, mapping: Mapping) {
  await engine.exec(
    `CREATE TABLE IF NOT EXISTS ${ident(MAPPING_TABLE)} (id INTEGER PRIMARY KEY, mapping VARCHAR)`,
  );
  await engine.exec(`DELETE FROM ${ident(MAPPING_TABLE)}`);
  await engine.exec(`INSERT INTO ${ident(MAPPING_TABLE)} VALUES (1, ?)`, {
    params: [JSON.stringify(mapping)],
  });
}

export async function loadMapping(engine: SqlEngine): Promise<Mapping | undefined> {
  const exists = toRows(
    await engine.query(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = ?`, {
      params: [MAPPING_TABLE],
    }),
  );
  if (!exists[0].n) return undefined;
  const [row] = toRows(
    await engine.query(`SELECT mapping FROM ${ident(MAPPING_TABLE)} WHERE id = 1`),
  );
  return row ? (JSON.parse(String(row.mapping)) as Mapping) : undefined;
}

/** Rows per exclusion reason (and the rows that count) for one orders source, as mapped. */
export async function exclusionCounts(
  engine: SqlEngine,
  tm: TableMapping,
  zone: string,
): Promise<{
  total: number;
  counted: number;
  reasons: Partial<Record<Exclusion, number>>;
  rules: { cancelled: number; nonPositive: number; duplicates: number };
}> {
  const build = await prepare(engine, tm, zone);
  const rows = toRows(
    await engine.query(
      `SELECT coalesce(${exclusionCase({ cancelled: false, nonPositive: false, duplicates: false })}, 'counted') AS reason,
          count(*)::DOUBLE AS n, count(*) FILTER (WHERE ${exclusionCase(tm.include)} IS NULL)::DOUBLE AS counted
        FROM (${ordersRows(tm, build)}) GROUP BY ALL`,
    ),
  );
  const reasons: Partial<Record<Exclusion, number>> = {};
  let total = 0;
  let counted = 0;
  for (const r of rows) {
    total += Number(r.n);
    counted += Number(r.counted);
    if (r.reason !== 'counted') reasons[r.reason as Exclusion] = Number(r.n);
  }
  return {
    total,
    counted,
    reasons,
    rules: {
      cancelled: reasons.cancelled ?? 0,
      nonPositive: reasons.non_positive ?? 0,
      duplicates: reasons.duplicate ?? 0,
    },
  };
}
