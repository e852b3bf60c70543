/**
 * The data quality report: what is in a loaded table, what is wrong with it, and
 * what the canonical views leave out and why. Every count is pushed into DuckDB;
 * the SQL of every statement is kept so the app can show "the SQL it ran".
 *
 * Rules (all counts are exact):
 * - Missing: NULL, or for VARCHAR columns a string that is empty or only whitespace.
 * - Duplicate rows: rows identical in every column to an earlier row (3 copies → 2).
 * - Extreme amounts: Tukey's far-out fences on every `orders_all` amount, below
 *   Q1 − 3·IQR or above Q3 + 3·IQR, with quartiles from DuckDB's `quantile_cont`
 *   (linear interpolation between order statistics, R type 7).
 * - Future dates: a timestamp later than `asOf` (compared as wall-clock time).
 */
import { toRows, type Cell } from '../engine/rows.ts';
import type { SqlEngine } from '../engine/types.ts';
import { plural } from '../format.ts';
import {
  EXCLUSION_LABELS,
  ROLES,
  TABLE_LABELS,
  type CanonicalTable,
  type ColumnType,
  type Exclusion,
} from '../schema/canonical.ts';
import { ident, literal } from '../sql/quote.ts';

export type Severity = 'info' | 'warning' | 'problem';

/** A few rows to show beside a finding, columns in display order. */
export interface ExampleRows {
  columns: string[];
  rows: Cell[][];
}

export interface Finding {
  /** Stable key, e.g. `raw.duplicates`, `orders.exclusion.cancelled`, `customers.future_dates`. */
  id: string;
  /** The table or view the finding was measured on. */
  table: string;
  title: string;
  severity: Severity;
  count: number;
  /** count ÷ the rows (or customers) it is a share of; null when there is no base. */
  share: number | null;
  /** One sentence for a retention consultant. */
  explanation: string;
  /** Up to 5 rows; canonical examples start with `source_row` where the view has it. */
  examples: ExampleRows;
  /** The statement that listed the examples, or null when none are shown. */
  sql: string | null;
}

export interface ColumnProfile {
  name: string;
  type: string;
  /** NULL, or blank text for VARCHAR columns. */
  nulls: number;
  nullShare: number;
  /** Distinct values that are not missing. */
  distinct: number;
}

export interface RawProfile {
  table: string;
  rows: number;
  columns: ColumnProfile[];
  /** Rows that repeat an earlier identical row. */
  duplicateRows: number;
}

export interface TableProfile {
  table: CanonicalTable;
  /** The view profiled: `orders_all` for orders (excluded rows included), else the table's view. */
  view: string;
  rows: number;
  customers: number;
  timeColumn: string;
  first: Date | null;
  last: Date | null;
  /** Rows dated after asOf. */
  future: number;
  columns: { name: string; nulls: number; nullShare: number }[];
}

export interface OutlierFences {
  q1: number;
  q3: number;
  iqr: number;
  lower: number;
  upper: number;
  count: number;
}

export interface OrdersChecks {
  /** Rows that count (exclusion IS NULL), their distinct customers and date range. */
  counted: number;
  customers: number;
  firstOrder: Date | null;
  lastOrder: Date | null;
  exclusions: Record<Exclusion, number>;
  /** Counted on every row of orders_all, excluded or not. */
  negativeAmounts: number;
  zeroAmounts: number;
  /** Rows excluded as cancellations or returns. */
  cancellations: number;
  extremes: OutlierFences | null;
}

/** How orders and customers match up, when both exist. */
export interface CustomerLinks {
  /** Counted order rows whose customer is not in customers, and how many such customers. */
  ordersWithoutCustomer: number;
  unknownCustomers: number;
  /** Customers with no counted order. */
  customersWithoutOrders: number;
}

export interface QualityReport {
  asOf: Date;
  raw: RawProfile;
  canonical: CanonicalTable;
  /** Null when the canonical view has not been built yet. */
  table: TableProfile | null;
  orders: OrdersChecks | null;
  links: CustomerLinks | null;
  /** Most severe first. */
  findings: Finding[];
  /** Every statement run, in order, each runnable as it stands. */
  statements: string[];
}

const EXCLUSIONS = Object.keys(EXCLUSION_LABELS) as Exclusion[];
const SEVERITY_RANK: Record<Severity, number> = { problem: 0, warning: 1, info: 2 };
const EXAMPLES = 5;

/** The timestamp role each table is dated by. */
const TIME_ROLE: Record<CanonicalTable, string> = {
  orders: 'order_ts',
  customers: 'signup_ts',
  subscriptions: 'start_ts',
  events: 'event_ts',
  feedback: 'feedback_ts',
  programme: 'start_ts',
};

const ORDER_EXAMPLE = [
  'source_row::DOUBLE AS source_row',
  'customer_id::VARCHAR AS customer_id',
  'order_id::VARCHAR AS order_id',
  'order_ts::TIMESTAMP AS order_ts',
  'amount::DOUBLE AS amount',
  'status::VARCHAR AS status',
  'exclusion::VARCHAR AS exclusion',
].join(', ');

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const amount = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** Runs statements and keeps their text. */
class Recorder {
  readonly statements: string[] = [];
  constructor(private engine: SqlEngine) {}

  async rows(sql: string): Promise<Record<string, Cell>[]> {
    this.statements.push(sql);
    return toRows(await this.engine.query(sql));
  }

  async one(sql: string): Promise<Record<string, Cell>> {
    return (await this.rows(sql))[0] ?? {};
  }

  async examples(sql: string): Promise<ExampleRows> {
    this.statements.push(sql);
    const table = await this.engine.query(sql);
    const columns = table.schema.fields.map((f) => f.name);
    return { columns, rows: toRows(table).map((r) => columns.map((c) => r[c])) };
  }
}

const num = (v: Cell | undefined): number => (v == null ? 0 : Number(v));
const date = (v: Cell | undefined): Date | null => (v instanceof Date ? v : null);
const share = (n: number, base: number): number | null => (base > 0 ? n / base : null);
const pct = (s: number | null): string => (s === null ? '' : ` (${percent.format(s)})`);
/** Verb agreement: `v(1, 'has', 'have')` → 'has'. */
const v = (n: number, one: string, many: string): string => (n === 1 ? one : many);

/** A warning, or a problem once the share reaches `problemAt` (0…1). */
function level(s: number | null, problemAt: number): Severity {
  return s !== null && s >= problemAt ? 'problem' : 'warning';
}

/** SQL that is true when a value counts as missing; blank text counts for VARCHAR. */
function missing(column: string, type: string): string {
  const c = ident(column);
  return type.startsWith('VARCHAR')
    ? `(${c} IS NULL OR regexp_matches(${c}, '^\\s*$'))`
    : `${c} IS NULL`;
}

/** A display cast per canonical type, so both engines return the same JS values. */
function cast(column: string, type: ColumnType): string {
  const target = type === 'BOOLEAN' ? 'VARCHAR' : type;
  return `${ident(column)}::${target} AS ${ident(column)}`;
}

function uniqueName(wanted: string, taken: string[]): string {
  let name = wanted;
  while (taken.includes(name)) name = `_${name}`;
  return name;
}

/**
 * Profile a loaded table and the canonical view built from it, and list what a
 * consultant should know before trusting any retention figure from it.
 */
export async function qualityReport(
  engine: SqlEngine,
  { raw, canonical, asOf }: { raw: string; canonical: CanonicalTable; asOf: Date },
): Promise<QualityReport> {
  const q = new Recorder(engine);
  const view = canonical === 'orders' ? 'orders_all' : canonical;
  const wanted = [...new Set([raw, view, 'orders_all', 'customers'])];
  const catalog = await q.rows(
    `SELECT table_name AS name, column_name AS col, data_type AS type FROM duckdb_columns()
     WHERE schema_name = 'main' AND database_name = current_database()
       AND table_name IN (${wanted.map(literal).join(', ')})
     ORDER BY table_name, column_index`,
  );
  const columnsOf = (t: string) =>
    catalog.filter((r) => r.name === t).map((r) => ({ name: String(r.col), type: String(r.type) }));
  const rawColumns = columnsOf(raw);
  if (rawColumns.length === 0) throw new Error(`There is no table named ${raw}.`);

  const findings: Finding[] = [];
  const rawProfile = await profileRaw(q, raw, rawColumns, findings);
  const viewColumns = columnsOf(view).map((c) => c.name);
  const table =
    viewColumns.length > 0
      ? await profileCanonical(q, canonical, view, viewColumns, asOf, findings)
      : null;
  const orders =
    canonical === 'orders' && table ? await checkOrders(q, table.rows, findings) : null;
  const linked =
    (canonical === 'orders' || canonical === 'customers') &&
    columnsOf('orders_all').length > 0 &&
    columnsOf('customers').length > 0;
  const links = linked
    ? await checkLinks(
        q,
        columnsOf('customers').map((c) => c.name),
        findings,
      )
    : null;

  findings.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  return {
    asOf,
    raw: rawProfile,
    canonical,
    table,
    orders,
    links,
    findings,
    statements: q.statements,
  };
}

async function profileRaw(
  q: Recorder,
  raw: string,
  columns: { name: string; type: string }[],
  findings: Finding[],
): Promise<RawProfile> {
  const src = ident(raw);
  const aggregates = columns.flatMap((c, i) => [
    `count(*) FILTER (WHERE ${missing(c.name, c.type)})::DOUBLE AS ${ident(`nulls_${i}`)}`,
    `count(DISTINCT ${ident(c.name)}) FILTER (WHERE NOT ${missing(c.name, c.type)})::DOUBLE AS ${ident(`distinct_${i}`)}`,
  ]);
  const stats = await q.one(
    `SELECT count(*)::DOUBLE AS "rows",\n  ${aggregates.join(',\n  ')}\nFROM ${src}`,
  );
  const rows = num(stats.rows);
  const profiles: ColumnProfile[] = columns.map((c, i) => {
    const nulls = num(stats[`nulls_${i}`]);
    return {
      ...c,
      nulls,
      nullShare: rows > 0 ? nulls / rows : 0,
      distinct: num(stats[`distinct_${i}`]),
    };
  });

  const allText = columns.map((c) => `${ident(c.name)}::VARCHAR AS ${ident(c.name)}`).join(', ');
  for (const c of profiles) {
    if (c.nulls === 0) continue;
    const empty = c.nulls === rows;
    const sql = empty
      ? null
      : `SELECT ${allText} FROM ${src} WHERE ${missing(c.name, c.type)} LIMIT ${EXAMPLES}`;
    findings.push({
      id: `raw.missing.${c.name}`,
      table: raw,
      title: `Missing values in ${c.name}`,
      severity: !empty && c.nullShare >= 0.05 ? 'warning' : 'info',
      count: c.nulls,
      share: c.nullShare,
      explanation: empty
        ? `Column ${c.name} is empty in every row, so it adds nothing to any analysis.`
        : `${plural(c.nulls, 'row')}${pct(c.nullShare)} ${v(c.nulls, 'has', 'have')} no value in ${c.name}${c.type.startsWith('VARCHAR') ? ' (blank text counts as missing)' : ''}, so any analysis that needs it will skip or guess for ${v(c.nulls, 'it', 'them')}.`,
      examples: sql ? await q.examples(sql) : { columns: [], rows: [] },
      sql,
    });
  }

  const groupBy = columns.map((c) => ident(c.name)).join(', ');
  const dup = await q.one(
    `SELECT coalesce(sum(copies - 1), 0)::DOUBLE AS duplicates
     FROM (SELECT count(*) AS copies FROM ${src} GROUP BY ${groupBy})`,
  );
  const duplicateRows = num(dup.duplicates);
  if (duplicateRows > 0) {
    const copies = ident(
      uniqueName(
        'copies',
        columns.map((c) => c.name),
      ),
    );
    const sql = `SELECT ${allText}, count(*)::INTEGER AS ${copies} FROM ${src}
     GROUP BY ${groupBy} HAVING count(*) > 1 ORDER BY ${copies} DESC LIMIT ${EXAMPLES}`;
    const s = share(duplicateRows, rows);
    findings.push({
      id: 'raw.duplicates',
      table: raw,
      title: 'Exact duplicate rows',
      severity: 'warning',
      count: duplicateRows,
      share: s,
      explanation: `${plural(duplicateRows, 'row')}${pct(s)} ${v(duplicateRows, 'repeats', 'repeat')} an earlier row in every column, which usually means the export ran twice or overlapped; left in, ${v(duplicateRows, 'it', 'they')} would inflate order counts and revenue.`,
      examples: await q.examples(sql),
      sql,
    });
  }
  return { table: raw, rows, columns: profiles, duplicateRows };
}

async function profileCanonical(
  q: Recorder,
  canonical: CanonicalTable,
  view: string,
  viewColumns: string[],
  asOf: Date,
  findings: Finding[],
): Promise<TableProfile> {
  const src = ident(view);
  const roles = ROLES[canonical].filter((r) => viewColumns.includes(r.column));
  const ts = ident(TIME_ROLE[canonical]);
  const future = `${ts} > ${literal(asOf)}`;
  const stats = await q.one(
    `SELECT count(*)::DOUBLE AS "rows", count(DISTINCT customer_id)::DOUBLE AS customers,
  count(customer_id)::DOUBLE - count(DISTINCT customer_id)::DOUBLE AS repeated_ids,
  min(${ts})::TIMESTAMP AS "first", max(${ts})::TIMESTAMP AS "last",
  count(*) FILTER (WHERE ${future})::DOUBLE AS future,
  ${roles.map((r, i) => `count(*) FILTER (WHERE ${missing(r.column, r.type)})::DOUBLE AS ${ident(`nulls_${i}`)}`).join(',\n  ')}
FROM ${src}`,
  );
  const rows = num(stats.rows);
  const profile: TableProfile = {
    table: canonical,
    view,
    rows,
    customers: num(stats.customers),
    timeColumn: TIME_ROLE[canonical],
    first: date(stats.first),
    last: date(stats.last),
    future: num(stats.future),
    columns: roles.map((r, i) => {
      const nulls = num(stats[`nulls_${i}`]);
      return { name: r.column, nulls, nullShare: rows > 0 ? nulls / rows : 0 };
    }),
  };
  const label = TABLE_LABELS[canonical].toLowerCase();
  const exampleColumns =
    canonical === 'orders' ? ORDER_EXAMPLE : roles.map((r) => cast(r.column, r.type)).join(', ');
  const order = canonical === 'orders' ? 'source_row' : `${ts}, customer_id`;

  if (profile.future > 0) {
    const s = share(profile.future, rows);
    const sql = `SELECT ${exampleColumns} FROM ${src} WHERE ${future} ORDER BY ${order} LIMIT ${EXAMPLES}`;
    findings.push({
      id: `${canonical}.future_dates`,
      table: view,
      title: 'Dates in the future',
      severity: level(s, 0.01),
      count: profile.future,
      share: s,
      explanation: `${plural(profile.future, 'row')}${pct(s)} in ${label} ${v(profile.future, 'is', 'are')} dated after ${asOf.toISOString().slice(0, 10)}, which often means day and month were swapped or a placeholder date was used.`,
      examples: await q.examples(sql),
      sql,
    });
  }

  // Orders report missing values through their exclusion reasons instead.
  if (canonical !== 'orders') {
    for (const [i, r] of roles.entries()) {
      const c = profile.columns[i];
      if (c.nulls === 0 || (!r.required && c.nulls === rows)) continue;
      const sql = `SELECT ${exampleColumns} FROM ${src} WHERE ${missing(r.column, r.type)} LIMIT ${EXAMPLES}`;
      findings.push({
        id: `${canonical}.missing.${r.column}`,
        table: view,
        title: `${r.label} missing`,
        severity: r.required ? 'warning' : 'info',
        count: c.nulls,
        share: c.nullShare,
        explanation: r.required
          ? `${plural(c.nulls, 'row')}${pct(c.nullShare)} in ${label} ${v(c.nulls, 'has', 'have')} no ${r.label.toLowerCase()}, so ${v(c.nulls, 'it', 'they')} cannot be used.`
          : `${plural(c.nulls, 'row')}${pct(c.nullShare)} in ${label} ${v(c.nulls, 'has', 'have')} no ${r.label.toLowerCase()}; breakdowns by it will show ${v(c.nulls, 'it', 'them')} as unknown.`,
        examples: await q.examples(sql),
        sql,
      });
    }
  }

  const repeated = num(stats.repeated_ids);
  if (canonical === 'customers' && repeated > 0) {
    const sql = `SELECT customer_id::VARCHAR AS customer_id, count(*)::INTEGER AS copies FROM ${src}
     WHERE customer_id IS NOT NULL GROUP BY customer_id HAVING count(*) > 1
     ORDER BY copies DESC, customer_id LIMIT ${EXAMPLES}`;
    const s = share(repeated, rows);
    findings.push({
      id: 'customers.repeated_ids',
      table: view,
      title: 'Customers listed more than once',
      severity: 'warning',
      count: repeated,
      share: s,
      explanation: `${plural(repeated, 'row')}${pct(s)} ${v(repeated, 'repeats', 'repeat')} a customer ID already in the table, so customer attributes such as source or plan may be ambiguous.`,
      examples: await q.examples(sql),
      sql,
    });
  }

  if (canonical === 'feedback' && viewColumns.includes('score')) {
    const outside = 'score < 0 OR score > 10';
    const n = num((await q.one(`SELECT count(*)::DOUBLE AS n FROM ${src} WHERE ${outside}`)).n);
    if (n > 0) {
      const sql = `SELECT ${exampleColumns} FROM ${src} WHERE ${outside} ORDER BY ${order} LIMIT ${EXAMPLES}`;
      const s = share(n, rows);
      findings.push({
        id: 'feedback.score_range',
        table: view,
        title: 'Scores outside 0–10',
        severity: 'warning',
        count: n,
        share: s,
        explanation: `${plural(n, 'answer')}${pct(s)} ${v(n, 'has', 'have')} a score outside 0–10, so the survey may use another scale and NPS would be wrong until it is rescaled.`,
        examples: await q.examples(sql),
        sql,
      });
    }
  }
  return profile;
}

/** What each exclusion reason means for the consultant, and how serious it is at a given share. */
const EXCLUSION_TEXT: Record<
  Exclusion,
  { why: (n: number) => string; severity: (s: number | null) => Severity }
> = {
  missing_customer: {
    why: (n) =>
      `${v(n, 'has', 'have')} no customer ID, so ${v(n, 'it', 'they')} cannot be tied to anyone and ${v(n, 'is', 'are')} left out of every retention figure`,
    severity: (s) => level(s, 0.1),
  },
  bad_date: {
    why: (n) =>
      `${v(n, 'has', 'have')} a date that could not be read and ${v(n, 'is', 'are')} left out; check the date format chosen in the mapping`,
    severity: (s) => level(s, 0.01),
  },
  bad_amount: {
    why: (n) =>
      `${v(n, 'has', 'have')} an amount that could not be read as a number and ${v(n, 'is', 'are')} left out; look for currency symbols or text in the column`,
    severity: (s) => level(s, 0.01),
  },
  cancelled: {
    why: (n) =>
      `${v(n, 'is a cancellation or return', 'are cancellations or returns')}, left out of purchases and revenue`,
    severity: () => 'info',
  },
  non_positive: {
    why: (n) =>
      `${v(n, 'has', 'have')} a zero or negative amount (refunds, free items, adjustments), left out of purchases and revenue`,
    severity: () => 'info',
  },
  duplicate: {
    why: (n) =>
      `${v(n, 'is an exact copy', 'are exact copies')} of an earlier order row and ${v(n, 'is', 'are')} counted once`,
    severity: () => 'warning',
  },
};

async function checkOrders(q: Recorder, total: number, findings: Finding[]): Promise<OrdersChecks> {
  const counted = 'exclusion IS NULL';
  const stats = await q.one(
    `SELECT count(*) FILTER (WHERE ${counted})::DOUBLE AS counted,
  count(DISTINCT customer_id) FILTER (WHERE ${counted})::DOUBLE AS customers,
  min(order_ts) FILTER (WHERE ${counted})::TIMESTAMP AS first_order,
  max(order_ts) FILTER (WHERE ${counted})::TIMESTAMP AS last_order,
  count(*) FILTER (WHERE amount < 0)::DOUBLE AS negative,
  count(*) FILTER (WHERE amount = 0)::DOUBLE AS zero,
  ${EXCLUSIONS.map((e) => `count(*) FILTER (WHERE exclusion = ${literal(e)})::DOUBLE AS ${ident(e)}`).join(',\n  ')}
FROM orders_all`,
  );
  const exclusions = Object.fromEntries(EXCLUSIONS.map((e) => [e, num(stats[e])])) as Record<
    Exclusion,
    number
  >;

  const orderFinding = async (
    id: string,
    title: string,
    count: number,
    severity: Severity,
    explanation: string,
    where: string,
  ) => {
    const sql = `SELECT ${ORDER_EXAMPLE} FROM orders_all WHERE ${where} ORDER BY source_row LIMIT ${EXAMPLES}`;
    findings.push({
      id,
      table: 'orders_all',
      title,
      severity,
      count,
      share: share(count, total),
      explanation,
      examples: await q.examples(sql),
      sql,
    });
  };

  for (const e of EXCLUSIONS) {
    const n = exclusions[e];
    if (n === 0) continue;
    const s = share(n, total);
    const text = EXCLUSION_TEXT[e];
    await orderFinding(
      `orders.exclusion.${e}`,
      EXCLUSION_LABELS[e],
      n,
      text.severity(s),
      `${plural(n, 'order row')}${pct(s)} ${text.why(n)}.`,
      `exclusion = ${literal(e)}`,
    );
  }

  const negative = num(stats.negative);
  if (negative > 0) {
    const s = share(negative, total);
    await orderFinding(
      'orders.negative_amounts',
      'Negative amounts',
      negative,
      s !== null && s >= 0.05 ? 'warning' : 'info',
      `${plural(negative, 'order row')}${pct(s)} ${v(negative, 'has', 'have')} a negative amount, usually refunds or cancellations, which never count as purchases, so revenue is counted before refunds.`,
      'amount < 0',
    );
  }
  const zero = num(stats.zero);
  if (zero > 0) {
    const s = share(zero, total);
    await orderFinding(
      'orders.zero_amounts',
      'Zero amounts',
      zero,
      'info',
      `${plural(zero, 'order row')}${pct(s)} ${v(zero, 'has', 'have')} an amount of zero, such as free samples or internal adjustments, and ${v(zero, 'does', 'do')} not count as purchases.`,
      'amount = 0',
    );
  }

  const extremes = await checkExtremes(q, total, findings);
  return {
    counted: num(stats.counted),
    customers: num(stats.customers),
    firstOrder: date(stats.first_order),
    lastOrder: date(stats.last_order),
    exclusions,
    negativeAmounts: negative,
    zeroAmounts: zero,
    cancellations: exclusions.cancelled,
    extremes,
  };
}

/** Tukey's far-out fences (Q1 − 3·IQR, Q3 + 3·IQR) over every amount in orders_all. */
const FENCES = `WITH fences AS (
  SELECT q1, q3, q3 - q1 AS iqr, q1 - 3 * (q3 - q1) AS lo, q3 + 3 * (q3 - q1) AS hi
  FROM (SELECT quantile_cont(amount, 0.25) AS q1, quantile_cont(amount, 0.75) AS q3 FROM orders_all)
)`;

async function checkExtremes(
  q: Recorder,
  total: number,
  findings: Finding[],
): Promise<OutlierFences | null> {
  const f = await q.one(
    `${FENCES}
SELECT q1::DOUBLE AS q1, q3::DOUBLE AS q3, iqr::DOUBLE AS iqr, lo::DOUBLE AS lo, hi::DOUBLE AS hi,
  (SELECT count(*) FROM orders_all WHERE amount < lo OR amount > hi)::DOUBLE AS n
FROM fences`,
  );
  if (f.q1 == null) return null;
  const fences = {
    q1: num(f.q1),
    q3: num(f.q3),
    iqr: num(f.iqr),
    lower: num(f.lo),
    upper: num(f.hi),
    count: num(f.n),
  };
  if (fences.count > 0) {
    const sql = `${FENCES}
SELECT ${ORDER_EXAMPLE} FROM orders_all, fences WHERE amount < lo OR amount > hi
ORDER BY greatest(amount - hi, lo - amount) DESC, source_row LIMIT ${EXAMPLES}`;
    const s = share(fences.count, total);
    findings.push({
      id: 'orders.extreme_amounts',
      table: 'orders_all',
      title: 'Extreme amounts',
      severity: 'warning',
      count: fences.count,
      share: s,
      explanation: `${plural(fences.count, 'order row')}${pct(s)} ${v(fences.count, 'has', 'have')} an amount below ${amount.format(fences.lower)} or above ${amount.format(fences.upper)} (more than three interquartile ranges outside the middle half of amounts); check whether ${v(fences.count, 'it is a wholesale order or a typing error, as it pulls', 'they are wholesale orders or typing errors, as they pull')} averages and lifetime values.`,
      examples: await q.examples(sql),
      sql,
    });
  }
  return fences;
}

/** Customer columns shown beside customers without orders. */
const CUSTOMER_EXAMPLE = ['customer_id', 'signup_ts', 'acquisition_source', 'plan', 'region'];

async function checkLinks(
  q: Recorder,
  customerColumns: string[],
  findings: Finding[],
): Promise<CustomerLinks> {
  const orphan = `o.exclusion IS NULL AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = o.customer_id)`;
  const idle = `NOT EXISTS (SELECT 1 FROM orders_all o WHERE o.exclusion IS NULL AND o.customer_id = c.customer_id)`;
  const stats = await q.one(
    `SELECT
  (SELECT count(*) FROM orders_all o WHERE ${orphan})::DOUBLE AS orphan_rows,
  (SELECT count(DISTINCT o.customer_id) FROM orders_all o WHERE ${orphan})::DOUBLE AS orphan_customers,
  (SELECT count(DISTINCT customer_id) FROM orders_all WHERE exclusion IS NULL)::DOUBLE AS buyers,
  (SELECT count(DISTINCT c.customer_id) FROM customers c WHERE ${idle})::DOUBLE AS idle,
  (SELECT count(DISTINCT customer_id) FROM customers)::DOUBLE AS known`,
  );
  const links: CustomerLinks = {
    ordersWithoutCustomer: num(stats.orphan_rows),
    unknownCustomers: num(stats.orphan_customers),
    customersWithoutOrders: num(stats.idle),
  };
  if (links.unknownCustomers > 0) {
    const s = share(links.unknownCustomers, num(stats.buyers));
    const sql = `SELECT ${ORDER_EXAMPLE} FROM orders_all o WHERE ${orphan} ORDER BY source_row LIMIT ${EXAMPLES}`;
    findings.push({
      id: 'orders.unknown_customers',
      table: 'orders_all',
      title: 'Orders from customers not in the customer table',
      severity: level(s, 0.5),
      count: links.unknownCustomers,
      share: s,
      explanation: `${plural(links.unknownCustomers, 'buying customer')}${pct(s)} (${plural(links.ordersWithoutCustomer, 'order row')}) ${v(links.unknownCustomers, 'does', 'do')} not appear in the customer table, so ${v(links.unknownCustomers, 'its', 'their')} source, plan and region are unknown; a large share usually means the two files use different ID formats.`,
      examples: await q.examples(sql),
      sql,
    });
  }
  if (links.customersWithoutOrders > 0) {
    const s = share(links.customersWithoutOrders, num(stats.known));
    const shown = ROLES.customers
      .filter((r) => CUSTOMER_EXAMPLE.includes(r.column) && customerColumns.includes(r.column))
      .map((r) => cast(r.column, r.type));
    const sql = `SELECT ${shown.join(', ')} FROM customers c WHERE ${idle}
ORDER BY customer_id LIMIT ${EXAMPLES}`;
    findings.push({
      id: 'customers.without_orders',
      table: 'customers',
      title: 'Customers without orders',
      severity: s !== null && s >= 0.5 ? 'warning' : 'info',
      count: links.customersWithoutOrders,
      share: s,
      explanation: `${plural(links.customersWithoutOrders, 'customer')}${pct(s)} ${v(links.customersWithoutOrders, 'has', 'have')} no order that counts, which is normal for sign-ups who never bought but worrying if the order export covers a shorter period.`,
      examples: await q.examples(sql),
      sql,
    });
  }
  return links;
}
